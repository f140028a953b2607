"""Files attached to comments, replies and chat messages.

Each is an attachment_file row and a stored file (storage bucket "files",
`attachments-<id>`), plus a 150 px PNG thumbnail (bucket "pictures",
`thumbnails-<id>`) when it is a picture. Files are written before their
row commits and removed again if the transaction rolls back; the files of
deleted rows go once the deletion has committed. Either way no row points
at a missing file.
"""
import io
import mimetypes
import os
import uuid

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import delete

from app.extensions import db
from app.models.files import AttachmentFile
from app.services import storage

FILES, PICTURES = "files", "pictures"
THUMBNAIL = (150, 150)
PICTURE_TYPES = ("image/png", "image/jpeg", "image/jpg")


def file_key(attachment_id):
    return f"attachments-{attachment_id}"


def thumbnail_key(attachment_id):
    return f"thumbnails-{attachment_id}"


def _thumbnail(data):
    """A PNG of the picture within 150x150, or None when it is no picture."""
    try:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return None
    image.thumbnail(THUMBNAIL)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def store(uploads, *, comment_id=None, chat_message_id=None, reply_id=None):
    """Attachment rows (flushed) and stored files for uploaded files
    (werkzeug FileStorage) of a comment, a reply or a chat message."""
    rows = []
    for upload in uploads:
        data = upload.read()
        name = os.path.basename(upload.filename or "") or "attachment"
        mimetype = upload.mimetype or mimetypes.guess_type(name)[0] \
            or "application/octet-stream"
        row = AttachmentFile(id=uuid.uuid4(), name=name[:250], size=len(data),
                             extension=os.path.splitext(name)[1].lstrip(".").lower()[:6],
                             mimetype=mimetype, comment_id=comment_id, reply_id=reply_id,
                             chat_message_id=chat_message_id)
        db.session.add(row)
        storage.put_in_transaction(FILES, file_key(row.id), data)
        if mimetype in PICTURE_TYPES:
            picture = _thumbnail(data)
            if picture is not None:
                storage.put_in_transaction(PICTURES, thumbnail_key(row.id), picture)
        rows.append(row)
    db.session.flush()
    return rows


def remove(*criteria):
    """Delete the attachment rows matching `criteria`; their files go once
    the transaction commits. Returns the ids."""
    ids = db.session.scalars(delete(AttachmentFile).where(*criteria)
                             .returning(AttachmentFile.id)).all()
    forget_files(ids)
    return ids


def forget_files(ids):
    """The files of these attachments go once the transaction commits."""
    storage.delete_on_commit(
        key for i in ids for key in ((FILES, file_key(i)), (PICTURES, thumbnail_key(i))))


def open_file(row):
    return storage.backend().open(FILES, file_key(row.id))
