"""/auth/*: sign in, sign out, tokens, passwords and second factors."""
from flask import request
from flask_jwt_extended import (
    get_jwt, set_access_cookies, set_refresh_cookies, unset_jwt_cookies,
)

from app.api import Dict, Email, Resource, Schema, String, endpoint
from app.auth import current_actor
from app.http import json_response
from app.services import auth, persons, tokens, two_factor
from app.services.organisation import get_organisation

FACTOR_FIELDS = dict(
    totp=String(description="Code from an authenticator app."),
    email_otp=String(description="Code received by e-mail."),
    recovery_code=String(description="One of the single-use recovery codes."),
    fido_authentication_response=Dict(description="WebAuthn assertion (not supported yet)."),
)


def is_browser():
    # Browsers (and only they) keep the session in cookies: every browser
    # user agent starts with "Mozilla/", scripts' (requests, curl) do not.
    return (request.user_agent.string or "").startswith("Mozilla/")


def client_ip():
    return request.headers.get("X-Real-IP") or request.remote_addr


def _signed_in_person():
    return auth.own_account(current_actor())


def _with_session(payload, person):
    """Enrolling a second factor hands out a fresh (unrestricted) session."""
    access, refresh = tokens.issue_session(person)
    response = json_response({**payload, "access_token": access, "refresh_token": refresh})
    if is_browser():
        set_access_cookies(response, access)
        set_refresh_cookies(response, refresh)
    return response


def _session_payload(person, access, refresh):
    return {
        "login": True,
        "user": persons.serialize_self(person, persons.department_ids(person.id)),
        "organisation": get_organisation(full=person.role == "admin"),
        "access_token": access,
        "refresh_token": refresh,
    }


class Login(Resource):
    @endpoint(
        "Sign in with an e-mail (or desktop login) and a password",
        public=True,
        body=Schema(
            email=String(required=True, min_length=1, description="E-mail or desktop login."),
            password=String(default="default"),
            **FACTOR_FIELDS,
        ),
        description="Browsers also receive the tokens as cookies. With a second "
                    "factor enabled, a missing code gives 400 `missing_OTP`, a wrong "
                    "one 400 `wrong_OTP`.",
    )
    def post(self, body):
        browser = is_browser()
        person = auth.login(
            email=body["email"], password=body["password"],
            factors={k: body.get(k) for k in FACTOR_FIELDS},
            ip_address=client_ip(), origin="web" if browser else "script",
        )
        access, refresh = tokens.issue_session(person)
        payload = _session_payload(person, access, refresh)
        if tokens.needs_2fa_setup(person):
            payload["two_factor_authentication_required"] = True
        response = json_response(payload)
        if browser:
            set_access_cookies(response, access)
            set_refresh_cookies(response, refresh)
        return response


class Logout(Resource):
    @endpoint("Sign out: revoke the access token and its refresh token", during_2fa_setup=True)
    def get(self):
        auth.logout(current_actor(), get_jwt())
        response = json_response({"logout": True})
        if is_browser():
            unset_jwt_cookies(response)
        return response


class RefreshToken(Resource):
    @endpoint("Get a new access token from a refresh token", token="refresh", during_2fa_setup=True)
    def get(self):
        access = tokens.issue_access(current_actor().person, get_jwt()["jti"])
        if is_browser():
            response = json_response({"refresh": True})
            set_access_cookies(response, access)
            return response
        return {"access_token": access}


class Authenticated(Resource):
    @endpoint("The signed-in person and the organisation", during_2fa_setup=True)
    def get(self):
        actor = current_actor()
        person = actor.person
        return {
            "authenticated": True,
            "user": persons.serialize_self(person, actor.department_ids),
            "organisation": get_organisation(full=person.role == "admin"),
        }


class ChangePassword(Resource):
    @endpoint(
        "Change one's own password",
        body=Schema(
            old_password=String(required=True),
            password=String(required=True, min_length=1),
            password_2=String(required=True, min_length=1),
        ),
    )
    def post(self, body):
        auth.change_password(_signed_in_person(), **body)
        return {"success": True}


class ResetPassword(Resource):
    @endpoint(
        "Ask for a password-reset link by e-mail",
        public=True,
        body=Schema(email=Email(required=True)),
        description="Always answers success, known address or not.",
    )
    def post(self, body):
        auth.request_password_reset(body["email"])
        return {"success": "Reset token sent"}

    @endpoint(
        "Set a new password with a reset token",
        public=True,
        body=Schema(
            email=String(required=True, min_length=1),
            token=String(required=True, min_length=1),
            password=String(required=True, min_length=1),
            password2=String(required=True, min_length=1),
        ),
    )
    def put(self, body):
        auth.reset_password(**body)
        return {"success": True}


def _factors(body):
    return {k: body.get(k) for k in FACTOR_FIELDS}


class Totp(Resource):
    @endpoint("Start enabling TOTP: get the secret and provisioning URI", during_2fa_setup=True)
    def put(self):
        return two_factor.pre_enable_totp(_signed_in_person())

    @endpoint("Enable TOTP by proving a code", during_2fa_setup=True,
              body=Schema(totp=String(required=True, min_length=1)))
    def post(self, body):
        person = _signed_in_person()
        return _with_session(two_factor.enable_totp(person, body["totp"]), person)

    @endpoint("Disable TOTP (needs a valid factor)", body=Schema(**FACTOR_FIELDS))
    def delete(self, body):
        return two_factor.disable_totp(_signed_in_person(), _factors(body))


class EmailOtp(Resource):
    @endpoint(
        "Send a sign-in code by e-mail",
        public=True,
        query=Schema(email=String(required=True, min_length=1)),
        description="Always answers success, known address or not.",
    )
    def get(self, query):
        person = auth.find_by_login(query["email"])
        if person is not None and person.email_otp_enabled:
            two_factor.send_email_otp(person)
        return {"success": True}

    @endpoint("Start enabling e-mail codes: a code is sent", during_2fa_setup=True)
    def put(self):
        return two_factor.pre_enable_email_otp(_signed_in_person())

    @endpoint("Enable e-mail codes by proving the code", during_2fa_setup=True,
              body=Schema(email_otp=String(required=True, min_length=1)))
    def post(self, body):
        person = _signed_in_person()
        return _with_session(two_factor.enable_email_otp(person, body["email_otp"]), person)

    @endpoint("Disable e-mail codes (needs a valid factor)", body=Schema(**FACTOR_FIELDS))
    def delete(self, body):
        return two_factor.disable_email_otp(_signed_in_person(), _factors(body))


class RecoveryCodes(Resource):
    @endpoint("Replace the recovery codes (needs a valid factor)", body=Schema(**FACTOR_FIELDS))
    def put(self, body):
        return two_factor.regenerate_recovery_codes(_signed_in_person(), _factors(body))
