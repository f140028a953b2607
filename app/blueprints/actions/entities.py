"""/actions/projects/<id>/delete-entities, the asset sharing actions and
filing concepts into folders (behaviours.md rows 8 and 11)."""
from flask import request

from app.api import Boolean, List, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import assets, concepts, entities

IDS = List(Uuid(), required=True)
SHARE = Schema(is_shared=Boolean(default=True), asset_ids=List(Uuid()))


class DeleteEntities(Resource):
    @endpoint("Delete a project's assets, shots, edits and concepts at once; returns the ids "
              "handled", query=Schema(force=Boolean(default=False)),
              description="The body is a JSON array of entity ids. Without force, entities "
                          "with tasks are canceled, already canceled ones deleted; concepts "
                          "are always deleted.")
    def post(self, project_id, query):
        # Zou takes a bare JSON array here, which the body schemas (objects) cannot describe.
        ids = request.get_json(silent=True)
        if not isinstance(ids, list):
            raise BadRequest("The request body must be a JSON array of entity ids.")
        return entities.delete_many(current_actor(), project_id, IDS.parse("entity_ids", ids),
                                    query["force"])


class ShareAssets(Resource):
    @endpoint("Share assets (by ids) with the other productions, or stop (managers of their "
              "projects)", body=SHARE)
    def post(self, body):
        return assets.set_shared(current_actor(), body["is_shared"],
                                 asset_ids=body.get("asset_ids") or [])


class ShareProjectAssets(Resource):
    @endpoint("Share the project's assets (all, or those of asset_ids), or stop", body=SHARE)
    def post(self, project_id, body):
        return assets.set_shared(current_actor(), body["is_shared"], project_id=project_id,
                                 asset_ids=body.get("asset_ids"))


class ShareProjectTypeAssets(Resource):
    @endpoint("Share the project's assets of one type, or stop", body=SHARE)
    def post(self, project_id, asset_type_id, body):
        return assets.set_shared(current_actor(), body["is_shared"], project_id=project_id,
                                 asset_type_id=asset_type_id)


class MoveConcepts(Resource):
    @endpoint("File concepts into a folder, or back to the root without concept_folder_id; "
              "returns the ids moved",
              body=Schema(concept_ids=List(Uuid(), required=True), concept_folder_id=Uuid()))
    def post(self, project_id, body):
        return concepts.move_concepts(current_actor(), project_id, body["concept_ids"],
                                      body.get("concept_folder_id"))


def routes():
    return [
        ("/actions/projects/<project_id>/delete-entities", DeleteEntities),
        ("/actions/assets/share", ShareAssets),
        ("/actions/projects/<project_id>/assets/share", ShareProjectAssets),
        ("/actions/projects/<project_id>/asset-types/<asset_type_id>/assets/share",
         ShareProjectTypeAssets),
        ("/actions/projects/<project_id>/move-concepts", MoveConcepts),
    ]
