"""gazu 1.3.1's time spent and day off calls against a real server: what a
pipeline script (or a timesheet export) does with logged time and leave."""
import datetime

import gazu
import pytest

from tests.compat.conftest import unique


@pytest.fixture
def work(admin):
    """A shot task assigned to a new artist and to the signed-in admin."""
    project = gazu.project.new_project(unique("Timesheets"), client=admin)
    me = gazu.client.get_current_user(client=admin)
    artist = gazu.person.new_person(unique("Art"), "Ist", f"{unique('a').replace(' ', '')}"
                                    "@studio.example.com", client=admin)
    for person in (me, artist):
        gazu.project.add_person_to_team(project, person, client=admin)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=admin)
    shot = gazu.shot.new_shot(project, sequence, "SH010", client=admin)
    task_type = gazu.client.fetch_first("task-types", {"name": "Layout"}, client=admin)
    status = gazu.client.fetch_first("task-status", {"name": "Todo"}, client=admin)
    task = gazu.client.create("tasks", {
        "name": "main", "project_id": project["id"], "entity_id": shot["id"],
        "task_type_id": task_type["id"], "task_status_id": status["id"],
        "assignees": [me["id"], artist["id"]]}, client=admin)
    return task, artist, me


def test_logging_and_reading_task_time(admin, work):
    task, artist, _ = work
    created = gazu.task.set_time_spent(task, artist, "2031-03-10", 120, client=admin)
    assert (created["duration"], created["person_id"], created["date"]) == (
        120, artist["id"], "2031-03-10")
    added = gazu.task.add_time_spent(task, artist, "2031-03-10", 30, client=admin)
    assert (added["id"], added["duration"]) == (created["id"], 150)
    gazu.task.set_time_spent(task, artist, "2031-03-12", 60, client=admin)
    assert gazu.task.get_task(task["id"], client=admin)["duration"] == 210

    logged = gazu.task.get_time_spent(task, client=admin)
    assert logged["total"] == 210
    assert [t["duration"] for t in logged[artist["id"]]] == [150, 60]
    that_day = gazu.task.get_time_spent(task, "2031-03-12", client=admin)
    assert that_day["total"] == 60
    assert gazu.task.get_task_time_spent_for_date(task, "2031-03-10",
                                                  client=admin)["total"] == 150

    gazu.task.remove_time_spent(created, client=admin)
    assert gazu.task.get_task(task["id"], client=admin)["duration"] == 60


def test_a_person_timesheet(admin, work):
    task, artist, _ = work
    gazu.task.set_time_spent(task, artist, "2031-03-10", 45, client=admin)
    gazu.task.set_time_spent(task, artist, "2031-04-01", 15, client=admin)
    ranged = gazu.person.get_time_spents_range(artist["id"], "2031-03-01", "2031-03-31",
                                               client=admin)
    assert [(t["duration"], t["task_type_id"]) for t in ranged] == [
        (45, task["task_type_id"])]
    month = gazu.person.get_all_month_time_spents(artist["id"], datetime.date(2031, 3, 1),
                                                  client=admin)
    assert [t["duration"] for t in month] == [45]
    assert [t["duration"] for t in gazu.person.get_time_spents_by_date(
        artist, "2031-04-01", client=admin)] == [15]
    week = gazu.person.get_week_time_spents(artist, 2031, 11, client=admin)
    assert [(t["task_id"], t["duration"], t["entity_name"]) for t in week] == [
        (task["id"], 45, "SH010")]
    year = gazu.person.get_year_time_spents(artist, 2031, client=admin)
    assert [t["duration"] for t in year] == [60]


def test_the_signed_in_user_time(admin, work):
    task, _, me = work
    gazu.task.set_time_spent(task, me, "2031-05-06", 25, client=admin)
    assert [t["duration"] for t in gazu.user.get_timespents_range(
        "2031-05-01", "2031-05-31", client=admin)] == [25]
    assert [t["duration"] for t in gazu.user.get_time_spents_by_date(
        "2031-05-06", client=admin)] == [25]
    assert gazu.user.get_task_time_spent(task, "2031-05-06", client=admin)["duration"] == 25


def test_days_off(admin, work):
    task, artist, me = work
    gazu.task.set_time_spent(task, artist, "2031-08-04", 30, client=admin)
    day_off = gazu.person.new_day_off(artist, "2031-08-03", "2031-08-05",
                                      description="Summer", client=admin)
    assert (day_off["type"], day_off["description"]) == ("DayOff", "Summer")
    assert gazu.task.get_task(task["id"], client=admin)["duration"] == 0
    with pytest.raises(gazu.exception.ParameterException):
        gazu.person.new_day_off(artist, "2031-08-05", "2031-08-06", client=admin)

    assert [d["id"] for d in gazu.person.get_day_offs(artist, client=admin)] == [
        day_off["id"]]
    assert [d["id"] for d in gazu.person.get_month_day_offs(artist, 2031, 8,
                                                            client=admin)] == [day_off["id"]]
    assert [d["id"] for d in gazu.person.get_week_day_offs(artist, 2031, 32,
                                                           client=admin)] == [day_off["id"]]
    assert [d["id"] for d in gazu.person.get_year_day_offs(artist, 2031,
                                                           client=admin)] == [day_off["id"]]
    assert gazu.person.get_day_off(day_off["id"], client=admin)["end_date"] == "2031-08-05"
    day_off["end_date"] = "2031-08-07"
    assert gazu.person.update_day_off(day_off, client=admin)["end_date"] == "2031-08-07"
    gazu.person.remove_day_off(day_off, client=admin)
    assert gazu.person.get_day_offs(artist, client=admin) == []

    mine = gazu.person.new_day_off(me, "2031-09-01", "2031-09-01", client=admin)
    assert gazu.user.get_day_off("2031-09-01", client=admin)["id"] == mine["id"]
    assert gazu.user.get_day_off("2031-09-02", client=admin) == {}
    gazu.person.remove_day_off(mine, client=admin)


def test_presence_log(admin):
    sheet = gazu.person.get_presence_log(2031, 2, client=admin)
    assert sheet.splitlines()[0] == ";".join(["2031"] + [str(d) for d in range(1, 29)])
