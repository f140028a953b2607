"""JWT issuing and revocation.

Three kinds of identity ride in the `identity_type` claim:
- "person": a login session (access + refresh pair);
- "bot" / "person_api": a long-lived API token, valid until the end of the
  person's expiration_date. Its jti is stored on the person, so issuing a
  new one retires the previous one.
Revoked jtis live in the key-value store until the token would have expired.
"""
import datetime
import time

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token

from app.kv import kv

REVOKED_PREFIX = "revoked:"


def needs_2fa_setup(person):
    """Whether this person's sessions are limited to setting up a factor."""
    from app.services.two_factor import enabled_methods

    cfg = current_app.config
    return (cfg["ENFORCE_2FA"] and not person.is_bot
            and (person.email or "").lower() not in cfg["TWO_FA_EXEMPT_USERS"]
            and not enabled_methods(person))


def _session_claims(person):
    claims = {"identity_type": "person"}
    if needs_2fa_setup(person):
        claims["requires_2fa_setup"] = True
    return claims


def issue_session(person):
    claims = _session_claims(person)
    refresh = create_refresh_token(identity=str(person.id), additional_claims=claims)
    access = issue_access(person, decode_token(refresh)["jti"])
    return access, refresh


def issue_access(person, refresh_jti):
    return create_access_token(
        identity=str(person.id),
        additional_claims={**_session_claims(person), "refresh_jti": refresh_jti},
    )


def issue_api_token(person_id, is_bot, expiration_date):
    """A long-lived token; returns (token, jti) so the caller stores the jti."""
    if expiration_date is not None:
        end_of_day = datetime.datetime.combine(
            expiration_date, datetime.time.max, tzinfo=datetime.timezone.utc
        )
        expires = end_of_day - datetime.datetime.now(datetime.timezone.utc)
        if expires.total_seconds() <= 0:
            from app.errors import BadRequest
            raise BadRequest("The expiration date must be in the future.")
    else:
        expires = False
    token = create_access_token(
        identity=str(person_id),
        additional_claims={"identity_type": "bot" if is_bot else "person_api"},
        expires_delta=expires,
    )
    return token, decode_token(token)["jti"]


def revoke(jti, expires_at=None):
    """Block a jti until its token would have expired anyway."""
    if expires_at is None:
        ttl = current_app.config["JWT_REFRESH_TOKEN_EXPIRES"].total_seconds()
    else:
        ttl = expires_at - time.time()
    if ttl > 0:
        kv.put(REVOKED_PREFIX + jti, "1", ttl)


NOT_BEFORE_KEY = "tokens:not-before"


def revoke_all():
    """Sign everybody out: every token issued before now stops working."""
    kv.client.set(NOT_BEFORE_KEY, int(time.time()) + 1)
    return kv.delete_prefix(REVOKED_PREFIX)


def is_refused(claims):
    # One round trip for both checks: this runs on every request.
    revoked, not_before = kv.client.mget(REVOKED_PREFIX + claims["jti"], NOT_BEFORE_KEY)
    if revoked is not None:
        return True
    return not_before is not None and claims.get("iat", 0) < int(not_before)
