"""gazu 1.3.1's preview functions against a real server: what a publish
script does (a picture, a movie normalized in the request, a thumbnail)."""
import gazu
import pytest
from gazu.exception import NotAllowedException, ParameterException

from tests.media import movie, needs_ffmpeg, picture


@pytest.fixture
def publish(admin, production):
    """The production's modeling task, a work-in-progress status, and a
    small project resolution (fast normalizations)."""
    project = gazu.project.get_project(production["project"]["id"], client=admin)
    project["resolution"] = "640x360"
    project["fps"] = "25"
    gazu.project.update_project(project, client=admin)
    wip = gazu.client.fetch_first("task-status", {"name": "Work In Progress"}, client=admin)
    return dict(production, wip=wip)


def test_add_and_upload_a_picture(admin, publish, tmp_path):
    artist, task = publish["client"], publish["asset_task"]
    path = tmp_path / "model_v1.png"
    path.write_bytes(picture(400, 300))
    comment = gazu.task.add_comment(task, publish["wip"], "first pass", client=artist)
    preview = gazu.task.add_preview(task, comment, str(path), client=artist)
    assert (preview["status"], preview["extension"], preview["revision"]) == \
        ("ready", "png", 1)
    assert (preview["width"], preview["height"]) == (400, 300)
    assert gazu.files.get_preview_file(preview["id"], client=admin)["original_name"] == \
        "model_v1"
    assert gazu.task.get_task(task["id"], client=admin)["last_preview_file_id"] == \
        preview["id"]
    # Two steps, as scripts also do them: a new revision, then its file.
    second = gazu.task.create_preview(task, comment, client=artist)
    assert (second["revision"], second["position"], second["status"]) == (1, 2, "processing")
    uploaded = gazu.task.upload_preview_file(second, str(path), client=artist)
    assert uploaded["status"] == "ready"
    with pytest.raises(ParameterException):
        gazu.task.upload_preview_file(second, str(path), client=artist)
    # The unassigned task is not the artist's.
    other = gazu.task.add_comment(publish["spare"], publish["wip"], "x", client=admin)
    with pytest.raises(NotAllowedException):
        gazu.task.add_preview(publish["spare"], other, str(path), client=artist)


@needs_ffmpeg
def test_publish_a_movie_and_set_it_as_thumbnail(admin, publish, tmp_path):
    artist, task = publish["client"], publish["shot_task"]
    path = movie(tmp_path / "layout.mov", seconds=1, size="320x240", audio=True)
    comment, preview = gazu.task.publish_preview(
        task, publish["wip"], comment="layout", preview_file_path=path,
        set_thumbnail=True, client=artist)
    assert comment["task_status_id"] == publish["wip"]["id"]
    assert (preview["status"], preview["extension"]) == ("ready", "mp4")
    assert (preview["width"], preview["height"]) == (640, 360)
    shot = gazu.shot.get_shot(publish["shot"]["id"], client=admin)
    assert shot["preview_file_id"] == preview["id"]
    # set_main_preview alone, with a frame of the movie.
    entity = gazu.task.set_main_preview(preview, frame_number=5, client=artist)
    assert entity["preview_file_id"] == preview["id"]
    listed = gazu.files.get_all_preview_files_for_task(task, client=admin)
    assert [p["id"] for p in listed] == [preview["id"]]
