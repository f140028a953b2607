"""Reading the files of previews: pictures, movies and other files.

`serve(row, variant, download=False)` sends one rendition of a preview and
checks nothing: callers check access first (the routes below through
`picture_for` / `movie_for` / `file_for` / `download_for`, shared playlist
links through their token). Variants:

- pictures: "thumbnails", "thumbnails-square", "previews", "original",
  "tiles" (bucket pictures, PNG);
- movies: "movie" (normalized, else low definition, else the source),
  "lowdef" (low definition, else normalized, else the source), "source";
- "file": the preview as published, whatever its kind: the PNG original of
  a picture, the movie of a movie, the stored file of anything else.

A preview still being processed answers 404 (never cached), or 202
{"status": "processing"} to a client that prefers JSON over PNG.

Zou's project flag `is_preview_download_allowed` is a setting of the web
app (it hides download buttons); Zou checks it nowhere on the server, and
neither do we: the same bytes are served to every reader under the viewing
URLs, so refusing the `/download` spelling would protect nothing and break
gazu scripts that download previews.
"""
import mimetypes

from flask import request
from sqlalchemy import select

from app.errors import BadRequest, NotFound
from app.extensions import db
from app.http import json_response
from app.models.entity import Entity
from app.models.files import AttachmentFile, PreviewFile
from app.models.project import Project
from app.models.settings import EntityType, TaskType
from app.models.task import Task
from app.permissions import as_uuid, project_role
from app.services import attachments, comment_views, file_trees, media, preview_store, \
    previews, tasks
from app.services.news import full_entity_name
from app.services.organisation import get_row as organisation

PICTURE_VARIANTS = ("thumbnails", "thumbnails-square", "previews", "original", "tiles")
MOVIE_ORDERS = {
    "movie": ("previews", "lowdef", "source"),
    "lowdef": ("lowdef", "previews", "source"),
    "source": ("source",),
}
# Variants readable by anyone signed in when the preview is the main
# thumbnail of a shared asset (its picture shows in other productions).
SHARED_VARIANTS = ("thumbnails", "thumbnails-square", "original")
RETRY_AFTER = 5


# Loading and access ---------------------------------------------------------------

def _task(row):
    if row.task_id is None:
        raise NotFound("This preview file belongs to no task.")
    return tasks.load(row.task_id)


def get_for(actor, preview_file_id):
    """The preview, once the actor may read its task (team members;
    vendors, only on the tasks assigned to them)."""
    row = previews.load(preview_file_id)
    tasks.check_read(actor, _task(row))
    return row


def _is_shared_thumbnail(actor, row, task):
    entity = db.session.execute(
        select(Entity.is_shared, Entity.preview_file_id).where(Entity.id == task.entity_id)
    ).first()
    if entity is None or not entity.is_shared or entity.preview_file_id != row.id:
        return False
    # Vendors see only their own tasks' pictures, shared or not.
    return (project_role(actor, task.project_id) or actor.role) != "vendor"


def picture_for(actor, preview_file_id, variant):
    row = previews.load(preview_file_id)
    task = _task(row)
    if not (variant in SHARED_VARIANTS and _is_shared_thumbnail(actor, row, task)):
        tasks.check_read(actor, task)
    return serve(row, variant)


def movie_for(actor, preview_file_id, variant, download=False):
    return serve(get_for(actor, preview_file_id), variant, download=download)


def file_for(actor, preview_file_id, extension):
    """GET /pictures/originals/preview-files/<id>.<extension>: the PNG
    original, or the file as published under its own extension."""
    extension = extension.lower()
    row = get_for(actor, preview_file_id)
    if extension == "png":
        return serve(row, "original")
    if extension != (row.extension or "").lower():
        raise NotFound(f"This preview file is not a .{extension} file.")
    return serve(row, "file")


def download_for(actor, preview_file_id):
    return serve(get_for(actor, preview_file_id), "file", download=True)


def attachment_thumbnail_for(actor, attachment_file_id):
    """The thumbnail of a picture attached to a comment (readable with the
    comment) or to a chat message (with the chat's entity)."""
    row = db.session.get(AttachmentFile, as_uuid(attachment_file_id, "attachment file id"))
    if row is None:
        raise NotFound(f"No attachment file has the id {attachment_file_id}.")
    comment_views.check_attachment_read(actor, row)
    return media.send(preview_store.PICTURES, attachments.thumbnail_key(row.id),
                      mimetype="image/png", last_modified=row.updated_at)


# Sending ---------------------------------------------------------------------------

def is_movie(row):
    return bool(row.is_movie) or (row.extension or "").lower() in previews.MOVIE_EXTENSIONS


def serve(preview_row, variant, *, download=False):
    """The response carrying `variant` of the preview (no access check)."""
    if preview_row.status == "processing":
        return _processing(preview_row)
    if variant == "file":
        extension = (preview_row.extension or "").lower()
        if is_movie(preview_row):
            variant = "movie"
        elif extension == "png":
            variant = "original"
        else:
            return media.send(
                preview_store.FILES, preview_store.key("previews", preview_row.id),
                mimetype=mimetypes.guess_type(f"x.{extension}")[0] or "application/octet-stream",
                last_modified=preview_row.updated_at,
                download_name=download_name(preview_row, extension) if download else None)
    if variant in PICTURE_VARIANTS:
        return media.send(
            preview_store.PICTURES, preview_store.key(variant, preview_row.id),
            mimetype="image/png", last_modified=preview_row.updated_at,
            download_name=download_name(preview_row, "png") if download else None)
    if variant not in MOVIE_ORDERS:
        raise BadRequest(f"Unknown preview variant {variant!r}.")
    missing = None
    for prefix in MOVIE_ORDERS[variant]:
        try:
            return media.send(
                preview_store.MOVIES, preview_store.key(prefix, preview_row.id),
                mimetype="video/mp4", last_modified=preview_row.updated_at,
                download_name=download_name(preview_row, "mp4") if download else None)
        except NotFound as error:
            missing = error
    raise missing


def _processing(row):
    accept = request.accept_mimetypes
    if accept["application/json"] > accept["image/png"]:
        response = json_response({"status": "processing", "preview_file_id": row.id}, 202,
                                 headers={"Retry-After": str(RETRY_AFTER)})
    else:
        response = json_response({"error": True, "message": "This preview file is still "
                                  "being processed."}, 404)
    return media.no_store(response)


# Download names --------------------------------------------------------------------

def download_stems(preview_ids):
    """{preview id: file name without extension} in one query:
    <project>_<entity>_<task type>_v<revision>[-<position>], or the uploaded
    name when the organisation prefers original file names. Single
    downloads and playlist zips name files alike."""
    entity = Entity.__table__.alias("media_entity")
    parent = Entity.__table__.alias("media_parent")
    grand = Entity.__table__.alias("media_grand")
    entity_type = EntityType.__table__.alias("media_entity_type")
    entity_name, _ = full_entity_name(entity, parent, grand, entity_type)
    rows = db.session.execute(
        select(PreviewFile.id, PreviewFile.original_name, PreviewFile.extension,
               PreviewFile.revision, PreviewFile.position,
               Project.name.label("project_name"), entity_name.label("entity_name"),
               TaskType.name.label("task_type_name"))
        .select_from(PreviewFile.__table__)
        .outerjoin(Task, Task.id == PreviewFile.task_id)
        .outerjoin(Project, Project.id == Task.project_id)
        .outerjoin(TaskType, TaskType.id == Task.task_type_id)
        .outerjoin(entity, entity.c.id == Task.entity_id)
        .outerjoin(entity_type, entity_type.c.id == entity.c.entity_type_id)
        .outerjoin(parent, parent.c.id == entity.c.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .where(PreviewFile.id.in_(list(preview_ids)))).all()
    original_names = organisation().use_original_file_name
    stems = {}
    for r in rows:
        if original_names and r.original_name:
            name = r.original_name
            # Stored with or without its extension, depending on the uploader.
            suffix = f".{(r.extension or '').lower()}"
            if name.lower().endswith(suffix):
                name = name[:-len(suffix)]
        else:
            words = (r.project_name, r.entity_name, r.task_type_name) if r.project_name \
                else ("preview",)
            name = "_".join(file_trees.slug(w) for w in (*words, f"v{r.revision or 1}") if w)
        if (r.position or 1) > 1:
            name = f"{name}-{r.position}"
        stems[r.id] = name
    return stems


def download_name(row, extension):
    return f"{download_stems([row.id])[row.id]}.{extension}"
