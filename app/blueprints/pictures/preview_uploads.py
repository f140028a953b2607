"""POST /pictures/preview-files/<id>: the file of a preview made by
add-preview (multipart field `file`). Rules in app/services/previews.py.

Movies weigh hundreds of megabytes, so the body is not handed to
werkzeug's form parser (which costs about as much again as receiving the
body): it is copied to a temporary file in large reads, and its parts
are found there by searching for the boundary with mmap, at memory speed.
"""
import mmap
import os
import tempfile

from flask import request
from werkzeug.http import parse_options_header

from app.api import Boolean, Resource, Schema, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import previews

READ_SIZE = 1 << 20


class SpooledPart:
    """One file of a multipart body spooled to disk, with what the preview
    service uses of an upload: filename, read(), save(path)."""

    def __init__(self, path, start, end, filename):
        self.path, self.start, self.end, self.filename = path, start, end, filename

    def read(self):
        with open(self.path, "rb") as source:
            source.seek(self.start)
            return source.read(self.end - self.start)

    def save(self, destination):
        with open(self.path, "rb") as source, open(destination, "wb") as target:
            offset, left = self.start, self.end - self.start
            while left > 0:
                copied = os.copy_file_range(source.fileno(), target.fileno(), left,
                                            offset_src=offset)
                if copied == 0:
                    break
                offset, left = offset + copied, left - copied


def _spool(path):
    with open(path, "wb") as out:
        while True:
            chunk = request.stream.read(READ_SIZE)
            if not chunk:
                return
            out.write(chunk)


def file_part(folder, field="file"):
    """The multipart body's part `field` as a SpooledPart under `folder`,
    or None when the body has no such file."""
    mimetype, options = parse_options_header(request.headers.get("Content-Type", ""))
    boundary = options.get("boundary")
    if mimetype != "multipart/form-data" or not boundary:
        return None
    path = os.path.join(folder, "body")
    _spool(path)
    if os.path.getsize(path) == 0:
        return None
    delimiter = b"--" + boundary.encode("latin-1")
    with open(path, "rb") as body, mmap.mmap(body.fileno(), 0, access=mmap.ACCESS_READ) as data:
        position = data.find(delimiter)
        while position != -1 and \
                data[position + len(delimiter):position + len(delimiter) + 2] != b"--":
            headers_end = data.find(b"\r\n\r\n", position)
            if headers_end == -1:
                return None
            start = headers_end + 4
            end = data.find(b"\r\n" + delimiter, start)
            if end == -1:
                return None
            disposition = next(
                (line.split(b":", 1)[1] for line in data[position:headers_end].split(b"\r\n")
                 if line.lower().startswith(b"content-disposition:")), b"")
            _, params = parse_options_header(disposition.decode("utf-8", "replace"))
            if params.get("name") == field and "filename" in params:
                return SpooledPart(path, start, end, params["filename"])
            position = end + 2
    return None


class PreviewFileUpload(Resource):
    @endpoint("Upload a preview's file, once (201, the preview file): a picture "
              "(png, jpg) becomes its PNG variants; a movie is normalized by a job "
              "(status processing until it is ready or broken); other files are kept "
              "as they are; an unknown extension deletes the preview (400)",
              query=Schema(normalize=Boolean(default=True, description=(
                  "false: keep the movie as uploaded")),
                  no_job=Boolean(default=False, description=(
                      "true: process the movie within the request"))),
              description="Multipart form with the file in field `file`.")
    def post(self, instance_id, query):
        with tempfile.TemporaryDirectory(prefix="atelier-body-") as folder:
            uploaded = file_part(folder)
            if uploaded is None:
                raise BadRequest("File not provided (multipart field 'file').")
            return previews.upload(current_actor(), instance_id, uploaded,
                                   normalize=query["normalize"], no_job=query["no_job"]), 201


def routes():
    return [("/pictures/preview-files/<instance_id>", PreviewFileUpload)]
