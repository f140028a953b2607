"""Chat feeds attached to entities."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Model, foreign_key, link_key


class ChatParticipant(Base):
    __tablename__ = "chat_participant"

    chat_id: Mapped[uuid.UUID] = link_key("chat", index=False)
    person_id: Mapped[uuid.UUID] = link_key("person", index=False)


class Chat(Model):
    __tablename__ = "chat"

    object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), index=True
    )
    object_type: Mapped[str] = mapped_column(
        sa.String(80), default="entity", index=True
    )
    last_message: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime
    )

    participants: Mapped[list["Person"]] = relationship(
        secondary="chat_participant", lazy="select"
    )


class ChatMessage(Model):
    __tablename__ = "chat_message"

    chat_id: Mapped[uuid.UUID] = foreign_key("chat")
    person_id: Mapped[uuid.UUID] = foreign_key("person")
    text: Mapped[str | None] = mapped_column(sa.Text)

    attachment_files: Mapped[list["AttachmentFile"]] = relationship(
        lazy="select"
    )
