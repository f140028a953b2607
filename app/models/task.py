"""Tasks and their assignees."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Model, foreign_key, link_key


class TaskPersonLink(Base):
    """An assignment."""

    __tablename__ = "task_person_link"

    task_id: Mapped[uuid.UUID] = link_key("task", index=False)
    person_id: Mapped[uuid.UUID] = link_key("person")


class Task(Model):
    __tablename__ = "task"

    name: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str | None] = mapped_column(sa.Text)
    priority: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    difficulty: Mapped[int] = mapped_column(
        sa.Integer, default=3, server_default=sa.text("3")
    )
    duration: Mapped[float | None] = mapped_column(sa.Float, default=0)
    estimation: Mapped[float | None] = mapped_column(sa.Float, default=0)
    completion_rate: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    retake_count: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    sort_order: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    start_date: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    due_date: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    real_start_date: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime
    )
    end_date: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    done_date: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    last_comment_date: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime
    )
    nb_assets_ready: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    data: Mapped[dict | None] = mapped_column(JSONB)
    nb_drawings: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    # Not a foreign key (the contract has none): deleting a preview must
    # repoint this to the task's previous one itself.
    last_preview_file_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True)
    )
    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
    task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")
    task_status_id: Mapped[uuid.UUID | None] = foreign_key("task_status")
    entity_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    assigner_id: Mapped[uuid.UUID | None] = foreign_key("person")

    assignees: Mapped[list["Person"]] = relationship(
        secondary="task_person_link", lazy="select"
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "name", "project_id", "task_type_id", "entity_id", name="task_uc"
        ),
        sa.CheckConstraint(
            "difficulty > 0 AND difficulty < 6", name="check_difficulty"
        ),
        sa.Index("ix_task_entity_project", "entity_id", "project_id"),
    )
