"""A production's settings (behaviours.md row 5): task types with their
priority, task statuses, asset types, status automations, preview
backgrounds, the batch route, software per task type and the reorders."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.person import DepartmentLink
from app.models.project import ProjectTaskStatusLink, ProjectTaskTypeLink
from app.models.settings import EntityType, PreviewBackgroundFile, Software, StatusAutomation, \
    TaskType
from tests import factories as f


@pytest.fixture
def admin(client):
    return f.signed_in(client, role="admin")[1]


@pytest.fixture
def project():
    return f.project()


def headers_of(client, person):
    return f.bearer(f.login(client, person.email).json["access_token"])


def settings_url(project, kind, *rest):
    return "/".join([f"/data/projects/{project.id}/settings/{kind}", *map(str, rest)])


def updates(project):
    return db.session.scalar(select(func.count()).where(
        ApiEvent.name == "project:update", ApiEvent.project_id == project.id))


def task_type_link(project, task_type):
    db.session.expire_all()
    return db.session.scalar(select(ProjectTaskTypeLink).where(
        ProjectTaskTypeLink.project_id == project.id,
        ProjectTaskTypeLink.task_type_id == task_type.id))


# Task types ---------------------------------------------------------------------

def test_task_types_are_added_with_their_priority_and_listed(client, admin, project):
    first, second = f.task_type(priority=5), f.task_type(priority=1)
    response = client.post(settings_url(project, "task-types"), headers=admin,
                           json={"task_type_id": str(first.id), "priority": 3})
    assert response.status_code == 201
    assert response.json["task_types"] == [str(first.id)]
    client.post(settings_url(project, "task-types"), headers=admin,
                json={"task_type_id": str(second.id)})
    listed = client.get(f"/data/projects/{project.id}/task-types", headers=admin).json
    assert [t["id"] for t in listed] == [str(second.id), str(first.id)]
    assert {t["type"] for t in listed} == {"TaskType"}
    assert task_type_link(project, first).priority == 3
    assert updates(project) == 2


def test_adding_again_changes_only_what_is_given(client, admin, project):
    task_type = f.task_type()
    target = settings_url(project, "task-types")
    client.post(target, headers=admin, json={"task_type_id": str(task_type.id), "priority": 2,
                                             "hd_bitrate_compression": 20,
                                             "is_client_visible": False})
    client.post(target, headers=admin, json={"task_type_id": str(task_type.id), "priority": 7})
    link = task_type_link(project, task_type)
    assert (link.priority, link.hd_bitrate_compression, link.is_client_visible) == (7, 20, False)
    client.post(target, headers=admin, json={"task_type_id": str(task_type.id),
                                             "hd_bitrate_compression": None})
    link = task_type_link(project, task_type)
    assert (link.priority, link.hd_bitrate_compression) == (7, None)
    assert db.session.scalar(select(func.count()).where(
        ProjectTaskTypeLink.project_id == project.id)) == 1


@pytest.mark.parametrize("body", [
    {"hd_bitrate_compression": 99}, {"ld_bitrate_compression": 0},
    {"hd_bitrate_compression": 5, "ld_bitrate_compression": 6},
])
def test_task_type_bitrates_are_checked(client, admin, project, body):
    task_type = f.task_type()
    response = client.post(settings_url(project, "task-types"), headers=admin,
                           json={"task_type_id": str(task_type.id), **body})
    assert response.status_code == 400
    assert task_type_link(project, task_type) is None


def test_unknown_rows_are_refused_and_removal_is_idempotent(client, admin, project):
    for kind, key in (("task-types", "task_type_id"), ("task-status", "task_status_id"),
                      ("asset-types", "asset_type_id"),
                      ("status-automations", "status_automation_id"),
                      ("preview-background-files", "preview_background_file_id")):
        response = client.post(settings_url(project, kind), headers=admin,
                               json={key: str(uuid.uuid4())})
        assert response.status_code == 400, kind
        assert client.post(settings_url(project, kind), headers=admin,
                           json={}).status_code == 400
        assert client.delete(settings_url(project, kind, uuid.uuid4()),
                             headers=admin).status_code == 204


def test_removing_a_task_type(client, admin, project):
    task_type = f.task_type()
    client.post(settings_url(project, "task-types"), headers=admin,
                json={"task_type_id": str(task_type.id)})
    assert client.delete(settings_url(project, "task-types", task_type.id),
                         headers=admin).status_code == 204
    assert client.get(f"/data/projects/{project.id}/task-types", headers=admin).json == []


# Task statuses ------------------------------------------------------------------

def test_task_statuses_and_their_client_override(client, admin, project):
    status = f.task_status(is_client_allowed=True)
    created = client.post(settings_url(project, "task-status"), headers=admin,
                          json={"task_status_id": str(status.id)})
    assert created.status_code == 201 and created.json["task_statuses"] == [str(status.id)]
    listed = client.get(settings_url(project, "task-status"), headers=admin).json
    assert [s["id"] for s in listed] == [str(status.id)]
    item = settings_url(project, "task-status", status.id)
    refused = client.put(item, headers=admin, json={"is_client_allowed": False})
    assert refused.status_code == 200
    assert (refused.json["type"], refused.json["is_client_allowed"],
            refused.json["task_status_id"]) == ("ProjectTaskStatusLink", False, str(status.id))
    assert client.put(item, headers=admin, json={"is_client_allowed": None}).json[
        "is_client_allowed"] is None
    assert client.put(item, headers=admin, json={}).status_code == 400
    assert client.delete(item, headers=admin).status_code == 204
    assert client.put(item, headers=admin, json={"is_client_allowed": True}).status_code == 404


def test_status_board_roles_default_to_every_role_but_client(client, admin, project):
    status = f.task_status()
    client.post(settings_url(project, "task-status"), headers=admin,
                json={"task_status_id": str(status.id)})
    link = db.session.scalar(select(ProjectTaskStatusLink).where(
        ProjectTaskStatusLink.project_id == project.id))
    assert "client" not in link.roles_for_board and "user" in link.roles_for_board


# Asset types, automations, backgrounds ------------------------------------------------

def test_asset_types_exclude_built_in_types(client, admin, project):
    prop = f.asset_type()
    added = client.post(settings_url(project, "asset-types"), headers=admin,
                        json={"asset_type_id": str(prop.id)})
    assert added.status_code == 201 and added.json["asset_types"] == [str(prop.id)]
    shot = db.session.scalar(select(EntityType.id).where(EntityType.name == "Shot"))
    refused = client.post(settings_url(project, "asset-types"), headers=admin,
                          json={"asset_type_id": str(shot)})
    assert refused.status_code == 400 and "built-in" in refused.json["message"]
    assert client.delete(settings_url(project, "asset-types", prop.id),
                         headers=admin).status_code == 204
    assert client.get(f"/data/projects/{project.id}", headers=admin).json["asset_types"] == []


@pytest.mark.parametrize("kind,key,model,values", [
    ("status-automations", "status_automation_id", StatusAutomation, {}),
    ("preview-background-files", "preview_background_file_id", PreviewBackgroundFile,
     {"name": "HDR"}),
])
def test_automations_and_backgrounds_round_trip(client, admin, project, kind, key, model,
                                                values):
    row = f.row(model, **values)
    added = client.post(settings_url(project, kind), headers=admin, json={key: str(row.id)})
    assert added.status_code == 201
    assert added.json[kind.replace("-", "_")] == [str(row.id)]
    listed = client.get(settings_url(project, kind), headers=admin).json
    assert [r["id"] for r in listed] == [str(row.id)]
    assert listed[0]["type"] == model.__name__
    assert client.delete(settings_url(project, kind, row.id), headers=admin).status_code == 204
    assert client.get(settings_url(project, kind), headers=admin).json == []


# Batch ------------------------------------------------------------------------------

def test_batch_adds_everything_in_one_go(client, admin, project):
    kept, changed, new = f.task_type(), f.task_type(), f.task_type()
    for task_type in (kept, changed):
        client.post(settings_url(project, "task-types"), headers=admin, json={
            "task_type_id": str(task_type.id), "priority": 1, "is_client_visible": False})
    status, prop = f.task_status(), f.asset_type()
    response = client.post(settings_url(project, "batch"), headers=admin, json={
        "task_types": [{"task_type_id": str(changed.id), "priority": 9},
                       {"task_type_id": str(new.id), "priority": 2}],
        "task_status_ids": [str(status.id)], "asset_type_ids": [str(prop.id)]})
    assert response.status_code == 200
    body = response.json
    assert sorted(body["task_types"]) == sorted(str(t.id) for t in (kept, changed, new))
    assert (body["task_statuses"], body["asset_types"]) == ([str(status.id)], [str(prop.id)])
    changed_link, new_link = task_type_link(project, changed), task_type_link(project, new)
    assert (changed_link.priority, changed_link.is_client_visible) == (9, False)
    assert (new_link.priority, new_link.is_client_visible) == (2, True)


def test_batch_can_replace_the_task_types(client, admin, project):
    old, wanted = f.task_type(), f.task_type()
    client.post(settings_url(project, "task-types"), headers=admin,
                json={"task_type_id": str(old.id)})
    body = client.post(settings_url(project, "batch"), headers=admin, json={
        "task_types": [{"task_type_id": str(wanted.id)}], "replace_task_types": True}).json
    assert body["task_types"] == [str(wanted.id)]


def test_a_batch_with_an_unknown_id_changes_nothing(client, admin, project):
    task_type = f.task_type()
    response = client.post(settings_url(project, "batch"), headers=admin, json={
        "task_types": [{"task_type_id": str(task_type.id)}],
        "task_status_ids": [str(uuid.uuid4())]})
    assert response.status_code == 400 and "task_status_ids" in response.json["message"]
    assert task_type_link(project, task_type) is None
    bad_entry = client.post(settings_url(project, "batch"), headers=admin,
                            json={"task_types": [{"priority": 1}]})
    assert bad_entry.status_code == 400 and "task_type_id" in bad_entry.json["message"]


# Software per task type -------------------------------------------------------------------

def _software(**values):
    return f.row(Software, name=f.unique("Blender"), short_name="bl", file_extension="blend",
                 **values)


def test_software_is_picked_per_task_type(client, admin, project):
    task_type = f.task_type()
    client.post(settings_url(project, "task-types"), headers=admin,
                json={"task_type_id": str(task_type.id)})
    software = _software()
    target = f"/data/projects/{project.id}/task-types/{task_type.id}/softwares"
    link = {"project_id": str(project.id), "task_type_id": str(task_type.id),
            "software_id": str(software.id)}
    for _ in range(2):
        response = client.post(target, headers=admin, json={"software_id": str(software.id)})
        assert (response.status_code, response.json) == (201, link)
    listed = client.get(f"/data/projects/{project.id}/task-type-softwares", headers=admin)
    assert listed.json == [link]
    assert updates(project) == 2  # the task type, then the software once
    assert client.delete(f"{target}/{software.id}", headers=admin).status_code == 204
    assert client.get(f"/data/projects/{project.id}/task-type-softwares",
                      headers=admin).json == []


def test_software_rules(client, admin, project):
    used, unused = f.task_type(), f.task_type()
    client.post(settings_url(project, "task-types"), headers=admin,
                json={"task_type_id": str(used.id)})
    base = f"/data/projects/{project.id}/task-types"
    archived = _software(archived=True)
    cases = [
        (unused.id, {"software_id": str(_software().id)}, 400),
        (used.id, {"software_id": str(archived.id)}, 400),
        (used.id, {"software_id": str(uuid.uuid4())}, 404),
        (uuid.uuid4(), {"software_id": str(_software().id)}, 404),
    ]
    for task_type_id, body, status in cases:
        response = client.post(f"{base}/{task_type_id}/softwares", headers=admin, json=body)
        assert response.status_code == status, body


def test_supervisors_pick_software_for_their_department_only(client, project):
    modeling, layout = f.department(), f.department()
    theirs = f.task_type(department_id=modeling.id)
    others = f.task_type(department_id=layout.id)
    for task_type in (theirs, others):
        f.row(ProjectTaskTypeLink, project_id=project.id, task_type_id=task_type.id)
    supervisor = f.member(project, "supervisor")
    f.row(DepartmentLink, person_id=supervisor.id, department_id=modeling.id)
    headers = headers_of(client, supervisor)
    software = _software()
    base = f"/data/projects/{project.id}/task-types"
    assert client.post(f"{base}/{theirs.id}/softwares", headers=headers,
                       json={"software_id": str(software.id)}).status_code == 201
    assert client.post(f"{base}/{others.id}/softwares", headers=headers,
                       json={"software_id": str(software.id)}).status_code == 403
    assert client.delete(f"{base}/{others.id}/softwares/{software.id}",
                         headers=headers).status_code == 403


# Orders -----------------------------------------------------------------------------------

def test_the_studio_task_type_order(client, admin):
    first, second = f.task_type(priority=1), f.task_type(priority=2)
    response = client.post("/actions/task-types/reorder", headers=admin, json={
        "task_type_ids": [str(second.id), str(uuid.uuid4()), str(first.id)]})
    assert response.status_code == 200
    assert [(t["id"], t["priority"]) for t in response.json] == [
        (str(second.id), 1), (str(first.id), 3)]
    db.session.expire_all()
    assert db.session.get(TaskType, first.id).priority == 3
    assert client.post("/actions/task-types/reorder", headers=admin,
                       json={"task_type_ids": ["nope"]}).status_code == 400


@pytest.mark.parametrize("kind,key,make", [
    ("task-type-links", "task_type_ids", lambda: f.task_type()),
    ("task-status-links", "task_status_ids", lambda: f.task_status()),
])
def test_a_project_orders_its_task_types_and_statuses(client, admin, project, kind, key, make):
    setting = "task-types" if kind == "task-type-links" else "task-status"
    field = "task_type_id" if setting == "task-types" else "task_status_id"
    rows = [make() for _ in range(3)]
    for row in rows:
        client.post(settings_url(project, setting), headers=admin, json={field: str(row.id)})
    outsider = make()
    wanted = [rows[2], outsider, rows[0], rows[1]]
    before = updates(project)
    response = client.post(f"/actions/projects/{project.id}/{kind}/reorder", headers=admin,
                           json={key: [str(r.id) for r in wanted]})
    assert response.status_code == 200
    assert [(r[field], r["priority"]) for r in response.json] == [
        (str(rows[2].id), 1), (str(rows[0].id), 3), (str(rows[1].id), 4)]
    assert updates(project) == before + 1
    open_row = next(p for p in client.get("/data/projects/open", headers=admin).json
                    if p["id"] == str(project.id))
    links = open_row["task_type_links" if setting == "task-types" else "task_statuses_link"]
    assert links[str(rows[2].id)]["priority"] == 1


@pytest.mark.parametrize("collection,key,make,change", [
    ("task-type-links", "task_type_id", lambda: f.task_type(), {"priority": 5}),
    ("task-status-links", "task_status_id", lambda: f.task_status(),
     {"priority": 2, "roles_for_board": ["manager"]}),
])
def test_posting_a_link_again_updates_it(client, project, collection, key, make, change):
    """Zou upserts these links: Kitsu posts them again to change a priority."""
    headers = headers_of(client, f.member(project, "manager"))
    payload = {"project_id": str(project.id), key: str(make().id)}
    first = client.post(f"/data/{collection}", headers=headers, json={**payload, "priority": 1})
    again = client.post(f"/data/{collection}", headers=headers, json={**payload, **change})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json["id"] == first.json["id"]
    assert {k: again.json[k] for k in change} == change
    assert updates(project) == 2
