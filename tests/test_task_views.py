"""Read views of tasks (app/services/task_views.py, app/blueprints/data/tasks.py):
one task in full, its previews, an entity's tasks of a type, a person's
tasks, the open tasks with stats and burndown, the team schedule dates and
a production's lists, against every kind of caller."""
import datetime

import pytest

from app.extensions import db
from app.models.entity import Entity
from app.models.events import Notification, Subscription
from app.models.settings import TaskType
from tests import factories as f

MISSING = "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"


def _day(n):
    return datetime.datetime(2030, 1, n, 9, 0)


def _shot_task(project, assignees=(), **values):
    """A task on a shot of a sequence of an episode: (task, shot, sequence, episode)."""
    episode = f.temporal(project, "Episode")
    sequence = f.temporal(project, "Sequence", parent=episode)
    shot = f.temporal(project, "Shot", parent=sequence)
    task = f.task(project, entity=shot, assignees=assignees, **values)
    return task, shot, sequence, episode


# GET /data/tasks/<id>/full ---------------------------------------------------------

FULL_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 200, "client": 200,
               "vendor": 403, "bot": 403, "anonymous": 401}


@pytest.mark.parametrize("who", f.CALLERS)
def test_a_full_task_and_who_reads_it(client, who):
    project = f.project()
    artist, manager = f.member(project), f.member(project, "manager")
    task, shot, sequence, episode = _shot_task(project, assignees=[artist],
                                               assigner_id=manager.id, due_date=_day(9))
    person, headers = f.caller(client, who)
    if person is not None and who not in ("admin", "bot"):
        f.join_team(project, person)
    response = client.get(f"/data/tasks/{task.id}/full", headers=headers)
    assert response.status_code == FULL_STATUS[who], response.json
    if response.status_code != 200:
        return
    body = response.json
    assert (body["id"], body["type"], body["entity"]["id"], body["entity"]["type"],
            body["entity_type"]["name"], body["project"]["id"], body["task_type"]["id"],
            body["task_status"]["id"], body["sequence"]["id"], body["episode"]["id"],
            body["is_subscribed"]) == (
        str(task.id), "Task", str(shot.id), "Shot", "Shot", str(project.id),
        str(task.task_type_id), str(task.task_status_id), str(sequence.id), str(episode.id),
        False)
    if who == "client":
        assert (body["assignees"], body["persons"], body["due_date"], body["assigner_id"]) \
            == ([], [], None, None)
        assert "assigner" not in body
    else:
        assert (body["assignees"], [p["id"] for p in body["persons"]], body["due_date"],
                body["assigner"]["id"]) == ([str(artist.id)], [str(artist.id)],
                                            "2030-01-09T09:00:00", str(manager.id))


def test_a_vendor_reads_the_full_task_assigned_to_them(client):
    project = f.project()
    vendor, headers = f.on_team(client, project, "vendor")
    task = f.task(project, assignees=[vendor])
    f.row(Subscription, person_id=vendor.id, task_id=task.id)
    body = client.get(f"/data/tasks/{task.id}/full", headers=headers).json
    assert (body["id"], body["is_subscribed"], body["persons"][0]["id"]) == (
        str(task.id), True, str(vendor.id))
    assert "sequence" not in body  # an asset has none


def test_full_task_bad_ids(client):
    _, headers = f.signed_in(client, "admin")
    assert client.get(f"/data/tasks/{MISSING}/full", headers=headers).status_code == 404
    assert client.get("/data/tasks/nope/full", headers=headers).status_code == 400


def test_outsiders_do_not_read_a_task(client):
    project = f.project()
    task = f.task(project)
    _, headers = f.signed_in(client, "manager")
    assert client.get(f"/data/tasks/{task.id}/full", headers=headers).status_code == 403
    assert client.get(f"/data/tasks/{task.id}/previews", headers=headers).status_code == 403


# GET /data/tasks/<id>/previews --------------------------------------------------------

def test_previews_newest_first_and_clients_miss_the_rejected(client):
    project = f.project()
    vendor = f.member(project, "vendor")
    task = f.task(project, assignees=[vendor])
    old = f.preview_file(task, revision=1)
    rejected = f.preview_file(task, revision=2, validation_status="rejected")
    new = f.preview_file(task, revision=3)
    _, manager = f.on_team(client, project, "manager")
    _, client_ = f.on_team(client, project, "client")
    _, outsider_vendor = f.on_team(client, project, "vendor")
    ids = [p["id"] for p in client.get(f"/data/tasks/{task.id}/previews",
                                       headers=manager).json]
    assert ids == [str(new.id), str(rejected.id), str(old.id)]
    ids = [p["id"] for p in client.get(f"/data/tasks/{task.id}/previews",
                                       headers=client_).json]
    assert ids == [str(new.id), str(old.id)]
    assert client.get(f"/data/tasks/{task.id}/previews",
                      headers=outsider_vendor).status_code == 403


# GET /data/entities/<id>/task-types/<id>/tasks -------------------------------------------

def test_an_entitys_tasks_of_a_type(client):
    project = f.project()
    asset, modeling = f.asset(project), f.task_type()
    vendor = f.member(project, "vendor")
    main = f.task(project, entity=asset, task_type_=modeling, name="main",
                  assignees=[vendor], due_date=_day(3))
    extra = f.task(project, entity=asset, task_type_=modeling, name="extra")
    f.task(project, entity=asset)  # another task type
    url = f"/data/entities/{asset.id}/task-types/{modeling.id}/tasks"
    _, manager = f.on_team(client, project, "manager")
    body = client.get(url, headers=manager).json
    assert [(t["id"], t["due_date"]) for t in body] == [
        (str(extra.id), None), (str(main.id), "2030-01-03T09:00:00")]
    _, client_ = f.on_team(client, project, "client")
    body = client.get(url, headers=client_).json
    assert [(t["id"], t["due_date"]) for t in body] == [(str(extra.id), None),
                                                         (str(main.id), None)]
    vendor_headers = f.bearer(f.login(client, vendor.email).json["access_token"])
    assert [t["id"] for t in client.get(url, headers=vendor_headers).json] == [str(main.id)]
    _, outsider = f.signed_in(client, "user")
    assert client.get(url, headers=outsider).status_code == 403


# GET /data/persons/<id>/tasks, done-tasks, related-tasks -----------------------------------

def test_a_persons_tasks_carry_their_context(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    client_person = f.member(project, "client")
    task, shot, sequence, episode = _shot_task(project, assignees=[artist], estimation=5)
    f.comment(task, artist, text="first")
    f.comment(task, artist, text="mine", created_at=_day(5))
    f.comment(task, client_person, text="from the client", created_at=_day(6))
    done = f.task(project, assignees=[artist], task_status_id=f.task_status(is_done=True).id)
    f.task(project)  # not assigned
    body = client.get(f"/data/persons/{artist.id}/tasks", headers=headers).json
    assert len(body) == 1
    row = body[0]
    assert (row["id"], row["project_name"], row["entity_id"], row["entity_name"],
            row["entity_type_name"], row["sequence_name"], row["episode_id"],
            row["episode_name"], row["task_estimation"], row["task_type_name"],
            row["assignees"], row["last_comment"]["text"], row["last_comment"]["person_id"]) \
        == (str(task.id), project.name, str(shot.id), shot.name, "Shot", sequence.name,
            str(episode.id), episode.name, 5, db.session.get(TaskType, task.task_type_id).name,
            [str(artist.id)], "mine", str(artist.id))
    done_body = client.get(f"/data/persons/{artist.id}/done-tasks", headers=headers).json
    assert [t["id"] for t in done_body] == [str(done.id)]


PERSON_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 200, "client": 403,
                 "vendor": 403, "bot": 200, "anonymous": 401}


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_reads_another_persons_tasks(client, who):
    project = f.project()
    artist = f.member(project)
    task = f.task(project, assignees=[artist])
    other_project = f.project()
    f.task(other_project, assignees=[artist])  # a production the caller is not on
    _, headers = f.on_team(client, project, who)
    for path in ("tasks", "done-tasks", f"related-tasks/{task.task_type_id}"):
        response = client.get(f"/data/persons/{artist.id}/{path}", headers=headers)
        assert response.status_code == PERSON_STATUS[who], (path, response.json)
    if PERSON_STATUS[who] == 200:
        ids = [t["id"] for t in client.get(f"/data/persons/{artist.id}/tasks",
                                           headers=headers).json]
        # Admins see every open production, the others theirs.
        assert len(ids) == (2 if who == "admin" else 1) and str(task.id) in ids


def test_vendors_and_clients_read_their_own_tasks(client):
    project = f.project()
    for role in ("vendor", "client"):
        person, headers = f.on_team(client, project, role)
        task = f.task(project, assignees=[person])
        assert [t["id"] for t in client.get(f"/data/persons/{person.id}/tasks",
                                            headers=headers).json] == [str(task.id)]


def test_person_tasks_of_a_bot_or_nobody(client):
    bot, _ = f.caller(client, "bot")
    _, headers = f.signed_in(client, "admin")
    assert client.get(f"/data/persons/{bot.id}/tasks", headers=headers).status_code == 403
    assert client.get(f"/data/persons/{MISSING}/tasks", headers=headers).status_code == 404
    assert client.get("/data/persons/nope/tasks", headers=headers).status_code == 400


def test_related_tasks_are_the_type_on_the_persons_entities(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    modeling, rigging = f.task_type(), f.task_type()
    asset, elsewhere = f.asset(project), f.asset(project)
    f.task(project, entity=asset, task_type_=modeling, assignees=[artist])
    rig = f.task(project, entity=asset, task_type_=rigging)
    f.task(project, entity=elsewhere, task_type_=rigging)
    body = client.get(f"/data/persons/{artist.id}/related-tasks/{rigging.id}",
                      headers=headers).json
    assert [t["id"] for t in body] == [str(rig.id)]


def test_done_tasks_latest_first(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    done = f.task_status(is_done=True)
    older = f.task(project, assignees=[artist], task_status_id=done.id, end_date=_day(1))
    newer = f.task(project, assignees=[artist], task_status_id=done.id, end_date=_day(2))
    closed = f.project(status="Closed", team=[artist])
    f.task(closed, assignees=[artist], task_status_id=done.id)
    body = client.get(f"/data/persons/{artist.id}/done-tasks", headers=headers).json
    assert [t["id"] for t in body] == [str(newer.id), str(older.id)]


# GET /data/tasks/open-tasks (+ stats, burndown) -----------------------------------------------

def test_open_tasks_pages_and_stats(client):
    project = f.project()
    _, headers = f.on_team(client, project, "manager")
    artist = f.member(project)
    todo, wip = f.task_status(), f.task_status()
    layout = f.task_type()
    sequence = f.temporal(project, "Sequence")
    made = f.task_views_shot_tasks(project, sequence, 60, task_type_=layout,
                                   task_status_=todo, estimation=2, duration=1)
    for n, task in enumerate(made):
        task.task_status_id = (todo if n % 3 else wip).id
        task.assignees = [artist] if n < 10 else []
    db.session.commit()
    f.task(f.project())  # another production
    body = client.get("/data/tasks/open-tasks?limit=25&page=2", headers=headers).json
    assert (len(body["data"]), body["limit"], body["page"], body["is_more"]) == (25, 25, 2, True)
    assert [t["entity_name"] for t in body["data"]] == [f"SH{n:03d}" for n in range(25, 50)]
    assert (body["stats"]["total"], body["stats"]["total_estimation"],
            body["stats"]["total_duration"]) == (60, 120, 60)
    assert sorted((s["task_status_id"], s["amount"]) for s in body["stats"]["status"]) == \
        sorted([(str(todo.id), 40), (str(wip.id), 20)])
    row = body["data"][0]
    assert (row["type_name"], row["status_name"], row["sequence_name"]) == (
        layout.name, todo.name if 25 % 3 else wip.name, sequence.name)
    last = client.get("/data/tasks/open-tasks?limit=25&page=3", headers=headers).json
    assert (len(last["data"]), last["is_more"]) == (10, False)
    mine = client.get(f"/data/tasks/open-tasks?person_id={artist.id}&task_status_id={wip.id}",
                      headers=headers).json
    assert mine["stats"]["total"] == 4  # n in 0, 3, 6, 9
    unassigned = client.get("/data/tasks/open-tasks?person_id=unassigned", headers=headers).json
    assert unassigned["stats"]["total"] == 50
    stats = client.get("/data/tasks/open-tasks/stats", headers=headers).json
    assert list(stats) == [str(project.id)]
    assert (stats[str(project.id)]["amount"], stats[str(project.id)]["total_estimation"],
            len(stats[str(project.id)]["task_types"])) == (60, 120, 2)


def test_open_tasks_pages_follow_one_order_with_ties_by_id(client):
    project = f.project()
    _, headers = f.on_team(client, project, "manager")
    layout = f.task_type()
    sequence = f.temporal(project, "Sequence")
    made = f.task_views_shot_tasks(project, sequence, 6, task_type_=layout)
    # Same shot, same task type: equal on every name, ordered by id.
    made += [f.task(project, entity=db.session.get(Entity, made[n].entity_id),
                    task_type_=layout) for n in (1, 1, 4)]
    whole = client.get(f"/data/tasks/open-tasks?project_id={project.id}",
                       headers=headers).json["data"]
    entity_names = {str(t.id): db.session.get(Entity, t.entity_id).name for t in made}
    expected = sorted(entity_names, key=lambda i: (entity_names[i], i))
    assert [t["id"] for t in whole] == expected
    pages = [client.get(f"/data/tasks/open-tasks?project_id={project.id}&limit=4&page={n}",
                        headers=headers).json for n in (1, 2, 3)]
    assert [t["id"] for page in pages for t in page["data"]] == expected
    assert [(len(p["data"]), p["is_more"]) for p in pages] == [(4, True), (4, True), (1, False)]


def test_open_tasks_stats_past_the_last_page_and_of_nothing(client):
    project = f.project()
    _, headers = f.on_team(client, project, "manager")
    todo = f.task_status()
    made = [f.task(project, task_status_id=todo.id, estimation=3, duration=n) for n in (1, 2)]
    url = f"/data/tasks/open-tasks?project_id={project.id}"
    past = client.get(f"{url}&limit=1&page=5", headers=headers).json
    assert (past["data"], past["is_more"], past["page"], past["stats"]) == (
        [], False, 5, {"total": 2, "total_duration": 3, "total_estimation": 6,
                       "status": [{"task_status_id": str(todo.id), "amount": 2}]})
    assert len(made) == 2
    none = client.get(f"{url}&task_status_id={f.task_status().id}", headers=headers).json
    assert (none["data"], none["is_more"], none["stats"]) == (
        [], False, {"total": 0, "total_duration": 0, "total_estimation": 0, "status": []})


def test_open_tasks_filters_reject_bad_values(client):
    _, headers = f.signed_in(client, "admin")
    for query in ("project_id=nope", "person_id=nope", "start_date=tomorrow", "limit=0",
                  "priority=high"):
        assert client.get(f"/data/tasks/open-tasks?{query}",
                          headers=headers).status_code == 400, query


def test_open_tasks_of_a_production_one_is_not_on(client):
    _, headers = f.signed_in(client, "manager")
    project = f.project()
    assert client.get(f"/data/tasks/open-tasks?project_id={project.id}",
                      headers=headers).status_code == 403


@pytest.mark.parametrize("who", ("supervisor", "user", "client", "vendor"))
def test_vendors_and_clients_see_only_their_open_tasks(client, who):
    project = f.project()
    person, headers = f.on_team(client, project, who)
    mine = f.task(project, assignees=[person])
    f.task(project, assignees=[f.member(project)])
    body = client.get("/data/tasks/open-tasks", headers=headers).json
    expected = 1 if who in ("client", "vendor") else 2
    assert body["stats"]["total"] == expected
    assert str(mine.id) in [t["id"] for t in body["data"]]
    if who == "client":
        assert body["data"][0]["assignees"] == []


def test_the_open_tasks_burndown(client):
    project = f.project(start_date=datetime.date(2030, 1, 1),
                        end_date=datetime.date(2030, 3, 1))
    _, headers = f.on_team(client, project, "manager")
    f.task(project, start_date=_day(10), due_date=_day(20), estimation=4)
    f.task(project, estimation=2, done_date=datetime.datetime(2029, 12, 1))  # early: folded
    f.task(project, estimation=3, done_date=_day(12))
    body = client.get(f"/data/tasks/open-tasks/burndown?project_id={project.id}",
                      headers=headers).json
    assert body == {"total": 3, "total_estimation": 9, "start_date": "2030-01-10",
                    "end_date": "2030-01-20", "done_by_day": [
                        {"date": "2030-01-10", "done": 1, "done_estimation": 2},
                        {"date": "2030-01-12", "done": 1, "done_estimation": 3}]}


# GET /data/persons/task-dates -----------------------------------------------------------

TASK_DATES_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 403,
                     "client": 403, "vendor": 403, "bot": 403, "anonymous": 401}


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_reads_the_team_schedule(client, who):
    project = f.project()
    artist = f.member(project)
    f.task(project, assignees=[artist], start_date=_day(2), due_date=_day(8))
    f.task(project, assignees=[artist], start_date=_day(1), due_date=_day(4))
    other = f.project()
    f.task(other, assignees=[artist], start_date=_day(10), due_date=_day(12))
    f.task(other, assignees=[artist], start_date=_day(11), due_date=_day(15))
    _, headers = f.on_team(client, project, who)
    response = client.get("/data/persons/task-dates", headers=headers)
    assert response.status_code == TASK_DATES_STATUS[who], response.json
    if response.status_code != 200:
        return
    entry = next(e for e in response.json if e["person_id"] == str(artist.id))
    if who == "admin":
        assert (entry["min_date"], entry["max_date"], entry["busy_periods"]) == (
            "2030-01-01T09:00:00", "2030-01-15T09:00:00", [])
    else:
        assert (entry["min_date"], entry["max_date"], entry["busy_periods"]) == (
            "2030-01-01T09:00:00", "2030-01-08T09:00:00",
            [{"start_date": "2030-01-10T09:00:00", "end_date": "2030-01-15T09:00:00"}])
    scoped = client.get(f"/data/persons/task-dates?project_id={other.id}", headers=headers)
    assert scoped.status_code == (200 if who == "admin" else 403)
    assert client.get("/data/persons/task-dates?project_id=", headers=headers).json == \
        response.json
    assert client.get("/data/persons/task-dates?project_id=nope",
                      headers=headers).status_code == 400


# GET /data/projects/<id>/tasks ------------------------------------------------------------

PROJECT_TASKS_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 200,
                        "client": 200, "vendor": 200, "bot": 200, "anonymous": 401}


@pytest.mark.parametrize("who", f.CALLERS)
def test_a_productions_tasks(client, who):
    project = f.project()
    artist = f.member(project)
    person, headers = f.on_team(client, project, who)
    made = [f.task(project, assignees=[artist], due_date=_day(5)) for _ in range(3)]
    if who == "vendor":
        made = [f.task(project, assignees=[person])]
    f.task(f.project())
    response = client.get(f"/data/projects/{project.id}/tasks", headers=headers)
    assert response.status_code == PROJECT_TASKS_STATUS[who], response.json
    if response.status_code != 200:
        return
    body = response.json
    assert sorted(t["id"] for t in body) == sorted(str(t.id) for t in made)
    expected = {"vendor": ([str(person.id)] if person else None, None),
                "client": ([], None)}.get(who, ([str(artist.id)], "2030-01-05T09:00:00"))
    assert (body[0]["assignees"], body[0]["due_date"]) == expected


def test_a_big_productions_tasks_whole_paged_and_filtered(client):
    project = f.project()
    artist = f.member(project)
    _, headers = f.on_team(client, project, "supervisor")
    layout = f.task_type()
    episode = f.temporal(project, "Episode")
    sequence = f.temporal(project, "Sequence", parent=episode)
    made = f.task_views_shot_tasks(project, sequence, 250, task_type_=layout,
                                   assignees=[artist])
    other = f.task(project)  # no episode, another task type
    body = client.get(f"/data/projects/{project.id}/tasks", headers=headers).json
    assert len(body) == 251
    assert {t["id"] for t in body} == {str(t.id) for t in made} | {str(other.id)}
    assert all(t["assignees"] == [str(artist.id)] for t in body if t["id"] != str(other.id))
    page = client.get(f"/data/projects/{project.id}/tasks?page=3", headers=headers).json
    assert (page["total"], page["nb_pages"], page["page"], len(page["data"])) == (251, 3, 3, 51)
    by_type = client.get(f"/data/projects/{project.id}/tasks?task_type_id={layout.id}",
                         headers=headers).json
    assert len(by_type) == 250
    by_episode = client.get(f"/data/projects/{project.id}/tasks?episode_id={episode.id}",
                            headers=headers).json
    assert len(by_episode) == 250
    assert client.get(f"/data/projects/{project.id}/tasks?episode_id={MISSING}",
                      headers=headers).json == []


def test_a_client_reads_a_productions_tasks_blanked(client):
    from app.services.task_views import CLIENT_BLANK

    project = f.project()
    artist, manager = f.member(project), f.member(project, "manager")
    _, client_headers = f.on_team(client, project, "client")
    _, manager_headers = f.on_team(client, project, "manager")
    task = f.task(project, assignees=[artist], assigner_id=manager.id, priority=2,
                  difficulty=4, estimation=5, duration=6, retake_count=1, completion_rate=50,
                  nb_assets_ready=2, nb_drawings=3, start_date=_day(1), due_date=_day(9),
                  real_start_date=_day(2), end_date=_day(8), done_date=_day(8),
                  last_comment_date=_day(7), data={"bid_days": 2})
    url = f"/data/projects/{project.id}/tasks"
    studio = client.get(url, headers=manager_headers).json
    assert (studio[0]["id"], studio[0]["priority"], studio[0]["assignees"]) == (
        str(task.id), 2, [str(artist.id)])
    expected = {**studio[0], **{k: v for k, v in CLIENT_BLANK.items() if k in studio[0]}}
    whole = client.get(url, headers=client_headers).json
    assert whole == [expected]
    assert list(whole[0]) == list(studio[0])
    assert (whole[0]["due_date"], whole[0]["duration"], whole[0]["assigner_id"],
            whole[0]["assignees"], whole[0]["data"]) == (None, 0, None, [], {"bid_days": 2})
    paged = client.get(f"{url}?page=1", headers=client_headers).json
    assert (paged["data"], paged["total"]) == ([expected], 1)


def test_a_productions_tasks_for_outsiders(client):
    project = f.project()
    _, headers = f.signed_in(client, "manager")
    assert client.get(f"/data/projects/{project.id}/tasks", headers=headers).status_code == 403
    _, admin = f.signed_in(client, "admin")
    assert client.get(f"/data/projects/{MISSING}/tasks", headers=admin).status_code == 404


# Admin lists of a production -----------------------------------------------------------------

@pytest.mark.parametrize("who", f.CALLERS)
def test_a_productions_notifications_previews_and_subscriptions(client, who):
    project = f.project()
    artist = f.member(project)
    task = f.task(project, assignees=[artist])
    comment = f.comment(task, artist)
    notification = f.row(Notification, person_id=artist.id, author_id=artist.id,
                         task_id=task.id, comment_id=comment.id, type="comment")
    preview = f.preview_file(task)
    subscription = f.row(Subscription, person_id=artist.id, task_id=task.id)
    other = f.task(f.project())
    f.preview_file(other)
    _, headers = f.on_team(client, project, who)
    expected = {"notifications": notification, "preview-files": preview,
                "subscriptions": subscription}
    for name, row in expected.items():
        response = client.get(f"/data/projects/{project.id}/{name}", headers=headers)
        status = 200 if who == "admin" else 401 if who == "anonymous" else 403
        assert response.status_code == status, (name, response.json)
        if status == 200:
            assert [r["id"] for r in response.json] == [str(row.id)]
            page = client.get(f"/data/projects/{project.id}/{name}?page=1",
                              headers=headers).json
            assert (page["total"], page["data"][0]["id"]) == (1, str(row.id))
