"""Publishing previews on comments and choosing entities' main previews
(behaviours.md row 17). Rules in app/services/previews.py; the upload
itself is app/blueprints/pictures/preview_uploads.py."""
from flask import Response

from app.api import Boolean, Integer, List, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import previews


class AddPreview(Resource):
    @endpoint("Add a preview (status processing) to a comment: a new revision, or the "
              "next position in the comment's revision (201, the preview file); upload "
              "its file to POST /pictures/preview-files/<id>",
              body=Schema(revision=Integer(minimum=0, description=(
                  "An explicit revision number, free at position 1 on the task"))))
    def post(self, task_id, comment_id, body):
        return previews.add_preview(current_actor(), task_id, comment_id,
                                    body.get("revision")), 201


class CommentPreviewFile(Resource):
    @endpoint("Add one more preview to a comment, in the revision of the preview of "
              "the path (201, the new preview file)")
    def post(self, task_id, comment_id, preview_file_id):
        return previews.add_to_revision(current_actor(), task_id, comment_id,
                                        preview_file_id), 201

    @endpoint("Remove a preview from a comment; its stored files go with force=true "
              "(the project's managers) or when the server sets REMOVE_FILES (204)",
              query=Schema(force=Boolean(default=False)))
    def delete(self, task_id, comment_id, preview_file_id, query):
        previews.remove_from_comment(current_actor(), task_id, comment_id, preview_file_id,
                                     force=query["force"])
        return Response(status=204)


class UpdatePosition(Resource):
    @endpoint("Move a preview within its revision (1 is the first); returns the "
              "revision's previews in their new order",
              body=Schema(position=Integer(minimum=0, default=0)))
    def put(self, preview_file_id, body):
        return previews.update_position(current_actor(), preview_file_id, body["position"])


class SetMainPreview(Resource):
    @endpoint("Make the preview its entity's main picture (anyone who sees the entity "
              "but clients); with frame_number, a movie's pictures become that frame "
              "first. Returns the entity with preview_file_status",
              body=Schema(frame_number=Integer(minimum=1, description=(
                  "A frame of the movie, counted from 1"))))
    def put(self, preview_file_id, body):
        return previews.set_main(current_actor(), preview_file_id, body.get("frame_number"))


class SetTaskMainPreview(Resource):
    @endpoint("Make the task's newest preview its entity's main picture")
    def put(self, task_id):
        return previews.set_main_from_task(current_actor(), task_id)


class SetTasksMainPreview(Resource):
    @endpoint("The same for several tasks; tasks without previews are skipped. Returns "
              "the entities changed",
              body=Schema(task_ids=List(Uuid(), required=True)))
    def put(self, body):
        if not body["task_ids"]:
            raise BadRequest("Field 'task_ids' needs at least one task.")
        return previews.set_main_from_tasks(current_actor(), body["task_ids"])


class RunningPreviewFiles(Resource):
    @endpoint("Previews of open productions still processing, broken or missing, newest "
              "first, with project_id, task_type_id and full_entity_name (admins)",
              query=Schema(cursor_preview_file_id=Uuid(description=(
                  "Only previews created before this one")),
                  limit=Integer(minimum=1)))
    def get(self, query):
        return Response(previews.running(current_actor(), query.get("cursor_preview_file_id"),
                                         query.get("limit")), mimetype="application/json")


def routes():
    comment = "/actions/tasks/<task_id>/comments/<comment_id>"
    return [
        (f"{comment}/add-preview", AddPreview),
        (f"{comment}/preview-files/<preview_file_id>", CommentPreviewFile),
        ("/actions/preview-files/<preview_file_id>/update-position", UpdatePosition),
        ("/actions/preview-files/<preview_file_id>/set-main-preview", SetMainPreview),
        ("/actions/tasks/<task_id>/set-main-preview", SetTaskMainPreview),
        ("/actions/tasks/set-main-preview", SetTasksMainPreview),
        ("/data/playlists/preview-files/running", RunningPreviewFiles),
    ]
