"""Studio-wide reference data: the vocabularies productions pick from.

Departments have software and hardware links, but no relationship
attributes for them: Zou's department payload carries no such lists, even
with `relations=true`, and adding them would change the wire format.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuditColumns, Base, Model, foreign_key, link_key
from app.models.person import Email

OUT_FIELD_TYPES = ("status", "ready_for")
METADATA_DATA_TYPES = (
    "string",
    "number",
    "list",
    "taglist",
    "boolean",
    "checklist",
    "date",
    "url",
    "textarea",
    "person",
)


class Organisation(Model):
    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    hours_by_day: Mapped[float] = mapped_column(sa.Float, default=8)
    has_avatar: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    use_original_file_name: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    timesheets_locked: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    format_duration_in_hours: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    hd_by_default: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    chat_token_slack: Mapped[str | None] = mapped_column(
        sa.String(80), default=""
    )
    chat_webhook_mattermost: Mapped[str | None] = mapped_column(
        sa.String(80), default=""
    )
    chat_token_discord: Mapped[str | None] = mapped_column(
        sa.String(80), default=""
    )
    dark_theme_by_default: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )


class Studio(Model):
    __tablename__ = "studio"

    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    color: Mapped[str] = mapped_column(sa.String(7))
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)


class Department(Model):
    __tablename__ = "department"

    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    color: Mapped[str] = mapped_column(sa.String(7))
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)


class Software(Model):
    __tablename__ = "software"

    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(20))
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    version: Mapped[str | None] = mapped_column(sa.String(20))
    file_extension: Mapped[str] = mapped_column(sa.String(20))
    secondary_extensions: Mapped[list | None] = mapped_column(JSONB)
    monthly_cost: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    inventory_amount: Mapped[int | None] = mapped_column(
        sa.Integer, default=0
    )


class HardwareItem(Model):
    __tablename__ = "hardware_item"

    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(20))
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    monthly_cost: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    inventory_amount: Mapped[int | None] = mapped_column(
        sa.Integer, default=0
    )


class SoftwareDepartmentLink(AuditColumns, Base):
    __tablename__ = "software_department_link"

    department_id: Mapped[uuid.UUID] = link_key("department")
    software_id: Mapped[uuid.UUID] = link_key("software")

    __table_args__ = (
        sa.UniqueConstraint(
            "department_id", "software_id", name="software_department_link_uc"
        ),
    )


class HardwareItemDepartmentLink(AuditColumns, Base):
    __tablename__ = "hardware_item_department_link"

    department_id: Mapped[uuid.UUID] = link_key("department")
    hardware_item_id: Mapped[uuid.UUID] = link_key("hardware_item")

    __table_args__ = (
        sa.UniqueConstraint(
            "hardware_item_id",
            "department_id",
            name="hardware_item_department_link_uc",
        ),
    )


class ProjectStatus(Model):
    __tablename__ = "project_status"

    name: Mapped[str] = mapped_column(sa.String(20), unique=True, index=True)
    color: Mapped[str] = mapped_column(sa.String(7))


class TaskType(Model):
    __tablename__ = "task_type"

    name: Mapped[str] = mapped_column(sa.String(40))
    short_name: Mapped[str | None] = mapped_column(sa.String(20))
    description: Mapped[str | None] = mapped_column(sa.Text)
    color: Mapped[str | None] = mapped_column(sa.String(7), default="#FFFFFF")
    priority: Mapped[int | None] = mapped_column(sa.Integer, default=1)
    for_entity: Mapped[str | None] = mapped_column(
        sa.String(30), default="Asset"
    )
    allow_timelog: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True
    )
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    department_id: Mapped[uuid.UUID | None] = foreign_key("department")

    __table_args__ = (
        sa.UniqueConstraint(
            "name", "for_entity", "department_id", name="task_type_uc"
        ),
    )


class TaskStatus(Model):
    __tablename__ = "task_status"

    name: Mapped[str] = mapped_column(sa.String(40))
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    short_name: Mapped[str] = mapped_column(
        sa.String(10), unique=True, index=True
    )
    description: Mapped[str | None] = mapped_column(sa.Text)
    color: Mapped[str] = mapped_column(sa.String(7))
    priority: Mapped[int | None] = mapped_column(sa.Integer, default=1)
    is_done: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, index=True
    )
    is_artist_allowed: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True
    )
    is_client_allowed: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=True
    )
    is_retake: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    is_feedback_request: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, index=True
    )
    is_default: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, index=True
    )
    is_wip: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, index=True
    )
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    for_concept: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )


class TaskTypeAssetTypeLink(Base):
    """The task types an asset type's workflow uses."""

    __tablename__ = "task_type_asset_type_link"
    # Zou also has a unique constraint on this same pair; the primary key
    # already enforces it (and CREATE TABLE would drop it as a duplicate).

    asset_type_id: Mapped[uuid.UUID] = link_key("entity_type")
    task_type_id: Mapped[uuid.UUID] = link_key("task_type")


class EntityType(Model):
    """Asset types, plus the built-in Episode/Sequence/Shot/... types."""

    __tablename__ = "entity_type"

    name: Mapped[str] = mapped_column(sa.String(30), unique=True, index=True)
    short_name: Mapped[str | None] = mapped_column(sa.String(20))
    description: Mapped[str | None] = mapped_column(sa.Text)
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)

    task_types: Mapped[list["TaskType"]] = relationship(
        secondary="task_type_asset_type_link", lazy="select"
    )


class FileStatus(Model):
    __tablename__ = "file_status"

    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    color: Mapped[str] = mapped_column(sa.String(7))


class OutputType(Model):
    __tablename__ = "output_type"

    name: Mapped[str] = mapped_column(sa.String(40), unique=True, index=True)
    short_name: Mapped[str] = mapped_column(sa.String(20))


class PreviewBackgroundFile(Model):
    """An HDR environment map for the 3D preview viewer."""

    __tablename__ = "preview_background_file"

    name: Mapped[str] = mapped_column(sa.String(40))
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    is_default: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, index=True
    )
    original_name: Mapped[str | None] = mapped_column(sa.String(250))
    extension: Mapped[str | None] = mapped_column(sa.String(6))
    file_size: Mapped[int | None] = mapped_column(sa.BigInteger, default=0)


class StatusAutomation(Model):
    """When a task of one type reaches a status, change another task."""

    __tablename__ = "status_automation"

    entity_type: Mapped[str | None] = mapped_column(
        sa.String(40), default="asset"
    )
    in_task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")
    in_task_status_id: Mapped[uuid.UUID | None] = foreign_key("task_status")
    out_field_type: Mapped[str] = mapped_column(
        sa.String(255), default="status"
    )
    out_task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")
    out_task_status_id: Mapped[uuid.UUID | None] = foreign_key("task_status")
    import_last_revision: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)


class CustomAction(Model):
    """A studio-defined HTTP call the web app offers on selected items."""

    __tablename__ = "custom_action"

    name: Mapped[str] = mapped_column(sa.String(80))
    url: Mapped[str | None] = mapped_column(sa.String(400))
    entity_type: Mapped[str | None] = mapped_column(
        sa.String(40), default="all"
    )
    is_ajax: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)


class DepartmentMetadataDescriptorLink(Base):
    """The departments whose supervisors may edit a descriptor's values."""

    __tablename__ = "department_metadata_descriptor_link"
    # Zou also has a unique constraint on this same pair; the primary key
    # already enforces it (and CREATE TABLE would drop it as a duplicate).

    metadata_descriptor_id: Mapped[uuid.UUID] = link_key("metadata_descriptor")
    department_id: Mapped[uuid.UUID] = link_key("department")


class MetadataDescriptor(Model):
    """A custom column of a production; values live in `data[field_name]`."""

    __tablename__ = "metadata_descriptor"

    project_id: Mapped[uuid.UUID] = foreign_key("project")
    entity_type: Mapped[str] = mapped_column(sa.String(60), index=True)
    # Set only on task-level descriptors, which are scoped to one task type.
    task_type_id: Mapped[uuid.UUID | None] = foreign_key(
        "task_type", name="fk_metadata_descriptor_task_type_id"
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    data_type: Mapped[str | None] = mapped_column(sa.String(255))
    field_name: Mapped[str] = mapped_column(sa.String(120))
    choices: Mapped[list | None] = mapped_column(JSONB)
    for_client: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, index=True
    )
    position: Mapped[int | None] = mapped_column(sa.Integer)

    departments: Mapped[list["Department"]] = relationship(
        secondary="department_metadata_descriptor_link", lazy="select"
    )

    # A unique constraint over task_type_id would let any number of
    # entity-level descriptors share a name (NULLs never collide), hence one
    # partial index per case.
    __table_args__ = (
        sa.Index(
            "metadata_descriptor_uc",
            "project_id",
            "entity_type",
            "name",
            unique=True,
            postgresql_where=sa.text("task_type_id IS NULL"),
        ),
        sa.Index(
            "metadata_descriptor_uc2",
            "project_id",
            "entity_type",
            "field_name",
            unique=True,
            postgresql_where=sa.text("task_type_id IS NULL"),
        ),
        sa.Index(
            "metadata_descriptor_task_type_uc",
            "project_id",
            "entity_type",
            "task_type_id",
            "name",
            unique=True,
            postgresql_where=sa.text("task_type_id IS NOT NULL"),
        ),
        sa.Index(
            "metadata_descriptor_task_type_uc2",
            "project_id",
            "entity_type",
            "task_type_id",
            "field_name",
            unique=True,
            postgresql_where=sa.text("task_type_id IS NOT NULL"),
        ),
    )


class Plugin(Model):
    __tablename__ = "plugin"

    plugin_id: Mapped[str] = mapped_column(
        sa.String(80), unique=True, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(80), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[str] = mapped_column(sa.String(50))
    maintainer_name: Mapped[str] = mapped_column(sa.String(200))
    maintainer_email: Mapped[str | None] = mapped_column(Email(255))
    website: Mapped[str | None] = mapped_column(sa.Text)
    license: Mapped[str] = mapped_column(sa.String(80))
    revision: Mapped[str | None] = mapped_column(sa.String(12))
    frontend_project_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    frontend_studio_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    icon: Mapped[str | None] = mapped_column(sa.String(255))
