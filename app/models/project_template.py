"""Reusable production configurations: settings without production data."""
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuditColumns, Base, Model
from app.models.project import default_board_roles


class ProjectTemplateTaskTypeLink(AuditColumns, Base):
    __tablename__ = "project_template_task_type_link"

    project_template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project_template.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    task_type_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("task_type.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    priority: Mapped[int | None] = mapped_column(sa.Integer)
    hd_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    ld_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    is_client_visible: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "project_template_id",
            "task_type_id",
            name="project_template_tasktype_uc",
        ),
    )


class ProjectTemplateTaskStatusLink(AuditColumns, Base):
    __tablename__ = "project_template_task_status_link"

    project_template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project_template.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    task_status_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("task_status.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    priority: Mapped[int | None] = mapped_column(sa.Integer)
    roles_for_board: Mapped[list[str] | None] = mapped_column(
        ARRAY(sa.String(255)), default=default_board_roles
    )
    is_client_allowed: Mapped[bool | None] = mapped_column(sa.Boolean)

    __table_args__ = (
        sa.UniqueConstraint(
            "project_template_id",
            "task_status_id",
            name="project_template_taskstatus_uc",
        ),
    )


class ProjectTemplateAssetTypeLink(Base):
    __tablename__ = "project_template_asset_type_link"

    project_template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project_template.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    asset_type_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("entity_type.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class ProjectTemplateStatusAutomationLink(Base):
    __tablename__ = "project_template_status_automation_link"

    project_template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project_template.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    status_automation_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("status_automation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class ProjectTemplatePreviewBackgroundFileLink(Base):
    __tablename__ = "project_template_preview_background_file_link"

    project_template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project_template.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    preview_background_file_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("preview_background_file.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class ProjectTemplate(Model):
    __tablename__ = "project_template"

    name: Mapped[str] = mapped_column(sa.String(80), unique=True, index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    fps: Mapped[str | None] = mapped_column(sa.String(10), default="25")
    ratio: Mapped[str | None] = mapped_column(sa.String(10), default="16:9")
    resolution: Mapped[str | None] = mapped_column(
        sa.String(12), default="1920x1080"
    )
    production_type: Mapped[str | None] = mapped_column(
        sa.String(20), default="short"
    )
    production_style: Mapped[str] = mapped_column(
        sa.String(255), default="2d3d"
    )
    max_retakes: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    is_clients_isolated: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    is_client_stats_visible: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    is_client_task_list_visible: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    is_client_task_panel_visible: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    is_preview_download_allowed: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    is_set_preview_automated: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    is_publish_default_for_artists: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    is_single_preview_per_revision: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    is_frame_in_numbering: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    revision_padding: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text("0")
    )
    homepage: Mapped[str | None] = mapped_column(
        sa.String(80), default="assets"
    )
    hd_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    ld_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    file_tree: Mapped[dict | None] = mapped_column(JSONB)
    data: Mapped[dict | None] = mapped_column(JSONB)
    # Descriptor snapshots (name, field_name, data_type, choices, ...) kept
    # as JSON: as rows they would need a project to belong to.
    metadata_descriptors: Mapped[list | None] = mapped_column(
        JSONB, default=list
    )
    default_preview_background_file_id: Mapped[uuid.UUID | None] = (
        mapped_column(
            UUID(as_uuid=True),
            sa.ForeignKey("preview_background_file.id"),
            index=True,
        )
    )

    task_types: Mapped[list["TaskType"]] = relationship(
        secondary="project_template_task_type_link", lazy="select"
    )
    task_statuses: Mapped[list["TaskStatus"]] = relationship(
        secondary="project_template_task_status_link", lazy="select"
    )
    asset_types: Mapped[list["EntityType"]] = relationship(
        secondary="project_template_asset_type_link", lazy="select"
    )
    status_automations: Mapped[list["StatusAutomation"]] = relationship(
        secondary="project_template_status_automation_link", lazy="select"
    )
    preview_background_files: Mapped[list["PreviewBackgroundFile"]] = (
        relationship(
            secondary="project_template_preview_background_file_link",
            lazy="select",
        )
    )
