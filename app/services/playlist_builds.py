"""Playlist builds (behaviours.md row 18): one movie of a playlist's
previews, and a zip of their original files.

A movie build is a build_job row (running, then succeeded or failed with a
message) and a job (app/jobs.py) that concatenates the entries' normalized
movies with ffmpeg at the production's frame rate and size: the concat
demuxer (no re-encoding) when every movie already has the same streams at
that size and rate, the re-encoding concat filter otherwise or when asked
(`full`). The movie is stored in the storage bucket "playlists" under
"movie-<build job id>".

One build of a playlist runs at a time: the check is made in SQL under the
playlist's row lock, so two requests racing cannot both start one (RQ's
unique job ids only cover queued jobs, and not the inline runner). A job
still running after JOB_TIMEOUT_SECONDS is taken for dead (its worker was
killed) and marked failed, so it does not block the playlist forever.

The zip is built in the request, streamed from a temporary file.
"""
import contextlib
import datetime
import logging
import os
import shutil
import tempfile
import zipfile

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import select

from app import events, jobs
from app.errors import BadRequest, Conflict, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity
from app.models.files import PreviewFile
from app.models.playlist import BuildJob, Playlist
from app.models.project import Project
from app.permissions import as_uuid, require_admin
from app.services import file_trees, playlists, preview_media, preview_processing, \
    preview_store, storage

log = logging.getLogger(__name__)
BUCKET = "playlists"
COLUMNS = ("id", "status", "job_type", "ended_at", "message", "playlist_id", "created_at",
           "updated_at")


def movie_key(build_job_id):
    return f"movie-{build_job_id}"


def _serialize(job_id):
    table = BuildJob.__table__
    row = db.session.execute(select(*[sa.func.date_trunc("second", table.c[c]).label(c)
                                      if c in ("ended_at", "created_at", "updated_at")
                                      else table.c[c] for c in COLUMNS])
                             .where(table.c.id == job_id)).mappings().first()
    return {**row, "type": "BuildJob"} if row is not None else {}


def _job_of(row, build_job_id):
    job = db.session.get(BuildJob, as_uuid(build_job_id, "build job id"))
    if job is None or job.playlist_id != row.id:
        raise NotFound(f"No build job has the id {build_job_id} for this playlist.")
    return job


# Movie builds ----------------------------------------------------------------------

def start_movie(actor, playlist_id, full=False):
    """GET /data/playlists/<id>/build/mp4 (managers): record a running
    build and hand it to the job queue; 409 while another one runs.
    Returns the build job (already ended when the queue runs inline)."""
    playlists.get_for(actor, playlist_id, "manage")
    row = playlists.load(playlist_id, lock=True)
    timeout = current_app.config.get("JOB_TIMEOUT_SECONDS", 3600)
    table = BuildJob.__table__
    db.session.execute(sa.update(table).where(
        table.c.playlist_id == row.id, table.c.status == "running",
        table.c.created_at < utc_now() - datetime.timedelta(seconds=timeout))
        .values(status="failed", ended_at=utc_now(),
                message="The build did not finish in time: its worker stopped."))
    if db.session.scalar(select(select(table.c.id).where(
            table.c.playlist_id == row.id, table.c.status == "running").exists())):
        raise Conflict("A build is already in progress for this playlist.")
    job = BuildJob(playlist_id=row.id, status="running", job_type="movie")
    db.session.add(job)
    db.session.flush()
    events.emit("build-job:new", {"build_job_id": job.id, "playlist_id": row.id,
                                  "created_at": job.created_at.replace(microsecond=0)},
                project_id=row.project_id)
    db.session.commit()
    job_id = str(job.id)
    jobs.submit("app.services.playlist_builds:build_movie", job_id, bool(full),
                job_id=f"build_playlist_{job_id}")
    return _serialize(job_id)


def build_movie(build_job_id, full):
    """The job: build the movie, store it, end the build job."""
    job = db.session.get(BuildJob, as_uuid(build_job_id))
    if job is None:
        return
    playlist = db.session.get(Playlist, job.playlist_id)
    project = db.session.get(Project, playlist.project_id)
    preview_ids = _entry_preview_ids(playlist)
    movies = [str(p) for p in db.session.scalars(select(PreviewFile.id).where(
        PreviewFile.id.in_(preview_ids), PreviewFile.extension == "mp4"))]
    movies = [p for p in map(str, preview_ids) if p in movies]
    status, message = "failed", None
    try:
        if not movies:
            raise BuildError("The playlist has no movie preview to build from.")
        with tempfile.TemporaryDirectory(prefix="playlist-build-") as folder:
            output = os.path.join(folder, "playlist.mp4")
            message = _concatenate(movies, output, project, full, folder)
            storage.backend().put_file(BUCKET, movie_key(build_job_id), output)
        status = "succeeded"
    except (BuildError, preview_processing.MediaError, NotFound) as error:
        message = str(error)
    except Exception:
        log.exception("Build %s of playlist %s failed", build_job_id, playlist.id)
        message = "The build failed on an unexpected error."
    _end(build_job_id, playlist, status, message)


def _end(build_job_id, playlist, status, message):
    table = BuildJob.__table__
    ended = db.session.execute(sa.update(table).where(table.c.id == as_uuid(build_job_id))
                               .values(status=status, message=message, ended_at=utc_now(),
                                       updated_at=utc_now()).returning(table.c.id)).first()
    if ended is None:
        # Deleted while it ran: its movie has no row to be found by.
        db.session.rollback()
        storage.backend().delete(BUCKET, movie_key(build_job_id))
        return
    events.emit("build-job:update", {"build_job_id": build_job_id, "playlist_id": playlist.id,
                                     "status": status, "message": message},
                project_id=playlist.project_id)
    db.session.commit()


class BuildError(Exception):
    """A build that cannot succeed; the message goes to the build job."""


def _entry_preview_ids(playlist):
    """The previews the entries play, in playlist order."""
    out = []
    for entry in playlist.shots or []:
        if isinstance(entry, dict) and entry.get("preview_file_id"):
            try:
                out.append(as_uuid(entry["preview_file_id"]))
            except BadRequest:
                continue
    return out


def _target(project, first):
    """(width, height, fps) of the build: the production's resolution and
    frame rate; a height only ("x1080") keeps the first movie's ratio."""
    fps = float(str(project.fps or "").replace(",", ".") or preview_processing.DEFAULT_FPS)
    width, height = preview_processing.target_size(project.resolution, first["ratio"])
    return width, height, fps


def _concatenate(preview_ids, output, project, full, folder):
    """Write the movie; returns the build's message (why it was re-encoded
    when the demuxer was tried), or None."""
    backend = storage.backend()
    with contextlib.ExitStack() as stack:
        paths = [stack.enter_context(backend.local_copy(
            preview_store.MOVIES, preview_store.key("previews", p))) for p in preview_ids]
        infos = [preview_processing.probe(path) for path in paths]
        width, height, fps = _target(project, infos[0])
        if not full:
            reason = _demuxer_refusal(infos, width, height, fps)
            if reason is None:
                reason = _concat_demuxer(paths, infos, output, folder)
                if reason is None:
                    return None
        _concat_filter(paths, infos, output, width, height, fps)
        return None if full else f"The movie was re-encoded: {reason}"


def _demuxer_refusal(infos, width, height, fps):
    """Why the previews cannot be joined as they are, or None."""
    for index, info in enumerate(infos):
        if (info["width"], info["height"]) != (width, height):
            return (f"preview {index + 1} is {info['width']}x{info['height']}, "
                    f"the production {width}x{height}.")
        if abs(info["fps"] - fps) > 0.01:
            return f"preview {index + 1} runs at {info['fps']:g} fps, the production at {fps:g}."
        if (info["codec"], info["has_audio"]) != (infos[0]["codec"], infos[0]["has_audio"]):
            return f"preview {index + 1} differs from the first in its streams."
    return None


def _concat_demuxer(paths, infos, output, folder):
    """Join the movies without re-encoding; the reason it failed, or None.
    A result shorter or longer than its parts (streams that only looked
    alike) counts as a failure."""
    listing = os.path.join(folder, "inputs.txt")
    with open(listing, "w") as out:
        out.writelines(f"file '{p}'\n" for p in paths)
    try:
        preview_processing.ffmpeg(["-f", "concat", "-safe", "0", "-i", listing, "-c", "copy",
                                   "-movflags", "+faststart", output])
        duration = preview_processing.probe(output)["duration"]
    except preview_processing.MediaError as error:
        return str(error)
    expected = sum(info["duration"] for info in infos)
    if abs(duration - expected) > 0.1 * len(infos):
        return f"the joined movie lasts {duration:.2f} s instead of {expected:.2f} s."
    return None


def _concat_filter(paths, infos, output, width, height, fps):
    """Re-encode every preview to the production's size (letterboxed) and
    rate and join them; a preview without sound gets silence when another
    one has some."""
    with_audio = any(info["has_audio"] for info in infos)
    inputs, parts, joined = [], [], []
    for index, (path, info) in enumerate(zip(paths, infos)):
        inputs += ["-i", path]
        parts.append(f"[{index}:v:0]scale={width}:{height}:force_original_aspect_ratio=decrease,"
                     f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={fps},"
                     f"format=yuv420p[v{index}]")
        joined.append(f"[v{index}]")
        if with_audio:
            if info["has_audio"]:
                parts.append(f"[{index}:a:0]aresample=48000,"
                             f"aformat=channel_layouts=stereo[a{index}]")
            else:
                parts.append(f"anullsrc=r=48000:cl=stereo,atrim=duration={info['duration']}"
                             f"[a{index}]")
            joined.append(f"[a{index}]")
    parts.append("".join(joined) + f"concat=n={len(paths)}:v=1:a={int(with_audio)}"
                 + ("[v][a]" if with_audio else "[v]"))
    maps = ["-map", "[v]"] + (["-map", "[a]", "-c:a", "aac"] if with_audio else [])
    preview_processing.ffmpeg([*inputs, "-filter_complex", ";".join(parts), *maps,
                               "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                               "-r", f"{fps:g}", "-movflags", "+faststart", output])


# Build jobs --------------------------------------------------------------------------

def get_job(actor, playlist_id, build_job_id):
    row = playlists.load(playlist_id)
    playlists.check_access(actor, row)
    return _serialize(_job_of(row, build_job_id).id)


def delete_job(actor, playlist_id, build_job_id):
    row = playlists.load(playlist_id)
    playlists.check_access(actor, row)
    _delete(row, [_job_of(row, build_job_id).id])
    db.session.commit()


def delete_jobs(row):
    """Every build job of the playlist (its deletion)."""
    _delete(row, list(db.session.scalars(
        select(BuildJob.id).where(BuildJob.playlist_id == row.id))))


def _delete(row, job_ids):
    if not job_ids:
        return
    db.session.execute(sa.delete(BuildJob).where(BuildJob.id.in_(job_ids)))
    storage.delete_on_commit((BUCKET, movie_key(job_id)) for job_id in job_ids)
    for job_id in job_ids:
        events.emit("build-job:delete", {"build_job_id": job_id, "playlist_id": row.id},
                    project_id=row.project_id)


def project_jobs(actor, project_id):
    """GET /data/projects/<id>/build-jobs (admins)."""
    require_admin(actor)
    if db.session.get(Project, as_uuid(project_id, "project id")) is None:
        raise NotFound(f"No project has the id {project_id}.")
    ids = db.session.scalars(select(BuildJob.id).join(Playlist, Playlist.id == BuildJob.playlist_id)
                             .where(Playlist.project_id == as_uuid(project_id))
                             .order_by(BuildJob.created_at, BuildJob.id))
    return [_serialize(job_id) for job_id in ids]


# Downloads ---------------------------------------------------------------------------

def _slug(value):
    return file_trees.slug(value or "") or "playlist"


def _context_name(row):
    """The production (and, for a TV show, the episode) a file name starts with."""
    project = db.session.get(Project, row.project_id)
    name = _slug(project.name)
    if project.production_type == "tvshow":
        if row.episode_id is not None:
            episode = db.session.scalar(select(Entity.name).where(Entity.id == row.episode_id))
        elif row.is_for_all:
            episode = "all assets" if row.for_entity == "asset" else "all shots"
        else:
            episode = "main pack"
        name += "_" + _slug(episode)
    return name


def movie_download(actor, playlist_id, build_job_id):
    """(stream, download name) of a finished build (managers, supervisors,
    clients of a shared playlist)."""
    row = playlists.load(playlist_id)
    playlists.check_access(actor, row, supervisors=True)
    job = _job_of(row, build_job_id)
    if job.status != "succeeded":
        raise BadRequest("Build is not finished.")
    stamp = job.created_at.strftime("%Y%m%d_%H%M%S")
    name = f"{stamp}_{_context_name(row)}_{_slug(row.name)}.mp4"
    return storage.backend().open(BUCKET, movie_key(job.id)), name


def _zip_members(row):
    """(name, bucket, key) of every file of the previews the entries play,
    each with the other files of its revision, in playlist order."""
    chosen = _entry_preview_ids(row)
    if not chosen:
        return []
    picked = sa.values(sa.column("position", sa.Integer), sa.column("id", sa.UUID),
                       name="picked").data([(i, p) for i, p in enumerate(chosen)])
    main, sibling = PreviewFile.__table__.alias("main"), PreviewFile.__table__.alias("sibling")
    rows = db.session.execute(
        select(sibling.c.id, sibling.c.extension)
        .select_from(picked)
        .join(main, main.c.id == picked.c.id)
        .join(sibling, (sibling.c.task_id == main.c.task_id)
              & (sibling.c.revision == main.c.revision))
        .order_by(picked.c.position, sibling.c.position, sibling.c.created_at)).all()
    stems = preview_media.download_stems({r.id for r in rows})
    members, seen = [], set()
    for index, r in enumerate(rows):
        name = f"{stems[r.id]}.{r.extension}"
        if name in seen:
            name = f"{index:04d}_{name}"
        seen.add(name)
        if r.extension == "mp4":
            bucket, key = preview_store.MOVIES, preview_store.key("previews", r.id)
        elif r.extension == "png":
            bucket, key = preview_store.PICTURES, preview_store.key("original", r.id)
        else:
            bucket, key = preview_store.FILES, preview_store.key("previews", r.id)
        members.append((name, bucket, key))
    return members


def zip_download(actor, playlist_id):
    """(file, download name): a zip of the original files of the previews
    the playlist plays. Files missing from the storage are left out."""
    row = playlists.load(playlist_id)
    playlists.check_access(actor, row, supervisors=True)
    backend = storage.backend()
    archive = tempfile.TemporaryFile(prefix="playlist-zip-")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        for name, bucket, key in _zip_members(row):
            try:
                source = backend.open(bucket, key)
            except NotFound:
                log.warning("Playlist %s: %s/%s is missing from the storage", row.id,
                            bucket, key)
                continue
            with source, out.open(name, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
    archive.seek(0)
    return archive, f"{_context_name(row)}_{_slug(row.name)}.zip"
