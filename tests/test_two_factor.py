"""Second factors at login and their set-up (behaviours.md row 2)."""
import re
import time

import pyotp

from tests import factories as f


def enable_totp(client, headers):
    secret = client.put("/auth/totp", headers=headers).json["otp_secret"]
    enabled = client.post("/auth/totp", json={"totp": pyotp.TOTP(secret).now()}, headers=headers)
    assert enabled.status_code == 200, enabled.json
    return secret, enabled.json["otp_recovery_codes"]


def next_code(secret):
    """A valid code other than the one just used (replays are refused)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_totp_setup_returns_uri_then_recovery_codes(client):
    person, headers = f.signed_in(client)
    pre = client.put("/auth/totp", headers=headers)
    assert pre.status_code == 200
    assert pre.json["totp_provisionning_uri"].startswith("otpauth://totp/")
    assert "issuer=Kitsu%20Kitsu" in pre.json["totp_provisionning_uri"]
    wrong = client.post("/auth/totp", json={"totp": "000000"}, headers=headers)
    assert wrong.status_code == 400 and wrong.json["wrong_OTP"] is True
    code = pyotp.TOTP(pre.json["otp_secret"]).now()
    enabled = client.post("/auth/totp", json={"totp": code}, headers=headers).json
    codes = enabled["otp_recovery_codes"]
    assert len(codes) == 16 and len(set(codes)) == 16
    # Enrolling hands out a fresh session.
    me = client.get("/auth/authenticated", headers=f.bearer(enabled["access_token"]))
    assert me.json["user"]["totp_enabled"] is True
    assert me.json["user"]["preferred_two_factor_authentication"] == "totp"
    assert all(re.fullmatch(r"[A-Z0-9]{10}", c) for c in codes)
    again = client.put("/auth/totp", headers=headers)
    assert (again.status_code, again.json["message"]) == (400, "TOTP already enabled.")


def test_login_with_totp_missing_wrong_and_right(client):
    person, headers = f.signed_in(client)
    secret, _ = enable_totp(client, headers)
    missing = f.login(client, person.email)
    assert missing.status_code == 400
    assert missing.json["missing_OTP"] is True
    assert missing.json["preferred_two_factor_authentication"] == "totp"
    assert missing.json["two_factor_authentication_enabled"] == ["recovery_code", "totp"]
    assert "access_token" not in missing.json
    wrong = f.login(client, person.email, totp="123456")
    assert wrong.status_code == 400 and wrong.json["wrong_OTP"] is True
    code = next_code(secret)
    right = f.login(client, person.email, totp=code)
    assert right.status_code == 200 and right.json["access_token"]
    replay = f.login(client, person.email, totp=code)
    assert replay.status_code == 400 and replay.json["wrong_OTP"] is True


def test_wrong_codes_count_towards_the_lockout(client):
    person, headers = f.signed_in(client)
    enable_totp(client, headers)
    for _ in range(5):
        f.login(client, person.email, totp="111111")
    assert f.login(client, person.email, totp="111111").json.get("too_many_failed_login_attemps")


def test_recovery_code_works_once(client):
    person, headers = f.signed_in(client)
    _, codes = enable_totp(client, headers)
    assert f.login(client, person.email, recovery_code=codes[0]).status_code == 200
    reused = f.login(client, person.email, recovery_code=codes[0])
    assert reused.status_code == 400 and reused.json["wrong_OTP"] is True
    assert f.login(client, person.email, recovery_code=codes[1]).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client):
    person, headers = f.signed_in(client)
    secret, old = enable_totp(client, headers)
    refused = client.put("/auth/recovery-codes", json={"totp": "000000"}, headers=headers)
    assert refused.status_code == 400 and refused.json["wrong_OTP"] is True
    new = client.put("/auth/recovery-codes", json={"totp": next_code(secret)},
                     headers=headers).json["otp_recovery_codes"]
    assert len(new) == 16 and not set(new) & set(old)
    assert f.login(client, person.email, recovery_code=old[2]).status_code == 400
    assert f.login(client, person.email, recovery_code=new[2]).status_code == 200


def test_disabling_totp_needs_a_valid_factor_and_wipes_recovery_codes(client):
    from app.extensions import db

    person, headers = f.signed_in(client)
    secret, codes = enable_totp(client, headers)
    refused = client.delete("/auth/totp", json={"totp": "000000"}, headers=headers)
    assert refused.status_code == 400
    done = client.delete("/auth/totp", json={"totp": next_code(secret)}, headers=headers)
    assert done.json == {"success": True}
    db.session.refresh(person)
    assert person.otp_recovery_codes is None and person.totp_secret is None
    assert f.login(client, person.email).status_code == 200
    not_enabled = client.delete("/auth/totp", json={}, headers=headers)
    assert (not_enabled.status_code, not_enabled.json["message"]) == (400, "TOTP not enabled.")


def _mailed_code(caplog):
    codes = re.findall(r"one-time code is (\d{6})", caplog.text)
    assert codes, caplog.text
    return codes[-1]


def test_email_otp_setup_and_login(client, caplog):
    caplog.set_level("WARNING", logger="app.mail")
    person, headers = f.signed_in(client)
    assert client.put("/auth/email-otp", headers=headers).json == {"success": True}
    wrong = client.post("/auth/email-otp", json={"email_otp": "000000"}, headers=headers)
    assert wrong.status_code == 400
    enabled = client.post("/auth/email-otp", json={"email_otp": _mailed_code(caplog)},
                          headers=headers)
    assert len(enabled.json["otp_recovery_codes"]) == 16
    missing = f.login(client, person.email)
    assert missing.json["two_factor_authentication_enabled"] == ["recovery_code", "email_otp"]
    # The public route mails a fresh code, whatever the address.
    assert client.get(f"/auth/email-otp?email={person.email}").json == {"success": True}
    assert client.get("/auth/email-otp?email=nobody@example.com").json == {"success": True}
    code = _mailed_code(caplog)
    assert f.login(client, person.email, email_otp=code).status_code == 200
    assert f.login(client, person.email, email_otp=code).status_code == 400  # single use


def test_email_otp_query_needs_the_email(client):
    response = client.get("/auth/email-otp")
    assert response.status_code == 400
    assert response.json["message"] == "Field 'email' is required."


def test_enabling_a_second_method_gives_no_new_recovery_codes(client, caplog):
    caplog.set_level("WARNING", logger="app.mail")
    person, headers = f.signed_in(client)
    enable_totp(client, headers)
    client.put("/auth/email-otp", headers=headers)
    second = client.post("/auth/email-otp", json={"email_otp": _mailed_code(caplog)},
                         headers=headers)
    assert second.status_code == 200
    assert second.json["otp_recovery_codes"] is None
    assert f.login(client, person.email).json["two_factor_authentication_enabled"] == [
        "recovery_code", "totp", "email_otp"]


def test_bots_have_no_second_factor_or_session_routes(client):
    from app.services import accounts

    _, token = accounts.create_bot("Bot", "bot2fa@bots.example.com")
    for method, path in (("PUT", "/auth/totp"), ("PUT", "/auth/email-otp"),
                         ("GET", "/auth/logout"), ("POST", "/auth/change-password")):
        response = client.open(path, method=method, headers=f.bearer(token),
                               json={"old_password": "x", "password": "y", "password_2": "y"})
        assert response.status_code == 403, (path, response.json)


def test_enforced_2fa_restricts_sessions_until_a_factor_is_set_up(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ENFORCE_2FA", True)
    admin = f.person(role="admin")
    signed_in = f.login(client, admin.email).json
    assert signed_in["two_factor_authentication_required"] is True
    headers = f.bearer(signed_in["access_token"])
    refused = client.get("/stats", headers=headers)
    assert refused.status_code == 403
    assert refused.json["two_factor_authentication_required"] is True
    assert client.get("/auth/authenticated", headers=headers).status_code == 200
    # A refreshed token is just as restricted.
    refreshed = client.get("/auth/refresh-token", headers=f.bearer(signed_in["refresh_token"]))
    assert client.get("/stats", headers=f.bearer(refreshed.json["access_token"])).status_code == 403
    secret = client.put("/auth/totp", headers=headers).json["otp_secret"]
    enrolled = client.post("/auth/totp", json={"totp": pyotp.TOTP(secret).now()}, headers=headers)
    assert enrolled.status_code == 200
    assert client.get("/stats", headers=f.bearer(enrolled.json["access_token"])).status_code == 200
    assert client.get("/config").json["enforce_2fa"] is True


def test_exempt_users_are_not_restricted(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ENFORCE_2FA", True)
    admin = f.person(role="admin")
    monkeypatch.setitem(app.config, "TWO_FA_EXEMPT_USERS", [admin.email.lower()])
    signed_in = f.login(client, admin.email).json
    assert "two_factor_authentication_required" not in signed_in
    assert client.get("/stats", headers=f.bearer(signed_in["access_token"])).status_code == 200
