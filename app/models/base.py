"""Declarative base shared by every table.

Every non-link table carries a UUID `id` and naive-UTC `created_at` /
`updated_at`, as the wire format expects (see behaviours.md section 0).
"""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# PostgreSQL's own default names, so a database created from these models and
# one created by Zou's migrations name their constraints alike. Check
# constraints must be named explicitly: an unnamed one fails at table creation
# rather than getting a name PostgreSQL picks.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "ck": "%(constraint_name)s",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}


def utc_now():
    # Stored naive: the API speaks naive UTC timestamps.
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class AuditColumns:
    """The three audit columns every Zou table but the bare link tables has.

    Zou leaves the timestamps nullable; so does the contract (models.tsv).
    """

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, default=uuid.uuid4
    )
    created_at: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime, default=utc_now
    )
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime, default=utc_now, onupdate=utc_now
    )


class Model(AuditColumns, Base):
    """A table identified by its own `id`.

    Link tables subclass `Base` directly. Some of them also mix in
    `AuditColumns`: their `id` then only joins the composite primary key.
    """

    __abstract__ = True


def foreign_key(
    table, *, ondelete=None, name=None, use_alter=False, index=True, **kw
):
    """A UUID column referencing `table.id`; `kw` goes to `mapped_column`.

    Indexed unless told otherwise, as Zou indexes nearly all its foreign
    keys.
    """
    return mapped_column(
        UUID(as_uuid=True),
        sa.ForeignKey(
            f"{table}.id", ondelete=ondelete, name=name, use_alter=use_alter
        ),
        index=index,
        **kw,
    )


def link_key(table, *, index=True):
    """A column of a link table's composite primary key: deleting the row
    it points to deletes the link."""
    return foreign_key(
        table, ondelete="CASCADE", index=index, primary_key=True
    )
