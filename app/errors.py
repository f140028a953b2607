"""One exception hierarchy, one JSON error shape: {"error": true, "message"}.

Services raise these; `register` maps them (and everything Flask or the
database raises) to a response in one place.
"""
import logging

from flask import current_app
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    status = 500
    default_message = "A server error occurred."

    def __init__(self, message=None, **extra):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        # Extra fields the contract puts beside the message (e.g. unactive).
        self.extra = extra

    def body(self):
        return {"error": True, "message": self.message, **self.extra}


class BadRequest(ApiError):
    status = 400
    default_message = "Bad request."


class Unauthorized(ApiError):
    status = 401
    default_message = "Authentication required."


class Forbidden(ApiError):
    status = 403
    default_message = "You are not allowed to do this."


class NotFound(ApiError):
    status = 404
    default_message = "Not found."


class Conflict(ApiError):
    status = 409
    default_message = "Conflict."


def integrity_message(exc):
    # Never echo SQL or values back: only say which kind of rule failed.
    code = getattr(getattr(exc, "orig", None), "pgcode", None)
    if code == "23505":
        return "An object with the same unique values already exists."
    if code == "23503":
        return "A referenced object does not exist or is still in use."
    if code == "23502":
        return "A required field is missing."
    return "The data breaks an integrity rule."


def register(app):
    from app.extensions import db
    from app.http import json_response

    @app.errorhandler(ApiError)
    def api_error(exc):
        return json_response(exc.body(), exc.status)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        message = exc.description if exc.code != 404 else "Resource not found."
        return json_response({"error": True, "message": message}, exc.code)

    @app.errorhandler(IntegrityError)
    def integrity_error(exc):
        db.session.rollback()
        return json_response({"error": True, "message": integrity_message(exc)}, 400)

    @app.errorhandler(DataError)
    def data_error(exc):
        db.session.rollback()
        return json_response(
            {"error": True, "message": "A value has the wrong type or is too long."}, 400
        )

    @app.errorhandler(Exception)
    def server_error(exc):
        db.session.rollback()
        log.exception("Unhandled error")
        body = {"error": True, "message": "A server error occurred."}
        if current_app.debug:
            body["detail"] = repr(exc)
        return json_response(body, 500)
