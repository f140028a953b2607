"""Edits (behaviours.md row 10): editorial cuts under an optional episode."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.entity import Entity
from app.models.events import ApiEvent
from tests import factories as f
from tests.test_shots_permissions import REFUSED_WRITE, WRITERS, expected


@pytest.fixture
def admin(client):
    return f.signed_in(client, "admin")[1]


def ids(rows):
    return [row["id"] for row in rows]


def test_edits_are_created_once_under_their_episode_and_listed(client, admin):
    project = f.project()
    episode = f.temporal(project, "Episode")
    base = f"/data/projects/{project.id}/edits"
    made = client.post(base, headers=admin, json={
        "name": "Animatic", "episode_id": str(episode.id), "data": {"fps": 24},
        "description": "First cut"})
    assert made.status_code == 201
    edit = made.json
    assert (edit["type"], edit["parent_id"], edit["episode_name"]) == (
        "Edit", str(episode.id), episode.name)
    assert edit["fps"] == 24 and edit["description"] == "First cut"
    # gazu names the episode parent_id.
    again = client.post(base, json={"name": "Animatic", "parent_id": str(episode.id)},
                        headers=admin)
    assert again.json["id"] == edit["id"]
    loose = client.post(base, json={"name": "Trailer"}, headers=admin).json
    assert loose["parent_id"] is None
    assert ids(client.get(base, headers=admin).json) == [edit["id"], loose["id"]]
    assert ids(client.get(f"/data/edits?project_id={project.id}", headers=admin).json) == [
        edit["id"], loose["id"]]
    assert ids(client.get(f"/data/edits/all?project_id={project.id}&name=trailer",
                          headers=admin).json) == [loose["id"]]
    assert ids(client.get(f"/data/episodes/{episode.id}/edits", headers=admin).json) == [
        edit["id"]]
    with_tasks = client.get(f"/data/edits/with-tasks?project_id={project.id}"
                            f"&episode_id={episode.id}", headers=admin).json
    assert ids(with_tasks) == [edit["id"]] and with_tasks[0]["tasks"] == []
    got = client.get(f"/data/edits/{edit['id']}", headers=admin).json
    assert got["name"] == "Animatic" and got["type"] == "Edit"
    assert client.get(f"/data/edits/{edit['id']}/versions", headers=admin).json == []
    names = [e.data["edit_id"] for e in db.session.scalars(select(ApiEvent).where(
        ApiEvent.name == "edit:new", ApiEvent.project_id == project.id))]
    assert sorted(names) == sorted([edit["id"], loose["id"]])


def test_an_edit_is_not_a_shot(client, admin):
    project = f.project()
    edit = f.temporal(project, "Edit")
    shot = f.temporal(project, "Shot")
    assert client.get(f"/data/edits/{shot.id}", headers=admin).status_code == 404
    assert client.get(f"/data/shots/{edit.id}", headers=admin).status_code == 404
    assert client.post(f"/data/projects/{project.id}/edits", headers=admin, json={
        "name": "X", "episode_id": str(shot.id)}).status_code == 404


def test_delete_cancels_an_edit_with_tasks_unless_forced(client, admin):
    project = f.project()
    edit = f.temporal(project, "Edit")
    edit_id = edit.id
    f.task(project, edit)
    assert client.delete(f"/data/edits/{edit_id}", headers=admin).status_code == 204
    assert db.session.get(Entity, edit_id).canceled is True
    assert client.delete(f"/data/edits/{edit_id}?force=true", headers=admin).status_code == 204
    db.session.expire_all()
    assert db.session.get(Entity, edit_id) is None


@pytest.mark.parametrize("who", WRITERS + REFUSED_WRITE)
def test_creating_and_deleting_edits_needs_a_project_manager(client, who):
    project = f.project()
    edit = f.temporal(project, "Edit")
    _, headers = f.on_team(client, project, who)
    status = client.post(f"/data/projects/{project.id}/edits", json={"name": "Cut"},
                         headers=headers).status_code
    assert status == (expected(who, WRITERS) or 201)
    status = client.delete(f"/data/edits/{edit.id}", headers=headers).status_code
    assert status == (expected(who, WRITERS) or 204)


@pytest.mark.parametrize("who", ("manager", "supervisor", "user", "client", "vendor", "bot"))
def test_edits_of_other_productions_are_refused(client, who):
    project = f.project()
    edit = f.temporal(project, "Edit")
    _, headers = f.caller(client, who)
    assert client.get(f"/data/projects/{project.id}/edits", headers=headers).status_code == 403
    assert client.get(f"/data/edits/{edit.id}", headers=headers).status_code == 403
    assert client.get("/data/edits", headers=headers).json == []


def test_vendors_see_the_edits_they_work_on(client):
    project = f.project()
    vendor, headers = f.on_team(client, project, "vendor")
    mine, other = f.temporal(project, "Edit"), f.temporal(project, "Edit")
    f.task(project, mine, assignees=[vendor])
    assert ids(client.get(f"/data/projects/{project.id}/edits", headers=headers).json) == [
        str(mine.id)]
    assert ids(client.get(f"/data/edits/with-tasks?project_id={project.id}",
                          headers=headers).json) == [str(mine.id)]
    assert client.get(f"/data/edits/{other.id}", headers=headers).status_code == 403
    assert client.get(f"/data/edits/{mine.id}", headers=headers).status_code == 200
