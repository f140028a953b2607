"""Movie previews: ffmpeg normalization (inline job), the renditions and
pictures it stores, broken movies, a server without ffmpeg, frames as
main pictures."""
import json
import subprocess

import pytest

from app.extensions import db
from app.models.entity import Entity
from app.models.files import PreviewFile
from app.models.task import Task
from app.services import preview_processing
from app.services import preview_store as store
from tests import factories as f
from tests.media import movie, needs_ffmpeg
pytest.register_assert_rewrite("tests.previews_helpers")
from tests.previews_helpers import events_named, picture_size, stored

# The `prod` and `files` fixtures.
pytest_plugins = ["tests.previews_helpers"]

pytestmark = needs_ffmpeg


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """Short real movies, made once: 4:3 without sound, 16:9 with sound."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "silent": open(movie(folder / "silent.mov", seconds=1, fps=24, size="320x240"),
                       "rb").read(),
        "sound": open(movie(folder / "sound.mp4", seconds=1, fps=30, size="480x270",
                            audio=True), "rb").read(),
    }


def streams(data, tmp_path, name="probe.mp4"):
    """ffprobe's view of movie bytes: (video stream, has audio, duration)."""
    path = tmp_path / name
    path.write_bytes(data)
    out = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
         str(path)], check=True, capture_output=True).stdout)
    video = next(s for s in out["streams"] if s["codec_type"] == "video")
    audio = any(s["codec_type"] == "audio" for s in out["streams"])
    return video, audio, float(out["format"]["duration"])


def test_movie_is_normalized_at_the_project_settings(prod, clips, tmp_path):
    preview = prod.publish(clips["silent"], "anim_v1.mov")
    assert preview["status"] == "ready", preview
    assert (preview["extension"], preview["original_name"]) == ("mp4", "anim_v1")
    assert (preview["width"], preview["height"]) == (640, 360)
    assert preview["duration"] == pytest.approx(1.0, abs=0.1)
    assert preview["data"]["original_width"] == 320
    assert preview["data"]["original_file_size"] == len(clips["silent"])
    assert stored(store.MOVIES, "source", preview["id"]) == clips["silent"]
    high = stored(store.MOVIES, "previews", preview["id"])
    assert preview["file_size"] == len(high)
    video, audio, duration = streams(high, tmp_path)
    # 4:3 fitted into 640x360 and padded; a silent track added; 25 fps.
    assert (video["codec_name"], video["pix_fmt"], video["width"], video["height"]) == \
        ("h264", "yuv420p", 640, 360)
    assert video["r_frame_rate"] == "25/1" and audio
    assert duration == pytest.approx(1.0, abs=0.1)
    low, low_audio, _ = streams(stored(store.MOVIES, "lowdef", preview["id"]), tmp_path)
    assert (low["width"], low["height"], low_audio) == (1280, 720, True)
    # Pictures from the first frame, and the tile strip: 25 frames, 8 a row.
    assert picture_size(stored(store.PICTURES, "original", preview["id"])) == (640, 360)
    assert picture_size(stored(store.PICTURES, "thumbnails", preview["id"])) == (150, 100)
    assert picture_size(stored(store.PICTURES, "tiles", preview["id"])) == (178 * 8, 400)
    db.session.expire_all()
    assert str(db.session.get(Task, prod.task.id).last_preview_file_id) == preview["id"]
    statuses = [e["status"] for e in events_named("preview-file:update")
                if e["preview_file_id"] == preview["id"]]
    assert statuses == ["processing", "ready"]


def test_entity_settings_override_the_project(prod, clips, tmp_path):
    prod.asset.data = {"fps": "24", "resolution": "480x270"}
    db.session.commit()
    preview = prod.publish(clips["sound"], "s.mp4")
    video, audio, _ = streams(stored(store.MOVIES, "previews", preview["id"]), tmp_path)
    assert (video["width"], video["height"], video["r_frame_rate"], audio) == \
        (480, 270, "24/1", True)


def test_normalize_false_keeps_the_source(prod, clips):
    preview = prod.publish(clips["sound"], "s.mp4", query="?normalize=false")
    assert preview["status"] == "ready"
    assert (preview["width"], preview["height"]) == (480, 270)
    assert stored(store.MOVIES, "previews", preview["id"]) is None
    assert stored(store.MOVIES, "source", preview["id"]) == clips["sound"]
    assert picture_size(stored(store.PICTURES, "original", preview["id"])) == (480, 270)


def test_unreadable_movie_goes_broken_with_the_reason(prod):
    preview = prod.publish(b"\x00" * 2048, "bad.mp4")
    assert preview["status"] == "broken"
    assert "not a movie" in preview["data"]["error"]
    db.session.expire_all()
    assert db.session.get(Task, prod.task.id).last_preview_file_id is None


def test_without_ffmpeg_the_preview_says_how_to_install_it(prod, clips, monkeypatch):
    monkeypatch.setattr(preview_processing.shutil, "which", lambda name: None)
    preview = prod.publish(clips["silent"], "a.mov")
    assert preview["status"] == "broken"
    assert "apt-get install ffmpeg" in preview["data"]["error"]


def test_automated_main_preview_and_a_chosen_frame(prod, clips):
    prod.project.is_set_preview_automated = True
    db.session.commit()
    preview = prod.publish(clips["silent"], "a.mov")
    db.session.expire_all()
    assert str(db.session.get(Entity, prod.asset.id).preview_file_id) == preview["id"]
    first_frame = stored(store.PICTURES, "original", preview["id"])
    response = prod.client.put(f"/actions/preview-files/{preview['id']}/set-main-preview",
                               headers=prod.headers["manager"], json={"frame_number": 20})
    assert response.status_code == 200, response.json
    # The test pattern moves: frame 20 is another picture, at the same size.
    later = stored(store.PICTURES, "original", preview["id"])
    assert later != first_frame and picture_size(later) == (640, 360)


def test_movies_on_a_shot_emit_shot_events(prod, clips):
    prod.project.is_set_preview_automated = True
    db.session.commit()
    shot = f.temporal(prod.project, "Shot")
    task = f.task(prod.project, shot, prod.task_type, assignees=[prod.people["assignee"]],
                  task_status_id=prod.status.id)
    preview = prod.publish(clips["silent"], "a.mov", task=task)
    assert events_named("shot:update")[-1]["shot_id"] == str(shot.id)
    db.session.expire_all()
    assert str(db.session.get(PreviewFile, preview["id"]).status) == "ready"
