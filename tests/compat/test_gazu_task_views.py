"""gazu 1.3.1's task reading functions (gazu.task and gazu.user) against a real
server: what an artist's pipeline tool reads of the work assigned to them,
and what a supervisor's script reads of the studio's tasks."""
import gazu
import pytest
from gazu.exception import NotAllowedException

from tests.compat.conftest import named

def _ids(rows):
    return sorted(row["id"] for row in rows)


def test_an_artist_browses_what_is_assigned_to_them(production):
    p, artist = production, production["client"]
    assert [pr["id"] for pr in gazu.user.all_open_projects(client=artist)] == [
        p["project"]["id"]]
    todo = gazu.user.all_tasks_to_do(client=artist)
    assert _ids(todo) == _ids([p["asset_task"], p["shot_task"]])
    shot_row = next(t for t in todo if t["id"] == p["shot_task"]["id"])
    assert (shot_row["entity_name"], shot_row["sequence_name"], shot_row["task_type_name"],
            shot_row["project_name"]) == ("SH010", "SQ01", "Layout", p["project"]["name"])
    assert gazu.user.all_done_tasks(client=artist) == []
    assert [t["id"] for t in gazu.user.all_asset_types_for_project(
        p["project"], client=artist)] == [p["prop"]["id"]]
    assert [a["id"] for a in gazu.user.all_assets_for_asset_type_and_project(
        p["project"], p["prop"], client=artist)] == [p["asset"]["id"]]
    assert [t["id"] for t in gazu.user.all_tasks_for_asset(p["asset"], client=artist)] == [
        p["asset_task"]["id"]]
    assert [t["id"] for t in gazu.user.all_task_types_for_asset(
        p["asset"], client=artist)] == [p["modeling"]["id"]]
    assert [s["id"] for s in gazu.user.all_sequences_for_project(
        p["project"], client=artist)] == [p["sequence"]["id"]]
    assert [s["id"] for s in gazu.user.all_shots_for_sequence(
        p["sequence"], client=artist)] == [p["shot"]["id"]]
    assert [t["id"] for t in gazu.user.all_tasks_for_shot(p["shot"], client=artist)] == [
        p["shot_task"]["id"]]
    assert [t["id"] for t in gazu.user.all_task_types_for_shot(
        p["shot"], client=artist)] == [p["layout"]["id"]]
    assert gazu.user.all_tasks_requiring_feedback(client=artist) == []


def test_reading_tasks_in_full_and_per_person(admin, production):
    p, artist = production, production["client"]
    full = gazu.task.get_task(p["shot_task"], client=artist)
    assert (full["id"], full["entity"]["id"], full["sequence"]["id"], full["task_type"]["name"],
            full["task_status"]["name"], [person["id"] for person in full["persons"]]) == (
        p["shot_task"]["id"], p["shot"]["id"], p["sequence"]["id"], "Layout", "Todo",
        [p["artist"]["id"]])
    assert _ids(gazu.task.all_tasks_for_person(p["artist"], client=admin)) == _ids(
        [p["asset_task"], p["shot_task"]])
    assert gazu.task.all_done_tasks_for_person(p["artist"], client=artist) == []
    assert _ids(gazu.task.all_tasks_for_person_and_type(p["artist"], p["layout"],
                                                        client=admin)) == _ids(
        [p["shot_task"], p["spare"]])
    assert [t["id"] for t in gazu.task.all_tasks_for_entity_and_task_type(
        p["asset"], p["layout"], client=artist)] == [p["spare"]["id"]]
    assert gazu.task.all_previews_for_task(p["asset_task"], client=artist) == []
    todo = named("task-status", "Todo", artist)
    assert _ids(gazu.task.all_tasks_for_task_status(p["project"], p["layout"], todo,
                                                    client=artist)) == _ids(
        [p["shot_task"], p["spare"]])
    project_tasks = gazu.task.all_tasks_for_project(p["project"], client=artist)
    assert _ids(project_tasks) == _ids([p["asset_task"], p["shot_task"], p["spare"]])


def test_open_tasks_and_the_team_schedule(admin, production):
    p, artist = production, production["client"]
    open_tasks = gazu.task.all_open_tasks(client=artist)
    assert _ids(open_tasks["data"]) == _ids([p["asset_task"], p["shot_task"], p["spare"]])
    assert open_tasks["stats"]["total"] == 3
    stats = gazu.task.get_open_tasks_stats(client=artist)
    assert stats[p["project"]["id"]]["amount"] == 3
    dates = gazu.task.get_persons_tasks_dates(client=admin)
    assert p["artist"]["id"] in [d["person_id"] for d in dates]
    with pytest.raises(NotAllowedException):
        gazu.task.get_persons_tasks_dates(client=artist)
