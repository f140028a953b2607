"""gazu 1.3.1's gazu.shot and gazu.edit against a real server: what a
pipeline script does to lay out a production's breakdown."""
import uuid

import gazu
import pytest
from gazu.exception import RouteNotFoundException

from tests.compat.conftest import unique


@pytest.fixture
def project(admin):
    return gazu.project.new_project(unique("Breakdown"), production_type="tvshow",
                                    client=admin)


def test_episodes_sequences_and_shots_are_made_once_and_found(admin, project):
    episode = gazu.shot.new_episode(project, "E02", client=admin)
    assert (episode["type"], episode["name"]) == ("Episode", "E02")
    assert gazu.shot.new_episode(project, "E02", client=admin)["id"] == episode["id"]
    sequence = gazu.shot.new_sequence(project, "SQ01", episode=episode, client=admin)
    assert sequence["parent_id"] == episode["id"]
    shot = gazu.shot.new_shot(project, sequence, "SH010", nb_frames=48, frame_in=101,
                              frame_out=148, data={"look": "night"}, client=admin)
    assert (shot["type"], shot["parent_id"], shot["nb_frames"]) == ("Shot", sequence["id"], 48)
    assert shot["data"] == {"frame_in": 101, "frame_out": 148, "look": "night"}
    assert gazu.shot.new_shot(project, sequence, "SH010", client=admin)["id"] == shot["id"]
    assert gazu.shot.get_shot_by_name(sequence, "SH010", client=admin)["id"] == shot["id"]
    assert gazu.shot.get_sequence_by_name(project, "SQ01", episode=episode,
                                          client=admin)["id"] == sequence["id"]
    assert gazu.shot.get_episode_by_name(project, "E02", client=admin)["id"] == episode["id"]
    assert [s["id"] for s in gazu.shot.all_shots_for_project(project, client=admin)] == [
        shot["id"]]
    assert [s["id"] for s in gazu.shot.all_shots_for_sequence(sequence, client=admin)] == [
        shot["id"]]
    assert [s["id"] for s in gazu.shot.all_shots_for_episode(episode, client=admin)] == [
        shot["id"]]
    assert [s["id"] for s in gazu.shot.all_sequences_for_episode(episode, client=admin)] == [
        sequence["id"]]
    assert {e["name"] for e in gazu.shot.all_episodes_for_project(project, client=admin)} == {
        "E01", "E02"}
    fetched = gazu.shot.get_shot(shot["id"], client=admin)
    assert (fetched["sequence_name"], fetched["episode_name"]) == ("SQ01", "E02")
    assert gazu.shot.get_sequence_from_shot(shot, client=admin)["id"] == sequence["id"]


def test_updates_and_removal(admin, project):
    sequence = gazu.shot.new_sequence(project, "SQ02", client=admin)
    shot = gazu.shot.new_shot(project, sequence, "SH020", frame_in=1, client=admin)
    shot["description"] = "Close up"
    updated = gazu.shot.update_shot(shot, client=admin)
    assert updated["description"] == "Close up"
    merged = gazu.shot.update_shot_data(shot, {"frame_out": 30}, client=admin)
    assert merged["data"] == {"frame_in": 1, "frame_out": 30}
    assert gazu.shot.get_shot(shot["id"], client=admin)["frame_out"] == 30

    task_type = gazu.client.fetch_first("task-types", {"name": "Layout"}, client=admin)
    status = gazu.client.fetch_first("task-status", {"name": "Todo"}, client=admin)
    gazu.client.create("tasks", {
        "name": "main", "project_id": project["id"], "entity_id": shot["id"],
        "task_type_id": task_type["id"], "task_status_id": status["id"]}, client=admin)
    gazu.shot.remove_shot(shot, client=admin)
    assert gazu.shot.get_shot(shot["id"], client=admin)["canceled"] is True
    gazu.shot.remove_shot(shot, force=True, client=admin)
    with pytest.raises(RouteNotFoundException):
        gazu.shot.get_shot(shot["id"], client=admin)
    gazu.shot.remove_sequence(sequence, client=admin)
    assert gazu.shot.all_sequences_for_project(project, client=admin) == []


def test_unknown_ids_are_not_found(admin):
    missing = str(uuid.uuid4())
    for call in (gazu.shot.get_shot, gazu.shot.get_sequence, gazu.shot.get_episode,
                 gazu.edit.get_edit):
        with pytest.raises(RouteNotFoundException):
            call(missing, client=admin)


def test_edits(admin, project):
    episode = gazu.shot.get_episode_by_name(project, "E01", client=admin)
    edit = gazu.edit.new_edit(project, "Animatic", description="First cut", episode=episode,
                              client=admin)
    assert (edit["type"], edit["parent_id"]) == ("Edit", episode["id"])
    assert gazu.edit.new_edit(project, "Animatic", episode=episode,
                              client=admin)["id"] == edit["id"]
    assert gazu.edit.get_edit_by_name(project, "Animatic", client=admin)["id"] == edit["id"]
    assert [e["id"] for e in gazu.edit.all_edits_for_project(project, client=admin)] == [
        edit["id"]]
    assert gazu.edit.get_edit(edit["id"], client=admin)["description"] == "First cut"
    gazu.edit.update_edit_data(edit, {"fps": 24}, client=admin)
    assert gazu.edit.get_edit(edit["id"], client=admin)["data"] == {"fps": 24}
    gazu.edit.remove_edit(edit, client=admin)
    with pytest.raises(RouteNotFoundException):
        gazu.edit.get_edit(edit["id"], client=admin)
