"""Reusable production configurations: settings without production data."""
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import AuditColumns, Base, Model, link_key
from app.models.project import (
    AssetTypeLinkColumns,
    PreviewBackgroundFileLinkColumns,
    ProductionSettings,
    StatusAutomationLinkColumns,
    TaskStatusLinkColumns,
    TaskTypeLinkColumns,
)


class ProjectTemplateTaskTypeLink(TaskTypeLinkColumns, AuditColumns, Base):
    __tablename__ = "project_template_task_type_link"

    project_template_id: Mapped[uuid.UUID] = link_key("project_template")

    __table_args__ = (
        sa.UniqueConstraint(
            "project_template_id",
            "task_type_id",
            name="project_template_tasktype_uc",
        ),
    )


class ProjectTemplateTaskStatusLink(TaskStatusLinkColumns, AuditColumns, Base):
    __tablename__ = "project_template_task_status_link"

    project_template_id: Mapped[uuid.UUID] = link_key("project_template")

    __table_args__ = (
        sa.UniqueConstraint(
            "project_template_id",
            "task_status_id",
            name="project_template_taskstatus_uc",
        ),
    )


class ProjectTemplateAssetTypeLink(AssetTypeLinkColumns, Base):
    __tablename__ = "project_template_asset_type_link"

    project_template_id: Mapped[uuid.UUID] = link_key("project_template")


class ProjectTemplateStatusAutomationLink(StatusAutomationLinkColumns, Base):
    __tablename__ = "project_template_status_automation_link"

    project_template_id: Mapped[uuid.UUID] = link_key("project_template")


class ProjectTemplatePreviewBackgroundFileLink(
    PreviewBackgroundFileLinkColumns, Base
):
    __tablename__ = "project_template_preview_background_file_link"

    project_template_id: Mapped[uuid.UUID] = link_key("project_template")


class ProjectTemplate(ProductionSettings, Model):
    __tablename__ = "project_template"

    # Descriptor snapshots (name, field_name, data_type, choices, ...) kept
    # as JSON: as rows they would need a project to belong to.
    metadata_descriptors: Mapped[list | None] = mapped_column(
        JSONB, default=list
    )
