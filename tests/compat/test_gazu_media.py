"""gazu 1.3.1 reading media against a real server: thumbnails, originals,
movies, frames and tiles, annotations, and production pictures."""
import gazu
import pytest
from gazu.exception import NotAllowedException
from PIL import Image

from tests.media import movie, needs_ffmpeg, picture, probe


@pytest.fixture
def published(admin, production, tmp_path):
    """A picture published by the artist on the asset task."""
    wip = gazu.client.fetch_first("task-status", {"name": "Work In Progress"}, client=admin)
    path = tmp_path / "model.png"
    path.write_bytes(picture(400, 300))
    comment = gazu.task.add_comment(production["asset_task"], wip, "look", client=admin)
    preview = gazu.task.add_preview(production["asset_task"], comment, str(path),
                                    client=production["client"])
    return dict(production, preview=preview, wip=wip)


def test_pictures(admin, published, tmp_path):
    artist, preview = published["client"], published["preview"]
    thumbnail = tmp_path / "thumb.png"
    gazu.files.download_preview_file_thumbnail(preview, str(thumbnail), client=artist)
    assert Image.open(thumbnail).size[1] <= 100
    original = tmp_path / "original.png"
    gazu.files.download_preview_file(preview, str(original), client=artist)
    assert Image.open(original).size == (400, 300)


def test_annotations(admin, published):
    preview = published["preview"]
    line = {"id": "l1", "type": "path", "path": [["M", 0, 0], ["L", 5, 5]]}
    result = gazu.files.update_preview_annotations(
        preview, additions=[{"time": 0, "drawing": {"objects": [line]}}], client=admin)
    assert result["annotations"] == [{"time": 0, "drawing": {"objects": [line]}}]
    result = gazu.files.update_preview_annotations(
        preview, deletions=[{"time": 0, "objects": ["l1"]}], client=admin)
    assert result["annotations"] == []
    # Artists review with comments, not drawings.
    with pytest.raises(NotAllowedException):
        gazu.files.update_preview_annotations(
            preview, additions=[{"time": 0, "drawing": {"objects": [line]}}],
            client=published["client"])


@needs_ffmpeg
def test_movies_frames_and_tiles(admin, published, tmp_path):
    path = movie(tmp_path / "layout.mp4", seconds=1, size="320x240")
    comment = gazu.task.add_comment(published["shot_task"], published["wip"], "layout",
                                    client=admin)
    preview = gazu.task.add_preview(published["shot_task"], comment, path,
                                    client=published["client"])
    target = tmp_path / "movie.mp4"
    gazu.files.download_preview_movie(preview, str(target), client=published["client"])
    assert probe(target)[3] == "h264"
    low = tmp_path / "low.mp4"
    gazu.files.download_preview_lowdef_movie(preview, str(low), client=published["client"])
    assert probe(low)[3] == "h264"
    frame = tmp_path / "frame.png"
    gazu.files.extract_frame_from_preview(preview, 5, str(frame), client=admin)
    assert Image.open(frame).size == (probe(target)[0], probe(target)[1])
    response = gazu.files.extract_tile_from_preview(preview, client=admin)
    assert response.headers["Content-Type"] == "image/png"


def test_project_picture(admin, production, tmp_path):
    path = tmp_path / "poster.png"
    path.write_bytes(picture(800, 400))
    result = gazu.files.upload_project_avatar(production["project"], str(path), client=admin)
    assert result["thumbnail_path"].endswith(f"{production['project']['id']}.png")
    target = tmp_path / "back.png"
    gazu.files.download_project_avatar(production["project"], str(target),
                                       client=production["client"])
    assert Image.open(target).size == (400, 400)
