"""What happened: the event log, login logs, news feed, notifications and
the subscriptions that decide who gets notified."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, foreign_key

LOGIN_ORIGINS = ("web", "script")
NOTIFICATION_TYPES = (
    "comment",
    "mention",
    "assignation",
    "reply",
    "reply-mention",
    "playlist-ready",
)
IMPORT_SOURCES = ("csv", "shotgun")


class ApiEvent(Model):
    __tablename__ = "api_event"

    name: Mapped[str] = mapped_column(sa.String(80), index=True)
    user_id: Mapped[uuid.UUID | None] = foreign_key("person")
    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
    data: Mapped[dict | None] = mapped_column(JSONB)

    # The log is always read newest first, for the studio or for one
    # production.
    __table_args__ = (
        sa.Index("ix_api_event_created_at", "created_at"),
        sa.Index(
            "ix_api_event_project_id_created_at", "project_id", "created_at"
        ),
    )


class LoginLog(Model):
    __tablename__ = "login_log"

    person_id: Mapped[uuid.UUID] = foreign_key("person")
    ip_address: Mapped[str | None] = mapped_column(sa.String(50))
    origin: Mapped[str | None] = mapped_column(sa.String(255))


class DesktopLoginLog(Model):
    """A session opened from a DCC plugin, reported for presence sheets."""

    __tablename__ = "desktop_login_log"

    person_id: Mapped[uuid.UUID] = foreign_key("person")
    date: Mapped[datetime.datetime] = mapped_column(sa.DateTime)


class News(Model):
    """A production news-feed entry, one per comment posted."""

    __tablename__ = "news"

    change: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    author_id: Mapped[uuid.UUID] = foreign_key("person")
    comment_id: Mapped[uuid.UUID | None] = foreign_key("comment")
    task_id: Mapped[uuid.UUID] = foreign_key("task")
    preview_file_id: Mapped[uuid.UUID | None] = foreign_key("preview_file")


class Notification(Model):
    __tablename__ = "notification"

    read: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    change: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # Sent as `notification_type` on the wire: `type` is the object type.
    type: Mapped[str] = mapped_column(sa.String(255))
    person_id: Mapped[uuid.UUID] = foreign_key("person")
    author_id: Mapped[uuid.UUID] = foreign_key("person")
    comment_id: Mapped[uuid.UUID | None] = foreign_key("comment")
    task_id: Mapped[uuid.UUID | None] = foreign_key("task")
    playlist_id: Mapped[uuid.UUID | None] = foreign_key("playlist")
    # Replies are JSON inside comment.replies: no row to reference.
    reply_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), index=True
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "person_id",
            "author_id",
            "comment_id",
            "reply_id",
            "playlist_id",
            "type",
            name="notification_uc",
        ),
    )


class Subscription(Model):
    """Someone following a task, or (the older form, still accepted) a
    sequence's tasks of one type."""

    __tablename__ = "subscription"

    person_id: Mapped[uuid.UUID] = foreign_key("person")
    task_id: Mapped[uuid.UUID | None] = foreign_key("task")
    entity_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")

    __table_args__ = (
        sa.UniqueConstraint(
            "person_id", "task_id", name="subscription_task_uc"
        ),
        sa.UniqueConstraint(
            "person_id",
            "task_type_id",
            "entity_id",
            name="subscription_entity_uc",
        ),
    )


class DataImportError(Model):
    __tablename__ = "data_import_error"

    event_data: Mapped[dict] = mapped_column(JSONB)
    # A native enum, unlike the other choice columns: Zou's schema has it so.
    source: Mapped[str | None] = mapped_column(
        sa.Enum(*IMPORT_SOURCES, name="import_source_enum")
    )
