"""Guest review through a playlist share link (behaviours.md row 19): the
/shared/playlists/<token>/* routes, reached by anybody holding the token,
without a JWT. Everything here assumes a hostile caller.

Every request opens the link again (`open_link`): the token must name an
active link that has not expired, and a link with a password needs a proof
of it, either `?password=` (bcrypt, a few wrong guesses per minute at most)
or a share session. A share session is a value signed with the server's
key (`{link id, guest id}`) that the server hands out when the password
was right or a guest was created; the browser keeps it in an HttpOnly
cookie named after the token, scripts send it as `X-Guest-Token`.

Guests are real persons (`is_guest`, role client, bound to their link by
`data.share_link_id`, outside the user limit). Zou names the guest acting
by the `guest_id` of the request body; that id is public (it is the author
of every guest comment), so here it is only checked against the guest of
the share session, which alone says who acts. A guest has no password and
no JWT (app/auth.py refuses guests anyway): nothing outside /shared.

What a link shows: the preview positioned on each entry of the playlist
(and the other positions of that same revision), nothing else, as Zou
1.0.97 does; the comments of those previews' tasks that were shared with
clients or written by guests; the avatars of their authors; the files
attached to them. Anything else is 404, whether it exists or not.
"""
import hashlib
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, or_, select

from app import events
from app.auth import Actor
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.kv import kv
from app.models.base import utc_now
from app.models.comment import Comment
from app.models.entity import Entity
from app.models.files import AttachmentFile, PreviewFile
from app.models.person import Person
from app.models.playlist import Playlist, PlaylistShareLink
from app.models.project import Project, ProjectTaskStatusLink, ProjectTaskTypeLink
from app.models.settings import EntityType, TaskStatus, TaskType
from app.models.task import Task
from app.serialize import serialize_person
from app.services import (
    annotations, attachments, comment_actions, comment_views, comments, crud, passwords, tasks,
)

GONE = "This share link does not exist, has expired, or needs its password."
NOT_SHARED = "This link shares no such thing."
# Entity types whose parent is a record (a sequence, an episode); other
# entities (assets) show their type as their "parent".
SHOT_LIKE = frozenset({"Shot", "Sequence", "Episode", "Edit", "Concept"})
COOKIE_PREFIX = "atelier_share_"


@dataclass
class Visit:
    """One request through a link: the link, its playlist, the share
    session it proved (claims, or None) and a new session to hand out."""

    link: PlaylistShareLink
    playlist: Playlist
    claims: dict | None = None
    new_session: str | None = None
    _positioned: dict | None = field(default=None, repr=False)


# Opening a link ------------------------------------------------------------------------

def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"],
                                  salt="atelier.share-session")


def _session_days():
    return int(current_app.config.get("SHARE_SESSION_DAYS", 30))


def cookie_name(token):
    """The share session cookie of a token: one per link, so a browser can
    hold several links at once, without the token in clear."""
    return COOKIE_PREFIX + hashlib.sha256(str(token).encode()).hexdigest()[:24]


def session_max_age(visit):
    """Seconds the session cookie lives: until the link expires, at most
    SHARE_SESSION_DAYS (30, after which the server refuses it too)."""
    seconds = _session_days() * 86400
    if visit.link.expiration_date is not None:
        left = (visit.link.expiration_date - utc_now()).total_seconds()
        seconds = min(seconds, int(left) + 1)
    return max(seconds, 1)


def _session_for(link, guest_id=None):
    return _serializer().dumps({"l": str(link.id), "g": str(guest_id) if guest_id else None})


def _claims(link, session):
    """The session's claims when it is a valid one of this link."""
    if not session:
        return None
    try:
        claims = _serializer().loads(session, max_age=_session_days() * 86400)
    except BadSignature:  # SignatureExpired included
        return None
    if not isinstance(claims, dict) or claims.get("l") != str(link.id):
        return None
    return claims


def _failures_key(link):
    return f"share-password-failures:{link.id}"


def _password_ok(link, password):
    """bcrypt's check (constant time), refused without checking once the
    link saw SHARE_PASSWORD_MAX_FAILURES (10) wrong ones in a minute."""
    key = _failures_key(link)
    limit = int(current_app.config.get("SHARE_PASSWORD_MAX_FAILURES", 10))
    if int(kv.get(key) or 0) >= limit:
        return False
    if passwords.check_password(password, link.password.encode("ascii")):
        return True
    pipe = kv.client.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60)
    pipe.execute()
    return False


def open_link(token, password=None, sessions=()):
    """The visit of a valid link, or 404 with one message for every
    failure: unknown, revoked, expired, wrong or missing password.
    `sessions`: the share sessions the request carries, the first valid
    one counts."""
    token = str(token)
    link = db.session.scalar(select(PlaylistShareLink).where(
        PlaylistShareLink.token == token)) if len(token) <= 64 else None
    if link is None or not link.is_active:
        raise NotFound(GONE)
    if link.expiration_date is not None and utc_now() > link.expiration_date:
        raise NotFound(GONE)
    playlist = db.session.get(Playlist, link.playlist_id)
    if playlist is None:
        raise NotFound(GONE)
    claims = (_claims(link, session) for session in sessions)
    visit = Visit(link, playlist, claims=next((c for c in claims if c is not None), None))
    if link.password and visit.claims is None:
        if not password or not _password_ok(link, password):
            raise NotFound(GONE)
        visit.claims = {"l": str(link.id), "g": None}
        visit.new_session = _session_for(link)
    return visit


def _viewer(guest=None):
    """Who reads through the generic serializers: the guest, or an unsaved
    client nobody (they only pick visible columns with it)."""
    person = guest if guest is not None else Person(id=uuid.UUID(int=0), role="client",
                                                     is_bot=False, is_guest=True)
    return Actor(person, ())


# Guests --------------------------------------------------------------------------------

def _guest_row(visit, guest_id):
    person = db.session.get(Person, guest_id) if guest_id else None
    if (person is None or not person.is_guest or not person.active
            or (person.data or {}).get("share_link_id") != str(visit.link.id)):
        return None
    return person


def guest_json(visit, person):
    out = serialize_person(person)
    out["guest_token"] = _session_for(visit.link, person.id)
    return out


def acting_guest(visit, guest_id=None):
    """The guest the share session names (403 without one); a `guest_id`
    sent along must be that guest."""
    guest = _guest_row(visit, (visit.claims or {}).get("g"))
    if guest is None:
        raise Forbidden("Join the review as a guest of this link first.")
    if guest_id is not None and str(guest_id) != str(guest.id):
        raise Forbidden("This guest is not the one of your share session.")
    return guest


def join(visit, first_name=None, last_name=None, guest_id=None):
    """POST .../guest: the guest of the share session when it names one
    (and `guest_id`, if sent, is that guest): (guest, False); a new guest
    otherwise: (guest, True). A name never finds an existing guest: anyone
    holding the link could otherwise take over a reviewer's identity."""
    current = _guest_row(visit, (visit.claims or {}).get("g"))
    if current is not None and (guest_id is None or str(guest_id) == str(current.id)):
        visit.new_session = _session_for(visit.link, current.id)
        return guest_json(visit, current), False
    count = db.session.scalar(select(func.count()).select_from(Person).where(
        Person.is_guest.is_(True), Person.data["share_link_id"].astext == str(visit.link.id)))
    if count >= int(current_app.config.get("SHARE_LINK_MAX_GUESTS", 200)):
        raise BadRequest("This share link has reached its number of guests.")
    first_name = (first_name or "").strip()[:80] or "Guest"
    guest = Person(id=uuid.uuid4(), first_name=first_name,
                   last_name=(last_name or "").strip()[:80],
                   email=f"guest-{uuid.uuid4().hex}@guest.invalid", role="client",
                   is_guest=True, is_bot=False, active=True, contract_type="open-ended",
                   data={"share_link_id": str(visit.link.id)})
    db.session.add(guest)
    events.emit("person:new", {"person_id": guest.id})
    db.session.commit()
    visit.new_session = _session_for(visit.link, guest.id)
    return guest_json(visit, guest), True


# What the link shows ----------------------------------------------------------------------

def _shot_pairs(playlist):
    """{(entity id, preview id)} of the playlist's entries."""
    pairs = set()
    for shot in playlist.shots or []:
        if not isinstance(shot, dict):
            continue
        entity_id = shot.get("entity_id") or shot.get("id")
        try:
            pairs.add((uuid.UUID(str(entity_id)), uuid.UUID(str(shot.get("preview_file_id")))))
        except ValueError:
            continue
    return pairs


def positioned(visit):
    """{preview id: (task id, revision)} of the previews the playlist
    positions, once each belongs to its entry's entity in the playlist's
    project (an entry pointing elsewhere shows nothing)."""
    if visit._positioned is None:
        pairs = _shot_pairs(visit.playlist)
        rows = db.session.execute(
            select(PreviewFile.id, PreviewFile.task_id, PreviewFile.revision, Task.entity_id)
            .join(Task, Task.id == PreviewFile.task_id)
            .where(PreviewFile.id.in_([p for _, p in pairs]),
                   Task.project_id == visit.playlist.project_id)).all() if pairs else []
        visit._positioned = {row.id: (row.task_id, row.revision) for row in rows
                             if (row.entity_id, row.id) in pairs}
    return visit._positioned


def shown_task_ids(visit):
    return {task_id for task_id, _ in positioned(visit).values()}


def _uuid_or_404(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(NOT_SHARED)


def shown_preview(visit, preview_file_id):
    """The preview row when the link shows it: a positioned preview or
    another position of the same revision; 404 otherwise."""
    row = db.session.get(PreviewFile, _uuid_or_404(preview_file_id))
    if row is None or (row.task_id, row.revision) not in set(positioned(visit).values()):
        raise NotFound(NOT_SHARED)
    return row


def preview_json(visit, preview_file_id):
    """GET .../preview-files/<id>: the preview's record."""
    row = shown_preview(visit, preview_file_id)
    return crud.serialize(crud.collection("preview-files"), _viewer(), row)


def _entities(ids, project_id):
    """{entity id: (name, type name, parent name, parent's parent name)} of
    those of the project."""
    parent = sa.orm.aliased(Entity)
    grandparent = sa.orm.aliased(Entity)
    rows = db.session.execute(
        select(Entity.id, Entity.name, EntityType.name.label("type_name"),
               parent.name.label("parent_name"), grandparent.name.label("episode_name"))
        .join(EntityType, EntityType.id == Entity.entity_type_id)
        .outerjoin(parent, parent.id == Entity.parent_id)
        .outerjoin(grandparent, grandparent.id == parent.parent_id)
        .where(Entity.id.in_(ids), Entity.project_id == project_id)).all()
    return {str(r.id): r for r in rows}


def _task_styles(task_ids):
    """{task id: (task type record, status color)}."""
    rows = db.session.execute(
        select(Task.id, TaskType.id.label("type_id"), TaskType.name, TaskType.color,
               TaskType.for_entity, TaskStatus.color.label("status_color"))
        .join(TaskType, TaskType.id == Task.task_type_id)
        .join(TaskStatus, TaskStatus.id == Task.task_status_id)
        .where(Task.id.in_(task_ids))).all() if task_ids else []
    return {str(r.id): ({"id": str(r.type_id), "name": r.name, "color": r.color,
                         "for_entity": r.for_entity}, r.status_color) for r in rows}


def _parent_name(entity, for_all_episodes):
    if entity.type_name not in SHOT_LIKE:
        return entity.type_name
    if entity.parent_name is None:
        return ""
    if for_all_episodes and entity.episode_name:
        return f"{entity.episode_name} / {entity.parent_name}"
    return entity.parent_name


def playlist_json(visit):
    """GET /shared/playlists/<token>: the playlist as its GET shows it
    (annotations included: the guest player loads nothing on demand),
    narrowed to what the link shares (each entry's positioned revision,
    no other revision, no entry pointing outside the project), with each
    entry's names and task colours (the guest has no context to look them
    up in)."""
    from app.services import playlists

    shown = {str(p) for p in positioned(visit)}
    data = playlists.full_view(visit.playlist.id, annotations=True)
    entities = _entities(comment_views.uuids(s.get("id") for s in data.get("shots") or []),
                         visit.playlist.project_id)
    shots = [s for s in data.get("shots") or [] if str(s.get("id")) in entities
             and (not s.get("preview_file_id") or str(s["preview_file_id"]) in shown)]
    styles = _task_styles([str(s["preview_file_task_id"]) for s in shots
                           if s.get("preview_file_task_id")])
    for_all = not data.get("episode_id") and bool(data.get("is_for_all"))
    for shot in shots:
        task_id = str(shot.get("preview_file_task_id") or "")
        shot["preview_files"] = {}
        if "preview_file_previews" in shot:
            shot["preview_file_previews"] = [
                p for p in shot["preview_file_previews"] or []
                if str(p.get("task_id")) == task_id]
        entity = entities[str(shot["id"])]
        shot["name"] = entity.name
        shot["parent_name"] = _parent_name(entity, for_all)
        if task_id in styles:
            task_type, color = styles[task_id]
            shot["preview_file_task_type"] = task_type
            shot["preview_file_task_type_name"] = task_type["name"]
            shot["task_status_color"] = color
    data["shots"] = shots
    # Build jobs are the studio's business (their messages carry server errors).
    data["build_jobs"] = []
    project = db.session.get(Project, visit.playlist.project_id)
    data["project_fps"] = project.fps
    data["project_name"] = project.name
    return data


def context(visit):
    """GET .../context: what the review player needs of the production:
    its name and format, its task types and statuses (with the project's
    client-allowed setting). No team, no entity list."""
    project = db.session.get(Project, visit.playlist.project_id)
    task_types = db.session.execute(
        select(TaskType.id, TaskType.name, TaskType.color, TaskType.for_entity)
        .join(ProjectTaskTypeLink, ProjectTaskTypeLink.task_type_id == TaskType.id)
        .where(ProjectTaskTypeLink.project_id == project.id)
        .order_by(ProjectTaskTypeLink.priority, TaskType.name)).all()
    statuses = db.session.execute(
        select(TaskStatus.id, TaskStatus.name, TaskStatus.short_name, TaskStatus.color,
               func.coalesce(ProjectTaskStatusLink.is_client_allowed,
                             TaskStatus.is_client_allowed, False).label("is_client_allowed"),
               TaskStatus.is_default, TaskStatus.for_concept)
        .join(ProjectTaskStatusLink, ProjectTaskStatusLink.task_status_id == TaskStatus.id)
        .where(ProjectTaskStatusLink.project_id == project.id)
        .order_by(ProjectTaskStatusLink.priority, TaskStatus.name)).all()
    return {
        "project": {"id": str(project.id), "name": project.name, "fps": project.fps,
                    "ratio": project.ratio, "resolution": project.resolution, "team": []},
        "task_types": [{"id": str(t.id), "name": t.name, "color": t.color,
                        "for_entity": t.for_entity} for t in task_types],
        "task_statuses": [{"id": str(s.id), "name": s.name, "short_name": s.short_name,
                           "color": s.color, "is_client_allowed": bool(s.is_client_allowed),
                           "is_default": bool(s.is_default),
                           "for_concept": bool(s.for_concept)} for s in statuses],
    }


# Comments -----------------------------------------------------------------------------------

def _visible():
    """SQL: a comment a link shows (on a shown task): shared with clients,
    or written by a guest."""
    return or_(Comment.for_client.is_(True),
               select(Person.id).where(Person.id == Comment.person_id,
                                       Person.is_guest.is_(True)).exists())


def comments_json(visit):
    """GET .../comments: the shown tasks' visible comments, newest first;
    a comment's previews are listed only when the link shows them."""
    task_ids = shown_task_ids(visit)
    if not task_ids:
        return []
    newest_first = (-func.extract("epoch", Comment.created_at)).label("newest_first")
    rows = crud.select_rows(crud.collection("comments"), _viewer(),
                            Comment.object_id.in_(task_ids), _visible(),
                            columns=comment_views.thread_columns(clients_view=True)
                            + [newest_first], sort=("newest_first",))
    comment_views.embed_reply_authors(rows)
    revisions = {(str(t), r) for t, r in positioned(visit).values()}
    guests = set(map(str, db.session.scalars(select(Person.id).where(
        Person.id.in_(comment_views.uuids({c["person_id"] for c in rows if c["person_id"]})),
        Person.is_guest.is_(True)))))
    for comment in rows:
        del comment["author_role"], comment["newest_first"]
        if comment["editor"] is None:
            del comment["editor"]
        comment["previews"] = [p for p in comment["previews"]
                               if (str(p["task_id"]), p["revision"]) in revisions]
        if comment["person"] is not None:
            comment["person"]["is_guest"] = comment["person_id"] in guests
    return rows


def _check_can_comment(visit):
    if not visit.link.can_comment:
        raise Forbidden("This share link does not allow comments.")


def post_comment(visit, *, guest_id, task_id, task_status_id, text="", checklist=None):
    """POST .../comments: the guest comments a task the link shows, with a
    client-allowed status. No #hashtag copies: they would reach tasks the
    link does not show."""
    _check_can_comment(visit)
    guest = acting_guest(visit, guest_id)
    if uuid.UUID(task_id) not in shown_task_ids(visit):
        raise Forbidden("This task is not part of the shared playlist.")
    task = tasks.lock(task_id)
    status = tasks.load_status(task_status_id)
    comments.check_status_allowed("client", status, task.project_id)
    comment, _ = comments.create(task, status, guest.id, text, checklist=checklist,
                                 hashtags=False)
    db.session.commit()
    return comment_views.comment_json(_viewer(guest), comment)


def _own_comment(visit, guest, comment_id):
    """The guest's comment on a task the link shows (404 when it is not a
    comment of a shown task, 403 when it is someone else's)."""
    comment = db.session.get(Comment, _uuid_or_404(comment_id))
    if comment is None or comment.object_id not in shown_task_ids(visit):
        raise NotFound("This shared playlist has no such comment.")
    if comment.person_id != guest.id:
        raise Forbidden("Guests may change their own comments only.")
    return comment


def edit_comment(visit, comment_id, *, guest_id, changes):
    """PUT .../comments/<id>: text, checklist, status (client-allowed)."""
    _check_can_comment(visit)
    guest = acting_guest(visit, guest_id)
    comment = _own_comment(visit, guest, comment_id)
    task = tasks.lock(comment.object_id)
    status_id = changes.get("task_status_id")
    if status_id is not None and uuid.UUID(status_id) != comment.task_status_id:
        comments.check_status_allowed("client", tasks.load_status(status_id), task.project_id)
        comment.task_status_id = uuid.UUID(status_id)
    else:
        status_id = None
    if "text" in changes:
        comment.text = changes["text"] or ""
    if "checklist" in changes:
        comment.checklist = changes["checklist"] or []
    comment.editor_id = guest.id
    comment.updated_at = utc_now()
    db.session.flush()
    if "text" in changes:
        comment_actions.remention(comment)
    if status_id is not None:
        tasks.recompute(task)
    events.emit("comment:update", {"comment_id": comment.id, "task_id": task.id,
                                   "person_id": guest.id, "for_client": comment.for_client},
                project_id=task.project_id)
    db.session.commit()
    return comment_views.comment_json(_viewer(guest), comment)


def delete_comment(visit, comment_id, *, guest_id):
    """DELETE .../comments/<id>: the guest's own comment, as the studio's
    delete does it (the task falls back on its previous status)."""
    _check_can_comment(visit)
    guest = acting_guest(visit, guest_id)
    comment = _own_comment(visit, guest, comment_id)
    comment_actions.remove_comment(comment)
    db.session.commit()


def add_attachments(visit, comment_id, *, guest_id, files):
    """POST .../comments/<id>/attachments: files on the guest's comment;
    the comment with its attachments."""
    _check_can_comment(visit)
    guest = acting_guest(visit, guest_id)
    comment = _own_comment(visit, guest, comment_id)
    if not files:
        raise BadRequest("No file was sent.")
    attachments.store(files, comment_id=comment.id)
    db.session.commit()
    return comment_views.comment_json(_viewer(guest), comment)


def remove_attachment(visit, comment_id, attachment_file_id, *, guest_id):
    _check_can_comment(visit)
    guest = acting_guest(visit, guest_id)
    comment = _own_comment(visit, guest, comment_id)
    if not attachments.remove(AttachmentFile.id == _uuid_or_404(attachment_file_id),
                              AttachmentFile.comment_id == comment.id):
        raise NotFound(f"The comment has no attachment {attachment_file_id}.")
    db.session.commit()


def attachment(visit, attachment_file_id):
    """(row, open binary file) of a file attached to a comment the link
    shows."""
    row = db.session.get(AttachmentFile, _uuid_or_404(attachment_file_id))
    shown = row is not None and row.comment_id is not None and db.session.scalar(
        select(select(Comment.id).where(
            Comment.id == row.comment_id, Comment.object_id.in_(shown_task_ids(visit) or [None]),
            _visible()).exists()))
    if not shown:
        raise NotFound(NOT_SHARED)
    return row, attachments.open_file(row)


def shown_person(visit, person_id):
    """The person row when they wrote, or replied to, a comment the link
    shows; 404 otherwise."""
    person_id = _uuid_or_404(person_id)
    task_ids = shown_task_ids(visit)
    found = task_ids and db.session.scalar(select(select(Comment.id).where(
        Comment.object_id.in_(task_ids), _visible(),
        or_(Comment.person_id == person_id,
            Comment.replies.contains([{"person_id": str(person_id)}]))).exists()))
    if not found:
        raise NotFound(NOT_SHARED)
    return db.session.get(Person, person_id)


def annotate(visit, preview_file_id, *, guest_id, additions=(), updates=(), deletions=()):
    """PUT .../annotations: the guest draws on a preview the link shows
    (when it allows comments), merged as the studio's drawings are."""
    _check_can_comment(visit)
    guest = acting_guest(visit, guest_id)
    shown_preview(visit, preview_file_id)
    for name, items in (("additions", additions), ("updates", updates),
                        ("deletions", deletions)):
        annotations._check_items(name, items)
    row = annotations._locked(preview_file_id)
    row.annotations = annotations.merge(row.annotations or [], additions, updates, deletions)
    db.session.flush()
    events.emit("preview-file:annotation-update",
                {"preview_file_id": row.id, "person_id": guest.id, "updated_at": row.updated_at},
                project_id=visit.playlist.project_id)
    db.session.commit()
    return crud.serialize(crud.collection("preview-files"), _viewer(guest), row)

