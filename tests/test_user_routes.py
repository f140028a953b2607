"""Every /data/user and /actions/user route of the personal views is for
people: bots get 403 (behaviours.md section 2.1), anonymous callers 401."""

import pytest

from tests import factories as f

# A fixed id: pytest-xdist workers must collect the same test ids.
ANY = "00000000-0000-4000-8000-000000000001"
ROUTES = [
    ("get", "/data/user/context"),
    ("get", "/data/user/filters"),
    ("post", "/data/user/filters"),
    ("put", f"/data/user/filters/{ANY}"),
    ("delete", f"/data/user/filters/{ANY}"),
    ("get", "/data/user/filter-groups"),
    ("post", "/data/user/filter-groups"),
    ("get", f"/data/user/filter-groups/{ANY}"),
    ("put", f"/data/user/filter-groups/{ANY}"),
    ("delete", f"/data/user/filter-groups/{ANY}"),
    ("get", "/data/user/notifications"),
    ("get", f"/data/user/notifications/{ANY}"),
    ("put", f"/data/user/notifications/{ANY}"),
    ("get", f"/data/user/tasks/{ANY}/subscribed"),
    ("get", f"/data/user/sequences/{ANY}/task-types/{ANY}/subscribed"),
    ("get", f"/data/user/entities/{ANY}/task-types/{ANY}/subscribed"),
    ("get", "/data/user/desktop-login-logs"),
    ("post", "/data/user/desktop-login-logs"),
    ("post", f"/actions/user/tasks/{ANY}/subscribe"),
    ("delete", f"/actions/user/tasks/{ANY}/unsubscribe"),
    ("post", "/actions/user/tasks/subscribe"),
    ("post", "/actions/user/tasks/unsubscribe"),
    ("post", f"/actions/user/sequences/{ANY}/task-types/{ANY}/subscribe"),
    ("delete", f"/actions/user/sequences/{ANY}/task-types/{ANY}/unsubscribe"),
    ("post", "/actions/user/notifications/mark-all-as-read"),
    ("delete", "/actions/user/clear-avatar"),
]
# Valid bodies, so a refusal can only come from who is calling.
BODIES = {
    "/data/user/filters": {"name": "Mine", "query": "hero"},
    "/data/user/filter-groups": {"name": "Mine"},
    f"/data/user/notifications/{ANY}": {"read": True},
    "/actions/user/tasks/subscribe": {"task_ids": [ANY]},
    "/actions/user/tasks/unsubscribe": {"task_ids": [ANY]},
}


@pytest.mark.parametrize("method,url", ROUTES)
def test_bots_are_refused(client, method, url):
    _, headers = f.caller(client, "bot")
    response = getattr(client, method)(url, headers=headers, json=BODIES.get(url, {}))
    assert response.status_code == 403, response.json
    assert "Bots" in response.json["message"]


@pytest.mark.parametrize("method,url", ROUTES)
def test_anonymous_callers_are_refused(client, method, url):
    assert getattr(client, method)(url, json=BODIES.get(url, {})).status_code == 401
