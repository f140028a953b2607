"""Review playlists, the movie/archive builds made from them, and the
links that share them with people who have no account."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Model, foreign_key

BUILD_JOB_STATUSES = ("running", "failed", "succeeded")
BUILD_JOB_TYPES = ("archive", "movie")


class Playlist(Model):
    __tablename__ = "playlist"

    name: Mapped[str] = mapped_column(sa.String(80))
    shots: Mapped[list | None] = mapped_column(JSONB)
    project_id: Mapped[uuid.UUID | None] = foreign_key("project")
    episode_id: Mapped[uuid.UUID | None] = foreign_key("entity")
    task_type_id: Mapped[uuid.UUID | None] = foreign_key("task_type")
    for_client: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False, index=True
    )
    for_entity: Mapped[str | None] = mapped_column(
        sa.String(10), default="shot", index=True
    )
    is_for_all: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    created_by: Mapped[uuid.UUID | None] = foreign_key("person")

    build_jobs: Mapped[list["BuildJob"]] = relationship(lazy="select")

    __table_args__ = (
        sa.UniqueConstraint(
            "name", "project_id", "episode_id", name="playlist_uc"
        ),
    )


class BuildJob(Model):
    __tablename__ = "build_job"

    status: Mapped[str] = mapped_column(sa.String(255), default="running")
    job_type: Mapped[str] = mapped_column(sa.String(255), default="movie")
    ended_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    # Why a build failed or was degraded (a re-encoding fallback, say).
    message: Mapped[str | None] = mapped_column(sa.Text)
    playlist_id: Mapped[uuid.UUID] = foreign_key("playlist")


class PlaylistShareLink(Model):
    __tablename__ = "playlist_share_link"

    token: Mapped[str] = mapped_column(sa.String(64), unique=True, index=True)
    playlist_id: Mapped[uuid.UUID] = foreign_key("playlist")
    created_by: Mapped[uuid.UUID] = foreign_key("person")
    expiration_date: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime
    )
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    can_comment: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # A bcrypt hash; the wire format only ever shows `has_password`.
    password: Mapped[str | None] = mapped_column(sa.String(255))

    __table_args__ = (
        sa.Index(
            "ix_playlist_share_link_playlist_active",
            "playlist_id",
            "is_active",
        ),
    )
