"""Bulk task creation (the create-tasks actions), priorities and the
supervisor's share of PUT /data/tasks/<id> (behaviours.md row 13)."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.settings import TaskStatus, TaskTypeAssetTypeLink
from app.models.task import Task
from tests import factories as f

BASE = "/actions/projects/{project}/task-types/{task_type}"


def events(name, project_id=None):
    stmt = select(ApiEvent.data).where(ApiEvent.name == name)
    if project_id is not None:
        stmt = stmt.where(ApiEvent.project_id == project_id)
    return db.session.scalars(stmt).all()


def tasks_of(task_type):
    db.session.expire_all()
    return db.session.scalars(select(Task).where(Task.task_type_id == task_type.id)).all()


def url(project, task_type, kind):
    return BASE.format(project=project.id, task_type=task_type.id) + f"/{kind}/create-tasks"


def signed_in_member(client, project, role, **values):
    person, headers = f.signed_in(client, role, **values)
    f.join_team(project, person)
    return person, headers


def _supervisor(client, project, department=None):
    person, headers = signed_in_member(client, project, "supervisor")
    person.departments = [department] if department else []
    db.session.commit()
    return person, headers


def status_name(task):
    return db.session.get(TaskStatus, task.task_status_id).name


# Creating tasks -------------------------------------------------------------------

def test_manager_creates_a_task_on_every_shot_skipping_existing_ones(client):
    project = f.project()
    manager, headers = signed_in_member(client, project, "manager")
    layout = f.task_type(for_entity="Shot")
    shots = [f.temporal(project, "Shot") for _ in range(3)]
    f.temporal(f.project(), "Shot")  # another production's shot
    existing = f.task(project, shots[0], layout, name="main")
    response = client.post(url(project, layout, "shots"), headers=headers)
    assert response.status_code == 201
    made = response.json
    assert sorted(t["entity_id"] for t in made) == sorted(str(s.id) for s in shots[1:])
    assert {(t["type"], t["name"], t["task_status_name"], t["task_type_name"],
             t["assigner_id"], t["project_id"]) for t in made} == {
        ("Task", "main", "Todo", layout.name, str(manager.id), str(project.id))}
    assert all(t["assignees"] == [] for t in made)
    stored = tasks_of(layout)
    assert len(stored) == 3 and existing.id in {t.id for t in stored}
    assert {status_name(t) for t in stored if t.id != existing.id} == {"Todo"}
    assert sorted(e["task_id"] for e in events("task:new", project.id)) == sorted(
        t["id"] for t in made)
    # A second run makes nothing.
    again = client.post(url(project, layout, "shots"), headers=headers)
    assert (again.status_code, again.json) == (201, [])


def test_listed_ids_narrow_the_creation_and_foreign_ones_are_skipped(client):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    layout = f.task_type(for_entity="Shot")
    first, second = f.temporal(project, "Shot"), f.temporal(project, "Shot")
    foreign = f.temporal(f.project(), "Shot")
    response = client.post(url(project, layout, "shots"), headers=headers,
                           json=[str(first.id), str(foreign.id)])
    assert response.status_code == 201
    assert [t["entity_id"] for t in response.json] == [str(first.id)]
    assert {t.entity_id for t in tasks_of(layout)} == {first.id}
    # An empty list selects nothing in particular: every shot.
    rest = client.post(url(project, layout, "shots"), headers=headers, json=[])
    assert [t["entity_id"] for t in rest.json] == [str(second.id)]


@pytest.mark.parametrize("body,status", [
    (["not-an-id"], 400),
    ({"entity_ids": "x"}, 400),
    ([str(uuid.uuid4())], 404),
])
def test_bad_entity_lists_are_refused(client, body, status):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    layout = f.task_type(for_entity="Shot")
    f.temporal(project, "Shot")
    response = client.post(url(project, layout, "shots"), headers=headers, json=body)
    assert response.status_code == status
    assert tasks_of(layout) == []


def test_an_asset_id_is_not_a_shot(client):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    layout = f.task_type(for_entity="Shot")
    response = client.post(url(project, layout, "shots"), headers=headers,
                           json=[str(f.asset(project).id)])
    assert response.status_code == 404


def test_a_task_type_for_another_kind_is_refused(client):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    modeling = f.task_type(for_entity="Asset")
    f.temporal(project, "Shot")
    response = client.post(url(project, modeling, "shots"), headers=headers)
    assert response.status_code == 400 and "Asset" in response.json["message"]
    assert tasks_of(modeling) == []


def test_unknown_task_type_or_project_is_not_found(client):
    project = f.project()
    _, headers = f.signed_in(client, "admin")
    missing = BASE.format(project=project.id, task_type=uuid.uuid4()) + "/shots/create-tasks"
    assert client.post(missing, headers=headers).status_code == 404
    other = BASE.format(project=uuid.uuid4(), task_type=f.task_type().id)
    assert client.post(other + "/shots/create-tasks", headers=headers).status_code == 404


def test_assets_get_tasks_only_where_their_workflow_takes_the_task_type(client):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    modeling, rigging = f.task_type(), f.task_type()
    open_type, with_modeling, without = f.asset_type(), f.asset_type(), f.asset_type()
    for asset_type, task_type in ((with_modeling, modeling), (without, rigging)):
        f.row(TaskTypeAssetTypeLink, asset_type_id=asset_type.id, task_type_id=task_type.id)
    free = f.asset(project, open_type)
    flowing = f.asset(project, with_modeling)
    f.asset(project, without)
    f.temporal(project, "Shot")
    response = client.post(url(project, modeling, "assets"), headers=headers)
    assert response.status_code == 201
    assert sorted(t["entity_id"] for t in response.json) == sorted(
        [str(free.id), str(flowing.id)])


def test_edits_get_tasks(client):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    editing = f.task_type(for_entity="Edit")
    edit = f.temporal(project, "Edit")
    response = client.post(url(project, editing, "edits"), headers=headers)
    assert [t["entity_id"] for t in response.json] == [str(edit.id)]


@pytest.mark.parametrize("role,status", [
    ("admin", 201), ("manager", 201), ("supervisor", 201), ("user", 201),
    ("client", 403), ("vendor", 403), ("outsider", 403),
])
def test_concept_tasks_are_open_to_members_but_clients_and_vendors(client, role, status):
    project = f.project()
    if role == "outsider":
        _, headers = f.signed_in(client, "user")
    elif role == "admin":
        _, headers = f.signed_in(client, "admin")
    else:
        _, headers = signed_in_member(client, project, role)
    concept_type = f.task_type(for_entity="Concept")
    concept = f.temporal(project, "Concept")
    response = client.post(url(project, concept_type, "concepts"), headers=headers)
    assert response.status_code == status
    if status == 201:
        [made] = response.json
        assert (made["entity_id"], made["task_status_name"]) == (str(concept.id), "Neutral")
        assert [status_name(t) for t in tasks_of(concept_type)] == ["Neutral"]
    else:
        assert tasks_of(concept_type) == []


@pytest.mark.parametrize("role", ["supervisor", "user", "client", "vendor", "outsider", "bot"])
@pytest.mark.parametrize("kind,for_entity", [("shots", "Shot"), ("assets", "Asset"),
                                             ("edits", "Edit")])
def test_only_managers_create_shot_asset_and_edit_tasks(client, role, kind, for_entity):
    project = f.project()
    if role == "outsider":
        _, headers = f.signed_in(client, "manager")
    else:
        _, headers = f.on_team(client, project, role)
    task_type = f.task_type(for_entity=for_entity)
    if kind == "assets":
        f.asset(project)
    else:
        f.temporal(project, for_entity)
    assert client.post(url(project, task_type, kind), headers=headers).status_code == 403
    assert tasks_of(task_type) == []


def test_tasks_for_an_entity_type_named_in_the_url(client):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    storyboard = f.task_type(for_entity="Sequence")
    first, second = f.temporal(project, "Episode"), f.temporal(project, "Episode")
    in_first = f.temporal(project, "Sequence", first)
    in_second = f.temporal(project, "Sequence", second)
    base = BASE.format(project=project.id, task_type=storyboard.id)
    only_first = client.post(f"{base}/create-tasks/sequences?episode_id={first.id}",
                             headers=headers)
    assert (only_first.status_code, [t["entity_id"] for t in only_first.json]) == (
        201, [str(in_first.id)])
    rest = client.post(f"{base}/create-tasks/sequence", headers=headers)
    assert [t["entity_id"] for t in rest.json] == [str(in_second.id)]
    assert client.post(f"{base}/create-tasks/nothings", headers=headers).status_code == 404
    _, artist = signed_in_member(client, project, "user")
    assert client.post(f"{base}/create-tasks/sequences", headers=artist).status_code == 403


# Priorities -------------------------------------------------------------------------

def test_set_priority_changes_the_tasks_the_caller_may_plan(client):
    project = f.project()
    department = f.department()
    ours = f.task(project, task_type_=f.task_type(department_id=department.id))
    theirs = f.task(project, task_type_=f.task_type(department_id=f.department().id))
    _, headers = _supervisor(client, project, department)
    response = client.put("/actions/tasks/set-priority", headers=headers, json={
        "task_ids": [str(ours.id), str(theirs.id), str(uuid.uuid4())], "priority": 2})
    assert response.status_code == 200
    assert [(t["id"], t["priority"]) for t in response.json] == [(str(ours.id), 2)]
    db.session.expire_all()
    assert (db.session.get(Task, ours.id).priority,
            db.session.get(Task, theirs.id).priority) == (2, 0)
    assert [e["task_id"] for e in events("task:update", project.id)] == [str(ours.id)]
    for role in ("user", "client", "vendor"):
        _, others = f.on_team(client, project, role)
        skipped = client.put("/actions/tasks/set-priority", headers=others,
                             json={"task_ids": [str(ours.id)], "priority": 4})
        assert (skipped.status_code, skipped.json) == (200, [])
    _, outsider = f.signed_in(client, "manager")
    assert client.put("/actions/tasks/set-priority", headers=outsider, json={
        "task_ids": [str(theirs.id)], "priority": 4}).json == []
    _, manager = signed_in_member(client, project, "manager")
    managed = client.put("/actions/tasks/set-priority", headers=manager,
                         json={"task_ids": [str(theirs.id), str(ours.id)], "priority": 1})
    assert [(t["id"], t["priority"]) for t in managed.json] == [
        (str(theirs.id), 1), (str(ours.id), 1)]


@pytest.mark.parametrize("body", [
    {"task_ids": [], "priority": 1}, {"priority": 1}, {"task_ids": ["x"], "priority": 1},
    {"task_ids": [str(uuid.uuid4())], "priority": -1},
    {"task_ids": [str(uuid.uuid4())]},
])
def test_set_priority_refuses_bad_input(client, body):
    _, headers = f.signed_in(client, "admin")
    assert client.put("/actions/tasks/set-priority", headers=headers,
                      json=body).status_code == 400


# PUT /data/tasks/<id> ----------------------------------------------------------------

@pytest.mark.parametrize("payload,in_department,status", [
    ({"priority": 3, "estimation": 2.5, "difficulty": 4}, True, 200),
    ({"start_date": "2030-01-02T00:00:00", "due_date": "2030-02-01T00:00:00"}, True, 200),
    ({"data": {"notes": "tight"}}, True, 200),
    ({"priority": 3}, False, 403),
    ({"description": "Not theirs"}, True, 403),
    ({"priority": 1, "description": "Mixed"}, True, 403),
    ({"assignees": []}, True, 403),
])
def test_supervisors_update_planning_fields_of_their_departments_tasks(
        client, payload, in_department, status):
    project = f.project()
    department = f.department()
    task_department = department if in_department else f.department()
    _, headers = _supervisor(client, project, department)
    task = f.task(project, task_type_=f.task_type(department_id=task_department.id))
    response = client.put(f"/data/tasks/{task.id}", json=payload, headers=headers)
    assert response.status_code == status
    db.session.expire_all()
    stored = db.session.get(Task, task.id)
    if status == 200:
        for key, value in payload.items():
            assert response.json[key] == value
    else:
        assert (stored.priority, stored.description) == (0, None)


def test_a_supervisor_without_departments_plans_every_task(client):
    project = f.project()
    _, headers = _supervisor(client, project)
    task = f.task(project, task_type_=f.task_type(department_id=f.department().id))
    response = client.put(f"/data/tasks/{task.id}", json={"priority": 5}, headers=headers)
    assert (response.status_code, response.json["priority"]) == (200, 5)


@pytest.mark.parametrize("role", ["user", "client", "vendor"])
def test_other_roles_do_not_update_tasks(client, role):
    project = f.project()
    person, headers = f.on_team(client, project, role)
    task = f.task(project, assignees=[person])
    response = client.put(f"/data/tasks/{task.id}", json={"priority": 2}, headers=headers)
    assert response.status_code == 403


def test_managers_update_anything_and_status_rules_still_apply(client):
    project = f.project()
    _, headers = signed_in_member(client, project, "manager")
    task = f.task(project)
    done = f.task_status(is_done=True)
    response = client.put(f"/data/tasks/{task.id}", headers=headers, json={
        "description": "Brief", "task_status_id": str(done.id), "data": {"a": 1}})
    assert response.status_code == 200
    assert (response.json["description"], response.json["task_status_id"]) == (
        "Brief", str(done.id))
    assert response.json["done_date"] is not None
