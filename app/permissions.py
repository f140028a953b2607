"""Who may do what.

A person's effective role in a project is resolved explicitly: admins are
admins everywhere; anyone else must be on the project's team, and their
per-project role (if set) overrides their global one. Nothing depends on
the order in which checks run: each check asks for the role it needs.
"""
import uuid

from flask import g
from sqlalchemy import func, select

from app.errors import BadRequest, Forbidden
from app.extensions import db

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")
# Roles that may see a production's whole data (vendors see their tasks only).
STAFF = ("admin", "manager", "supervisor", "user", "client")


def require_admin(actor):
    if not actor.is_admin:
        raise Forbidden("Only studio managers (admins) can do this.")


def require_person(actor):
    """Sessions, passwords and second factors belong to people, not bots."""
    if actor.is_bot:
        raise Forbidden("Bots cannot do this: it is for people signing in.")


def require_self_or_admin(actor, person_id):
    if not (actor.is_admin or str(person_id) == actor.id):
        raise Forbidden("Only the person themselves or an admin can do this.")


def reaches_department(actor, department_id):
    """A supervisor's reach over what belongs to a department (a task type,
    its tasks): one of their departments, or any when they have none."""
    return not actor.department_ids or (
        department_id is not None and str(department_id) in actor.department_ids)


def as_uuid(value, what="id"):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise BadRequest(f"Malformed {what}.")


def project_role(actor, project_id):
    """The actor's effective role in the project, or None when not on its team.

    Memoized for the request: a request sees one consistent answer.
    """
    if actor.is_admin:
        return "admin"
    cache = g.setdefault("project_roles", {})
    # Keyed by person too: g belongs to the app context, which a test (or a
    # CLI command) can share between the requests of several people.
    key = (actor.id, str(project_id))
    if key not in cache:
        from app.models.project import ProjectPersonLink

        row = db.session.execute(
            select(ProjectPersonLink.role).where(
                ProjectPersonLink.project_id == as_uuid(project_id, "project id"),
                ProjectPersonLink.person_id == actor.person.id,
            )
        ).first()
        cache[key] = None if row is None else (row.role or actor.role)
    return cache[key]


def require_project_access(actor, project_id):
    """The effective role, or 403 for anyone not on the team."""
    role = project_role(actor, project_id)
    if role is None:
        raise Forbidden("You are not on this project's team.")
    return role


def require_project_role(actor, project_id, roles):
    role = require_project_access(actor, project_id)
    if role not in roles and role != "admin":
        raise Forbidden(f"This needs one of these roles in the project: {', '.join(roles)}.")
    return role


def require_project_manager(actor, project_id):
    return require_project_role(actor, project_id, ("manager",))


def team_project_ids(actor, open_only=True, roles=None):
    """A subquery of the projects whose data the actor may list: those
    whose team they are on (open ones only, by default), and where their
    effective role is one of `roles` when given."""
    from app.models.project import Project, ProjectPersonLink
    from app.models.settings import ProjectStatus

    stmt = select(ProjectPersonLink.project_id).where(
        ProjectPersonLink.person_id == actor.person.id)
    if roles is not None:
        stmt = stmt.where(func.coalesce(ProjectPersonLink.role, actor.role).in_(roles))
    if open_only:
        stmt = (stmt.join(Project, Project.id == ProjectPersonLink.project_id)
                .join(ProjectStatus, ProjectStatus.id == Project.project_status_id)
                .where(ProjectStatus.name == "Open"))
    return stmt
