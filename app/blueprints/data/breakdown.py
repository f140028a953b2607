"""Casting: the breakdown page's lists, casting writes, entity links and
asset instances (behaviours.md row 12)."""
import orjson
from flask import Response, request

from app.api import DateTime, Integer, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.errors import BadRequest
from app.services import casting

CAST_ASSET_BODY = Schema(
    entity_ids=List(Uuid(), required=True, nullable=False,
                    description="Entities to cast the asset in."),
    nb_occurences=Integer(minimum=0, description="0 uncasts; omitted keeps the current one."),
    label=String(max_length=80, description="Omitted keeps the current one."),
)
LINKS_QUERY = Schema(
    page=Integer(description="Page number: answers a page envelope."),
    limit=Integer(description="Rows per page."),
    cursor_created_at=DateTime(description="Only the links created after this date."),
)


SCENE_INSTANCE_BODY = Schema(asset_id=Uuid(required=True, nullable=False),
                             description=String(max_length=200))
SHOT_INSTANCE_BODY = Schema(asset_instance_id=Uuid(required=True, nullable=False))


def _json_body(kind):
    """The body when it is a JSON array or object of arrays (not a field set)."""
    try:
        data = orjson.loads(request.get_data(cache=True) or b"null")
    except orjson.JSONDecodeError:
        raise BadRequest("The request body is not valid JSON.")
    if kind is list and not isinstance(data, list):
        raise BadRequest("Request body must be a JSON array")
    if kind is dict and not (isinstance(data, dict)
                             and all(isinstance(v, list) for v in data.values())):
        raise BadRequest("Request body must be a JSON object mapping entity ids to "
                         "casting arrays")
    return data




class EntityCasting(Resource):
    @endpoint("Get the assets cast in an entity",
              description="Shot, sequence, episode or asset; canceled assets left out.")
    def get(self, project_id, entity_id):
        return casting.entity_casting(current_actor(), project_id, entity_id)

    @endpoint("Replace the casting of an entity",
              description="The body is a JSON array of {asset_id, nb_occurences, label}; "
                          "entries lacking asset_id or nb_occurences are ignored.")
    def put(self, project_id, entity_id):
        entries = _json_body(list)
        return casting.update_castings(current_actor(), project_id,
                                       {entity_id: entries})[entity_id]


class EntitiesCasting(Resource):
    @endpoint("Replace the casting of several entities",
              description="The body maps entity ids to casting arrays.")
    def put(self, project_id):
        return casting.update_castings(current_actor(), project_id, _json_body(dict))


class AssetCasting(Resource):
    @endpoint("Cast one asset in several entities", body=CAST_ASSET_BODY)
    def put(self, project_id, asset_id, body):
        if not body["entity_ids"]:
            raise BadRequest("Field 'entity_ids' cannot be empty.")
        return casting.cast_asset(current_actor(), project_id, asset_id, body["entity_ids"],
                                  body.get("nb_occurences"), body.get("label"))


class AssetTypeCasting(Resource):
    @endpoint("Get the casting of a project's assets of one type, by asset")
    def get(self, project_id, asset_type_id):
        return json_body_response(casting.asset_type_casting(current_actor(), project_id, asset_type_id))


class EpisodesCasting(Resource):
    @endpoint("Get the casting of a project's episodes, by episode")
    def get(self, project_id):
        return json_body_response(casting.episodes_casting(current_actor(), project_id))


class SequenceCasting(Resource):
    @endpoint("Get the casting of a sequence's shots, by shot")
    def get(self, project_id, sequence_id):
        return json_body_response(casting.sequence_casting(current_actor(), project_id, sequence_id))


class EpisodeShotsCasting(Resource):
    @endpoint("Get the casting of an episode's shots, by shot",
              description="`main` (shots outside episodes) gives {}; `all` every shot.")
    def get(self, project_id, episode_id):
        return json_body_response(casting.shots_casting(current_actor(), project_id, episode_id))


class ShotsCasting(Resource):
    @endpoint("Get the casting of every shot of a project, by shot",
              description="What the breakdown page loads.")
    def get(self, project_id):
        return json_body_response(casting.shots_casting(current_actor(), project_id))


class EntityLinks(Resource):
    @endpoint("List a project's casting links", query=LINKS_QUERY)
    def get(self, project_id, query):
        return casting.entity_links(current_actor(), project_id, query.get("page"),
                                    query.get("limit"), query.get("cursor_created_at"))


class EntityLink(Resource):
    @endpoint("Delete a casting link",
              description="Counts and episode links follow; an episode's shots keep the "
                          "asset.")
    def delete(self, project_id, entity_link_id):
        return casting.remove_entity_link(current_actor(), project_id, entity_link_id)


class SceneAssetInstances(Resource):
    @endpoint("List a scene's asset instances, by asset")
    def get(self, scene_id):
        return casting.scene_instances(current_actor(), scene_id)

    @endpoint("Add an instance of an asset to a scene", body=SCENE_INSTANCE_BODY,
              description="Numbered after the asset's last instance in the scene; named "
                          "from the asset (Tree_0003).")
    def post(self, scene_id, body):
        return casting.add_scene_instance(current_actor(), scene_id, body["asset_id"],
                                          body.get("description")), 201


class SceneCameraInstances(Resource):
    @endpoint("List a scene's camera instances, by camera asset")
    def get(self, scene_id):
        return casting.scene_instances(current_actor(), scene_id, "Camera")


class ShotAssetInstances(Resource):
    @endpoint("List the asset instances a shot uses, by asset")
    def get(self, shot_id):
        return casting.shot_instances(current_actor(), shot_id)

    @endpoint("Use an asset instance in a shot", body=SHOT_INSTANCE_BODY)
    def post(self, shot_id, body):
        return casting.add_shot_instance(current_actor(), shot_id,
                                         body["asset_instance_id"]), 201


class ShotAssetInstance(Resource):
    @endpoint("Stop using an asset instance in a shot")
    def delete(self, shot_id, asset_instance_id):
        casting.remove_shot_instance(current_actor(), shot_id, asset_instance_id)
        return Response(status=204)


def routes():
    project = "/data/projects/<project_id>"
    return [
        (f"{project}/entities/<entity_id>/casting", EntityCasting),
        (f"{project}/entities/casting", EntitiesCasting),
        (f"{project}/entities/casting/assets/<asset_id>", AssetCasting),
        (f"{project}/asset-types/<asset_type_id>/casting", AssetTypeCasting),
        (f"{project}/episodes/casting", EpisodesCasting),
        (f"{project}/sequences/<sequence_id>/casting", SequenceCasting),
        (f"{project}/episodes/<episode_id>/sequences/all/casting", EpisodeShotsCasting),
        (f"{project}/sequences/all/casting", ShotsCasting),
        (f"{project}/entity-links", EntityLinks),
        (f"{project}/entity-links/<entity_link_id>", EntityLink),
        ("/data/scenes/<scene_id>/asset-instances", SceneAssetInstances),
        ("/data/scenes/<scene_id>/camera-instances", SceneCameraInstances),
        ("/data/shots/<shot_id>/asset-instances", ShotAssetInstances),
        ("/data/shots/<shot_id>/asset-instances/<asset_instance_id>", ShotAssetInstance),
    ]
