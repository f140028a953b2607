"""gazu 1.3.1's playlist functions (gazu.playlist) against a real server:
what a dailies script does, plus 50 additions at once that must all stay."""
import threading
import zipfile

import gazu
import pytest
import requests
from gazu.exception import NotAllowedException

from app import create_app
from config import Config
from tests import media
from tests.compat.conftest import PASSWORD, unique

pytestmark = media.needs_ffmpeg


@pytest.fixture
def dailies(server, admin, tmp_path):
    """A production (25 fps, 320x240) with a sequence of two shots, each
    with a layout task and a ready movie preview whose file is stored
    where the server reads it."""
    project = gazu.project.new_project(unique("Dailies"), client=admin)
    gazu.project.update_project({"id": project["id"], "fps": "25",
                                 "resolution": "320x240"}, client=admin)
    layout = gazu.client.fetch_first("task-types", {"name": "Layout"}, client=admin)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=admin)
    shots, previews = [], []
    for number, seconds in ((10, 1), (20, 2)):
        shot = gazu.shot.new_shot(project, sequence, f"SH{number:03d}", client=admin)
        task = gazu.task.new_task(shot, layout, client=admin)
        preview = gazu.client.post("data/preview-files", {
            "name": f"layout {number}", "task_id": task["id"], "revision": 1,
            "extension": "mp4", "status": "ready"}, client=admin)
        movie = media.movie(tmp_path / f"{number}.mp4", seconds=seconds, size="320x240",
                            fps=25)
        _store(server, preview["id"], movie)
        shots.append(shot)
        previews.append(preview)
    return dict(project=project, sequence=sequence, shots=shots, previews=previews,
                layout=layout)


def _store(server, preview_id, path):
    """Put the movie in the server's storage, as its upload would."""
    from app.services import preview_store, storage

    app = create_app(Config(SECRET_KEY=server.env["SECRET_KEY"],
                            DATABASE_URL=server.database_url,
                            REDIS_URL=server.env["REDIS_URL"]))
    with app.app_context():
        storage.backend().put_file(preview_store.MOVIES,
                                   preview_store.key("previews", preview_id), path)


def test_a_dailies_script(admin, dailies, tmp_path):
    d = dailies
    playlist = gazu.playlist.new_playlist(d["project"], unique("Review"), client=admin)
    assert gazu.playlist.new_playlist(d["project"], playlist["name"],
                                      client=admin)["id"] == playlist["id"]
    assert (playlist["for_entity"], playlist["for_client"], playlist["shots"]) == (
        "shot", False, None)
    for shot in d["shots"]:
        playlist = gazu.playlist.add_entity_to_playlist(playlist, shot, client=admin)
    assert playlist["shots"] == [{"entity_id": s["id"], "preview_file_id": p["id"]}
                                 for s, p in zip(d["shots"], d["previews"])]
    assert [s["entity_id"] for s in gazu.playlist.all_shots_for_playlist(
        playlist, client=admin)] == [s["id"] for s in d["shots"]]
    previews = gazu.playlist.get_entity_preview_files(d["shots"][0], client=admin)
    assert [p["id"] for p in previews[d["layout"]["id"]]] == [d["previews"][0]["id"]]

    listed = gazu.playlist.all_playlists_for_project(d["project"], client=admin)
    assert [p["id"] for p in listed] == [playlist["id"]]
    assert gazu.playlist.get_playlist_by_name(d["project"], playlist["name"],
                                              client=admin)["id"] == playlist["id"]
    assert gazu.playlist.get_playlist(playlist["id"], client=admin)["shots"] == \
        playlist["shots"]

    job = gazu.playlist.build_playlist_movie(playlist, client=admin)
    assert (job["status"], job["message"]) == ("succeeded", None)
    assert gazu.playlist.get_build_job(playlist, job, client=admin)["status"] == "succeeded"
    assert [j["id"] for j in gazu.playlist.all_build_jobs_for_project(
        d["project"], client=admin)] == [job["id"]]
    movie = tmp_path / "built.mp4"
    gazu.playlist.download_playlist_build(playlist, job, str(movie), client=admin)
    assert media.probe(movie)[:2] == (320, 240)
    assert media.probe(movie)[2] == pytest.approx(3.0, abs=0.1)
    archive = tmp_path / "originals.zip"
    gazu.playlist.download_playlist_zip(playlist, str(archive), client=admin)
    assert len(zipfile.ZipFile(archive).namelist()) == 2
    gazu.playlist.remove_build_job(playlist, job, client=admin)
    assert gazu.playlist.all_build_jobs_for_project(d["project"], client=admin) == []

    temp = gazu.playlist.generate_temp_playlist(d["project"], {"entity_ids": []},
                                                client=admin)
    assert temp == []
    assert gazu.playlist.notify_clients_playlist_ready(playlist, client=admin) == {
        "status": "success"}

    playlist = gazu.playlist.update_entity_preview(playlist, d["shots"][1],
                                                   d["previews"][0], client=admin)
    stored = gazu.playlist.get_playlist(playlist, client=admin)
    assert stored["shots"][1] == {"entity_id": d["shots"][1]["id"], "preview_file_id": None}
    gazu.playlist.remove_entity_from_playlist(stored, d["shots"][0], client=admin)
    assert [s["entity_id"] for s in gazu.playlist.get_playlist(
        playlist, client=admin)["shots"]] == [d["shots"][1]["id"]]
    gazu.playlist.delete_playlist(playlist, client=admin)
    assert gazu.playlist.all_playlists_for_project(d["project"], client=admin) == []


def test_an_artist_cannot_change_playlists(server, admin, dailies):
    artist = gazu.person.new_person(unique("Artist"), "Dailies",
                                    f"{unique('a').replace(' ', '')}@studio.example.com",
                                    client=admin)
    gazu.project.add_person_to_team(dailies["project"], artist, client=admin)
    server.manage("change-password", artist["email"], "--password", PASSWORD)
    artist_client = gazu.client.create_client(server.url)
    gazu.log_in(artist["email"], PASSWORD, client=artist_client)
    playlist = gazu.playlist.new_playlist(dailies["project"], unique("Review"), client=admin)
    assert gazu.playlist.all_playlists_for_project(dailies["project"],
                                                   client=artist_client)[0]["id"] == \
        playlist["id"]
    with pytest.raises(NotAllowedException):
        gazu.playlist.add_entity_to_playlist(playlist, dailies["shots"][0],
                                             client=artist_client)
    with pytest.raises(NotAllowedException):
        gazu.playlist.build_playlist_movie(playlist, client=artist_client)


def test_fifty_additions_at_once_are_all_kept(server, admin):
    """Every request appends to the same playlist at the same time; under
    Zou's read-append-write some were lost."""
    project = gazu.project.new_project(unique("Crowd"), client=admin)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=admin)
    shots = [gazu.shot.new_shot(project, sequence, f"SH{n:03d}", client=admin)
             for n in range(50)]
    playlist = gazu.playlist.new_playlist(project, unique("Crowd"), client=admin)
    token = admin.tokens["access_token"]
    url = f"{server.url}/actions/playlists/{playlist['id']}/add-entity"
    start, statuses = threading.Barrier(50), []

    def add(shot):
        with requests.Session() as session:
            start.wait()
            response = session.post(url, json={"entity_id": shot["id"]},
                                    headers={"Authorization": f"Bearer {token}"}, timeout=60)
            statuses.append(response.status_code)

    threads = [threading.Thread(target=add, args=(shot,)) for shot in shots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 50
    kept = gazu.playlist.get_playlist(playlist, client=admin)["shots"]
    assert sorted(s["entity_id"] for s in kept) == sorted(s["id"] for s in shots)
