"""Casting seen from one asset: what it holds (a set dressed with props),
where it is cast, and its instances (behaviours.md row 12). The rules are
in app/services/casting.py."""
from app.api import Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.blueprints.data.breakdown import _json_body
from app.services import casting

ASSET_INSTANCE_BODY = Schema(
    asset_to_instantiate_id=Uuid(required=True, nullable=False,
                                 description="The asset placed inside this one."),
    description=String(max_length=200),
)


class AssetAssets(Resource):
    @endpoint("List the assets cast in an asset, as entities")
    def get(self, asset_id):
        return casting.asset_cast_assets(current_actor(), asset_id)


class AssetCastIn(Resource):
    @endpoint("List where an asset is cast",
              description="Shots (with sequence and episode), then assets; canceled ones "
                          "left out.")
    def get(self, asset_id):
        return casting.cast_in(current_actor(), asset_id)


class AssetOwnCasting(Resource):
    @endpoint("Get the assets cast in an asset")
    def get(self, asset_id):
        return casting.asset_casting(current_actor(), asset_id)

    @endpoint("Replace the casting of an asset",
              description="The body is a JSON array of {asset_id, nb_occurences, label}; "
                          "nb_occurences defaults to 1.")
    def put(self, asset_id):
        return casting.update_asset_casting(current_actor(), asset_id, _json_body(list))


class AssetShotInstances(Resource):
    @endpoint("List an asset's instances used in shots, by shot")
    def get(self, asset_id):
        return casting.asset_shot_instances(current_actor(), asset_id)


class AssetSceneInstances(Resource):
    @endpoint("List an asset's instances in scenes, by scene")
    def get(self, asset_id):
        return casting.asset_scene_instances(current_actor(), asset_id)


class AssetAssetInstances(Resource):
    @endpoint("List the asset instances inside an asset, by instantiated asset")
    def get(self, asset_id):
        return casting.asset_instances(current_actor(), asset_id)

    @endpoint("Place an instance of another asset inside an asset", body=ASSET_INSTANCE_BODY,
              description="Numbered after that asset's last instance here; named from it "
                          "(Tree_0003).")
    def post(self, asset_id, body):
        return casting.add_asset_instance(current_actor(), asset_id,
                                          body["asset_to_instantiate_id"],
                                          body.get("description")), 201


def routes():
    asset = "/data/assets/<asset_id>"
    return [
        (f"{asset}/assets", AssetAssets),
        (f"{asset}/cast-in", AssetCastIn),
        (f"{asset}/casting", AssetOwnCasting),
        (f"{asset}/shot-asset-instances", AssetShotInstances),
        (f"{asset}/scene-asset-instances", AssetSceneInstances),
        (f"{asset}/asset-asset-instances", AssetAssetInstances),
    ]
