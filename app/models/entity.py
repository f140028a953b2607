"""Assets, shots, sequences, episodes, scenes, edits and concepts.

They all live in the one `entity` table, told apart by `entity_type_id`
(behaviours.md 3.1), with casting and asset instances around them.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuditColumns, Base, Model, foreign_key, link_key

ENTITY_STATUSES = ("standby", "running", "complete", "canceled")


class EntityLink(AuditColumns, Base):
    """Casting: `entity_in` (a shot, a scene...) uses `entity_out`, an
    asset."""

    __tablename__ = "entity_link"

    entity_in_id: Mapped[uuid.UUID] = link_key("entity")
    entity_out_id: Mapped[uuid.UUID] = link_key("entity")
    data: Mapped[dict | None] = mapped_column(JSONB)
    # The misspelling is Zou's column name, part of the wire format.
    nb_occurences: Mapped[int | None] = mapped_column(sa.Integer, default=1)
    label: Mapped[str | None] = mapped_column(sa.String(80), default="")

    __table_args__ = (
        sa.UniqueConstraint(
            "entity_in_id", "entity_out_id", name="entity_link_uc"
        ),
    )


class EntityConceptLink(AuditColumns, Base):
    """A concept (`entity_in`) illustrating an entity (`entity_out`)."""

    __tablename__ = "entity_concept_link"

    entity_in_id: Mapped[uuid.UUID] = link_key("entity", index=False)
    entity_out_id: Mapped[uuid.UUID] = link_key("entity", index=False)


class AssetInstanceLink(Base):
    """Instance casting: the asset instances a shot or scene uses."""

    __tablename__ = "asset_instance_link"

    entity_id: Mapped[uuid.UUID] = link_key("entity", index=False)
    asset_instance_id: Mapped[uuid.UUID] = link_key(
        "asset_instance", index=False
    )


class Entity(Model):
    __tablename__ = "entity"

    name: Mapped[str] = mapped_column(sa.String(160))
    code: Mapped[str | None] = mapped_column(sa.String(160))
    description: Mapped[str | None] = mapped_column(sa.Text)
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer)
    canceled: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    nb_frames: Mapped[int | None] = mapped_column(sa.Integer)
    nb_entities_out: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    is_casting_standby: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    is_shared: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    status: Mapped[str] = mapped_column(
        sa.String(255), default="running", index=True
    )
    project_id: Mapped[uuid.UUID] = foreign_key("project")
    entity_type_id: Mapped[uuid.UUID] = foreign_key("entity_type")
    parent_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    source_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    # entity -> preview_file -> task -> entity is a cycle: this side is
    # added once the tables exist.
    preview_file_id: Mapped[uuid.UUID | None] = foreign_key(
        "preview_file", name="fk_main_preview", use_alter=True, index=False
    )
    data: Mapped[dict | None] = mapped_column(JSONB)
    ready_for: Mapped[uuid.UUID | None] = foreign_key(
        "task_type", name="fk_ready_for", index=False
    )
    created_by: Mapped[uuid.UUID | None] = foreign_key("person")

    entities_out: Mapped[list["Entity"]] = relationship(
        secondary="entity_link",
        primaryjoin="Entity.id == EntityLink.entity_in_id",
        secondaryjoin="Entity.id == EntityLink.entity_out_id",
        back_populates="entities_in",
        lazy="select",
    )
    entities_in: Mapped[list["Entity"]] = relationship(
        secondary="entity_link",
        primaryjoin="Entity.id == EntityLink.entity_out_id",
        secondaryjoin="Entity.id == EntityLink.entity_in_id",
        back_populates="entities_out",
        lazy="select",
    )
    entity_concept_links: Mapped[list["Entity"]] = relationship(
        secondary="entity_concept_link",
        primaryjoin="Entity.id == EntityConceptLink.entity_in_id",
        secondaryjoin="Entity.id == EntityConceptLink.entity_out_id",
        lazy="select",
    )
    instance_casting: Mapped[list["AssetInstance"]] = relationship(
        secondary="asset_instance_link",
        back_populates="shots",
        lazy="select",
    )

    __table_args__ = (
        # NULL parents never collide, so this does not stop two assets of
        # one type sharing a name: Zou's constraint, kept as is.
        sa.UniqueConstraint(
            "name",
            "project_id",
            "entity_type_id",
            "parent_id",
            name="entity_uc",
        ),
        sa.Index(
            "ix_entity_project_type_status",
            "project_id",
            "entity_type_id",
            "status",
        ),
        sa.Index(
            "ix_entity_entity_type_parent", "entity_type_id", "parent_id"
        ),
        sa.Index(
            "ix_entity_entity_type_project", "entity_type_id", "project_id"
        ),
    )


class EntityVersion(Model):
    """A snapshot of a shot or edit (frame range, data) at a point in time."""

    __tablename__ = "entity_version"

    name: Mapped[str] = mapped_column(sa.String(160))
    data: Mapped[dict | None] = mapped_column(JSONB)
    entity_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    person_id: Mapped[uuid.UUID | None] = foreign_key("person")


class AssetInstance(Model):
    """One occurrence of an asset in a scene, or inside another asset."""

    __tablename__ = "asset_instance"

    asset_id: Mapped[uuid.UUID] = foreign_key("entity")
    name: Mapped[str | None] = mapped_column(sa.String(80))
    number: Mapped[int | None] = mapped_column(sa.Integer)
    description: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool | None] = mapped_column(sa.Boolean, default=True)
    data: Mapped[dict | None] = mapped_column(JSONB)
    scene_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    target_asset_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    # Deprecated in Zou but still in its schema and payloads.
    entity_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    entity_type_id: Mapped[uuid.UUID | None] = foreign_key("entity_type")

    shots: Mapped[list["Entity"]] = relationship(
        secondary="asset_instance_link",
        back_populates="instance_casting",
        lazy="select",
    )

    __table_args__ = (
        sa.UniqueConstraint(
            "asset_id",
            "target_asset_id",
            "scene_id",
            "number",
            name="asset_instance_uc",
        ),
    )
