"""Productions, their team and the settings they pick from the studio lists."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuditColumns, Base, Model

PRODUCTION_STYLES = (
    "2d",
    "2dpaper",
    "3d",
    "2d3d",
    "ar",
    "vfx",
    "stop-motion",
    "motion-design",
    "archviz",
    "commercial",
    "catalog",
    "immersive",
    "nft",
    "video-game",
    "vr",
)
# Every role but client sees a status on the board unless told otherwise.
DEFAULT_BOARD_ROLES = ("user", "admin", "supervisor", "manager", "vendor")


def default_board_roles():
    return list(DEFAULT_BOARD_ROLES)


class ProjectPersonLink(Base):
    """Team membership: what grants access to a production."""

    __tablename__ = "project_person_link"

    project_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("person.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    # A role code from person.ROLES overriding the person's global role in
    # this production; NULL keeps the global one.
    role: Mapped[str | None] = mapped_column(sa.String(255))


class ProjectTaskTypeLink(AuditColumns, Base):
    __tablename__ = "project_task_type_link"

    project_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project.id", ondelete="CASCADE"),
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
    # NULL bitrates fall back to the project's.
    hd_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    ld_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    is_client_visible: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "project_id", "task_type_id", name="project_tasktype_uc"
        ),
    )


class ProjectTaskTypeSoftwareLink(AuditColumns, Base):
    """The software a production's artists use for a task type."""

    __tablename__ = "project_task_type_software_link"

    project_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    task_type_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("task_type.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    software_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("software.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "project_id",
            "task_type_id",
            "software_id",
            name="project_task_type_software_uc",
        ),
    )


class ProjectTaskStatusLink(AuditColumns, Base):
    __tablename__ = "project_task_status_link"

    project_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project.id", ondelete="CASCADE"),
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
    # NULL falls back to task_status.is_client_allowed.
    is_client_allowed: Mapped[bool | None] = mapped_column(sa.Boolean)

    __table_args__ = (
        sa.UniqueConstraint(
            "project_id", "task_status_id", name="project_taskstatus_uc"
        ),
    )


class ProjectAssetTypeLink(Base):
    __tablename__ = "project_asset_type_link"

    project_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    asset_type_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("entity_type.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class ProjectStatusAutomationLink(Base):
    __tablename__ = "project_status_automation_link"

    project_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    status_automation_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("status_automation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class ProjectPreviewBackgroundFileLink(Base):
    __tablename__ = "project_preview_background_file_link"

    project_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("project.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )
    preview_background_file_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey("preview_background_file.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class Project(Model):
    __tablename__ = "project"

    name: Mapped[str] = mapped_column(sa.String(80), unique=True, index=True)
    code: Mapped[str | None] = mapped_column(sa.String(80))
    description: Mapped[str | None] = mapped_column(sa.Text)
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    file_tree: Mapped[dict | None] = mapped_column(JSONB)
    data: Mapped[dict | None] = mapped_column(JSONB)
    has_avatar: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
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
    start_date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    end_date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    man_days: Mapped[int | None] = mapped_column(sa.Integer)
    nb_episodes: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    episode_span: Mapped[int | None] = mapped_column(sa.Integer, default=0)
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
    homepage: Mapped[str | None] = mapped_column(
        sa.String(80), default="assets"
    )
    is_publish_default_for_artists: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    is_bot_collaboration_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
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
    # NULL bitrates fall back to the server configuration.
    hd_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    ld_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    project_status_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), sa.ForeignKey("project_status.id"), index=True
    )
    default_preview_background_file_id: Mapped[uuid.UUID | None] = (
        mapped_column(
            UUID(as_uuid=True),
            sa.ForeignKey("preview_background_file.id"),
            index=True,
        )
    )
    # project <-> production_schedule_version reference each other, so this
    # side is added after both tables exist.
    from_schedule_version_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey(
            "production_schedule_version.id",
            ondelete="SET NULL",
            use_alter=True,
        ),
        index=True,
    )

    team: Mapped[list["Person"]] = relationship(
        secondary="project_person_link", lazy="select"
    )
    asset_types: Mapped[list["EntityType"]] = relationship(
        secondary="project_asset_type_link", lazy="select"
    )
    task_statuses: Mapped[list["TaskStatus"]] = relationship(
        secondary="project_task_status_link", lazy="select"
    )
    task_types: Mapped[list["TaskType"]] = relationship(
        secondary="project_task_type_link", lazy="select"
    )
    status_automations: Mapped[list["StatusAutomation"]] = relationship(
        secondary="project_status_automation_link", lazy="select"
    )
    preview_background_files: Mapped[list["PreviewBackgroundFile"]] = (
        relationship(
            secondary="project_preview_background_file_link", lazy="select"
        )
    )
