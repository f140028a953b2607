"""Production schedule versions (behaviours.md row 28): task plans copied
from the production or another version, and applied back to the tasks."""
import datetime
import uuid

import pytest
from sqlalchemy import func, select, text

from app import events
from app.extensions import db
from app.models.events import ApiEvent
from app.models.project import Project
from app.models.schedule import (
    ProductionScheduleVersion, ProductionScheduleVersionTaskLink,
    ProductionScheduleVersionTaskLinkPersonLink,
)
from app.models.task import Task, TaskPersonLink
from tests import factories as f
from tests.test_schedule import CALLERS, api_events, assert_access, headers_for

START = datetime.datetime(2030, 1, 6, 9, 0)
DUE = datetime.datetime(2030, 1, 10, 18, 0)


@pytest.fixture
def manager(client):
    return f.signed_in(client, role="manager")


@pytest.fixture
def production(manager):
    """A production managed by `manager`, its two tasks (one assigned) and a version."""
    project = f.project(team=[manager[0]])
    artist = f.member(project)
    task_type = f.task_type()
    planned = f.task(project, task_type_=task_type, assignees=[artist], start_date=START,
                     due_date=DUE, estimation=3.5)
    other = f.task(project, estimation=1.0)
    return project, artist, planned, other, f.schedule_version(project)


def _links(version):
    return {link.task_id: link for link in db.session.scalars(select(
        ProductionScheduleVersionTaskLink).where(
        ProductionScheduleVersionTaskLink.production_schedule_version_id == version.id))}


def _planned_assignees(version):
    return db.session.execute(select(
        ProductionScheduleVersionTaskLink.task_id,
        ProductionScheduleVersionTaskLinkPersonLink.person_id).join(
        ProductionScheduleVersionTaskLinkPersonLink,
        ProductionScheduleVersionTaskLinkPersonLink.production_schedule_version_task_link_id
        == ProductionScheduleVersionTaskLink.id).where(
        ProductionScheduleVersionTaskLink.production_schedule_version_id == version.id)).all()


def _copy(client, headers, version):
    return client.post(f"/actions/production-schedule-versions/{version.id}/"
                       "set-task-links-from-production", headers=headers)


def test_a_version_plans_every_task_of_the_production(client, manager, production):
    project, artist, planned, other, version = production
    f.task(f.project())  # another production's task stays out
    response = _copy(client, manager[1], version)
    assert response.status_code == 200
    assert response.json == {"success": True, "task_link_count": 2}
    links = _links(version)
    assert set(links) == {planned.id, other.id}
    assert (links[planned.id].start_date, links[planned.id].due_date,
            links[planned.id].estimation) == (START, DUE, 3.5)
    assert _planned_assignees(version) == [(planned.id, artist.id)]
    assert [e["production_schedule_version_id"] for e in api_events(
        "production-schedule-version:update", project.id)] == [str(version.id)]


def test_copying_again_refreshes_the_plans_in_place(client, manager, production):
    project, artist, planned, _, version = production
    _copy(client, manager[1], version)
    first_ids = {task_id: link.id for task_id, link in _links(version).items()}
    newcomer = f.member(project)
    planned.estimation, planned.assignees = 8.0, [newcomer]
    db.session.commit()
    assert _copy(client, manager[1], version).json["task_link_count"] == 2
    links = _links(version)
    assert {task_id: link.id for task_id, link in links.items()} == first_ids
    assert links[planned.id].estimation == 8.0
    assert _planned_assignees(version) == [(planned.id, newcomer.id)]


def test_task_links_are_listed_with_their_assignees_and_by_task_type(client, manager,
                                                                     production):
    _, artist, planned, other, version = production
    _copy(client, manager[1], version)
    url = f"/data/production-schedule-versions/{version.id}/task-links"
    rows = client.get(url, headers=manager[1]).json
    assert {r["task_id"] for r in rows} == {str(planned.id), str(other.id)}
    assert {r["type"] for r in rows} == {"ProductionScheduleVersionTaskLink"}
    assert "assignees" not in rows[0]
    only = client.get(f"{url}?task_type_id={planned.task_type_id}&relations=true",
                      headers=manager[1]).json
    assert [(r["task_id"], r["assignees"], r["start_date"], r["estimation"]) for r in only] == [
        (str(planned.id), [str(artist.id)], "2030-01-06T09:00:00", 3.5)]


def test_a_version_copies_another_of_the_same_production(client, manager, production):
    project, artist, planned, other, source = production
    _copy(client, manager[1], source)
    target = f.schedule_version(project)
    f.schedule_version_task_link(target, other, estimation=42.0)
    url = (f"/actions/production-schedule-versions/{target.id}/"
           "set-task-links-from-production-schedule-version")
    response = client.post(url, json={"production_schedule_version_id": str(source.id)},
                           headers=manager[1])
    assert response.json == {"success": True, "task_link_count": 2}
    links = _links(target)
    assert links[other.id].estimation == 1.0
    assert (links[planned.id].due_date, links[planned.id].estimation) == (DUE, 3.5)
    assert _planned_assignees(target) == [(planned.id, artist.id)]
    db.session.expire_all()
    assert db.session.get(ProductionScheduleVersion, target.id).production_schedule_from \
        == source.id


def test_copies_stay_within_one_production(client, manager, production):
    project, _, _, _, version = production
    url = (f"/actions/production-schedule-versions/{version.id}/"
           "set-task-links-from-production-schedule-version")
    elsewhere = f.schedule_version(f.project())
    for source_id, status in ((elsewhere.id, 400), (version.id, 400), (uuid.uuid4(), 404)):
        response = client.post(url, json={"production_schedule_version_id": str(source_id)},
                               headers=manager[1])
        assert response.status_code == status, source_id
    missing = client.post(url, json={}, headers=manager[1])
    assert missing.status_code == 400
    assert "production_schedule_version_id" in missing.json["message"]


def test_applying_a_version_writes_the_plans_to_the_tasks(client, manager, production):
    project, artist, planned, other, version = production
    _copy(client, manager[1], version)
    replacement = f.person()  # not on the team yet
    link = _links(version)[planned.id]
    link.start_date, link.due_date, link.estimation = START, DUE + datetime.timedelta(days=2), 5.0
    link.assignees = [replacement]
    untouched = f.task(f.project(), estimation=9.0)
    db.session.commit()

    response = client.post(f"/actions/production-schedule-versions/{version.id}/"
                           "apply-to-production", headers=manager[1])
    assert response.status_code == 200
    assert response.json == {"success": True, "task_count": 2}
    db.session.expire_all()
    task = db.session.get(Task, planned.id)
    assert (task.start_date, task.due_date, task.estimation) == (
        START, DUE + datetime.timedelta(days=2), 5.0)
    assert [p.id for p in task.assignees] == [replacement.id]
    assert replacement.id in {p.id for p in db.session.get(Project, project.id).team}
    assert db.session.get(Task, untouched.id).estimation == 9.0
    assert db.session.get(ProductionScheduleVersion, version.id).locked is True
    assert db.session.get(Project, project.id).from_schedule_version_id == version.id
    assert sorted(e["task_id"] for e in api_events("task:update", project.id)) == sorted(
        [str(planned.id), str(other.id)])
    event = db.session.scalars(select(ApiEvent).where(ApiEvent.name == "task:update")).first()
    assert event.user_id == manager[0].id
    assert api_events("project:update", project.id) == [{"project_id": str(project.id)}]


ACTIONS = ("set-task-links-from-production", "apply-to-production")


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_managers_fill_and_apply_versions(client, caller, action):
    project = f.project()
    version = f.schedule_version(project)
    response = client.post(f"/actions/production-schedule-versions/{version.id}/{action}",
                           headers=headers_for(client, caller, project))
    assert_access(response, caller, {"admin", "manager"})


@pytest.mark.parametrize("caller", CALLERS)
def test_only_managers_copy_versions(client, caller):
    project = f.project()
    source, target = f.schedule_version(project), f.schedule_version(project)
    response = client.post(
        f"/actions/production-schedule-versions/{target.id}/"
        "set-task-links-from-production-schedule-version",
        json={"production_schedule_version_id": str(source.id)},
        headers=headers_for(client, caller, project))
    assert_access(response, caller, {"admin", "manager"})


def test_forty_thousand_tasks_are_copied_and_applied(client, manager, monkeypatch):
    """Copies and applies are a few statements whatever the production's size."""
    # 40,000 live task:update messages would flood the Redis channel other
    # suites listen on; the api_event rows are what this test checks.
    monkeypatch.setattr(events.publisher, "manager", None)
    count = 40_000
    project = f.project(team=[manager[0]])
    first, second = f.member(project), f.member(project)
    task_type, status = f.task_type(), f.task_status()
    db.session.execute(text(
        "INSERT INTO task (id, name, project_id, task_type_id, task_status_id, start_date, "
        "due_date, estimation, difficulty, created_at, updated_at) "
        "SELECT gen_random_uuid(), 'Task ' || g, :project, :task_type, :status, "
        "timestamp '2030-01-01' + g * interval '1 minute', "
        "timestamp '2030-01-02' + g * interval '1 minute', g % 10, 3, now(), now() "
        "FROM generate_series(1, :count) AS g"),
        {"project": project.id, "task_type": task_type.id, "status": status.id, "count": count})
    db.session.execute(text(
        "INSERT INTO task_person_link (task_id, person_id) "
        "SELECT id, :person FROM task WHERE project_id = :project"),
        {"person": first.id, "project": project.id})
    db.session.commit()
    version = client.post("/data/production-schedule-versions",
                          json={"name": "What if", "project_id": str(project.id)},
                          headers=manager[1]).json

    copied = client.post(f"/actions/production-schedule-versions/{version['id']}/"
                         "set-task-links-from-production", headers=manager[1])
    assert copied.json["task_link_count"] == count
    # Plan every task two days longer and for the second artist.
    db.session.execute(text(
        "UPDATE production_schedule_version_task_link "
        "SET due_date = due_date + interval '2 days', estimation = estimation + 1 "
        "WHERE production_schedule_version_id = :version"), {"version": version["id"]})
    db.session.execute(text(
        "UPDATE production_schedule_version_task_link_person_link SET person_id = :person "
        "WHERE production_schedule_version_task_link_id IN (SELECT id FROM "
        "production_schedule_version_task_link WHERE production_schedule_version_id = :version)"),
        {"person": second.id, "version": version["id"]})
    db.session.commit()

    applied = client.post(f"/actions/production-schedule-versions/{version['id']}/"
                          "apply-to-production", headers=manager[1])
    assert applied.json == {"success": True, "task_count": count}
    in_project = Task.project_id == project.id
    assert db.session.scalar(select(func.count()).select_from(Task).where(
        in_project, Task.due_date - Task.start_date == datetime.timedelta(days=3),
        Task.estimation == func.mod(func.split_part(Task.name, " ", 2).cast(db.Integer), 10) + 1,
    )) == count
    assignments = dict(db.session.execute(select(
        TaskPersonLink.person_id, func.count()).join(Task, Task.id == TaskPersonLink.task_id)
        .where(in_project).group_by(TaskPersonLink.person_id)).all())
    assert assignments == {second.id: count}
    assert db.session.scalar(select(func.count()).select_from(ApiEvent).where(
        ApiEvent.name == "task:update", ApiEvent.project_id == project.id)) == count
