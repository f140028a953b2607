"""Avatars of persons, the organisation's logo and productions' pictures: an
upload becomes a
400x400 PNG kept in the storage under pictures/thumbnails-<id>."""
import io
import logging
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from app import events
from app.errors import BadRequest, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.permissions import (require_admin, require_project_access, require_project_manager,
                             require_self_or_admin)
from app.services import crud, storage
from app.services.organisation import get_row as get_organisation_row

log = logging.getLogger(__name__)

BUCKET = "pictures"
SIZE = (400, 400)


@dataclass(frozen=True)
class Target:
    """Who owns the picture: its URL family and the event its change emits."""

    url_name: str
    event: str


def key_of(row_id):
    return f"thumbnails-{row_id}"


PERSONS = Target("persons", "person")
ORGANISATIONS = Target("organisations", "organisation")
PROJECTS = Target("projects", "project")


def to_png(stream):
    """The picture scaled to fit 400x400 (small ones are scaled up), centred
    on a transparent square, as PNG bytes."""
    try:
        image = Image.open(stream)
        image = ImageOps.exif_transpose(image).convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise BadRequest("The file is not a picture that can be read.")
    image = ImageOps.contain(image, SIZE, Image.Resampling.LANCZOS)
    square = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    square.paste(image, ((SIZE[0] - image.width) // 2, (SIZE[1] - image.height) // 2))
    out = io.BytesIO()
    square.save(out, "PNG")
    return out.getvalue()


def _store(target, row, stream):
    # The file is written before the row says it exists: a failed upload
    # never leaves has_avatar pointing at nothing.
    storage.backend().put(BUCKET, key_of(row.id), to_png(stream))
    row.has_avatar = True
    # A new picture is a new Last-Modified, even when has_avatar was set.
    row.updated_at = utc_now()
    events.emit(f"{target.event}:set-thumbnail", {f"{target.event}_id": row.id})
    db.session.commit()
    return {"thumbnail_path": f"pictures/thumbnails/{target.url_name}/{row.id}.png"}


def _organisation(organisation_id):
    row = get_organisation_row()
    if str(row.id) != str(organisation_id):
        raise NotFound(f"No Organisation has the id {organisation_id}.")
    return row


def set_person_avatar(actor, person_id, stream):
    row = crud.load(crud.collection("persons"), person_id)
    require_self_or_admin(actor, row.id)
    return _store(PERSONS, row, stream)


def set_organisation_logo(actor, organisation_id, stream):
    require_admin(actor)
    return _store(ORGANISATIONS, _organisation(organisation_id), stream)


def _project(project_id):
    return crud.load(crud.collection("projects"), project_id)


def set_project_thumbnail(actor, project_id, stream):
    """A production's picture: its managers (and admins) set it."""
    row = _project(project_id)
    require_project_manager(actor, row.id)
    return _store(PROJECTS, row, stream)


def _picture(row):
    """(binary file, last modified) of the stored picture, or 404."""
    if not row.has_avatar:
        raise NotFound("This picture does not exist.")
    return storage.backend().open(BUCKET, key_of(row.id)), row.updated_at


def person_avatar(person_id):
    """Any signed-in caller sees avatars: they sit beside every name."""
    return _picture(crud.load(crud.collection("persons"), person_id))


def organisation_logo(organisation_id):
    return _picture(_organisation(organisation_id))


def project_thumbnail(actor, project_id):
    """Seen by the production's team (and admins)."""
    row = _project(project_id)
    require_project_access(actor, row.id)
    return _picture(row)


def clear_person_avatar(actor, person_id):
    row = crud.load(crud.collection("persons"), person_id)
    require_self_or_admin(actor, row.id)
    row.has_avatar = False
    events.emit("person:update", {"person_id": row.id})
    db.session.commit()
    # Removed once the change is committed; a leftover file is harmless
    # (has_avatar is false), a missing one behind has_avatar would not be.
    try:
        storage.backend().delete(BUCKET, key_of(row.id))
    except OSError:
        log.warning("The avatar file of person %s could not be removed.", row.id,
                    exc_info=True)
