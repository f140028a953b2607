"""Logging time on tasks (behaviours.md row 16, section 2.3 "Time spent
write"): who may log, the one row per (person, task, day), the task's
duration kept as the sum, and the raw time-spents collection."""
import datetime
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.person import Person
from app.models.task import Task
from app.models.timesheet import TimeSpent
from tests import factories as f

DAY = "2031-03-10"


def _url(task, person, date=DAY, add=False):
    return f"/actions/tasks/{task.id}/time-spents/{date}/persons/{person.id}" + (
        "/add" if add else "")


def duration_of(task):
    return db.session.scalar(select(Task.duration).where(Task.id == task.id))


def rows_of(task):
    return db.session.execute(select(TimeSpent.person_id, TimeSpent.date, TimeSpent.duration)
                              .where(TimeSpent.task_id == task.id)
                              .order_by(TimeSpent.date)).all()


def events(name):
    return db.session.scalars(select(ApiEvent).where(ApiEvent.name == name)).all()


@pytest.fixture
def setup(client):
    project = f.project()
    artist, artist_headers = f.on_team(client, project, "user")
    task = f.task(project, assignees=[artist])
    return project, task, artist, artist_headers


def test_an_assignee_sets_adds_and_deletes_their_time(client, setup):
    project, task, artist, headers = setup
    created = client.post(_url(task, artist), json={"duration": 120}, headers=headers)
    assert created.status_code == 201
    assert (created.json["type"], created.json["task_id"], created.json["person_id"],
            created.json["date"], created.json["duration"]) == (
        "TimeSpent", str(task.id), str(artist.id), DAY, 120.0)
    assert duration_of(task) == 120
    added = client.post(_url(task, artist, add=True), json={"duration": 30}, headers=headers)
    assert added.status_code == 201 and added.json["id"] == created.json["id"]
    assert added.json["duration"] == 150
    client.post(_url(task, artist, "2031-03-11"), json={"duration": 45}, headers=headers)
    assert duration_of(task) == 195
    reset = client.post(_url(task, artist), json={"duration": 60}, headers=headers)
    assert reset.json["duration"] == 60 and duration_of(task) == 105
    assert len(rows_of(task)) == 2

    removed = client.delete(_url(task, artist), headers=headers)
    assert removed.status_code == 201 and removed.json["id"] == created.json["id"]
    assert rows_of(task) == [(artist.id, datetime.date(2031, 3, 11), 45.0)]
    assert duration_of(task) == 45
    assert client.delete(_url(task, artist), headers=headers).status_code == 404

    assert [e.data["time_spent_id"] for e in events("time-spent:new")].count(
        created.json["id"]) == 1
    assert [e.data["time_spent_id"] for e in events("time-spent:update")] == [
        created.json["id"]] * 2
    assert [e.data["time_spent_id"] for e in events("time-spent:delete")] == [
        created.json["id"]]
    task_updates = events("task:update")
    assert len(task_updates) == 5 and {e.data["task_id"] for e in task_updates} == {
        str(task.id)}
    assert {e.project_id for e in task_updates} == {project.id}


def test_the_first_log_marks_the_person_present(client, setup):
    _, task, artist, headers = setup
    client.post(_url(task, artist, "2031-03-12"), json={"duration": 10}, headers=headers)
    client.post(_url(task, artist, "2031-03-01"), json={"duration": 10}, headers=headers)
    assert db.session.scalar(select(Person.last_presence).where(Person.id == artist.id)) == \
        datetime.date(2031, 3, 12)


@pytest.mark.parametrize("caller,allowed", [
    ("admin", True), ("manager", True), ("supervisor", False), ("user", False),
    ("client", False), ("vendor", False), ("bot", False)])
def test_who_logs_time_for_an_assignee(client, setup, caller, allowed):
    project, task, artist, _ = setup
    _, headers = f.on_team(client, project, caller)
    response = client.post(_url(task, artist), json={"duration": 30}, headers=headers)
    assert response.status_code == (201 if allowed else 403), response.json
    assert duration_of(task) == (30 if allowed else 0)
    assert client.delete(_url(task, artist), headers=headers).status_code == (
        201 if allowed else 403)


def test_a_manager_of_another_production_cannot_log(client, setup):
    _, task, artist, _ = setup
    _, outsider = f.on_team(client, f.project(), "manager")
    assert client.post(_url(task, artist), json={"duration": 30},
                       headers=outsider).status_code == 403
    assert client.get(f"/actions/tasks/{task.id}/time-spents",
                      headers=outsider).status_code == 403


def test_time_is_logged_only_for_assignees(client, setup):
    project, task, _, _ = setup
    other, other_headers = f.on_team(client, project, "user")
    assert client.post(_url(task, other), json={"duration": 30},
                       headers=other_headers).status_code == 403
    admin = f.caller(client, "admin")[1]
    assert client.post(_url(task, other), json={"duration": 30},
                       headers=admin).status_code == 403
    assert rows_of(task) == []


def test_bots_log_time_only_with_bot_collaboration(client):
    project = f.project()
    bot, headers = f.on_team(client, project, "bot")
    task = f.task(project, assignees=[bot])
    assert client.post(_url(task, bot), json={"duration": 30}, headers=headers).status_code \
        == 403
    project.is_bot_collaboration_enabled = True
    db.session.commit()
    assert client.post(_url(task, bot), json={"duration": 30}, headers=headers).status_code \
        == 201
    assert duration_of(task) == 30
    assert client.delete(_url(task, bot), headers=headers).status_code == 201


@pytest.mark.parametrize("body", [{"duration": 0}, {"duration": -5}, {}, {"duration": "x"}])
def test_a_duration_must_be_positive(client, setup, body):
    _, task, artist, headers = setup
    for add in (False, True):
        response = client.post(_url(task, artist, add=add), json=body, headers=headers)
        assert response.status_code == 400 and response.json["error"] is True
    assert rows_of(task) == []


@pytest.mark.parametrize("date", ["2031-13-01", "yesterday", "2031-02-30"])
def test_a_bad_date_is_refused(client, setup, date):
    _, task, artist, headers = setup
    assert client.post(_url(task, artist, date), json={"duration": 5},
                       headers=headers).status_code == 400
    assert client.delete(_url(task, artist, date), headers=headers).status_code == 400
    assert client.get(f"/actions/tasks/{task.id}/time-spents/{date}",
                      headers=headers).status_code == 400


def test_unknown_task_or_person(client, setup):
    _, task, artist, headers = setup
    other_task = f"/actions/tasks/{uuid.uuid4()}/time-spents/{DAY}/persons/{artist.id}"
    assert client.post(other_task, json={"duration": 5}, headers=headers).status_code == 404
    admin = f.caller(client, "admin")[1]
    missing = f"/actions/tasks/{task.id}/time-spents/{DAY}/persons/{uuid.uuid4()}"
    assert client.post(missing, json={"duration": 5}, headers=admin).status_code == 404


def test_a_task_time_spents_per_person_and_total(client, setup):
    project, task, artist, headers = setup
    other = f.member(project)
    task.assignees.append(other)
    db.session.commit()
    f.time_spent(task, artist, date=datetime.date(2031, 3, 10), duration=60)
    f.time_spent(task, artist, date=datetime.date(2031, 3, 11), duration=30)
    f.time_spent(task, other, date=datetime.date(2031, 3, 10), duration=15)
    everything = client.get(f"/actions/tasks/{task.id}/time-spents", headers=headers).json
    assert everything["total"] == 105
    assert [r["duration"] for r in everything[str(artist.id)]] == [60, 30]
    assert [r["duration"] for r in everything[str(other.id)]] == [15]
    day = client.get(f"/actions/tasks/{task.id}/time-spents/2031-03-11", headers=headers).json
    assert day == {"total": 30, str(artist.id): [everything[str(artist.id)][1]]}


@pytest.mark.parametrize("caller,allowed", [
    ("admin", True), ("manager", True), ("supervisor", True), ("user", True),
    ("client", True), ("vendor", False), ("anonymous", False)])
def test_who_reads_a_task_time(client, setup, caller, allowed):
    project, task, _, _ = setup
    _, headers = f.on_team(client, project, caller)
    response = client.get(f"/actions/tasks/{task.id}/time-spents", headers=headers)
    assert response.status_code == (200 if allowed else 401 if caller == "anonymous" else 403)


# The raw collection ------------------------------------------------------------------

def test_raw_writes_keep_the_task_duration(client, setup):
    project, task, artist, artist_headers = setup
    admin = f.caller(client, "admin")[1]
    created = client.post("/data/time-spents", json={
        "task_id": str(task.id), "person_id": str(artist.id), "date": DAY, "duration": 40},
        headers=admin)
    assert created.status_code == 201
    assert duration_of(task) == 40
    assert client.post("/data/time-spents", json={
        "task_id": str(task.id), "person_id": str(artist.id), "date": DAY, "duration": 5},
        headers=admin).status_code == 400
    row_url = f"/data/time-spents/{created.json['id']}"
    assert client.put(row_url, json={"duration": 90}, headers=admin).status_code == 200
    assert duration_of(task) == 90

    other_task = f.task(project, assignees=[artist])
    f.time_spent(other_task, artist, duration=10)
    moved = client.put(row_url, json={"task_id": str(other_task.id)}, headers=admin)
    assert moved.status_code == 200
    assert (duration_of(task), duration_of(other_task)) == (0, 100)

    assert client.put(row_url, json={"duration": 1}, headers=artist_headers).status_code == 403
    assert client.delete(row_url, headers=artist_headers).status_code == 204
    assert duration_of(other_task) == 10


@pytest.mark.parametrize("caller", ["manager", "supervisor", "user", "client", "vendor"])
def test_the_raw_collection_is_for_admins(client, setup, caller):
    project, task, artist, _ = setup
    _, headers = f.on_team(client, project, caller)
    row = f.time_spent(task, artist)
    assert client.get("/data/time-spents", headers=headers).status_code == 403
    assert client.get(f"/data/time-spents/{row.id}", headers=headers).status_code == 403
    assert client.post("/data/time-spents", json={
        "task_id": str(task.id), "person_id": str(artist.id), "date": DAY, "duration": 5},
        headers=headers).status_code == 403
    deleted = client.delete(f"/data/time-spents/{row.id}", headers=headers)
    # Deleting follows the write rule: the production's managers may.
    assert deleted.status_code == (204 if caller == "manager" else 403)
    assert db.session.scalar(select(func.count()).select_from(TimeSpent).where(
        TimeSpent.id == row.id)) == (0 if caller == "manager" else 1)


def test_an_admin_deletes_the_time_of_a_former_assignee(client, setup):
    project, task, artist, artist_headers = setup
    row = f.time_spent(task, artist, duration=25)
    task.duration = 25
    task.assignees = []
    db.session.commit()
    assert client.delete(f"/data/time-spents/{row.id}", headers=artist_headers).status_code \
        == 403
    _, manager = f.on_team(client, project, "manager")
    assert client.delete(f"/data/time-spents/{row.id}", headers=manager).status_code == 403
    admin = f.caller(client, "admin")[1]
    assert client.delete(f"/data/time-spents/{row.id}", headers=admin).status_code == 204
    assert duration_of(task) == 0


def test_the_raw_list_takes_a_date_range(client, setup):
    _, task, artist, _ = setup
    _, headers = f.signed_in(client, "admin")
    for day in (1, 10, 20):
        f.time_spent(task, artist, date=datetime.date(2031, 3, day))
    response = client.get("/data/time-spents?start_date=2031-03-05&end_date=2031-03-20"
                          f"&task_id={task.id}", headers=headers)
    assert sorted(r["date"] for r in response.json) == ["2031-03-10", "2031-03-20"]
    response = client.get("/data/time-spents?start_date=March", headers=headers)
    assert response.status_code == 400


def test_locked_timesheets_keep_artists_off_old_days(client, setup):
    from app.services import organisation

    project, task, artist, artist_headers = setup
    _, manager_headers = f.on_team(client, project, "manager")
    organisation.get_row().timesheets_locked = True
    db.session.commit()
    today = datetime.date.today()
    old = (today - datetime.timedelta(days=10)).isoformat()
    response = client.post(_url(task, artist, old), json={"duration": 60}, headers=artist_headers)
    assert response.status_code == 403 and "locked" in response.json["message"]
    assert client.post(_url(task, artist, today.isoformat()), json={"duration": 60},
                       headers=artist_headers).status_code == 201
    assert client.post(_url(task, artist, old), json={"duration": 90},
                       headers=manager_headers).status_code == 201
    assert client.delete(_url(task, artist, old), headers=artist_headers).status_code == 403
    assert rows_of(task) == [(artist.id, today - datetime.timedelta(days=10), 90.0),
                             (artist.id, today, 60.0)]
