"""Frames out of previews: a movie frame, the tile strip, and frames with
their annotations drawn on (PNG, zip, PDF)."""
import io
import zipfile

import pytest
from PIL import Image

from app.extensions import db
from app.services import preview_store, storage
from tests import factories as f
from tests.media import needs_ffmpeg
from tests.media_helpers import READERS, REFUSED, ready_movie, ready_picture

pytest_plugins = ("tests.media_fixtures",)

MANAGERS = ("admin", "manager")
OTHERS = ("supervisor", "assignee", "artist", "client", "vendor_assigned", "vendor", "outsider")
# A black diagonal line across the whole 640x360 canvas, and a text.
LINE = {"id": "l1", "type": "path", "stroke": "#000000", "strokeWidth": 6,
        "canvasWidth": 640, "canvasHeight": 360, "path": [["M", 0, 0], ["L", 640, 360]]}
CURVE = {"id": "c1", "type": "path", "stroke": "#0000ff", "strokeWidth": 4,
         "path": [["M", 600, 20], ["Q", 620, 40, 600, 60], ["C", 580, 80, 620, 100, 600, 120]]}
TEXT = {"id": "t1", "type": "i-text", "text": "fix", "fill": "#00ff00", "left": 400, "top": 40,
        "fontSize": 40}


def png(response):
    assert response.mimetype == "image/png", response.data[:200]
    return Image.open(io.BytesIO(response.data)).convert("RGB")


def url(row, action, **query):
    args = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/actions/preview-files/{row.id}/{action}" + (f"?{args}" if args else "")


@needs_ffmpeg
@pytest.mark.parametrize("who", MANAGERS + OTHERS)
def test_extract_frame(client, crew, tmp_path, who):
    row, _ = ready_movie(crew.task, tmp_path)
    response = client.get(url(row, "extract-frame", frame_number=12), headers=crew.headers[who])
    if who not in MANAGERS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert png(response).size == (160, 120)


def test_extract_frame_of_a_picture_is_404(client, crew):
    row = ready_picture(crew.task)
    response = client.get(url(row, "extract-frame"), headers=crew.headers["manager"])
    assert response.status_code == 404


@needs_ffmpeg
@pytest.mark.parametrize("who", READERS + REFUSED)
def test_extract_tile(client, crew, tmp_path, who):
    row, _ = ready_movie(crew.task, tmp_path)
    response = client.get(url(row, "extract-tile"), headers=crew.headers[who])
    if who in REFUSED:
        assert response.status_code == 403
        return
    tile = png(response)
    # 24 frames of a 4:3 movie: eight 134x100 frames a row, 3 rows.
    assert tile.size == (8 * 134, 300)
    with storage.backend().open(preview_store.PICTURES, f"tiles-{row.id}") as stored:
        assert stored.read() == response.data


@pytest.mark.parametrize("who", MANAGERS + OTHERS)
def test_annotated_picture(client, crew, who):
    row = ready_picture(crew.task, annotations=[{"time": 0, "drawing": {
        "objects": [LINE, CURVE, TEXT]}}])
    response = client.get(url(row, "extract-annotated-frame"), headers=crew.headers[who])
    if who not in MANAGERS:
        assert response.status_code == 403
        return
    image = png(response)
    assert image.size == (640, 360)
    assert image.getpixel((320, 180)) == (0, 0, 0)  # on the line
    assert image.getpixel((600, 200)) != (0, 0, 0)  # off it
    assert image.getpixel((600, 20)) == (0, 0, 255)  # the curve starts there
    greens = sum(1 for x in range(400, 480) for y in range(40, 90)
                 if image.getpixel((x, y)) == (0, 255, 0))
    assert greens > 30  # the text


def test_annotated_frame_needs_annotations(client, crew):
    row = ready_picture(crew.task)
    for action in ("extract-annotated-frame", "extract-annotated-frames",
                   "extract-annotated-frames-pdf"):
        assert client.get(url(row, action), headers=crew.headers["manager"]).status_code == 404


def test_annotated_frames_of_a_file_are_refused(client, crew):
    row = f.preview_file(crew.task, status="ready", extension="pdf",
                         annotations=[{"time": 0, "drawing": {"objects": [LINE]}}])
    response = client.get(url(row, "extract-annotated-frames"), headers=crew.headers["manager"])
    assert response.status_code == 400


@needs_ffmpeg
def test_annotated_movie_frames(client, crew, tmp_path):
    # Frames 1 and 13 of a 24 fps movie (the project's fps: 25 by default).
    crew.project.fps = "24"
    db.session.commit()
    annotations = [{"time": 0.5, "drawing": {"objects": [LINE]}},
                   {"time": 0, "drawing": {"objects": [TEXT]}}]
    row, _ = ready_movie(crew.task, tmp_path, annotations=annotations, revision=4)
    headers = crew.headers["manager"]
    one = client.get(url(row, "extract-annotated-frame", frame_number=13), headers=headers)
    assert png(one).getpixel((80, 60)) == (0, 0, 0)  # the line scaled to 160x120
    assert client.get(url(row, "extract-annotated-frame", frame_number=5),
                      headers=headers).status_code == 404
    assert client.get(url(row, "extract-annotated-frame"), headers=headers).status_code == 400

    bundle = client.get(url(row, "extract-annotated-frames"), headers=headers)
    assert bundle.mimetype == "application/zip"
    assert bundle.headers["Content-Disposition"].endswith('_v4_annotated_frames.zip')
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    assert [n.rsplit("_", 2)[-2:] for n in names] == [["frame", "1.png"], ["frame", "13.png"]]

    pdf = client.get(url(row, "extract-annotated-frames-pdf"), headers=headers)
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert pdf.data.count(b"/Type /Page") - pdf.data.count(b"/Type /Pages") == 2


@pytest.mark.parametrize("action", ["extract-annotated-frames", "extract-annotated-frames-pdf"])
@pytest.mark.parametrize("who", OTHERS)
def test_bundles_are_for_managers(client, crew, who, action):
    row = ready_picture(crew.task, annotations=[{"time": 0, "drawing": {"objects": [LINE]}}])
    assert client.get(url(row, action), headers=crew.headers[who]).status_code == 403
