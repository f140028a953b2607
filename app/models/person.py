"""Studio members, API bots, and their departments."""
import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Model, foreign_key, link_key

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")
CONTRACT_TYPES = (
    "open-ended",
    "fixed-term",
    "short-term",
    "freelance",
    "apprentice",
    "internship",
)
POSITIONS = ("supervisor", "lead", "artist")
SENIORITIES = ("senior", "mid", "junior")
TWO_FACTOR_METHODS = ("totp", "email_otp", "fido")
DISPLAY_DATE_FORMATS = ("YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY")


class Email(sa.TypeDecorator):
    """An e-mail address, lower-cased whenever it is written or compared.

    Zou does the same, so logins and the one-address-per-person index ignore
    case. Done in the type rather than in a service so Core statements get it
    too.
    """

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.lower() if isinstance(value, str) else value


class DepartmentLink(Base):
    __tablename__ = "department_link"
    # Zou also has a unique constraint on this same pair; the primary key
    # already enforces it (and CREATE TABLE would drop it as a duplicate).

    person_id: Mapped[uuid.UUID] = link_key("person")
    department_id: Mapped[uuid.UUID] = link_key("department")


class Person(Model):
    __tablename__ = "person"

    first_name: Mapped[str] = mapped_column(sa.String(80))
    last_name: Mapped[str] = mapped_column(sa.String(80))
    email: Mapped[str | None] = mapped_column(Email(255))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    contract_type: Mapped[str] = mapped_column(
        sa.String(255), default="open-ended", server_default="open-ended"
    )
    active: Mapped[bool | None] = mapped_column(sa.Boolean, default=True)
    archived: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    last_presence: Mapped[datetime.date | None] = mapped_column(sa.Date)
    password: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    desktop_login: Mapped[str | None] = mapped_column(sa.String(80))
    # The misspelling is Zou's column name, part of the wire format.
    login_failed_attemps: Mapped[int | None] = mapped_column(
        sa.Integer, default=0
    )
    last_login_failed: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime
    )
    totp_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    totp_secret: Mapped[str | None] = mapped_column(sa.String(32))
    email_otp_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    email_otp_secret: Mapped[str | None] = mapped_column(sa.String(32))
    fido_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    fido_credentials: Mapped[list[dict] | None] = mapped_column(ARRAY(JSONB))
    otp_recovery_codes: Mapped[list[bytes] | None] = mapped_column(
        ARRAY(sa.LargeBinary)
    )
    preferred_two_factor_authentication: Mapped[str | None] = mapped_column(
        sa.String(255)
    )
    shotgun_id: Mapped[int | None] = mapped_column(sa.Integer, unique=True)
    # No default here: the studio-wide timezone and locale live in the
    # runtime configuration (Redis), which the service reads on creation.
    timezone: Mapped[str | None] = mapped_column(sa.String(50))
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    use_12_hour_clock: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    display_date_format: Mapped[str | None] = mapped_column(
        sa.String(20), default="YYYY-MM-DD"
    )
    data: Mapped[dict | None] = mapped_column(JSONB)
    role: Mapped[str] = mapped_column(sa.String(255), default="user")
    position: Mapped[str | None] = mapped_column(
        sa.String(255), default="artist"
    )
    seniority: Mapped[str | None] = mapped_column(
        sa.String(255), default="mid"
    )
    daily_salary: Mapped[int | None] = mapped_column(sa.Integer, default=0)
    has_avatar: Mapped[bool | None] = mapped_column(sa.Boolean, default=False)
    notifications_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    notifications_slack_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    notifications_slack_userid: Mapped[str | None] = mapped_column(
        sa.String(60), default=""
    )
    notifications_mattermost_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    notifications_mattermost_userid: Mapped[str | None] = mapped_column(
        sa.String(60), default=""
    )
    notifications_discord_enabled: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    notifications_discord_userid: Mapped[str | None] = mapped_column(
        sa.String(60), default=""
    )
    is_bot: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    is_guest: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    preview_project_id: Mapped[uuid.UUID | None] = foreign_key(
        "project", unique=True
    )
    preview_opened_at: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime
    )
    preview_open_until: Mapped[datetime.datetime | None] = mapped_column(
        sa.DateTime
    )
    jti: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    expiration_date: Mapped[datetime.date | None] = mapped_column(sa.Date)
    is_generated_from_ldap: Mapped[bool | None] = mapped_column(
        sa.Boolean, default=False
    )
    ldap_uid: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    oidc_issuer: Mapped[str | None] = mapped_column(sa.Text)
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(255))
    saml_issuer: Mapped[str | None] = mapped_column(sa.Text)
    saml_subject: Mapped[str | None] = mapped_column(sa.String(255))
    studio_id: Mapped[uuid.UUID | None] = foreign_key("studio")

    departments: Mapped[list["Department"]] = relationship(
        secondary="department_link", lazy="select"
    )

    __table_args__ = (
        # Bots may share an address with a person (or with each other): only
        # humans need a unique one to log in and receive mail.
        sa.Index(
            "only_one_email_by_person",
            "email",
            "is_bot",
            unique=True,
            postgresql_where=sa.text("is_bot IS NOT TRUE"),
        ),
        sa.UniqueConstraint(
            "oidc_issuer", "oidc_subject", name="person_oidc_identity_uc"
        ),
        sa.UniqueConstraint(
            "saml_issuer", "saml_subject", name="person_saml_identity_uc"
        ),
    )
