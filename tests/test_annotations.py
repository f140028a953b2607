"""Annotations: who may draw, how changes merge, and that concurrent
writers all keep their strokes (against a live gunicorn)."""
import threading
import uuid

import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.files import PreviewFile
from app.models.settings import TaskType
from app.services.annotations import merge
from tests import factories as f
from tests import settings
from tests.live_server import LiveServer

pytest_plugins = ("tests.media_fixtures",)


def stroke(object_id, color="#ff0000"):
    return {"id": object_id, "type": "path", "stroke": color,
            "path": [["M", 0, 0], ["L", 10, 10]]}


def at(time, *objects):
    return {"time": time, "drawing": {"objects": list(objects)}}


def url(row):
    return f"/actions/preview-files/{row.id}/update-annotations"


# Who may annotate ----------------------------------------------------------------------

@pytest.mark.parametrize("who,status", [
    ("admin", 200), ("manager", 200), ("supervisor", 200), ("client", 200),
    ("assignee", 403), ("artist", 403), ("vendor_assigned", 403), ("vendor", 403),
    ("outsider", 403)])
def test_who_may_annotate(client, crew, who, status):
    row = f.preview_file(crew.task, status="ready")
    response = client.put(url(row), json={"additions": [at(1.0, stroke("a"))]},
                          headers=crew.headers[who])
    assert response.status_code == status, response.json
    db.session.expire_all()
    kept = db.session.get(PreviewFile, row.id).annotations
    assert kept == ([at(1.0, stroke("a"))] if status == 200 else None)


def test_supervisor_of_another_department_may_not(client, crew):
    department = f.department()
    crew.people["supervisor"].departments = [department]
    db.session.commit()
    row = f.preview_file(crew.task, status="ready")
    response = client.put(url(row), json={"additions": [at(1.0, stroke("a"))]},
                          headers=crew.headers["supervisor"])
    assert response.status_code == 403
    db.session.get(TaskType, crew.task.task_type_id).department_id = department.id
    db.session.commit()
    response = client.put(url(row), json={"additions": [at(1.0, stroke("a"))]},
                          headers=crew.headers["supervisor"])
    assert response.status_code == 200


def test_anonymous_and_unknown(client, crew):
    row = f.preview_file(crew.task, status="ready")
    assert client.put(url(row), json={}).status_code == 401
    assert client.put("/actions/preview-files/00000000-0000-0000-0000-000000000001"
                      "/update-annotations", json={},
                      headers=crew.headers["admin"]).status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"additions": "x"}, "additions"),
    ({"additions": [{"drawing": {}}]}, "additions[0]"),
    ({"updates": [{"time": "1"}]}, "updates[0].time"),
    ({"additions": [{"time": 1, "drawing": {"objects": ["x"]}}]}, "additions[0].drawing"),
    ({"deletions": [{"time": 1, "objects": "a"}]}, "deletions[0].objects"),
])
def test_malformed_bodies(client, crew, body, field):
    row = f.preview_file(crew.task, status="ready")
    response = client.put(url(row), json=body, headers=crew.headers["manager"])
    assert response.status_code == 400
    assert field in response.json["message"]


# The merge ------------------------------------------------------------------------------

def test_route_merges_and_emits(client, crew):
    row = f.preview_file(crew.task, status="ready",
                         annotations=[at(1.0, stroke("a"), stroke("b")), at(2.0, stroke("c"))])
    response = client.put(url(row), json={
        "additions": [at(1.0, stroke("d")), at(3.0, stroke("e"))],
        "updates": [at(1.0, stroke("a", "#00ff00"))],
        "deletions": [{"time": 2.0, "objects": ["c"]}, {"time": 1.0, "objects": ["b"]}],
    }, headers=crew.headers["client"])
    assert response.status_code == 200
    assert response.json["id"] == str(row.id)
    assert response.json["annotations"] == [
        at(1.0, stroke("a", "#00ff00"), stroke("d")), at(3.0, stroke("e"))]
    events = db.session.scalars(select(ApiEvent).where(
        ApiEvent.name == "preview-file:annotation-update")).all()
    assert [(e.data["preview_file_id"], e.data["person_id"], e.project_id) for e in events] \
        == [(str(row.id), str(crew.people["client"].id), crew.project.id)]
    assert events[0].data["updated_at"] == response.json["updated_at"]


def test_additions_never_overwrite():
    assert merge([at(1, stroke("a"))], [at(1, stroke("a", "#0000ff"))], [], []) == \
        [at(1, stroke("a"))]


def test_objects_without_id_get_one():
    result = merge([], [at(1, {"type": "path"}, {"type": "text", "id": ""})], [], [])
    ids = [o["id"] for o in result[0]["drawing"]["objects"]]
    assert len(set(ids)) == 2
    assert all(uuid.UUID(i) for i in ids)


def test_updates_of_deleted_objects_are_ignored():
    previous = [at(1, stroke("a"))]
    assert merge(previous, [], [at(1, stroke("zz")), at(5, stroke("a"))], []) == previous


def test_deleting_the_last_object_drops_the_time():
    assert merge([at(1, stroke("a")), at(2, stroke("b"))], [], [],
                 [{"time": 1, "objects": ["a"]}]) == [at(2, stroke("b"))]


def test_merge_leaves_its_inputs_untouched():
    previous, addition = [at(1, stroke("a"))], [at(1, {"type": "path"})]
    merge(previous, addition, [], [])
    assert previous == [at(1, stroke("a"))]
    assert addition == [at(1, {"type": "path"})]


# Concurrent writers --------------------------------------------------------------------

@pytest.fixture(scope="module")
def live():
    server = LiveServer(f"atelier_annotations{settings.SUFFIX}",
                        redis_db=settings.COMPAT_REDIS_DB, workers=4)
    server.admin_password = server.setup("admin@annotations.example.com")
    server.start()
    yield server
    server.stop()


def _preview_on(live):
    """A preview file made through the API; (session, preview id)."""
    http = requests.Session()
    token = http.post(f"{live.url}/auth/login", json={
        "email": "admin@annotations.example.com",
        "password": live.admin_password}).json()["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"

    def post(path, body):
        response = http.post(live.url + path, json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    name = uuid.uuid4().hex[:8]
    project = post("/data/projects", {"name": f"Annotations {name}"})
    asset_type = post("/data/entity-types", {"name": f"Type {name}"})
    asset = post(f"/data/projects/{project['id']}/asset-types/{asset_type['id']}/assets/new",
                 {"name": "Lamp"})
    task_type = http.get(f"{live.url}/data/task-types").json()[0]
    status = http.get(f"{live.url}/data/task-status").json()[0]
    task = post("/data/tasks", {"name": "main", "project_id": project["id"],
                                "entity_id": asset["id"], "task_type_id": task_type["id"],
                                "task_status_id": status["id"]})
    preview = post("/data/preview-files", {"name": "v1", "task_id": task["id"],
                                           "revision": 1, "extension": "png"})
    return http, preview["id"]


def _at_once(live, http, preview_id, bodies):
    """PUT each body from a thread of its own, all released together;
    returns the statuses."""
    barrier = threading.Barrier(len(bodies))
    statuses = []

    def put(body):
        barrier.wait()
        response = requests.put(
            f"{live.url}/actions/preview-files/{preview_id}/update-annotations", json=body,
            headers={"Authorization": http.headers["Authorization"]}, timeout=60)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=put, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_concurrent_additions_are_all_kept(live):
    http, preview_id = _preview_on(live)
    writers = 20
    statuses = _at_once(live, http, preview_id, [
        {"additions": [at(1.0, stroke(f"object-{n}")), at(2.0 + n, stroke(f"alone-{n}"))]}
        for n in range(writers)])
    assert statuses == [200] * writers
    annotations = http.get(f"{live.url}/data/preview-files/{preview_id}").json()["annotations"]
    by_time = {a["time"]: [o["id"] for o in a["drawing"]["objects"]] for a in annotations}
    assert sorted(by_time[1.0]) == sorted(f"object-{n}" for n in range(writers))
    assert len(by_time) == 1 + writers

    # Concurrent deletions and additions on the same time: each applies.
    statuses = _at_once(live, http, preview_id, [
        {"deletions": [{"time": 1.0, "objects": [f"object-{n}"]}]} if n % 2 else
        {"additions": [at(1.0, stroke(f"late-{n}"))]} for n in range(writers)])
    assert statuses == [200] * writers
    annotations = http.get(f"{live.url}/data/preview-files/{preview_id}").json()["annotations"]
    kept = next(a for a in annotations if a["time"] == 1.0)["drawing"]["objects"]
    assert sorted(o["id"] for o in kept) == sorted(
        [f"object-{n}" for n in range(0, writers, 2)]
        + [f"late-{n}" for n in range(0, writers, 2)])
