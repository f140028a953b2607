"""Account administration used by the CLI (and later by the persons API):
first admin, bots, rescue operations. Each function commits whole or not."""
import secrets

from sqlalchemy import func, select

from app.errors import BadRequest, NotFound
from app.extensions import db
from app.services import passwords, tokens, two_factor


def _model():
    from app.models.person import Person
    return Person


def new_person(**values):
    """A person with the studio's default timezone and locale."""
    from flask import current_app

    return _model()(**{
        "timezone": current_app.config["DEFAULT_TIMEZONE"],
        "locale": current_app.config["DEFAULT_LOCALE"],
        "contract_type": "open-ended", "is_guest": False, "active": True,
        **values,
    })


def count_licensed_users():
    """Active humans who count against USER_LIMIT (bots and guests don't)."""
    Person = _model()
    return db.session.scalar(
        select(func.count()).select_from(Person).where(
            Person.active.is_(True), Person.is_bot.is_(False), Person.is_guest.is_(False)
        )
    )


def has_active_admin():
    Person = _model()
    return db.session.scalar(
        select(func.count()).select_from(Person).where(
            Person.role == "admin", Person.active.is_(True), Person.is_bot.is_(False)
        )
    ) > 0


def check_user_limit():
    from flask import current_app

    limit = current_app.config["USER_LIMIT"]
    if count_licensed_users() >= limit:
        raise BadRequest(f"The user limit ({limit}) is reached.")


def get_by_login(login):
    from app.services.auth import find_by_login

    person = find_by_login(login)
    if person is None:
        raise NotFound(f"No person has the login {login!r}.")
    return person


def create_admin(email, password):
    """Create an admin, or promote the existing person with that e-mail."""
    Person = _model()
    person = db.session.execute(
        select(Person).where(func.lower(Person.email) == email.lower(), Person.is_bot.is_(False))
    ).scalar_one_or_none()
    passwords.validate_new_password(password, password)
    if person is None:
        check_user_limit()
        person = new_person(first_name="Super", last_name="Admin", email=email,
                            role="admin", is_bot=False)
        db.session.add(person)
        created = True
    else:
        if not person.active:
            check_user_limit()
        person.role = "admin"
        person.active = True
        created = False
    person.password = passwords.hash_secret(password)
    db.session.commit()
    return person, created


def create_bot(name, email, expiration_date=None, role="user"):
    """A bot person and its API token; only its newest token is honoured."""
    from app.models.person import ROLES

    if role not in ROLES:
        raise BadRequest(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    bot = new_person(first_name=name, last_name="", email=email, role=role, is_bot=True,
                     expiration_date=expiration_date)
    db.session.add(bot)
    db.session.flush()
    token, bot.jti = tokens.issue_api_token(bot.id, True, expiration_date)
    db.session.commit()
    return bot, token


def change_password(login, password):
    person = get_by_login(login)
    passwords.validate_new_password(password, password)
    person.password = passwords.hash_secret(password)
    person.login_failed_attemps = 0
    person.last_login_failed = None
    db.session.commit()
    return person


def set_active(login, active):
    person = get_by_login(login)
    if active and not person.active and not person.is_bot:
        check_user_limit()
    person.active = active
    db.session.commit()
    return person


def disable_two_factor(login):
    person = get_by_login(login)
    two_factor.disable_all(person)
    db.session.commit()
    return person


def random_password():
    return secrets.token_urlsafe(12)
