"""Who may call each file route (behaviours.md sections 2.3 and 2.4): the
team reads, vendors list no files, writing a working file is a task
action (clients excepted), publishing an output is working on the entity,
a project's whole output list is for its managers."""
import io

import pytest

from app.services import file_trees
from tests import factories as f
from tests.files_helpers import ROLES, build, files_dir, output_type

__all__ = ["files_dir"]  # the fixture, used by name

READERS = {"admin", "manager", "supervisor", "other_supervisor", "assignee", "artist",
           "client"}
TEAM = READERS | {"vendor"}  # the vendor has tasks on the shot and the asset
# Task actions and publications: the supervisor is in the task types'
# department, the other one is not.
WRITERS = {"admin", "manager", "supervisor", "assignee", "vendor"}
MANAGERS = {"admin", "manager"}


@pytest.fixture
def prod(client, files_dir):
    prod = build(client, file_tree=file_trees.built_in("simple"))
    admin = prod.headers("admin")
    prod.cache = output_type()
    prod.instance = f.asset_instance(prod.asset)
    prod.working = client.post(f"/data/tasks/{prod.shot_task.id}/working-files/new",
                               json={}, headers=admin).json
    client.post(f"/data/working-files/{prod.working['id']}/file",
                data={"file": (io.BytesIO(b"scene"), "scene.blend")}, headers=admin)
    prod.output = client.post(f"/data/entities/{prod.shot.id}/output-files/new",
                              json=output_body(prod), headers=admin).json
    return prod


def output_body(prod, **values):
    return {"output_type_id": str(prod.cache.id), "task_type_id": str(prod.layout.id),
            **values}


def instance_base(prod):
    return f"/data/asset-instances/{prod.instance.id}/entities/{prod.shot.id}"


# (method, url, body or a multipart maker, the roles let through)
ROUTES = {
    "task working files": ("get", lambda p: f"/data/tasks/{p.shot_task.id}/working-files",
                           None, READERS),
    "last working files": ("get", lambda p: f"/data/tasks/{p.shot_task.id}/working-files/"
                                            "last-revisions", None, READERS),
    "new working file": ("post", lambda p: f"/data/tasks/{p.shot_task.id}/working-files/new",
                         lambda p: {"name": "main"}, WRITERS),
    "working file path": ("post", lambda p: f"/data/tasks/{p.shot_task.id}/working-file-path",
                          lambda p: {}, TEAM),
    "entity working files": ("get", lambda p: f"/data/entities/{p.shot.id}/working-files",
                             None, READERS),
    "working file comment": ("put", lambda p: f"/actions/working-files/{p.working['id']}/"
                                              "comment", lambda p: {"comment": "ok"}, WRITERS),
    "working file modified": ("put", lambda p: f"/actions/working-files/{p.working['id']}/"
                                               "modified", lambda p: {}, WRITERS),
    "download working file": ("get", lambda p: f"/data/working-files/{p.working['id']}/file",
                              None, TEAM),
    "upload working file": ("post", lambda p: f"/data/working-files/{p.working['id']}/file",
                            "upload", WRITERS),
    "file by id": ("get", lambda p: f"/data/files/{p.output['id']}", None, READERS),
    "working file by id": ("get", lambda p: f"/data/files/{p.working['id']}", None, READERS),
    "entity output files": ("get", lambda p: f"/data/entities/{p.shot.id}/output-files", None,
                            READERS),
    "last entity output files": ("get", lambda p: f"/data/entities/{p.shot.id}/output-files/"
                                                  "last-revisions", None, READERS),
    "new entity output file": ("post", lambda p: f"/data/entities/{p.shot.id}/output-files/new",
                               output_body, WRITERS),
    "entity next revision": ("post", lambda p: f"/data/entities/{p.shot.id}/output-files/"
                                               "next-revision", output_body, TEAM),
    "entity output path": ("post", lambda p: f"/data/entities/{p.shot.id}/output-file-path",
                           output_body, TEAM),
    "entity output types": ("get", lambda p: f"/data/entities/{p.shot.id}/output-types", None,
                            READERS),
    "entity output type files": ("get", lambda p: f"/data/entities/{p.shot.id}/output-types/"
                                                  f"{p.cache.id}/output-files", None, READERS),
    "instance output files": ("get", lambda p: f"/data/asset-instances/{p.instance.id}/"
                                               "output-files", None, READERS),
    "last instance output files": ("get", lambda p: f"{instance_base(p)}/output-files/"
                                                    "last-revisions", None, READERS),
    "new instance output file": ("post", lambda p: f"{instance_base(p)}/output-files/new",
                                 output_body, WRITERS),
    "instance next revision": ("post", lambda p: f"{instance_base(p)}/output-files/"
                                                 "next-revision", output_body, TEAM),
    "instance output path": ("post", lambda p: f"{instance_base(p)}/output-file-path",
                             output_body, TEAM),
    "instance output types": ("get", lambda p: f"{instance_base(p)}/output-types", None,
                              READERS),
    "instance output type files": ("get", lambda p: f"{instance_base(p)}/output-types/"
                                                    f"{p.cache.id}/output-files", None, READERS),
    "project output files": ("get", lambda p: f"/data/projects/{p.project.id}/output-files",
                             None, MANAGERS),
    "guess from path": ("post", lambda p: "/data/entities/guess-from-path",
                        lambda p: {"project_id": str(p.project.id), "file_path": "/x"}, READERS),
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_who_may_call(client, prod, route):
    method, url, body, allowed = ROUTES[route]
    for role in ROLES:
        kwargs = {"headers": prod.headers(role)}
        if body == "upload":
            kwargs["data"] = {"file": (io.BytesIO(role.encode()), "scene.blend")}
        elif body is not None:
            kwargs["json"] = body(prod)
        response = getattr(client, method)(url(prod), **kwargs)
        if role in allowed:
            assert response.status_code in (200, 201), (role, response.json)
        else:
            assert response.status_code == 403, (role, response.status_code)
        response.close()


def test_no_route_without_a_login(client, prod):
    for route, (method, url, _, _) in ROUTES.items():
        assert getattr(client, method)(url(prod)).status_code == 401, route


def test_per_project_roles_decide(client, prod):
    """A studio artist who manages this production writes like a manager;
    a studio manager who is a client here cannot publish."""
    person, headers = f.signed_in(client, "user")
    f.join_team(prod.project, person, "manager")
    url = f"/data/entities/{prod.shot.id}/output-files/new"
    assert client.post(url, json=output_body(prod), headers=headers).status_code == 201
    person, headers = f.signed_in(client, "manager")
    f.join_team(prod.project, person, "client")
    assert client.post(url, json=output_body(prod), headers=headers).status_code == 403
    assert client.get(f"/data/projects/{prod.project.id}/output-files",
                      headers=headers).status_code == 403
