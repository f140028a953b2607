"""Second factors: TOTP, e-mail one-time codes and recovery codes.

A method is first "pre-enabled" (a secret is stored, nothing is enforced),
then enabled by proving a code. Enabling the first method hands out 16
single-use recovery codes, stored bcrypt-hashed; disabling the last method
wipes them.
"""
import secrets
import string

import bcrypt
import pyotp
from flask import current_app

from app.errors import BadRequest
from app.extensions import db
from app.kv import kv
from app.services import mailer, passwords

METHODS = ("totp", "email_otp", "fido")
RECOVERY_ALPHABET = string.ascii_uppercase + string.digits


def enabled_methods(person):
    return [m for m in METHODS if getattr(person, f"{m}_enabled")]


def login_choices(person):
    """What the login form may ask for, as the Kitsu app expects it listed."""
    return ["recovery_code"] + enabled_methods(person)


def _email_otp_key(person):
    return f"email-otp:{person.id}"


def send_email_otp(person):
    # A random HOTP counter, remembered briefly: the code it yields is
    # valid once and only for a few minutes.
    counter = secrets.randbelow(10**12)
    kv.put(_email_otp_key(person), counter, current_app.config["EMAIL_OTP_SECONDS"])
    code = pyotp.HOTP(person.email_otp_secret).at(counter)
    mailer.send(person.email, "Your sign-in code", f"Your one-time code is {code}.")


def _check_totp(person, code):
    if not person.totp_secret or not pyotp.TOTP(person.totp_secret).verify(
        str(code), valid_window=1
    ):
        return False
    # A code seen once is refused for the rest of its validity (3 windows),
    # so a code read over someone's shoulder cannot be replayed.
    return kv.client.set(f"totp-used:{person.id}:{code}", 1, nx=True, ex=90) is True


def _check_email_otp(person, code):
    if not person.email_otp_secret:
        return False
    counter = kv.get(_email_otp_key(person))
    if counter is None or not pyotp.HOTP(person.email_otp_secret).verify(str(code), int(counter)):
        return False
    kv.pop(_email_otp_key(person))
    return True


def _check_recovery_code(person, code):
    codes = list(person.otp_recovery_codes or [])
    for hashed in codes:
        if bcrypt.checkpw(str(code).encode(), bytes(hashed)):
            codes.remove(hashed)
            person.otp_recovery_codes = codes
            return True
    return False


def check(person, *, totp=None, email_otp=None, recovery_code=None, **_):
    """True when one of the given factors is valid for this person.

    A recovery code is consumed by a successful check (the caller commits).
    """
    if totp and person.totp_enabled and _check_totp(person, totp):
        return True
    if email_otp and person.email_otp_enabled and _check_email_otp(person, email_otp):
        return True
    if recovery_code and _check_recovery_code(person, recovery_code):
        return True
    return False


def given(factors):
    return any(factors.get(k) for k in ("totp", "email_otp", "recovery_code",
                                         "fido_authentication_response"))


def new_recovery_codes(person):
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(16)]
    person.otp_recovery_codes = [passwords.hash_secret(c) for c in codes]
    return codes


def _enable(person, method):
    first = not enabled_methods(person)
    setattr(person, f"{method}_enabled", True)
    if not person.preferred_two_factor_authentication:
        person.preferred_two_factor_authentication = method
    codes = new_recovery_codes(person) if first else None
    db.session.commit()
    return {"otp_recovery_codes": codes}


def _disable(person, method):
    setattr(person, f"{method}_enabled", False)
    setattr(person, f"{method}_secret", None)
    remaining = enabled_methods(person)
    if person.preferred_two_factor_authentication == method:
        person.preferred_two_factor_authentication = remaining[0] if remaining else None
    if not remaining:
        person.otp_recovery_codes = None
    db.session.commit()
    return {"success": True}


def require_valid_factor(person, factors):
    if not enabled_methods(person):
        raise BadRequest("No two factor authentication enabled.")
    if not check(person, **factors):
        db.session.commit()  # a consumed recovery code stays consumed
        raise BadRequest("OTP verification failed.", wrong_OTP=True)


def pre_enable_totp(person):
    if person.totp_enabled:
        raise BadRequest("TOTP already enabled.")
    from app.services.organisation import get_organisation

    person.totp_secret = pyotp.random_base32()
    db.session.commit()
    uri = pyotp.TOTP(person.totp_secret).provisioning_uri(
        name=person.email, issuer_name=f"Kitsu {get_organisation()['name']}"
    )
    return {"totp_provisionning_uri": uri, "otp_secret": person.totp_secret}


def enable_totp(person, code):
    if person.totp_enabled:
        raise BadRequest("TOTP already enabled.")
    if not _check_totp(person, code):
        raise BadRequest("TOTP verification failed.", wrong_OTP=True)
    return _enable(person, "totp")


def disable_totp(person, factors):
    if not person.totp_enabled:
        raise BadRequest("TOTP not enabled.")
    require_valid_factor(person, factors)
    return _disable(person, "totp")


def pre_enable_email_otp(person):
    if person.email_otp_enabled:
        raise BadRequest("OTP by email already enabled.")
    person.email_otp_secret = pyotp.random_base32()
    db.session.commit()
    send_email_otp(person)
    return {"success": True}


def enable_email_otp(person, code):
    if person.email_otp_enabled:
        raise BadRequest("OTP by email already enabled.")
    if not _check_email_otp(person, code):
        raise BadRequest("OTP by email verification failed.", wrong_OTP=True)
    return _enable(person, "email_otp")


def disable_email_otp(person, factors):
    if not person.email_otp_enabled:
        raise BadRequest("OTP by email not enabled.")
    require_valid_factor(person, factors)
    return _disable(person, "email_otp")


def regenerate_recovery_codes(person, factors):
    require_valid_factor(person, factors)
    codes = new_recovery_codes(person)
    db.session.commit()
    return {"otp_recovery_codes": codes}


def disable_all(person):
    for method in METHODS:
        setattr(person, f"{method}_enabled", False)
    person.totp_secret = None
    person.email_otp_secret = None
    person.fido_credentials = None
    person.otp_recovery_codes = None
    person.preferred_two_factor_authentication = None
