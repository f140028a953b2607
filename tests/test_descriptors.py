"""Metadata descriptors (behaviours.md row 7): a production's custom
columns, where their values live, who edits and who sees them, and the
all-projects routes."""
import contextlib
import uuid

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models.entity import Entity
from app.models.events import ApiEvent
from app.models.project import Project
from app.models.person import DepartmentLink
from app.models.settings import EntityType, MetadataDescriptor
from app.models.task import Task
from app.services.descriptors import slug
from tests import factories as f


@pytest.fixture
def admin(client):
    return f.signed_in(client, role="admin")[1]


def headers_of(client, person):
    return f.bearer(f.login(client, person.email).json["access_token"])


def url(project, *rest):
    return "/".join([f"/data/projects/{project.id}/metadata-descriptors", *map(str, rest)])


def data_of(model, row_id):
    db.session.expire_all()
    return db.session.scalar(select(model.data).where(model.id == row_id))


def entity(project, type_name, **values):
    type_id = db.session.scalar(select(EntityType.id).where(EntityType.name == type_name))
    return f.row(Entity, name=f.unique(type_name), project_id=project.id,
                 entity_type_id=type_id, **values)


@contextlib.contextmanager
def statements():
    """The SQL statements the block sends."""
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def event_data(name):
    return db.session.execute(select(ApiEvent.data, ApiEvent.project_id)
                              .where(ApiEvent.name == name)).all()


# Creation ---------------------------------------------------------------------

def test_create_answers_the_descriptor_with_its_slug_and_departments(client, admin):
    project = f.project()
    department = f.department()
    response = client.post(url(project), headers=admin, json={
        "name": "Café Owner's Notes!", "entity_type": "Shot", "data_type": "list",
        "choices": ["a", "b"], "for_client": True, "departments": [str(department.id)]})
    assert response.status_code == 201
    body = response.json
    assert (body["field_name"], body["entity_type"], body["data_type"], body["choices"],
            body["for_client"], body["departments"], body["project_id"], body["type"]) == (
        "cafe_owners_notes", "Shot", "list", ["a", "b"], True, [str(department.id)],
        str(project.id), "MetadataDescriptor")
    assert event_data("metadata-descriptor:new") == [
        ({"metadata_descriptor_id": body["id"], "project_id": str(project.id)}, project.id)]


@pytest.mark.parametrize("name,field_name", [
    ("Frame Range", "frame_range"), ("  --Lens  (mm) ", "lens_mm"), ("Élément Clé", "element_cle"),
    ("日本語", "日本語"), ("It’s done", "its_done"),
])
def test_field_names_are_slugs(name, field_name):
    assert slug(name) == field_name


@pytest.mark.parametrize("data_type", ["string", "number", "list", "taglist", "boolean",
                                       "checklist", "date", "url", "textarea", "person"])
def test_every_data_type_is_accepted(client, admin, data_type):
    response = client.post(url(f.project()), headers=admin,
                           json={"name": "Field", "data_type": data_type})
    assert (response.status_code, response.json["data_type"]) == (201, data_type)


@pytest.mark.parametrize("body,message", [
    ({"name": "X", "data_type": "float"}, "data_type"),
    ({"name": "X", "entity_type": "Person"}, "entity type"),
    ({"name": "X", "entity_type": "Task"}, "task_type_id"),
    ({"name": "X", "entity_type": "Task", "task_type_id": str(uuid.uuid4())}, "task type"),
    ({"name": "X", "entity_type": "Shot", "task_type_id": "TASK_TYPE"}, "task_type_id"),
    ({"name": "X", "departments": [str(uuid.uuid4())]}, "departments"),
    ({"name": "!!!"}, "letter"),
    ({"entity_type": "Asset"}, "name"),
])
def test_bad_descriptors_are_refused_naming_the_problem(client, admin, body, message):
    task_type = f.task_type()
    body = {k: (str(task_type.id) if v == "TASK_TYPE" else v) for k, v in body.items()}
    project = f.project()
    response = client.post(url(project), headers=admin, json=body)
    assert response.status_code == 400
    assert message in response.json["message"]
    assert client.get(url(project), headers=admin).json == []


def test_names_are_unique_per_project_and_entity_type(client, admin):
    project = f.project()
    assert client.post(url(project), headers=admin, json={"name": "Look"}).status_code == 201
    again = client.post(url(project), headers=admin, json={"name": "look"})
    assert again.status_code == 400 and "already exists" in again.json["message"]
    other_kind = client.post(url(project), headers=admin,
                             json={"name": "Look", "entity_type": "Shot"})
    assert other_kind.status_code == 201


def test_task_descriptors_belong_to_one_task_type(client, admin):
    project = f.project()
    first, second = f.task_type(), f.task_type()
    for task_type in (first, second):
        response = client.post(url(project), headers=admin, json={
            "name": "Difficulty", "entity_type": "Task", "task_type_id": str(task_type.id)})
        assert response.status_code == 201
        assert response.json["task_type_id"] == str(task_type.id)


# Reading ----------------------------------------------------------------------

def test_each_role_sees_its_descriptors_in_display_order(client, admin):
    project = f.project()
    modeling, layout = f.department(), f.department()
    public = f.metadata_descriptor(project, name="B public", for_client=True, position=2)
    first = f.metadata_descriptor(project, name="Z first", position=1)
    mine = f.metadata_descriptor(project, name="A modeling", departments=[modeling])
    f.metadata_descriptor(project, name="C layout", departments=[layout])
    everything = [d["name"] for d in client.get(url(project), headers=admin).json]
    assert everything == ["Z first", "B public", "A modeling", "C layout"]
    vendor = f.member(project, "vendor")
    f.row(DepartmentLink, person_id=vendor.id, department_id=modeling.id)
    seen = {
        "client": [public.name],
        "vendor": [first.name, public.name, mine.name],
        "user": everything,
    }
    for role, names in seen.items():
        person = vendor if role == "vendor" else f.member(project, role)
        listed = client.get(url(project), headers=headers_of(client, person)).json
        assert [d["name"] for d in listed] == names, role


def test_a_descriptor_is_read_through_its_own_project_only(client, admin):
    project, other = f.project(), f.project()
    descriptor = f.metadata_descriptor(other)
    assert client.get(url(project, descriptor.id), headers=admin).status_code == 404
    found = client.get(url(other, descriptor.id), headers=admin).json
    assert (found["id"], found["departments"]) == (str(descriptor.id), [])
    customer = f.member(other, "client")
    refused = client.get(url(other, descriptor.id), headers=headers_of(client, customer))
    assert refused.status_code == 403


# Renaming and deleting move the stored values ----------------------------------

def test_renaming_moves_the_key_in_every_entity_in_one_update(client, admin):
    project, other = f.project(), f.project()
    descriptor = client.post(url(project), headers=admin, json={"name": "Old Name"}).json
    assets = [f.asset(project, data={"old_name": n, "keep": True}) for n in range(3)]
    shot = entity(project, "Shot", data={"old_name": "shot value"})
    elsewhere = f.asset(other, data={"old_name": "other project"})
    with statements() as sent:
        response = client.put(url(project, descriptor["id"]), headers=admin,
                              json={"name": "New Name"})
    assert (response.status_code, response.json["field_name"]) == (200, "new_name")
    assert len([s for s in sent if s.startswith("UPDATE entity")]) == 1
    assert [data_of(Entity, a.id) for a in assets] == [
        {"new_name": n, "keep": True} for n in range(3)]
    assert data_of(Entity, shot.id) == {"old_name": "shot value"}
    assert data_of(Entity, elsewhere.id) == {"old_name": "other project"}
    assert len(event_data("metadata-descriptor:update")) == 1


def test_deleting_strips_the_values_in_one_update(client, admin):
    project = f.project()
    descriptor = client.post(url(project), headers=admin,
                             json={"name": "Lens", "entity_type": "Shot"}).json
    shots = [entity(project, "Shot", data={"lens": 35, "other": 1}) for _ in range(2)]
    with statements() as sent:
        assert client.delete(url(project, descriptor["id"]), headers=admin).status_code == 204
    assert len([s for s in sent if s.startswith("UPDATE entity")]) == 1
    assert [data_of(Entity, s.id) for s in shots] == [{"other": 1}, {"other": 1}]
    assert client.get(url(project, descriptor["id"]), headers=admin).status_code == 404
    assert len(event_data("metadata-descriptor:delete")) == 1


def test_task_and_project_values_move_too(client, admin):
    project = f.project(data={"budget": 10})
    task_type = f.task_type()
    on_type = f.task(project, task_type_=task_type, data={"hard": True})
    other_type = f.task(project, data={"hard": False})
    task_descriptor = client.post(url(project), headers=admin, json={
        "name": "Hard", "entity_type": "Task", "task_type_id": str(task_type.id)}).json
    project_descriptor = client.post(url(project), headers=admin, json={
        "name": "Budget", "entity_type": "Project"}).json
    client.put(url(project, task_descriptor["id"]), headers=admin, json={"name": "Very hard"})
    client.put(url(project, project_descriptor["id"]), headers=admin, json={"name": "Money"})
    assert data_of(Task, on_type.id) == {"very_hard": True}
    assert data_of(Task, other_type.id) == {"hard": False}
    assert data_of(Project, project.id) == {"money": 10}
    client.delete(url(project, project_descriptor["id"]), headers=admin)
    assert data_of(Project, project.id) == {}


def test_an_update_changes_only_what_it_gives(client, admin):
    project = f.project()
    department = f.department()
    descriptor = client.post(url(project), headers=admin, json={
        "name": "Status", "data_type": "list", "choices": ["a"], "for_client": True}).json
    updated = client.put(url(project, descriptor["id"]), headers=admin,
                         json={"departments": [str(department.id)]}).json
    assert (updated["name"], updated["choices"], updated["for_client"], updated["departments"]) \
        == ("Status", ["a"], True, [str(department.id)])
    for body in ({"name": ""}, {"data_type": "colour"}):
        assert client.put(url(project, descriptor["id"]), headers=admin,
                          json=body).status_code == 400


def test_a_rename_onto_another_descriptor_is_refused(client, admin):
    project = f.project()
    client.post(url(project), headers=admin, json={"name": "Taken"})
    other = client.post(url(project), headers=admin, json={"name": "Free"}).json
    asset = f.asset(project, data={"free": 1})
    response = client.put(url(project, other["id"]), headers=admin, json={"name": "TAKEN"})
    assert response.status_code == 400
    assert data_of(Entity, asset.id) == {"free": 1}


def test_generic_crud_keeps_values_in_step(client, admin):
    project = f.project()
    descriptor = f.metadata_descriptor(project, name="Look", field_name="look")
    asset = f.asset(project, data={"look": "red"})
    moved = client.put(f"/data/metadata-descriptors/{descriptor.id}", headers=admin,
                       json={"field_name": "colour"})
    assert moved.status_code == 200
    assert data_of(Entity, asset.id) == {"colour": "red"}
    assert client.delete(f"/data/metadata-descriptors/{descriptor.id}",
                         headers=admin).status_code == 204
    assert data_of(Entity, asset.id) == {}


# Departments restrict who edits ---------------------------------------------------

def _supervisor(project, *departments):
    person = f.member(project, "supervisor")
    for department in departments:
        f.row(DepartmentLink, person_id=person.id, department_id=department.id)
    return person


def test_supervisors_edit_the_descriptors_of_their_departments(client):
    project = f.project()
    mine, theirs = f.department(), f.department()
    headers = headers_of(client, _supervisor(project, mine))
    own = client.post(url(project), headers=headers,
                      json={"name": "Mine", "departments": [str(mine.id)]})
    assert own.status_code == 201
    for departments in ([], [str(theirs.id)], [str(mine.id), str(theirs.id)]):
        response = client.post(url(project), headers=headers,
                               json={"name": "Other", "departments": departments})
        assert response.status_code == 403, departments
    foreign = f.metadata_descriptor(project, departments=[theirs])
    assert client.put(url(project, foreign.id), headers=headers,
                      json={"name": "Taken over"}).status_code == 403
    assert client.delete(url(project, foreign.id), headers=headers).status_code == 403
    # Moving one's own descriptor to another department is refused too.
    assert client.put(url(project, own.json["id"]), headers=headers,
                      json={"departments": [str(theirs.id)]}).status_code == 403
    assert client.put(url(project, own.json["id"]), headers=headers,
                      json={"name": "Still mine"}).status_code == 200


def test_gap_a_supervisor_of_several_departments_manages_one_of_them(client):
    """(gap) Zou wants every department of the supervisor in the
    descriptor's list, so a supervisor of two departments cannot create a
    column for one of them; here the descriptor's departments must be the
    supervisor's, which is the rule the Kitsu UI describes."""
    project = f.project()
    first, second = f.department(), f.department()
    headers = headers_of(client, _supervisor(project, first, second))
    response = client.post(url(project), headers=headers,
                           json={"name": "One", "departments": [str(first.id)]})
    assert response.status_code == 201


def test_a_supervisor_without_department_counts_as_in_all(client):
    project = f.project()
    headers = headers_of(client, _supervisor(project))
    response = client.post(url(project), headers=headers,
                           json={"name": "Any", "departments": [str(f.department().id)]})
    assert response.status_code == 201


# Order ----------------------------------------------------------------------------

def test_reorder_puts_the_given_ids_first_then_the_others_by_name(client, admin):
    project = f.project()
    a, b, c, d = (f.metadata_descriptor(project, name=n) for n in ("A", "B", "C", "D"))
    shot = f.metadata_descriptor(project, name="Shot one", entity_type="Shot")
    response = client.post(url(project, "reorder"), headers=admin, json={
        "entity_type": "Asset", "descriptor_ids": [str(c.id), str(a.id)]})
    assert response.status_code == 200
    assert [(r["name"], r["position"]) for r in response.json] == [
        ("C", 1), ("A", 2), ("B", 3), ("D", 4)]
    wrong = client.post(url(project, "reorder"), headers=admin, json={
        "entity_type": "Asset", "descriptor_ids": [str(shot.id)]})
    assert wrong.status_code == 400
    assert client.post(url(project, "reorder"), headers=admin, json={
        "entity_type": "Asset"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(MetadataDescriptor, d.id).position == 4
    assert db.session.get(MetadataDescriptor, b.id).position == 3


# Every open project at once -----------------------------------------------------------

ALL = "/data/metadata-descriptors/all-projects"


def _managed(client):
    """A global manager managing two open projects, on a third as an artist,
    and on a closed one; the headers and those projects."""
    manager = f.person(role="manager")
    first, second = f.project(), f.project()
    as_artist, closed = f.project(), f.close(f.project())
    for project in (first, second, closed):
        f.join_team(project, manager)
    f.join_team(as_artist, manager, "user")
    return headers_of(client, manager), (first, second), (as_artist, closed)


def _descriptors(project):
    return db.session.execute(select(MetadataDescriptor.name, MetadataDescriptor.field_name)
                              .where(MetadataDescriptor.project_id == project.id)).all()


def test_all_projects_create_update_delete_on_managed_open_projects(client):
    headers, managed, untouched = _managed(client)
    f.metadata_descriptor(managed[1], entity_type="Project", name="Client",
                          field_name="client")
    created = client.post(ALL, headers=headers, json={"name": "Client", "entity_type": "Project"})
    assert created.status_code == 201
    assert [r["project_id"] for r in created.json] == [str(managed[0].id)]
    assert all(_descriptors(p) == [] for p in untouched)
    for project in managed:
        project.data = {"client": "ACME"}
    db.session.commit()
    with statements() as sent:
        renamed = client.put(f"{ALL}/client", headers=headers,
                             json={"entity_type": "Project", "name": "Customer"})
    assert len([s for s in sent if s.startswith("UPDATE project ")]) == 1
    assert sorted(r["field_name"] for r in renamed.json) == ["customer", "customer"]
    assert [data_of(Project, p.id) for p in managed] == [{"customer": "ACME"}] * 2
    removed = client.delete(f"{ALL}/customer?entity_type=Project", headers=headers)
    assert removed.status_code == 200 and len(removed.json) == 2
    assert [data_of(Project, p.id) for p in managed] == [{}, {}]
    assert all(_descriptors(p) == [] for p in managed)


def test_all_projects_reorder_orders_each_project_by_field_name(client):
    headers, managed, _ = _managed(client)
    for project in managed:
        for name in ("One", "Two", "Three"):
            f.metadata_descriptor(project, name=name, field_name=name.lower())
    response = client.post("/actions/metadata-descriptors/all-projects/reorder",
                           headers=headers,
                           json={"entity_type": "Asset", "field_order": ["three", "one"]})
    assert response.status_code == 200
    assert [(r["project_id"], r["field_name"], r["position"]) for r in response.json] == [
        (str(p.id), name, n) for p in sorted(managed, key=lambda p: str(p.id))
        for n, name in enumerate(("three", "one", "two"), start=1)]


@pytest.mark.parametrize("body", [{"name": "X", "entity_type": "Task"},
                                  {"name": "X", "data_type": "float"}])
def test_all_projects_refuses_tasks_and_bad_types(client, admin, body):
    assert client.post(ALL, headers=admin, json=body).status_code == 400


def test_all_projects_need_a_global_manager(client):
    project = f.project()
    person = f.member(project, "user", project_role="manager")
    headers = headers_of(client, person)
    assert client.post(ALL, headers=headers, json={"name": "X"}).status_code == 403
    assert client.delete(f"{ALL}/x?entity_type=Asset", headers=headers).status_code == 403
    assert client.delete(f"{ALL}/x", headers=headers).status_code == 400
