"""POST /import/kitsu/<collection>: arrays of rows from another instance,
upserted under their original ids (admins; `?silent=true` sends no
events). GET /import/kitsu/counts (ours) gives the row counts `sync-push`
compares once it has pushed a project."""
import orjson
from flask import request

from app.api import Boolean, Resource, Schema, String, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.http import json_body_response
from app.services import kitsu_import

SILENT = Schema(silent=Boolean(default=False, description="Send no events"))


def _records():
    """The body, read once the caller's rights are checked."""
    try:
        return orjson.loads(request.get_data(cache=True) or b"null")
    except orjson.JSONDecodeError:
        raise BadRequest("The request body is not valid JSON.")


def _resource(name, contract):
    def post(self, query):
        return json_body_response(kitsu_import.import_records(
            current_actor(), name, _records, query["silent"]))

    summary = f"Import {name} of another instance, keeping their ids"
    post = endpoint(summary, query=SILENT, description="" if contract else
                    "Not in Zou: lets sync-push bring the settings a project uses.",
                    responses={"200": {"description": "The rows as stored"}})(post)
    return type(f"Kitsu{name.title().replace('-', '')}Import", (Resource,), {"post": post})


class Counts(Resource):
    @endpoint("Row counts per imported collection (not in Zou)",
              query=Schema(project_id=String(description="Only this project's rows")))
    def get(self, query):
        return kitsu_import.project_counts(current_actor(), query.get("project_id"))


def routes():
    return [("/import/kitsu/counts", Counts)] + [
        (f"/import/kitsu/{name}", _resource(name, tgt.in_contract))
        for name, tgt in kitsu_import.targets().items()]
