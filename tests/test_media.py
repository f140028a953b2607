"""Serving the files of previews: access per role, conditional requests,
byte ranges, movie fallbacks, downloads, and the same from S3."""
import io

import pytest
from PIL import Image

from app.extensions import db
from app.services import preview_store, storage
from tests import factories as f
from tests.media import needs_ffmpeg, picture
from tests.media_helpers import READERS, REFUSED, ready_movie, ready_picture

pytest_plugins = ("tests.media_fixtures", "tests.storage_helpers")

PICTURE_URLS = {
    "thumbnails": "/pictures/thumbnails/preview-files/{}.png",
    "thumbnails-square": "/pictures/thumbnails-square/preview-files/{}.png",
    "previews": "/pictures/previews/preview-files/{}.png",
    "original": "/pictures/originals/preview-files/{}.png",
}


def stored(bucket, variant, row):
    with storage.backend().open(bucket, preview_store.key(variant, row.id)) as source:
        return source.read()


@pytest.mark.parametrize("variant", sorted(PICTURE_URLS))
@pytest.mark.parametrize("who", READERS + REFUSED)
def test_picture_variants_per_role(client, crew, who, variant):
    row = ready_picture(crew.task)
    response = client.get(PICTURE_URLS[variant].format(row.id), headers=crew.headers[who])
    if who in REFUSED:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data == stored(preview_store.PICTURES, variant, row)
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["Accept-Ranges"] == "bytes"


def test_picture_sizes_are_those_stored(client, crew):
    row = ready_picture(crew.task, width=320, height=200)
    response = client.get(PICTURE_URLS["thumbnails"].format(row.id),
                          headers=crew.headers["manager"])
    assert Image.open(io.BytesIO(response.data)).size == (150, 100)
    response = client.get(PICTURE_URLS["original"].format(row.id),
                          headers=crew.headers["manager"])
    assert Image.open(io.BytesIO(response.data)).size == (320, 200)


def test_anonymous_and_unknown(client, crew):
    row = ready_picture(crew.task)
    assert client.get(PICTURE_URLS["thumbnails"].format(row.id)).status_code == 401
    missing = "00000000-0000-0000-0000-000000000001"
    assert client.get(PICTURE_URLS["thumbnails"].format(missing),
                      headers=crew.headers["admin"]).status_code == 404
    assert client.get(PICTURE_URLS["thumbnails"].format("not-an-id"),
                      headers=crew.headers["admin"]).status_code == 400


def test_missing_file_is_404(client, crew):
    row = f.preview_file(crew.task, status="ready", extension="png")
    response = client.get(PICTURE_URLS["previews"].format(row.id), headers=crew.headers["admin"])
    assert response.status_code == 404


@pytest.mark.parametrize("variant", sorted(PICTURE_URLS))
@pytest.mark.parametrize("who", ["outsider", "vendor"])
def test_main_thumbnail_of_a_shared_asset(client, crew, who, variant):
    """Anyone signed in (but vendors) sees the main picture of a shared
    asset, in its thumbnail and original sizes only."""
    row = ready_picture(crew.task)
    crew.asset.is_shared = True
    crew.asset.preview_file_id = row.id
    db.session.commit()
    response = client.get(PICTURE_URLS[variant].format(row.id), headers=crew.headers[who])
    readable = who == "outsider" and variant in ("thumbnails", "thumbnails-square", "original")
    assert response.status_code == (200 if readable else 403)
    # Another revision of the same shared asset stays private.
    other = ready_picture(crew.task, revision=2)
    response = client.get(PICTURE_URLS[variant].format(other.id), headers=crew.headers[who])
    assert response.status_code == 403


def test_main_thumbnail_of_an_unshared_asset_stays_private(client, crew):
    row = ready_picture(crew.task)
    crew.asset.preview_file_id = row.id
    db.session.commit()
    response = client.get(PICTURE_URLS["thumbnails"].format(row.id),
                          headers=crew.headers["outsider"])
    assert response.status_code == 403


# Conditional requests and ranges ----------------------------------------------------

def test_etag_and_last_modified_give_304(client, crew):
    row = ready_picture(crew.task)
    url, headers = PICTURE_URLS["original"].format(row.id), crew.headers["artist"]
    first = client.get(url, headers=headers)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get(url, headers={**headers, "If-Modified-Since": modified})
    assert since.status_code == 304
    stale = client.get(url, headers={**headers, "If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert stale.data == first.data


def test_new_file_changes_the_etag(client, crew):
    row = ready_picture(crew.task)
    url, headers = PICTURE_URLS["original"].format(row.id), crew.headers["artist"]
    etag = client.get(url, headers=headers).headers["ETag"]
    storage.backend().put(preview_store.PICTURES, preview_store.key("original", row.id),
                          picture(700, 400))
    response = client.get(url, headers={**headers, "If-None-Match": etag})
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (700, 400)


def test_byte_ranges(client, crew):
    row = ready_picture(crew.task)
    url, headers = PICTURE_URLS["original"].format(row.id), crew.headers["client"]
    whole = stored(preview_store.PICTURES, "original", row)
    size = len(whole)
    part = client.get(url, headers={**headers, "Range": "bytes=10-109"})
    assert part.status_code == 206
    assert part.data == whole[10:110]
    assert part.headers["Content-Range"] == f"bytes 10-109/{size}"
    assert part.headers["Content-Length"] == "100"
    tail = client.get(url, headers={**headers, "Range": "bytes=-20"})
    assert tail.status_code == 206
    assert tail.data == whole[-20:]
    assert tail.headers["Content-Range"] == f"bytes {size - 20}-{size - 1}/{size}"
    open_ended = client.get(url, headers={**headers, "Range": f"bytes={size - 5}-"})
    assert open_ended.data == whole[-5:]
    past = client.get(url, headers={**headers, "Range": f"bytes={size + 10}-"})
    assert past.status_code == 416
    assert past.headers["Content-Range"] == f"bytes */{size}"
    # Several ranges at once: the whole file, which HTTP allows.
    several = client.get(url, headers={**headers, "Range": "bytes=0-1,5-6"})
    assert several.status_code == 200
    assert several.data == whole


def test_if_range(client, crew):
    row = ready_picture(crew.task)
    url, headers = PICTURE_URLS["original"].format(row.id), crew.headers["client"]
    whole = stored(preview_store.PICTURES, "original", row)
    etag = client.get(url, headers=headers).headers["ETag"]
    same = client.get(url, headers={**headers, "Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206
    assert same.data == whole[:10]
    changed = client.get(url, headers={**headers, "Range": "bytes=0-9",
                                       "If-Range": '"an-older-version"'})
    assert changed.status_code == 200
    assert changed.data == whole


# Movies --------------------------------------------------------------------------------

@needs_ffmpeg
@pytest.mark.parametrize("who", READERS + REFUSED)
def test_movie_per_role(client, crew, tmp_path, who):
    row, files = ready_movie(crew.task, tmp_path)
    response = client.get(f"/movies/originals/preview-files/{row.id}.mp4",
                          headers=crew.headers[who])
    if who in REFUSED:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.mimetype == "video/mp4"
    assert response.data == files["previews"]


@needs_ffmpeg
def test_movie_variants_and_fallbacks(client, crew, tmp_path):
    headers = crew.headers["assignee"]
    row, files = ready_movie(crew.task, tmp_path)
    assert client.get(f"/movies/low/preview-files/{row.id}.mp4",
                      headers=headers).data == files["lowdef"]
    assert client.get(f"/movies/source/preview-files/{row.id}.mp4",
                      headers=headers).data == files["source"]
    tiles = client.get(f"/movies/tiles/preview-files/{row.id}.png", headers=headers)
    assert Image.open(io.BytesIO(tiles.data)).size == (480, 60)

    only_low, files = ready_movie(crew.task, tmp_path, variants=("lowdef", "source"),
                                  revision=2)
    assert client.get(f"/movies/originals/preview-files/{only_low.id}.mp4",
                      headers=headers).data == files["lowdef"]
    only_source, files = ready_movie(crew.task, tmp_path, variants=("source",), revision=3)
    for url in ("/movies/originals/preview-files/{}.mp4", "/movies/low/preview-files/{}.mp4"):
        assert client.get(url.format(only_source.id), headers=headers).data == files["source"]
    only_hd, files = ready_movie(crew.task, tmp_path, variants=("previews",), revision=4)
    assert client.get(f"/movies/low/preview-files/{only_hd.id}.mp4",
                      headers=headers).data == files["previews"]
    assert client.get(f"/movies/source/preview-files/{only_hd.id}.mp4",
                      headers=headers).status_code == 404
    nothing = f.preview_file(crew.task, status="ready", extension="mp4", is_movie=True,
                             revision=5)
    assert client.get(f"/movies/originals/preview-files/{nothing.id}.mp4",
                      headers=headers).status_code == 404


@needs_ffmpeg
def test_movie_seek_like_a_player(client, crew, tmp_path):
    row, files = ready_movie(crew.task, tmp_path)
    movie = files["previews"]
    response = client.get(f"/movies/originals/preview-files/{row.id}.mp4",
                          headers={**crew.headers["manager"], "Range": "bytes=0-"})
    assert response.status_code == 206
    assert response.data == movie
    middle = len(movie) // 2
    response = client.get(f"/movies/originals/preview-files/{row.id}.mp4",
                          headers={**crew.headers["manager"],
                                   "Range": f"bytes={middle}-{middle + 999}"})
    assert response.status_code == 206
    assert response.data == movie[middle:middle + 1000]


@needs_ffmpeg
@pytest.mark.parametrize("who", READERS + REFUSED)
def test_movie_download(client, crew, tmp_path, who):
    row, files = ready_movie(crew.task, tmp_path, revision=3)
    response = client.get(f"/movies/originals/preview-files/{row.id}/download",
                          headers=crew.headers[who])
    if who in REFUSED:
        assert response.status_code == 403
        return
    assert response.data == files["previews"]
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith("_v3.mp4")
    assert crew.project.name.lower().replace(" ", "_") in disposition


def test_processing_preview_is_not_cached(client, crew):
    row = f.preview_file(crew.task, status="processing", extension="png")
    url = PICTURE_URLS["thumbnails"].format(row.id)
    response = client.get(url, headers=crew.headers["manager"])
    assert response.status_code == 404
    assert "no-store" in response.headers["Cache-Control"]
    response = client.get(url, headers={**crew.headers["manager"],
                                        "Accept": "application/json"})
    assert response.status_code == 202
    assert response.json == {"status": "processing", "preview_file_id": str(row.id)}
    assert response.headers["Retry-After"] == "5"


# Files as published ----------------------------------------------------------------------

def stored_file(task, extension, content, **values):
    row = f.preview_file(task, status="ready", extension=extension, **values)
    storage.backend().put(preview_store.FILES, preview_store.key("previews", row.id), content)
    return row


@pytest.mark.parametrize("who", READERS + REFUSED)
def test_file_by_extension(client, crew, who):
    row = stored_file(crew.task, "pdf", b"%PDF-1.4 a document")
    response = client.get(f"/pictures/originals/preview-files/{row.id}.pdf",
                          headers=crew.headers[who])
    if who in REFUSED:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == b"%PDF-1.4 a document"
    # Another extension than the file's own is not there.
    assert client.get(f"/pictures/originals/preview-files/{row.id}.zip",
                      headers=crew.headers[who]).status_code == 404


def test_png_extension_gives_the_original(client, crew):
    row = ready_picture(crew.task)
    response = client.get(f"/pictures/originals/preview-files/{row.id}.PNG",
                          headers=crew.headers["manager"])
    assert response.data == stored(preview_store.PICTURES, "original", row)


@pytest.mark.parametrize("who", READERS + REFUSED)
def test_picture_download(client, crew, who):
    row = ready_picture(crew.task, revision=2, position=2)
    response = client.get(f"/pictures/originals/preview-files/{row.id}/download",
                          headers=crew.headers[who])
    if who in REFUSED:
        assert response.status_code == 403
        return
    assert response.data == stored(preview_store.PICTURES, "original", row)
    assert response.headers["Content-Disposition"].endswith('_v2-2.png')


def test_download_of_a_file_uses_the_original_name_when_asked(client, crew):
    from app.services.organisation import get_row

    get_row().use_original_file_name = True
    db.session.commit()
    row = stored_file(crew.task, "zip", b"PK\x03\x04 zipped", original_name="scène finale")
    response = client.get(f"/pictures/originals/preview-files/{row.id}/download",
                          headers=crew.headers["artist"])
    assert response.data == b"PK\x03\x04 zipped"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="scene finale.zip"; filename*=UTF-8\'\'sc%C3%A8ne%20finale.zip')


# Attachment thumbnails ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["admin", "manager", "supervisor", "assignee", "artist",
                                 "vendor", "outsider"])
def test_attachment_thumbnail(client, crew, who):
    note = f.comment(crew.task, crew.people["manager"])
    attachment = f.attachment_file(note)
    storage.backend().put(preview_store.PICTURES, f"thumbnails-{attachment.id}",
                          picture(150, 90))
    response = client.get(f"/pictures/thumbnails/attachment-files/{attachment.id}.png",
                          headers=crew.headers[who])
    if who in ("vendor", "outsider"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (150, 90)


# S3 ----------------------------------------------------------------------------------------

def test_served_from_s3(client, crew, use_s3):
    row = ready_picture(crew.task)
    whole = stored(preview_store.PICTURES, "original", row)
    # The bytes are in the S3 bucket, not on the disk.
    s3 = storage.backend()
    assert s3.client.head_object(Bucket=f"{use_s3}pictures",
                                 Key=f"original-{row.id}")["ContentLength"] == len(whole)
    url, headers = PICTURE_URLS["original"].format(row.id), crew.headers["artist"]
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.data == whole
    part = client.get(url, headers={**headers, "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.data == whole[100:200]
    again = client.get(url, headers={**headers, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(PICTURE_URLS["original"].format(
        f.preview_file(crew.task, status="ready", revision=9).id),
        headers=headers).status_code == 404
