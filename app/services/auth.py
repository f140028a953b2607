"""Signing in and out, password changes and resets.

No flask.request here: the blueprint passes the caller's address, origin
and the token claims it needs.
"""
import datetime
import secrets
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import case, func, or_, select, update

from app.errors import BadRequest, Unauthorized
from app.extensions import db
from app.kv import kv
from app.models.base import utc_now
from app.permissions import require_person
from app.services import mailer, passwords, tokens, two_factor

WRONG_CREDENTIALS = "Wrong email or password."
RESET_PREFIX = "reset-password:"


def _person_model():
    from app.models.person import Person
    return Person


def find_by_login(login):
    """The person an e-mail or desktop login names (bots never sign in)."""
    Person = _person_model()
    login = (login or "").strip()
    return db.session.execute(
        select(Person)
        .where(or_(func.lower(Person.email) == login.lower(), Person.desktop_login == login))
        .where(Person.is_bot.is_(False))
        .order_by(case((func.lower(Person.email) == login.lower(), 0), else_=1))
        .limit(1)
    ).scalar_one_or_none()


def _is_locked(person):
    cfg = current_app.config
    if (person.login_failed_attemps or 0) < cfg["LOGIN_MAX_FAILED_ATTEMPTS"]:
        return False
    window = datetime.timedelta(seconds=cfg["LOGIN_LOCKOUT_SECONDS"])
    return person.last_login_failed is not None and person.last_login_failed + window > utc_now()


def _record_failure(person):
    """Count a failed attempt in one statement, so parallel guesses all count.

    A failure after the lockout window starts a new burst at 1.
    """
    Person = _person_model()
    window = datetime.timedelta(seconds=current_app.config["LOGIN_LOCKOUT_SECONDS"])
    now = utc_now()
    db.session.execute(
        update(Person)
        .where(Person.id == person.id)
        .values(
            login_failed_attemps=case(
                (or_(Person.last_login_failed.is_(None),
                     Person.last_login_failed < now - window), 1),
                else_=func.coalesce(Person.login_failed_attemps, 0) + 1,
            ),
            last_login_failed=now,
        )
    )
    db.session.commit()


def _refuse_if_locked(person):
    if _is_locked(person):
        raise BadRequest(
            "Too many failed login attempts, retry in a minute.",
            login=False, too_many_failed_login_attemps=True,
        )


def login(*, email, password, factors, ip_address, origin):
    """Check credentials and second factor; returns the person row.

    Every refusal says as little as possible: an unknown login and a wrong
    password give the same answer and cost the same time.
    """
    from app.models.events import LoginLog

    person = find_by_login(email)
    if person is None:
        passwords.check_password(password, None)
        raise BadRequest(WRONG_CREDENTIALS, login=False)
    _refuse_if_locked(person)
    if not passwords.check_password(password, person.password):
        _record_failure(person)
        raise BadRequest(WRONG_CREDENTIALS, login=False)
    if not person.active:
        raise Unauthorized("User is unactive, he cannot log in.", login=False, unactive=True)
    if person.preview_project_id is not None:
        from app.services import preview_accounts

        preview_accounts.check_session(person)
    if password == "default":
        raise BadRequest(
            "The default password must be changed.",
            login=False, default_password=True, token=create_reset_token(person),
        )
    methods = two_factor.enabled_methods(person)
    if methods:
        if not two_factor.given(factors):
            raise BadRequest(
                "A two-factor authentication code is required.",
                login=False, missing_OTP=True,
                preferred_two_factor_authentication=person.preferred_two_factor_authentication,
                two_factor_authentication_enabled=two_factor.login_choices(person),
            )
        if not two_factor.check(person, **factors):
            _record_failure(person)
            raise BadRequest("Wrong two-factor authentication code.", login=False, wrong_OTP=True)
    person.login_failed_attemps = 0
    person.last_login_failed = None
    db.session.add(LoginLog(person_id=person.id, ip_address=ip_address, origin=origin))
    db.session.commit()
    return person


def own_account(actor):
    """The caller's own person row, for what only a person signing in has:
    a session, a password, second factors. Bots are refused."""
    require_person(actor)
    return actor.person


def logout(actor, claims):
    require_person(actor)
    tokens.revoke(claims["jti"], claims.get("exp"))
    if claims.get("refresh_jti"):
        tokens.revoke(claims["refresh_jti"])


def load_person(person_id):
    return db.session.get(_person_model(), person_id)


def change_password(person, *, old_password, password, password_2):
    _refuse_if_locked(person)
    if not passwords.check_password(old_password, person.password):
        _record_failure(person)
        raise BadRequest("Old password is wrong.")
    passwords.validate_new_password(password, password_2)
    person.password = passwords.hash_secret(password)
    db.session.commit()
    mailer.send(person.email, "Your password was changed",
                "The password of your account was changed. If this was not you, "
                "contact your studio administrator.")


def create_reset_token(person, seconds=None):
    token = secrets.token_urlsafe(32)
    kv.put(RESET_PREFIX + token, str(person.id),
           seconds or current_app.config["RESET_TOKEN_SECONDS"])
    return token


def reset_link(token, email, token_type=None):
    """The Kitsu page where a password is chosen; type "new" makes it a
    first password (an invitation) rather than a reset."""
    cfg = current_app.config
    params = {"email": email, "token": token}
    if token_type:
        params["type"] = token_type
    return (f"{cfg['DOMAIN_PROTOCOL']}://{cfg['DOMAIN_NAME']}"
            f"/reset-change-password?{urlencode(params)}")


def request_password_reset(email):
    """Mail a reset link if the address is known; say nothing either way."""
    person = find_by_login(email)
    if person is None or not person.active or not person.email:
        return
    token = create_reset_token(person)
    mailer.send(person.email, "Reset your password",
                f"Follow this link to choose a new password: {reset_link(token, person.email)}")


def reset_password(*, email, token, password, password2):
    passwords.validate_new_password(password, password2)
    person_id = kv.pop(RESET_PREFIX + token)
    person = load_person(person_id) if person_id else None
    if person is None or (person.email or "").lower() != email.strip().lower():
        raise BadRequest("Wrong or expired token.")
    if not person.active:
        raise BadRequest("User is inactive.")
    person.password = passwords.hash_secret(password)
    person.login_failed_attemps = 0
    person.last_login_failed = None
    db.session.commit()
