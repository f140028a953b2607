"""Saved searches of the list pages, and the groups they are filed in."""
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model, foreign_key


class SearchFilterGroup(Model):
    __tablename__ = "search_filter_group"

    list_type: Mapped[str] = mapped_column(sa.String(80), index=True)
    entity_type: Mapped[str | None] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    color: Mapped[str] = mapped_column(sa.String(8), default="")
    is_shared: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")
    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
    department_id: Mapped[uuid.UUID | None] = foreign_key("department")


class SearchFilter(Model):
    __tablename__ = "search_filter"

    list_type: Mapped[str] = mapped_column(sa.String(80), index=True)
    entity_type: Mapped[str | None] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    search_query: Mapped[str] = mapped_column(sa.String(500), default="")
    is_shared: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    department_id: Mapped[uuid.UUID | None] = foreign_key("department")
    search_filter_group_id: Mapped[uuid.UUID | None] = foreign_key(
        "search_filter_group"
    )
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")
    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
