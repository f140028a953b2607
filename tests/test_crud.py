"""The generic /data/<collection> routes (behaviours.md row 4): lists,
filters, pages, projections, writes, and the events they emit."""
import uuid

import orjson
import pytest
import redis
from sqlalchemy import select

from app.extensions import db
from tests import factories as f


@pytest.fixture
def admin(client):
    return f.signed_in(client, role="admin")[1]


def api_events(name):
    from app.models.events import ApiEvent

    return db.session.execute(
        select(ApiEvent.name, ApiEvent.data).where(ApiEvent.name == name)).all()


def test_no_query_string_gives_the_whole_list(client, admin):
    rows = client.get("/data/task-status", headers=admin).json
    assert isinstance(rows, list) and len(rows) == 9
    assert {r["type"] for r in rows} == {"TaskStatus"}
    assert {"todo", "wip", "done"} <= {r["short_name"] for r in rows}


def test_column_filters_are_cast_and_name_is_case_insensitive(client, admin):
    rows = client.get("/data/task-types?name=modeling", headers=admin).json
    assert [r["name"] for r in rows] == ["Modeling"]
    shots = client.get("/data/task-types?for_entity=Shot&priority=3", headers=admin).json
    assert [r["name"] for r in shots] == ["Animation"]
    done = client.get("/data/task-status?is_done=true", headers=admin).json
    assert [r["short_name"] for r in done] == ["done"]


def test_a_json_list_means_any_of(client, admin):
    rows = client.get('/data/task-status?short_name=["wip","wfa"]', headers=admin).json
    assert sorted(r["short_name"] for r in rows) == ["wfa", "wip"]


def test_wrong_filter_types_are_named(client, admin):
    response = client.get("/data/task-types?priority=high", headers=admin)
    assert response.status_code == 400
    assert "priority" in response.json["message"]
    assert client.get("/data/task-types?department_id=nope", headers=admin).status_code == 400


def test_unknown_parameters_are_ignored(client, admin):
    assert len(client.get("/data/task-status?whatever=1&_=2", headers=admin).json) == 9


def test_pages_come_in_an_envelope_newest_first(client, admin):
    body = client.get("/data/task-types?page=2&limit=5", headers=admin).json
    assert {k: body[k] for k in ("total", "nb_pages", "limit", "offset", "page")} == {
        "total": 13, "nb_pages": 3, "limit": 5, "offset": 5, "page": 2}
    assert len(body["data"]) == 5
    everything = [r["id"] for p in (1, 2, 3) for r in client.get(
        f"/data/task-types?page={p}&limit=5", headers=admin).json["data"]]
    assert len(everything) == len(set(everything)) == 13
    assert isinstance(client.get("/data/task-types?page=-1", headers=admin).json, list)


def test_fields_projects_the_select(client, admin):
    rows = client.get("/data/task-types?fields=name,color", headers=admin).json
    assert set(rows[0]) == {"id", "name", "color", "type"}


def test_relations_add_many_to_many_ids(client, admin):
    person = f.person()
    project = client.post("/data/projects", json={"name": "Rel", "team": [str(person.id)]},
                          headers=admin).json
    assert project["team"] == [str(person.id)]
    listed = client.get("/data/projects?relations=true", headers=admin).json
    assert next(p for p in listed if p["id"] == project["id"])["team"] == [str(person.id)]
    assert "team" not in client.get("/data/projects", headers=admin).json[0]
    # A relation filter: projects whose team has this person.
    by_member = client.get(f"/data/projects?team={person.id}", headers=admin).json
    assert [p["id"] for p in by_member] == [project["id"]]


def test_many_to_many_accepts_objects_and_refuses_unknown_ids(client, admin):
    person = f.person()
    created = client.post("/data/projects", json={"name": "Obj", "team": [{"id": str(person.id)}]},
                          headers=admin)
    assert created.json["team"] == [str(person.id)]
    bad = client.post("/data/projects", json={"name": "Bad", "team": [str(uuid.uuid4())]},
                      headers=admin)
    assert bad.status_code == 400 and "team" in bad.json["message"]


def test_single_get_has_relations_and_bad_ids_are_400_or_404(client, admin):
    studio = client.post("/data/studios", json={"name": "North", "color": "#123456"},
                         headers=admin).json
    assert client.get(f"/data/studios/{studio['id']}", headers=admin).json["name"] == "North"
    malformed = client.get("/data/studios/not-a-uuid", headers=admin)
    assert (malformed.status_code, malformed.json["message"]) == (400, "Malformed ID.")
    assert client.get(f"/data/studios/{uuid.uuid4()}", headers=admin).status_code == 404


def test_create_update_delete_round_trip_with_events(client, admin):
    created = client.post("/data/studios", json={
        "name": "South", "color": "#abcdef", "id": str(uuid.uuid4()),
        "created_at": "2000-01-01T00:00:00"}, headers=admin)
    assert created.status_code == 201
    studio = created.json
    assert studio["created_at"] != "2000-01-01T00:00:00"  # never writable
    assert api_events("studio:new") == [("studio:new", {"studio_id": studio["id"]})]
    updated = client.put(f"/data/studios/{studio['id']}", json={"name": "South 2"}, headers=admin)
    assert (updated.status_code, updated.json["name"]) == (200, "South 2")
    assert len(api_events("studio:update")) == 1
    deleted = client.delete(f"/data/studios/{studio['id']}", headers=admin)
    assert deleted.status_code == 204 and deleted.data == b""
    assert client.get(f"/data/studios/{studio['id']}", headers=admin).status_code == 404
    assert len(api_events("studio:delete")) == 1


def test_missing_and_mistyped_fields_are_named(client, admin):
    missing = client.post("/data/studios", json={"color": "#000000"}, headers=admin)
    assert (missing.status_code, missing.json["message"]) == (400, "Field 'name' is required.")
    wrong = client.post("/data/task-types", json={"name": "X", "priority": "first"},
                        headers=admin)
    assert (wrong.status_code, wrong.json["message"]) == (
        400, "Field 'priority' must be an integer.")
    bad_date = client.post("/data/projects", json={"name": "D", "start_date": "31/12/2025"},
                           headers=admin)
    assert bad_date.status_code == 400 and "start_date" in bad_date.json["message"]


def test_integrity_errors_are_400_without_sql_and_write_nothing(client, admin):
    client.post("/data/studios", json={"name": "Twin", "color": "#000000"}, headers=admin)
    before = len(api_events("task-status:new"))
    duplicate = client.post("/data/task-status", json={
        "name": "Again", "short_name": "wip", "color": "#000000"}, headers=admin)
    assert duplicate.status_code == 400
    assert "INSERT" not in duplicate.json["message"] and "wip" not in duplicate.json["message"]
    assert len(api_events("task-status:new")) == before


def test_rows_cannot_move_to_another_project(client, admin):
    first = client.post("/data/projects", json={"name": "One"}, headers=admin).json
    second = client.post("/data/projects", json={"name": "Two"}, headers=admin).json
    from app.models.settings import EntityType

    asset_type = db.session.scalar(select(EntityType.id).where(EntityType.name == "Prop"))
    entity = client.post("/data/entities", json={
        "name": "Chair", "project_id": first["id"], "entity_type_id": str(asset_type)},
        headers=admin).json
    assert entity["type"] == "Asset"
    moved = client.put(f"/data/entities/{entity['id']}", json={"project_id": second["id"]},
                       headers=admin)
    assert moved.status_code == 400 and "another project" in moved.json["message"]


def test_events_are_published_after_commit_only(app, client, admin):
    listener = redis.Redis.from_url(app.config["REDIS_URL"]).pubsub()
    listener.subscribe("flask-socketio")
    listener.get_message(timeout=1)  # the subscription confirmation
    created = client.post("/data/studios", json={"name": "Live", "color": "#000000"},
                          headers=admin).json
    failed = client.post("/data/studios", json={"name": None, "color": "#000000"}, headers=admin)
    assert failed.status_code == 400
    messages = []
    while (message := listener.get_message(timeout=1)) is not None:
        messages.append(orjson.loads(message["data"]))
    # Other suites may publish on the same Redis at the same time: look at
    # this test's row only. The refused write had no row, hence no event.
    mine = [m for m in messages if m["event"].startswith("studio:")
            and m["data"][0].get("studio_id") == created["id"]]
    assert [(m["event"], m["namespace"]) for m in mine] == [("studio:new", "/events")]


def test_entity_put_merges_data_and_records_its_creator(client, admin):
    from app.models.settings import EntityType

    project = client.post("/data/projects", json={"name": "Merge"}, headers=admin).json
    prop = db.session.scalar(select(EntityType.id).where(EntityType.name == "Prop"))
    entity = client.post("/data/entities", json={
        "name": "Lamp", "project_id": project["id"], "entity_type_id": str(prop),
        "data": {"color": "red", "size": 2}}, headers=admin).json
    me = client.get("/auth/authenticated", headers=admin).json["user"]["id"]
    assert entity["created_by"] == me
    updated = client.put(f"/data/entities/{entity['id']}", json={"data": {"size": 3}},
                         headers=admin).json
    assert updated["data"] == {"color": "red", "size": 3}
