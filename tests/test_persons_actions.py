"""/actions/persons/<id>/* and /data/persons/<id>/desktop-login-logs
(behaviours.md row 3): who may call them, and what they change."""
import datetime
import urllib.parse

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.events import ApiEvent, DesktopLoginLog
from app.models.person import DepartmentLink, Person
from app.services import mailer, passwords
from tests import factories as f

NEW_PASSWORD = "another-password-2"
ADMIN = {"admin"}
SIGNED_IN = set(f.CALLERS) - {"anonymous"}


@pytest.fixture
def mails(monkeypatch):
    sent = []
    monkeypatch.setattr(mailer, "send", lambda to, subject, body: sent.append((to, subject,
                                                                             body)) or True)
    return sent


def _target():
    """Someone else: an artist with a second factor and a department."""
    person = f.person(totp_enabled=True, totp_secret="JBSWY3DPEHPK3PXP", has_avatar=True)
    department = f.department()
    person.departments = [department]
    db.session.commit()
    return person, department


def _stored(person):
    db.session.expire_all()
    return db.session.get(Person, person.id)


def _events(name):
    return db.session.scalars(select(ApiEvent.data).where(ApiEvent.name == name)).all()


# (method, path with {id} and {department}, body, status when allowed, allowed callers)
ROUTES = [
    ("POST", "/actions/persons/{id}/change-password",
     {"password": NEW_PASSWORD, "password_2": NEW_PASSWORD}, 200, ADMIN),
    ("DELETE", "/actions/persons/{id}/disable-two-factor-authentication", None, 200, ADMIN),
    ("DELETE", "/actions/persons/{id}/clear-avatar", None, 204, ADMIN),
    ("POST", "/actions/persons/{id}/departments/add", "new department", 201, ADMIN),
    ("DELETE", "/actions/persons/{id}/departments/{department}", None, 204, ADMIN),
    ("GET", "/actions/persons/{id}/invite", None, 200, ADMIN),
    ("POST", "/actions/persons/{id}/reset-password-link", None, 200, ADMIN),
    ("GET", "/data/persons/{id}/desktop-login-logs", None, 200, {"admin", "manager"}),
    ("POST", "/data/persons/{id}/desktop-login-logs", {}, 201, ADMIN),
]


@pytest.mark.parametrize("who", f.CALLERS)
@pytest.mark.parametrize("method,path,body,status,allowed", ROUTES,
                         ids=[f"{m} {p}" for m, p, *_ in ROUTES])
def test_who_may_act_on_someone_else(client, mails, who, method, path, body, status, allowed):
    _, headers = f.caller(client, who)
    target, department = _target()
    if body == "new department":
        body = {"department_id": str(f.department().id)}
    url = path.format(id=target.id, department=department.id)
    response = client.open(url, method=method, json=body, headers=headers)
    if who in allowed:
        assert response.status_code == status, response.json
    else:
        assert response.status_code == (401 if who == "anonymous" else 403)
        assert response.json["error"] is True
        stored = _stored(target)
        assert (stored.totp_enabled, stored.has_avatar) == (True, True)
        assert passwords.check_password(f.PASSWORD, stored.password)
        assert not mails


@pytest.mark.parametrize("who", sorted(SIGNED_IN))
def test_everyone_records_and_reads_their_own_desktop_logins(client, who):
    me, headers = f.caller(client, who)
    url = f"/data/persons/{me.id}/desktop-login-logs"
    created = client.post(url, json={"date": "2030-05-06T07:08:09"}, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["person_id"] == str(me.id)
    assert created.json["date"] == "2030-05-06T07:08:09"
    assert created.json["type"] == "DesktopLoginLog"
    listed = client.get(url, headers=headers)
    assert listed.status_code == 200
    assert [log["id"] for log in listed.json] == [created.json["id"]]


def test_desktop_logins_are_listed_newest_first_and_move_last_presence(client):
    admin_headers = f.signed_in(client, role="admin")[1]
    person = f.person()
    url = f"/data/persons/{person.id}/desktop-login-logs"
    for date in ("2030-01-02T10:00:00", "2030-03-04T10:00:00", "2030-02-03T10:00:00"):
        assert client.post(url, json={"date": date}, headers=admin_headers).status_code == 201
    dates = [log["date"] for log in client.get(url, headers=admin_headers).json]
    assert dates == ["2030-03-04T10:00:00", "2030-02-03T10:00:00", "2030-01-02T10:00:00"]
    assert _stored(person).last_presence == datetime.date(2030, 3, 4)
    assert len(_events("person:update")) == 3


def test_a_desktop_login_without_date_is_now_and_later_time_spent_wins(client):
    person, headers = f.signed_in(client)
    task = f.task(f.project())
    f.time_spent(task, person, date=datetime.date(2099, 1, 1))
    response = client.post(f"/data/persons/{person.id}/desktop-login-logs", headers=headers)
    assert response.status_code == 201
    logged = datetime.datetime.fromisoformat(response.json["date"])
    assert abs(logged - datetime.datetime.utcnow()) < datetime.timedelta(minutes=1)
    assert _stored(person).last_presence == datetime.date(2099, 1, 1)


def test_desktop_logins_of_an_unknown_person_are_404(client):
    headers = f.signed_in(client, role="admin")[1]
    url = "/data/persons/00000000-0000-4000-8000-000000000000/desktop-login-logs"
    assert client.get(url, headers=headers).status_code == 404
    assert client.post(url, json={}, headers=headers).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(DesktopLoginLog)) == 0


def test_a_bad_desktop_login_date_is_named(client):
    person, headers = f.signed_in(client)
    response = client.post(f"/data/persons/{person.id}/desktop-login-logs",
                           json={"date": "yesterday"}, headers=headers)
    assert response.status_code == 400
    assert "date" in response.json["message"]


# Passwords ----------------------------------------------------------------

def test_an_admin_sets_a_password_and_the_person_is_told(client, mails):
    admin, headers = f.signed_in(client, role="admin")
    person = f.person(login_failed_attemps=3)
    response = client.post(f"/actions/persons/{person.id}/change-password",
                           json={"password": NEW_PASSWORD, "password_2": NEW_PASSWORD},
                           headers=headers)
    assert response.json == {"success": True}
    assert f.login(client, person.email, NEW_PASSWORD).status_code == 200
    assert _stored(person).login_failed_attemps == 0
    assert [to for to, _, _ in mails] == [person.email]


@pytest.mark.parametrize("body,message", [
    ({"password": NEW_PASSWORD, "password_2": "something-else"}, "doesn't match"),
    ({"password": "short", "password_2": "short"}, "too short"),
    ({"password": NEW_PASSWORD}, "password_2"),
])
def test_a_bad_new_password_is_refused(client, body, message):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person()
    response = client.post(f"/actions/persons/{person.id}/change-password", json=body,
                           headers=headers)
    assert response.status_code == 400
    assert message in response.json["message"]
    assert f.login(client, person.email).status_code == 200


@pytest.mark.parametrize("target,message", [
    (dict(role="admin"), "another admin's password"),
    (dict(active=False), "unactive"),
    (dict(email="boss@example.com"), "protected"),
])
def test_some_passwords_are_not_for_admins_to_change(app, client, monkeypatch, target, message):
    monkeypatch.setitem(app.config, "PROTECTED_ACCOUNTS", ["Boss@example.com"])
    headers = f.signed_in(client, role="admin")[1]
    person = f.person(**target)
    for path in ("change-password", "reset-password-link"):
        if path == "reset-password-link" and not target.get("active", True):
            continue  # a link for an inactive account is harmless: it cannot be used
        response = client.post(f"/actions/persons/{person.id}/{path}",
                               json={"password": NEW_PASSWORD, "password_2": NEW_PASSWORD},
                               headers=headers)
        assert response.status_code == 400
        assert message in response.json["message"]
    assert passwords.check_password(f.PASSWORD, _stored(person).password)


def test_an_admin_without_password_can_be_given_one(client):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person(role="admin", password=None)
    response = client.post(f"/actions/persons/{person.id}/change-password",
                           json={"password": NEW_PASSWORD, "password_2": NEW_PASSWORD},
                           headers=headers)
    assert response.status_code == 200
    assert f.login(client, person.email, NEW_PASSWORD).status_code == 200


def test_bots_have_no_password_or_second_factor(client):
    headers = f.signed_in(client, role="admin")[1]
    bot, _ = f.caller(client, "bot")
    for method, path in (("POST", "change-password"), ("POST", "reset-password-link"),
                         ("GET", "invite"), ("DELETE", "disable-two-factor-authentication")):
        response = client.open(f"/actions/persons/{bot.id}/{path}", method=method,
                               json={"password": NEW_PASSWORD, "password_2": NEW_PASSWORD},
                               headers=headers)
        assert response.status_code == 403, path


def test_unknown_and_malformed_person_ids(client):
    headers = f.signed_in(client, role="admin")[1]
    missing = "/actions/persons/00000000-0000-4000-8000-000000000000/invite"
    assert client.get(missing, headers=headers).status_code == 404
    assert client.get("/actions/persons/nope/invite", headers=headers).status_code == 400


def test_the_reset_link_sets_a_password(app, client):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person(email="jane+vfx@example.com")
    response = client.post(f"/actions/persons/{person.id}/reset-password-link", headers=headers)
    link = urllib.parse.urlsplit(response.json["reset_password_link"])
    assert f"{link.scheme}://{link.netloc}{link.path}" == (
        f"{app.config['DOMAIN_PROTOCOL']}://{app.config['DOMAIN_NAME']}/reset-change-password")
    query = dict(urllib.parse.parse_qsl(link.query))
    assert query["email"] == "jane+vfx@example.com"
    reset = client.put("/auth/reset-password", json={
        "email": query["email"], "token": query["token"],
        "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert reset.status_code == 200, reset.json
    assert f.login(client, person.email, NEW_PASSWORD).status_code == 200


def test_an_invitation_mails_a_first_password_link_valid_a_week(client, mails):
    from app.kv import kv
    from app.services.auth import RESET_PREFIX

    headers = f.signed_in(client, role="admin")[1]
    person = f.person(password=None)
    response = client.get(f"/actions/persons/{person.id}/invite", headers=headers)
    assert response.json == {"success": True, "message": "Email sent"}
    (to, subject, body), = mails
    assert to == person.email and "Kitsu" in subject
    link = urllib.parse.urlsplit(body.split()[-1])
    query = dict(urllib.parse.parse_qsl(link.query))
    assert query["type"] == "new" and query["email"] == person.email
    assert 6 * 86400 < kv.client.ttl(RESET_PREFIX + query["token"]) <= 7 * 86400
    reset = client.put("/auth/reset-password", json={
        "email": person.email, "token": query["token"],
        "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert reset.status_code == 200
    assert f.login(client, person.email, NEW_PASSWORD).status_code == 200


def test_inactive_people_are_not_invited(client, mails):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person(active=False)
    response = client.get(f"/actions/persons/{person.id}/invite", headers=headers)
    assert response.status_code == 400
    assert not mails


# Second factors -------------------------------------------------------------

def test_an_admin_removes_every_second_factor(client, mails):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person(totp_enabled=True, totp_secret="JBSWY3DPEHPK3PXP", email_otp_enabled=True,
                      otp_recovery_codes=[b"x"], preferred_two_factor_authentication="totp")
    response = client.delete(f"/actions/persons/{person.id}/disable-two-factor-authentication",
                             headers=headers)
    assert response.json == {"success": True}
    stored = _stored(person)
    assert (stored.totp_enabled, stored.email_otp_enabled, stored.totp_secret,
            stored.otp_recovery_codes, stored.preferred_two_factor_authentication) == (
        False, False, None, None, None)
    assert f.login(client, person.email).json["login"] is True
    assert [to for to, _, _ in mails] == [person.email]


@pytest.mark.parametrize("target,message", [
    (dict(), "not enabled"),
    (dict(role="admin", totp_enabled=True), "other admins"),
    (dict(active=False, totp_enabled=True), "unactive"),
])
def test_second_factors_that_stay(client, target, message):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person(**target)
    response = client.delete(f"/actions/persons/{person.id}/disable-two-factor-authentication",
                             headers=headers)
    assert response.status_code == 400
    assert message in response.json["message"]
    assert _stored(person).totp_enabled == target.get("totp_enabled", False)


def test_an_admin_removes_their_own_second_factor(client):
    admin, headers = f.signed_in(client, role="admin")
    admin.totp_enabled = True
    db.session.commit()
    response = client.delete(f"/actions/persons/{admin.id}/disable-two-factor-authentication",
                             headers=headers)
    assert response.status_code == 200
    assert _stored(admin).totp_enabled is False


# Departments ---------------------------------------------------------------

def test_adding_to_a_department_answers_the_person_and_is_idempotent(client):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person()
    department = f.department()
    url = f"/actions/persons/{person.id}/departments/add"
    for _ in range(2):
        response = client.post(url, json={"department_id": str(department.id)}, headers=headers)
        assert response.status_code == 201
    assert response.json["id"] == str(person.id)
    assert response.json["departments"] == [str(department.id)]
    assert response.json["email"] == person.email
    assert _events("person:update") == [{"person_id": str(person.id)}] * 2


def test_removing_from_a_department_keeps_the_others(client):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person()
    kept, removed = f.department(), f.department()
    person.departments = [kept, removed]
    db.session.commit()
    response = client.delete(f"/actions/persons/{person.id}/departments/{removed.id}",
                             headers=headers)
    assert response.status_code == 204
    assert db.session.scalars(select(DepartmentLink.department_id).where(
        DepartmentLink.person_id == person.id)).all() == [kept.id]
    assert _events("person:update") == [{"person_id": str(person.id)}]


@pytest.mark.parametrize("department_id,status", [
    ("00000000-0000-4000-8000-000000000000", 400), ("not-an-id", 400)])
def test_an_unknown_department_is_refused(client, department_id, status):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person()
    added = client.post(f"/actions/persons/{person.id}/departments/add",
                        json={"department_id": department_id}, headers=headers)
    removed = client.delete(f"/actions/persons/{person.id}/departments/{department_id}",
                            headers=headers)
    assert (added.status_code, removed.status_code) == (status, status)
    assert "department" in added.json["message"].lower()


def test_clearing_an_avatar(client):
    headers = f.signed_in(client, role="admin")[1]
    person = f.person(has_avatar=True)
    response = client.delete(f"/actions/persons/{person.id}/clear-avatar", headers=headers)
    assert response.status_code == 204
    assert _stored(person).has_avatar is False
    assert _events("person:update") == [{"person_id": str(person.id)}]
