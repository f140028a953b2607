"""Who may read and write shots, sequences, episodes and scenes."""
import pytest

from app.extensions import db
from app.models.entity import Entity
from tests import factories as f

WRITERS = ("admin", "manager")
REFUSED_WRITE = ("supervisor", "user", "client", "vendor", "bot", "anonymous")




@pytest.fixture
def prod():
    project = f.project()
    episode = f.temporal(project, "Episode")
    sequence = f.temporal(project, "Sequence", episode)
    shot = f.temporal(project, "Shot", sequence)
    scene = f.temporal(project, "Scene", sequence)
    return {"project": project, "episode": episode, "sequence": sequence, "shot": shot,
            "scene": scene}


def expected(who, allowed):
    if who == "anonymous":
        return 401
    return None if who in allowed else 403


@pytest.mark.parametrize("who", WRITERS + REFUSED_WRITE)
def test_creating_needs_a_project_manager(client, prod, who):
    _, headers = f.on_team(client, prod["project"], who)
    base = f"/data/projects/{prod['project'].id}"
    for path, body in (("shots", {"name": "N", "sequence_id": str(prod["sequence"].id)}),
                       ("sequences", {"name": "N"}), ("episodes", {"name": "N"}),
                       ("scenes", {"name": "N", "sequence_id": str(prod["sequence"].id)})):
        status = client.post(f"{base}/{path}", json=body, headers=headers).status_code
        assert status == (expected(who, WRITERS) or 201), path


@pytest.mark.parametrize("who", WRITERS + REFUSED_WRITE)
def test_updating_a_shot_and_linking_scenes_need_a_project_manager(client, prod, who):
    _, headers = f.on_team(client, prod["project"], who)
    shot, scene = prod["shot"], prod["scene"]
    status = client.put(f"/data/shots/{shot.id}", json={"nb_frames": 3},
                        headers=headers).status_code
    assert status == (expected(who, WRITERS) or 200)
    status = client.post(f"/data/scenes/{scene.id}/shots", json={"shot_id": str(shot.id)},
                         headers=headers).status_code
    assert status == (expected(who, WRITERS) or 201)
    status = client.delete(f"/data/scenes/{scene.id}/shots/{shot.id}",
                           headers=headers).status_code
    assert status == (expected(who, WRITERS) or 204)


@pytest.mark.parametrize("who", WRITERS + REFUSED_WRITE)
def test_deleting_needs_a_project_manager_or_the_creator(client, prod, who):
    _, headers = f.on_team(client, prod["project"], who)
    for kind in ("shot", "scene", "sequence", "episode"):
        row = prod[kind]
        status = client.delete(f"/data/{kind}s/{row.id}", headers=headers).status_code
        # A vendor has no task on them: the rows are hidden from them.
        assert status == (expected(who, WRITERS) or 204), kind


def test_the_creator_on_the_team_may_delete_their_shot(client, prod):
    artist, headers = f.on_team(client, prod["project"], "user")
    mine = f.temporal(prod["project"], "Shot", prod["sequence"], created_by=artist.id)
    assert client.delete(f"/data/shots/{prod['shot'].id}", headers=headers).status_code == 403
    assert client.delete(f"/data/shots/{mine.id}", headers=headers).status_code == 204


def read_urls(prod):
    """A GET of each route reading one production's breakdown."""
    project, shot, scene = prod["project"].id, prod["shot"].id, prod["scene"].id
    sequence, episode = prod["sequence"].id, prod["episode"].id
    return [
        f"/data/projects/{project}/shots", f"/data/projects/{project}/sequences",
        f"/data/projects/{project}/episodes", f"/data/projects/{project}/scenes",
        f"/data/projects/{project}/episodes/stats",
        f"/data/shots/with-tasks?project_id={project}",
        f"/data/sequences/with-tasks?project_id={project}",
        f"/data/episodes/with-tasks?project_id={project}",
        f"/data/scenes/with-tasks?project_id={project}",
        f"/data/shots/{shot}", f"/data/shots/{shot}/versions", f"/data/shots/{shot}/tasks",
        f"/data/shots/{shot}/task-types", f"/data/shots/{shot}/assets",
        f"/data/shots/{shot}/preview-files", f"/data/projects/{project}/episodes/retake-stats",
        f"/data/sequences/{sequence}", f"/data/sequences/{sequence}/shots",
        f"/data/sequences/{sequence}/scenes", f"/data/sequences/{sequence}/tasks",
        f"/data/sequences/{sequence}/task-types", f"/data/sequences/{sequence}/shot-tasks",
        f"/data/episodes/{episode}", f"/data/episodes/{episode}/sequences",
        f"/data/episodes/{episode}/shots", f"/data/episodes/{episode}/tasks",
        f"/data/episodes/{episode}/task-types", f"/data/episodes/{episode}/shot-tasks",
        f"/data/episodes/{episode}/asset-tasks",
        f"/data/scenes/{scene}", f"/data/scenes/{scene}/shots", f"/data/scenes/{scene}/tasks",
        f"/data/scenes/{scene}/task-types",
    ]


@pytest.mark.parametrize("who", ("manager", "supervisor", "user", "client", "bot"))
def test_the_team_reads_everything(client, prod, who):
    _, headers = f.on_team(client, prod["project"], who)
    for url in read_urls(prod):
        refused = who == "client" and url.endswith("/retake-stats")
        assert client.get(url, headers=headers).status_code == (403 if refused else 200), url
    assert [r["id"] for r in client.get(f"/data/projects/{prod['project'].id}/episodes",
                                        headers=headers).json] == [str(prod["episode"].id)]


@pytest.mark.parametrize("who", ("manager", "supervisor", "user", "client", "vendor", "bot"))
def test_off_the_team_nothing_is_readable(client, prod, who):
    _, headers = f.caller(client, who)
    for url in read_urls(prod):
        assert client.get(url, headers=headers).status_code == 403, url
    for url in ("/data/shots", "/data/shots/all", "/data/sequences", "/data/episodes",
                "/data/scenes/all", "/data/episodes/with-tasks", "/data/shots/with-tasks"):
        assert client.get(url, headers=headers).json == [], url


def test_anonymous_callers_are_refused(client, prod):
    for url in read_urls(prod) + ["/data/shots", "/data/scenes/all"]:
        assert client.get(url).status_code == 401, url


def test_vendors_see_only_what_holds_their_tasks_and_what_it_sits_in(client, prod):
    project = prod["project"]
    vendor, headers = f.on_team(client, project, "vendor")
    other_sequence = f.temporal(project, "Sequence", prod["episode"])
    hidden = f.temporal(project, "Shot", other_sequence)
    f.task(project, prod["shot"], assignees=[vendor])
    f.task(project, hidden)
    listed = client.get(f"/data/projects/{project.id}/shots", headers=headers).json
    assert [r["id"] for r in listed] == [str(prod["shot"].id)]
    assert [r["id"] for r in client.get("/data/shots", headers=headers).json] == [
        str(prod["shot"].id)]
    assert [r["id"] for r in client.get(f"/data/projects/{project.id}/sequences",
                                        headers=headers).json] == [str(prod["sequence"].id)]
    assert [r["id"] for r in client.get(f"/data/projects/{project.id}/episodes",
                                        headers=headers).json] == [str(prod["episode"].id)]
    with_tasks = client.get(f"/data/shots/with-tasks?project_id={project.id}",
                            headers=headers).json
    assert [r["id"] for r in with_tasks] == [str(prod["shot"].id)]
    assert client.get(f"/data/shots/{prod['shot'].id}", headers=headers).status_code == 200
    assert client.get(f"/data/shots/{hidden.id}", headers=headers).status_code == 403
    f.task(project, prod["shot"])
    assert len(client.get(f"/data/shots/{prod['shot'].id}/tasks", headers=headers).json) == 1


def test_vendors_do_not_see_other_departments_metadata(client, prod):
    project = prod["project"]
    vendor, headers = f.on_team(client, project, "vendor")
    f.task(project, prod["shot"], assignees=[vendor])
    theirs = f.metadata_descriptor(project, entity_type="Shot", field_name="secret")
    theirs.departments = [f.department()]
    db.session.get(Entity, prod["shot"].id).data = {"secret": 1, "open": 2}
    db.session.commit()
    listed = client.get(f"/data/projects/{project.id}/shots", headers=headers).json
    assert listed[0]["data"] == {"open": 2}
