"""POST /import/csv/...: spreadsheets of persons, assets, shots, edits,
casting and task estimations (multipart field `file`, `?update=true` to
change the rows that exist). 201 with the imported rows; 400 listing every
bad line ({line_number, errors, imported_rows: 0}) and nothing written."""
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from app.api import Boolean, Resource, Schema, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.http import json_body_response
from app.services import csv_import, csv_import_entities, csv_import_others

MULTIPART_SLACK = 64 * 1024  # the multipart envelope around the file
UPDATE = Schema(update=Boolean(default=False, description="Also update the existing rows"))
RESPONSES = {"201": {"description": "The imported rows"},
             "400": {"description": "Bad file: {line_number, errors, imported_rows}"}}


def uploaded_file():
    """The uploaded file (multipart field `file`), refused over the size
    limit before the body is read. The services ask for it once the
    caller's rights are checked, so a refused caller's upload is never
    parsed."""
    csv_import.check_size(request.content_length)
    # A body sent without Content-Length stops being read at the limit too.
    request.max_content_length = csv_import.max_bytes() + MULTIPART_SLACK
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        raise csv_import.too_large()
    if upload is None:
        raise BadRequest("File not provided (multipart field 'file').")
    stream = upload.stream
    stream.seek(0, 2)
    csv_import.check_size(stream.tell())
    stream.seek(0)
    return upload


def _upload():
    return uploaded_file().stream


def _created(result):
    """201 with the rows: a list, or JSON chunks (streamed)."""
    if isinstance(result, list):
        return result, 201
    response = json_body_response(result)
    response.status_code = 201
    return response


def _resource(name, run):
    def post(self, query, **ids):
        return _created(run(current_actor(), _upload, query["update"], **ids))

    post = endpoint(f"Import {name} from a CSV file", query=UPDATE, responses=RESPONSES)(post)
    return type(f"{name.title().replace(' ', '')}CsvImport", (Resource,), {"post": post})


def _project(service):
    return lambda actor, stream, update, project_id: service(actor, project_id, stream, update)


def _estimations(actor, stream, update, project_id, task_type_id, episode_id=None):
    return csv_import_others.import_estimations(actor, project_id, task_type_id, stream,
                                                episode_id, update)


def routes():
    prefix = "/import/csv/projects/<project_id>"
    return [
        ("/import/csv/persons", _resource(
            "persons", lambda actor, stream, update: csv_import_others.import_persons(
                actor, stream, update))),
        (f"{prefix}/assets", _resource("assets", _project(csv_import_entities.import_assets))),
        (f"{prefix}/shots", _resource("shots", _project(csv_import_entities.import_shots))),
        (f"{prefix}/edits", _resource("edits", _project(csv_import_entities.import_edits))),
        (f"{prefix}/casting", _resource("casting", _project(csv_import_others.import_casting))),
        (f"{prefix}/task-types/<task_type_id>/estimations",
         _resource("estimations", _estimations)),
        (f"{prefix}/episodes/<episode_id>/task-types/<task_type_id>/estimations",
         _resource("episode estimations", _estimations)),
    ]
