"""Playlist share links (behaviours.md row 19): what a project's managers
do with them. A link is an unguessable token (a uuid4: 122 random bits)
giving people without an account a review of one playlist; it may expire,
may need a password (kept as a bcrypt hash, never shown: the wire format
says `has_password`) and may let its guests comment. Revoking keeps the
row (is_active false) so the guests' comments keep their history.

What a link holder may then do is in app/services/shared_review.py.
"""
import datetime
import uuid

from flask import current_app
from sqlalchemy import select

from app.errors import BadRequest, NotFound
from app.extensions import db
from app.models.person import Person
from app.models.playlist import Playlist, PlaylistShareLink
from app.models.project import Project
from app.permissions import as_uuid, require_project_manager
from app.serialize import parse_datetime, serialize
from app.services import mailer, passwords


def wire(link):
    """A link as the API shows it: its columns but the password hash,
    and whether it has one."""
    out = serialize(link, exclude={"password"})
    out["has_password"] = bool(link.password)
    return out


def _managed_playlist(actor, playlist_id):
    """The playlist, once the actor manages its project (404 before 403:
    an unknown id says nothing about anyone's rights)."""
    playlist = db.session.get(Playlist, as_uuid(playlist_id, "playlist id"))
    if playlist is None:
        raise NotFound(f"No playlist has the id {playlist_id}.")
    require_project_manager(actor, playlist.project_id)
    return playlist


def _link_of(playlist, token):
    """The playlist's link of this token (a token of another playlist is
    unknown here, so a manager of one playlist cannot touch another's)."""
    link = db.session.scalar(select(PlaylistShareLink).where(
        PlaylistShareLink.token == str(token),
        PlaylistShareLink.playlist_id == playlist.id))
    if link is None:
        raise NotFound("This playlist has no such share link.")
    return link


def expiry(value):
    """When a link stops working: a bare date means the end of that day (a
    link "until the 10th" works on the 10th), a date and time is taken as
    given (naive UTC)."""
    if value in (None, ""):
        return None
    text = str(value)
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        try:
            return parse_datetime(text)
        except ValueError:
            raise BadRequest("Field 'expiration_date' must be an ISO 8601 date or date and time.")
    return datetime.datetime.combine(day, datetime.time.max)


def share_links(actor, playlist_id):
    """GET /data/playlists/<id>/share: the playlist's active links."""
    playlist = _managed_playlist(actor, playlist_id)
    rows = db.session.scalars(select(PlaylistShareLink).where(
        PlaylistShareLink.playlist_id == playlist.id, PlaylistShareLink.is_active.is_(True))
        .order_by(PlaylistShareLink.created_at, PlaylistShareLink.id))
    return [wire(link) for link in rows]


def create(actor, playlist_id, *, expiration_date=None, can_comment=True, password=None):
    """POST /data/playlists/<id>/share."""
    playlist = _managed_playlist(actor, playlist_id)
    link = PlaylistShareLink(
        id=uuid.uuid4(), token=str(uuid.uuid4()), playlist_id=playlist.id,
        created_by=actor.person.id, expiration_date=expiry(expiration_date),
        is_active=True, can_comment=bool(can_comment),
        password=passwords.hash_secret(password).decode("ascii") if password else None)
    db.session.add(link)
    db.session.commit()
    return wire(link)


def revoke(actor, playlist_id, token):
    """DELETE /data/playlists/<id>/share/<token>: the link stops working at
    once (every /shared request checks it); its guests and comments stay."""
    link = _link_of(_managed_playlist(actor, playlist_id), token)
    link.is_active = False
    db.session.commit()
    return wire(link)


def share_url(token):
    config = current_app.config
    return (f"{config.get('DOMAIN_PROTOCOL', 'http')}://{config.get('DOMAIN_NAME', 'localhost')}"
            f"/playlists/shared/{token}")


def invite(actor, playlist_id, token, *, emails=(), person_ids=(), message=None):
    """POST .../share/<token>/invite: mail the link to addresses and to
    persons (by id; those without an e-mail are skipped). Returns the
    addresses written to, each once. Nothing is stored."""
    playlist = _managed_playlist(actor, playlist_id)
    link = _link_of(playlist, token)
    if not link.is_active:
        raise NotFound("This share link was revoked.")
    recipients = {}
    for email in emails:
        recipients.setdefault(email.lower(), email)
    if person_ids:
        for email in db.session.scalars(select(Person.email).where(
                Person.id.in_([as_uuid(p, "person id") for p in person_ids]),
                Person.email.is_not(None), Person.email != "")):
            recipients[email.lower()] = email
    project_name = db.session.scalar(select(Project.name).where(Project.id == playlist.project_id))
    author = " ".join(p for p in (actor.person.first_name, actor.person.last_name) if p)
    subject = f"{author} invites you to review {playlist.name}"
    body = (f"{author} shares the playlist {playlist.name} of {project_name} with you "
            f"for review:\n\n{share_url(link.token)}\n")
    if message:
        body += f"\nTheir message:\n\n{message}\n"
    for email in recipients.values():
        mailer.send(email, subject, body)
    return {"sent": list(recipients.values())}
