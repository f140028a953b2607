"""The caller's own records reached through /data/user and /actions/user:
their DCC sign-ins and their avatar. The rules are those of the
person routes (app/services/persons.py, app/services/avatars.py), applied
to the caller, who must be a person rather than a bot."""
from app.permissions import require_person
from app.services import avatars, persons


def desktop_login_logs(actor):
    require_person(actor)
    return persons.desktop_login_logs(actor, actor.id)


def add_desktop_login_log(actor, date=None):
    require_person(actor)
    return persons.add_desktop_login_log(actor, actor.id, date)


def clear_avatar(actor):
    require_person(actor)
    avatars.clear_person_avatar(actor, actor.id)
