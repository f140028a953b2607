"""Concepts (behaviours.md row 11): who may create and read them, their
links, tasks and previews, and their deletion."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.entity import Entity, EntityConceptLink
from app.models.events import ApiEvent
from app.services import entities
from tests import factories as f
from tests.test_projects_permissions import sign_in

CALLERS = ("admin", "manager", "supervisor", "user", "client", "vendor", "bot", "anonymous")
CREATORS = frozenset({"admin", "manager", "supervisor", "user", "bot"})
MANAGERS = frozenset({"admin", "manager"})
FILERS = MANAGERS | {"supervisor"}


def _folder(project_, name=None):
    return f.row(Entity, name=name or f.unique("Folder"), project_id=project_.id,
                 entity_type_id=entities.entity_type_id("ConceptFolder"))


def _concept(project_, **values):
    return f.row(Entity, name=f.unique("Concept"), project_id=project_.id,
                 entity_type_id=entities.entity_type_id("Concept"), **values)


ROUTES = [
    ("GET", "/data/concepts?project_id={p}", CREATORS, 200),
    ("GET", "/data/concepts/with-tasks?project_id={p}", CREATORS, 200),
    ("GET", "/data/projects/{p}/concepts", CREATORS, 200),
    ("POST", "/data/projects/{p}/concepts", CREATORS, 201),
    ("GET", "/data/concepts/{c}", CREATORS, 200),
    ("GET", "/data/concepts/{c}/tasks", CREATORS, 200),
    ("GET", "/data/concepts/{c}/task-types", CREATORS, 200),
    ("GET", "/data/concepts/{c}/preview-files", CREATORS, 200),
    ("DELETE", "/data/concepts/{c}", MANAGERS, 204),
    ("GET", "/data/projects/{p}/concept-folders", CREATORS, 200),
    ("POST", "/data/projects/{p}/concept-folders", FILERS, 201),
    ("PUT", "/data/concept-folders/{d}", FILERS, 200),
    ("DELETE", "/data/concept-folders/{d}", FILERS, 204),
    ("POST", "/actions/projects/{p}/move-concepts", FILERS, 200),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_route_access(client, caller, route):
    method, path, allowed, success = route
    project = f.project()
    concept, folder = _concept(project), _folder(project)
    headers = sign_in(client, project, caller)
    body = {"name": "Sketch", "concept_ids": [str(concept.id)]}
    response = client.open(path.format(p=project.id, c=concept.id, d=folder.id), method=method,
                           json=body if method in ("POST", "PUT") else None, headers=headers)
    refused = 401 if caller == "anonymous" else 403
    assert response.status_code == (success if caller in allowed else refused), response.json


def test_an_artist_creates_a_linked_concept_and_deletes_it(client):
    project = f.project()
    artist = f.member(project)
    headers = f.bearer(f.login(client, artist.email).json["access_token"])
    asset = f.asset(project)
    response = client.post(f"/data/projects/{project.id}/concepts", headers=headers,
                           json={"name": "Hero sketch", "description": "v1",
                                 "entity_concept_links": [str(asset.id)]})
    assert response.status_code == 201
    body = response.json
    assert (body["name"], body["type"], body["created_by"], body["entity_concept_links"]) == (
        "Hero sketch", "Concept", str(artist.id), [str(asset.id)])
    events = db.session.scalars(select(ApiEvent.data).where(ApiEvent.name == "concept:new")).all()
    assert events == [{"concept_id": body["id"], "project_id": str(project.id)}]
    again = client.post(f"/data/projects/{project.id}/concepts", headers=headers,
                        json={"name": "Hero sketch", "entity_concept_links": [str(asset.id)]})
    assert again.json["id"] == body["id"]
    assert len(db.session.scalars(select(EntityConceptLink.entity_in_id)).all()) >= 1
    admin = f.signed_in(client, role="admin")[1]
    linked = client.get(f"/data/entities/{asset.id}/entities-linked/with-tasks",
                        headers=admin).json
    assert [(c["id"], c["type"], c["entity_concept_links"]) for c in linked] == [
        (body["id"], "Concept", [str(asset.id)])]
    listed = client.get(f"/data/concepts/with-tasks?project_id={project.id}",
                        headers=headers).json
    assert [(c["id"], c["project_name"], c["tasks"]) for c in listed] == [
        (body["id"], project.name, [])]
    assert client.delete(f"/data/concepts/{body['id']}", headers=headers).status_code == 204
    assert db.session.get(Entity, uuid.UUID(body["id"])) is None


def test_create_refuses_links_to_unknown_entities(client):
    project = f.project()
    admin = f.signed_in(client, role="admin")[1]
    response = client.post(f"/data/projects/{project.id}/concepts", headers=admin,
                           json={"name": "X", "entity_concept_links": [str(uuid.uuid4())]})
    assert response.status_code == 404
    missing = client.post(f"/data/projects/{project.id}/concepts", headers=admin, json={})
    assert missing.status_code == 400 and "name" in missing.json["message"]


def test_concept_with_tasks_cancels_then_force_deletes(client):
    project = f.project()
    concept = _concept(project)
    task = f.task(project, entity=concept)
    preview = f.preview_file(task)
    admin = f.signed_in(client, role="admin")[1]
    full = client.get(f"/data/concepts/{concept.id}", headers=admin).json
    assert [t["id"] for t in full["tasks"]] == [str(task.id)]
    previews = client.get(f"/data/concepts/{concept.id}/preview-files", headers=admin).json
    assert [p["id"] for p in previews[str(task.task_type_id)]] == [str(preview.id)]
    concept_id = concept.id
    assert client.delete(f"/data/concepts/{concept_id}", headers=admin).status_code == 204
    db.session.expire_all()
    assert db.session.get(Entity, concept_id).canceled is True
    assert client.delete(f"/data/concepts/{concept_id}?force=true",
                         headers=admin).status_code == 204
    db.session.expire_all()
    assert db.session.get(Entity, concept_id) is None


def test_concepts_are_not_assets(client):
    project = f.project()
    concept = _concept(project)
    admin = f.signed_in(client, role="admin")[1]
    assert client.get(f"/data/assets/{concept.id}", headers=admin).status_code == 404
    listed = client.get(f"/data/projects/{project.id}/concepts", headers=admin).json
    assert [(c["id"], c["type"]) for c in listed] == [(str(concept.id), "Concept")]


def test_folders_file_concepts_and_give_them_back_when_deleted(client):
    project = f.project()
    supervisor = f.member(project, "supervisor")
    headers = f.bearer(f.login(client, supervisor.email).json["access_token"])
    created = client.post(f"/data/projects/{project.id}/concept-folders", json={"name": "Props"},
                          headers=headers)
    assert created.status_code == 201
    folder = created.json
    assert (folder["name"], folder["type"], folder["project_id"]) == (
        "Props", "ConceptFolder", str(project.id))
    again = client.post(f"/data/projects/{project.id}/concept-folders", json={"name": "Props"},
                        headers=headers)
    assert again.json["id"] == folder["id"]
    inside = client.post(f"/data/projects/{project.id}/concepts", headers=headers,
                         json={"name": "Lamp", "parent_id": folder["id"]}).json
    assert inside["parent_id"] == folder["id"]
    loose = _concept(project)
    foreign = _concept(f.project())
    moved = client.post(f"/actions/projects/{project.id}/move-concepts", headers=headers,
                        json={"concept_ids": [str(loose.id), str(foreign.id)],
                              "concept_folder_id": folder["id"]})
    assert moved.json == [str(loose.id)]
    other = _folder(project, name="Sets")
    renamed = client.put(f"/data/concept-folders/{folder['id']}", json={"name": "Sets"},
                         headers=headers)
    assert renamed.status_code == 400
    renamed = client.put(f"/data/concept-folders/{folder['id']}", json={"name": "Furniture"},
                         headers=headers)
    assert renamed.json["name"] == "Furniture"
    listed = client.get(f"/data/projects/{project.id}/concept-folders", headers=headers).json
    assert [d["name"] for d in listed] == ["Furniture", "Sets"] and str(other.id) == listed[1]["id"]
    assert client.delete(f"/data/concept-folders/{folder['id']}",
                         headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(Entity, uuid.UUID(folder["id"])) is None
    assert db.session.get(Entity, loose.id).parent_id is None
    names = db.session.scalars(select(ApiEvent.name).where(
        ApiEvent.name.like("concept-folder:%"))).all()
    assert sorted(names) == ["concept-folder:delete", "concept-folder:new",
                             "concept-folder:update"]
    assert client.get(f"/data/assets?project_id={project.id}",
                      headers=headers).json == []
