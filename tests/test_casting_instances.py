"""Asset instances (behaviours.md row 12): numbered, named occurrences of
assets in a scene, used by shots; who may read and change them."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.entity import AssetInstanceLink
from app.models.events import ApiEvent
from app.models.settings import EntityType
from tests import factories as f
from tests.test_casting import temporal
from tests.test_casting_permissions import CALLERS


@pytest.fixture
def scene_setup(client):
    project = f.project()
    manager, headers = f.signed_in(client, role="manager")
    f.join_team(project, manager)
    sequence = temporal(project, "Sequence")
    return dict(project=project, headers=headers, scene=temporal(project, "Scene", sequence),
                shot=temporal(project, "Shot", sequence),
                tree=f.asset(project, name="Big Tree é"))


def test_scene_instances_are_numbered_and_named_per_asset(client, scene_setup):
    s, h = scene_setup, scene_setup["headers"]
    path = f"/data/scenes/{s['scene'].id}/asset-instances"
    first = client.post(path, json={"asset_id": str(s["tree"].id)}, headers=h)
    assert first.status_code == 201, first.json
    second = client.post(path, json={"asset_id": str(s["tree"].id), "description": "left"},
                         headers=h)
    assert (first.json["number"], first.json["name"]) == (1, "Big_Tree_e_0001")
    assert (second.json["number"], second.json["description"]) == (2, "left")
    assert second.json["type"] == "AssetInstance"
    listed = client.get(path, headers=h).json
    assert list(listed) == [str(s["tree"].id)]
    assert [i["id"] for i in listed[str(s["tree"].id)]] == [first.json["id"], second.json["id"]]
    events = db.session.scalars(select(ApiEvent).where(
        ApiEvent.name == "asset_instance:new")).all()
    assert {e.data["asset_instance_id"] for e in events} == {first.json["id"], second.json["id"]}
    assert client.post(path, json={"asset_id": str(uuid.uuid4())}, headers=h).status_code == 404
    assert client.post(path, json={}, headers=h).status_code == 400


def test_camera_instances_list_only_cameras(client, scene_setup):
    s, h = scene_setup, scene_setup["headers"]
    camera_type = db.session.scalars(select(EntityType).where(
        EntityType.name == "Camera")).first() or f.row(EntityType, name="Camera")
    camera = f.asset(s["project"], entity_type=camera_type, name="cam")
    for asset in (s["tree"], camera):
        client.post(f"/data/scenes/{s['scene'].id}/asset-instances",
                    json={"asset_id": str(asset.id)}, headers=h)
    cameras = client.get(f"/data/scenes/{s['scene'].id}/camera-instances", headers=h).json
    assert list(cameras) == [str(camera.id)]


def test_shots_use_and_drop_instances(client, scene_setup):
    s, h = scene_setup, scene_setup["headers"]
    instance = client.post(f"/data/scenes/{s['scene'].id}/asset-instances",
                           json={"asset_id": str(s["tree"].id)}, headers=h).json
    path = f"/data/shots/{s['shot'].id}/asset-instances"
    response = client.post(path, json={"asset_instance_id": instance["id"]}, headers=h)
    assert response.status_code == 201
    assert response.json["id"] == str(s["shot"].id) and response.json["type"] == "Shot"
    assert client.get(path, headers=h).json == {str(s["tree"].id): [instance]}
    assert client.delete(f"{path}/{instance['id']}", headers=h).status_code == 204
    assert client.get(path, headers=h).json == {}
    assert db.session.scalars(select(AssetInstanceLink)).all() == []


def test_a_scene_route_refuses_a_shot_id(client, scene_setup):
    s = scene_setup
    assert client.get(f"/data/scenes/{s['shot'].id}/asset-instances",
                      headers=s["headers"]).status_code == 404
    assert client.get(f"/data/shots/{uuid.uuid4()}/asset-instances",
                      headers=s["headers"]).status_code == 404


@pytest.mark.parametrize("caller", CALLERS)
def test_instance_permissions(client, scene_setup, caller):
    s = scene_setup
    instance = f.asset_instance(s["tree"], scene_id=s["scene"].id)
    headers = f.on_team(client, s["project"], caller)[1]
    read = client.get(f"/data/scenes/{s['scene'].id}/asset-instances", headers=headers)
    write = client.post(f"/data/shots/{s['shot'].id}/asset-instances",
                        json={"asset_instance_id": str(instance.id)}, headers=headers)
    refused = 401 if caller == "anonymous" else 403
    # Vendors see only what they have tasks on.
    assert read.status_code == (200 if caller not in ("vendor", "anonymous") else refused)
    assert write.status_code == (201 if caller in ("admin", "manager", "supervisor", "user",
                                                   "bot") else refused)
