"""/data/assets, /data/asset-types and the per-project asset lists
(behaviours.md row 8). Assets are updated through PUT /data/entities/<id>
(crud.py), as the Kitsu app and gazu do."""
from flask import Response, request

from app.api import Boolean, Dict, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import assets, entities

LIST_HELP = ("Any column of the entity table is an equality filter; `episode_id` keeps "
             "the assets made for or cast in that episode; `page` paginates.")
WITH_TASKS_QUERY = Schema(
    project_id=Uuid(), id=Uuid(),
    episode_id=String(description='An episode id, "all", or "main" (assets of no episode).'),
    assigned_to=Boolean(description="Only assets with a task assigned to the caller."))
NEW_ASSET = Schema(
    name=String(required=True, min_length=1, max_length=160), description=String(),
    data=Dict(), is_shared=Boolean(), episode_id=Uuid(),
    source_id=Uuid(description="The episode, as older clients send it."))
DELETE_QUERY = Schema(force=Boolean(default=False, description=(
    "Delete the asset and everything tied to it; without it an asset with tasks is "
    "only canceled.")))
TASKS_QUERY = Schema(relations=Boolean(default=False))




class AllAssets(Resource):
    @endpoint("Assets of the caller's productions", description=LIST_HELP)
    def get(self):
        return json_body_response(assets.list_assets(current_actor(), request.args))


class AssetsWithTasks(Resource):
    @endpoint("Assets with their tasks embedded, as Kitsu loads a production",
              query=WITH_TASKS_QUERY)
    def get(self, query):
        return json_body_response(assets.with_tasks(current_actor(), query))


class Asset(Resource):
    @endpoint("An asset with its project and type names and its tasks")
    def get(self, asset_id):
        return assets.get_asset(current_actor(), asset_id)

    @endpoint("Delete an asset (its creator or a project manager)", query=DELETE_QUERY)
    def delete(self, asset_id, query):
        assets.delete_asset(current_actor(), asset_id, query["force"])
        return Response(status=204)


class AssetTasks(Resource):
    @endpoint("The asset's tasks", query=TASKS_QUERY)
    def get(self, asset_id, query):
        return entities.tasks_of(current_actor(), asset_id, entities.ASSET, query["relations"])


class AssetTaskTypes(Resource):
    @endpoint("The task types of the asset's tasks")
    def get(self, asset_id):
        return entities.task_types_of(current_actor(), asset_id, entities.ASSET)


class ProjectAssets(Resource):
    @endpoint("The project's assets", description=LIST_HELP)
    def get(self, project_id):
        return json_body_response(assets.list_assets(current_actor(), request.args, project_id=project_id))


class ProjectTypeAssets(Resource):
    @endpoint("The project's assets of one type", description=LIST_HELP)
    def get(self, project_id, asset_type_id):
        return json_body_response(assets.list_assets(current_actor(), request.args, project_id=project_id,
                                        asset_type_id=asset_type_id))


class NewAsset(Resource):
    @endpoint("Create an asset (project managers); the existing one if the name is taken",
              body=NEW_ASSET)
    def post(self, project_id, asset_type_id, body):
        return assets.create_asset(current_actor(), project_id, asset_type_id, body), 201


class AssetTypes(Resource):
    @endpoint("Asset types (entity types that are not Episode, Sequence, Shot, ...)",
              description="`project_id`: those the project has assets of; `name`, `id`.")
    def get(self):
        return assets.asset_types(current_actor(), request.args)


class AssetType(Resource):
    @endpoint("An asset type")
    def get(self, asset_type_id):
        return assets.asset_type(current_actor(), asset_type_id)


class ProjectAssetTypes(Resource):
    @endpoint("The asset types of the project's assets")
    def get(self, project_id):
        return assets.project_asset_types(current_actor(), project_id)


class ShotAssetTypes(Resource):
    @endpoint("The asset types of the assets cast in a shot")
    def get(self, shot_id):
        return assets.shot_asset_types(current_actor(), shot_id)


class SharedAssetsUsed(Resource):
    @endpoint("Shared assets of other productions cast in this one")
    def get(self, project_id, episode_id=None):
        return assets.shared_used(current_actor(), project_id, episode_id)


class EpisodeSharedAssetsUsed(SharedAssetsUsed):
    """The same list for one episode's shots (Flask needs one class per rule)."""


class AllAssetsForGazu(AllAssets):
    """/data/assets/all, which gazu calls (Flask needs one class per rule)."""


def routes():
    return [
        ("/data/assets", AllAssets),
        ("/data/assets/all", AllAssetsForGazu),
        ("/data/assets/with-tasks", AssetsWithTasks),
        ("/data/assets/<asset_id>", Asset),
        ("/data/assets/<asset_id>/tasks", AssetTasks),
        ("/data/assets/<asset_id>/task-types", AssetTaskTypes),
        ("/data/asset-types", AssetTypes),
        ("/data/asset-types/<asset_type_id>", AssetType),
        ("/data/projects/<project_id>/assets", ProjectAssets),
        ("/data/projects/<project_id>/asset-types", ProjectAssetTypes),
        ("/data/projects/<project_id>/asset-types/<asset_type_id>/assets", ProjectTypeAssets),
        ("/data/projects/<project_id>/asset-types/<asset_type_id>/assets/new", NewAsset),
        ("/data/shots/<shot_id>/asset-types", ShotAssetTypes),
        ("/data/projects/<project_id>/assets/shared-used", SharedAssetsUsed),
        ("/data/projects/<project_id>/episodes/<episode_id>/assets/shared-used",
         EpisodeSharedAssetsUsed),
    ]
