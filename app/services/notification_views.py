"""A person's inbox (behaviours.md row 24): /data/user/notifications and
marking notifications read. The rows are written by
app/services/notifications.py when comments, mentions, assignations,
replies and playlists happen.

One statement reads a page of the inbox with everything each entry shows
(comment text and mentions, first preview, the entity's full name, the
playlist); replies are picked out of the comment's JSON afterwards.
"""
import sqlalchemy as sa
from sqlalchemy import func, select, update

from app import events
from app.errors import NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.comment import Comment, CommentDepartmentMention, CommentMention, \
    CommentPreviewLink
from app.models.entity import Entity
from app.models.events import Notification, Subscription
from app.models.files import PreviewFile
from app.models.person import Person
from app.models.playlist import Playlist
from app.models.project import Project, ProjectPersonLink
from app.models.settings import EntityType
from app.models.task import Task
from app.permissions import as_uuid, project_role, require_person
from app.services import news
from app.services.policies import AdminOnly

LIMIT = 100
N = Notification.__table__
# Who may not read what clients write (section 2.3): their inbox shows
# that a client commented, not what.
BLIND_TO_CLIENTS = ("user", "vendor")


def _ids(link_column, key_column, comment_id):
    return func.coalesce(select(func.array_agg(link_column)).where(
        key_column == comment_id).scalar_subquery(), sa.text("'{}'::uuid[]"))


def _query(actor):
    task, comment = Task.__table__, Comment.__table__
    entity = Entity.__table__.alias("entity")
    parent = Entity.__table__.alias("parent")
    grand = Entity.__table__.alias("grand")
    entity_type = EntityType.__table__.alias("entity_type")
    playlist = Playlist.__table__
    task_project, playlist_project = Project.__table__.alias("task_project"), \
        Project.__table__.alias("playlist_project")
    subscription = Subscription.__table__
    author = Person.__table__.alias("author")
    link = ProjectPersonLink.__table__
    project_id = func.coalesce(playlist.c.project_id, task.c.project_id)
    full_name, episode_id = news.full_entity_name(entity, parent, grand, entity_type)
    first_preview = (select(CommentPreviewLink.preview_file)
                     .join(PreviewFile, PreviewFile.id == CommentPreviewLink.preview_file)
                     .where(CommentPreviewLink.comment == N.c.comment_id)
                     .order_by(PreviewFile.revision, PreviewFile.created_at).limit(1)
                     .scalar_subquery())
    author_role = func.coalesce(select(link.c.role).where(
        link.c.project_id == project_id, link.c.person_id == N.c.author_id)
        .scalar_subquery(), author.c.role)
    return (
        select(
            N, project_id.label("project_id"),
            func.coalesce(playlist_project.c.name, task_project.c.name).label("project_name"),
            task.c.task_type_id, comment.c.task_status_id, comment.c.text, comment.c.replies,
            _ids(CommentMention.person, CommentMention.comment, N.c.comment_id)
            .label("mentions"),
            _ids(CommentDepartmentMention.department, CommentDepartmentMention.comment,
                 N.c.comment_id).label("department_mentions"),
            first_preview.label("preview_file_id"),
            full_name.label("full_entity_name"), episode_id.label("entity_episode_id"),
            entity.c.preview_file_id.label("entity_preview_file_id"),
            subscription.c.id.label("subscription_id"),
            playlist.c.name.label("playlist_name"), playlist.c.episode_id.label(
                "playlist_episode_id"),
            playlist.c.for_entity, playlist.c.is_for_all, author_role.label("author_role"))
        .select_from(N)
        .join(author, author.c.id == N.c.author_id)
        .outerjoin(task, task.c.id == N.c.task_id)
        .outerjoin(task_project, task_project.c.id == task.c.project_id)
        .outerjoin(comment, comment.c.id == N.c.comment_id)
        .outerjoin(subscription, sa.and_(subscription.c.task_id == task.c.id,
                                         subscription.c.person_id == actor.person.id))
        .outerjoin(entity, entity.c.id == task.c.entity_id)
        .outerjoin(entity_type, entity_type.c.id == entity.c.entity_type_id)
        .outerjoin(parent, parent.c.id == entity.c.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .outerjoin(playlist, playlist.c.id == N.c.playlist_id)
        .outerjoin(playlist_project, playlist_project.c.id == playlist.c.project_id)
        .where(N.c.person_id == actor.person.id)
        .order_by(N.c.created_at.desc(), N.c.id.desc())
        .limit(LIMIT)
    )


def _reply(row):
    if row.type not in ("reply", "reply-mention") or row.reply_id is None:
        return {}
    return next((r for r in row.replies or () if r.get("id") == str(row.reply_id)), {})


def _entry(actor, row):
    reply = _reply(row)
    comment_text, reply_text = row.text, reply.get("text", "")
    if (row.author_role == "client" and row.project_id is not None
            and project_role(actor, row.project_id) in BLIND_TO_CLIENTS):
        comment_text = reply_text = ""
    on_playlist = row.playlist_id is not None
    return {
        "id": row.id, "type": "Notification", "notification_type": row.type,
        "author_id": row.author_id, "comment_id": row.comment_id, "task_id": row.task_id,
        "task_type_id": row.task_type_id, "task_status_id": row.task_status_id,
        "mentions": row.mentions, "department_mentions": row.department_mentions,
        "reply_mentions": reply.get("mentions") or [],
        "reply_department_mentions": reply.get("department_mentions") or [],
        "preview_file_id": row.preview_file_id, "project_id": row.project_id,
        "project_name": row.project_name, "comment_text": comment_text,
        "reply_text": reply_text, "created_at": row.created_at, "read": row.read,
        "change": row.change,
        "full_entity_name": "" if on_playlist else (row.full_entity_name or ""),
        "episode_id": row.playlist_episode_id if on_playlist else row.entity_episode_id,
        "entity_preview_file_id": None if on_playlist else row.entity_preview_file_id,
        "subscription_id": row.subscription_id, "playlist_id": row.playlist_id,
        "playlist_name": row.playlist_name or "", "playlist_for_entity": row.for_entity or "",
        "playlist_is_for_all": bool(row.is_for_all),
    }


def inbox(actor, *, after=None, before=None, task_type_id=None, task_status_id=None,
          notification_type=None, read=None, watching=None, notification_id=None):
    """The actor's latest notifications (100 at most), newest first.
    `task_status_id` is the task's current status; `watching`, whether
    they follow the task."""
    require_person(actor)
    stmt = _query(actor)
    task = Task.__table__
    for wanted, criterion in (
            (notification_id, lambda: N.c.id == as_uuid(notification_id, "notification id")),
            (after, lambda: N.c.created_at > after),
            (before, lambda: N.c.created_at < before),
            (task_type_id, lambda: task.c.task_type_id == task_type_id),
            (task_status_id, lambda: task.c.task_status_id == task_status_id),
            (notification_type, lambda: N.c.type == notification_type),
            (read, lambda: N.c.read.is_(read)),
            (watching, lambda: Subscription.__table__.c.id.is_not(None) if watching
             else Subscription.__table__.c.id.is_(None))):
        if wanted is not None:
            stmt = stmt.where(criterion())
    return [_entry(actor, row) for row in db.session.execute(stmt)]


def get_one(actor, notification_id):
    found = inbox(actor, notification_id=notification_id)
    if not found:
        raise NotFound(f"You have no notification with the id {notification_id}.")
    return found[0]


def set_read(actor, notification_id, read):
    """Mark one of the actor's notifications read or unread; returns its row."""
    require_person(actor)
    row = db.session.execute(
        update(N).where(N.c.id == as_uuid(notification_id, "notification id"),
                        N.c.person_id == actor.person.id)
        .values(read=read, updated_at=utc_now()).returning(*N.c)).first()
    if row is None:
        raise NotFound(f"You have no notification with the id {notification_id}.")
    events.emit("notification:read" if read else "notification:unread",
                {"person_id": actor.person.id, "notification_id": row.id})
    db.session.commit()
    answer = dict(row._mapping)
    answer["notification_type"] = answer["type"]
    answer["type"] = "Notification"
    return answer


def mark_all_read(actor):
    require_person(actor)
    db.session.execute(update(N).where(N.c.person_id == actor.person.id, N.c.read.is_(False))
                       .values(read=True, updated_at=utc_now()))
    events.emit("notification:all-read", {"person_id": actor.person.id})
    db.session.commit()
    return {"success": True}


# The raw /data/notifications collection (admins) ------------------------------

def extra_columns(table):
    return [table.c.type.label("notification_type")]


class Policy(AdminOnly):
    """Admins only. A notification's kind is written as `type` (its column)
    but read as `notification_type`: on the wire `type` is the object's
    type, as for every row."""

    def hidden_columns(self, actor):
        return frozenset({"type"})
