"""/data/playlists/<id>/share...: project managers create, list, revoke
and mail playlist share links (behaviours.md row 19)."""
import datetime

import bcrypt
import pytest

from app.extensions import db
from app.models.playlist import PlaylistShareLink
from app.services import mailer
from tests import factories as f


@pytest.fixture
def mails(monkeypatch):
    sent = []
    monkeypatch.setattr(mailer, "send", lambda to, subject, body: sent.append((to, subject,
                                                                                body)))
    return sent


@pytest.fixture
def production(client):
    project = f.project(name=f.unique("Show"))
    manager, manager_h = f.on_team(client, project, "manager")
    playlist = f.playlist(project, name="Dailies")
    return type("Production", (), dict(project=project, manager=manager, manager_h=manager_h,
                                       playlist=playlist))


def share(client, headers, playlist, **body):
    return client.post(f"/data/playlists/{playlist.id}/share", headers=headers, json=body)


def stored(token):
    db.session.expire_all()
    return db.session.query(PlaylistShareLink).filter_by(token=token).one()


def test_a_manager_creates_lists_and_revokes_a_link(client, production):
    response = share(client, production.manager_h, production.playlist)
    assert response.status_code == 201
    link = response.json
    assert link["type"] == "PlaylistShareLink"
    assert link["playlist_id"] == str(production.playlist.id)
    assert link["created_by"] == str(production.manager.id)
    assert link["is_active"] is True and link["can_comment"] is True
    assert link["has_password"] is False and "password" not in link
    assert link["expiration_date"] is None
    assert len(link["token"]) == 36 and link["token"].count("-") == 4

    second = share(client, production.manager_h, production.playlist, can_comment=False).json
    assert second["token"] != link["token"] and second["can_comment"] is False

    listed = client.get(f"/data/playlists/{production.playlist.id}/share/",
                        headers=production.manager_h)
    assert listed.status_code == 200
    assert [li["token"] for li in listed.json] == [link["token"], second["token"]]

    revoked = client.delete(f"/data/playlists/{production.playlist.id}/share/{link['token']}",
                            headers=production.manager_h)
    assert revoked.status_code == 200 and revoked.json["is_active"] is False
    assert stored(link["token"]).is_active is False
    listed = client.get(f"/data/playlists/{production.playlist.id}/share",
                        headers=production.manager_h)
    assert [li["token"] for li in listed.json] == [second["token"]]


def test_the_password_is_kept_as_a_bcrypt_hash_and_never_shown(client, production):
    link = share(client, production.manager_h, production.playlist,
                 password="open sesame").json
    assert link["has_password"] is True and "password" not in link
    hashed = stored(link["token"]).password
    assert hashed != "open sesame" and hashed.startswith("$2")
    assert bcrypt.checkpw(b"open sesame", hashed.encode())
    listed = client.get(f"/data/playlists/{production.playlist.id}/share",
                        headers=production.manager_h).json
    assert listed[0]["has_password"] is True and "password" not in listed[0]
    assert b"$2" not in client.get(f"/data/playlists/{production.playlist.id}/share",
                                   headers=production.manager_h).data


def test_an_empty_password_is_no_password(client, production):
    link = share(client, production.manager_h, production.playlist, password="").json
    assert link["has_password"] is False and stored(link["token"]).password is None


def test_a_date_expires_at_the_end_of_that_day(client, production):
    link = share(client, production.manager_h, production.playlist,
                 expiration_date="2031-03-10").json
    assert link["expiration_date"] == "2031-03-10T23:59:59"
    assert stored(link["token"]).expiration_date == datetime.datetime(2031, 3, 10, 23, 59, 59,
                                                                      999999)
    timed = share(client, production.manager_h, production.playlist,
                  expiration_date="2031-03-10T08:30:00+02:00").json
    assert timed["expiration_date"] == "2031-03-10T06:30:00"


@pytest.mark.parametrize("body, field", [
    ({"expiration_date": "next tuesday"}, "expiration_date"),
    ({"can_comment": "maybe"}, "can_comment"),
    ({"password": 12.5, "can_comment": []}, "can_comment"),
])
def test_bad_fields_are_named(client, production, body, field):
    response = share(client, production.manager_h, production.playlist, **body)
    assert response.status_code == 400 and field in response.json["message"]
    assert db.session.query(PlaylistShareLink).count() == 0


def test_unknown_playlists_and_tokens_are_not_found(client, production):
    other = f.playlist(production.project)
    link = share(client, production.manager_h, production.playlist).json
    missing = "00000000-0000-4000-8000-000000000000"
    assert share(client, production.manager_h, type("P", (), {"id": missing})) \
        .status_code == 404
    assert client.get("/data/playlists/not-an-id/share",
                      headers=production.manager_h).status_code == 400
    # A token is only known under its own playlist.
    assert client.delete(f"/data/playlists/{other.id}/share/{link['token']}",
                         headers=production.manager_h).status_code == 404
    assert client.post(f"/data/playlists/{other.id}/share/{link['token']}/invite",
                       headers=production.manager_h,
                       json={"emails": ["a@example.com"]}).status_code == 404
    assert stored(link["token"]).is_active is True


def test_invitations_are_mailed_with_the_link(client, production, mails, app):
    client_person = f.member(production.project, "client", email="client@studio.example")
    link = share(client, production.manager_h, production.playlist).json
    response = client.post(
        f"/data/playlists/{production.playlist.id}/share/{link['token']}/invite",
        headers=production.manager_h,
        json={"emails": ["reviewer@example.com", "REVIEWER@example.com"],
              "person_ids": [str(client_person.id)], "message": "Notes by Friday"})
    assert response.status_code == 200
    assert response.json == {"sent": ["reviewer@example.com", client_person.email]}
    assert [to for to, _, _ in mails] == ["reviewer@example.com", client_person.email]
    _, subject, body = mails[0]
    assert "Dailies" in subject
    url = (f"{app.config['DOMAIN_PROTOCOL']}://{app.config['DOMAIN_NAME']}"
           f"/playlists/shared/{link['token']}")
    assert url in body and "Notes by Friday" in body and production.project.name in body


def test_invitations_check_their_fields_and_the_link(client, production, mails):
    link = share(client, production.manager_h, production.playlist).json
    path = f"/data/playlists/{production.playlist.id}/share/{link['token']}"
    response = client.post(f"{path}/invite", headers=production.manager_h,
                           json={"emails": ["not an address"]})
    assert response.status_code == 400 and "emails[0]" in response.json["message"]
    client.delete(path, headers=production.manager_h)
    assert client.post(f"{path}/invite", headers=production.manager_h,
                       json={"emails": ["a@example.com"]}).status_code == 404
    assert mails == []


CALLS = [
    ("get", "", None),
    ("post", "", {}),
    ("delete", "/{token}", None),
    ("post", "/{token}/invite", {"emails": ["x@example.com"]}),
]


@pytest.mark.parametrize("who, status", [
    ("supervisor", 403), ("user", 403), ("client", 403), ("vendor", 403), ("bot", 403),
    ("anonymous", 401)])
@pytest.mark.parametrize("method, suffix, body", CALLS)
def test_only_the_project_managers_handle_links(client, production, mails, who, status,
                                                method, suffix, body):
    link = share(client, production.manager_h, production.playlist).json
    _, headers = f.on_team(client, production.project, who)
    path = f"/data/playlists/{production.playlist.id}/share" + suffix.format(token=link["token"])
    response = getattr(client, method)(path, headers=headers, json=body)
    assert response.status_code == status, response.json
    assert stored(link["token"]).is_active is True
    assert db.session.query(PlaylistShareLink).count() == 1
    assert mails == []


@pytest.mark.parametrize("method, suffix, body", CALLS)
def test_managers_of_another_project_and_demoted_members_are_refused(
        client, production, mails, method, suffix, body):
    link = share(client, production.manager_h, production.playlist).json
    path = f"/data/playlists/{production.playlist.id}/share" + suffix.format(token=link["token"])
    _, outsider_h = f.signed_in(client, role="manager")
    demoted = f.person(role="manager")
    f.join_team(production.project, demoted, "client")
    demoted_h = f.bearer(f.login(client, demoted.email).json["access_token"])
    for headers in (outsider_h, demoted_h):
        response = getattr(client, method)(path, headers=headers, json=body)
        assert response.status_code == 403, response.json
    assert stored(link["token"]).is_active is True and mails == []


@pytest.mark.parametrize("who", ["admin", "promoted"])
def test_admins_and_members_managing_this_project_may(client, production, mails, who):
    if who == "admin":
        _, headers = f.signed_in(client, role="admin")
    else:
        promoted = f.person(role="user")
        f.join_team(production.project, promoted, "manager")
        headers = f.bearer(f.login(client, promoted.email).json["access_token"])
    created = share(client, headers, production.playlist)
    assert created.status_code == 201
    token = created.json["token"]
    base = f"/data/playlists/{production.playlist.id}/share"
    assert [li["token"] for li in client.get(base, headers=headers).json] == [token]
    assert client.post(f"{base}/{token}/invite", headers=headers,
                       json={"emails": ["x@example.com"]}).json == {"sent": ["x@example.com"]}
    assert client.delete(f"{base}/{token}", headers=headers).status_code == 200
