"""Productions, their team and the settings they pick from the studio lists.

Production templates (project_template.py) reuse the settings columns and
link-table shapes declared here.
"""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.models.base import AuditColumns, Base, Model, foreign_key, link_key

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


# A project and a project template each link to the same kinds of rows
# through link tables of their own; these mixins hold what each pair shares.
# The owner's key stays in the table itself: a mixin's columns come after the
# class's own, and the owner's key leads the primary key.
class TaskTypeLinkColumns:
    task_type_id: Mapped[uuid.UUID] = link_key("task_type")
    priority: Mapped[int | None] = mapped_column(sa.Integer)
    # NULL bitrates fall back to those of the project (or template).
    hd_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    ld_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    is_client_visible: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )


class TaskStatusLinkColumns:
    task_status_id: Mapped[uuid.UUID] = link_key("task_status")
    priority: Mapped[int | None] = mapped_column(sa.Integer)
    roles_for_board: Mapped[list[str] | None] = mapped_column(
        ARRAY(sa.String(255)), default=default_board_roles
    )
    # NULL falls back to task_status.is_client_allowed.
    is_client_allowed: Mapped[bool | None] = mapped_column(sa.Boolean)


class AssetTypeLinkColumns:
    asset_type_id: Mapped[uuid.UUID] = link_key("entity_type")


class StatusAutomationLinkColumns:
    status_automation_id: Mapped[uuid.UUID] = link_key("status_automation")


class PreviewBackgroundFileLinkColumns:
    preview_background_file_id: Mapped[uuid.UUID] = link_key(
        "preview_background_file"
    )


class ProductionSettings:
    """What a project and a project template both configure.

    A mixin's columns come after the class's own, so these follow the
    columns each table has alone, whereas the initial migration interleaves
    them: only `SELECT *` and the key order of the JSON payloads can tell.
    """

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
    # NULL bitrates fall back to the server configuration.
    hd_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    ld_bitrate_compression: Mapped[int | None] = mapped_column(sa.Integer)
    file_tree: Mapped[dict | None] = mapped_column(JSONB)
    data: Mapped[dict | None] = mapped_column(JSONB)
    default_preview_background_file_id: Mapped[uuid.UUID | None] = (
        foreign_key("preview_background_file")
    )

    # Each table has its own link tables, named after it.
    @declared_attr
    def task_types(cls) -> Mapped[list["TaskType"]]:
        return relationship(
            secondary=f"{cls.__tablename__}_task_type_link", lazy="select"
        )

    @declared_attr
    def task_statuses(cls) -> Mapped[list["TaskStatus"]]:
        return relationship(
            secondary=f"{cls.__tablename__}_task_status_link", lazy="select"
        )

    @declared_attr
    def asset_types(cls) -> Mapped[list["EntityType"]]:
        return relationship(
            secondary=f"{cls.__tablename__}_asset_type_link", lazy="select"
        )

    @declared_attr
    def status_automations(cls) -> Mapped[list["StatusAutomation"]]:
        return relationship(
            secondary=f"{cls.__tablename__}_status_automation_link",
            lazy="select",
        )

    @declared_attr
    def preview_background_files(
        cls,
    ) -> Mapped[list["PreviewBackgroundFile"]]:
        return relationship(
            secondary=f"{cls.__tablename__}_preview_background_file_link",
            lazy="select",
        )


class ProjectPersonLink(Base):
    """Team membership: what grants access to a production."""

    __tablename__ = "project_person_link"

    project_id: Mapped[uuid.UUID] = link_key("project")
    person_id: Mapped[uuid.UUID] = link_key("person")
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    # A role code from person.ROLES overriding the person's global role in
    # this production; NULL keeps the global one.
    role: Mapped[str | None] = mapped_column(sa.String(255))


class ProjectTaskTypeLink(TaskTypeLinkColumns, AuditColumns, Base):
    __tablename__ = "project_task_type_link"

    project_id: Mapped[uuid.UUID] = link_key("project")

    __table_args__ = (
        sa.UniqueConstraint(
            "project_id", "task_type_id", name="project_tasktype_uc"
        ),
    )


class ProjectTaskTypeSoftwareLink(AuditColumns, Base):
    """The software a production's artists use for a task type."""

    __tablename__ = "project_task_type_software_link"

    project_id: Mapped[uuid.UUID] = link_key("project")
    task_type_id: Mapped[uuid.UUID] = link_key("task_type")
    software_id: Mapped[uuid.UUID] = link_key("software")

    __table_args__ = (
        sa.UniqueConstraint(
            "project_id",
            "task_type_id",
            "software_id",
            name="project_task_type_software_uc",
        ),
    )


class ProjectTaskStatusLink(TaskStatusLinkColumns, AuditColumns, Base):
    __tablename__ = "project_task_status_link"

    project_id: Mapped[uuid.UUID] = link_key("project")

    __table_args__ = (
        sa.UniqueConstraint(
            "project_id", "task_status_id", name="project_taskstatus_uc"
        ),
    )


class ProjectAssetTypeLink(AssetTypeLinkColumns, Base):
    __tablename__ = "project_asset_type_link"

    project_id: Mapped[uuid.UUID] = link_key("project")


class ProjectStatusAutomationLink(StatusAutomationLinkColumns, Base):
    __tablename__ = "project_status_automation_link"

    project_id: Mapped[uuid.UUID] = link_key("project")


class ProjectPreviewBackgroundFileLink(PreviewBackgroundFileLinkColumns, Base):
    __tablename__ = "project_preview_background_file_link"

    project_id: Mapped[uuid.UUID] = link_key("project")


class Project(ProductionSettings, Model):
    __tablename__ = "project"

    code: Mapped[str | None] = mapped_column(sa.String(80))
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    has_avatar: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    start_date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    end_date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    man_days: Mapped[int | None] = mapped_column(sa.Integer)
    nb_episodes: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    episode_span: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    is_bot_collaboration_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    project_status_id: Mapped[uuid.UUID | None] = foreign_key(
        "project_status"
    )
    # project <-> production_schedule_version reference each other, so this
    # side is added after both tables exist.
    from_schedule_version_id: Mapped[uuid.UUID | None] = foreign_key(
        "production_schedule_version", ondelete="SET NULL", use_alter=True
    )

    team: Mapped[list["Person"]] = relationship(
        secondary="project_person_link", lazy="select"
    )
