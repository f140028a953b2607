"""Publishing previews (behaviours.md row 17): a numbered revision on a
task's comment, then its file: a picture, a movie or any other file.

The publish has two steps, as in Zou: `add-preview` makes the row (status
"processing"), the upload brings its file. A picture's variants and a
plain file are stored in the upload's transaction (files written are
removed again if it rolls back) and the preview is ready when it
returns. A movie's source is stored the same way; its normalization runs
in a job after the commit (app/jobs.py): inline it has finished when the
upload returns, on a worker the upload returns at once with the preview
still processing. The job ends with the preview ready, or broken with the
reason in `data.error`.

Where the files go: app/services/preview_store.py. What is done to them:
app/services/preview_processing.py.
"""
import logging
import os
import re
import tempfile
import uuid

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import func, insert, select, update

from app import events, jobs
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.comment import Comment, CommentPreviewLink
from app.models.entity import Entity
from app.models.events import News
from app.models.files import PreviewFile
from app.models.project import Project, ProjectTaskTypeLink
from app.models.settings import EntityType, ProjectStatus
from app.models.task import Task
from app.permissions import as_uuid, require_admin, require_project_manager
from app.services import comment_views, crud, entities, news, storage, tasks
from app.services import preview_processing as media
from app.services import preview_store as store
from app.services.preview_processing import MediaError

log = logging.getLogger(__name__)

# Zou's lists: what becomes a picture, a movie, or a file kept as it came.
PICTURE_EXTENSIONS = frozenset({"jpe", "jpeg", "jpg", "png"})
MOVIE_EXTENSIONS = frozenset({"avi", "m4v", "mkv", "mov", "mp4", "webm", "wmv"})
FILE_EXTENSIONS = frozenset({
    "ae", "ai", "blend", "clip", "comp", "diff", "exr", "fbx", "fla", "flv", "gif", "glb",
    "gltf", "hip", "kra", "ma", "mb", "md", "mp3", "obj", "pdf", "psd", "psb", "rar", "rev",
    "riv", "sai", "sai2", "sbbkp", "svg", "swf", "tvpp", "wav", "zip"})
RUNNING_STATUSES = ("broken", "missing", "processing")
_FPS = re.compile(r"^\d+([.,]\d+)?$")


# Loading --------------------------------------------------------------------------

def load(preview_file_id):
    row = db.session.get(PreviewFile, as_uuid(preview_file_id, "preview file id"))
    if row is None:
        raise NotFound(f"No preview file has the id {preview_file_id}.")
    return row


def serialize(actor, row):
    return crud.serialize(crud.collection("preview-files"), actor, row, relations=True)


def _comment_event(comment, project_id):
    events.emit("comment:update", {
        "comment_id": comment.id, "task_id": comment.object_id,
        "person_id": comment.person_id, "for_client": comment.for_client},
        project_id=project_id)


def _status_event(row, project_id):
    events.emit("preview-file:update", {"preview_file_id": row.id, "status": row.status},
                project_id=project_id)


# Adding a preview to a comment -------------------------------------------------------

def _comment_revision(comment_id):
    return db.session.scalar(
        select(PreviewFile.revision)
        .join(CommentPreviewLink, CommentPreviewLink.preview_file == PreviewFile.id)
        .where(CommentPreviewLink.comment == comment_id)
        .order_by(PreviewFile.position, PreviewFile.created_at).limit(1))


def _next_position(task_id, revision):
    return 1 + db.session.scalar(select(func.count()).where(
        PreviewFile.task_id == task_id, PreviewFile.revision == revision))


def create_for_comment(task, comment, person_id, revision=None):
    """A new preview row (processing) on the comment; no commit. The task
    must be locked (tasks.lock): two publishes on one task then pick
    their revisions one after the other. Its revision: the comment's when
    it has previews already (at the next position), else `revision`,
    which must be free at position 1, else the task's newest plus one."""
    current = _comment_revision(comment.id)
    if revision is None and current is None:
        revision = 1 + (db.session.scalar(select(func.max(PreviewFile.revision)).where(
            PreviewFile.task_id == task.id)) or 0)
        position = 1
    else:
        if revision is None:
            revision = current
        elif current is None and db.session.scalar(select(select(PreviewFile.id).where(
                PreviewFile.task_id == task.id, PreviewFile.revision == revision,
                PreviewFile.position == 1).exists())):
            raise BadRequest(f"Revision {revision} already exists for this task: choose "
                             "another one, or leave it out to take the next one.")
        position = _next_position(task.id, revision)
    if position > 1 and db.session.scalar(select(Project.is_single_preview_per_revision)
                                          .where(Project.id == task.project_id)):
        raise BadRequest("This project allows one preview per revision only.")
    preview_id = uuid.uuid4()
    row = PreviewFile(id=preview_id, name=str(preview_id)[:13], revision=revision,
                      position=position, task_id=task.id, person_id=person_id,
                      source="webgui", extension="mp4", status="processing")
    db.session.add(row)
    db.session.flush()
    db.session.execute(insert(CommentPreviewLink).values(comment=comment.id,
                                                         preview_file=row.id))
    db.session.execute(update(News).where(News.comment_id == comment.id)
                       .values(preview_file_id=row.id))
    events.emit("preview-file:new", {"preview_file_id": row.id, "comment_id": comment.id},
                project_id=task.project_id)
    _comment_event(comment, task.project_id)
    return row


def add_preview(actor, task_id, comment_id, revision=None):
    """POST /actions/tasks/<id>/comments/<cid>/add-preview (task action)."""
    task = tasks.lock(task_id)
    tasks.check_action(actor, task)
    comment = comment_views.load_on_task(task.id, comment_id)
    row = create_for_comment(task, comment, actor.person.id, revision)
    db.session.commit()
    return serialize(actor, row)


def add_to_revision(actor, task_id, comment_id, preview_file_id):
    """POST .../comments/<cid>/preview-files/<pid>: one more preview in the
    revision of preview <pid>, on the comment."""
    task = tasks.lock(task_id)
    tasks.check_action(actor, task)
    comment = comment_views.load_on_task(task.id, comment_id)
    related = load(preview_file_id)
    if related.task_id != task.id:
        raise NotFound(f"The task {task_id} has no preview file {preview_file_id}.")
    row = create_for_comment(task, comment, actor.person.id, related.revision)
    db.session.commit()
    return serialize(actor, row)


def remove_from_comment(actor, task_id, comment_id, preview_file_id, force=False):
    """DELETE .../comments/<cid>/preview-files/<pid>: the preview goes (its
    files too with force, which is for managers, or with REMOVE_FILES)."""
    task = tasks.lock(task_id)
    tasks.check_action(actor, task)
    comment = comment_views.load_on_task(task.id, comment_id)
    comment_views.check_read(actor, comment, task)
    linked = db.session.scalar(select(select(CommentPreviewLink.comment).where(
        CommentPreviewLink.comment == comment.id,
        CommentPreviewLink.preview_file == as_uuid(preview_file_id, "preview file id"))
        .exists()))
    if not linked:
        raise NotFound(f"The comment {comment_id} has no preview file {preview_file_id}.")
    if force:
        require_project_manager(actor, task.project_id)
    _remove(load(preview_file_id), task, force)
    _comment_event(comment, task.project_id)
    db.session.commit()


def update_position(actor, preview_file_id, position):
    """PUT /actions/preview-files/<id>/update-position: move the preview to
    `position` (1-based) among its revision's; returns the revision's
    previews in their new order. A position out of range changes nothing."""
    row = load(preview_file_id)
    tasks.check_action(actor, tasks.lock(row.task_id))
    ordered = list(db.session.scalars(
        select(PreviewFile).where(PreviewFile.task_id == row.task_id,
                                  PreviewFile.revision == row.revision)
        .order_by(PreviewFile.position, PreviewFile.created_at)))
    if 0 < position <= len(ordered):
        ordered.remove(row)
        ordered.insert(position - 1, row)
        for index, preview in enumerate(ordered, start=1):
            preview.position = index
        project_id = db.session.scalar(select(Task.project_id).where(Task.id == row.task_id))
        events.emit_many("preview-file:update", [{"preview_file_id": p.id} for p in ordered],
                         project_id=project_id)
        db.session.commit()
    coll = crud.collection("preview-files")
    found = {r["id"]: r for r in crud.select_rows(
        coll, actor, PreviewFile.id.in_([p.id for p in ordered]))}
    return [found[str(p.id)] for p in ordered]


# Uploading the file ------------------------------------------------------------------

def _extension(filename):
    stem, dot, extension = os.path.basename(filename or "").rpartition(".")
    return (stem, extension.lower()) if dot else (extension, "")


def _store_picture_variants(preview_id, image, put=storage.put_in_transaction):
    """The four PNG variants of a picture; returns the original's size.
    A job stores with the backend's own put: it has no rollback to follow."""
    variants = media.picture_variants(image)
    for variant, data in variants.items():
        put(store.PICTURES, store.key(variant, preview_id), data)
    return len(variants["original"])


def _saved_upload(upload, folder):
    path = os.path.join(folder, "upload")
    upload.save(path)
    return path


def _wrong_format(extension):
    return BadRequest(f"Wrong file format, extension: {extension or '(none)'}. Pictures: "
                      f"{', '.join(sorted(PICTURE_EXTENSIONS))}; movies: "
                      f"{', '.join(sorted(MOVIE_EXTENSIONS))}; other files: "
                      f"{', '.join(sorted(FILE_EXTENSIONS))}.")


def receive(row, task, uploaded):
    """Store an uploaded file for the preview row; no commit. Returns
    whether a movie job must follow the commit (run_movie_jobs), or None
    when the extension is unknown: the row is then deleted (Zou's rule)."""
    stem, extension = _extension(uploaded.filename)
    if extension not in PICTURE_EXTENSIONS | MOVIE_EXTENSIONS | FILE_EXTENSIONS:
        _remove(row, task, remove_files=False)
        return None
    if extension in PICTURE_EXTENSIONS:
        try:
            image = media.open_picture(uploaded.read())
        except MediaError as error:
            raise BadRequest(str(error))
        row.width, row.height = image.size
        row.file_size = _store_picture_variants(row.id, image)
        row.extension, row.status = "png", "ready"
    else:
        bucket, variant = (store.MOVIES, "source") if extension in MOVIE_EXTENSIONS \
            else (store.FILES, "previews")
        with tempfile.TemporaryDirectory(prefix="atelier-upload-") as folder:
            path = _saved_upload(uploaded, folder)
            if os.path.getsize(path) == 0:
                raise BadRequest("The uploaded file is empty.")
            storage.put_in_transaction(bucket, store.key(variant, row.id), path=path)
            row.file_size = os.path.getsize(path)
        if bucket == store.MOVIES:
            row.extension, row.is_movie = "mp4", True
        else:
            row.extension, row.status = extension, "ready"
    row.original_name = stem[:250] or "preview"
    _status_event(row, task.project_id)
    if row.status == "ready":
        became_ready(row, task)
    comment = db.session.scalar(select(Comment).join(
        CommentPreviewLink, CommentPreviewLink.comment == Comment.id)
        .where(CommentPreviewLink.preview_file == row.id).limit(1))
    if comment is not None:
        _comment_event(comment, task.project_id)
    events.emit("preview-file:add-file", {
        "comment_id": comment.id if comment is not None else None, "task_id": task.id,
        "preview_file_id": row.id, "revision": row.revision, "extension": row.extension,
        "status": row.status}, project_id=task.project_id)
    return row.status == "processing"


def run_movie_jobs(preview_ids, normalize=True, no_job=False):
    """After the commit: normalize the movies received, in a job each (or
    here with no_job)."""
    for preview_id in preview_ids:
        if no_job:
            process_movie(str(preview_id), normalize)
        else:
            jobs.submit("app.services.previews:process_movie", str(preview_id), normalize)
    if preview_ids:
        db.session.expire_all()


def upload(actor, preview_file_id, uploaded, normalize=True, no_job=False):
    """POST /pictures/preview-files/<id> (task action; once per preview).
    Returns the preview: ready, or processing while a worker normalizes a
    movie."""
    row = load(preview_file_id)
    task = tasks.load(row.task_id)
    tasks.check_action(actor, task)
    if row.original_name:
        raise BadRequest("This preview already has its file: publish a new revision "
                         "to send another one.")
    preview_id = row.id
    needs_job = receive(row, task, uploaded)
    db.session.commit()
    if needs_job is None:
        raise _wrong_format(_extension(uploaded.filename)[1])
    run_movie_jobs([preview_id] if needs_job else [], normalize, no_job)
    return serialize(actor, row)


# A preview becomes the face of its task and entity -------------------------------------

def point_entity(entity, preview):
    """Make the preview the entity's main one (no commit)."""
    entity.preview_file_id = preview.id
    events.emit("preview-file:set-main", {
        "entity_id": entity.id, "preview_file_id": preview.id,
        "preview_file_status": preview.status}, project_id=entity.project_id)
    kind = entities.kind(entity).lower()
    events.emit(f"{kind}:update", {f"{kind}_id": entity.id}, project_id=entity.project_id)


def became_ready(row, task):
    """A main preview (position 1) now ready is its task's last preview,
    and the entity's main one when the project sets them automatically."""
    if row.position != 1:
        return
    # A slow movie finishing after a newer revision was published must not
    # push that newer one aside (Zou lets it).
    if db.session.scalar(select(select(PreviewFile.id).where(
            PreviewFile.task_id == task.id, PreviewFile.position == 1,
            PreviewFile.status == "ready", PreviewFile.revision > row.revision).exists())):
        return
    task.last_preview_file_id = row.id
    automated = db.session.scalar(select(Project.is_set_preview_automated).where(
        Project.id == task.project_id))
    if automated:
        point_entity(db.session.get(Entity, task.entity_id), row)


# The movie job ---------------------------------------------------------------------------

def _fps(project, entity_data):
    for value in ((entity_data or {}).get("fps"), project.fps):
        text = str(value).strip() if value not in (None, "") else ""
        if _FPS.match(text) and float(text.replace(",", ".")) > 0:
            return f"{float(text.replace(',', '.')):.3f}"
    return "25.000"


def _bitrates(project, task):
    """(high, low) Mbit/s: the task type's setting in the project, then the
    project's, then the server's; the server's high one is a ceiling."""
    link = db.session.execute(select(
        ProjectTaskTypeLink.hd_bitrate_compression, ProjectTaskTypeLink.ld_bitrate_compression)
        .where(ProjectTaskTypeLink.project_id == task.project_id,
               ProjectTaskTypeLink.task_type_id == task.task_type_id)).first()
    config = current_app.config
    high = (link and link[0]) or project.hd_bitrate_compression \
        or config["MOVIE_HIGHDEF_BITRATE"]
    low = (link and link[1]) or project.ld_bitrate_compression \
        or config["MOVIE_LOWDEF_BITRATE"]
    high = min(high, config["MOVIE_HIGHDEF_BITRATE"])
    return high, min(low, high)


def encoding_parameters(task):
    """(fps text, resolution text, (high, low) bitrates) of a task's
    movies: the entity's data.fps / data.resolution over the project's."""
    project = db.session.get(Project, task.project_id)
    entity_data = db.session.scalar(select(Entity.data).where(Entity.id == task.entity_id))
    resolution = (entity_data or {}).get("resolution") or project.resolution
    return _fps(project, entity_data), resolution, _bitrates(project, task)


def _encode(row, task, normalize, folder):
    """Build and store the movie's renditions, thumbnails and tile; returns
    the columns to record."""
    fps, resolution, bitrates = encoding_parameters(task)
    with storage.backend().local_copy(store.MOVIES, store.key("source", row.id)) as source:
        info = media.probe(source)
        original = {"original_width": info["width"], "original_height": info["height"],
                    "original_duration": info["duration"],
                    "original_file_size": os.path.getsize(source)}
        movie, small = source, source
        if normalize:
            width, height = media.target_size(resolution, info["ratio"])
            movie, small = os.path.join(folder, "hd.mp4"), os.path.join(folder, "ld.mp4")
            media.normalize(source, {"previews": movie, "lowdef": small}, fps=fps,
                            width=width, height=height, bitrates=bitrates, info=info,
                            preset=current_app.config.get("MOVIE_ENCODING_PRESET", "medium"))
            storage.backend().put_file(store.MOVIES, store.key("previews", row.id), movie)
            storage.backend().put_file(store.MOVIES, store.key("lowdef", row.id), small)
        final = media.probe(movie) if normalize else info
        _store_frame(row.id, movie, 0.0, folder)
        try:
            tile_path = os.path.join(folder, "tile.png")
            media.tile(small, tile_path, info=None if normalize else info)
            storage.backend().put_file(store.PICTURES, store.key("tiles", row.id), tile_path)
        except MediaError:
            log.warning("No tile for preview %s", row.id, exc_info=True)
        return {"width": final["width"], "height": final["height"],
                "duration": final["duration"], "file_size": os.path.getsize(movie),
                "data": {**(row.data or {}), **original}}


def _store_frame(preview_id, movie, seconds, folder):
    """The picture variants of a preview, from one frame of its movie."""
    path = os.path.join(folder, "frame.png")
    media.frame(movie, path, seconds)
    with open(path, "rb") as picture:
        image = media.open_picture(picture.read())
    _store_picture_variants(preview_id, image, put=storage.backend().put)


def process_movie(preview_file_id, normalize=True):
    """The job: normalize an uploaded movie and make its preview ready, or
    broken with the reason in data.error. Commits."""
    row = db.session.get(PreviewFile, uuid.UUID(preview_file_id))
    if row is None or row.status != "processing":
        return  # Deleted, or already handled, while the job waited.
    task = db.session.get(Task, row.task_id)
    try:
        with tempfile.TemporaryDirectory(prefix="atelier-movie-") as folder:
            values = _encode(row, task, normalize, folder)
    except Exception as error:  # Whatever happened, the preview must not stay processing.
        log.warning("Movie processing failed for preview %s", preview_file_id, exc_info=True)
        reason = str(error) if isinstance(error, (MediaError, NotFound)) \
            else f"Movie processing failed ({type(error).__name__})."
        db.session.rollback()
        row = db.session.get(PreviewFile, uuid.UUID(preview_file_id))
        if row is None:
            return
        row.status = "broken"
        row.data = {**(row.data or {}), "error": reason}
        _status_event(row, task.project_id)
        db.session.commit()
        return
    for name, value in values.items():
        setattr(row, name, value)
    row.status = "ready"
    _status_event(row, task.project_id)
    became_ready(row, db.session.get(Task, row.task_id, with_for_update=True))
    db.session.commit()


def movie_path_key(row):
    """(bucket, key) of the best stored movie of a preview: the normalized
    one, else the low-definition one, else the source."""
    backend = storage.backend()
    for variant in ("previews", "lowdef", "source"):
        if backend.exists(store.MOVIES, store.key(variant, row.id)):
            return store.MOVIES, store.key(variant, row.id)
    raise NotFound(f"The movie of preview file {row.id} is missing from the storage.")


def use_frame(preview_file_id, frame_number):
    """The job of set-main-preview with a frame: the preview's pictures
    become that frame of its movie (frames count from 1). Commits."""
    row = db.session.get(PreviewFile, uuid.UUID(preview_file_id))
    if row is None:
        return
    task = db.session.get(Task, row.task_id)
    fps = float(encoding_parameters(task)[0])
    with tempfile.TemporaryDirectory(prefix="atelier-frame-") as folder:
        with storage.backend().local_copy(*movie_path_key(row)) as movie:
            _store_frame(row.id, movie, (frame_number - 1) / fps, folder)
    _status_event(row, task.project_id)
    db.session.commit()


# Copying a revision ----------------------------------------------------------------------

def _copy_files(source_id, target_id):
    """Every stored file of a preview, copied for another one (in this
    transaction: removed again on rollback)."""
    backend = storage.backend()
    for (bucket, source_key), (_, target_key) in zip(store.all_keys(source_id),
                                                      store.all_keys(target_id)):
        if backend.exists(bucket, source_key):
            with backend.local_copy(bucket, source_key) as path:
                storage.put_in_transaction(bucket, target_key, path=path)


COPIED_COLUMNS = ("extension", "original_name", "status", "file_size", "width", "height",
                  "duration", "is_movie", "data")


def copy_last_revision(source_task, target_task, comment, person_id):
    """A status automation that imports the last revision: the previews of
    the source task's newest revision, files included, become a new
    revision of the target task on `comment`. No commit."""
    last = _last_preview(source_task.id)
    if last is None:
        return
    for original in db.session.scalars(
            select(PreviewFile).where(PreviewFile.task_id == source_task.id,
                                      PreviewFile.revision == last.revision)
            .order_by(PreviewFile.position, PreviewFile.created_at)):
        copy = create_for_comment(target_task, comment, person_id)
        for name in COPIED_COLUMNS:
            setattr(copy, name, getattr(original, name))
        _copy_files(original.id, copy.id)
        _status_event(copy, target_task.project_id)
        if copy.status == "ready":
            became_ready(copy, target_task)


# Main previews ---------------------------------------------------------------------------

def _check_set_main(actor, task):
    """Who may choose an entity's face: anyone who sees the entity, but
    clients (they review, they do not decide how an entity is shown)."""
    role = entities.check_access(actor, db.session.get(Entity, task.entity_id))
    if role == "client":
        raise Forbidden("Clients cannot choose an entity's main preview.")


def _last_preview(task_id):
    return db.session.scalar(select(PreviewFile).where(PreviewFile.task_id == task_id)
                             .order_by(PreviewFile.revision.desc(), PreviewFile.created_at)
                             .limit(1))


def _entity_answer(actor, entity, preview):
    return {**entities.serialize(actor, entity), "preview_file_status": preview.status}


def set_main_from_task(actor, task_id):
    """PUT /actions/tasks/<id>/set-main-preview: the task's newest preview."""
    task = tasks.load(task_id)
    _check_set_main(actor, task)
    preview = _last_preview(task.id)
    if preview is None:
        raise BadRequest("This task has no preview file to set as the main preview.")
    entity = db.session.get(Entity, task.entity_id, with_for_update=True)
    point_entity(entity, preview)
    db.session.commit()
    return _entity_answer(actor, entity, preview)


def set_main_from_tasks(actor, task_ids):
    """PUT /actions/tasks/set-main-preview: the same for several tasks (all
    checked first; tasks without previews are skipped)."""
    loaded = [tasks.load(i) for i in dict.fromkeys(task_ids)]
    for task in loaded:
        _check_set_main(actor, task)
    done = []
    for task in loaded:
        preview = _last_preview(task.id)
        if preview is not None:
            entity = db.session.get(Entity, task.entity_id, with_for_update=True)
            point_entity(entity, preview)
            done.append((entity, preview))
    db.session.commit()
    return [_entity_answer(actor, entity, preview) for entity, preview in done]


def set_main(actor, preview_file_id, frame_number=None):
    """PUT /actions/preview-files/<id>/set-main-preview; with frame_number
    (a movie's), its pictures first become that frame."""
    row = load(preview_file_id)
    task = tasks.load(row.task_id)
    _check_set_main(actor, task)
    if frame_number is not None and row.extension != "mp4":
        raise BadRequest("Only a movie preview can take a frame as its picture.")
    entity = db.session.get(Entity, task.entity_id, with_for_update=True)
    point_entity(entity, row)
    db.session.commit()
    if frame_number is not None:
        jobs.submit("app.services.previews:use_frame", str(row.id), frame_number)
    return _entity_answer(actor, entity, row)


# Previews being processed ---------------------------------------------------------------

def running(actor, cursor_preview_file_id=None, limit=None):
    """GET /data/playlists/preview-files/running (admins): previews of open
    productions still processing, broken or missing, newest first, each
    with its project, task type and entity's full name."""
    require_admin(actor)
    criteria = [PreviewFile.status.in_(RUNNING_STATUSES),
                PreviewFile.task_id.in_(
                    select(Task.id).join(Project, Project.id == Task.project_id)
                    .join(ProjectStatus, ProjectStatus.id == Project.project_status_id)
                    .where(ProjectStatus.name.in_(("Active", "open", "Open"))))]
    if cursor_preview_file_id is not None:
        criteria.append(PreviewFile.created_at < load(cursor_preview_file_id).created_at)
    if limit is not None:
        criteria.append(PreviewFile.id.in_(
            select(PreviewFile.id).where(*criteria)
            .order_by(PreviewFile.created_at.desc()).limit(limit)))
    task_of = Task.__table__.alias("running_task")
    entity, parent, grand = (Entity.__table__.alias(n) for n in ("e", "ep", "eg"))
    entity_type = EntityType.__table__.alias("et")
    name, _ = news.full_entity_name(entity, parent, grand, entity_type)
    full_name = (select(name).select_from(task_of)
                 .join(entity, entity.c.id == task_of.c.entity_id)
                 .join(entity_type, entity_type.c.id == entity.c.entity_type_id)
                 .outerjoin(parent, parent.c.id == entity.c.parent_id)
                 .outerjoin(grand, grand.c.id == parent.c.parent_id)
                 .where(task_of.c.id == PreviewFile.task_id))

    def of_task(column):
        return select(sa.cast(column, sa.Text)).where(Task.id == PreviewFile.task_id) \
            .scalar_subquery()

    return crud.select_json(crud.collection("preview-files"), actor, *criteria, columns=[
        of_task(Task.project_id).label("project_id"),
        of_task(Task.task_type_id).label("task_type_id"),
        full_name.scalar_subquery().label("full_entity_name")], sort=("-created_at",))


# Removing previews -----------------------------------------------------------------------

def release(ids):
    """What points at previews about to be deleted (a list or a SELECT of
    ids) lets go of them, one statement per table: news, comments' legacy
    column, entities' main preview. Comment links go with the rows."""
    for model in (News, Comment, Entity):
        db.session.execute(update(model).where(model.preview_file_id.in_(ids))
                           .values(preview_file_id=None))


def forget_files(ids):
    """The stored files of these previews go once the transaction commits."""
    storage.delete_on_commit(key for i in ids for key in store.all_keys(i))


def _newest_main(ids, *criteria):
    return db.session.scalar(
        select(PreviewFile.id).join(Task, Task.id == PreviewFile.task_id)
        .where(PreviewFile.position == 1, PreviewFile.status == "ready",
               PreviewFile.id.notin_(ids), *criteria)
        .order_by(PreviewFile.created_at.desc()).limit(1))


def detach(ids, task, remove_files):
    """Before previews of one task are deleted: whatever points at them
    lets go; the task falls back on its newest other main preview, and so
    does the entity that showed one of them when the project sets it
    automatically (else it has none). Their stored files go after the
    commit with `remove_files` or REMOVE_FILES."""
    entity = db.session.get(Entity, task.entity_id)
    was_main = entity.preview_file_id in ids
    release(ids)
    if task.last_preview_file_id in ids:
        task.last_preview_file_id = _newest_main(ids, PreviewFile.task_id == task.id)
        events.emit("task:update", {"task_id": task.id}, project_id=task.project_id)
    if was_main and db.session.scalar(select(Project.is_set_preview_automated).where(
            Project.id == entity.project_id)):
        newest = _newest_main(ids, Task.entity_id == entity.id)
        if newest is not None:
            point_entity(entity, db.session.get(PreviewFile, newest))
    if remove_files or current_app.config.get("REMOVE_FILES", False):
        forget_files(ids)


def _remove(row, task, remove_files):
    detach([row.id], task, remove_files)
    db.session.delete(row)
    db.session.flush()
    events.emit("preview-file:delete", {"preview_file_id": row.id},
                project_id=task.project_id)


def remove_of_comment(comment):
    """A comment being deleted takes its previews with it (their files
    stay unless REMOVE_FILES)."""
    ids = list(db.session.scalars(select(CommentPreviewLink.preview_file).where(
        CommentPreviewLink.comment == comment.id)))
    if not ids:
        return
    task = db.session.get(Task, comment.object_id)
    detach(ids, task, remove_files=False)
    db.session.execute(sa.delete(PreviewFile).where(PreviewFile.id.in_(ids)))
    events.emit_many("preview-file:delete", [{"preview_file_id": i} for i in ids],
                     project_id=task.project_id)


class PreviewHooks(crud.Hooks):
    """DELETE /data/preview-files/<id> (managers): the task and entity fall
    back on another preview; files go with force or REMOVE_FILES."""

    def before_delete(self, actor, row, force):
        detach([row.id], db.session.get(Task, row.task_id), force)
