"""Person records: who sees what of them, the rules of their writes, and
the administration of accounts (behaviours.md row 3)."""
import datetime
import logging

from flask import current_app
from sqlalchemy import delete, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from app import api, events
from app.errors import BadRequest, Forbidden
from app.extensions import db
from app.models.base import utc_now
from app.permissions import as_uuid, require_admin, team_project_ids
from app.serialize import serialize, serialize_person
from app.services import accounts, auth, crud, mailer, passwords, tokens, two_factor

log = logging.getLogger(__name__)

# What non-admins (and non-managers) see of other people.
MINIMAL = frozenset({"id", "first_name", "last_name", "has_avatar", "active", "studio_id",
                     "role", "desktop_login", "is_bot"})
# Clients see a name and an avatar to put on a comment, nothing of how the
# studio is organised, and only the people of their productions.
CLIENT_VIEW = frozenset({"id", "first_name", "last_name", "has_avatar", "active", "role",
                         "is_bot"})
# Never written through the collection: secrets, second factors and
# sign-in bookkeeping have their own routes.
READ_ONLY = frozenset({
    "jti", "totp_enabled", "email_otp_enabled", "fido_enabled", "last_login_failed",
    "login_failed_attemps", "preferred_two_factor_authentication", "has_avatar",
    "is_generated_from_ldap", "oidc_issuer", "oidc_subject", "saml_issuer", "saml_subject",
    "preview_project_id", "preview_opened_at", "preview_open_until",
})
# What a person may not change on their own record. A person may set their
# own expiration_date: that issues them a personal API token, as in Zou.
NOT_FOR_SELF = frozenset({"role", "departments", "active", "is_bot", "archived", "studio_id",
                          "ldap_uid", "last_presence", "is_guest"})
INVITATION_SECONDS = 7 * 24 * 3600


def _model():
    from app.models.person import Person
    return Person


def extra_columns(table):
    return [(table.c.first_name + literal(" ") + table.c.last_name).label("full_name")]


def department_ids(person_id):
    from app.models.person import DepartmentLink

    return [str(d) for d in db.session.execute(
        select(DepartmentLink.department_id).where(DepartmentLink.person_id == person_id)
    ).scalars()]


def serialize_self(person, departments):
    """A person as they see themselves: every field but the secrets."""
    data = serialize_person(person)
    data["departments"] = list(departments)
    return data


# Reading -------------------------------------------------------------------

def _teammates(actor):
    from app.models.project import ProjectPersonLink

    return select(ProjectPersonLink.person_id).where(
        ProjectPersonLink.project_id.in_(team_project_ids(actor)))


def visible_to(actor):
    """SQL criteria on the person table limiting rows to those the actor may
    see: everyone, but clients see themselves and their productions' teams."""
    if actor.role != "client":
        return ()
    Person = _model()
    return (or_(Person.id == actor.person.id, Person.id.in_(_teammates(actor))),)


class Policy:
    def hidden_columns(self, actor):
        if actor.role in ("admin", "manager"):
            return frozenset()
        visible = CLIENT_VIEW if actor.role == "client" else MINIMAL
        return frozenset(c.name for c in _model().__table__.c) - visible

    def list_scope(self, actor, coll, stmt):
        return stmt.where(*visible_to(actor))

    def read(self, actor, coll, row):
        criteria = visible_to(actor)
        if criteria and db.session.scalar(
                select(func.count()).where(_model().id == row.id, *criteria)) == 0:
            raise Forbidden("Clients only see the people of their productions.")

    def create(self, actor, coll, data):
        require_admin(actor)

    def update(self, actor, coll, row, data):
        if actor.is_admin:
            return
        if str(row.id) != actor.id:
            raise Forbidden("Only admins can change other people.")
        # Kitsu sends the whole form back: unchanged values are no change.
        refused = sorted(name for name in NOT_FOR_SELF & data.keys()
                         if not _unchanged(row, name, data[name]))
        if actor.is_bot and not _unchanged(row, "expiration_date", data.get(
                "expiration_date", row.expiration_date)):
            refused.append("expiration_date")
        if refused:
            raise Forbidden(f"You cannot change these fields yourself: {', '.join(refused)}.")

    def delete(self, actor, coll, row):
        require_admin(actor)
        if str(row.id) == actor.id:
            raise Forbidden("You cannot delete yourself.")
        _refuse_protected(row, "Can't delete this person: it's a protected account.")


def _unchanged(row, name, value):
    if name == "departments":
        return set(value) == set(department_ids(row.id))
    current = getattr(row, name)
    return current == value or (current is not None and str(current) == str(value))


def _is_protected(person):
    protected = [e.lower() for e in current_app.config["PROTECTED_ACCOUNTS"]]
    return not person.is_bot and (person.email or "").lower() in protected


def _refuse_protected(person, message):
    if _is_protected(person):
        raise Forbidden(message)


# Writing through the collection -------------------------------------------

def _validate(data):
    from app.models.person import (
        CONTRACT_TYPES, DISPLAY_DATE_FORMATS, POSITIONS, ROLES, SENIORITIES,
    )

    for name, choices in (("role", ROLES), ("contract_type", CONTRACT_TYPES),
                          ("position", POSITIONS), ("seniority", SENIORITIES),
                          ("display_date_format", DISPLAY_DATE_FORMATS)):
        if data.get(name) is not None and data[name] not in choices:
            raise BadRequest(f"Invalid {name}, expected one of: {', '.join(choices)}.")
    if data.get("email") is not None:
        data["email"] = _normalized_email(data["email"])
    if "country" in data:
        data["country"] = _normalized_country(data["country"])
    if "locale" in data:
        data["locale"] = _normalized_locale(data["locale"])
    return data


def _normalized_email(email):
    import email_validator

    try:
        # A studio's own domain may have no dot ("jdoe@studio"), as in Zou
        # without deliverability checks.
        return email_validator.validate_email(
            email, check_deliverability=False, globally_deliverable=False).normalized
    except email_validator.EmailNotValidError as exc:
        raise BadRequest(f"Email is not valid: {exc}")


def _normalized_country(country):
    country = (country or "").strip().upper()
    if not country:
        return None
    if len(country) != 2 or not (country.isascii() and country.isalpha()):
        raise BadRequest("Invalid country code, expected an ISO 3166-1 alpha-2 code.")
    return country


def _normalized_locale(locale):
    from babel import Locale, UnknownLocaleError

    locale = (locale or "").strip()
    if not locale:
        return None
    try:
        Locale.parse(locale)
    except (ValueError, TypeError, UnknownLocaleError):
        raise BadRequest("Invalid locale, expected a name Babel knows (e.g. en_US, fr_FR).")
    return locale


def _check_expiration(date, current=None):
    if date is not None and date != current and date < datetime.date.today():
        raise BadRequest("Expiration date can't be in the past.")


def _check_unique_email(email, is_bot, person_id=None):
    Person = _model()
    if not email or is_bot:
        return
    stmt = select(Person.id).where(func.lower(Person.email) == email.lower(),
                                   Person.is_bot.is_not(True))
    if person_id is not None:
        stmt = stmt.where(Person.id != person_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise BadRequest("Email already in use.")


def _counts_against_limit(values):
    return values.get("active", True) and not values.get("is_bot") and not values.get("is_guest")


class Hooks(crud.Hooks):
    # gazu's new_person sends the first password with the other fields.
    create_inputs = {"password": api.String()}

    def list_columns(self, actor, args):
        """The bcrypt hash, for admins who ask with ?with_pass_hash=true (moving
        accounts from one Kitsu to another); never the second-factor secrets."""
        asked = api.Boolean().parse("with_pass_hash", args.get("with_pass_hash", "false"))
        if actor.is_admin and asked:
            return [func.convert_from(_model().password, "UTF8").label("password")]
        return []

    def before_create(self, actor, data):
        _validate(data)
        _check_expiration(data.get("expiration_date"))
        _check_unique_email(data.get("email"), data.get("is_bot"))
        if _counts_against_limit(data):
            accounts.check_user_limit()
        if data.get("password"):
            passwords.validate_new_password(data["password"], data["password"])
        data.setdefault("timezone", current_app.config["DEFAULT_TIMEZONE"])
        data.setdefault("locale", current_app.config["DEFAULT_LOCALE"])
        data.setdefault("contract_type", "open-ended")
        data.setdefault("is_bot", False)
        data.setdefault("is_guest", False)
        return data

    def after_create(self, actor, row, password=None):
        if password:
            row.password = passwords.hash_secret(password)
        if row.is_bot:
            token, row.jti = tokens.issue_api_token(row.id, True, row.expiration_date)
            return {"access_token": token}
        return None

    def before_update(self, actor, row, data):
        _validate(data)
        if "expiration_date" in data:
            _check_expiration(data["expiration_date"], row.expiration_date)
        if "email" in data:
            _check_unique_email(data["email"], data.get("is_bot", row.is_bot), row.id)
        if actor.id != str(row.id):
            if data.get("active") is False:
                _refuse_protected(row, "Can't set this person as inactive: "
                                       "it's a protected account.")
            if data.get("role") not in (None, row.role):
                _refuse_protected(row, "Can't change the role of this person: "
                                       "it's a protected account.")
        if data.get("active") and not row.active and _counts_against_limit(
                {"is_bot": data.get("is_bot", row.is_bot), "is_guest": row.is_guest}):
            accounts.check_user_limit()
        return data

    def after_update(self, actor, row, data):
        # A new expiration date means a new long-lived token; the previous
        # one stops working because only the stored jti is honoured. An
        # already-past date (re-sent unchanged) would only give a dead token.
        date = data.get("expiration_date")
        if ("expiration_date" in data and (row.is_bot or date)
                and (date is None or date >= datetime.date.today())):
            token, row.jti = tokens.issue_api_token(row.id, row.is_bot, date)
            return {"access_token": token}
        return None

    def before_delete(self, actor, row, force):
        if force:
            _remove_belongings(row.id)


def _belongings(person_id):
    """What ?force=true removes: (model, criterion) of the rows deleted with
    the person, in an order their foreign keys allow, and the references
    set to null. Link tables (teams, assignments, departments, mentions,
    chat participants) drop their rows on their own (ON DELETE CASCADE).

    Previews published with the person's comments stay on their tasks: the
    work outlives its author, only the author's name is detached.
    """
    from app.models.budget import BudgetEntry
    from app.models.chat import ChatMessage
    from app.models.comment import Comment
    from app.models.entity import Entity, EntityVersion
    from app.models.events import (
        ApiEvent, DesktopLoginLog, LoginLog, News, Notification, Subscription,
    )
    from app.models.files import AttachmentFile, OutputFile, PreviewFile, WorkingFile
    from app.models.playlist import Playlist, PlaylistShareLink
    from app.models.search_filter import SearchFilter, SearchFilterGroup
    from app.models.task import Task
    from app.models.timesheet import DayOff, TimeSpent

    comments = select(Comment.id).where(Comment.person_id == person_id)
    messages = select(ChatMessage.id).where(ChatMessage.person_id == person_id)
    groups = select(SearchFilterGroup.id).where(SearchFilterGroup.person_id == person_id)
    deleted = [
        (Notification, or_(Notification.person_id == person_id,
                           Notification.author_id == person_id,
                           Notification.comment_id.in_(comments))),
        (News, or_(News.author_id == person_id, News.comment_id.in_(comments))),
        (AttachmentFile, or_(AttachmentFile.comment_id.in_(comments),
                             AttachmentFile.chat_message_id.in_(messages))),
        (Comment, Comment.person_id == person_id),
        (ChatMessage, ChatMessage.person_id == person_id),
        (SearchFilter, SearchFilter.person_id == person_id),
        (SearchFilterGroup, SearchFilterGroup.person_id == person_id),
        (ApiEvent, ApiEvent.user_id == person_id),
        (LoginLog, LoginLog.person_id == person_id),
        (DesktopLoginLog, DesktopLoginLog.person_id == person_id),
        (Subscription, Subscription.person_id == person_id),
        (TimeSpent, TimeSpent.person_id == person_id),
        (DayOff, DayOff.person_id == person_id),
        (PlaylistShareLink, PlaylistShareLink.created_by == person_id),
    ]
    nulled = [
        (SearchFilter.search_filter_group_id, SearchFilter.search_filter_group_id.in_(groups)),
        *((column, column == person_id) for column in (
            Task.assigner_id, Comment.editor_id, PreviewFile.person_id, WorkingFile.person_id,
            OutputFile.person_id, Entity.created_by, EntityVersion.person_id,
            Playlist.created_by, BudgetEntry.person_id)),
    ]
    return deleted, nulled


def _remove_belongings(person_id):
    """Delete what belongs to the person and detach what only names them,
    one statement per table, so the person row itself can go."""
    from app.models.task import Task
    from app.models.timesheet import TimeSpent

    timed_tasks = select(TimeSpent.task_id).where(TimeSpent.person_id == person_id) \
        .distinct().scalar_subquery()
    # A task's duration is the sum of its time spents: recompute it on the
    # tasks the person logged time on, as if their time spents were gone.
    remaining = select(func.coalesce(func.sum(TimeSpent.duration), 0)).where(
        TimeSpent.task_id == Task.id, TimeSpent.person_id != person_id).scalar_subquery()
    db.session.execute(update(Task).where(Task.id.in_(timed_tasks)).values(duration=remaining))
    deleted, nulled = _belongings(person_id)
    for column, criterion in nulled:
        db.session.execute(update(column.table).where(criterion).values({column.name: None}))
    for model, criterion in deleted:
        db.session.execute(delete(model).where(criterion))


# Account administration ----------------------------------------------------

def load(person_id):
    return crud.load(crud.collection("persons"), person_id)


def _load_human(person_id):
    """The person, or 403 for a bot: passwords and second factors are for
    people signing in."""
    person = load(person_id)
    if person.is_bot:
        raise Forbidden("Bots have no password or second factor.")
    return person


def _check_password_change_allowed(actor, person):
    if str(person.id) == actor.id:
        return
    if _is_protected(person):
        raise BadRequest("This user is in protected accounts.")
    if person.role == "admin" and person.password is not None:
        raise BadRequest("An admin can't change another admin's password.")


def _refuse_inactive(person):
    if not person.active:
        raise BadRequest("User is unactive.")


def _notice(person, subject, what, ip_address):
    origin = f" (from {ip_address})" if ip_address else ""
    mailer.send(person.email, subject,
                f"Hello {person.first_name},\n\n{what}{origin}. If you did not expect "
                "this, contact your studio administrator.")


def change_password(actor, person_id, *, password, password_2, ip_address=None):
    """An admin sets someone's password; the person is told by mail."""
    require_admin(actor)
    person = _load_human(person_id)
    _check_password_change_allowed(actor, person)
    _refuse_inactive(person)
    passwords.validate_new_password(password, password_2)
    person.password = passwords.hash_secret(password)
    person.login_failed_attemps = 0
    person.last_login_failed = None
    db.session.commit()
    log.warning("%s changed the password of %s", actor.person.email, person.email)
    _notice(person, "Your password was changed",
            "An administrator changed the password of your account", ip_address)
    return {"success": True}


def disable_two_factor(actor, person_id, *, ip_address=None):
    require_admin(actor)
    person = _load_human(person_id)
    if person.role == "admin" and str(person.id) != actor.id:
        raise BadRequest("An admin can't disable 2FA for other admins.")
    _refuse_inactive(person)
    if not two_factor.enabled_methods(person):
        raise BadRequest("Two factor authentication not enabled for this user.")
    two_factor.disable_all(person)
    db.session.commit()
    log.warning("%s disabled the two-factor authentication of %s",
                actor.person.email, person.email)
    _notice(person, "Your two-factor authentication was disabled",
            "An administrator disabled the two-factor authentication of your account",
            ip_address)
    return {"success": True}


def invite(actor, person_id):
    """Mail the person a link to choose their password (valid a week)."""
    require_admin(actor)
    person = _load_human(person_id)
    _refuse_inactive(person)
    if not person.email:
        raise BadRequest("This person has no e-mail address.")
    from app.services.organisation import get_row

    token = auth.create_reset_token(person, seconds=INVITATION_SECONDS)
    link = auth.reset_link(token, person.email, token_type="new")
    name = get_row().name
    mailer.send(person.email, f"You are invited to {name} on Kitsu",
                f"Hello {person.first_name},\n\nYou are invited to join {name} on Kitsu. "
                f"Your login is {person.email}. Choose your password here:\n{link}")
    return {"success": True, "message": "Email sent"}


def reset_password_link(actor, person_id):
    """The password reset URL the person would get by mail, for an admin to
    hand over another way."""
    require_admin(actor)
    person = _load_human(person_id)
    _check_password_change_allowed(actor, person)
    token = auth.create_reset_token(person)
    log.info("%s generated a password reset link for %s", actor.person.email, person.email)
    return {"reset_password_link": auth.reset_link(token, person.email)}


def _department(department_id):
    from app.models.settings import Department

    department = db.session.get(Department, as_uuid(department_id, "department id"))
    if department is None:
        raise BadRequest("Department ID matches no department")
    return department


def add_to_department(actor, person_id, department_id):
    from app.models.person import DepartmentLink

    require_admin(actor)
    person = load(person_id)
    department = _department(department_id)
    db.session.execute(insert(DepartmentLink).values(
        person_id=person.id, department_id=department.id).on_conflict_do_nothing())
    events.emit("person:update", {"person_id": person.id})
    db.session.commit()
    return crud.serialize(crud.collection("persons"), actor, person, relations=True)


def remove_from_department(actor, person_id, department_id):
    from app.models.person import DepartmentLink

    require_admin(actor)
    person = load(person_id)
    department = _department(department_id)
    db.session.execute(delete(DepartmentLink).where(
        DepartmentLink.person_id == person.id, DepartmentLink.department_id == department.id))
    events.emit("person:update", {"person_id": person.id})
    db.session.commit()


# Desktop logins ------------------------------------------------------------

def desktop_login_logs(actor, person_id):
    """The person's DCC sign-ins, newest first: theirs, or for admins and
    production managers (who read presence)."""
    from app.models.events import DesktopLoginLog

    if not (actor.role in ("admin", "manager") or str(person_id) == actor.id):
        raise Forbidden("Only the person themselves, a manager or an admin can read this.")
    person = load(person_id)
    rows = db.session.execute(
        select(*DesktopLoginLog.__table__.c)
        .where(DesktopLoginLog.person_id == person.id)
        .order_by(DesktopLoginLog.date.desc())
    ).mappings()
    return [{**row, "type": "DesktopLoginLog"} for row in rows]


def add_desktop_login_log(actor, person_id, date=None):
    """Record a sign-in from a DCC plugin and move the person's last
    presence to their latest sign-in or time spent."""
    from app.models.events import DesktopLoginLog
    from app.models.timesheet import TimeSpent

    if not (actor.is_admin or str(person_id) == actor.id):
        raise Forbidden("Only the person themselves or an admin can do this.")
    person = load(person_id)
    entry = DesktopLoginLog(person_id=person.id, date=date or utc_now())
    db.session.add(entry)
    db.session.flush()
    Person = _model()
    last_login = select(func.max(DesktopLoginLog.date)).where(
        DesktopLoginLog.person_id == Person.id).scalar_subquery()
    last_time_spent = select(func.max(TimeSpent.date)).where(
        TimeSpent.person_id == Person.id).scalar_subquery()
    db.session.execute(update(Person).where(Person.id == person.id).values(
        last_presence=func.greatest(func.date(last_login), last_time_spent)))
    events.emit("person:update", {"person_id": person.id})
    db.session.commit()
    return serialize(entry)
