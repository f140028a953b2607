"""Password hashing (bcrypt) and the rules a new password must meet."""
import functools

import bcrypt
from flask import current_app

from app.errors import BadRequest


@functools.cache
def _dummy_hash(rounds):
    # Checked against when the login matches nobody, so that an unknown
    # e-mail costs as much time as a wrong password and reveals nothing.
    return bcrypt.hashpw(b"no-such-user", bcrypt.gensalt(rounds))


def hash_secret(secret):
    rounds = current_app.config["BCRYPT_ROUNDS"]
    return bcrypt.hashpw(secret.encode("utf-8"), bcrypt.gensalt(rounds))


def check_password(password, hashed):
    if not hashed:
        bcrypt.checkpw(password.encode("utf-8"), _dummy_hash(current_app.config["BCRYPT_ROUNDS"]))
        return False
    return bcrypt.checkpw(password.encode("utf-8"), bytes(hashed))


def validate_new_password(password, password_2):
    if password != password_2:
        raise BadRequest("Confirmation password doesn't match.")
    if len(password) < current_app.config["MIN_PASSWORD_LENGTH"]:
        raise BadRequest("Password is too short.")
