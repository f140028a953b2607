"""File storage by bucket and name: put, open, exists, delete.

Callers never build paths: they name a bucket ("pictures", "movies",
"files") and an object ("thumbnails-<id>"), so the local folder and an
object store are interchangeable. FS_BACKEND picks one: "local" (default)
keeps everything under FILES_DIR; "s3" talks to any S3 server (AWS, MinIO,
Ceph...) with Zou's settings FS_S3_ENDPOINT, FS_S3_REGION,
FS_S3_ACCESS_KEY, FS_S3_SECRET_KEY, and FS_BUCKET_PREFIX before each
bucket name (buckets are created when missing).
"""
import contextlib
import datetime
import hashlib
import io
import logging
import os
import re
import shutil
import tempfile
import threading

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.errors import NotFound

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class LocalStorage:
    def __init__(self, root):
        self.root = root

    def _path(self, bucket, name):
        # Names come from ids, but a path must never escape the root.
        for part in (bucket, name):
            if not _SAFE.match(part):
                raise ValueError(f"Unsafe storage name: {part!r}")
        # Two levels of hashed folders keep directories small when a
        # production holds hundreds of thousands of pictures.
        digest = hashlib.sha1(name.encode()).hexdigest()
        return os.path.join(self.root, bucket, digest[:2], digest[2:4], name)

    def put(self, bucket, name, data):
        """Write `data` (bytes) atomically: readers see the old or the new
        object, never a half-written one."""
        path = self._path(bucket, name)
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    def put_file(self, bucket, name, source_path):
        """Store the file at `source_path` (big movies never go through
        memory), atomically like put()."""
        path = self._path(bucket, name)
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        os.close(fd)
        try:
            shutil.copyfile(source_path, tmp)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def local_copy(self, bucket, name):
        """A path on this machine holding the object, for tools such as
        ffmpeg that read files; valid inside the `with` block only."""
        path = self._path(bucket, name)
        if not os.path.isfile(path):
            raise _missing(bucket, name)
        yield path

    def size(self, bucket, name):
        return self.stat(bucket, name)[0]

    def stat(self, bucket, name):
        """(size in bytes, last modified as naive UTC datetime), or NotFound."""
        try:
            info = os.stat(self._path(bucket, name))
        except FileNotFoundError:
            raise _missing(bucket, name)
        return info.st_size, _utc(info.st_mtime)

    def open(self, bucket, name):
        """A binary file object, or NotFound."""
        try:
            return open(self._path(bucket, name), "rb")
        except FileNotFoundError:
            raise _missing(bucket, name)

    def exists(self, bucket, name):
        return os.path.isfile(self._path(bucket, name))

    def delete(self, bucket, name):
        """Remove the object; a missing one is not an error."""
        try:
            os.remove(self._path(bucket, name))
        except FileNotFoundError:
            pass


def _missing(bucket, name):
    return NotFound(f"The file {bucket}/{name} is missing from the storage.")


def _utc(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).replace(
        tzinfo=None, microsecond=0)


class _S3Reader(io.RawIOBase):
    """A seekable read-only view of one S3 object. A read opens one
    streaming GET from the current position to the end and keeps reading
    it; a seek elsewhere drops it. Serving an HTTP range (seek, then
    sequential reads) thus costs one S3 request, whatever the object size."""

    def __init__(self, client, bucket, key, size):
        super().__init__()
        self._client = client
        self._bucket = bucket
        self._key = key
        self._size = size
        self._position = 0
        self._body = None

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        position = max(0, base + offset)
        if position != self._position:
            self._drop()
            self._position = position
        return position

    def readinto(self, buffer):
        if self._position >= self._size or not len(buffer):
            return 0
        if self._body is None:
            self._body = self._client.get_object(
                Bucket=self._bucket, Key=self._key,
                Range=f"bytes={self._position}-")["Body"]
        data = self._body.read(len(buffer))
        buffer[:len(data)] = data
        self._position += len(data)
        return len(data)

    def _drop(self):
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self):
        self._drop()
        super().close()


class S3Storage:
    """The same interface on an S3 server; a bucket here is
    FS_BUCKET_PREFIX + the bucket name given by the caller."""

    def __init__(self, client, prefix=""):
        self.client = client
        self.prefix = prefix
        self._ready = set()
        self._lock = threading.Lock()

    def _bucket(self, bucket):
        if not _SAFE.match(bucket):
            raise ValueError(f"Unsafe storage name: {bucket!r}")
        return f"{self.prefix}{bucket}"

    def _writable_bucket(self, bucket):
        """The bucket's real name, created on the first write to it."""
        real = self._bucket(bucket)
        if real not in self._ready:
            with self._lock:
                if real not in self._ready:
                    self._create(real)
                    self._ready.add(real)
        return real

    def _create(self, real):
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=real)
        except ClientError as error:
            if _status(error) != 404:
                raise
            try:
                region = self.client.meta.region_name
                options = ({} if region in (None, "us-east-1") else
                           {"CreateBucketConfiguration": {"LocationConstraint": region}})
                self.client.create_bucket(Bucket=real, **options)
            except ClientError as race:
                # Another process created it between the two calls.
                if race.response.get("Error", {}).get("Code") not in (
                        "BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise

    def put(self, bucket, name, data):
        # An S3 PUT is atomic: readers see the old or the new object.
        self.client.put_object(Bucket=self._writable_bucket(bucket), Key=name, Body=data)

    def put_file(self, bucket, name, source_path):
        # Multipart for big files, streamed from the disk.
        self.client.upload_file(source_path, self._writable_bucket(bucket), name)

    def _head(self, bucket, name):
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self._bucket(bucket), Key=name)
        except ClientError as error:
            if _status(error) == 404:
                raise _missing(bucket, name)
            raise

    def stat(self, bucket, name):
        head = self._head(bucket, name)
        modified = head["LastModified"].astimezone(datetime.timezone.utc)
        return head["ContentLength"], modified.replace(tzinfo=None, microsecond=0)

    def size(self, bucket, name):
        return self.stat(bucket, name)[0]

    def exists(self, bucket, name):
        try:
            self._head(bucket, name)
        except NotFound:
            return False
        return True

    def open(self, bucket, name):
        """A seekable binary file reading the object by ranges."""
        size = self.size(bucket, name)
        return io.BufferedReader(_S3Reader(self.client, self._bucket(bucket), name, size),
                                 buffer_size=256 * 1024)

    @contextlib.contextmanager
    def local_copy(self, bucket, name):
        self._head(bucket, name)
        fd, path = tempfile.mkstemp(prefix="atelier-s3-")
        os.close(fd)
        try:
            self.client.download_file(self._bucket(bucket), name, path)
            yield path
        finally:
            os.unlink(path)

    def delete(self, bucket, name):
        from botocore.exceptions import ClientError

        try:
            self.client.delete_object(Bucket=self._bucket(bucket), Key=name)
        except ClientError as error:
            # No bucket yet: nothing was ever stored in it.
            if _status(error) != 404:
                raise


def _status(error):
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")


def _s3_backend(config):
    import boto3
    from botocore.config import Config as BotoConfig

    client = boto3.client(
        "s3",
        endpoint_url=config.get("FS_S3_ENDPOINT") or None,
        region_name=config.get("FS_S3_REGION") or None,
        aws_access_key_id=config.get("FS_S3_ACCESS_KEY") or None,
        aws_secret_access_key=config.get("FS_S3_SECRET_KEY") or None,
        config=BotoConfig(max_pool_connections=32, retries={"mode": "standard"}),
    )
    return S3Storage(client, config.get("FS_BUCKET_PREFIX") or "")


def backend():
    config = current_app.config
    kind = config.get("FS_BACKEND", "local")
    if kind == "local":
        return LocalStorage(config["FILES_DIR"])
    if kind != "s3":
        raise RuntimeError(f"Unknown FS_BACKEND {kind!r}: use 'local' or 's3'.")
    # One client per app and settings: it holds the connection pool, and
    # creating one costs milliseconds. The settings are part of the key so
    # a changed configuration (tests) gets a client of its own.
    settings = tuple(config.get(k) for k in (
        "FS_S3_ENDPOINT", "FS_S3_REGION", "FS_S3_ACCESS_KEY", "FS_S3_SECRET_KEY",
        "FS_BUCKET_PREFIX"))
    cache = current_app.extensions.setdefault("s3_storage", {})
    if settings not in cache:
        cache[settings] = _s3_backend(config)
    return cache[settings]


# Files follow the transaction of the rows that name them: an object stored
# during a transaction is removed again if it rolls back, and the objects of
# rows it deletes go once it has committed. No row ever points at a missing
# file, and no rolled-back upload stays behind.

_WRITTEN = "storage_written"
_STALE = "storage_stale"


def put_in_transaction(bucket, name, data=None, path=None):
    """put (bytes) or put_file (a path), undone if the transaction rolls back."""
    from app.extensions import db

    db.session.info.setdefault(_WRITTEN, []).append((bucket, name))
    if path is None:
        backend().put(bucket, name, data)
    else:
        backend().put_file(bucket, name, path)


def delete_on_commit(keys):
    """Delete these (bucket, name) objects once the transaction commits."""
    from app.extensions import db

    db.session.info.setdefault(_STALE, []).extend(keys)


def _delete_all(keys):
    store = backend()
    for bucket, name in keys:
        try:
            store.delete(bucket, name)
        except OSError:
            # A leftover file is harmless (nothing names it any more).
            logging.getLogger(__name__).warning("Could not delete %s/%s", bucket, name,
                                                exc_info=True)


@sa_event.listens_for(Session, "after_commit")
def _committed(session):
    session.info.pop(_WRITTEN, None)
    stale = session.info.pop(_STALE, None)
    if stale:
        _delete_all(stale)


@sa_event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session, previous_transaction):
    session.info.pop(_STALE, None)
    written = session.info.pop(_WRITTEN, None)
    if written:
        _delete_all(written)
