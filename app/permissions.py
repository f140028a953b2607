"""Who may do what.

Global rules live here; project-scoped rules resolve the person's effective
role in that project explicitly (see behaviours.md section 2).
"""
from app.errors import Forbidden


def require_admin(actor):
    if not actor.is_admin:
        raise Forbidden("Only studio managers (admins) can do this.")


def require_person(actor):
    """Sessions, passwords and second factors belong to people, not bots."""
    if actor.is_bot:
        raise Forbidden("Bots cannot do this: it is for people signing in.")
