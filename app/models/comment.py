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

from app.models.base import Base, Model, foreign_key, link_key


class CommentPreviewLink(Base):
    __tablename__ = "comment_preview_link"

    comment: Mapped[uuid.UUID] = link_key("comment")
    preview_file: Mapped[uuid.UUID] = link_key("preview_file")


class CommentPersonColumns:
    comment: Mapped[uuid.UUID] = link_key("comment", index=False)
    person: Mapped[uuid.UUID] = link_key("person", index=False)


class CommentMention(CommentPersonColumns, Base):
    __tablename__ = "comment_mentions"


class CommentDepartmentMention(Base):
    __tablename__ = "comment_department_mentions"

    comment: Mapped[uuid.UUID] = link_key("comment", index=False)
    department: Mapped[uuid.UUID] = link_key("department", index=False)


class CommentAcknowledgement(CommentPersonColumns, Base):
    # The misspelt table name is Zou's.
    __tablename__ = "comment_acknoledgments"


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
    task_status_id: Mapped[uuid.UUID | None] = foreign_key("task_status")
    person_id: Mapped[uuid.UUID] = foreign_key("person")
    editor_id: Mapped[uuid.UUID | None] = foreign_key("person")
    # Legacy single preview; the `previews` list superseded it.
    preview_file_id: Mapped[uuid.UUID | None] = foreign_key("preview_file")

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
