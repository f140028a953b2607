"""Files: review previews, working files, publications, attachments, and
the bookkeeping of what this instance holds in its file storage."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, foreign_key

PREVIEW_STATUSES = ("processing", "ready", "broken", "missing")
VALIDATION_STATUSES = ("validated", "rejected", "neutral")
OUTPUT_QUALITIES = ("low", "mid", "high")
STORAGE_STATES = ("ok", "missing", "failed")


class PreviewFile(Model):
    """A file submitted for review on a task: a picture, a movie, a model..."""

    __tablename__ = "preview_file"

    name: Mapped[str | None] = mapped_column(sa.String(250))
    original_name: Mapped[str | None] = mapped_column(sa.String(250))
    revision: Mapped[int | None] = mapped_column(sa.Integer, default=1)
    position: Mapped[int | None] = mapped_column(sa.Integer, default=1)
    extension: Mapped[str | None] = mapped_column(sa.String(6))
    description: Mapped[str | None] = mapped_column(sa.Text)
    path: Mapped[str | None] = mapped_column(sa.String(400))
    source: Mapped[str | None] = mapped_column(sa.String(40))
    file_size: Mapped[int | None] = mapped_column(sa.BigInteger, default=0)
    status: Mapped[str] = mapped_column(sa.String(255), default="processing")
    validation_status: Mapped[str] = mapped_column(
        sa.String(255), default="neutral"
    )
    annotations: Mapped[list | None] = mapped_column(JSONB)
    width: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    height: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    duration: Mapped[float | None] = mapped_column(sa.Float, default=0)
    data: Mapped[dict | None] = mapped_column(JSONB)
    # Token cost when an AI pipeline produced the preview.
    token_in: Mapped[int | None] = mapped_column(sa.Integer)
    token_out: Mapped[int | None] = mapped_column(sa.Integer)
    task_id: Mapped[uuid.UUID | None] = foreign_key("task")
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")
    source_file_id: Mapped[uuid.UUID | None] = foreign_key("output_file")
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer, unique=True)
    # The last four are deprecated in Zou but still in its payloads.
    is_movie: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    url: Mapped[str | None] = mapped_column(sa.String(600))
    uploaded_movie_url: Mapped[str | None] = mapped_column(sa.String(600))
    uploaded_movie_name: Mapped[str | None] = mapped_column(sa.String(150))

    comments: Mapped[list["Comment"]] = relationship(
        secondary="comment_preview_link",
        back_populates="previews",
        lazy="select",
    )

    __table_args__ = (
        sa.UniqueConstraint("name", "task_id", "revision", name="preview_uc"),
    )


class WorkingFile(Model):
    """The artist's scene a publication is made from."""

    __tablename__ = "working_file"

    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    name: Mapped[str | None] = mapped_column(sa.String(250))
    description: Mapped[str | None] = mapped_column(sa.Text)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    revision: Mapped[int | None] = mapped_column(sa.Integer)
    size: Mapped[int | None] = mapped_column(sa.Integer)
    checksum: Mapped[int | None] = mapped_column(sa.Integer)
    path: Mapped[str | None] = mapped_column(sa.String(400))
    data: Mapped[dict | None] = mapped_column(JSONB)
    validation_status: Mapped[str] = mapped_column(
        sa.String(255), default="neutral", server_default="neutral"
    )
    task_id: Mapped[uuid.UUID | None] = foreign_key("task")
    entity_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")
    software_id: Mapped[uuid.UUID | None] = foreign_key("software")

    outputs: Mapped[list["OutputFile"]] = relationship(lazy="select")

    __table_args__ = (
        sa.UniqueConstraint(
            "name", "task_id", "entity_id", "revision", name="working_file_uc"
        ),
    )


class OutputFile(Model):
    """A publication: a file generated from a working file for the pipeline."""

    __tablename__ = "output_file"

    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    name: Mapped[str] = mapped_column(sa.String(250))
    canceled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    size: Mapped[int | None] = mapped_column(sa.Integer)
    checksum: Mapped[str | None] = mapped_column(sa.String(32))
    description: Mapped[str | None] = mapped_column(sa.Text)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    extension: Mapped[str | None] = mapped_column(sa.String(10))
    revision: Mapped[int] = mapped_column(sa.Integer)
    representation: Mapped[str | None] = mapped_column(
        sa.String(20), index=True
    )
    nb_elements: Mapped[int | None] = mapped_column(sa.Integer, default=1)
    source: Mapped[str | None] = mapped_column(sa.String(40))
    path: Mapped[str | None] = mapped_column(sa.String(400))
    data: Mapped[dict | None] = mapped_column(JSONB)
    quality: Mapped[str | None] = mapped_column(sa.String(255))
    file_status_id: Mapped[uuid.UUID] = foreign_key("file_status")
    entity_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    asset_instance_id: Mapped[uuid.UUID | None] = foreign_key("asset_instance")
    output_type_id: Mapped[uuid.UUID | None] = foreign_key("output_type")
    task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")
    source_file_id: Mapped[uuid.UUID | None] = foreign_key("working_file")
    # The shot or scene an asset instance's output was made for.
    temporal_entity_id: Mapped[uuid.UUID | None] = foreign_key("entity")

    __table_args__ = (
        sa.UniqueConstraint(
            "name",
            "entity_id",
            "asset_instance_id",
            "output_type_id",
            "task_type_id",
            "temporal_entity_id",
            "representation",
            "revision",
            name="output_file_uc",
        ),
    )


class AttachmentFile(Model):
    """A file attached to a comment, a comment reply or a chat message."""

    __tablename__ = "attachment_file"

    name: Mapped[str | None] = mapped_column(sa.String(250))
    size: Mapped[int | None] = mapped_column(sa.BigInteger, default=1)
    extension: Mapped[str | None] = mapped_column(sa.String(6))
    mimetype: Mapped[str | None] = mapped_column(sa.String(255))
    comment_id: Mapped[uuid.UUID | None] = foreign_key("comment")
    # Replies are JSON inside comment.replies, so there is nothing to point a
    # foreign key at.
    reply_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    chat_message_id: Mapped[uuid.UUID | None] = foreign_key("chat_message")


class PreviewFileStorageState(Model):
    """Whether one stored rendition of a preview is present in this
    instance's storage. Local bookkeeping: never synced, never served."""

    __tablename__ = "preview_file_storage_state"

    preview_file_id: Mapped[uuid.UUID] = foreign_key(
        "preview_file", ondelete="CASCADE"
    )
    bucket: Mapped[str] = mapped_column(sa.String(20))
    prefix: Mapped[str] = mapped_column(sa.String(40))
    state: Mapped[str] = mapped_column(sa.String(255))

    __table_args__ = (
        sa.UniqueConstraint(
            "preview_file_id",
            "bucket",
            "prefix",
            name="preview_file_storage_state_uc",
        ),
        sa.Index(
            "ix_preview_file_storage_state_bucket_prefix_state",
            "bucket",
            "prefix",
            "state",
        ),
    )


class StoredFile(Model):
    """One object written to the file storage.

    Deleting only stamps `deleted_at`; a purge job removes the object later
    and stamps `purged_at`, so a failed or interrupted removal can be retried.
    Local bookkeeping: never synced, never served.
    """

    __tablename__ = "stored_file"

    bucket: Mapped[str] = mapped_column(sa.String(20))
    key: Mapped[str] = mapped_column(sa.String(255))
    prefix: Mapped[str] = mapped_column(sa.String(40))
    file_id: Mapped[str] = mapped_column(sa.String(200), index=True)
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    purge_forced: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    purged_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    purge_attempts: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text("0")
    )
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    journal: Mapped[list] = mapped_column(
        JSONB, default=list, server_default=sa.text("'[]'::jsonb")
    )

    __table_args__ = (
        sa.UniqueConstraint("bucket", "key", name="stored_file_uc"),
        # Leading with purge_forced lets the purge skip the marked rows it
        # must leave alone when file removal is disabled.
        sa.Index(
            "ix_stored_file_to_purge",
            "purge_forced",
            "deleted_at",
            postgresql_where=sa.text(
                "deleted_at IS NOT NULL AND purged_at IS NULL"
            ),
        ),
    )
