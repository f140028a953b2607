"""/data/user/... task views (app/blueprints/data/user_tasks.py): the caller's
to-do list, done tasks, the feedback requests to check and the productions,
entities, tasks and task types of what is assigned to them."""
import datetime

import pytest

from app.extensions import db
from tests import factories as f

MISSING = "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"


def _urls(project, sequence, shot, scene, asset):
    return [
        "/data/user/tasks", "/data/user/done-tasks", "/data/user/tasks-to-check",
        "/data/user/tasks-to-check/filter-values", "/data/user/projects/open",
        f"/data/user/projects/{project.id}/asset-types",
        f"/data/user/projects/{project.id}/asset-types/{asset.entity_type_id}/assets",
        f"/data/user/projects/{project.id}/episodes",
        f"/data/user/projects/{project.id}/sequences",
        f"/data/user/sequences/{sequence.id}/shots", f"/data/user/sequences/{sequence.id}/scenes",
        f"/data/user/sequences/{sequence.id}/tasks",
        f"/data/user/sequences/{sequence.id}/task-types",
        f"/data/user/shots/{shot.id}/tasks", f"/data/user/shots/{shot.id}/task-types",
        f"/data/user/scenes/{scene.id}/tasks", f"/data/user/scenes/{scene.id}/task-types",
        f"/data/user/assets/{asset.id}/tasks", f"/data/user/assets/{asset.id}/task-types",
    ]


def _breakdown(project):
    episode = f.temporal(project, "Episode")
    sequence = f.temporal(project, "Sequence", parent=episode)
    shot = f.temporal(project, "Shot", parent=sequence)
    scene = f.temporal(project, "Scene", parent=sequence)
    return episode, sequence, shot, scene, f.asset(project)


@pytest.mark.parametrize("who", ("bot", "anonymous"))
def test_bots_and_strangers_are_refused_everywhere(client, who):
    project = f.project()
    _, sequence, shot, scene, asset = _breakdown(project)
    _, headers = f.on_team(client, project, who)
    for url in _urls(project, sequence, shot, scene, asset):
        expected = 401 if who == "anonymous" else 403
        assert client.get(url, headers=headers).status_code == expected, url


def test_every_view_shows_only_what_is_assigned_to_the_caller(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    episode, sequence, shot, scene, asset = _breakdown(project)
    other_shot = f.temporal(project, "Shot", parent=sequence)
    other_sequence = f.temporal(project, "Sequence", parent=episode)
    f.temporal(project, "Shot", parent=other_sequence)
    layout, modeling = f.task_type(), f.task_type()
    shot_task = f.task(project, entity=shot, task_type_=layout, assignees=[artist])
    f.task(project, entity=shot, task_type_=modeling)  # not theirs
    f.task(project, entity=other_shot, task_type_=layout)
    scene_task = f.task(project, entity=scene, task_type_=layout, assignees=[artist])
    sequence_task = f.task(project, entity=sequence, task_type_=modeling, assignees=[artist])
    asset_task = f.task(project, entity=asset, task_type_=modeling, assignees=[artist])
    f.task(project, entity=f.asset(project))  # another asset type, not theirs

    def ids(url):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.json)
        return [row["id"] for row in response.json]

    assert ids(f"/data/user/projects/{project.id}/episodes") == [str(episode.id)]
    assert ids(f"/data/user/projects/{project.id}/sequences") == [str(sequence.id)]
    assert ids(f"/data/user/sequences/{sequence.id}/shots") == [str(shot.id)]
    assert ids(f"/data/user/sequences/{sequence.id}/scenes") == [str(scene.id)]
    assert ids(f"/data/user/shots/{shot.id}/tasks") == [str(shot_task.id)]
    assert ids(f"/data/user/shots/{shot.id}/task-types") == [str(layout.id)]
    assert ids(f"/data/user/scenes/{scene.id}/tasks") == [str(scene_task.id)]
    assert ids(f"/data/user/sequences/{sequence.id}/tasks") == [str(sequence_task.id)]
    assert ids(f"/data/user/sequences/{sequence.id}/task-types") == [str(modeling.id)]
    assert ids(f"/data/user/assets/{asset.id}/tasks") == [str(asset_task.id)]
    assert ids(f"/data/user/assets/{asset.id}/task-types") == [str(modeling.id)]
    types = client.get(f"/data/user/projects/{project.id}/asset-types", headers=headers).json
    assert [(t["id"], t["type"]) for t in types] == [(str(asset.entity_type_id), "AssetType")]
    assets = client.get(f"/data/user/projects/{project.id}/asset-types/"
                        f"{asset.entity_type_id}/assets", headers=headers).json
    assert [(a["id"], a["type"]) for a in assets] == [(str(asset.id), "Asset")]
    todo = ids("/data/user/tasks")
    assert sorted(todo) == sorted(str(t.id) for t in (shot_task, scene_task, sequence_task,
                                                      asset_task))


def test_user_views_of_a_production_one_is_not_on(client):
    project = f.project()
    _, sequence, shot, scene, asset = _breakdown(project)
    _, headers = f.signed_in(client, "user")
    for url in _urls(project, sequence, shot, scene, asset)[5:]:
        assert client.get(url, headers=headers).status_code == 403, url


def test_user_views_of_unknown_or_wrong_kinds(client):
    project = f.project()
    _, sequence, shot, _, asset = _breakdown(project)
    _, headers = f.on_team(client, project, "user")
    for url in (f"/data/user/shots/{asset.id}/tasks", f"/data/user/assets/{shot.id}/tasks",
                f"/data/user/sequences/{shot.id}/shots", f"/data/user/shots/{MISSING}/tasks",
                f"/data/user/projects/{project.id}/asset-types/{sequence.entity_type_id}/assets",
                f"/data/user/projects/{project.id}/asset-types/{MISSING}/assets"):
        assert client.get(url, headers=headers).status_code == 404, url
    assert client.get("/data/user/shots/nope/tasks", headers=headers).status_code == 400


# To-do and done ---------------------------------------------------------------------------

def test_the_to_do_list(client):
    project = f.project(production_type="tvshow")
    artist, headers = f.on_team(client, project, "user")
    episode, sequence, shot, _, asset = _breakdown(project)
    status = f.task_status(name="WIP here", short_name="wiph", color="#ff0000")
    task = f.task(project, entity=shot, assignees=[artist], task_status_id=status.id,
                  due_date=datetime.datetime(2030, 2, 1), estimation=3)
    asset_task = f.task(project, entity=asset, assignees=[artist])
    f.entity_link(episode, asset)  # the asset is cast in the episode
    f.task(project, entity=shot, assignees=[artist],
           task_status_id=f.task_status(is_done=True).id)
    f.task(project, entity=shot)  # someone else's
    closed = f.project(status="Closed", team=[artist])
    f.task(closed, assignees=[artist])
    elsewhere = f.project()
    f.task(elsewhere, assignees=[artist])  # assigned but off the team
    body = client.get("/data/user/tasks", headers=headers).json
    assert sorted(t["id"] for t in body) == sorted([str(task.id), str(asset_task.id)])
    row = next(t for t in body if t["id"] == str(task.id))
    assert (row["project_name"], row["entity_name"], row["entity_type_name"],
            row["sequence_name"], row["episode_name"], row["task_status_name"],
            row["task_status_short_name"], row["task_status_color"], row["task_due_date"],
            row["task_estimation"], row["assignees"], row["last_comment"]) == (
        project.name, shot.name, "Shot", sequence.name, episode.name, "WIP here", "wiph",
        "#ff0000", "2030-02-01T00:00:00", 3, [str(artist.id)], {})
    cast = next(t for t in body if t["id"] == str(asset_task.id))
    assert (cast["episode_ids"], cast["episode_names"]) == ([str(episode.id)], [episode.name])


def test_the_done_list(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    done = f.task_status(is_done=True)
    task = f.task(project, assignees=[artist], task_status_id=done.id)
    f.task(project, assignees=[artist])
    assert [t["id"] for t in client.get("/data/user/done-tasks", headers=headers).json] \
        == [str(task.id)]


def test_a_big_to_do_list(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    sequence = f.temporal(project, "Sequence")
    layout = f.task_type()
    made = f.task_views_shot_tasks(project, sequence, 300, task_type_=layout,
                                   assignees=[artist])
    other = f.project(team=[artist])
    f.task_views_shot_tasks(other, f.temporal(other, "Sequence"), 20)  # nobody's
    body = client.get("/data/user/tasks", headers=headers).json
    assert [t["id"] for t in body] == [str(t.id) for t in made]  # by entity name


def test_the_last_comment_is_the_newest_not_by_a_client_of_the_production(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    task = f.task(project, assignees=[artist])
    quiet = f.task(project, assignees=[artist])
    studio_client = f.member(project, "user", project_role="client")
    f.comment(task, artist, text="older", created_at=datetime.datetime(2030, 1, 4, 9, 0))
    f.comment(task, artist, text="mine", created_at=datetime.datetime(2030, 1, 5, 9, 0, 30))
    f.comment(task, studio_client, text="theirs",
              created_at=datetime.datetime(2030, 1, 6, 9, 0))
    f.comment(quiet, studio_client, text="only theirs")
    body = {t["id"]: t for t in client.get("/data/user/tasks", headers=headers).json}
    assert body[str(task.id)]["last_comment"] == {
        "text": "mine", "date": "2030-01-05T09:00:30", "person_id": str(artist.id)}
    assert body[str(quiet.id)]["last_comment"] == {}


def test_a_per_project_client_role_hides_the_other_assignees(client):
    project = f.project()
    person, headers = f.on_team(client, project, "user")
    other = f.project(team=[(person, "client")])
    f.task(other, assignees=[person, f.member(other)])
    mine = f.task(project, assignees=[person, f.member(project)])
    body = {t["id"]: t for t in client.get("/data/user/tasks", headers=headers).json}
    assert len(body) == 2
    assert len(body[str(mine.id)]["assignees"]) == 2
    assert [t["assignees"] for i, t in body.items() if i != str(mine.id)] == [[]]


# To check ----------------------------------------------------------------------------------

def _feedback_tasks(project, departments):
    """A feedback-request task per department (and one without), plus a task
    on another status."""
    review = f.task_status(is_feedback_request=True)
    made = {}
    for department in departments + [None]:
        task_type = f.task_type(department_id=department.id if department else None)
        made[department.id if department else None] = f.task(
            project, task_type_=task_type, task_status_id=review.id)
    f.task(project)
    return review, made


CHECK_COUNTS = {"admin": 3, "manager": 3, "supervisor": 1, "user": 0, "client": 0,
                "vendor": 0}


@pytest.mark.parametrize("who", CHECK_COUNTS)
def test_who_checks_which_feedback_requests(client, who):
    project = f.project()
    mine, other = f.department(), f.department()
    review, made = _feedback_tasks(project, [mine, other])
    person, headers = f.on_team(client, project, who)
    person.departments = [mine]
    db.session.commit()
    body = client.get("/data/user/tasks-to-check", headers=headers).json
    assert len(body) == CHECK_COUNTS[who]
    if who == "supervisor":
        assert body[0]["id"] == str(made[mine.id].id)
    values = client.get("/data/user/tasks-to-check/filter-values", headers=headers).json
    expected = [str(project.id)] if CHECK_COUNTS[who] else []
    assert values["project_ids"] == expected
    assert values["task_status_ids"] == ([str(review.id)] if CHECK_COUNTS[who] else [])


def test_tasks_to_check_filters_pages_and_orders(client):
    project = f.project()
    manager, headers = f.on_team(client, project, "manager")
    artist = f.member(project)
    review = f.task_status(is_feedback_request=True)
    layout = f.task_type()
    sequence = f.temporal(project, "Sequence")
    made = [f.task(project, task_type_=layout, task_status_id=review.id, priority=n % 4,
                   estimation=n, assignees=[artist] if n % 2 else [],
                   entity=f.temporal(project, "Shot", parent=sequence, name=f"SH{n:03d}"))
            for n in range(30)]
    page = client.get("/data/user/tasks-to-check?page=2&limit=10", headers=headers).json
    assert (page["page"], page["limit"], page["is_more"], page["stats"]) == (
        2, 10, True, {"total": 30, "total_duration": 0, "total_estimation": sum(range(30))})
    assert [t["id"] for t in page["data"]] == [str(t.id) for t in made[10:20]]
    by_estimation = client.get("/data/user/tasks-to-check?order_by=estimation",
                               headers=headers).json
    assert [t["task_estimation"] for t in by_estimation][:3] == [29, 28, 27]
    by_priority = client.get("/data/user/tasks-to-check?order_by=priority",
                             headers=headers).json
    assert [t["priority"] for t in by_priority][:8] == [3] * 7 + [2]
    pages = [client.get(f"/data/user/tasks-to-check?order_by=priority&page={n}&limit=7",
                        headers=headers).json["data"] for n in range(1, 6)]
    assert [t["id"] for page in pages for t in page] == [t["id"] for t in by_priority]
    theirs = client.get(f"/data/user/tasks-to-check?person_id={artist.id}",
                        headers=headers).json
    assert len(theirs) == 15
    assert len(client.get("/data/user/tasks-to-check?person_id=unassigned",
                          headers=headers).json) == 15
    values = client.get("/data/user/tasks-to-check/filter-values", headers=headers).json
    assert values["person_ids"] == [str(artist.id)]
    for bad in ("project_id=nope", "person_id=nope", "due_date_since=soon", "page=x"):
        assert client.get(f"/data/user/tasks-to-check?{bad}",
                          headers=headers).status_code == 400, bad


def test_user_open_projects(client):
    project = f.project()
    f.project()
    f.project(status="Closed")
    _, headers = f.on_team(client, project, "vendor")
    body = client.get("/data/user/projects/open", headers=headers).json
    assert [p["id"] for p in body] == [str(project.id)]
    named = client.get(f"/data/user/projects/open?name={project.name}", headers=headers).json
    assert [p["id"] for p in named] == [str(project.id)]


def test_a_vendor_does_not_get_other_departments_metadata(client):
    project = f.project()
    vendor, headers = f.on_team(client, project, "vendor")
    ours, theirs = f.department(), f.department()
    vendor.departments = [ours]
    secret = f.metadata_descriptor(project, entity_type="Shot", field_name="budget_note")
    secret.departments = [theirs]
    f.metadata_descriptor(project, entity_type="Shot", field_name="look")
    db.session.commit()
    sequence = f.temporal(project, "Sequence")
    shot = f.temporal(project, "Shot", parent=sequence,
                      data={"budget_note": "tight", "look": "night"})
    f.task(project, entity=shot, assignees=[vendor])
    shots = client.get(f"/data/user/sequences/{sequence.id}/shots", headers=headers).json
    assert shots[0]["data"] == {"look": "night"}
    todo = client.get("/data/user/tasks", headers=headers).json
    assert todo[0]["entity_data"] == {"look": "night"}
