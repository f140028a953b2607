"""Every /import/shotgun route is for admins only: each other role (and a
bot, and nobody) is refused, and nothing is written."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.events import DataImportError
from app.models.project import Project
from app.services.shotgun_mappings import KINDS
from tests import factories as f
from tests import shotgun_helpers as sg

ERROR_ID = "5f0c7d4e-8a8b-4c57-9d1e-0a1b2c3d4e5f"
ROUTES = (
    [("POST", f"/import/shotgun/{k.plural}", [sg.project(71, "Refused")]) for k in KINDS.values()]
    + [("POST", f"/import/shotgun/remove/{k.singular}", {"id": 71}) for k in KINDS.values()]
    + [("POST", "/import/shotgun/projectconnections", [sg.connection(1, 71, 1)]),
       ("POST", "/import/shotgun/remove/projectconnection", {"id": 1}),
       ("GET", "/import/shotgun/errors", None),
       ("POST", "/import/shotgun/errors", {"event": "x"}),
       ("DELETE", f"/import/shotgun/errors/{ERROR_ID}", None)])


def test_every_shotgun_route_is_covered(app):
    """The 30 rules (31 method-routes) of Zou 1.0.97's /import/shotgun."""
    registered = {(method, rule.rule) for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/import/shotgun/")
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert len(registered) == 31
    assert {(method, path.replace(ERROR_ID, "<error_id>")) for method, path, _ in ROUTES} \
        == registered


@pytest.mark.parametrize("who", ["manager", "supervisor", "user", "client", "vendor", "bot",
                                 "anonymous"])
def test_only_admins_may_use_the_shotgun_routes(client, who):
    project = f.project(name="Target", shotgun_id=71)
    f.caller(client, "admin")  # an admin exists: refusals are about the caller
    _, headers = f.on_team(client, project, who)
    error = f.row(DataImportError, id=ERROR_ID, source="shotgun", event_data={"kept": True})
    expected = 401 if who == "anonymous" else 403
    for method, url, body in ROUTES:
        response = client.open(url, method=method, json=body, headers=headers)
        assert response.status_code == expected, (method, url, response.json)
    # The refusal comes first: a refused caller's body is not even read.
    broken = client.post("/import/shotgun/tasks", data="[{", headers=headers,
                         content_type="application/json")
    assert broken.status_code == expected
    assert db.session.scalar(select(func.count()).select_from(DataImportError)) == 1
    assert db.session.get(DataImportError, error.id) is not None
    assert db.session.scalars(select(Project.name).where(Project.shotgun_id == 71)).all() \
        == ["Target"]
