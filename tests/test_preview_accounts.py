"""Preview accounts: a production's sign-in for outside reviewers, alive
only while its access window is open."""
import datetime
import time

import bcrypt
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.base import utc_now
from app.models.person import Person
from app.models.project import ProjectPersonLink
from tests import factories as f

pytest_plugins = ("tests.media_fixtures",)


def url(project):
    return f"/data/projects/{project.id}/preview-account"


def sign_in(client, email, password):
    return client.post("/auth/login", json={"email": email, "password": password})


def bearer(response):
    return {"Authorization": f"Bearer {response.json['access_token']}"}


@pytest.mark.parametrize("who,status", [
    ("admin", 201), ("manager", 201), ("supervisor", 403), ("assignee", 403),
    ("client", 403), ("vendor", 403), ("outsider", 403)])
def test_who_manages_it(client, crew, who, status):
    headers = crew.headers[who]
    response = client.post(url(crew.project), headers=headers)
    assert response.status_code == status
    if status == 403:
        for call in (client.get, client.delete):
            assert call(url(crew.project), headers=headers).status_code == 403
        assert client.put(url(crew.project), json={"is_open": True},
                          headers=headers).status_code == 403
        assert db.session.scalar(select(Person).where(
            Person.preview_project_id == crew.project.id)) is None
        return
    assert client.get(url(crew.project), headers=headers).json["id"] == response.json["id"]
    assert client.put(url(crew.project), json={"is_open": True},
                      headers=headers).status_code == 200
    assert client.delete(url(crew.project), headers=headers).status_code == 204


def test_manager_of_another_project_is_refused(client, crew):
    other = f.project()
    assert client.post(url(other), headers=crew.headers["manager"]).status_code == 403


def test_life_of_an_account(client, crew):
    headers = crew.headers["manager"]
    assert client.get(url(crew.project), headers=headers).json is None
    made = client.post(url(crew.project), headers=headers)
    assert made.status_code == 201
    account = made.json
    assert account["email"].endswith("@preview.kitsu.invalid")
    assert account["full_name"] == f"Preview {crew.project.name}"
    assert account["preview_open_until"] is None
    password = account.pop("password")
    assert len(password) >= 20
    assert client.get(url(crew.project), headers=headers).json == account

    person = db.session.get(Person, account["id"])
    # Stored as a hash only; a client of this production's team.
    assert password.encode() not in bytes(person.password)
    assert bcrypt.checkpw(password.encode(), bytes(person.password))
    assert person.role == "client"
    assert db.session.scalar(select(ProjectPersonLink.project_id).where(
        ProjectPersonLink.person_id == person.id)) == crew.project.id

    # Closed: no sign-in.
    assert sign_in(client, account["email"], password).status_code == 401
    opened = client.put(url(crew.project), json={"is_open": True}, headers=headers)
    until = datetime.datetime.fromisoformat(opened.json["preview_open_until"])
    assert abs((until - utc_now()) - datetime.timedelta(hours=1)) < datetime.timedelta(minutes=1)
    session = sign_in(client, account["email"], password)
    assert session.status_code == 200
    team_url = f"/data/projects/{crew.project.id}"
    assert client.get(team_url, headers=bearer(session)).status_code == 200

    # Closing kills the session; opening again does not revive it.
    client.put(url(crew.project), json={"is_open": False}, headers=headers)
    assert client.get(team_url, headers=bearer(session)).status_code == 401
    time.sleep(1.1)
    client.put(url(crew.project), json={"is_open": True}, headers=headers)
    assert client.get(team_url, headers=bearer(session)).status_code == 401
    fresh = sign_in(client, account["email"], password)
    assert client.get(team_url, headers=bearer(fresh)).status_code == 200

    # Extending keeps the sessions of the opening.
    client.put(url(crew.project), json={"is_open": True}, headers=headers)
    assert client.get(team_url, headers=bearer(fresh)).status_code == 200

    # The window's end ends them too.
    person = db.session.get(Person, account["id"])
    person.preview_open_until = utc_now() - datetime.timedelta(seconds=1)
    db.session.commit()
    assert client.get(team_url, headers=bearer(fresh)).status_code == 401

    # A reset: a new password, the old one dead, the window closed.
    reset = client.post(url(crew.project), headers=headers).json
    assert reset["id"] == account["id"]
    assert reset["password"] != password
    assert reset["preview_open_until"] is None
    client.put(url(crew.project), json={"is_open": True}, headers=headers)
    assert sign_in(client, account["email"], password).status_code == 400
    assert sign_in(client, account["email"], reset["password"]).status_code == 200

    assert client.delete(url(crew.project), headers=headers).status_code == 204
    db.session.expire_all()
    assert db.session.get(Person, account["id"]) is None
    assert client.get(url(crew.project), headers=headers).json is None
    # Nothing to delete is not an error; nothing to open is.
    assert client.delete(url(crew.project), headers=headers).status_code == 204
    assert client.put(url(crew.project), json={"is_open": True},
                      headers=headers).status_code == 404


def test_body_is_checked(client, crew):
    client.post(url(crew.project), headers=crew.headers["manager"])
    response = client.put(url(crew.project), json={}, headers=crew.headers["manager"])
    assert response.status_code == 400
    assert "is_open" in response.json["message"]


def test_needs_local_passwords(app, client, crew, monkeypatch):
    monkeypatch.setitem(app.config, "AUTH_STRATEGY", "auth_remote_ldap")
    response = client.post(url(crew.project), headers=crew.headers["manager"])
    assert response.status_code == 400
