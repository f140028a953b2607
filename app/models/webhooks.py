"""Webhooks (beyond Zou): HTTPS endpoints that receive the event log, with a
log of every delivery attempt. See app/services/webhooks.py for the rules."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Model, foreign_key

DELIVERY_STATUSES = ("pending", "delivered", "failed")


class XID8(sa.types.UserDefinedType):
    """PostgreSQL's 64-bit transaction id: the first half of an event's
    position in the log (app/services/event_log.py)."""

    cache_ok = True

    def get_col_spec(self, **kw):
        return "xid8"


class Webhook(Model):
    __tablename__ = "webhook"

    name: Mapped[str] = mapped_column(sa.String(80))
    url: Mapped[str] = mapped_column(sa.String(2048))
    # Kept in clear: the worker needs it to sign each delivery.
    secret: Mapped[str] = mapped_column(sa.String(255))
    # Empty means every event name / every project. A name may end in ":*"
    # to match every action of an object ("task:*").
    event_names: Mapped[list] = mapped_column(ARRAY(sa.String(80)), default=list)
    project_ids: Mapped[list] = mapped_column(ARRAY(UUID(as_uuid=True)), default=list)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(sa.Text)
    disabled_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    created_by: Mapped[uuid.UUID | None] = foreign_key("person", ondelete="SET NULL")


class WebhookDelivery(Model):
    """One event to send to one webhook, retried until it succeeds or runs
    out of attempts. The body is frozen at fan-out so every attempt sends
    the same bytes (and the same signature input)."""

    __tablename__ = "webhook_delivery"

    webhook_id: Mapped[uuid.UUID] = foreign_key("webhook", ondelete="CASCADE")
    # No foreign key: deleting a person with force deletes their events, and
    # the delivery log must survive that.
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    event_name: Mapped[str] = mapped_column(sa.String(80))
    body: Mapped[dict] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_attempt_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    delivered_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.UniqueConstraint("webhook_id", "event_id", name="webhook_delivery_uc"),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed')", name="webhook_delivery_status_check"
        ),
        # The worker's queue: due deliveries, oldest first.
        sa.Index("ix_webhook_delivery_due", "next_attempt_at",
                 postgresql_where=sa.text("status = 'pending'")),
    )


class WebhookAttempt(Model):
    __tablename__ = "webhook_attempt"

    delivery_id: Mapped[uuid.UUID] = foreign_key("webhook_delivery", ondelete="CASCADE")
    number: Mapped[int] = mapped_column(sa.Integer)
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    error: Mapped[str | None] = mapped_column(sa.Text)
    duration_ms: Mapped[int] = mapped_column(sa.Integer)
    # The receiver's first bytes, to help whoever debugs it.
    response_body: Mapped[str | None] = mapped_column(sa.Text)


class WebhookCursor(Base):
    """How far the worker has fanned the event log out into deliveries
    (a single row): the log position of the last event it read."""

    __tablename__ = "webhook_cursor"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    tx_id: Mapped[str] = mapped_column(XID8)
    seq: Mapped[int] = mapped_column(sa.BigInteger)
