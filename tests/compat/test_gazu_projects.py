"""gazu 1.3.1's gazu.project against a real server: what a pipeline script
does to set up a production, its team, settings and custom columns, and
to close and delete it."""
import uuid

import gazu
import pytest
from gazu.exception import NotAllowedException, ParameterException

from tests.compat.conftest import unique


def _named(kind, name, client):
    return gazu.client.fetch_first(kind, {"name": name}, client=client)


def _person(client, role="user"):
    return gazu.person.new_person(unique("First"), "Last",
                                  f"{uuid.uuid4().hex[:10]}@studio.example.com",
                                  role=role, client=client)


def test_new_project_is_found_by_name_and_listed_open(admin):
    modeling = _named("task-types", "Modeling", admin)
    todo = _named("task-status", "Todo", admin)
    prop = _named("entity-types", "Prop", admin)
    artist = _person(admin)
    name = unique("Short")
    project = gazu.project.new_project(
        name, production_type="short", team=[artist], asset_types=[prop],
        task_statuses=[todo], task_types=[modeling], production_style="3d", client=admin)
    assert (project["name"], project["production_style"], project["type"]) == (
        name, "3d", "Project")
    assert project["team"] == [artist["id"]] and project["task_types"] == [modeling["id"]]
    # A second call with the same name returns the existing project.
    again = gazu.project.new_project(name, client=admin)
    assert again["id"] == project["id"]
    assert gazu.project.get_project_by_name(name.upper(), client=admin)["id"] == project["id"]
    listed = {p["id"]: p for p in gazu.project.all_open_projects(client=admin)}
    assert listed[project["id"]]["task_type_links"][modeling["id"]]["priority"] is None
    assert todo["id"] in listed[project["id"]]["task_statuses_link"]
    fetched = gazu.project.get_project(project["id"], client=admin)
    assert fetched["project_status_name"] == "Open" and fetched["descriptors"] == []


def test_a_tv_show_comes_with_its_first_episode(admin):
    project = gazu.project.new_project(unique("Show"), production_type="tvshow", client=admin)
    episode = gazu.client.fetch_one("entities", project["first_episode_id"], client=admin)
    assert (episode["name"], episode["type"]) == ("E01", "Episode")
    listed = {p["id"]: p for p in gazu.project.all_open_projects(client=admin)}
    assert listed[project["id"]]["first_episode_id"] == episode["id"]


def test_team_membership_and_per_project_role(admin):
    project = gazu.project.new_project(unique("Team"), client=admin)
    person = _person(admin)
    updated = gazu.project.add_person_to_team(project, person, role="supervisor", client=admin)
    assert person["id"] in updated["team"]
    team = {p["id"]: p for p in gazu.project.get_team(project, client=admin)}
    assert team[person["id"]]["project_role"] == "supervisor"
    link = gazu.project.update_team_member_role(project, person, None, client=admin)
    assert link == {"project_id": project["id"], "person_id": person["id"], "role": None}
    with pytest.raises(ParameterException):
        gazu.project.update_team_member_role(project, person, "admin", client=admin)
    gazu.project.remove_person_from_team(project, person, client=admin)
    assert person["id"] not in {p["id"] for p in gazu.project.get_team(project, client=admin)}


def test_settings_task_types_statuses_asset_types(admin):
    project = gazu.project.new_project(unique("Settings"), client=admin)
    layout = _named("task-types", "Layout", admin)
    wip = _named("task-status", "Work In Progress", admin)
    character = _named("entity-types", "Character", admin)
    assert layout["id"] in gazu.project.add_task_type(project, layout, 4, client=admin)[
        "task_types"]
    assert wip["id"] in gazu.project.add_task_status(project, wip, client=admin)["task_statuses"]
    assert character["id"] in gazu.project.add_asset_type(project, character, client=admin)[
        "asset_types"]
    fetched = gazu.project.get_project(project["id"], client=admin)
    assert fetched["task_types_priority"] == {layout["id"]: 4}
    statuses = gazu.project.get_project_task_statuses(project, client=admin)
    assert [s["id"] for s in statuses] == [wip["id"]]
    gazu.project.remove_task_type(project, layout, client=admin)
    gazu.project.remove_task_status(project, wip, client=admin)
    fetched = gazu.project.get_project(project["id"], client=admin)
    assert (fetched["task_types"], fetched["task_statuses"]) == ([], [])
    assert fetched["asset_types"] == [character["id"]]


def test_metadata_descriptors_round_trip(admin):
    project = gazu.project.new_project(unique("Columns"), client=admin)
    prop = _named("entity-types", "Prop", admin)
    descriptor = gazu.project.add_metadata_descriptor(
        project, "Polygon Count", "Asset", data_type="number", client=admin)
    assert descriptor["field_name"] == "polygon_count"
    fetched = gazu.project.get_metadata_descriptor(project, descriptor["id"], client=admin)
    assert fetched["name"] == "Polygon Count"
    by_field = gazu.project.get_metadata_descriptor_by_field_name(
        project, "polygon_count", client=admin)
    assert by_field["id"] == descriptor["id"]
    assert [d["id"] for d in gazu.project.all_metadata_descriptors(
        project, client=admin, entity_type="Asset")] == [descriptor["id"]]
    asset = gazu.client.create("entities", {
        "name": unique("Chair"), "project_id": project["id"], "entity_type_id": prop["id"],
        "data": {"polygon_count": 1200}}, client=admin)
    fetched["name"] = "Poly Budget"
    renamed = gazu.project.update_metadata_descriptor(project, fetched, client=admin)
    assert renamed["field_name"] == "poly_budget"
    moved = gazu.client.fetch_one("entities", asset["id"], client=admin)
    assert moved["data"] == {"poly_budget": 1200}
    second = gazu.project.add_metadata_descriptor(project, "Artist Notes", "Asset",
                                                  client=admin)
    ordered = gazu.project.reorder_metadata_descriptors(
        project, "Asset", [second, descriptor], client=admin)
    assert [d["id"] for d in ordered] == [second["id"], descriptor["id"]]
    gazu.project.remove_metadata_descriptor(project, descriptor, client=admin)
    assert gazu.client.fetch_one("entities", asset["id"], client=admin)["data"] == {}
    assert [d["id"] for d in gazu.project.all_metadata_descriptors(project, client=admin)] \
        == [second["id"]]


def test_update_close_and_delete(admin):
    project = gazu.project.new_project(unique("Lifecycle"), client=admin)
    project["fps"] = "24"
    assert gazu.project.update_project(project, client=admin)["fps"] == "24"
    updated = gazu.project.update_project_data(project, {"client": "ACME"}, client=admin)
    assert updated["data"] == {"client": "ACME"}
    prop = _named("entity-types", "Prop", admin)
    gazu.client.create("entities", {"name": unique("Lamp"), "project_id": project["id"],
                                    "entity_type_id": prop["id"]}, client=admin)
    with pytest.raises(ParameterException, match="closed"):
        gazu.project.remove_project(project, client=admin)
    closed = gazu.project.close_project(project, client=admin)
    assert gazu.project.get_project(closed["id"], client=admin)["project_status_name"] \
        == "Closed"
    assert project["id"] not in {p["id"] for p in gazu.project.all_open_projects(client=admin)}
    with pytest.raises(ParameterException, match="force"):
        gazu.project.remove_project(project, client=admin)
    gazu.project.remove_project(project, force=True, client=admin)
    assert gazu.project.get_project_by_name(project["name"], client=admin) is None


def test_an_artist_cannot_change_settings(server, admin):
    project = gazu.project.new_project(unique("Guarded"), client=admin)
    artist = _person(admin)
    gazu.project.add_person_to_team(project, artist, client=admin)
    password = "artist-password-1"
    server.manage("change-password", artist["email"], "--password", password)
    artist_client = gazu.client.create_client(server.url)
    gazu.log_in(artist["email"], password, client=artist_client)
    assert [p["id"] for p in gazu.project.all_open_projects(client=artist_client)] \
        == [project["id"]]
    layout = _named("task-types", "Layout", admin)
    with pytest.raises(NotAllowedException):
        gazu.project.add_task_type(project, layout, 1, client=artist_client)
