"""Preview accounts: one sign-in per production that a manager hands to
someone outside the studio (a director, a client's reviewer) for a review
session. It is a client of that production only, and it works only while
its access window is open: opened for an hour (opening again extends it),
closed by hand, and closed by a password reset.

Its password is random (16 URL-safe bytes), shown once in the answer to
the POST that makes or resets it, and stored only as a bcrypt hash; it
cannot be read back. Sessions die with the window: the sign-in check
refuses a closed account, and a token issued before the window was last
opened is refused even while it is open again (see `check_session`).

Like Zou, the accounts need the local password strategy.
"""
import datetime
import secrets

from flask import current_app
from sqlalchemy import select

from app import events
from app.errors import BadRequest, NotFound, Unauthorized
from app.extensions import db
from app.models.base import utc_now
from app.models.person import Person
from app.models.project import ProjectPersonLink
from app.permissions import require_project_manager
from app.services import crud, passwords

OPEN_FOR = datetime.timedelta(hours=1)
EMAIL_DOMAIN = "preview.kitsu.invalid"


def _project(actor, project_id):
    project = crud.load(crud.collection("projects"), project_id)
    require_project_manager(actor, project.id)
    return project


def _account(project_id):
    return db.session.scalar(select(Person).where(Person.preview_project_id == project_id))


def _json(person):
    if person is None:
        return None
    until = person.preview_open_until
    return {"id": person.id, "email": person.email, "full_name":
            f"{person.first_name} {person.last_name}".strip(),
            "preview_open_until": until.isoformat() if until else None}


def get(actor, project_id):
    """The project's preview account, or None (its managers)."""
    return _json(_account(_project(actor, project_id).id))


def create_or_reset(actor, project_id):
    """Make the account, or give it a new password; either way the window
    is closed. Returns the account with its password in clear, once."""
    if current_app.config.get("AUTH_STRATEGY", "auth_local_classic") != "auth_local_classic":
        raise BadRequest("Preview accounts need the local authentication strategy.")
    project = _project(actor, project_id)
    password = secrets.token_urlsafe(16)
    person = _account(project.id)
    if person is None:
        person = Person(email=f"preview-{secrets.token_hex(6)}@{EMAIL_DOMAIN}",
                        first_name="Preview", last_name=project.name[:80], role="client",
                        active=True, is_bot=False, is_guest=False,
                        preview_project_id=project.id)
        db.session.add(person)
        db.session.flush()
        db.session.add(ProjectPersonLink(project_id=project.id, person_id=person.id))
    person.password = passwords.hash_secret(password)
    person.preview_opened_at = None
    person.preview_open_until = None
    events.emit("person:update", {"person_id": person.id}, project_id=project.id)
    db.session.commit()
    return {**_json(person), "password": password}


def set_open(actor, project_id, is_open):
    """Open the window for an hour from now (extending an open one keeps its
    start, so sessions made in it live on), or close it."""
    project = _project(actor, project_id)
    person = _account(project.id)
    if person is None:
        raise NotFound("This project has no preview account.")
    now = utc_now()
    if is_open:
        if person.preview_open_until is None or person.preview_open_until < now:
            person.preview_opened_at = now
        person.preview_open_until = now + OPEN_FOR
    else:
        person.preview_opened_at = None
        person.preview_open_until = None
    events.emit("person:update", {"person_id": person.id}, project_id=project.id)
    db.session.commit()
    return _json(person)


def delete(actor, project_id):
    """Remove the account and what it wrote (comments, notifications...).
    (A deleted project disables its account instead: app/services/projects.py.)"""
    project = _project(actor, project_id)
    person = _account(project.id)
    if person is None:
        return
    crud.collection("persons").hooks.before_delete(actor, person, True)
    db.session.delete(person)
    events.emit("person:delete", {"person_id": person.id})
    db.session.commit()


def check_session(person, issued_at=None):
    """Refuse a preview account outside its window (at sign-in, with no
    `issued_at`), and a token issued (JWT `iat`, seconds) before the
    window last opened."""
    if person.preview_project_id is None:
        return
    now = utc_now()
    until, opened = person.preview_open_until, person.preview_opened_at
    if until is None or until < now:
        raise Unauthorized("This preview access is closed.", unactive=True)
    if issued_at is not None and opened is not None and issued_at < int(
            opened.replace(tzinfo=datetime.timezone.utc).timestamp()):
        raise Unauthorized("This preview session belongs to an earlier opening.")
