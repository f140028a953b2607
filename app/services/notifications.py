"""Notifications (behaviours.md row 24): who hears about a comment, a
mention, an assignation or a reply, and the e-mails that go with them.

Rows are written in the transaction of the change that causes them (a
failed comment leaves no notification behind); `notification:new` (not
persisted) and the e-mails go out only once that transaction commits.
"""
import logging

from flask import current_app
from sqlalchemy import event as sa_event
from sqlalchemy import or_, select, union
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app import events
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity
from app.models.events import Notification, Subscription
from app.models.person import Person
from app.models.settings import TaskType
from app.models.task import TaskPersonLink
from app.services import mailer

log = logging.getLogger(__name__)
PENDING_MAILS = "pending_mails"

SUBJECTS = {
    "comment": "{author} commented on {task}",
    "mention": "{author} mentioned you on {task}",
    "assignation": "You were assigned to {task}",
    "reply": "{author} replied on {task}",
    "reply-mention": "{author} mentioned you in a reply on {task}",
    "playlist-ready": "A playlist is ready for review: {task}",
}


def comment_recipients(task, author_id):
    """Who hears about a comment on the task: its assignees, the people
    subscribed to it, and those subscribed to its sequence for its task
    type (a shot's parent), the author excepted."""
    sequence_id = select(Entity.parent_id).where(Entity.id == task.entity_id).scalar_subquery()
    watchers = select(Subscription.person_id).where(or_(
        Subscription.task_id == task.id,
        (Subscription.entity_id == sequence_id) & (Subscription.task_type_id == task.task_type_id)))
    assignees = select(TaskPersonLink.person_id).where(TaskPersonLink.task_id == task.id)
    ids = set(db.session.scalars(union(assignees, watchers)))
    ids.discard(author_id)
    return ids


def notify(person_ids, kind, author_id, *, task=None, comment_id=None, reply_id=None,
           playlist_id=None, change=False, text=None):
    """One notification of `kind` per person (none twice for the same
    author, comment, reply, playlist and kind), written now; the
    notification:new messages and the e-mails follow the commit. Returns
    the ids of the persons newly notified."""
    person_ids = [p for p in dict.fromkeys(person_ids) if p is not None]
    if not person_ids:
        return []
    now = utc_now()
    rows = db.session.execute(
        insert(Notification.__table__).values([{
            "person_id": p, "author_id": author_id, "type": kind, "read": False,
            "change": bool(change), "comment_id": comment_id, "reply_id": reply_id,
            "task_id": task.id if task is not None else None, "playlist_id": playlist_id,
            "created_at": now, "updated_at": now} for p in person_ids])
        .on_conflict_do_nothing(constraint="notification_uc")
        .returning(Notification.__table__.c.id, Notification.__table__.c.person_id)).all()
    project_id = task.project_id if task is not None else None
    for notification_id, person_id in rows:
        events.emit("notification:new", {"notification_id": notification_id,
                                         "person_id": person_id}, project_id=project_id,
                    persist=False)
    _queue_mails([r.person_id for r in rows], kind, author_id, task, text)
    return [r.person_id for r in rows]


def _task_label(task):
    if task is None:
        return "a playlist"
    entity = db.session.scalar(select(Entity.name).where(Entity.id == task.entity_id))
    task_type = db.session.scalar(select(TaskType.name).where(TaskType.id == task.task_type_id))
    return f"{entity} / {task_type}"


def _queue_mails(person_ids, kind, author_id, task, text):
    """Mail the persons who turned e-mail notifications on."""
    if not person_ids:
        return
    recipients = db.session.execute(select(Person.email).where(
        Person.id.in_(person_ids), Person.email.isnot(None), Person.is_bot.isnot(True),
        Person.active.is_(True), Person.notifications_enabled.is_(True))).scalars().all()
    if not recipients:
        return
    author = db.session.get(Person, author_id) if author_id else None
    author_name = f"{author.first_name or ''} {author.last_name or ''}".strip() \
        if author else "Someone"
    subject = SUBJECTS[kind].format(author=author_name, task=_task_label(task))
    body = subject + ("\n\n" + text if text else "")
    db.session.info.setdefault(PENDING_MAILS, []).extend(
        (email, subject, body) for email in recipients)


@sa_event.listens_for(Session, "after_commit")
def _send_pending(session):
    pending = session.info.pop(PENDING_MAILS, None)
    if not pending or not current_app:
        return
    for email, subject, body in pending:
        mailer.send(email, subject, body)


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction):
    session.info.pop(PENDING_MAILS, None)
