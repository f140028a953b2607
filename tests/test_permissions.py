"""Every route of the foundation, for every role, a bot and an anonymous
caller: the status each must get."""
import pytest

from app.services import accounts
from tests import factories as f

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")
CALLERS = ROLES + ("bot", "anonymous")

# (method, path, body) -> callers allowed; everyone else gets 401 (anonymous)
# or 403 (signed in).
SIGNED_IN = set(CALLERS) - {"anonymous"}
ROUTES = [
    ("GET", "/", None, set(CALLERS)),
    ("GET", "/status", None, set(CALLERS)),
    ("GET", "/status.txt", None, set(CALLERS)),
    ("GET", "/status/influx", None, set(CALLERS)),
    ("GET", "/status/resources", None, set(CALLERS)),
    ("GET", "/config", None, set(CALLERS)),
    ("GET", "/openapi.json", None, set(CALLERS)),
    ("GET", "/apidocs", None, set(CALLERS)),
    ("GET", "/stats", None, {"admin"}),
    ("GET", "/auth/authenticated", None, SIGNED_IN),
    ("PUT", "/auth/totp", None, SIGNED_IN - {"bot"}),
    ("GET", "/auth/logout", None, SIGNED_IN - {"bot"}),
]


def _headers(client, caller):
    if caller == "anonymous":
        return {}
    if caller == "bot":
        _, token = accounts.create_bot("Bot", "bot@bots.example.com")
        return f.bearer(token)
    return f.signed_in(client, role=caller)[1]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("method,path,body,allowed", ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_route_access(client, caller, method, path, body, allowed):
    response = client.open(path, method=method, json=body, headers=_headers(client, caller))
    if caller in allowed:
        assert response.status_code == 200, response.data
    else:
        assert response.status_code == (401 if caller == "anonymous" else 403)
        assert response.json["error"] is True


@pytest.mark.parametrize("method,path", [
    ("GET", "/auth/logout"), ("GET", "/auth/refresh-token"),
    ("POST", "/auth/change-password"), ("POST", "/auth/totp"), ("DELETE", "/auth/totp"),
    ("PUT", "/auth/email-otp"), ("POST", "/auth/email-otp"), ("DELETE", "/auth/email-otp"),
    ("PUT", "/auth/recovery-codes"),
])
def test_personal_auth_routes_refuse_anonymous_callers(client, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 401
    assert response.json["error"] is True
