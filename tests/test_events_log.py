"""The event log routes (behaviours.md row 25), /status/test-event, and the
durable cursor under concurrent writers (app/services/event_log.py)."""
import datetime
import random
import threading
import time
import uuid

import orjson
import pytest
import redis
from sqlalchemy import text

from app.auth import Actor
from app.extensions import db
from app.models.events import ApiEvent, LoginLog
from app.models.person import Person
from app.services import event_log
from tests import factories as f


def event(name, project=None, user=None, **data):
    return f.row(ApiEvent, name=name, data=data, project_id=project.id if project else None,
                 user_id=user.id if user else None)


def names(response):
    assert response.status_code == 200, response.json
    return [e["name"] for e in response.json]


@pytest.fixture
def admin(client):
    return f.signed_in(client, role="admin")[1]


# Reading the log ------------------------------------------------------------

def test_admins_read_the_log_newest_first(client, admin):
    project = f.project()
    first = event("asset:new", project, asset_id="a")
    event("person:update", person_id="p")
    body = client.get("/data/events/last", headers=admin).json
    assert [e["name"] for e in body[:2]] == ["person:update", "asset:new"]
    assert body[1] == {"id": str(first.id), "name": "asset:new", "project_id": str(project.id),
                       "user_id": None, "data": {"asset_id": "a"},
                       "created_at": first.created_at.isoformat(timespec="seconds")}


@pytest.mark.parametrize("role", ["supervisor", "user", "client", "vendor"])
def test_only_managers_read_the_log(client, role):
    _, headers = f.signed_in(client, role=role)
    assert client.get("/data/events/last", headers=headers).status_code == 403
    assert client.get("/data/events/names", headers=headers).status_code == 403


def test_managers_read_the_events_of_the_productions_they_manage(client):
    manager, headers = f.signed_in(client, role="manager")
    managed, as_artist, foreign = f.project(), f.project(), f.project()
    f.join_team(managed, manager)
    f.join_team(as_artist, manager, role="user")
    event("task:new", managed)
    event("task:new", as_artist)
    event("task:new", foreign)
    event("person:new")
    listed = client.get("/data/events/last", headers=headers).json
    assert {e["project_id"] for e in listed} == {str(managed.id)}
    refused = [client.get("/data/events/last", query_string={"project_id": str(project_id)},
                          headers=headers).status_code
               for project_id in (as_artist.id, foreign.id, uuid.uuid4())]
    assert refused == [403, 403, 403]


def test_a_per_project_manager_reads_that_project(client):
    artist, headers = f.signed_in(client, role="user")
    project = f.project()
    f.join_team(project, artist, role="manager")
    event("shot:new", project)
    response = client.get("/data/events/last", query_string={"project_id": str(project.id)},
                          headers=headers)
    assert names(response) == ["shot:new"]


def test_filters(client, admin):
    project, author = f.project(), f.person()
    event("task:new", project, author)
    event("task:update", project)
    event("preview-file:add-file", project)
    event("comment:new")
    get = lambda **q: names(client.get("/data/events/last", query_string=q,  # noqa: E731
                                       headers=admin))
    assert get(name="task:update") == ["task:update"]
    assert get(project_id=str(project.id)) == ["preview-file:add-file", "task:update", "task:new"]
    assert get(only_files="true", project_id=str(project.id)) == ["preview-file:add-file"]
    assert get(person_ids=str(author.id)) == ["task:new"]
    assert sorted(get(name_prefixes=["task", "comment"])) == ["comment:new", "task:new",
                                                              "task:update"]
    assert get(name_suffixes=["update", "add-file"]) == ["preview-file:add-file", "task:update"]
    assert get(name_prefixes='["task"]', name_suffixes="new") == ["task:new"]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    assert get(after=tomorrow) == []
    assert len(get(before=tomorrow, limit=2)) == 2


@pytest.mark.parametrize("query", [{"name_prefixes": "task%"}, {"name_suffixes": "a_b"},
                                   {"project_id": "nope"}, {"limit": "0"},
                                   {"cursor_event_id": str(uuid.uuid4())},
                                   {"after_event_id": "nope"}])
def test_bad_parameters_are_400(client, admin, query):
    assert client.get("/data/events/last", query_string=query, headers=admin).status_code == 400


def test_cursor_event_id_pages_to_older_events(client, admin):
    for n in range(5):
        event("asset:update", n=n)
    page = lambda **q: client.get("/data/events/last", headers=admin,  # noqa: E731
                                  query_string={"name": "asset:update", "limit": 2, **q}).json
    first = page()
    second = page(cursor_event_id=first[-1]["id"])
    third = page(cursor_event_id=second[-1]["id"])
    assert [e["data"]["n"] for e in first + second + third] == [4, 3, 2, 1, 0]


def test_the_limit_is_capped_at_1000(client, admin):
    db.session.execute(ApiEvent.__table__.insert(),
                       [{"id": uuid.uuid4(), "name": "task:new"} for _ in range(1001)])
    assert len(client.get("/data/events/last?limit=5000", headers=admin).json) == 1000


def test_event_names_are_distinct_and_sorted(client, admin):
    for name in ("task:new", "asset:new", "task:new", "zz-last:new"):
        event(name)
    listed = client.get("/data/events/names", headers=admin).json
    assert listed == sorted(set(listed)) and {"task:new", "asset:new", "zz-last:new"} <= set(listed)


def test_login_logs_are_for_admins_newest_first(client, admin):
    someone = f.person()
    for n in range(3):
        f.row(LoginLog, person_id=someone.id, origin="web", ip_address=f"10.0.0.{n}")
    _, manager = f.signed_in(client, role="manager")
    assert client.get("/data/events/login-logs/last", headers=manager).status_code == 403
    page = lambda **q: client.get("/data/events/login-logs/last", headers=admin,  # noqa: E731
                                  query_string={"person_ids": str(someone.id), **q}).json
    logs = page()
    assert [log["ip_address"] for log in logs] == ["10.0.0.2", "10.0.0.1", "10.0.0.0"]
    assert set(logs[0]) == {"id", "created_at", "ip_address", "person_id", "origin"}
    assert page(cursor_login_log_id=logs[0]["id"], limit=1) == [logs[1]]


def test_test_event_is_published_not_kept(app, client, admin):
    listener = redis.Redis.from_url(app.config["REDIS_URL"]).pubsub()
    listener.subscribe("flask-socketio")
    listener.get_message(timeout=1)  # the subscription confirmation
    assert client.get("/status/test-event").json == {"success": True}
    messages = []
    while (message := listener.get_message(timeout=0.5)) is not None:
        messages.append(orjson.loads(message["data"]))
    assert ("main:test", "/events", [{}]) in [(m["event"], m["namespace"], m["data"])
                                              for m in messages]
    assert "main:test" not in names(client.get("/data/events/last", headers=admin))


# The durable cursor -------------------------------------------------------------
# These tests write through connections of their own, committed for real (the
# cursor is about what other transactions commit), and delete their rows.

ADMIN = Actor(Person(role="admin"), ())


def _catch_up(after, prefix):
    return event_log.last_events(ADMIN, after_event_id=after, name_prefixes=[prefix], limit=7)


@pytest.fixture
def writers(app):
    """Connections that write committed events; their rows go at the end."""
    prefix = f"cursor-{uuid.uuid4().hex[:8]}"
    connections = []

    def connect():
        connection = db.engine.connect()
        connections.append(connection)
        return connection

    yield prefix, connect
    for connection in connections:
        connection.rollback()
        connection.close()
    with db.engine.begin() as cleanup:
        cleanup.execute(text("DELETE FROM api_event WHERE name LIKE :p"), {"p": f"{prefix}:%"})


def _insert(connection, name):
    return connection.execute(text("INSERT INTO api_event (id, name, data) "
                                   "VALUES (:id, :name, '{}') RETURNING id, seq"),
                              {"id": uuid.uuid4(), "name": name}).one()


def _wait_until_read(prefix, count, after="start", timeout=30):
    deadline = time.time() + timeout
    read = []
    while len(read) < count and time.time() < deadline:
        page = _catch_up(read[-1]["id"] if read else after, prefix)
        read += page
        if not page:
            time.sleep(0.02)
    return read


def test_an_event_committed_early_waits_for_the_older_transactions(writers):
    """Sequence numbers are taken at insert and seen at commit: 2 commits
    before 1. A reader that took 2 and moved on would never see 1."""
    prefix, connect = writers
    slow, fast = connect(), connect()
    one = _insert(slow, f"{prefix}:one")
    two = _insert(fast, f"{prefix}:two")
    assert one.seq < two.seq
    fast.commit()
    assert _catch_up("start", prefix) == []
    slow.commit()
    assert [e["id"] for e in _wait_until_read(prefix, 2)] == [one.id, two.id]


def test_an_older_transaction_may_hold_a_newer_sequence_number(writers):
    """The transaction id comes first in the order: here the event read first
    has the greater sequence number, and the one committed later still comes
    after it. Ordering by sequence alone would skip it."""
    prefix, connect = writers
    older, newer = connect(), connect()
    older.execute(text("SELECT pg_current_xact_id()"))  # its id is taken now
    low = _insert(newer, f"{prefix}:low")
    high = _insert(older, f"{prefix}:high")
    assert low.seq < high.seq
    older.commit()
    first = _wait_until_read(prefix, 1)
    assert [e["id"] for e in first] == [high.id]
    newer.commit()
    assert [e["id"] for e in _wait_until_read(prefix, 1, after=first[0]["id"])] == [low.id]


def test_catching_up_under_concurrent_writers_has_no_gap_and_no_duplicate(writers):
    prefix, connect = writers
    committed, lock = [], threading.Lock()

    def write(n, connection):
        rng = random.Random(n)
        for _ in range(40):
            ids = [_insert(connection, f"{prefix}:w{n}").id for _ in range(rng.choice((1, 1, 2)))]
            time.sleep(rng.random() * 0.01)
            if rng.random() < 0.15:
                connection.rollback()
                continue
            connection.commit()
            with lock:
                committed.extend(ids)

    threads = [threading.Thread(target=write, args=(n, connect())) for n in range(8)]
    for thread in threads:
        thread.start()
    read = []
    while any(t.is_alive() for t in threads) or len(read) < len(committed):
        page = _catch_up(read[-1]["id"] if read else "start", prefix)
        read += page
        if not page:
            time.sleep(0.005)
            if not any(t.is_alive() for t in threads):
                read += _wait_until_read(prefix, len(committed) - len(read),
                                         after=read[-1]["id"] if read else "start")
                break
    read_ids = [e["id"] for e in read]
    assert len(read_ids) == len(set(read_ids)), "an event was read twice"
    assert set(read_ids) == set(committed), "an event was missed (or a rolled back one read)"
    positions = db.session.execute(
        text("SELECT id, tx_id::text::bigint, seq FROM api_event WHERE id = ANY(:ids)"),
        {"ids": read_ids}).all()
    order = {row.id: (row.tx_id, row.seq) for row in positions}
    assert [order[i] for i in read_ids] == sorted(order.values()), "read out of log order"
