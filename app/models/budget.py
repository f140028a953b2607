"""Production budgets and the studio's salary scales they are priced with.

`position` and `seniority` hold codes from person.POSITIONS and
person.SENIORITIES.
"""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, foreign_key


class Budget(Model):
    __tablename__ = "budget"

    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
    revision: Mapped[int] = mapped_column(sa.Integer, default=1)
    name: Mapped[str] = mapped_column(sa.String(255))
    currency: Mapped[str | None] = mapped_column(sa.String(3))


class BudgetEntry(Model):
    """A salary line of a budget: someone (or a role still to hire) in a
    department for a number of months."""

    __tablename__ = "budget_entry"

    budget_id: Mapped[uuid.UUID] = foreign_key("budget")
    department_id: Mapped[uuid.UUID] = foreign_key("department")
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")
    start_date: Mapped[datetime.date] = mapped_column(sa.Date)
    months_duration: Mapped[int] = mapped_column(sa.Integer)
    daily_salary: Mapped[float] = mapped_column(sa.Float)
    position: Mapped[str | None] = mapped_column(
        sa.String(255), default="artist"
    )
    seniority: Mapped[str | None] = mapped_column(
        sa.String(255), default="mid"
    )
    exceptions: Mapped[dict | None] = mapped_column(JSONB)


class SalaryScale(Model):
    __tablename__ = "salary_scale"

    department_id: Mapped[uuid.UUID] = foreign_key(
        "department", ondelete="CASCADE"
    )
    position: Mapped[str | None] = mapped_column(
        sa.String(255), default="artist"
    )
    seniority: Mapped[str | None] = mapped_column(
        sa.String(255), default="mid"
    )
    salary: Mapped[int] = mapped_column(sa.Integer, default=0)
