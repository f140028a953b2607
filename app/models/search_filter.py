"""Saved searches of the list pages, and the groups they are filed in."""
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Model


class SearchFilterGroup(Model):
    __tablename__ = "search_filter_group"

    list_type: Mapped[str] = mapped_column(sa.String(80), index=True)
    entity_type: Mapped[str | None] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    color: Mapped[str] = mapped_column(sa.String(8), default="")
    is_shared: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("person.id"), index=True
    )
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("project.id"), index=True
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("department.id"), index=True
    )


class SearchFilter(Model):
    __tablename__ = "search_filter"

    list_type: Mapped[str] = mapped_column(sa.String(80), index=True)
    entity_type: Mapped[str | None] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    search_query: Mapped[str] = mapped_column(sa.String(500), default="")
    is_shared: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("department.id"), index=True
    )
    search_filter_group_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("search_filter_group.id"), index=True
    )
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("person.id"), index=True
    )
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("project.id"), index=True
    )
