"""The storage contract, run on both backends: the local folder and a real
S3 server (moto_server)."""
import datetime
import io
import os

import pytest

from app.errors import NotFound
from app.services import storage

pytest_plugins = ("tests.storage_helpers",)

BLOB = bytes(range(256)) * 1024  # 256 KiB, every byte value


@pytest.fixture(params=["local", "s3"])
def store(request, app, tmp_path, monkeypatch):
    if request.param == "s3":
        request.getfixturevalue("use_s3")
    else:
        monkeypatch.setitem(app.config, "FS_BACKEND", "local")
        monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    with app.app_context():
        yield storage.backend()


def test_put_then_read_back(store):
    store.put("pictures", "thumbnails-1", BLOB)
    with store.open("pictures", "thumbnails-1") as f:
        assert f.read() == BLOB
    assert store.size("pictures", "thumbnails-1") == len(BLOB)
    assert store.exists("pictures", "thumbnails-1")
    size, modified = store.stat("pictures", "thumbnails-1")
    assert size == len(BLOB)
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    assert abs((now - modified).total_seconds()) < 120


def test_put_replaces(store):
    store.put("files", "previews-2", b"old")
    store.put("files", "previews-2", b"new content")
    with store.open("files", "previews-2") as f:
        assert f.read() == b"new content"


def test_open_is_seekable(store):
    store.put("movies", "previews-3", BLOB)
    with store.open("movies", "previews-3") as f:
        assert f.seekable()
        f.seek(1000)
        assert f.read(10) == BLOB[1000:1010]
        f.seek(-5, io.SEEK_END)
        assert f.read() == BLOB[-5:]
        f.seek(3)
        assert f.read(2) == BLOB[3:5]
        assert f.tell() == 5
        f.seek(len(BLOB) + 10)
        assert f.read(10) == b""


def test_put_file_and_local_copy(store, tmp_path):
    source = tmp_path / "movie.bin"
    source.write_bytes(BLOB)
    store.put_file("movies", "source-4", str(source))
    with store.local_copy("movies", "source-4") as path:
        with open(path, "rb") as f:
            assert f.read() == BLOB
    assert store.size("movies", "source-4") == len(BLOB)


def test_missing_objects(store):
    assert not store.exists("pictures", "original-missing")
    for read in (store.open, store.size, store.stat):
        with pytest.raises(NotFound):
            read("pictures", "original-missing")
    with pytest.raises(NotFound):
        with store.local_copy("pictures", "original-missing"):
            pass
    # Deleting what is not there is not an error, even in a bucket never written.
    store.delete("pictures", "original-missing")
    store.delete("never-written", "x")


def test_delete(store):
    store.put("pictures", "previews-5", b"x")
    store.delete("pictures", "previews-5")
    assert not store.exists("pictures", "previews-5")


def test_unsafe_names_are_refused(store):
    with pytest.raises(ValueError):
        store.put("../etc", "x", b"x")
    with pytest.raises(ValueError):
        store.open("pictures/..", "x")


def test_local_copy_of_s3_is_removed_after_use(app, use_s3):
    store = storage.backend()
    store.put("movies", "lowdef-6", b"abc")
    with store.local_copy("movies", "lowdef-6") as path:
        assert os.path.exists(path)
    assert not os.path.exists(path)


def test_s3_buckets_carry_the_prefix(app, use_s3):
    store = storage.backend()
    store.put("pictures", "tiles-7", b"abc")
    names = {b["Name"] for b in store.client.list_buckets()["Buckets"]}
    assert f"{use_s3}pictures" in names
    assert store.client.get_object(Bucket=f"{use_s3}pictures", Key="tiles-7")["Body"].read() \
        == b"abc"


def test_unknown_backend_is_a_clear_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "FS_BACKEND", "ftp")
    with app.app_context(), pytest.raises(RuntimeError, match="FS_BACKEND"):
        storage.backend()
