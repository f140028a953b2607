"""The live event stream (app/events_server.py) with real processes: gunicorn
for the API, two events servers on one Redis, python-socketio clients."""
import os
import queue
import subprocess
import sys
import time
import uuid

import bcrypt
import psycopg2
import pytest
import requests
import socketio
from sqlalchemy.engine import make_url

from tests import settings
from tests.live_server import ROOT, LiveServer
from tests.settings import free_port

ADMIN = "events-admin@example.com"
PASSWORD = "events-password-1"
# Cheap password hashes: the tests sign in often.
FAST = {"BCRYPT_ROUNDS": "4"}
NAMESPACE = "/events"


class EventsServer:
    """An events server process beside a LiveServer, with the same settings."""

    def __init__(self, live, port=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = live.env
        self.log_path = os.path.join(live.tmp, f"events-{self.port}.log")
        self.process = None

    def launch(self):
        """Start the process; wait() for it to answer (start several at once)."""
        self.process = subprocess.Popen(
            [sys.executable, "events_server.py", "--port", str(self.port)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"))
        return self

    def wait(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"events server exited: see {self.log_path}")
            try:
                requests.get(self.url + "/", timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("the events server did not answer within 60 s")

    def stop(self):
        """Ask the process to end; returns it to wait for (stop several at once)."""
        if self.process is not None:
            self.process.terminate()
        return self.process


def connect(url, transports=("websocket",), **kwargs):
    """A socket.io client on /events whose received messages are queued."""
    client = socketio.Client(reconnection=False)
    client.received = queue.Queue()
    client.on("*", lambda event, data=None: client.received.put((event, data)),
              namespace=NAMESPACE)
    client.connect(url, namespaces=[NAMESPACE], transports=list(transports), wait_timeout=10,
                   **kwargs)
    return client


def next_matching(items, matches, timeout, what):
    """The first item of queue `items` that `matches`, waiting up to `timeout` s."""
    deadline = time.time() + timeout
    while (remaining := deadline - time.time()) > 0:
        try:
            item = items.get(timeout=remaining)
        except queue.Empty:
            break
        if matches(item):
            return item
    raise AssertionError(f"no {what} within {timeout} s")


def wait_for(client, event, where=lambda data: True, timeout=20):
    """The first `event` message whose data satisfies `where`: the channel is
    shared by every server on the test Redis, so others' events go by too."""
    return next_matching(client.received, lambda m: m[0] == event and where(m[1]),
                         timeout, f"{event} message")[1]


def drain(client, event, where, seconds=0.5):
    """Every matching message arriving within `seconds`."""
    found = []
    deadline = time.time() + seconds
    while (remaining := deadline - time.time()) > 0:
        try:
            name, data = client.received.get(timeout=remaining)
        except queue.Empty:
            break
        if name == event and where(data):
            found.append(data)
    return found


class Stack:
    def __init__(self, api, servers, admin_password):
        self.api = api
        self.servers = servers
        self.admin_password = admin_password

    def login(self, email, password):
        response = requests.post(self.api.url + "/auth/login",
                                 json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def call(self, method, path, token, **kwargs):
        response = requests.request(method, self.api.url + path,
                                    headers={"Authorization": f"Bearer {token}"}, **kwargs)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def person(self, admin_token, role="user"):
        """A person who can sign in; returns (row, token)."""
        email = f"p-{uuid.uuid4().hex[:8]}@example.com"
        row = self.call("POST", "/data/persons", admin_token,
                        json={"first_name": "P", "last_name": "Q", "email": email, "role": role})
        # Straight into the database: a manage.py process per person would
        # cost seconds.
        url = make_url(self.api.database_url).set(drivername="postgresql")
        with psycopg2.connect(url.render_as_string(hide_password=False)) as conn, \
                conn.cursor() as cur:
            cur.execute("UPDATE person SET password = %s WHERE id = %s",
                        (bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)), row["id"]))
        conn.close()
        return row, self.login(email, PASSWORD)


@pytest.fixture(scope="session")
def stack():
    """The API (2 workers) and two events servers; tests/test_webhooks.py
    uses it too, so it is started once per run."""
    stream_port = free_port()
    api = LiveServer(f"atelier_events{settings.SUFFIX}", redis_db=settings.COMPAT_REDIS_DB,
                     extra_env={**FAST, "EVENT_STREAM_PORT": str(stream_port)})
    admin_password = api.setup(ADMIN)
    servers = [EventsServer(api, stream_port), EventsServer(api)]
    try:
        launched = [server.launch() for server in servers]
        api.start()
        yield Stack(api, [server.wait() for server in launched], admin_password)
    finally:
        stopping = [server.stop() for server in servers]
        api.stop()
        for process in filter(None, stopping):
            process.wait(timeout=30)


@pytest.fixture(scope="session")
def admin_token(stack):
    return stack.login(ADMIN, stack.admin_password)


def test_a_new_row_reaches_a_connected_client(stack, admin_token):
    # Default transports: long-polling first, then the WebSocket upgrade, as
    # the Kitsu app connects.
    client = connect(stack.servers[0].url, transports=("polling", "websocket"),
                     headers={"Authorization": f"Bearer {admin_token}"})
    try:
        department = stack.call("POST", "/data/departments", admin_token,
                                json={"name": f"Dept {uuid.uuid4().hex[:6]}", "color": "#000000"})
        data = wait_for(client, "department:new",
                        lambda d: d.get("department_id") == department["id"])
        assert data == {"department_id": department["id"]}
    finally:
        client.disconnect()


def test_the_cookie_and_the_auth_payload_carry_the_token_too(stack, admin_token):
    by_cookie = connect(stack.servers[0].url,
                        headers={"Cookie": f"access_token_cookie={admin_token}"})
    by_payload = connect(stack.servers[0].url, auth={"token": admin_token})
    try:
        stack.call("GET", "/status/test-event", admin_token)
        for client in (by_cookie, by_payload):
            assert wait_for(client, "main:test") == {}
    finally:
        by_cookie.disconnect()
        by_payload.disconnect()


@pytest.mark.parametrize("credentials", ["none", "garbage", "revoked", "inactive"])
def test_connections_without_a_valid_token_are_refused(stack, admin_token, credentials):
    headers = {}
    if credentials == "garbage":
        headers = {"Authorization": "Bearer not.a.token"}
    elif credentials == "revoked":
        _, token = stack.person(admin_token)
        requests.get(stack.api.url + "/auth/logout",
                     headers={"Authorization": f"Bearer {token}"}).raise_for_status()
        headers = {"Authorization": f"Bearer {token}"}
    elif credentials == "inactive":
        row, token = stack.person(admin_token)
        stack.call("PUT", f"/data/persons/{row['id']}", admin_token, json={"active": False})
        headers = {"Authorization": f"Bearer {token}"}
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(stack.servers[0].url, headers=headers)


def test_every_events_server_delivers_every_event_once(stack, admin_token):
    clients = [connect(server.url, headers={"Authorization": f"Bearer {admin_token}"})
               for server in stack.servers]
    try:
        task_type = stack.call("POST", "/data/task-types", admin_token,
                               json={"name": f"Type {uuid.uuid4().hex[:6]}"})
        mine = lambda d: d.get("task_type_id") == task_type["id"]  # noqa: E731
        for client in clients:
            assert wait_for(client, "task-type:new", mine) == {"task_type_id": task_type["id"]}
            assert drain(client, "task-type:new", mine) == []
    finally:
        for client in clients:
            client.disconnect()


def test_status_probes_the_event_stream(stack):
    assert requests.get(stack.api.url + "/status").json()["event-stream-up"] is True
    assert requests.get(stack.servers[0].url + "/").json() == {"name": "Atelier Event stream"}


def test_review_rooms_are_shared_by_the_events_servers(stack, admin_token):
    member, member_token = stack.person(admin_token)
    outsider, outsider_token = stack.person(admin_token)
    project = stack.call("POST", "/data/projects", admin_token,
                         json={"name": f"Project {uuid.uuid4().hex[:6]}"})
    stack.call("POST", f"/data/projects/{project['id']}/team", admin_token,
               json={"person_id": member["id"]})
    playlist = stack.call("POST", "/data/playlists", admin_token,
                          json={"name": "Dailies", "project_id": project["id"]})
    room = {"playlist_id": playlist["id"]}
    in_room = lambda d: d.get("playlist_id") == playlist["id"]  # noqa: E731
    admin = connect(stack.servers[0].url, auth={"token": admin_token})
    guest = connect(stack.servers[1].url, auth={"token": member_token})
    stranger = connect(stack.servers[1].url, auth={"token": outsider_token})
    try:
        admin.emit("preview-room:open-playlist", room, namespace=NAMESPACE)
        admin.emit("preview-room:join", {**room, "current_frame": 12, "is_playing": True},
                   namespace=NAMESPACE)
        state = wait_for(admin, "preview-room:room-updated", in_room)
        assert state["current_frame"] == 12 and state["is_playing"] is True

        guest.emit("preview-room:open-playlist", room, namespace=NAMESPACE)
        guest.emit("preview-room:join", room, namespace=NAMESPACE)
        both = lambda d: in_room(d) and len(d["people"]) == 2  # noqa: E731
        people = wait_for(admin, "preview-room:room-people-updated", both)
        admin_id = requests.get(stack.api.url + "/auth/authenticated", headers={
            "Authorization": f"Bearer {admin_token}"}).json()["user"]["id"]
        assert people == {"people": [admin_id, member["id"]], "playlist_id": playlist["id"],
                          "id": playlist["id"]}
        # The second one in gets the state the first one set, from another server.
        joined = wait_for(guest, "preview-room:room-updated", in_room)
        assert joined["current_frame"] == 12 and joined["people"] == [admin_id, member["id"]]

        # Somebody outside the production can neither join nor write to it.
        stranger.emit("preview-room:join", room, namespace=NAMESPACE)
        stranger.emit("preview-room:add-annotation", {**room, "drawing": "x"},
                      namespace=NAMESPACE)
        admin.emit("preview-room:room-updated", {**room, "current_frame": 40},
                   namespace=NAMESPACE)
        assert wait_for(guest, "preview-room:room-updated",
                        lambda d: in_room(d) and d["current_frame"] == 40)["only_newcomer"] is False
        guest.emit("preview-room:add-annotation", {**room, "drawing": "circle"},
                   namespace=NAMESPACE)
        assert wait_for(admin, "preview-room:add-annotation", in_room)["drawing"] == "circle"
        assert drain(stranger, "preview-room:room-updated", in_room) == []
        assert drain(admin, "preview-room:add-annotation", in_room) == []

        guest.disconnect()
        alone = wait_for(admin, "preview-room:room-people-updated",
                         lambda d: in_room(d) and d["people"] == [admin_id])
        assert alone["people"] == [admin_id]
    finally:
        for client in (admin, guest, stranger):
            client.disconnect()
