"""Assigning people to tasks and taking them off (behaviours.md row 13):
who may, who gets notified, who joins the team, what is announced."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.events import ApiEvent, Notification
from app.models.project import ProjectPersonLink
from app.models.task import Task, TaskPersonLink
from app.services import accounts
from tests import factories as f


def events(name, project_id):
    return db.session.scalars(select(ApiEvent.data).where(
        ApiEvent.name == name, ApiEvent.project_id == project_id)).all()


def assignees(task):
    return set(db.session.scalars(
        select(TaskPersonLink.person_id).where(TaskPersonLink.task_id == task.id)))


def on_team(project, person):
    return db.session.scalar(select(ProjectPersonLink.person_id).where(
        ProjectPersonLink.project_id == project.id,
        ProjectPersonLink.person_id == person.id)) is not None


def notifications_of(person):
    return db.session.execute(select(Notification.type, Notification.task_id,
                                     Notification.author_id)
                              .where(Notification.person_id == person.id)).all()


def with_departments(person, *departments):
    person.departments = list(departments)
    db.session.commit()
    return person


def member(client, project, role, *departments):
    person, headers = f.signed_in(client, role)
    f.join_team(project, person)
    with_departments(person, *departments)
    return person, headers


def assign(client, headers, task, person):
    return client.put(f"/actions/tasks/{task.id}/assign", headers=headers,
                      json={"person_id": str(person.id)})


# One task -------------------------------------------------------------------------

def test_a_manager_assigns_someone_who_joins_the_team_and_is_notified(client):
    project = f.project()
    manager, headers = member(client, project, "manager")
    artist = f.person()
    task = f.task(project)
    response = assign(client, headers, task, artist)
    assert response.status_code == 200
    assert (response.json["id"], response.json["assignees"], response.json["assigner_id"]) == (
        str(task.id), [str(artist.id)], str(manager.id))
    assert assignees(task) == {artist.id}
    assert on_team(project, artist)
    assert notifications_of(artist) == [("assignation", task.id, manager.id)]
    assert events("task:assign", project.id) == [
        {"task_id": str(task.id), "person_id": str(artist.id), "project_id": str(project.id)}]
    assert [e["task_id"] for e in events("task:update", project.id)] == [str(task.id)]
    assert events("project:update", project.id) != []
    # Assigning again changes nothing and notifies nobody twice.
    assert assign(client, headers, task, artist).status_code == 200
    assert len(notifications_of(artist)) == 1 and assignees(task) == {artist.id}


@pytest.mark.parametrize("case,status", [
    ("supervisor, both in the task's department", 200),
    ("supervisor, assignee in another department", 403),
    ("supervisor, task of another department", 403),
    ("supervisor without departments", 200),
    ("artist taking a task of their department", 200),
    ("artist taking a task of another department", 403),
    ("artist giving a task of their department", 403),
    ("client taking a task of their department", 403),
    ("vendor taking a task of their department", 403),
    ("manager of another project", 403),
])
def test_who_may_assign(client, case, status):
    project = f.project()
    department, elsewhere = f.department(), f.department()
    task_department = elsewhere if "task of another" in case else department
    task = f.task(project, task_type_=f.task_type(department_id=task_department.id))
    role = case.split(" ")[0].rstrip(",")
    if role == "artist":
        role = "user"
    if case.startswith("manager"):
        caller, headers = f.signed_in(client, "manager")
    else:
        caller, headers = member(client, project, role,
                                 *([] if "without" in case else [department]))
    if "taking" in case:
        assignee = caller
    else:
        assignee = with_departments(
            f.person(), elsewhere if "another department" in case else department)
    response = assign(client, headers, task, assignee)
    assert response.status_code == status
    assert assignees(task) == ({assignee.id} if status == 200 else set())
    if status == 200 and assignee.id == caller.id:
        assert notifications_of(assignee) == []  # no notification on self-assignment


def test_bots_are_assignees_only_with_bot_collaboration(client):
    project = f.project()
    _, headers = member(client, project, "manager")
    bot, _ = accounts.create_bot("Helper", "helper@bots.example")
    task = f.task(project)
    assert assign(client, headers, task, bot).status_code == 403
    assert assignees(task) == set()
    project.is_bot_collaboration_enabled = True
    db.session.commit()
    assert assign(client, headers, task, bot).status_code == 200
    assert assignees(task) == {bot.id}


def test_bad_assignations_are_refused(client):
    project = f.project()
    _, headers = member(client, project, "manager")
    task = f.task(project)
    unknown = client.put(f"/actions/tasks/{task.id}/assign", headers=headers,
                         json={"person_id": str(uuid.uuid4())})
    assert unknown.status_code == 400
    assert client.put(f"/actions/tasks/{task.id}/assign", headers=headers,
                      json={}).status_code == 400
    assert client.put(f"/actions/tasks/{task.id}/assign", headers=headers,
                      json={"person_id": "nope"}).status_code == 400
    assert client.put(f"/actions/tasks/{uuid.uuid4()}/assign", headers=headers,
                      json={"person_id": str(f.person().id)}).status_code == 404
    preview = f.person(role="client", preview_project_id=project.id)
    assert assign(client, headers, task, preview).status_code == 400
    assert assignees(task) == set()


# Many tasks -----------------------------------------------------------------------

def test_batch_assign_does_what_is_allowed_and_skips_the_rest(client):
    project, other = f.project(), f.project()
    department = f.department()
    supervisor, headers = member(client, project, "supervisor", department)
    artist = with_departments(f.person(), department)
    ours = [f.task(project, task_type_=f.task_type(department_id=department.id))
            for _ in range(2)]
    foreign_department = f.task(project, task_type_=f.task_type(department_id=f.department().id))
    foreign_project = f.task(other, task_type_=f.task_type(department_id=department.id))
    ids = [str(ours[1].id), str(foreign_department.id), str(uuid.uuid4()),
           str(foreign_project.id), str(ours[0].id)]
    response = client.put(f"/actions/persons/{artist.id}/assign", headers=headers,
                          json={"task_ids": ids})
    assert response.status_code == 200
    assert [t["id"] for t in response.json] == [str(ours[1].id), str(ours[0].id)]
    assert all(t["assignees"] == [str(artist.id)] for t in response.json)
    assert assignees(foreign_department) == assignees(foreign_project) == set()
    assert sorted(n.task_id for n in notifications_of(artist)) == sorted(t.id for t in ours)
    assert on_team(project, artist) and not on_team(other, artist)
    assert len(events("task:assign", project.id)) == 2
    db.session.expire_all()
    assert {db.session.get(Task, t.id).assigner_id for t in ours} == {supervisor.id}


def test_batch_assign_of_a_bot_skips_projects_without_bot_collaboration(client):
    closed_to_bots, open_to_bots = f.project(), f.project(is_bot_collaboration_enabled=True)
    _, headers = f.signed_in(client, "admin")
    bot, _ = accounts.create_bot("Helper", "helper2@bots.example")
    refused, accepted = f.task(closed_to_bots), f.task(open_to_bots)
    response = client.put(f"/actions/persons/{bot.id}/assign", headers=headers,
                          json={"task_ids": [str(refused.id), str(accepted.id)]})
    assert [t["id"] for t in response.json] == [str(accepted.id)]
    assert on_team(open_to_bots, bot) and not on_team(closed_to_bots, bot)


@pytest.mark.parametrize("body", [{}, {"task_ids": []}, {"task_ids": ["x"]},
                                  {"task_ids": "abc"}])
def test_batch_assign_refuses_bad_input(client, body):
    _, headers = f.signed_in(client, "admin")
    response = client.put(f"/actions/persons/{f.person().id}/assign", headers=headers,
                          json=body)
    assert response.status_code == 400


def test_batch_assign_of_an_unknown_person_is_a_bad_request(client):
    project = f.project()
    _, headers = f.signed_in(client, "admin")
    response = client.put(f"/actions/persons/{uuid.uuid4()}/assign", headers=headers,
                          json={"task_ids": [str(f.task(project).id)]})
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["user", "client", "vendor", "bot"])
def test_batch_assign_by_roles_without_the_right_does_nothing(client, role):
    project = f.project()
    _, headers = f.on_team(client, project, role)
    task = f.task(project, task_type_=f.task_type(department_id=f.department().id))
    response = client.put(f"/actions/persons/{f.person().id}/assign", headers=headers,
                          json={"task_ids": [str(task.id)]})
    assert (response.status_code, response.json) == (200, [])
    assert assignees(task) == set()


# Clearing -------------------------------------------------------------------------

def test_a_manager_clears_every_assignee_or_one(client):
    project = f.project()
    _, headers = member(client, project, "manager")
    first, second = f.person(), f.person()
    both = f.task(project, assignees=[first, second])
    other = f.task(project, assignees=[first, second])
    response = client.put("/actions/tasks/clear-assignation", headers=headers,
                          json={"task_ids": [str(both.id)]})
    assert (response.status_code, response.json) == (200, [str(both.id)])
    assert assignees(both) == set()
    one = client.put("/actions/tasks/clear-assignation", headers=headers,
                     json={"task_ids": [str(other.id), str(uuid.uuid4())],
                           "person_id": str(first.id)})
    assert one.json == [str(other.id)]
    assert assignees(other) == {second.id}
    unassigned = events("task:unassign", project.id)
    assert sorted((e["task_id"], e["person_id"]) for e in unassigned) == sorted([
        (str(both.id), str(first.id)), (str(both.id), str(second.id)),
        (str(other.id), str(first.id))])
    assert sorted(e["task_id"] for e in events("task:update", project.id)) == sorted(
        [str(both.id), str(other.id)])


def test_an_artist_takes_only_themself_off(client):
    project = f.project()
    artist, headers = member(client, project, "user")
    colleague = f.person()
    mine = f.task(project, assignees=[artist, colleague])
    not_mine = f.task(project, assignees=[colleague])
    response = client.put("/actions/tasks/clear-assignation", headers=headers, json={
        "task_ids": [str(mine.id), str(not_mine.id)], "person_id": str(artist.id)})
    assert response.json == [str(mine.id)]
    assert assignees(mine) == {colleague.id}
    others = client.put("/actions/tasks/clear-assignation", headers=headers, json={
        "task_ids": [str(mine.id)], "person_id": str(colleague.id)})
    assert others.json == []
    everyone = client.put("/actions/tasks/clear-assignation", headers=headers,
                          json={"task_ids": [str(mine.id)]})
    assert everyone.json == [] and assignees(mine) == {colleague.id}


@pytest.mark.parametrize("in_department", [True, False])
def test_supervisors_clear_tasks_of_their_departments(client, in_department):
    project = f.project()
    department = f.department()
    _, headers = member(client, project, "supervisor", department)
    artist = f.person()
    task = f.task(project, assignees=[artist], task_type_=f.task_type(
        department_id=(department if in_department else f.department()).id))
    response = client.put("/actions/tasks/clear-assignation", headers=headers,
                          json={"task_ids": [str(task.id)]})
    assert response.json == ([str(task.id)] if in_department else [])
    assert assignees(task) == (set() if in_department else {artist.id})


@pytest.mark.parametrize("body", [{}, {"task_ids": []}, {"task_ids": ["x"]},
                                  {"task_ids": [str(uuid.uuid4())], "person_id": "x"}])
def test_clear_assignation_refuses_bad_input(client, body):
    _, headers = f.signed_in(client, "admin")
    assert client.put("/actions/tasks/clear-assignation", headers=headers,
                      json=body).status_code == 400


@pytest.mark.parametrize("role", ["client", "vendor", "outsider"])
def test_clear_assignation_by_others_does_nothing(client, role):
    project = f.project()
    artist = f.person()
    task = f.task(project, assignees=[artist])
    if role == "outsider":
        _, headers = f.signed_in(client, "manager")
    else:
        _, headers = f.on_team(client, project, role)
    response = client.put("/actions/tasks/clear-assignation", headers=headers,
                          json={"task_ids": [str(task.id)]})
    assert (response.status_code, response.json) == (200, [])
    assert assignees(task) == {artist.id}


# PUT /data/tasks/<id> with assignees ----------------------------------------------

def test_a_raw_update_of_assignees_follows_the_assignment_rules(client):
    project = f.project()
    manager, headers = member(client, project, "manager")
    kept, dropped, added = f.person(), f.person(), f.person()
    f.join_team(project, kept)
    task = f.task(project, assignees=[kept, dropped])
    response = client.put(f"/data/tasks/{task.id}", headers=headers,
                          json={"assignees": [str(kept.id), str(added.id)]})
    assert response.status_code == 200
    assert assignees(task) == {kept.id, added.id}
    assert on_team(project, added)
    assert notifications_of(added) == [("assignation", task.id, manager.id)]
    assert notifications_of(kept) == []
    assert [e["person_id"] for e in events("task:assign", project.id)] == [str(added.id)]
    assert [e["person_id"] for e in events("task:unassign", project.id)] == [str(dropped.id)]
    bot, _ = accounts.create_bot("Helper", "helper3@bots.example")
    refused = client.put(f"/data/tasks/{task.id}", headers=headers,
                         json={"assignees": [str(bot.id)]})
    assert refused.status_code == 403 and assignees(task) == {kept.id, added.id}
    unknown = client.put(f"/data/tasks/{task.id}", headers=headers,
                         json={"assignees": [str(uuid.uuid4())]})
    assert unknown.status_code == 400
