"""Reading logged time (behaviours.md row 16): a person's time spents and
period totals, the per-person tables, a production's time, the caller's
own (/data/user), quota shots and the presence sheet."""
import datetime

import pytest

from app.extensions import db
from app.models.events import DesktopLoginLog
from app.models.settings import Studio
from tests import factories as f


def _day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def studio(client):
    """Two productions; an artist logging on both, in department A."""
    dept_a, dept_b = f.department(), f.department()
    film, series = f.project(), f.project()
    artist, artist_headers = f.on_team(client, film, "user")
    f.join_team(series, artist)
    artist.departments = [dept_a]
    type_a, type_b = f.task_type(department_id=dept_a.id), f.task_type(department_id=dept_b.id)
    sequence = f.temporal(film, "Sequence", name="SQ01")
    shot = f.temporal(film, "Shot", parent=sequence, name="SH010")
    film_a = f.task(film, shot, type_a, assignees=[artist])
    film_b = f.task(film, task_type_=type_b, assignees=[artist])
    series_a = f.task(series, task_type_=type_a, assignees=[artist])
    f.time_spent(film_a, artist, date=_day("2031-03-10"), duration=60)
    f.time_spent(film_a, artist, date=_day("2031-03-11"), duration=30)
    f.time_spent(film_b, artist, date=_day("2031-03-10"), duration=20)
    f.time_spent(series_a, artist, date=_day("2031-04-02"), duration=7)
    return {"film": film, "series": series, "artist": artist, "headers": artist_headers,
            "dept_a": dept_a, "dept_b": dept_b, "film_a": film_a, "film_b": film_b,
            "series_a": series_a}


def _get(client, url, headers, **params):
    return client.get(url, headers=headers, query_string=params)


def test_a_person_reads_all_their_time_or_a_range(client, studio):
    base = f"/data/persons/{studio['artist'].id}/time-spents"
    everything = _get(client, base, studio["headers"]).json
    assert sorted(r["duration"] for r in everything) == [7, 20, 30, 60]
    ranged = _get(client, base, studio["headers"], start_date="2031-03-10",
                  end_date="2031-03-10").json
    assert sorted((r["duration"], r["project_id"], r["task_type_id"]) for r in ranged) == [
        (20, str(studio["film"].id), str(studio["film_b"].task_type_id)),
        (60, str(studio["film"].id), str(studio["film_a"].task_type_id))]
    assert _get(client, base, studio["headers"], start_date="2031-03-10").status_code == 400
    assert _get(client, base, studio["headers"], start_date="x",
                end_date="2031-03-10").status_code == 400
    day = _get(client, f"{base}/2031-03-11", studio["headers"]).json
    assert [(r["duration"], r["type"]) for r in day] == [(30, "TimeSpent")]
    assert _get(client, f"{base}/2031-3-x", studio["headers"]).status_code == 400


def test_period_totals_are_summed_per_task(client, studio):
    base = f"/data/persons/{studio['artist'].id}/time-spents"
    month = _get(client, f"{base}/month/2031/3", studio["headers"]).json
    by_task = {r["task_id"]: r for r in month}
    film_a = by_task[str(studio["film_a"].id)]
    assert (film_a["duration"], film_a["project_name"], film_a["entity_name"],
            film_a["entity_type_name"], film_a["sequence_name"], film_a["episode_name"]) == (
        90, studio["film"].name, "SH010", "Shot", "SQ01", None)
    assert by_task[str(studio["film_b"].id)]["duration"] == 20
    assert len(month) == 2
    year = _get(client, f"{base}/year/2031", studio["headers"]).json
    assert sorted(r["duration"] for r in year) == [7, 20, 90]
    only_series = _get(client, f"{base}/year/2031", studio["headers"],
                       project_id=str(studio["series"].id)).json
    assert [r["duration"] for r in only_series] == [7]
    week = _get(client, f"{base}/week/2031/11", studio["headers"]).json
    assert sorted(r["duration"] for r in week) == [20, 90]
    day = _get(client, f"{base}/day/2031/3/11", studio["headers"]).json
    assert [r["duration"] for r in day] == [30]
    for bad in ("month/2031/13", "week/2031/60", "day/2031/2/30", "year/abc"):
        assert _get(client, f"{base}/{bad}", studio["headers"]).status_code == 400


def test_managers_and_supervisors_read_what_they_oversee(client, studio):
    base = f"/data/persons/{studio['artist'].id}/time-spents"
    _, manager = f.on_team(client, studio["film"], "manager")
    assert sorted(r["duration"] for r in _get(client, base, manager).json) == [20, 30, 60]
    supervisor, supervisor_headers = f.on_team(client, studio["film"], "supervisor")
    supervisor.departments = [studio["dept_a"]]
    db.session.commit()
    assert sorted(r["duration"] for r in _get(client, base, supervisor_headers).json) == [
        30, 60]
    month = _get(client, f"{base}/month/2031/3", supervisor_headers).json
    assert [r["task_id"] for r in month] == [str(studio["film_a"].id)]
    _, unattached = f.on_team(client, studio["film"], "supervisor")
    assert sorted(r["duration"] for r in _get(client, base, unattached).json) == [20, 30, 60]
    _, elsewhere = f.on_team(client, f.project(), "manager")
    assert _get(client, base, elsewhere).json == []


@pytest.mark.parametrize("caller", ["user", "client", "vendor"])
def test_others_cannot_read_a_person_time(client, studio, caller):
    _, headers = f.on_team(client, studio["film"], caller)
    base = f"/data/persons/{studio['artist'].id}/time-spents"
    for url in (base, f"{base}/2031-03-10", f"{base}/month/2031/3", f"{base}/year/2031",
                f"{base}/week/2031/11", f"{base}/day/2031/3/10",
                f"{base}/month/all/2031/3"):
        assert _get(client, url, headers).status_code == 403, url


def test_the_whole_month_is_for_the_person_and_admins(client, studio):
    url = f"/data/persons/{studio['artist'].id}/time-spents/month/all/2031/3"
    assert sorted(r["duration"] for r in _get(client, url, studio["headers"]).json) == [
        20, 30, 60]
    _, manager = f.on_team(client, studio["film"], "manager")
    assert _get(client, url, manager).status_code == 403
    assert len(_get(client, url, f.caller(client, "admin")[1]).json) == 3


def test_a_bot_has_no_person_timesheet(client, studio):
    bot, _ = f.caller(client, "bot")
    admin = f.caller(client, "admin")[1]
    assert _get(client, f"/data/persons/{bot.id}/time-spents", admin).status_code == 403


def test_tables_sum_per_unit_and_person(client, studio):
    admin = f.caller(client, "admin")[1]
    artist = str(studio["artist"].id)
    years = _get(client, "/data/persons/time-spents/year-table", admin).json
    assert years["2031"][artist] == 117
    months = _get(client, "/data/persons/time-spents/month-table/2031", admin).json
    assert (months["3"][artist], months["4"][artist]) == (110, 7)
    weeks = _get(client, "/data/persons/time-spents/week-table/2031", admin).json
    assert (weeks["11"][artist], weeks["14"][artist]) == (110, 7)
    days = _get(client, "/data/persons/time-spents/day-table/2031/3", admin).json
    assert (days["10"][artist], days["11"][artist]) == (80, 30)
    assert "2" not in days
    by_project = _get(client, "/data/persons/time-spents/month-table/2031", admin,
                      project_id=str(studio["series"].id)).json
    assert by_project == {"4": {artist: 7}}
    by_department = _get(client, "/data/persons/time-spents/day-table/2031/3", admin,
                         department_id=str(studio["dept_b"].id)).json
    assert by_department == {"10": {artist: 20}}
    studio_row = f.row(Studio, name=f.unique("Studio"), color="#000000")
    assert _get(client, "/data/persons/time-spents/year-table", admin,
                studio_id=str(studio_row.id)).json == {}
    studio["artist"].studio_id = studio_row.id
    db.session.commit()
    assert _get(client, "/data/persons/time-spents/year-table", admin,
                studio_id=str(studio_row.id)).json == {"2031": {artist: 117}}
    assert _get(client, "/data/persons/time-spents/day-table/2031/13",
                admin).status_code == 400
    assert _get(client, "/data/persons/time-spents/month-table/abc", admin).status_code == 400


def test_tables_are_scoped_to_the_caller(client, studio):
    artist = str(studio["artist"].id)
    other = f.member(studio["film"])
    f.time_spent(studio["film_b"], other, date=_day("2031-03-10"), duration=5)
    url = "/data/persons/time-spents/day-table/2031/3"
    # An artist sees only their own time.
    assert _get(client, url, studio["headers"]).json == {"10": {artist: 80}, "11": {artist: 30}}
    _, peer = f.on_team(client, studio["film"], "user")
    assert _get(client, url, peer).json == {}
    # A manager: everything logged on their productions.
    _, manager = f.on_team(client, studio["film"], "manager")
    assert _get(client, url, manager).json == {"10": {artist: 80, str(other.id): 5},
                                               "11": {artist: 30}}
    # A supervisor: their departments' tasks only.
    supervisor, supervisor_headers = f.on_team(client, studio["film"], "supervisor")
    supervisor.departments = [studio["dept_a"]]
    db.session.commit()
    assert _get(client, url, supervisor_headers).json == {"10": {artist: 60},
                                                         "11": {artist: 30}}
    # A manager elsewhere sees nothing of it; a client only themselves.
    _, elsewhere = f.on_team(client, f.project(), "manager")
    assert _get(client, url, elsewhere).json == {}
    _, client_headers = f.on_team(client, studio["film"], "client")
    assert _get(client, url, client_headers).json == {}


def test_a_production_time_spents(client, studio):
    url = f"/data/projects/{studio['film'].id}/time-spents"
    assert sorted(r["duration"] for r in _get(client, url, studio["headers"]).json) == [
        20, 30, 60]
    for caller in ("client", "vendor"):
        assert _get(client, url, f.on_team(client, studio["film"], caller)[1]).status_code \
            == 403
    assert _get(client, url, f.on_team(client, f.project(), "manager")[1]).status_code == 403


def test_a_production_time_per_task_type(client, studio):
    film_a = studio["film_a"]
    url = f"/data/projects/{studio['film'].id}/task-types/{film_a.task_type_id}/time-spents"
    _, manager = f.on_team(client, studio["film"], "manager")
    per_person = _get(client, url, manager).json
    assert [r["duration"] for r in per_person[str(studio["artist"].id)]] == [30, 60]
    ranged = _get(client, url, manager, start_date="2031-03-11", end_date="2031-03-31").json
    assert [r["duration"] for r in ranged[str(studio["artist"].id)]] == [30]
    for caller in ("supervisor", "user", "client", "vendor"):
        assert _get(client, url, f.on_team(client, studio["film"], caller)[1]).status_code \
            == 403


def test_the_caller_own_time(client, studio):
    headers = studio["headers"]
    assert len(_get(client, "/data/user/time-spents", headers).json) == 4
    ranged = _get(client, "/data/user/time-spents", headers, start_date="2031-04-01",
                  end_date="2031-04-30").json
    assert [(r["duration"], r["project_id"]) for r in ranged] == [
        (7, str(studio["series"].id))]
    assert [r["duration"] for r in _get(client, "/data/user/time-spents/2031-03-11",
                                        headers).json] == [30]
    one = _get(client, f"/data/user/tasks/{studio['film_a'].id}/time-spents/2031-03-10",
               headers)
    assert one.json["duration"] == 60
    none = _get(client, f"/data/user/tasks/{studio['film_a'].id}/time-spents/2031-03-12",
                headers)
    assert none.status_code == 200 and none.json is None
    assert _get(client, "/data/user/time-spents/bad", headers).status_code == 400


def test_user_routes_refuse_bots(client, studio):
    _, bot = f.caller(client, "bot")
    for url in ("/data/user/time-spents", "/data/user/time-spents/2031-03-10",
                f"/data/user/tasks/{studio['film_a'].id}/time-spents/2031-03-10",
                "/data/user/day-offs/2031-03-10"):
        assert _get(client, url, bot).status_code == 403, url


# Quota shots -----------------------------------------------------------------------

def test_quota_shots_weigh_logged_time(client, studio):
    film_a = studio["film_a"]
    film_a.end_date = datetime.datetime(2031, 3, 20, 10)
    film_a.done_date = datetime.datetime(2031, 3, 21, 10)
    film_a.duration = 90
    db.session.commit()
    db.session.refresh(film_a)
    base = f"/data/persons/{studio['artist'].id}/quota-shots"
    month = _get(client, f"{base}/month/2031/3", studio["headers"]).json
    assert [(s["name"], s["full_name"], s["weight"], s["type"]) for s in month] == [
        ("SH010", "SQ01 / SH010", 1.0, "Shot")]
    day = _get(client, f"{base}/day/2031/3/11", studio["headers"]).json
    assert day[0]["weight"] == pytest.approx(0.33)
    assert _get(client, f"{base}/week/2031/12", studio["headers"]).json == []
    raw = _get(client, f"{base}/month/2031/3", studio["headers"], count_mode="feedback").json
    assert [(s["name"], s["weight"]) for s in raw] == [("SH010", 1)]
    assert _get(client, f"{base}/month/2031/4", studio["headers"],
                count_mode="done").json == []
    assert _get(client, f"{base}/month/2031/3", studio["headers"],
                count_mode="bad").status_code == 400


def test_quota_shots_spread_untimed_tasks_over_their_working_days(client, studio):
    film = studio["film"]
    shot = f.temporal(film, "Shot", name="SH020")
    f.task(film, shot, assignees=[studio["artist"]],
           real_start_date=datetime.datetime(2031, 5, 5, 9),  # a Monday
           end_date=datetime.datetime(2031, 5, 14, 18))  # the Wednesday after
    base = f"/data/persons/{studio['artist'].id}/quota-shots"
    week = _get(client, f"{base}/week/2031/19", studio["headers"]).json
    assert [(s["full_name"], s["weight"]) for s in week] == [("SH020", 0.62)]
    assert _get(client, f"{base}/month/2031/5", studio["headers"]).json[0]["weight"] == 1.0


def test_who_reads_quota_shots(client, studio):
    url = f"/data/persons/{studio['artist'].id}/quota-shots/month/2031/3"
    film = str(studio["film"].id)
    _, manager = f.on_team(client, studio["film"], "manager")
    assert _get(client, url, manager).status_code == 403
    assert _get(client, url, manager, project_id=film).status_code == 200
    _, supervisor = f.on_team(client, studio["film"], "supervisor")
    assert _get(client, url, supervisor, project_id=film).status_code == 200
    _, peer = f.on_team(client, studio["film"], "user")
    assert _get(client, url, peer, project_id=film).status_code == 403
    _, outsider = f.on_team(client, f.project(), "manager")
    assert _get(client, url, outsider, project_id=film).status_code == 403


# Presence --------------------------------------------------------------------------

def test_the_presence_sheet_is_csv_for_admins(client, studio):
    artist = studio["artist"]
    f.row(DesktopLoginLog, person_id=artist.id, date=datetime.datetime(2031, 2, 3, 9))
    f.row(DesktopLoginLog, person_id=artist.id, date=datetime.datetime(2031, 2, 3, 17))
    f.row(DesktopLoginLog, person_id=artist.id, date=datetime.datetime(2031, 3, 5, 9))
    admin = f.caller(client, "admin")[1]
    response = _get(client, "/data/persons/presence-logs/2031-02", admin)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == ";".join(["2031"] + [str(d) for d in range(1, 29)])
    row = next(line for line in lines if line.startswith(f"{artist.first_name} "))
    cells = row.split(";")
    assert len(cells) == 29 and cells[3] == "X" and cells.count("X") == 1
    assert _get(client, "/data/persons/presence-logs/2031-13", admin).status_code == 400
    for caller in ("manager", "user"):
        assert _get(client, "/data/persons/presence-logs/2031-02",
                    f.caller(client, caller)[1]).status_code == 403
