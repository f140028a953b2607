"""Signing in and out, tokens, passwords (behaviours.md rows 1 and 3)."""
import datetime
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.base import utc_now
from tests import factories as f

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
SECRETS = {"password", "totp_secret", "email_otp_secret", "otp_recovery_codes", "jti",
           "fido_credentials", "login_failed_attemps", "last_login_failed", "oidc_subject",
           "saml_subject"}


def login_logs(person_id):
    from app.models.events import LoginLog

    return db.session.execute(
        select(LoginLog.origin).where(LoginLog.person_id == person_id)
    ).scalars().all()


def test_login_by_email_returns_tokens_user_and_organisation(client):
    person = f.person(role="manager")
    response = f.login(client, person.email.upper())
    assert response.status_code == 200
    body = response.json
    assert body["login"] is True
    assert body["user"]["id"] == str(person.id)
    assert body["user"]["type"] == "Person"
    assert body["user"]["role"] == "manager"
    assert body["user"]["full_name"] == f"{person.first_name} {person.last_name}"
    assert not SECRETS & body["user"].keys()
    assert body["organisation"]["name"] == "Kitsu"
    assert body["organisation"]["type"] == "Organisation"
    assert "chat_token_slack" not in body["organisation"]
    assert body["access_token"] and body["refresh_token"]
    assert "Set-Cookie" not in response.headers
    assert login_logs(person.id) == ["script"]


def test_login_by_desktop_login(client):
    person = f.person(desktop_login="jdoe")
    response = f.login(client, "jdoe")
    assert response.status_code == 200
    assert response.json["user"]["id"] == str(person.id)


def test_admin_login_sees_the_full_organisation(client):
    admin = f.person(role="admin")
    assert "chat_token_slack" in f.login(client, admin.email).json["organisation"]


def test_wrong_password_and_unknown_login_get_the_same_answer(client):
    person = f.person()
    wrong = f.login(client, person.email, "not-the-password")
    unknown = f.login(client, "nobody@example.com", "whatever")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json == unknown.json == {
        "error": True, "login": False, "message": "Wrong email or password."}


def test_inactive_person_is_refused_with_401(client):
    person = f.person(active=False)
    response = f.login(client, person.email)
    assert response.status_code == 401
    assert response.json["unactive"] is True
    assert response.json["login"] is False


def test_five_failures_lock_the_account_for_a_minute(client):
    from app.models.person import Person

    person = f.person()
    for _ in range(5):
        assert f.login(client, person.email, "guess").status_code == 400
    locked = f.login(client, person.email)  # right password, still locked
    assert locked.status_code == 400
    assert locked.json["too_many_failed_login_attemps"] is True
    assert "access_token" not in locked.json
    db.session.refresh(person)
    assert person.login_failed_attemps == 5
    # Once the minute has passed, the right password works and resets the count.
    person.last_login_failed = utc_now() - datetime.timedelta(seconds=61)
    db.session.commit()
    assert f.login(client, person.email).status_code == 200
    assert db.session.get(Person, person.id).login_failed_attemps == 0


def test_browser_login_sets_cookies_that_authenticate(client):
    person = f.person()
    response = client.post("/auth/login", json={"email": person.email, "password": f.PASSWORD},
                           headers=BROWSER)
    assert response.status_code == 200
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) == {"access_token_cookie", "refresh_token_cookie"}
    for cookie in cookies.values():
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert login_logs(person.id) == ["web"]
    # The test client keeps cookies: no header needed any more.
    me = client.get("/auth/authenticated", headers=BROWSER)
    assert me.status_code == 200
    assert me.json["user"]["id"] == str(person.id)
    assert me.json["authenticated"] is True


def test_logout_revokes_access_and_refresh_tokens(client):
    person = f.person()
    tokens = f.login(client, person.email).json
    access, refresh = f.bearer(tokens["access_token"]), f.bearer(tokens["refresh_token"])
    assert client.get("/auth/authenticated", headers=access).status_code == 200
    assert client.get("/auth/logout", headers=access).json == {"logout": True}
    refused = client.get("/auth/authenticated", headers=access)
    assert refused.status_code == 401
    assert refused.json["message"] == "The token has been revoked."
    assert client.get("/auth/refresh-token", headers=refresh).status_code == 401


def test_refresh_gives_a_new_access_token_and_needs_a_refresh_token(client):
    person = f.person()
    tokens = f.login(client, person.email).json
    refreshed = client.get("/auth/refresh-token", headers=f.bearer(tokens["refresh_token"]))
    assert refreshed.status_code == 200
    new_access = refreshed.json["access_token"]
    assert new_access != tokens["access_token"]
    me = client.get("/auth/authenticated", headers=f.bearer(new_access))
    assert me.json["user"]["id"] == str(person.id)
    # An access token is not a refresh token, and the reverse.
    assert client.get("/auth/refresh-token",
                      headers=f.bearer(tokens["access_token"])).status_code == 401
    assert client.get("/auth/authenticated",
                      headers=f.bearer(tokens["refresh_token"])).status_code == 401
    # Logging out with the refreshed token also retires the refresh token.
    client.get("/auth/logout", headers=f.bearer(new_access))
    assert client.get("/auth/refresh-token",
                      headers=f.bearer(tokens["refresh_token"])).status_code == 401


def test_missing_and_garbage_tokens_are_401(client):
    assert client.get("/auth/authenticated").status_code == 401
    response = client.get("/auth/authenticated", headers=f.bearer("not.a.token"))
    assert response.status_code == 401
    assert response.json["error"] is True


def test_deactivated_person_loses_their_token_at_the_next_request(client):
    person, headers = f.signed_in(client)
    assert client.get("/auth/authenticated", headers=headers).status_code == 200
    person.active = False
    db.session.commit()
    response = client.get("/auth/authenticated", headers=headers)
    assert response.status_code == 401
    assert response.json["unactive"] is True


def test_change_password(client):
    person, headers = f.signed_in(client)
    post = lambda **body: client.post("/auth/change-password", json=body, headers=headers)
    wrong_old = post(old_password="nope", password="new-password-1", password_2="new-password-1")
    assert (wrong_old.status_code, wrong_old.json["message"]) == (400, "Old password is wrong.")
    mismatch = post(old_password=f.PASSWORD, password="new-password-1", password_2="other-pass-1")
    assert (mismatch.status_code, mismatch.json["message"]) == (
        400, "Confirmation password doesn't match.")
    short = post(old_password=f.PASSWORD, password="short", password_2="short")
    assert (short.status_code, short.json["message"]) == (400, "Password is too short.")
    assert post(old_password=f.PASSWORD, password="new-password-1",
                password_2="new-password-1").json == {"success": True}
    assert f.login(client, person.email).status_code == 400
    assert f.login(client, person.email, "new-password-1").status_code == 200


def _mailed_token(caplog):
    links = re.findall(r"token=([\w-]+)", caplog.text)
    assert links, caplog.text
    return links[-1]


def test_reset_password_flow_is_single_use(client, caplog):
    person = f.person()
    caplog.set_level("WARNING", logger="app.mail")
    unknown = client.post("/auth/reset-password", json={"email": "ghost@example.com"})
    known = client.post("/auth/reset-password", json={"email": person.email})
    assert unknown.status_code == known.status_code == 200
    assert unknown.json == known.json == {"success": "Reset token sent"}
    token = _mailed_token(caplog)
    body = {"email": person.email, "token": token,
            "password": "brand-new-pass", "password2": "brand-new-pass"}
    mismatch = client.put("/auth/reset-password", json={**body, "password2": "other-pass-x"})
    assert mismatch.status_code == 400  # and the token survives a typo
    assert client.put("/auth/reset-password", json=body).json == {"success": True}
    assert f.login(client, person.email, "brand-new-pass").status_code == 200
    again = client.put("/auth/reset-password", json=body)
    assert (again.status_code, again.json["message"]) == (400, "Wrong or expired token.")


def test_default_password_login_asks_for_a_new_password(client):
    person = f.person(password="default")
    response = f.login(client, person.email, "default")
    assert response.status_code == 400
    assert response.json["default_password"] is True
    token = response.json["token"]
    changed = client.put("/auth/reset-password", json={
        "email": person.email, "token": token,
        "password": "a-real-password", "password2": "a-real-password"})
    assert changed.status_code == 200
    assert f.login(client, person.email, "a-real-password").status_code == 200


def test_bot_token_only_the_newest_works(app, client):
    from app.services import accounts, tokens

    bot, token = accounts.create_bot("Pipeline", "pipeline@bots.example.com")
    me = client.get("/auth/authenticated", headers=f.bearer(token))
    assert me.status_code == 200
    assert me.json["user"]["is_bot"] is True
    newer, bot.jti = tokens.issue_api_token(bot.id, True, None)
    db.session.commit()
    assert client.get("/auth/authenticated", headers=f.bearer(token)).status_code == 401
    assert client.get("/auth/authenticated", headers=f.bearer(newer)).status_code == 200


def test_personal_api_token_expires_after_its_day(client):
    from app.services import tokens
    from app.errors import BadRequest

    person = f.person()
    token, person.jti = tokens.issue_api_token(
        person.id, False, datetime.date.today() + datetime.timedelta(days=3))
    db.session.commit()
    assert client.get("/auth/authenticated", headers=f.bearer(token)).status_code == 200
    with pytest.raises(BadRequest):
        tokens.issue_api_token(person.id, False, datetime.date.today() - datetime.timedelta(days=1))


def test_bots_cannot_sign_in_with_a_password(client):
    from app.models.person import Person

    bot = f.person(is_bot=True)
    assert f.login(client, bot.email).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Person)
                             .where(Person.id == bot.id)) == 1
