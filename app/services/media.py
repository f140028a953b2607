"""Sending a stored object over HTTP, the way browsers and movie players
expect: validators (ETag, Last-Modified) answered with 304, one byte range
answered with 206 (416 when it lies past the end), private caching (the
bytes are behind a login or a share token: no shared proxy may keep them).

The body is read from the storage only when it is sent, by seeking to the
range's start: a player jumping to the end of a long movie costs one seek
(one ranged GET on S3), not a read of everything before it.
"""
import datetime
import hashlib
import unicodedata
from urllib.parse import quote

from flask import Response, current_app, request
from werkzeug.http import http_date, is_resource_modified

from app.services import storage

CHUNK = 256 * 1024
DEFAULT_MAX_AGE = 7 * 24 * 3600


def send(bucket, key, *, mimetype, download_name=None, last_modified=None):
    """The response for the object `key` of `bucket` (NotFound when it is
    missing). `last_modified` (naive UTC), when later than the object's own
    date, stands for it: a row changed after its file counts as changed."""
    store = storage.backend()
    size, modified = store.stat(bucket, key)
    if last_modified is not None and last_modified.replace(microsecond=0) > modified:
        modified = last_modified.replace(microsecond=0)
    modified = modified.replace(tzinfo=datetime.timezone.utc)
    etag = hashlib.sha1(f"{bucket}/{key}/{size}/{modified.isoformat()}".encode()).hexdigest()

    response = Response(mimetype=mimetype, direct_passthrough=True)
    response.set_etag(etag)
    response.last_modified = modified
    response.accept_ranges = "bytes"
    response.cache_control.private = True
    response.cache_control.max_age = current_app.config.get("CLIENT_CACHE_MAX_AGE",
                                                            DEFAULT_MAX_AGE)
    if download_name:
        attachment(response, download_name)

    if not is_resource_modified(request.environ, etag=etag, last_modified=modified):
        response.status_code = 304
        return response

    start, stop = 0, size
    wanted = _single_range(etag, modified)
    if wanted is not None:
        bounds = wanted.range_for_length(size)
        if bounds is None:
            response.status_code = 416
            response.headers["Content-Range"] = f"bytes */{size}"
            response.content_length = 0
            return response
        start, stop = bounds
        response.status_code = 206
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    response.content_length = stop - start
    response.response = _body(store, bucket, key, start, stop)
    return response


def _single_range(etag, modified):
    """The request's byte range when it asks for exactly one and its
    If-Range (if any) still matches; None means "the whole object"
    (several ranges at once are answered whole, which HTTP allows)."""
    wanted = request.range
    if wanted is None or wanted.units != "bytes" or len(wanted.ranges) != 1:
        return None
    condition = request.if_range
    if condition.etag is not None and condition.etag != etag:
        return None
    if condition.date is not None and condition.date != modified:
        return None
    return wanted


def _body(store, bucket, key, start, stop):
    # Opened when the server starts sending, and closed when it stops
    # (the server closes the iterator, also on a dropped connection).
    with store.open(bucket, key) as stream:
        if start:
            stream.seek(start)
        left = stop - start
        while left > 0:
            data = stream.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data


def attachment(response, name):
    """Content-Disposition: attachment, with an ASCII fallback name for
    clients that do not read RFC 5987's filename*."""
    try:
        name.encode("ascii")
        response.headers.set("Content-Disposition", "attachment", filename=name)
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        response.headers.set("Content-Disposition", "attachment", filename=simple,
                             **{"filename*": "UTF-8''" + quote(name, safe="")})


def no_store(response):
    """Mark a response that must never be cached (an answer about a file
    still being built)."""
    response.cache_control.no_store = True
    response.headers["Expires"] = http_date(0)
    return response
