"""Days off (behaviours.md row 16, section 2.3 "Day off", 2.4 day-offs):
written by the person or an admin, never overlapping, wiping the time
logged inside them; read by the person, admins, their managers (with the
description) and supervisors (dates only)."""
import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.task import Task
from app.models.timesheet import TimeSpent
from tests import factories as f


def _day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def team(client):
    """An artist of department A on a production, with a task and some time."""
    department = f.department()
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    artist.departments = [department]
    db.session.commit()
    task = f.task(project, assignees=[artist])
    return {"project": project, "artist": artist, "headers": headers, "task": task,
            "department": department}


def _log(task, person, date, duration):
    f.time_spent(task, person, date=_day(date), duration=duration)
    task.duration = db.session.scalar(select(db.func.sum(TimeSpent.duration)).where(
        TimeSpent.task_id == task.id))
    db.session.commit()


def _time(task):
    return db.session.execute(select(TimeSpent.person_id, TimeSpent.date).where(
        TimeSpent.task_id == task.id).order_by(TimeSpent.date)).all()


def _duration(task):
    return db.session.scalar(select(Task.duration).where(Task.id == task.id))


def _new(client, headers, person, date, end_date, **extra):
    return client.post("/data/day-offs", json={
        "person_id": str(person.id), "date": date, "end_date": end_date, **extra},
        headers=headers)


def test_a_day_off_wipes_the_time_logged_inside_it(client, team):
    artist, task = team["artist"], team["task"]
    other = f.member(team["project"])
    task.assignees.append(other)
    for date in ("2031-06-01", "2031-06-02", "2031-06-04", "2031-06-05"):
        _log(task, artist, date, 10)
    _log(task, other, "2031-06-02", 5)
    created = _new(client, team["headers"], artist, "2031-06-02", "2031-06-04",
                   description="Holidays")
    assert created.status_code == 201, created.json
    assert (created.json["type"], created.json["description"]) == ("DayOff", "Holidays")
    assert _time(task) == [(artist.id, _day("2031-06-01")), (other.id, _day("2031-06-02")),
                           (artist.id, _day("2031-06-05"))]
    assert _duration(task) == 25
    deleted = db.session.scalars(select(ApiEvent).where(
        ApiEvent.name == "time-spent:delete")).all()
    assert len(deleted) == 2 and {e.project_id for e in deleted} == {team["project"].id}
    assert db.session.scalars(select(ApiEvent.data).where(
        ApiEvent.name == "task:update")).all() == [{"task_id": str(task.id),
                                                    "project_id": str(team["project"].id)}]

    moved = client.put(f"/data/day-offs/{created.json['id']}",
                       json={"end_date": "2031-06-05"}, headers=team["headers"])
    assert moved.status_code == 200 and moved.json["end_date"] == "2031-06-05"
    assert _time(task) == [(artist.id, _day("2031-06-01")), (other.id, _day("2031-06-02"))]
    assert _duration(task) == 15


def test_days_off_never_overlap(client, team):
    artist, headers = team["artist"], team["headers"]
    first = _new(client, headers, artist, "2031-07-10", "2031-07-12")
    assert first.status_code == 201
    for start, end in (("2031-07-12", "2031-07-15"), ("2031-07-08", "2031-07-10"),
                       ("2031-07-11", "2031-07-11"), ("2031-07-01", "2031-07-31")):
        refused = _new(client, headers, artist, start, end)
        assert refused.status_code == 400 and "already exists" in refused.json["message"]
    second = _new(client, headers, artist, "2031-07-13", "2031-07-13")
    assert second.status_code == 201
    assert client.put(f"/data/day-offs/{second.json['id']}", json={"date": "2031-07-12"},
                      headers=headers).status_code == 400
    # Moving within its own span is no overlap.
    assert client.put(f"/data/day-offs/{first.json['id']}", json={"date": "2031-07-09"},
                      headers=headers).status_code == 200
    # Another person's leave may share the days.
    admin = f.caller(client, "admin")[1]
    assert _new(client, admin, f.member(team["project"]), "2031-07-10",
                "2031-07-12").status_code == 201


def test_a_day_off_cannot_end_before_it_starts(client, team):
    refused = _new(client, team["headers"], team["artist"], "2031-07-10", "2031-07-09")
    assert refused.status_code == 400
    created = _new(client, team["headers"], team["artist"], "2031-07-10", "2031-07-10")
    assert client.put(f"/data/day-offs/{created.json['id']}", json={"end_date": "2031-07-01"},
                      headers=team["headers"]).status_code == 400
    assert _new(client, team["headers"], team["artist"], "2031-07-20",
                None).status_code == 400


@pytest.mark.parametrize("caller", ["manager", "supervisor", "user", "client", "vendor"])
def test_only_the_person_or_an_admin_writes_a_day_off(client, team, caller):
    _, headers = f.on_team(client, team["project"], caller)
    assert _new(client, headers, team["artist"], "2031-08-01", "2031-08-01").status_code == 403
    row = f.day_off(team["artist"])
    assert client.put(f"/data/day-offs/{row.id}", json={"description": "x"},
                      headers=headers).status_code == 403
    assert client.delete(f"/data/day-offs/{row.id}", headers=headers).status_code == 403
    mine = f.day_off(team["artist"])
    assert client.put(f"/data/day-offs/{mine.id}", json={"person_id": str(f.person().id)},
                      headers=team["headers"]).status_code == 403
    assert client.delete(f"/data/day-offs/{mine.id}", headers=team["headers"]).status_code \
        == 204


def test_an_admin_writes_anyone_day_off(client, team):
    admin = f.caller(client, "admin")[1]
    created = _new(client, admin, team["artist"], "2031-08-01", "2031-08-02")
    assert created.status_code == 201 and created.json["person_id"] == str(team["artist"].id)
    assert client.delete(f"/data/day-offs/{created.json['id']}", headers=admin).status_code \
        == 204


# Reading ---------------------------------------------------------------------------------

@pytest.fixture
def leave(team):
    return f.day_off(team["artist"], date=_day("2031-09-29"), end_date=_day("2031-10-02"),
                     description="Wedding")


def _readers(client, team):
    """Headers of the callers around the artist, with what each reads."""
    project = team["project"]
    supervisor, supervisor_headers = f.on_team(client, project, "supervisor")
    supervisor.departments = [team["department"]]
    other_supervisor, other_headers = f.on_team(client, project, "supervisor")
    other_supervisor.departments = [f.department()]
    db.session.commit()
    return {
        "self": (team["headers"], "whole"),
        "admin": (f.caller(client, "admin")[1], "whole"),
        "manager": (f.on_team(client, project, "manager")[1], "whole"),
        "supervisor": (supervisor_headers, "dates"),
        "departmentless supervisor": (f.on_team(client, project, "supervisor")[1], "dates"),
        "other department supervisor": (other_headers, None),
        "peer": (f.on_team(client, project, "user")[1], None),
        "client": (f.on_team(client, project, "client")[1], None),
        "vendor": (f.on_team(client, project, "vendor")[1], None),
        "manager elsewhere": (f.on_team(client, f.project(), "manager")[1], None),
    }


def test_who_reads_a_person_days_off(client, team, leave):
    base = f"/data/persons/{team['artist'].id}/day-offs"
    urls = [base, f"{base}/year/2031", f"{base}/month/2031/10", f"{base}/week/2031/40"]
    for who, (headers, reads) in _readers(client, team).items():
        for url in urls:
            response = client.get(url, headers=headers)
            if reads is None:
                assert response.status_code == 403, (who, url)
                continue
            assert [d["id"] for d in response.json] == [str(leave.id)], (who, url)
            assert ("description" in response.json[0]) == (reads == "whole"), (who, url)
        # The raw collection stays between the person and the admins.
        single = client.get(f"/data/day-offs/{leave.id}", headers=headers)
        assert single.status_code == (200 if who in ("self", "admin") else 403), who
        dated = client.get(f"{base}/2031-10-01", headers=headers)
        assert dated.status_code == (403 if reads is None else 200), who


def test_periods_and_dates_pick_the_days_off_touching_them(client, team, leave):
    base = f"/data/persons/{team['artist'].id}/day-offs"
    headers = team["headers"]
    assert client.get(f"{base}/month/2031/9", headers=headers).json[0]["id"] == str(leave.id)
    assert client.get(f"{base}/month/2031/11", headers=headers).json == []
    assert client.get(f"{base}/week/2031/39", headers=headers).json == []
    assert client.get(f"{base}/week/2031/41", headers=headers).json == []
    assert client.get(f"{base}/year/2030", headers=headers).json == []
    assert client.get(f"{base}/2031-10-02", headers=headers).json["id"] == str(leave.id)
    assert client.get(f"{base}/2031-10-03", headers=headers).json == {}
    assert client.get(f"{base}/2031-10-33", headers=headers).status_code == 400
    assert client.get(f"{base}/month/2031/0", headers=headers).status_code == 400
    assert client.get("/data/user/day-offs/2031-09-30", headers=headers).json["description"] \
        == "Wedding"
    assert client.get("/data/user/day-offs/2031-09-28", headers=headers).json == {}


def test_bots_have_no_days_off(client, team):
    bot, _ = f.caller(client, "bot")
    admin = f.caller(client, "admin")[1]
    assert client.get(f"/data/persons/{bot.id}/day-offs", headers=admin).status_code == 403


def test_the_days_off_of_a_period_for_everyone_the_caller_reads(client, team, leave):
    stranger_leave = f.day_off(f.person(), date=_day("2031-10-05"),
                               end_date=_day("2031-10-05"))
    readers = _readers(client, team)
    month = "/data/persons/day-offs/2031/10"
    admin_view = client.get(month, headers=readers["admin"][0]).json
    assert {str(leave.id), str(stranger_leave.id)} <= {d["id"] for d in admin_view}
    for who in ("manager", "supervisor", "peer", "manager elsewhere"):
        headers, reads = readers[who]
        listed = [d for d in client.get(month, headers=headers).json
                  if d["id"] in (str(leave.id), str(stranger_leave.id))]
        assert [d["id"] for d in listed] == ([str(leave.id)] if reads else []), who
        if listed:
            assert ("description" in listed[0]) == (reads == "whole"), who
    assert [d["id"] for d in client.get("/data/persons/day-offs/2031",
                                        headers=team["headers"]).json] == [str(leave.id)]
    assert client.get("/data/persons/day-offs/2031/11", headers=team["headers"]).json == []
    assert client.get("/data/persons/day-offs/2031/13",
                      headers=team["headers"]).status_code == 400


def test_a_production_days_off_per_person(client, team, leave):
    project = team["project"]
    mate = f.member(project)
    f.day_off(mate, date=_day("2031-12-01"), end_date=_day("2031-12-03"),
                           description="Moving")
    f.day_off(f.person(), date=_day("2031-12-01"), end_date=_day("2031-12-01"))
    url = f"/data/projects/{project.id}/day-offs"
    _, manager = f.on_team(client, project, "manager")
    everything = client.get(url, headers=manager).json
    assert set(everything) == {str(team["artist"].id), str(mate.id)}
    assert everything[str(mate.id)][0]["description"] == "Moving"
    as_artist = client.get(url, headers=team["headers"]).json
    assert as_artist[str(team["artist"].id)][0]["description"] == "Wedding"
    assert "description" not in as_artist[str(mate.id)][0]
    ranged = client.get(url, headers=manager, query_string={
        "start_date": "2031-11-01", "end_date": "2031-12-31"}).json
    assert ranged == {str(mate.id): [everything[str(mate.id)][0]]}
    assert [d["id"] for d in client.get(url, headers=manager, query_string={
        "end_date": "2031-09-29"}).json[str(team["artist"].id)]] == [str(leave.id)]
    assert client.get(url, headers=manager, query_string={
        "start_date": "nope"}).status_code == 400
    for caller in ("client", "vendor"):
        assert client.get(url, headers=f.on_team(client, project, caller)[1]).status_code \
            == 403
    assert client.get(url, headers=f.on_team(client, f.project(), "manager")[1]).status_code \
        == 403
