"""Files of preview backgrounds: the HDR environment maps the 3D viewer
lights models with. The row is made through /data/preview-background-files;
its file comes by POST /pictures/preview-background-files/<id> (admins),
stored under pictures/preview-backgrounds-<id>, with a 150x100 PNG
thumbnail under pictures/thumbnails-<id>. Everyone signed in reads both.

Neither Pillow nor a stock ffmpeg reads Radiance HDR, so the thumbnail
comes from a small RGBE decoder below: it walks every scanline (run-length
coded ones run by run, not byte by byte) and converts only the pixels the
thumbnail samples.
"""
import io
import re

from PIL import Image

from app import events
from app.errors import BadRequest, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.settings import PreviewBackgroundFile
from app.permissions import as_uuid, require_admin
from app.services import crud, media, storage

BUCKET = "pictures"
EXTENSIONS = ("hdr",)
THUMBNAIL = (150, 100)
MIMETYPES = {"hdr": "image/vnd.radiance"}


def file_key(row_id):
    return f"preview-backgrounds-{row_id}"


def thumbnail_key(row_id):
    return f"thumbnails-{row_id}"


class Hooks(crud.Hooks):
    """A deleted background's file and thumbnail go with its row."""

    def after_delete(self, actor, row):
        storage.delete_on_commit([(BUCKET, file_key(row.id)), (BUCKET, thumbnail_key(row.id))])


def load(background_id):
    row = db.session.get(PreviewBackgroundFile, as_uuid(background_id,
                                                        "preview background file id"))
    if row is None:
        raise NotFound(f"No preview background file has the id {background_id}.")
    return row


def upload(actor, background_id, upload_name, data):
    """Store the background's file and its thumbnail (admins). A wrong
    file is refused with 400; like Zou, a row that never had a file is
    then removed (the web app made it for this upload), while a row that
    has one keeps it."""
    require_admin(actor)
    row = load(background_id)
    stem, _, extension = (upload_name or "").rpartition(".")
    extension = extension.lower()
    try:
        if extension not in EXTENSIONS:
            raise BadRequest(f"Wrong file format, extension: {extension or 'none'} "
                             f"(expected: {', '.join(EXTENSIONS)}).")
        thumbnail = hdr_thumbnail(data)
    except BadRequest:
        if row.extension is None:
            db.session.delete(row)
            db.session.commit()
        raise
    store = storage.backend()
    store.put(BUCKET, file_key(row.id), data)
    store.put(BUCKET, thumbnail_key(row.id), thumbnail)
    row.extension = extension
    row.original_name = stem or None
    row.file_size = len(data)
    row.updated_at = utc_now()
    events.emit("preview-background-file:update", {"preview_background_file_id": row.id})
    events.emit("preview-background-file:add-file",
                {"preview_background_file_id": row.id, "extension": extension})
    db.session.commit()
    return crud.serialize(crud.collection("preview-background-files"), actor, row)


def send_file(background_id, extension):
    """The background's file (anyone signed in), named as uploaded."""
    row = load(background_id)
    extension = extension.lower()
    if row.extension is None or row.extension.lower() != extension:
        raise NotFound(f"This preview background has no .{extension} file.")
    return media.send(BUCKET, file_key(row.id),
                      mimetype=MIMETYPES.get(extension, "application/octet-stream"),
                      download_name=f"{row.original_name or row.name}.{extension}",
                      last_modified=row.updated_at)


def send_thumbnail(background_id):
    row = load(background_id)
    if row.extension is None:
        raise NotFound("This preview background has no file yet.")
    return media.send(BUCKET, thumbnail_key(row.id), mimetype="image/png",
                      last_modified=row.updated_at)


# Radiance HDR ---------------------------------------------------------------------------

_SIZE = re.compile(rb"^-Y (\d+) \+X (\d+)$")


def _header(data):
    """(width, height, offset of the pixels), or BadRequest."""
    if not (data.startswith(b"#?RADIANCE") or data.startswith(b"#?RGBE")):
        raise BadRequest("The file is not a Radiance HDR picture.")
    end = data.find(b"\n\n")
    if end < 0:
        raise BadRequest("The HDR picture has no end of header.")
    line_end = data.find(b"\n", end + 2)
    match = _SIZE.match(data[end + 2:line_end].strip()) if line_end > 0 else None
    if match is None:
        raise BadRequest("The HDR picture's size line is not '-Y <height> +X <width>'.")
    height, width = int(match.group(1)), int(match.group(2))
    if not (0 < width <= 65535 and 0 < height <= 65535):
        raise BadRequest("The HDR picture's size is out of range.")
    return width, height, line_end + 1


def _scanline(data, offset, width):
    """(the 4 channel planes of one scanline, offset after it)."""
    if 8 <= width < 32768 and data[offset:offset + 2] == b"\x02\x02" \
            and (data[offset + 2] << 8 | data[offset + 3]) == width:
        offset += 4
        planes = []
        for _ in range(4):
            plane = bytearray()
            while len(plane) < width:
                if offset >= len(data):
                    raise BadRequest("The HDR picture is cut short.")
                count = data[offset]
                if count > 128:
                    plane += bytes([data[offset + 1]]) * (count - 128)
                    offset += 2
                elif count:
                    plane += data[offset + 1:offset + 1 + count]
                    offset += 1 + count
                else:
                    raise BadRequest("The HDR picture has a corrupt scanline.")
            if len(plane) != width:
                raise BadRequest("The HDR picture has a corrupt scanline.")
            planes.append(plane)
        return planes, offset
    # Flat RGBE pixels.
    end = offset + 4 * width
    if end > len(data):
        raise BadRequest("The HDR picture is cut short.")
    flat = data[offset:end]
    return [flat[c::4] for c in range(4)], end


def _to_byte(mantissa, exponent):
    if exponent == 0:
        return 0
    linear = mantissa * 2.0 ** (exponent - 136)
    # A plain gamma: enough to tell one environment from another.
    return min(255, int(255 * min(linear, 1.0) ** (1 / 2.2) + 0.5))


def hdr_thumbnail(data):
    """PNG bytes of a 150x100 (at most, ratio kept) view of an HDR picture."""
    width, height, offset = _header(data)
    scale = min(THUMBNAIL[0] / width, THUMBNAIL[1] / height, 1.0)
    out_w, out_h = max(1, round(width * scale)), max(1, round(height * scale))
    wanted = {min(height - 1, int((y + 0.5) * height / out_h)): y for y in range(out_h)}
    columns = [min(width - 1, int((x + 0.5) * width / out_w)) for x in range(out_w)]
    image = Image.new("RGB", (out_w, out_h))
    pixels = image.load()
    for row in range(height):
        planes, offset = _scanline(data, offset, width)
        if row in wanted:
            r, g, b, e = planes
            for x, column in enumerate(columns):
                exponent = e[column]
                pixels[x, wanted[row]] = (_to_byte(r[column], exponent),
                                          _to_byte(g[column], exponent),
                                          _to_byte(b[column], exponent))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
