"""Production planning: schedule items, milestones and schedule versions."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Model, foreign_key, link_key


class ScheduleItem(Model):
    """The planned span of a task type, for the whole production or for one
    of its groups (an episode, a sequence, an asset type)."""

    __tablename__ = "schedule_item"

    start_date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    end_date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    man_days: Mapped[int | None] = mapped_column(sa.Integer)
    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
    task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")
    # An entity or an entity type depending on the item, hence no foreign
    # key; NULL for the production-wide item.
    object_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), index=True
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "project_id", "task_type_id", "object_id", name="schedule_item_uc"
        ),
    )


class Milestone(Model):
    __tablename__ = "milestone"

    date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    name: Mapped[str] = mapped_column(sa.String(40))
    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
    task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")


class ProductionScheduleVersion(Model):
    """A named what-if copy of a production's task planning."""

    __tablename__ = "production_schedule_version"

    name: Mapped[str] = mapped_column(sa.String(80))
    project_id: Mapped[uuid.UUID] = foreign_key("project", ondelete="CASCADE")
    production_schedule_from: Mapped[uuid.UUID | None] = foreign_key(
        "production_schedule_version", ondelete="SET NULL"
    )
    locked: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    canceled: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)

    __table_args__ = (
        sa.UniqueConstraint(
            "name", "project_id", name="production_schedule_version_uc"
        ),
    )


class ProductionScheduleVersionTaskLinkPersonLink(Base):
    """The assignees a schedule version plans for one of its tasks."""

    __tablename__ = "production_schedule_version_task_link_person_link"

    production_schedule_version_task_link_id: Mapped[uuid.UUID] = link_key(
        "production_schedule_version_task_link", index=False
    )
    person_id: Mapped[uuid.UUID] = link_key("person", index=False)


class ProductionScheduleVersionTaskLink(Model):
    """A task's dates and estimate as planned in one schedule version."""

    __tablename__ = "production_schedule_version_task_link"

    production_schedule_version_id: Mapped[uuid.UUID] = foreign_key(
        "production_schedule_version", ondelete="CASCADE"
    )
    task_id: Mapped[uuid.UUID] = foreign_key("task", ondelete="CASCADE")
    start_date: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    due_date: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    estimation: Mapped[float | None] = mapped_column(sa.Float, default=0)

    assignees: Mapped[list["Person"]] = relationship(
        secondary="production_schedule_version_task_link_person_link",
        lazy="select",
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "production_schedule_version_id",
            "task_id",
            name="production_schedule_version_task_link_uc",
        ),
    )
