"""Who is calling: token verification and the current actor.

Every non-public endpoint calls require_actor() (app.api does it), which
checks the token (signature, expiry, revocation), loads the person and
refuses inactive people and retired API tokens.
"""
from dataclasses import dataclass

from flask import g
from flask_jwt_extended import get_jwt, verify_jwt_in_request
from sqlalchemy import func, select

from app.errors import Forbidden, Unauthorized
from app.extensions import db, jwt
from app.services import tokens


@dataclass(frozen=True)
class Actor:
    """The signed-in person (their row, loaded once per request) and the ids
    of their departments, which most permission rules need."""

    person: object
    department_ids: tuple

    @property
    def id(self):
        return str(self.person.id)

    @property
    def role(self):
        return self.person.role

    @property
    def is_bot(self):
        return bool(self.person.is_bot)

    @property
    def is_admin(self):
        return self.person.role == "admin"


def _load_actor(person_id):
    from app.models.person import DepartmentLink, Person

    departments = (
        select(func.array_agg(DepartmentLink.department_id))
        .where(DepartmentLink.person_id == Person.id)
        .scalar_subquery()
    )
    row = db.session.execute(
        select(Person, departments).where(Person.id == person_id)
    ).first()
    if row is None:
        return None
    return Actor(row[0], tuple(str(d) for d in row[1] or ()))


def require_actor(refresh=False, during_2fa_setup=False):
    verify_jwt_in_request(refresh=refresh)
    claims = get_jwt()
    actor = _load_actor(claims["sub"])
    if actor is None:
        raise Unauthorized("This account no longer exists.")
    if not actor.person.active:
        raise Unauthorized("User is inactive.", unactive=True)
    if actor.person.is_guest:
        # Share-link guests act through /shared/* only, whatever token they hold.
        raise Unauthorized("Guests of a share link have no access to the API.")
    if actor.person.preview_project_id is not None:
        from app.services import preview_accounts

        preview_accounts.check_session(actor.person, claims.get("iat"))
    if (claims.get("identity_type") in ("bot", "person_api")
            and claims["jti"] != actor.person.jti):
        raise Unauthorized("This API token was replaced by a newer one.")
    if claims.get("requires_2fa_setup") and not during_2fa_setup:
        raise Forbidden("Set up two-factor authentication first.",
                        two_factor_authentication_required=True)
    g.actor = actor
    return actor


def current_actor():
    return g.actor


def _unauthorized(message):
    from app.http import json_response
    return json_response({"error": True, "message": message}, 401)


def init_app(app):
    app.config.update(
        JWT_SECRET_KEY=app.config["SECRET_KEY"],
        JWT_TOKEN_LOCATION=["headers", "cookies"],
        JWT_COOKIE_CSRF_PROTECT=False,
        JWT_COOKIE_SAMESITE="Lax",
        JWT_SESSION_COOKIE=False,
        JWT_IDENTITY_CLAIM="sub",
    )
    jwt.init_app(app)

    @jwt.token_in_blocklist_loader
    def _refused(jwt_header, jwt_payload):
        return tokens.is_refused(jwt_payload)

    @jwt.revoked_token_loader
    def _revoked(jwt_header, jwt_payload):
        return _unauthorized("The token has been revoked.")

    @jwt.expired_token_loader
    def _expired(jwt_header, jwt_payload):
        return _unauthorized("Signature has expired")  # gazu refreshes on this text

    @jwt.invalid_token_loader
    def _invalid(reason):
        return _unauthorized(f"Invalid token: {reason}")

    @jwt.unauthorized_loader
    def _missing(reason):
        return _unauthorized("Authentication required: no token in the "
                             "Authorization header or cookies.")

    @jwt.needs_fresh_token_loader
    def _fresh(jwt_header, jwt_payload):
        return _unauthorized("A fresh token is required.")

    @jwt.user_lookup_error_loader
    def _lookup(jwt_header, jwt_payload):
        return _unauthorized("This account no longer exists.")

    @jwt.token_verification_failed_loader
    def _failed(jwt_header, jwt_payload):
        return _unauthorized("The token was refused.")
