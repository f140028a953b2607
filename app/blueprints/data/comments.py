"""/data/tasks/<id>/comments...: reading a task's review thread, its
acknowledgements, replies and attachments (behaviours.md row 14). Rules in
app/services/comment_views.py and app/services/comment_actions.py."""
from flask import Response, request, send_file

from app.api import Resource, Schema, String, endpoint
from app.auth import current_actor
from app.services import comment_actions, comment_views


def _json(data):
    return Response(data, mimetype="application/json")


class TaskComments(Resource):
    @endpoint("The task's comments, newest first, with previews, mentions, "
              "acknowledgements, attachments and replies (filtered for clients and artists)")
    def get(self, task_id):
        return comment_views.task_comments(current_actor(), task_id)


class TaskComment(Resource):
    @endpoint("One comment of the task")
    def get(self, task_id, comment_id):
        actor = current_actor()
        return comment_views.comment_json(
            actor, comment_views.get_for(actor, task_id, comment_id))

    @endpoint("Delete a comment (its author or the project's managers); the task goes back "
              "to the previous comment's status")
    def delete(self, task_id, comment_id):
        comment_actions.delete_comment(current_actor(), task_id, comment_id)
        return Response(status=204)


class ProjectComments(Resource):
    @endpoint("The production's comments with their relation ids (not clients or vendors); "
              "page= gives one page")
    def get(self, project_id):
        return _json(comment_views.project_comments(current_actor(), project_id, request.args))


class AcknowledgeComment(Resource):
    @endpoint("Acknowledge the comment, or take the acknowledgement back")
    def post(self, task_id, comment_id):
        return comment_actions.acknowledge(current_actor(), task_id, comment_id)


class ReplyComment(Resource):
    @endpoint("Reply in the comment's thread (the reply, its author embedded)",
              body=Schema(text=String(default="", nullable=True)),
              description="JSON, or a multipart form whose files are attached to the reply.")
    def post(self, task_id, comment_id, body):
        return comment_actions.reply(current_actor(), task_id, comment_id, body["text"] or "",
                                     list(request.files.values()))


class CommentReply(Resource):
    @endpoint("Delete a reply (its author or an admin); the comment")
    def delete(self, task_id, comment_id, reply_id):
        return comment_actions.delete_reply(current_actor(), task_id, comment_id, reply_id)


class CommentAttachment(Resource):
    @endpoint("Remove a file from a comment (its author or the project's managers)")
    def delete(self, task_id, comment_id, attachment_file_id):
        comment_actions.remove_attachment(current_actor(), task_id, comment_id,
                                          attachment_file_id)
        return Response(status=204)


class AttachmentFileContent(Resource):
    @endpoint("The attached file: safe images inline, anything else as a download")
    def get(self, attachment_file_id, file_name):
        row, stream = comment_views.attachment_content(current_actor(), attachment_file_id)
        return send_file(stream, mimetype=row.mimetype or "application/octet-stream",
                         as_attachment=not comment_views.is_inline_safe(row.mimetype),
                         download_name=row.name or str(row.id), conditional=True,
                         last_modified=row.updated_at)


class TaskAttachmentFiles(Resource):
    @endpoint("The attachment files of the task's comments (admins)")
    def get(self, task_id):
        return _json(comment_views.task_attachment_files(current_actor(), task_id))


class ProjectAttachmentFiles(Resource):
    @endpoint("The attachment files of the production's comments (admins)")
    def get(self, project_id):
        return _json(comment_views.project_attachment_files(current_actor(), project_id))


def routes():
    comment = "/data/tasks/<task_id>/comments/<comment_id>"
    return [
        ("/data/tasks/<task_id>/comments", TaskComments),
        (comment, TaskComment),
        ("/data/projects/<project_id>/comments", ProjectComments),
        (f"{comment}/ack", AcknowledgeComment),
        (f"{comment}/reply", ReplyComment),
        (f"{comment}/reply/<reply_id>", CommentReply),
        (f"{comment}/attachments/<attachment_file_id>", CommentAttachment),
        ("/data/attachment-files/<attachment_file_id>/file/<file_name>",
         AttachmentFileContent),
        ("/data/tasks/<task_id>/attachment-files", TaskAttachmentFiles),
        ("/data/projects/<project_id>/attachment-files", ProjectAttachmentFiles),
    ]
