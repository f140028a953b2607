"""Webhooks (beyond Zou): registration rules in process, and deliveries with
real processes: the API, the webhook worker and an HTTP receiver started
here."""
import hashlib
import hmac
import json
import queue
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.extensions import db
from app.models.webhooks import Webhook
from tests import factories as f
from tests.live_server import ROOT
# The live stack (API and events servers) is shared with the events tests.
from tests.test_events_server import admin_token, next_matching, stack  # noqa: F401


# Registration ---------------------------------------------------------------

@pytest.mark.parametrize("role", ["manager", "supervisor", "user", "client", "vendor"])
def test_only_admins_manage_webhooks(client, role):
    _, headers = f.signed_in(client, role=role)
    assert client.get("/data/webhooks", headers=headers).status_code == 403
    body = {"name": "CI", "url": "https://ci.example.com/hook"}
    assert client.post("/data/webhooks", json=body, headers=headers).status_code == 403


@pytest.mark.parametrize("url, status", [
    ("https://ci.example.com/hook", 201),
    ("http://127.0.0.1:8000/hook", 201),
    ("http://localhost/hook", 201),
    ("http://ci.example.com/hook", 400),
    ("http://10.0.0.1/hook", 400),
    ("ftp://ci.example.com/hook", 400),
    ("https:///no-host", 400),
])
def test_the_url_is_https_or_this_machine(client, url, status):
    _, admin = f.signed_in(client, role="admin")
    response = client.post("/data/webhooks", json={"name": "CI", "url": url}, headers=admin)
    assert response.status_code == status, response.json


def test_event_names_are_names_or_object_wildcards(client):
    _, admin = f.signed_in(client, role="admin")
    body = {"name": "CI", "url": "https://ci.example.com/hook"}
    ok = client.post("/data/webhooks", json={**body, "event_names": ["task:new", "comment:*"]},
                     headers=admin)
    assert ok.status_code == 201 and ok.json["event_names"] == ["task:new", "comment:*"]
    bad = client.post("/data/webhooks", json={**body, "event_names": ["task%"]}, headers=admin)
    assert bad.status_code == 400


def test_the_secret_is_shown_once(client):
    _, admin = f.signed_in(client, role="admin")
    created = client.post("/data/webhooks", json={"name": "CI", "url": "https://ci.example.com/h"},
                          headers=admin).json
    assert len(created["secret"]) >= 32
    assert "secret" not in client.get(f"/data/webhooks/{created['id']}", headers=admin).json
    assert all("secret" not in hook for hook in client.get("/data/webhooks", headers=admin).json)


def test_enabling_a_disabled_hook_clears_the_reason(client):
    _, admin = f.signed_in(client, role="admin")
    created = client.post("/data/webhooks", json={"name": "CI", "url": "https://ci.example.com/h"},
                          headers=admin).json
    hook = db.session.get(Webhook, uuid.UUID(created["id"]))
    hook.active, hook.disabled_reason = False, "HTTP 500"
    db.session.commit()
    enabled = client.put(f"/data/webhooks/{created['id']}", json={"active": True}, headers=admin)
    assert enabled.json["active"] is True and enabled.json["disabled_reason"] is None


def test_unknown_hooks_are_404(client):
    _, admin = f.signed_in(client, role="admin")
    missing = uuid.uuid4()
    assert client.get(f"/data/webhooks/{missing}/deliveries", headers=admin).status_code == 404
    assert client.delete(f"/data/webhooks/{missing}", headers=admin).status_code == 404


# Deliveries -------------------------------------------------------------------

class Receiver:
    """An HTTP server for the hooks: /ok answers 200, /fail 500, and /hold
    waits until released."""

    def __init__(self):
        self.requests = queue.Queue()
        self.holding = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.put((self.path, dict(self.headers), body, time.monotonic()))
                if self.path == "/hold":
                    receiver.holding.set()
                    receiver.release.wait(30)
                self.send_response(500 if self.path == "/fail" else 200)
                self.end_headers()
                self.wfile.write(b"thanks")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def next(self, path, timeout=30):
        return next_matching(self.requests, lambda r: r[0] == path, timeout, f"POST {path}")


@pytest.fixture(scope="module")
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.release.set()
    receiver.server.shutdown()


@pytest.fixture(scope="module")
def worker(stack):  # noqa: F811
    env = {**stack.api.env, "WEBHOOK_RETRY_SECONDS": "0.3", "WEBHOOK_MAX_ATTEMPTS": "3",
           "WEBHOOK_POLL_SECONDS": "0.1"}
    process = subprocess.Popen([sys.executable, "-m", "app.webhook_worker"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL,
                               stderr=open(f"{stack.api.tmp}/webhook-worker.log", "w"))
    yield process
    process.terminate()
    process.wait(timeout=30)


def verify(secret, headers, body, tolerance=300):
    """What a receiver does (the README shows the same)."""
    timestamp = headers["X-Atelier-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                        hashlib.sha256).hexdigest()
    return (hmac.compare_digest(headers["X-Atelier-Signature"], f"sha256={expected}")
            and abs(time.time() - int(timestamp)) < tolerance)


def deliveries_when(stack, token, hook_id, done, timeout=30):  # noqa: F811
    """The hook's delivery log once `done(log)` holds: the worker records an
    attempt just after the receiver answers."""
    deadline = time.time() + timeout
    while True:
        log = stack.call("GET", f"/data/webhooks/{hook_id}/deliveries", token)
        if done(log) or time.time() > deadline:
            return log
        time.sleep(0.1)


def department(stack, token):  # noqa: F811
    return stack.call("POST", "/data/departments", token,
                      json={"name": f"Dept {uuid.uuid4().hex[:6]}", "color": "#000000"})


def test_a_delivery_is_signed_and_logged(stack, admin_token, worker, receiver):  # noqa: F811
    hook = stack.call("POST", "/data/webhooks", admin_token, json={
        "name": "Departments", "url": receiver.url("/ok"), "event_names": ["department:new"]})
    stack.call("POST", "/data/task-types", admin_token, json={"name": f"T {uuid.uuid4().hex[:6]}"})
    created = department(stack, admin_token)

    _, headers, body, _ = receiver.next("/ok")
    assert verify(hook["secret"], headers, body)
    assert not verify("another secret", headers, body)
    event = stack.call("GET", "/data/events/last", admin_token,
                       params={"name": "department:new", "limit": 1})[0]
    sent = json.loads(body)
    assert headers["X-Atelier-Event"] == "department:new"
    assert sent == {"id": event["id"], "name": "department:new", "created_at": event["created_at"],
                    "user_id": event["user_id"], "project_id": None,
                    "data": {"department_id": created["id"]}}

    log = deliveries_when(stack, admin_token, hook["id"], lambda log: log[0]["attempts"])
    assert [(d["event_name"], d["status"]) for d in log] == [("department:new", "delivered")]
    assert log[0]["id"] == headers["X-Atelier-Delivery"]
    assert [(a["number"], a["status_code"], a["error"], a["response_body"])
            for a in log[0]["attempts"]] == [(1, 200, None, "thanks")]


def test_a_failing_receiver_is_retried_then_disabled(stack, admin_token, worker,  # noqa: F811
                                                     receiver):
    hook = stack.call("POST", "/data/webhooks", admin_token, json={
        "name": "Broken", "url": receiver.url("/fail"), "event_names": ["task-type:*"]})
    stack.call("POST", "/data/task-types", admin_token, json={"name": f"T {uuid.uuid4().hex[:6]}"})

    attempts = [receiver.next("/fail") for _ in range(3)]
    assert len({headers["X-Atelier-Delivery"] for _, headers, _, _ in attempts}) == 1
    received_at = [at for _, _, _, at in attempts]
    # Exponential backoff: 0.3 s, then 0.6 s (at least).
    assert received_at[1] - received_at[0] >= 0.3 and received_at[2] - received_at[1] >= 0.6

    log = deliveries_when(stack, admin_token, hook["id"],
                          lambda log: log[0]["status"] == "failed")
    assert [(a["number"], a["status_code"], a["error"]) for a in log[0]["attempts"]] == [
        (1, 500, "HTTP 500"), (2, 500, "HTTP 500"), (3, 500, "HTTP 500")]
    disabled = stack.call("GET", f"/data/webhooks/{hook['id']}", admin_token)
    assert disabled["active"] is False
    assert "failed 3 times; last error: HTTP 500" in disabled["disabled_reason"]

    # A disabled hook gets nothing more: once a later event reached another
    # hook, the worker had read this one.
    stack.call("POST", "/data/task-types", admin_token, json={"name": f"T {uuid.uuid4().hex[:6]}"})
    department(stack, admin_token)
    receiver.next("/ok")
    assert len(stack.call("GET", f"/data/webhooks/{hook['id']}/deliveries", admin_token)) == 1


def test_a_slow_receiver_holds_up_no_request(stack, admin_token, worker, receiver):  # noqa: F811
    hook = stack.call("POST", "/data/webhooks", admin_token, json={
        "name": "Slow", "url": receiver.url("/hold"), "event_names": ["department:new"]})
    department(stack, admin_token)
    receiver.next("/hold")
    assert receiver.holding.is_set()
    # The receiver has not answered, and the API goes on answering.
    assert department(stack, admin_token)["id"]
    assert stack.call("GET", f"/data/webhooks/{hook['id']}/deliveries", admin_token)[0][
        "status"] == "pending"
    receiver.release.set()
    log = deliveries_when(stack, admin_token, hook["id"],
                          lambda log: [d["status"] for d in log] == ["delivered"] * 2)
    assert [d["status"] for d in log] == ["delivered"] * 2
