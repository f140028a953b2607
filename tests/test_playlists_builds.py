"""Playlist builds (behaviours.md row 18): a movie of the entries' real
previews joined by ffmpeg, its build job, and the zip of the originals."""
import datetime
import io
import zipfile

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models.base import utc_now
from app.models.files import PreviewFile
from app.models.playlist import BuildJob
from app.services import playlist_builds, storage
from tests import factories as f
from tests import media
from tests import playlists_helpers
from tests.playlists_helpers import ROLES, Review, store_movie, store_picture
from tests.test_playlists import _caller
from tests.test_schedule import api_events, assert_access

files = playlists_helpers.files  # a storage of the test's own

pytestmark = [media.needs_ffmpeg, pytest.mark.usefixtures("files")]


@pytest.fixture
def review():
    return Review()


def _build(client, playlist, headers, full=False):
    return client.get(f"/data/playlists/{playlist.id}/build/mp4"
                      + ("?full=true" if full else ""), headers=headers)


def _movie(client, playlist, job_id, headers, tmp_path):
    response = client.get(f"/data/playlists/{playlist.id}/jobs/{job_id}/build/mp4",
                          headers=headers)
    assert response.status_code == 200, response.json
    path = tmp_path / f"{job_id}.mp4"
    path.write_bytes(response.data)
    return response, media.probe(path)


def test_alike_previews_are_joined_as_they_are(client, review, files):
    manager = _caller(client, review.project, "manager")[1]
    entries = review.entries()
    for seconds, entry in zip((1, 2), entries):
        store_movie(files, db.session.get(
            PreviewFile, entry["preview_file_id"]), seconds=seconds)
    playlist = review.playlist(name="Dailies")
    job = _build(client, playlist, manager)
    assert job.status_code == 200, job.json
    assert (job.json["status"], job.json["message"], job.json["job_type"],
            job.json["playlist_id"], job.json["type"]) == (
        "succeeded", None, "movie", str(playlist.id), "BuildJob")
    response, (width, height, duration, codec, _) = _movie(client, playlist, job.json["id"],
                                                           manager, files)
    assert (width, height, codec) == (320, 240, "h264")
    assert duration == pytest.approx(3.0, abs=0.1)
    assert response.headers["Content-Type"] == "video/mp4"
    stamp = job.json["created_at"].replace("-", "").replace(":", "").replace("T", "_")
    project_slug = review.project.name.lower().replace(" ", "_")
    assert f'filename={stamp}_{project_slug}_dailies.mp4' in \
        response.headers["Content-Disposition"]
    assert [e["build_job_id"] for e in api_events("build-job:new", review.project.id)] == [
        job.json["id"]]
    updates = api_events("build-job:update", review.project.id)
    assert [(e["build_job_id"], e["status"]) for e in updates] == [(job.json["id"],
                                                                    "succeeded")]


def test_previews_of_other_sizes_are_reencoded_to_the_production(client, review, files):
    manager = _caller(client, review.project, "manager")[1]
    entries = review.entries()
    store_movie(files, db.session.get(PreviewFile,
                                      entries[0]["preview_file_id"]), seconds=1, audio=True)
    store_movie(files, db.session.get(PreviewFile,
                                      entries[1]["preview_file_id"]), seconds=2,
                size="160x160", fps=30)
    playlist = review.playlist()
    job = _build(client, playlist, manager).json
    assert job["status"] == "succeeded"
    assert job["message"].startswith("The movie was re-encoded: preview 2 is 160x160")
    _, (width, height, duration, _, has_audio) = _movie(client, playlist, job["id"], manager,
                                                        files)
    assert (width, height, has_audio) == (320, 240, True)
    assert duration == pytest.approx(3.0, abs=0.15)


def test_full_reencodes_even_alike_previews(client, review, files):
    manager = _caller(client, review.project, "manager")[1]
    review.project.resolution = "640x480"
    db.session.commit()
    for entry in review.entries():
        store_movie(files, db.session.get(PreviewFile,
                                          entry["preview_file_id"]))
    playlist = review.playlist()
    job = _build(client, playlist, manager, full=True).json
    assert (job["status"], job["message"]) == ("succeeded", None)
    _, (width, height, duration, _, _) = _movie(client, playlist, job["id"], manager, files)
    assert (width, height) == (640, 480)
    assert duration == pytest.approx(2.0, abs=0.1)


def test_a_build_without_movies_fails_with_its_reason(client, review):
    manager = _caller(client, review.project, "manager")[1]
    job = _build(client, review.playlist(shots=[]), manager).json
    assert (job["status"], job["message"]) == (
        "failed", "The playlist has no movie preview to build from.")
    missing = _build(client, review.playlist(), manager).json
    assert missing["status"] == "failed" and "missing from the storage" in missing["message"]
    unfinished = client.get(f"/data/playlists/{missing['playlist_id']}/jobs/{missing['id']}"
                            "/build/mp4", headers=manager)
    assert unfinished.status_code == 400


def test_one_build_of_a_playlist_at_a_time(client, review):
    manager = _caller(client, review.project, "manager")[1]
    playlist = review.playlist(shots=[])
    running = f.row(BuildJob, playlist_id=playlist.id, status="running", job_type="movie")
    refused = _build(client, playlist, manager)
    assert refused.status_code == 409
    assert db.session.scalars(select(BuildJob.id).where(
        BuildJob.playlist_id == playlist.id)).all() == [running.id]
    # A job running for longer than the job timeout lost its worker.
    running.created_at = utc_now() - datetime.timedelta(days=1)
    db.session.commit()
    assert _build(client, playlist, manager).status_code == 200
    db.session.refresh(running)
    assert running.status == "failed" and "did not finish" in running.message


@pytest.mark.parametrize("role", ROLES)
def test_who_builds_a_movie(client, review, role):
    _, headers = _caller(client, review.project, role)
    assert_access(_build(client, review.playlist(shots=[], for_client=True), headers), role,
                  {"admin", "manager"})


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_downloads_and_deletes_build_jobs(client, review, files, role):
    entry = review.entries()[:1]
    store_movie(files, db.session.get(PreviewFile,
                                      entry[0]["preview_file_id"]))
    shared, internal = review.playlist(shots=entry, for_client=True), review.playlist(
        shots=entry)
    admin = f.caller(client, "admin")[1]
    jobs = {p.id: _build(client, p, admin).json["id"] for p in (shared, internal)}
    _, headers = _caller(client, review.project, role)
    managing = {"admin", "manager"}
    for playlist, readers in ((shared, managing | {"client"}), (internal, managing)):
        job_url = f"/data/playlists/{playlist.id}/jobs/{jobs[playlist.id]}"
        assert_access(client.get(job_url, headers=headers), role, readers)
        assert_access(client.get(job_url + "/build/mp4", headers=headers), role,
                      readers | {"supervisor"})
        assert_access(client.get(f"/data/playlists/{playlist.id}/download/zip",
                                 headers=headers), role, readers | {"supervisor"})
        deleted = client.delete(job_url, headers=headers)
        assert_access(deleted, role, readers)
        if deleted.status_code == 204:
            assert not storage.backend().exists(playlist_builds.BUCKET,
                                                playlist_builds.movie_key(jobs[playlist.id]))
            assert client.get(job_url, headers=admin).status_code == 404


def test_a_job_of_another_playlist_is_not_found(client, review):
    admin = f.caller(client, "admin")[1]
    one, other = review.playlist(shots=[]), review.playlist(shots=[])
    job = f.row(BuildJob, playlist_id=other.id, status="failed", job_type="movie")
    assert client.get(f"/data/playlists/{one.id}/jobs/{job.id}",
                      headers=admin).status_code == 404
    assert client.get(f"/data/playlists/{other.id}/jobs/{job.id}",
                      headers=admin).json["id"] == str(job.id)


def test_build_jobs_of_a_production_are_for_admins(client, review):
    playlist = review.playlist(shots=[])
    first = f.row(BuildJob, playlist_id=playlist.id, status="failed", job_type="movie")
    f.row(BuildJob, playlist_id=f.playlist(f.project()).id, status="failed", job_type="movie")
    url = f"/data/projects/{review.project.id}/build-jobs"
    assert [j["id"] for j in client.get(url, headers=f.caller(client, "admin")[1]).json] == [
        str(first.id)]
    manager = _caller(client, review.project, "manager")[1]
    assert client.get(url, headers=manager).status_code == 403


def test_zip_holds_the_original_of_every_file_played(client, review, files):
    r = review
    manager = _caller(client, r.project, "manager")[1]
    movie = r.previews[(0, r.layout.id)][-1]
    movie_bytes = store_movie(files, movie)
    second_file = f.preview_file(r.tasks[(0, r.layout.id)], revision=movie.revision,
                                 position=2, status="ready", extension="png")
    second_bytes = store_picture(second_file)
    picture = f.preview_file(r.tasks[(1, r.anim.id)], revision=3, status="ready",
                             extension="png")
    picture_bytes = store_picture(picture, 80, 60)
    playlist = r.playlist(name="Client review", shots=[
        {"entity_id": str(r.shots[0].id), "preview_file_id": str(movie.id)},
        {"entity_id": str(r.shots[1].id), "preview_file_id": str(picture.id)},
        {"entity_id": str(r.shots[1].id), "preview_file_id": str(
            r.previews[(1, r.anim.id)][0].id)}])  # its movie is not stored: left out
    response = client.get(f"/data/playlists/{playlist.id}/download/zip", headers=manager)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    project = r.project.name.lower().replace(" ", "_")
    assert f"filename={project}_client_review.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    shot0 = f"{r.sequence.name}_{r.shots[0].name}".lower().replace(" ", "_")
    shot1 = f"{r.sequence.name}_{r.shots[1].name}".lower().replace(" ", "_")
    layout = r.layout.name.lower().replace(" ", "_")
    anim = r.anim.name.lower().replace(" ", "_")
    assert archive.namelist() == [f"{project}_{shot0}_{layout}_v2.mp4",
                                  f"{project}_{shot0}_{layout}_v2-2.png",
                                  f"{project}_{shot1}_{anim}_v3.png"]
    assert [archive.read(n) for n in archive.namelist()] == [movie_bytes, second_bytes,
                                                            picture_bytes]


def test_under_rq_the_build_is_queued_and_a_second_one_refused(app, client, review, files):
    """The request only records the job and queues it; the worker (run here
    on the queued arguments) ends it. Meanwhile the playlist refuses
    another build from the database, whatever the queue holds."""
    manager = _caller(client, review.project, "manager")[1]
    entry = review.entries()[:1]
    store_movie(files, db.session.get(PreviewFile, entry[0]["preview_file_id"]))
    playlist = review.playlist(shots=entry)
    app.config["JOB_QUEUE"], app.config["JOB_QUEUE_NAME"] = "rq", "atelier-test-playlists"
    try:
        job = _build(client, playlist, manager).json
        assert job["status"] == "running"
        assert _build(client, playlist, manager).status_code == 409
        queued = jobs.queue().fetch_job(f"build_playlist_{job['id']}")
        assert queued.args == ("app.services.playlist_builds:build_movie", job["id"], False)
        playlist_builds.build_movie(*queued.args[1:])
        assert client.get(f"/data/playlists/{playlist.id}/jobs/{job['id']}",
                          headers=manager).json["status"] == "succeeded"
    finally:
        jobs.queue().empty()
        app.config["JOB_QUEUE"], app.config["JOB_QUEUE_NAME"] = "inline", "atelier"
