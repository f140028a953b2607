"""File storage by bucket and name: put, open, exists, delete.

Callers never build paths: they name a bucket ("pictures", "movies",
"files") and an object ("thumbnails-<id>"), so an object-store backend
(S3, Swift) can replace the local folder without touching them. The local
backend keeps everything under FILES_DIR.
"""
import contextlib
import hashlib
import os
import re
import shutil
import tempfile

from flask import current_app

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
            raise NotFound(f"The file {bucket}/{name} is missing from the storage.")
        yield path

    def size(self, bucket, name):
        try:
            return os.path.getsize(self._path(bucket, name))
        except FileNotFoundError:
            raise NotFound(f"The file {bucket}/{name} is missing from the storage.")

    def open(self, bucket, name):
        """A binary file object, or NotFound."""
        try:
            return open(self._path(bucket, name), "rb")
        except FileNotFoundError:
            raise NotFound(f"The file {bucket}/{name} is missing from the storage.")

    def exists(self, bucket, name):
        return os.path.isfile(self._path(bucket, name))

    def delete(self, bucket, name):
        """Remove the object; a missing one is not an error."""
        try:
            os.remove(self._path(bucket, name))
        except FileNotFoundError:
            pass


def backend():
    return LocalStorage(current_app.config["FILES_DIR"])
