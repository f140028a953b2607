"""Project templates (behaviours.md row 6): their settings, templates made
from productions and applied to them, and who may do what."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.entity import Entity
from app.models.project import (
    Project, ProjectAssetTypeLink, ProjectPreviewBackgroundFileLink, ProjectStatusAutomationLink,
    ProjectTaskStatusLink, ProjectTaskTypeLink,
)
from app.models.project_template import (
    ProjectTemplate, ProjectTemplateAssetTypeLink, ProjectTemplatePreviewBackgroundFileLink,
    ProjectTemplateStatusAutomationLink, ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
)
from app.models.settings import (
    DepartmentMetadataDescriptorLink, MetadataDescriptor, PreviewBackgroundFile,
    StatusAutomation,
)
from app.services import templates
from tests import factories as f
from tests.test_schedule import CALLERS, api_events, assert_access, headers_for


@pytest.fixture
def admin(client):
    return headers_for(client, "admin")


def template(**values):
    return f.row(ProjectTemplate, **{"name": f.unique("Template"), **values})


def background():
    return f.row(PreviewBackgroundFile, name=f.unique("Studio")[:40])


def automation():
    return f.row(StatusAutomation, in_task_type_id=f.task_type().id,
                 in_task_status_id=f.task_status().id)


def _base(tpl):
    return f"/data/project-templates/{tpl.id}"


def template_events(action):
    return [e["project_template_id"] for e in api_events(f"project-template:{action}")]


def test_templates_are_written_by_admins_through_the_collection(client, admin):
    created = client.post("/data/project-templates", json={
        "name": "Feature", "fps": "24", "metadata_descriptors": [
            {"name": "Difficulté du plan", "entity_type": "Shot", "data_type": "list",
             "choices": ["easy", "hard"]}]}, headers=admin)
    assert created.status_code == 201
    assert (created.json["fps"], created.json["type"]) == ("24", "ProjectTemplate")
    assert created.json["metadata_descriptors"] == [{
        "name": "Difficulté du plan", "field_name": "difficulte_du_plan", "entity_type": "Shot",
        "task_type_id": None, "data_type": "list", "choices": ["easy", "hard"],
        "for_client": False, "departments": [], "position": None}]
    assert template_events("new") == [created.json["id"]]
    again = client.post("/data/project-templates", json={"name": "Feature"}, headers=admin)
    assert again.status_code == 400 and "name" in again.json["message"]
    url = f"/data/project-templates/{created.json['id']}"
    assert client.put(url, json={"ratio": "2.39"}, headers=admin).json["ratio"] == "2.39"
    assert client.delete(url, headers=admin).status_code == 204
    assert template_events("update") == template_events("delete") == [created.json["id"]]


@pytest.mark.parametrize("caller", CALLERS)
def test_managers_read_templates_and_admins_write_them(client, caller):
    tpl = template()
    headers = headers_for(client, caller)
    readers, writers = {"admin", "manager"}, {"admin"}
    assert_access(client.get("/data/project-templates", headers=headers), caller, readers)
    assert_access(client.get(_base(tpl), headers=headers), caller, readers)
    assert_access(client.put(_base(tpl), json={"fps": "30"}, headers=headers), caller, writers)
    assert_access(client.post("/data/project-templates", json={"name": f.unique("T")},
                              headers=headers), caller, writers)


def test_task_types_are_linked_with_a_priority(client, admin):
    tpl = template()
    first, second = f.task_type(name="Zeta"), f.task_type(name="Alpha")
    url = f"{_base(tpl)}/task-types"
    linked = client.post(url, json={"task_type_id": str(first.id), "priority": 2,
                                    "hd_bitrate_compression": 20}, headers=admin)
    assert linked.status_code == 201
    assert {k: linked.json[k] for k in ("project_template_id", "task_type_id", "priority",
                                        "hd_bitrate_compression", "is_client_visible",
                                        "type")} == {
        "project_template_id": str(tpl.id), "task_type_id": str(first.id), "priority": 2,
        "hd_bitrate_compression": 20, "is_client_visible": True,
        "type": "ProjectTemplateTaskTypeLink"}
    client.post(url, json={"task_type_id": str(second.id), "priority": 1}, headers=admin)
    too_fast = client.post(url, json={"task_type_id": str(second.id),
                                      "hd_bitrate_compression": 10_000}, headers=admin)
    assert too_fast.status_code == 400 and "hd_bitrate_compression" in too_fast.json["message"]
    again = client.post(url, json={"task_type_id": str(first.id), "priority": 5},
                        headers=admin).json
    assert (again["id"], again["priority"], again["hd_bitrate_compression"]) == (
        linked.json["id"], 5, 20)
    rows = client.get(url, headers=admin).json
    assert [(r["id"], r["priority"], r["type"]) for r in rows] == [
        (str(second.id), 1, "TaskType"), (str(first.id), 5, "TaskType")]
    assert rows[1]["hd_bitrate_compression"] == 20 and rows[1]["name"] == "Zeta"

    assert client.delete(f"{url}/{first.id}", headers=admin).status_code == 204
    assert [r["id"] for r in client.get(url, headers=admin).json] == [str(second.id)]
    assert template_events("update") == [str(tpl.id)] * 4


def test_links_need_existing_rows(client, admin):
    tpl = template()
    for kind, field in (("task-types", "task_type_id"), ("task-statuses", "task_status_id"),
                        ("asset-types", "asset_type_id"),
                        ("status-automations", "status_automation_id"),
                        ("preview-background-files", "preview_background_file_id")):
        missing = client.post(f"{_base(tpl)}/{kind}", json={field: str(uuid.uuid4())},
                              headers=admin)
        assert missing.status_code == 400 and field in missing.json["message"], kind
        assert client.post(f"{_base(tpl)}/{kind}", json={}, headers=admin).status_code == 400
        assert client.get(f"/data/project-templates/{uuid.uuid4()}/{kind}",
                          headers=admin).status_code == 404


def test_task_statuses_carry_board_roles_and_client_permission(client, admin):
    tpl = template()
    wip, done = f.task_status(name="WIP"), f.task_status(name="Done")
    url = f"{_base(tpl)}/task-statuses"
    linked = client.post(url, json={"task_status_id": str(wip.id), "priority": 1,
                                    "roles_for_board": ["manager", "client"],
                                    "is_client_allowed": True}, headers=admin)
    assert linked.status_code == 201
    assert (linked.json["roles_for_board"], linked.json["is_client_allowed"]) == (
        ["manager", "client"], True)
    client.post(url, json={"task_status_id": str(done.id), "priority": 2}, headers=admin)
    rows = client.get(url, headers=admin).json
    assert [(r["id"], r["roles_for_board"], r["link_is_client_allowed"]) for r in rows] == [
        (str(wip.id), ["manager", "client"], True),
        (str(done.id), ["user", "admin", "supervisor", "manager", "vendor"], None)]
    bad = client.post(url, json={"task_status_id": str(done.id), "roles_for_board": ["boss"]},
                      headers=admin)
    assert bad.status_code == 400 and "roles_for_board" in bad.json["message"]


def test_reordering_sets_priorities_and_links_the_missing(client, admin):
    tpl = template()
    first, second, third = f.task_type(), f.task_type(), f.task_type()
    client.post(f"{_base(tpl)}/task-types", json={"task_type_id": str(first.id), "priority": 1,
                                                  "ld_bitrate_compression": 3}, headers=admin)
    response = client.post(f"/actions/project-templates/{tpl.id}/task-types/reorder",
                           json={"task_type_ids": [str(third.id), str(first.id),
                                                   str(second.id)]}, headers=admin)
    assert response.status_code == 200
    assert [(r["task_type_id"], r["priority"]) for r in response.json] == [
        (str(third.id), 1), (str(first.id), 2), (str(second.id), 3)]
    assert response.json[1]["ld_bitrate_compression"] == 3
    twice = client.post(f"/actions/project-templates/{tpl.id}/task-types/reorder",
                        json={"task_type_ids": [str(first.id), str(first.id)]}, headers=admin)
    assert twice.status_code == 400 and "task_type_id" in twice.json["message"]
    statuses = [f.task_status(), f.task_status()]
    reordered = client.post(f"/actions/project-templates/{tpl.id}/task-statuses/reorder",
                            json={"task_status_ids": [str(s.id) for s in statuses[::-1]]},
                            headers=admin).json
    assert [(r["task_status_id"], r["priority"]) for r in reordered] == [
        (str(statuses[1].id), 1), (str(statuses[0].id), 2)]


@pytest.mark.parametrize("kind,field,make", [
    ("asset-types", "asset_type_id", f.asset_type),
    ("status-automations", "status_automation_id", automation),
    ("preview-background-files", "preview_background_file_id", background),
])
def test_plain_links_are_added_listed_and_removed(client, admin, kind, field, make):
    tpl = template()
    row, other = make(), make()
    url = f"{_base(tpl)}/{kind}"
    added = client.post(url, json={field: str(row.id)}, headers=admin)
    assert added.status_code == 201 and added.json["id"] == str(row.id)
    assert client.post(url, json={field: str(row.id)}, headers=admin).status_code == 201
    client.post(url, json={field: str(other.id)}, headers=admin)
    listed = client.get(url, headers=admin).json
    assert sorted(r["id"] for r in listed) == sorted([str(row.id), str(other.id)])
    if kind == "asset-types":
        assert listed[0].keys() == {"id", "name"}
    if kind == "preview-background-files":
        assert listed[0].keys() == {"id", "name", "is_default"}
    if kind == "status-automations":
        assert {r["type"] for r in listed} == {"StatusAutomation"}
    assert client.delete(f"{url}/{row.id}", headers=admin).status_code == 204
    assert client.delete(f"{url}/{row.id}", headers=admin).status_code == 204
    assert [r["id"] for r in client.get(url, headers=admin).json] == [str(other.id)]


def test_the_default_background_is_one_of_the_template(client, admin):
    tpl = template()
    linked, stranger = background(), background()
    client.post(f"{_base(tpl)}/preview-background-files",
                json={"preview_background_file_id": str(linked.id)}, headers=admin)
    url = f"{_base(tpl)}/default-preview-background-file"
    refused = client.put(url, json={"default_preview_background_file_id": str(stranger.id)},
                         headers=admin)
    assert refused.status_code == 400
    chosen = client.put(url, json={"default_preview_background_file_id": str(linked.id)},
                        headers=admin)
    assert chosen.json["default_preview_background_file_id"] == str(linked.id)
    client.delete(f"{_base(tpl)}/preview-background-files/{linked.id}", headers=admin)
    assert client.get(_base(tpl), headers=admin).json["default_preview_background_file_id"] \
        is None


def test_descriptor_snapshots_are_replaced_whole(client, admin):
    tpl = template(metadata_descriptors=[{"name": "Old", "entity_type": "Asset"}])
    url = f"{_base(tpl)}/metadata-descriptors"
    wrapped = client.put(url, json={"metadata_descriptors": [
        {"name": "Camera lens", "entity_type": "Shot", "departments": [None]}]}, headers=admin)
    assert [(d["name"], d["field_name"], d["departments"]) for d in
            wrapped.json["metadata_descriptors"]] == [("Camera lens", "camera_lens", [])]
    bare = client.put(url, json=[{"name": "Rig", "field_name": "rig_v2",
                                  "entity_type": "Asset"}], headers=admin)
    assert [d["field_name"] for d in bare.json["metadata_descriptors"]] == ["rig_v2"]
    assert client.put(url, json={"metadata_descriptors": ["nope"]},
                      headers=admin).status_code == 400
    assert client.put(url, json=[1, 2], headers=admin).status_code == 400


def _configured_project():
    """A production with one of every setting a template carries."""
    department = f.department()
    task_type, status, asset_type = f.task_type(), f.task_status(), f.asset_type()
    automation_, backdrop = automation(), background()
    project = f.project(fps="30", ratio="2.39", max_retakes=4, is_clients_isolated=True,
                        production_type="tvshow",
                        file_tree={"working": {"root": "/prod"}}, data={"client": "ACME"},
                        default_preview_background_file_id=backdrop.id)
    f.row(ProjectTaskTypeLink, project_id=project.id, task_type_id=task_type.id, priority=3)
    f.row(ProjectTaskStatusLink, project_id=project.id, task_status_id=status.id, priority=2,
          roles_for_board=["manager"])
    f.row(ProjectAssetTypeLink, project_id=project.id, asset_type_id=asset_type.id)
    f.row(ProjectStatusAutomationLink, project_id=project.id,
          status_automation_id=automation_.id)
    f.row(ProjectPreviewBackgroundFileLink, project_id=project.id,
          preview_background_file_id=backdrop.id)
    descriptor = f.metadata_descriptor(project, name="Lens", field_name="lens",
                                       entity_type="Shot", choices=["35mm"])
    f.row(DepartmentMetadataDescriptorLink, metadata_descriptor_id=descriptor.id,
          department_id=department.id)
    return project, department


def test_a_template_is_made_from_a_production(client, admin):
    project, department = _configured_project()
    response = client.post(f"/data/project-templates/from-project/{project.id}",
                           json={"name": "From prod", "description": "Ours"}, headers=admin)
    assert response.status_code == 201
    made = response.json
    assert (made["name"], made["description"], made["fps"], made["ratio"], made["max_retakes"],
            made["is_clients_isolated"], made["file_tree"], made["data"],
            made["default_preview_background_file_id"]) == (
        "From prod", "Ours", "30", "2.39", 4, True, {"working": {"root": "/prod"}},
        {"client": "ACME"}, str(project.default_preview_background_file_id))
    assert made["metadata_descriptors"] == [{
        "name": "Lens", "field_name": "lens", "entity_type": "Shot", "task_type_id": None,
        "data_type": "string", "choices": ["35mm"], "for_client": False,
        "departments": [str(department.id)], "position": None}]
    for template_link, project_link in templates.LINK_PAIRS:
        copied = db.session.execute(select(template_link).where(
            template_link.project_template_id == made["id"])).scalars().all()
        assert len(copied) == 1, template_link.__name__
    status_link = db.session.scalar(select(ProjectTemplateTaskStatusLink).where(
        ProjectTemplateTaskStatusLink.project_template_id == made["id"]))
    assert (status_link.priority, status_link.roles_for_board) == (2, ["manager"])
    assert template_events("new") == [made["id"]]
    taken = client.post(f"/data/project-templates/from-project/{project.id}",
                        json={"name": "From prod"}, headers=admin)
    assert taken.status_code == 400
    assert client.post(f"/data/project-templates/from-project/{uuid.uuid4()}",
                       json={"name": "X"}, headers=admin).status_code == 404


def test_applying_a_template_merges_it_into_a_production(client, admin):
    source, department = _configured_project()
    tpl_id = client.post(f"/data/project-templates/from-project/{source.id}",
                         json={"name": f.unique("T")}, headers=admin).json["id"]
    kept_type = db.session.scalar(select(ProjectTemplateTaskTypeLink.task_type_id).where(
        ProjectTemplateTaskTypeLink.project_template_id == tpl_id))
    target = f.project(fps="25", data={"budget": "low", "client": "Old"})
    f.row(ProjectTaskTypeLink, project_id=target.id, task_type_id=kept_type, priority=9)
    f.metadata_descriptor(target, name="Lens", field_name="lens", entity_type="Shot")

    response = client.post(f"/data/projects/{target.id}/apply-template/{tpl_id}",
                           headers=admin)
    assert response.status_code == 200
    assert (response.json["id"], response.json["fps"], response.json["ratio"],
            response.json["data"], response.json["file_tree"]) == (
        str(target.id), "30", "2.39", {"budget": "low", "client": "ACME"},
        {"working": {"root": "/prod"}})
    assert response.json["default_preview_background_file_id"] == str(
        source.default_preview_background_file_id)
    for _, project_link in templates.LINK_PAIRS:
        assert len(db.session.execute(select(project_link).where(
            project_link.project_id == target.id)).scalars().all()) == 1, project_link.__name__
    assert db.session.scalar(select(ProjectTaskTypeLink.priority).where(
        ProjectTaskTypeLink.project_id == target.id)) == 9
    assert db.session.scalars(select(MetadataDescriptor.name).where(
        MetadataDescriptor.project_id == target.id)).all() == ["Lens"]
    assert api_events("project:update", target.id) == [{"project_id": str(target.id)}]
    assert db.session.scalar(select(Entity.name).where(Entity.project_id == target.id)) == "E01"


def test_applying_creates_the_descriptors_with_their_departments(client, admin):
    department, task_type = f.department(), f.task_type()
    tpl = template(metadata_descriptors=templates.clean_descriptors([
        {"name": "Lens", "entity_type": "Shot", "departments": [str(department.id),
                                                                str(uuid.uuid4())]},
        {"name": "Complexity", "entity_type": "Task", "task_type_id": str(task_type.id)},
        {"name": "Orphan", "entity_type": "Task"},
        {"name": "Ghost", "entity_type": "Task", "task_type_id": str(uuid.uuid4())},
    ]))
    target = f.project()
    client.post(f"/data/projects/{target.id}/apply-template/{tpl.id}", headers=admin)
    made = {d.name: d for d in db.session.scalars(select(MetadataDescriptor).where(
        MetadataDescriptor.project_id == target.id))}
    assert set(made) == {"Lens", "Complexity"}
    assert made["Complexity"].task_type_id == task_type.id
    assert [d.id for d in made["Lens"].departments] == [department.id]
    assert sorted(e["metadata_descriptor_id"] for e in api_events(
        "metadata-descriptor:new", target.id)) == sorted(str(d.id) for d in made.values())


def test_values_a_creation_request_sets_are_kept(app):
    tpl = template(fps="24", ratio="1.85", data={"a": 1})
    project = f.project(fps="50", data={"b": 2})
    templates.apply_template(project, tpl, keep={"fps", "data"})
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(Project, project.id)
    assert (row.fps, row.ratio, row.data) == ("50", "1.85", {"b": 2})


TEMPLATE_ROUTES = [
    ("GET", "/data/project-templates/{t}/task-types", None, "read"),
    ("POST", "/data/project-templates/{t}/task-types", "task_type_id", "write"),
    ("DELETE", "/data/project-templates/{t}/task-types/{x}", None, "write"),
    ("GET", "/data/project-templates/{t}/task-statuses", None, "read"),
    ("POST", "/data/project-templates/{t}/task-statuses", "task_status_id", "write"),
    ("DELETE", "/data/project-templates/{t}/task-statuses/{x}", None, "write"),
    ("GET", "/data/project-templates/{t}/asset-types", None, "read"),
    ("POST", "/data/project-templates/{t}/asset-types", "asset_type_id", "write"),
    ("DELETE", "/data/project-templates/{t}/asset-types/{x}", None, "write"),
    ("GET", "/data/project-templates/{t}/status-automations", None, "read"),
    ("POST", "/data/project-templates/{t}/status-automations", "status_automation_id",
     "write"),
    ("DELETE", "/data/project-templates/{t}/status-automations/{x}", None, "write"),
    ("GET", "/data/project-templates/{t}/preview-background-files", None, "read"),
    ("POST", "/data/project-templates/{t}/preview-background-files",
     "preview_background_file_id", "write"),
    ("DELETE", "/data/project-templates/{t}/preview-background-files/{x}", None, "write"),
    ("PUT", "/data/project-templates/{t}/default-preview-background-file", None, "write"),
    ("PUT", "/data/project-templates/{t}/metadata-descriptors", None, "write"),
    ("POST", "/data/project-templates/from-project/{p}", "name", "write"),
    ("POST", "/data/projects/{p}/apply-template/{t}", None, "write"),
    ("POST", "/actions/project-templates/{t}/task-types/reorder", "task_type_ids", "write"),
    ("POST", "/actions/project-templates/{t}/task-statuses/reorder", "task_status_ids",
     "write"),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("method,path,field,access", TEMPLATE_ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in TEMPLATE_ROUTES])
def test_who_may_use_the_template_routes(client, caller, method, path, field, access):
    tpl, project = template(), f.project()
    refs = {"task_type_id": f.task_type().id, "task_status_id": f.task_status().id,
            "asset_type_id": f.asset_type().id, "status_automation_id": automation().id,
            "preview_background_file_id": background().id}
    value = {"name": f.unique("T"), "task_type_ids": [str(refs["task_type_id"])],
             "task_status_ids": [str(refs["task_status_id"])]}.get(field) or str(refs.get(field))
    response = client.open(path.format(t=tpl.id, p=project.id, x=uuid.uuid4()), method=method,
                           json={field: value} if field else {},
                           headers=headers_for(client, caller, project))
    assert_access(response, caller, {"read": {"admin", "manager"}, "write": {"admin"}}[access])


def test_template_links_go_with_the_template(client, admin):
    tpl = template()
    for link, key, row in ((ProjectTemplateTaskTypeLink, "task_type_id", f.task_type()),
                           (ProjectTemplateAssetTypeLink, "asset_type_id", f.asset_type()),
                           (ProjectTemplateStatusAutomationLink, "status_automation_id",
                            automation()),
                           (ProjectTemplatePreviewBackgroundFileLink,
                            "preview_background_file_id", background())):
        f.row(link, project_template_id=tpl.id, **{key: row.id})
    assert client.delete(_base(tpl), headers=admin).status_code == 204
    assert db.session.scalar(select(ProjectTemplateTaskTypeLink.task_type_id).where(
        ProjectTemplateTaskTypeLink.project_template_id == tpl.id)) is None
