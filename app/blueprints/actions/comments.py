"""/actions/tasks/<id>/comment...: the review conversation on a task
(behaviours.md row 14). Rules in app/services/comments.py."""
import orjson
from flask import request

from app.api import Boolean, Dict, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import comment_actions, comments

COMMENT = Schema(
    task_status_id=Uuid(required=True, description="The task's status after the comment"),
    comment=String(default="", description="The text; @Full Name and @Department mention, "
                                           "#tasktype or #all copy it to sibling tasks"),
    checklist=List(default=[], description="[{text, checked}] (JSON-encoded in a form)"),
    links=List(String(), default=[]),
    person_id=Uuid(description="Author when not the caller (managers only)"),
    created_at=String(description="Back-dates the comment (managers only)"),
    for_client=Boolean(default=False, description="Shown to clients (managers only)"),
)


class TaskComment(Resource):
    @endpoint("Comment on the task, usually changing its status (201, the comment)",
              body=COMMENT, description="JSON, or a multipart form whose files become "
                                        "attachments.")
    def post(self, task_id, body):
        comment = comments.post_comment(
            current_actor(), task_id, task_status_id=body["task_status_id"],
            text=body["comment"], checklist=body["checklist"], links=body["links"],
            person_id=body.get("person_id"), created_at=body.get("created_at"),
            for_client=body["for_client"], files=list(request.files.values()))
        return comment, 201




class CommentAttachments(Resource):
    @endpoint("Attach more files to a comment: its author or the project's managers "
              "(201, the new attachment files)", description="Multipart form, any field names.")
    def post(self, task_id, comment_id):
        return comment_actions.add_attachments(current_actor(), task_id, comment_id,
                                               list(request.files.values())), 201


class MoveComment(Resource):
    @endpoint("Move a comment to another task of the same entity (managers)",
              body=Schema(target_task_id=Uuid(description="The task to move it to"),
                          task_id=Uuid(description="Same as target_task_id")))
    def post(self, task_id, comment_id, body):
        target = body.get("target_task_id") or body.get("task_id")
        if not target:
            raise BadRequest("Field 'target_task_id' is required.")
        return comment_actions.move(current_actor(), task_id, comment_id, target)


def _json_list():
    # gazu's create_multiple_comments sends the list as a form field.
    form = request.form.get("comments")
    try:
        items = orjson.loads(form) if form is not None else request.get_json(silent=True)
    except orjson.JSONDecodeError:
        items = None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadRequest("The body must be a JSON list of comments.")
    return items


class CommentManyTasks(Resource):
    @endpoint("Comment several tasks of the project at once (201, the comments); tasks the "
              "caller may not comment are skipped",
              description="JSON list of {object_id, task_status_id, comment, links}, or "
                          "a form whose `comments` field holds it.")
    def post(self, project_id):
        return comment_actions.comment_many(current_actor(), project_id, _json_list()), 201


class BatchComment(Resource):
    @endpoint("Post several comments at once, each on its task (201, the comments)",
              body=Schema(comments=List(Dict(), required=True, description=(
                  "[{task_id, task_status_id, text, checklist, links, person_id, "
                  "created_at}] (JSON-encoded in a form)"))),
              description="JSON, or a multipart form whose attachment_file-<i> files go "
                          "to the i-th comment.")
    def post(self, body, task_id=None):
        return comment_actions.batch_comment(current_actor(), body["comments"],
                                             request.files.items(multi=True),
                                             task_id=task_id), 201


class TaskBatchComment(BatchComment):
    """The same, every comment going to the task of the path."""


class CopyClientComments(Resource):
    @endpoint("Copy each task's last client comment under the caller's name (managers; "
              "201, the new comments)",
              body=Schema(task_ids=List(Uuid(), required=True),
                          prefix=String(default="", description="Put before each copy")))
    def post(self, project_id, body):
        if not body["task_ids"]:
            raise BadRequest("Field 'task_ids' needs at least one task.")
        return comment_actions.copy_client_comments(current_actor(), project_id,
                                                    body["task_ids"], body["prefix"]), 201


def routes():
    return [
        ("/actions/tasks/<task_id>/comment", TaskComment),
        ("/actions/tasks/<task_id>/comments/<comment_id>/add-attachment", CommentAttachments),
        ("/actions/tasks/<task_id>/comments/<comment_id>/move", MoveComment),
        ("/actions/projects/<project_id>/tasks/comment-many", CommentManyTasks),
        ("/actions/tasks/batch-comment", BatchComment),
        ("/actions/tasks/<task_id>/batch-comment", TaskBatchComment),
        ("/actions/projects/<project_id>/tasks/copy-client-comments", CopyClientComments),
    ]
