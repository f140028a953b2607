"""/import/shotgun/*: ShotGrid records upserted by their ShotGrid id, the
remove-by-ShotGrid-id routes, and the import errors (admins only; see
app/services/shotgun_import.py)."""
import orjson
from flask import request

from app.api import Integer, Resource, Schema, endpoint, request_body
from app.auth import current_actor
from app.errors import BadRequest
from app.http import json_body_response
from app.services import shotgun_import
from app.services.shotgun_mappings import KINDS

REMOVE = Schema(id=Integer(required=True, description="The ShotGrid id of the row to remove"))
# Zou registers the project connection routes under two spellings.
ALIASES = {"project-connections": "projectconnections",
           "project-connection": "projectconnection"}


def _records():
    try:
        return orjson.loads(request.get_data(cache=True) or b"null")
    except orjson.JSONDecodeError:
        raise BadRequest("The request body is not valid JSON.")


def _import_resource(plural, suffix=""):
    if plural == "project-connections":
        def post(self):
            return shotgun_import.import_connections(current_actor(), _records)
    else:
        def post(self):
            return shotgun_import.import_records(current_actor(), plural, _records)

    post = endpoint(f"Import ShotGrid {plural} (a JSON list of records)", responses={
        "200": {"description": "The rows imported; failed records become import errors"}})(post)
    name = plural.title().replace("-", "")
    return type(f"ShotgunImport{name}{suffix}", (Resource,), {"post": post})


def _remove_resource(singular, suffix=""):
    def post(self, body):
        return shotgun_import.remove(current_actor(), singular, body["id"])

    post = endpoint(f"Remove the {singular} with a ShotGrid id", body=REMOVE)(post)
    name = singular.title().replace("-", "")
    return type(f"ShotgunRemove{name}{suffix}", (Resource,), {"post": post})


class ShotgunImportErrors(Resource):
    @endpoint("List the ShotGrid import errors")
    def get(self):
        return json_body_response(shotgun_import.list_errors(current_actor()))

    @endpoint("Record a ShotGrid import error (any JSON object, kept as event_data)")
    def post(self):
        return shotgun_import.add_error(current_actor(), request_body()), 201


class ShotgunImportError(Resource):
    @endpoint("Delete a ShotGrid import error")
    def delete(self, error_id):
        shotgun_import.delete_error(current_actor(), error_id)
        return "", 204


def routes():
    out = [("/import/shotgun/errors", ShotgunImportErrors),
           ("/import/shotgun/errors/<error_id>", ShotgunImportError)]
    for kind in KINDS.values():
        out += [(f"/import/shotgun/{kind.plural}", _import_resource(kind.plural)),
                (f"/import/shotgun/remove/{kind.singular}", _remove_resource(kind.singular))]
        if kind.plural in ALIASES:
            out += [(f"/import/shotgun/{ALIASES[kind.plural]}",
                     _import_resource(kind.plural, "Alias")),
                    (f"/import/shotgun/remove/{ALIASES[kind.singular]}",
                     _remove_resource(kind.singular, "Alias"))]
    return out
