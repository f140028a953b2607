"""/shared/playlists/<token>/*: guest review through a share link, no JWT
(behaviours.md row 19). Every route opens the link first (token, expiry,
password or share session); the rules are in app/services/shared_review.py.

The password comes as `?password=`; once it was right, and once a guest
joined, the answer sets an HttpOnly share-session cookie (scripts may send
it back as the `X-Guest-Token` header, from the guest's `guest_token`)."""
from flask import Response, current_app, g, request, send_file

from app.api import List, Resource, Schema, String, Uuid, endpoint
from app.blueprints.pictures.avatars import png_response
from app.errors import NotFound
from app.services import avatars, shared_review

GUEST = Schema(
    first_name=String(default="Guest", description="The reviewer's name, as shown on their "
                                                   "comments"),
    last_name=String(default=""),
    guest_id=String(description="The guest to go on as: only the guest of the caller's "
                                "share session"),
)
COMMENT = Schema(
    guest_id=Uuid(description="The acting guest (must be the share session's)"),
    task_id=Uuid(required=True, description="A task whose preview the playlist shows"),
    task_status_id=Uuid(required=True, description="A status clients may set"),
    text=String(default=""),
    checklist=List(default=[]),
)
EDIT = Schema(
    guest_id=Uuid(description="The acting guest (must be the share session's)"),
    text=String(), checklist=List(), task_status_id=Uuid(description="A status clients may set"),
)
GUEST_ACTION = Schema(guest_id=Uuid(description="The acting guest (also read from the query)"))
ANNOTATIONS = Schema(
    guest_id=Uuid(description="The acting guest (must be the share session's)"),
    preview_file_id=Uuid(required=True, description="A preview the playlist shows"),
    additions=List(default=[]), updates=List(default=[]), deletions=List(default=[]),
)


def _visit(token):
    sessions = (request.headers.get("X-Guest-Token"),
                request.cookies.get(shared_review.cookie_name(token)))
    g.share_visit = shared_review.open_link(token, request.args.get("password"), sessions)
    return g.share_visit


def _guest_id(body):
    return body.get("guest_id") or request.args.get("guest_id") or None


class SharedResource(Resource):
    """Hands out the share session the request earned, as a cookie."""

    def dispatch_request(self, **kwargs):
        g.pop("share_visit", None)
        response = super().dispatch_request(**kwargs)
        visit = g.get("share_visit")
        if visit is not None and visit.new_session:
            response.set_cookie(
                shared_review.cookie_name(visit.link.token), visit.new_session,
                max_age=shared_review.session_max_age(visit), path="/", httponly=True,
                samesite="Lax", secure=bool(current_app.config.get("COOKIE_SECURE")))
        return response


class SharedPlaylist(SharedResource):
    @endpoint("The shared playlist: its entries with their positioned revision only",
              public=True)
    def get(self, token):
        return shared_review.playlist_json(_visit(token))


class SharedContext(SharedResource):
    @endpoint("The production as the review player needs it: name, format, task types "
              "and statuses", public=True)
    def get(self, token):
        return shared_review.context(_visit(token))


class SharedGuest(SharedResource):
    @endpoint("Join the review as a guest (201, a new guest person with its `guest_token`; "
              "200, the share session's guest again)", public=True, body=GUEST)
    def post(self, token, body):
        guest, created = shared_review.join(_visit(token), body["first_name"],
                                            body["last_name"], body.get("guest_id") or None)
        return guest, 201 if created else 200


class SharedComments(SharedResource):
    @endpoint("The comments of the shown tasks shared with clients or written by guests",
              public=True)
    def get(self, token):
        return shared_review.comments_json(_visit(token))

    @endpoint("Comment as the guest on a task the playlist shows, with a status clients may "
              "set (201, the comment)", public=True, body=COMMENT)
    def post(self, token, body):
        return shared_review.post_comment(
            _visit(token), guest_id=_guest_id(body), task_id=body["task_id"],
            task_status_id=body["task_status_id"], text=body["text"],
            checklist=body["checklist"]), 201


class SharedComment(SharedResource):
    @endpoint("Edit the guest's own comment", public=True, body=EDIT)
    def put(self, token, comment_id, body):
        changes = {k: body[k] for k in ("text", "checklist", "task_status_id") if k in body}
        return shared_review.edit_comment(_visit(token), comment_id, guest_id=_guest_id(body),
                                          changes=changes)

    @endpoint("Delete the guest's own comment", public=True, body=GUEST_ACTION)
    def delete(self, token, comment_id, body):
        shared_review.delete_comment(_visit(token), comment_id, guest_id=_guest_id(body))
        return Response(status=204)


class SharedCommentAttachments(SharedResource):
    @endpoint("Attach files to the guest's own comment (201, the comment)", public=True,
              description="Multipart form, any file field names; `guest_id` as a field.")
    def post(self, token, comment_id):
        return shared_review.add_attachments(
            _visit(token), comment_id, guest_id=_guest_id(request.form),
            files=list(request.files.values())), 201


class SharedCommentAttachment(SharedResource):
    @endpoint("Remove a file from the guest's own comment", public=True, body=GUEST_ACTION)
    def delete(self, token, comment_id, attachment_file_id, body):
        shared_review.remove_attachment(_visit(token), comment_id, attachment_file_id,
                                        guest_id=_guest_id(body))
        return Response(status=204)


class SharedAttachmentFile(SharedResource):
    @endpoint("A file attached to a comment the link shows: safe images inline, anything "
              "else as a download", public=True)
    def get(self, token, attachment_file_id, file_name):
        from app.services import comment_views

        row, stream = shared_review.attachment(_visit(token), attachment_file_id)
        return send_file(stream, mimetype=row.mimetype or "application/octet-stream",
                         as_attachment=not comment_views.is_inline_safe(row.mimetype),
                         download_name=row.name or str(row.id), conditional=True,
                         last_modified=row.updated_at)


class SharedAnnotations(SharedResource):
    @endpoint("Draw on a preview the playlist shows, as the guest (the preview record)",
              public=True, body=ANNOTATIONS)
    def put(self, token, body):
        return shared_review.annotate(
            _visit(token), body["preview_file_id"], guest_id=_guest_id(body),
            additions=body["additions"], updates=body["updates"], deletions=body["deletions"])


class SharedPreviewFile(SharedResource):
    @endpoint("The record of a preview the playlist shows", public=True)
    def get(self, token, preview_file_id):
        return shared_review.preview_json(_visit(token), preview_file_id)


def _serve(token, preview_file_id, variant, download=False):
    from app.services import preview_media

    row = shared_review.shown_preview(_visit(token), preview_file_id)
    return preview_media.serve(row, variant, download=download)


class SharedMovie(SharedResource):
    @endpoint("The movie of a preview the playlist shows", public=True)
    def get(self, token, preview_file_id):
        return _serve(token, preview_file_id, "movie")


class SharedTiles(SharedResource):
    @endpoint("The frame tiles of a movie preview the playlist shows", public=True)
    def get(self, token, preview_file_id):
        return _serve(token, preview_file_id, "tiles")


class SharedThumbnail(SharedResource):
    @endpoint("The thumbnail of a preview the playlist shows", public=True)
    def get(self, token, preview_file_id):
        return _serve(token, preview_file_id, "thumbnails")


class SharedOriginalPicture(SharedResource):
    @endpoint("The full-size picture of a preview the playlist shows", public=True)
    def get(self, token, preview_file_id):
        return _serve(token, preview_file_id, "original")


class SharedOriginalFile(SharedResource):
    @endpoint("A preview the playlist shows as published, under its own extension",
              public=True)
    def get(self, token, preview_file_id, extension):
        from app.services import preview_media

        row = shared_review.shown_preview(_visit(token), preview_file_id)
        if extension.lower() != (row.extension or "").lower():
            raise NotFound(f"This preview file is not a .{extension} file.")
        return preview_media.serve(row, "file")


class SharedDownload(SharedResource):
    @endpoint("Download a preview the playlist shows, as published", public=True)
    def get(self, token, preview_file_id):
        return _serve(token, preview_file_id, "file", download=True)


class SharedPersonAvatar(SharedResource):
    @endpoint("The avatar of someone whose comment the link shows", public=True)
    def get(self, token, person_id):
        person = shared_review.shown_person(_visit(token), person_id)
        return png_response(avatars.person_avatar(person.id))


def routes():
    base = "/shared/playlists/<token>"
    return [
        (base, SharedPlaylist),
        (f"{base}/context", SharedContext),
        (f"{base}/guest", SharedGuest),
        (f"{base}/comments", SharedComments),
        (f"{base}/comments/<comment_id>", SharedComment),
        (f"{base}/comments/<comment_id>/attachments", SharedCommentAttachments),
        (f"{base}/comments/<comment_id>/attachments/<attachment_file_id>",
         SharedCommentAttachment),
        (f"{base}/attachment-files/<attachment_file_id>/file/<file_name>",
         SharedAttachmentFile),
        (f"{base}/annotations", SharedAnnotations),
        (f"{base}/preview-files/<preview_file_id>", SharedPreviewFile),
        (f"{base}/preview-files/<preview_file_id>/download", SharedDownload),
        (f"{base}/movies/originals/preview-files/<preview_file_id>.mp4", SharedMovie),
        (f"{base}/movies/tiles/preview-files/<preview_file_id>.png", SharedTiles),
        (f"{base}/pictures/thumbnails/preview-files/<preview_file_id>.png", SharedThumbnail),
        (f"{base}/pictures/originals/preview-files/<preview_file_id>.png",
         SharedOriginalPicture),
        (f"{base}/pictures/originals/preview-files/<preview_file_id>.<extension>",
         SharedOriginalFile),
        (f"{base}/pictures/thumbnails/persons/<person_id>.png", SharedPersonAvatar),
    ]
