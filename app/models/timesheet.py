"""Time logged on tasks, and days off."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, foreign_key


class TimeSpent(Model):
    __tablename__ = "time_spent"

    duration: Mapped[float] = mapped_column(sa.Float)
    date: Mapped[datetime.date] = mapped_column(sa.Date)
    task_id: Mapped[uuid.UUID | None] = foreign_key("task")
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")

    __table_args__ = (
        sa.UniqueConstraint(
            "person_id", "task_id", "date", name="time_spent_uc"
        ),
        sa.CheckConstraint("duration > 0", name="check_duration_positive"),
    )


class DayOff(Model):
    __tablename__ = "day_off"

    date: Mapped[datetime.date] = mapped_column(sa.Date)
    end_date: Mapped[datetime.date] = mapped_column(sa.Date)
    description: Mapped[str | None] = mapped_column(sa.Text)
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")

    __table_args__ = (
        sa.UniqueConstraint("person_id", "date", name="day_off_uc"),
        sa.CheckConstraint("date <= end_date", name="day_off_date_check"),
    )
