"""gazu 1.3.1's gazu.asset against a real server: what a pipeline script
does to create, find, update, cancel and delete assets and asset types."""
import uuid

import gazu
import pytest
from gazu.exception import RouteNotFoundException

from tests.compat.conftest import unique


@pytest.fixture
def production(admin):
    return gazu.project.new_project(unique("Assets"), client=admin)


@pytest.fixture
def prop(admin):
    return gazu.asset.new_asset_type(unique("Prop"), client=admin)


def test_new_asset_is_listed_and_found_by_name(admin, production, prop):
    asset = gazu.asset.new_asset(production, prop, "Chair", description="Wooden",
                                 extra_data={"legs": 4}, client=admin)
    assert (asset["name"], asset["type"], asset["description"], asset["data"],
            asset["entity_type_id"], asset["project_id"]) == (
        "Chair", "Asset", "Wooden", {"legs": 4}, prop["id"], production["id"])
    again = gazu.asset.new_asset(production, prop, "Chair", client=admin)
    assert again["id"] == asset["id"]
    listed = gazu.asset.all_assets_for_project(production, client=admin)
    assert [a["id"] for a in listed] == [asset["id"]]
    by_type = gazu.asset.all_assets_for_project_and_type(production, prop, client=admin)
    assert [a["id"] for a in by_type] == [asset["id"]]
    found = gazu.asset.get_asset_by_name(production, "Chair", prop, client=admin)
    assert found["id"] == asset["id"]
    assert gazu.asset.get_asset_by_name(production, "Table", client=admin) is None
    full = gazu.asset.get_asset(asset["id"], client=admin)
    assert (full["project_name"], full["asset_type_name"], full["tasks"]) == (
        production["name"], prop["name"], [])


def test_update_asset_merges_its_data(admin, production, prop):
    asset = gazu.asset.new_asset(production, prop, "Lamp", extra_data={"a": 1}, client=admin)
    asset["description"] = "Bright"
    updated = gazu.asset.update_asset(asset, client=admin)
    assert updated["description"] == "Bright"
    gazu.asset.update_asset_data(asset, {"b": 2}, client=admin)
    assert gazu.asset.get_asset(asset["id"], client=admin)["data"] == {"a": 1, "b": 2}


def test_remove_asset_cancels_with_tasks_and_deletes_with_force(admin, production, prop):
    asset = gazu.asset.new_asset(production, prop, "Sofa", client=admin)
    modeling = gazu.task.get_task_type_by_name("Modeling", client=admin)
    gazu.client.create("tasks", {"name": "main", "project_id": production["id"],
                                 "entity_id": asset["id"], "task_type_id": modeling["id"],
                                 "task_status_id": gazu.task.get_default_task_status(
                                     client=admin)["id"]}, client=admin)
    gazu.asset.remove_asset(asset, client=admin)
    assert gazu.asset.get_asset(asset["id"], client=admin)["canceled"] is True
    gazu.asset.remove_asset(asset, force=True, client=admin)
    with pytest.raises(RouteNotFoundException):
        gazu.asset.get_asset(asset["id"], client=admin)


def test_remove_asset_without_tasks_deletes_it(admin, production, prop):
    asset = gazu.asset.new_asset(production, prop, "Stool", client=admin)
    gazu.asset.remove_asset(asset, client=admin)
    assert gazu.asset.all_assets_for_project(production, client=admin) == []


def test_asset_types(admin, production, prop):
    assert prop["id"] in {t["id"] for t in gazu.asset.all_asset_types(client=admin)}
    assert gazu.asset.get_asset_type(prop["id"], client=admin)["type"] == "AssetType"
    assert gazu.asset.get_asset_type_by_name(prop["name"], client=admin)["id"] == prop["id"]
    assert gazu.asset.all_asset_types_for_project(production, client=admin) == []
    gazu.asset.new_asset(production, prop, "Cup", client=admin)
    types = gazu.asset.all_asset_types_for_project(production, client=admin)
    assert [t["id"] for t in types] == [prop["id"]]


def test_unknown_ids_give_404(admin):
    missing = str(uuid.uuid4())
    for call in (lambda: gazu.asset.get_asset(missing, client=admin),
                 lambda: gazu.asset.get_asset_type(missing, client=admin),
                 lambda: gazu.asset.remove_asset(missing, client=admin)):
        with pytest.raises(RouteNotFoundException):
            call()
