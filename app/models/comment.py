"""Comments on tasks, with the previews, mentions and acknowledgements
they carry.

The three `comment_*` link tables name their columns after the table they
point to (`comment`, `person`, `department`) rather than `<table>_id`: that
is Zou's schema, kept as is.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Model


class CommentPreviewLink(Base):
    __tablename__ = "comment_preview_link"

    comment: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("comment.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    preview_file: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("preview_file.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class CommentMention(Base):
    __tablename__ = "comment_mentions"

    comment: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("comment.id", ondelete="CASCADE"),
        primary_key=True,
    )
    person: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("person.id", ondelete="CASCADE"),
        primary_key=True,
    )


class CommentDepartmentMention(Base):
    __tablename__ = "comment_department_mentions"

    comment: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("comment.id", ondelete="CASCADE"),
        primary_key=True,
    )
    department: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("department.id", ondelete="CASCADE"),
        primary_key=True,
    )


class CommentAcknowledgement(Base):
    # The misspelt table name is Zou's.
    __tablename__ = "comment_acknoledgments"

    comment: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("comment.id", ondelete="CASCADE"),
        primary_key=True,
    )
    person: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("person.id", ondelete="CASCADE"),
        primary_key=True,
    )


class Comment(Model):
    __tablename__ = "comment"

    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    # Always a task in practice (object_type "Task"); no foreign key because
    # the column was meant to take other kinds of objects.
    object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), index=True
    )
    object_type: Mapped[str] = mapped_column(sa.String(80), index=True)
    text: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict | None] = mapped_column(JSONB)
    replies: Mapped[list | None] = mapped_column(JSONB, default=list)
    checklist: Mapped[list | None] = mapped_column(JSONB, default=list)
    pinned: Mapped[bool | None] = mapped_column(sa.Boolean)
    for_client: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    links: Mapped[list[str] | None] = mapped_column(ARRAY(sa.String))
    task_status_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("task_status.id"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("person.id"), index=True
    )
    editor_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("person.id"), index=True
    )
    # Legacy single preview; the `previews` list superseded it.
    preview_file_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("preview_file.id"), index=True
    )

    previews: Mapped[list["PreviewFile"]] = relationship(
        secondary="comment_preview_link",
        back_populates="comments",
        lazy="select",
    )
    mentions: Mapped[list["Person"]] = relationship(
        secondary="comment_mentions", lazy="select"
    )
    department_mentions: Mapped[list["Department"]] = relationship(
        secondary="comment_department_mentions", lazy="select"
    )
    acknowledgements: Mapped[list["Person"]] = relationship(
        secondary="comment_acknoledgments", lazy="select"
    )
    attachment_files: Mapped[list["AttachmentFile"]] = relationship(
        lazy="select"
    )
