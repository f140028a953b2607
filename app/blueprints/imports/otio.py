"""POST /import/otio/projects/<id>[/episodes/<id>]: an edit timeline
(.otio, .edl or .xml, multipart field `file`) becomes the project's shots.
`naming_convention` and `match_case` come from the query string or the
form. 201 {created_shots, updated_shots}; 400 naming the problem, nothing
written."""
from flask import request

from app.api import Boolean, Resource, Schema, String, endpoint
from app.auth import current_actor
from app.blueprints.imports.csv_files import uploaded_file
from app.services import otio_import

OPTIONS = Schema(
    naming_convention=String(max_length=500, description=(
        "How clip names are made, from ${project_name}, ${episode_name}, ${sequence_name} "
        "and ${shot_name}")),
    match_case=Boolean(default=True, description="Clip names must match shot names' case"))
RESPONSES = {"201": {"description": "{created_shots, updated_shots}"},
             "400": {"description": "Unsupported or unreadable file, or bad clip names"}}


def _upload():
    """(stream, file name, options): the form is read only here, once the
    service has checked the caller's rights (and within the size limit)."""
    upload = uploaded_file()
    options = OPTIONS.parse({**request.args.to_dict(), **request.form.to_dict()})
    return upload.stream, upload.filename, options.get("naming_convention"), \
        options["match_case"]


class TimelineImport(Resource):
    @endpoint("Create and update shots from an edit timeline (OTIO, EDL, FCP XML)",
              responses=RESPONSES)
    def post(self, project_id, episode_id=None):
        return otio_import.import_timeline(current_actor(), project_id, _upload,
                                           episode_id), 201


class EpisodeTimelineImport(TimelineImport):
    """The same import, its sequences made in the episode."""


def routes():
    return [
        ("/import/otio/projects/<project_id>", TimelineImport),
        ("/import/otio/projects/<project_id>/episodes/<episode_id>", EpisodeTimelineImport),
    ]
