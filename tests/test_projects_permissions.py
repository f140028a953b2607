"""Every project, team, settings and descriptor route, for every role, a
bot and an anonymous caller (behaviours.md sections 2.1-2.2); and a
manager of project A reaching for project B.

The callers are on project P's team with their role as global role (the
bot as an artist), except the admin, who needs no membership."""
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.project import ProjectPreviewBackgroundFileLink, ProjectStatusAutomationLink, \
    ProjectTaskStatusLink, ProjectTaskTypeLink, ProjectTaskTypeSoftwareLink
from app.models.settings import PreviewBackgroundFile, Software, StatusAutomation
from tests import factories as f

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")
CALLERS = ROLES + ("bot", "anonymous")
EVERYONE = frozenset(CALLERS) - {"anonymous"}
MANAGERS = frozenset({"admin", "manager"})
ADMIN = frozenset({"admin"})


@dataclass
class World:
    project: object
    task_type: object
    task_status: object
    asset_type: object
    automation: object
    background: object
    software: object
    descriptor: object
    outsider: object
    member: object


def build_world():
    project = f.project()
    task_type, task_status, asset_type = f.task_type(), f.task_status(), f.asset_type()
    automation = f.row(StatusAutomation)
    background = f.row(PreviewBackgroundFile, name=f.unique("HDR"))
    software = f.row(Software, name=f.unique("Krita"), short_name="kr", file_extension="kra")
    for model, values in (
            (ProjectTaskTypeLink, {"task_type_id": task_type.id}),
            (ProjectTaskStatusLink, {"task_status_id": task_status.id}),
            (ProjectStatusAutomationLink, {"status_automation_id": automation.id}),
            (ProjectPreviewBackgroundFileLink, {"preview_background_file_id": background.id}),
            (ProjectTaskTypeSoftwareLink, {"task_type_id": task_type.id,
                                           "software_id": software.id})):
        f.row(model, project_id=project.id, **values)
    descriptor = f.metadata_descriptor(project, for_client=True)
    return World(project, task_type, task_status, asset_type, automation, background, software,
                 descriptor, f.person(), f.member(project))


P = "/data/projects/{w.project.id}"
# (method, path template, body(world) or None, allowed callers, success status)
ROUTES = [
    ("GET", "/data/projects/open", None, EVERYONE, 200),
    ("GET", "/data/projects/all", None, EVERYONE, 200),
    ("GET", P, None, EVERYONE, 200),
    ("GET", P + "/team", None, EVERYONE, 200),
    ("POST", P + "/team", lambda w: {"person_id": str(w.outsider.id)}, MANAGERS, 201),
    ("PUT", P + "/team/{w.member.id}", lambda w: {"role": "client"}, MANAGERS, 200),
    ("DELETE", P + "/team/{w.member.id}", None, MANAGERS, 204),
    ("GET", P + "/task-types", None, EVERYONE, 200),
    ("GET", P + "/task-type-softwares", None, EVERYONE, 200),
    ("POST", P + "/task-types/{w.task_type.id}/softwares",
     lambda w: {"software_id": str(w.software.id)}, MANAGERS | {"supervisor"}, 201),
    ("DELETE", P + "/task-types/{w.task_type.id}/softwares/{w.software.id}", None,
     MANAGERS | {"supervisor"}, 204),
    ("POST", P + "/settings/task-types",
     lambda w: {"task_type_id": str(w.task_type.id), "priority": 2}, MANAGERS, 201),
    ("DELETE", P + "/settings/task-types/{w.task_type.id}", None, MANAGERS, 204),
    ("GET", P + "/settings/task-status", None, EVERYONE, 200),
    ("POST", P + "/settings/task-status",
     lambda w: {"task_status_id": str(w.task_status.id)}, MANAGERS, 201),
    ("PUT", P + "/settings/task-status/{w.task_status.id}",
     lambda w: {"is_client_allowed": False}, MANAGERS, 200),
    ("DELETE", P + "/settings/task-status/{w.task_status.id}", None, MANAGERS, 204),
    ("POST", P + "/settings/asset-types",
     lambda w: {"asset_type_id": str(w.asset_type.id)}, MANAGERS, 201),
    ("DELETE", P + "/settings/asset-types/{w.asset_type.id}", None, MANAGERS, 204),
    ("GET", P + "/settings/status-automations", None, MANAGERS, 200),
    ("POST", P + "/settings/status-automations",
     lambda w: {"status_automation_id": str(w.automation.id)}, MANAGERS, 201),
    ("DELETE", P + "/settings/status-automations/{w.automation.id}", None, MANAGERS, 204),
    ("GET", P + "/settings/preview-background-files", None, EVERYONE, 200),
    ("POST", P + "/settings/preview-background-files",
     lambda w: {"preview_background_file_id": str(w.background.id)}, MANAGERS, 201),
    ("DELETE", P + "/settings/preview-background-files/{w.background.id}", None, MANAGERS, 204),
    ("POST", P + "/settings/batch",
     lambda w: {"task_status_ids": [str(w.task_status.id)]}, MANAGERS, 200),
    ("GET", P + "/metadata-descriptors", None, EVERYONE, 200),
    ("POST", P + "/metadata-descriptors", lambda w: {"name": "Mood"}, MANAGERS, 201),
    ("GET", P + "/metadata-descriptors/{w.descriptor.id}", None, EVERYONE, 200),
    ("PUT", P + "/metadata-descriptors/{w.descriptor.id}", lambda w: {"name": "Tone"},
     MANAGERS, 200),
    ("DELETE", P + "/metadata-descriptors/{w.descriptor.id}", None, MANAGERS, 204),
    ("POST", P + "/metadata-descriptors/reorder",
     lambda w: {"entity_type": "Asset", "descriptor_ids": [str(w.descriptor.id)]},
     MANAGERS, 200),
    ("POST", "/data/metadata-descriptors/all-projects", lambda w: {"name": "Mood"},
     MANAGERS, 201),
    ("PUT", "/data/metadata-descriptors/all-projects/{w.descriptor.field_name}",
     lambda w: {"entity_type": "Asset", "for_client": False}, MANAGERS, 200),
    ("DELETE", "/data/metadata-descriptors/all-projects/{w.descriptor.field_name}"
               "?entity_type=Asset", None, MANAGERS, 200),
    ("POST", "/actions/metadata-descriptors/all-projects/reorder",
     lambda w: {"entity_type": "Asset", "field_order": [w.descriptor.field_name]},
     MANAGERS, 200),
    ("POST", "/actions/task-types/reorder",
     lambda w: {"task_type_ids": [str(w.task_type.id)]}, ADMIN, 200),
    ("POST", "/actions/projects/{w.project.id}/task-type-links/reorder",
     lambda w: {"task_type_ids": [str(w.task_type.id)]}, MANAGERS, 200),
    ("POST", "/actions/projects/{w.project.id}/task-status-links/reorder",
     lambda w: {"task_status_ids": [str(w.task_status.id)]}, MANAGERS, 200),
]
PROJECT_ROUTES = [r for r in ROUTES if "{w.project.id}" in r[1]]


def sign_in(client, project, caller):
    return f.on_team(client, project, caller)[1]


def call(client, world, route, headers):
    method, path, body, _, _ = route
    return client.open(path.format(w=world), method=method,
                       json=body(world) if body else None, headers=headers)


def _id(route):
    return f"{route[0]} {route[1]}"


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=[_id(r) for r in ROUTES])
def test_route_access(client, caller, route):
    world = build_world()
    response = call(client, world, route, sign_in(client, world.project, caller))
    allowed, success = route[3], route[4]
    if caller in allowed:
        assert response.status_code == success, response.json
    else:
        assert response.status_code == (401 if caller == "anonymous" else 403), response.json
        assert response.json["error"] is True


@pytest.mark.parametrize("route", PROJECT_ROUTES, ids=[_id(r) for r in PROJECT_ROUTES])
def test_a_manager_of_another_project_gets_nothing(client, route):
    world = build_world()
    elsewhere = f.project()
    headers = sign_in(client, elsewhere, "manager")
    response = call(client, world, route, headers)
    assert response.status_code in (403, 404), response.json


def test_lists_and_filters_never_reach_another_project(client):
    world = build_world()
    headers = sign_in(client, f.project(), "manager")
    target = str(world.project.id)
    for path in (f"/data/projects?id={target}", "/data/projects?relations=true",
                 f"/data/projects?name={world.project.name}", "/data/projects/open",
                 "/data/projects/all", f"/data/metadata-descriptors?project_id={target}",
                 f"/data/task-type-links?project_id={target}"):
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 403, 405), path
        if response.status_code == 200:
            assert target not in response.get_data(as_text=True), path
    assert client.get(f"/data/projects/all?name={world.project.name}",
                      headers=headers).status_code == 404


def test_all_projects_routes_leave_unmanaged_projects_alone(client):
    world = build_world()
    headers = sign_in(client, f.project(), "manager")
    name = world.descriptor.field_name
    client.put(f"/data/metadata-descriptors/all-projects/{name}", headers=headers,
               json={"entity_type": "Asset", "name": "Hijacked"})
    client.delete(f"/data/metadata-descriptors/all-projects/{name}?entity_type=Asset",
                  headers=headers)
    db.session.expire_all()
    assert db.session.get(type(world.descriptor), world.descriptor.id).name != "Hijacked"


def test_a_project_role_can_take_away_management(client):
    """A global manager who is only an artist on this production."""
    world = build_world()
    person = f.person(role="manager")
    f.join_team(world.project, person, "user")
    headers = f.bearer(f.login(client, person.email).json["access_token"])
    refused = [route for route in PROJECT_ROUTES if route[0] != "GET"
               and "softwares" not in route[1]]
    for route in refused:
        assert call(client, world, route, headers).status_code == 403, _id(route)
    assert db.session.scalar(select(ProjectTaskTypeLink.priority).where(
        ProjectTaskTypeLink.project_id == world.project.id)) is None
