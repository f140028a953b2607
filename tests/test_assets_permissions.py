"""Every asset, asset type and entity route for every role, a bot and an
anonymous caller (behaviours.md row 8, section 2.4).

The callers are on the project's team with their role as global role (the
bot as an artist); the admin needs no membership. The vendor holds no task
on the world's asset: lists answer them (empty), single rows refuse them."""
from dataclasses import dataclass

import pytest

from app.models.entity import Entity
from app.services import entities
from tests import factories as f
from tests.test_projects_permissions import _id, call, sign_in

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")
CALLERS = ROLES + ("bot", "anonymous")
EVERYONE = frozenset(CALLERS) - {"anonymous"}
NOT_VENDORS = EVERYONE - {"vendor"}
MANAGERS = frozenset({"admin", "manager"})


@dataclass
class World:
    project: object
    asset_type: object
    asset: object
    task: object
    shot: object


def build_world():
    project = f.project()
    asset_type = f.asset_type()
    asset = f.asset(project, entity_type=asset_type)
    task = f.task(project, entity=asset)
    shot = f.row(Entity, name=f.unique("SH"), project_id=project.id,
                 entity_type_id=entities.entity_type_id("Shot"))
    return World(project, asset_type, asset, task, shot)


P = "/data/projects/{w.project.id}"
A = "/data/assets/{w.asset.id}"
E = "/data/entities/{w.asset.id}"
# (method, path template, body(world) or None, allowed callers, success status)
ROUTES = [
    ("GET", "/data/assets", None, EVERYONE, 200),
    ("GET", "/data/assets/all", None, EVERYONE, 200),
    ("GET", "/data/assets/with-tasks", None, EVERYONE, 200),
    ("GET", "/data/assets/with-tasks?project_id={w.project.id}", None, EVERYONE, 200),
    ("GET", A, None, NOT_VENDORS, 200),
    ("GET", A + "/tasks", None, NOT_VENDORS, 200),
    ("GET", A + "/task-types", None, NOT_VENDORS, 200),
    ("DELETE", A, None, MANAGERS, 204),
    ("DELETE", A + "?force=true", None, MANAGERS, 204),
    ("GET", P + "/assets", None, EVERYONE, 200),
    ("GET", P + "/asset-types", None, EVERYONE, 200),
    ("GET", P + "/asset-types/{w.asset_type.id}/assets", None, EVERYONE, 200),
    ("POST", P + "/asset-types/{w.asset_type.id}/assets/new", lambda w: {"name": "Tree"},
     MANAGERS, 201),
    ("GET", "/data/asset-types", None, EVERYONE, 200),
    ("GET", "/data/asset-types/{w.asset_type.id}", None, EVERYONE, 200),
    ("GET", "/data/shots/{w.shot.id}/asset-types", None, NOT_VENDORS, 200),
    ("GET", P + "/assets/shared-used", None, EVERYONE, 200),
    ("GET", P + "/episodes/{w.shot.id}/assets/shared-used", None, EVERYONE, 200),
    ("POST", "/actions/projects/{w.project.id}/assets/share", lambda w: {"is_shared": True},
     MANAGERS, 200),
    ("POST", "/actions/projects/{w.project.id}/asset-types/{w.asset_type.id}/assets/share",
     lambda w: {"is_shared": True}, MANAGERS, 200),
    ("POST", "/actions/assets/share",
     lambda w: {"is_shared": True, "asset_ids": [str(w.asset.id)]}, MANAGERS, 200),
    ("POST", "/actions/projects/{w.project.id}/delete-entities",
     lambda w: [str(w.asset.id)], MANAGERS, 200),
    ("GET", E + "/preview-files", None, NOT_VENDORS, 200),
    ("GET", E + "/time-spents", None, NOT_VENDORS, 200),
    ("GET", E + "/entities-linked/with-tasks", None, NOT_VENDORS, 200),
]
PROJECT_ROUTES = [r for r in ROUTES if "{w.project.id}" in r[1] or "{w.asset" in r[1]]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=[_id(r) for r in ROUTES])
def test_route_access(client, caller, route):
    world = build_world()
    refused = 401 if caller == "anonymous" else 403
    expected = route[4] if caller in route[3] else refused
    response = call(client, world, route, sign_in(client, world.project, caller))
    assert response.status_code == expected, response.json


@pytest.mark.parametrize("route", PROJECT_ROUTES, ids=[_id(r) for r in PROJECT_ROUTES])
def test_a_manager_of_another_project_gets_nothing(client, route):
    world = build_world()
    headers = sign_in(client, f.project(), "manager")
    response = call(client, world, route, headers)
    if response.status_code == 200 and route[0] == "GET":
        assert str(world.asset.id) not in response.get_data(as_text=True)
    else:
        assert response.status_code in (403, 404), response.json
