"""Rows to wire dicts (behaviours.md section 0): every column, plus "type".

Values stay native (UUID, datetime, date); app.http encodes them in one pass.
"""
import datetime

from sqlalchemy import inspect

# Columns that never leave the server, whoever asks: secrets, and the
# bookkeeping of sign-in attempts and single sign-on identities.
PERSON_SECRETS = frozenset({
    "password", "totp_secret", "email_otp_secret", "fido_credentials",
    "otp_recovery_codes", "jti", "login_failed_attemps", "last_login_failed",
    "oidc_issuer", "oidc_subject", "saml_issuer", "saml_subject",
})


def _columns(model):
    cache = model.__dict__.get("_wire_columns")
    if cache is None:
        cache = tuple(attr.key for attr in inspect(model).column_attrs)
        model._wire_columns = cache
    return cache


def serialize(obj, obj_type=None, exclude=frozenset()):
    data = {key: getattr(obj, key) for key in _columns(type(obj)) if key not in exclude}
    data["type"] = obj_type or type(obj).__name__
    return data


def serialize_person(person):
    data = serialize(person, exclude=PERSON_SECRETS)
    data["full_name"] = f"{person.first_name} {person.last_name}".strip()
    data["fido_devices"] = [
        c.get("device_name") for c in (person.fido_credentials or []) if isinstance(c, dict)
    ]
    return data


def parse_datetime(value):
    """ISO 8601 text (a trailing Z, an offset or none) as the naive UTC
    datetime the database stores; ValueError otherwise."""
    parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed
