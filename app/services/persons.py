"""Person records: who sees what of them, and the rules of their writes
(behaviours.md row 3)."""
import re

from flask import current_app
from sqlalchemy import func, literal, select

from app.errors import BadRequest, Forbidden
from app.extensions import db
from app.serialize import serialize_person
from app.services import accounts, crud, tokens

# What non-admins (and non-managers) see of other people.
MINIMAL = frozenset({"id", "first_name", "last_name", "has_avatar", "active", "studio_id",
                     "role", "desktop_login", "is_bot"})
# Never written through the collection: secrets, second factors and
# sign-in bookkeeping have their own routes.
READ_ONLY = frozenset({
    "jti", "totp_enabled", "email_otp_enabled", "fido_enabled", "last_login_failed",
    "login_failed_attemps", "preferred_two_factor_authentication", "has_avatar",
    "is_generated_from_ldap", "oidc_issuer", "oidc_subject", "saml_issuer", "saml_subject",
})
# What a person may not change on their own record.
NOT_FOR_SELF = frozenset({"role", "departments", "active", "is_bot", "archived", "studio_id",
                          "ldap_uid", "last_presence", "is_guest", "expiration_date"})
DATE_FORMATS = ("YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY")


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


class Policy:
    def hidden_columns(self, actor):
        if actor.role in ("admin", "manager"):
            return frozenset()
        from app.models.person import Person
        return frozenset(c.name for c in Person.__table__.c) - MINIMAL

    def list_scope(self, actor, coll, stmt):
        return stmt

    def read(self, actor, coll, row):
        pass

    def create(self, actor, coll, data):
        if not actor.is_admin:
            raise Forbidden("Only admins can create people.")

    def update(self, actor, coll, row, data):
        if actor.is_admin:
            return
        if str(row.id) != actor.id:
            raise Forbidden("Only admins can change other people.")
        refused = sorted(NOT_FOR_SELF & data.keys())
        if refused:
            raise Forbidden(f"You cannot change these fields yourself: {', '.join(refused)}.")

    def delete(self, actor, coll, row):
        if not actor.is_admin:
            raise Forbidden("Only admins can delete people.")
        if str(row.id) == actor.id:
            raise Forbidden("You cannot delete yourself.")
        _refuse_protected(row)


def _refuse_protected(person):
    if (person.email or "").lower() in [e.lower() for e in
                                        current_app.config["PROTECTED_ACCOUNTS"]]:
        raise Forbidden("This account is protected.")


def _validate(data):
    email = data.get("email")
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise BadRequest(f"Email is not valid: {email!r}.")
    country = data.get("country")
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise BadRequest("Country must be a two-letter ISO code.")
    locale = data.get("locale")
    if locale:
        from babel import Locale, UnknownLocaleError
        try:
            Locale.parse(locale)
        except (ValueError, UnknownLocaleError):
            raise BadRequest(f"Locale {locale!r} is unknown.")
    fmt = data.get("display_date_format")
    if fmt and fmt not in DATE_FORMATS:
        raise BadRequest(f"Date format must be one of {', '.join(DATE_FORMATS)}.")


def _check_unique_email(email, is_bot, person_id=None):
    from app.models.person import Person

    if not email or is_bot:
        return
    stmt = select(Person.id).where(func.lower(Person.email) == email.lower(),
                                   Person.is_bot.is_not(True))
    if person_id is not None:
        stmt = stmt.where(Person.id != person_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise BadRequest("This email is already used by someone else.")


def _counts_against_limit(values):
    return values.get("active", True) and not values.get("is_bot") and not values.get("is_guest")


class Hooks(crud.Hooks):
    def before_create(self, actor, data):
        _validate(data)
        _check_unique_email(data.get("email"), data.get("is_bot"))
        if _counts_against_limit(data):
            accounts.check_user_limit()
        data.setdefault("timezone", current_app.config["DEFAULT_TIMEZONE"])
        data.setdefault("locale", current_app.config["DEFAULT_LOCALE"])
        data.setdefault("contract_type", "open-ended")
        data.setdefault("is_bot", False)
        data.setdefault("is_guest", False)
        return data

    def after_create(self, actor, row):
        if row.is_bot:
            token, row.jti = tokens.issue_api_token(row.id, True, row.expiration_date)
            return {"access_token": token}
        return None

    def before_update(self, actor, row, data):
        _validate(data)
        if "email" in data:
            _check_unique_email(data["email"], data.get("is_bot", row.is_bot), row.id)
        if data.get("active") is False or "role" in data:
            if actor.id != str(row.id):
                _refuse_protected(row)
        if data.get("active") and not row.active and _counts_against_limit(
                {"is_bot": row.is_bot, "is_guest": row.is_guest}):
            accounts.check_user_limit()
        return data

    def after_update(self, actor, row, data):
        # A new expiration date means a new long-lived token; the previous
        # one stops working because only the stored jti is honoured.
        if "expiration_date" in data and (row.is_bot or row.expiration_date):
            token, row.jti = tokens.issue_api_token(row.id, row.is_bot, row.expiration_date)
            return {"access_token": token}
        return None
