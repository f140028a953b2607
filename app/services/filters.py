"""Saved searches of the list pages and the groups they are filed in
(behaviours.md row 23): /data/user/filters and /data/user/filter-groups.

A filter belongs to the person who saved it. A shared one (only a manager
of its project may share) shows in the lists of that project's team; one
bound to a department shows, among the shared ones, to that department's
members and to the project's managers. A filter filed in a group is shared
exactly when its group is: sharing or unsharing a group carries its filters.

Zou shows every shared filter to everyone in the studio and checks
sharing against the project the request body names (none on most
updates, so an update could never share): here the shared ones reach
their project's team only, and sharing is checked on the project the
filter ends up in.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import delete, func, or_, select, update

from app.errors import BadRequest, NotFound
from app.extensions import db
from app.models.project import Project, ProjectPersonLink
from app.models.search_filter import SearchFilter, SearchFilterGroup
from app.models.settings import Department
from app.permissions import as_uuid, project_role, require_person, \
    require_project_access, team_project_ids
from app.services import crud, projects


@dataclass(frozen=True)
class Kind:
    model: type
    collection: str
    label: str


FILTERS = Kind(SearchFilter, "search-filters", "search filter")
GROUPS = Kind(SearchFilterGroup, "search-filter-groups", "search filter group")


# Reading --------------------------------------------------------------------

def _open_projects(actor):
    if actor.is_admin:
        return select(Project.id).where(projects.is_open(Project.project_status_id))
    return team_project_ids(actor)


def _manages_row_project(actor, table):
    """SQL: the actor is a manager in the row's project (by their role there)."""
    if actor.is_admin:
        return sa.true()
    link = ProjectPersonLink
    role = func.coalesce(select(link.role).where(
        link.project_id == table.c.project_id, link.person_id == actor.person.id)
        .scalar_subquery(), actor.role)
    return role == "manager"


def _listed(actor, table):
    """SQL: the rows the actor's lists show. Their own (unless their
    project is closed) and the shared ones of their open productions,
    narrowed to their departments unless they manage the project."""
    in_open = table.c.project_id.in_(_open_projects(actor))
    own = sa.and_(table.c.person_id == actor.person.id,
                  or_(table.c.project_id.is_(None), in_open))
    mine = [as_uuid(d) for d in actor.department_ids]
    shared = sa.and_(table.c.is_shared.is_(True), in_open, or_(
        table.c.department_id.is_(None), table.c.department_id.in_(mine),
        _manages_row_project(actor, table)))
    return or_(own, shared)


def listing(actor, kind):
    """{list_type: {project id or "all": [rows]}} of what the actor sees;
    groups newest first, filters oldest first (as Zou orders them)."""
    require_person(actor)
    table = kind.model.__table__
    # Ordered on the stored time: the wire one is cut to the second.
    rows = crud.select_rows(crud.collection(kind.collection), actor, _listed(actor, table),
                            columns=[table.c.created_at.label("created_at_exact")],
                            sort=("created_at_exact", "id"))
    if kind is GROUPS:
        rows.reverse()
    grouped = {}
    for row in rows:
        del row["created_at_exact"]
        by_project = grouped.setdefault(row["list_type"], {})
        by_project.setdefault(row["project_id"] or "all", []).append(row)
    return grouped


def _load(actor, kind, instance_id, *, read=False):
    """The row if it is the actor's own (any row for admins; for a read,
    any row their lists show too), else 404."""
    table = kind.model.__table__
    allowed = [table.c.person_id == actor.person.id]
    if actor.is_admin:
        allowed.append(sa.true())
    if read:
        allowed.append(_listed(actor, table))
    row = db.session.scalars(select(kind.model).where(
        table.c.id == as_uuid(instance_id, f"{kind.label} id"), or_(*allowed))).first()
    if row is None:
        raise NotFound(f"You have no {kind.label} with the id {instance_id}.")
    return row


def get_group(actor, group_id):
    require_person(actor)
    return _answer(actor, GROUPS, _load(actor, GROUPS, group_id, read=True))


# Checks -------------------------------------------------------------------------

def _check_project(actor, project_id):
    if project_id is None:
        return
    if db.session.get(Project, as_uuid(project_id, "project id")) is None:
        raise BadRequest(f"No project has the id {project_id}.")
    require_project_access(actor, project_id)


def _check_department(department_id):
    if department_id is not None and db.session.get(
            Department, as_uuid(department_id, "department id")) is None:
        raise BadRequest(f"No department has the id {department_id}.")


def _may_share(actor, project_id):
    """Only a project's managers share its filters; a filter of no project
    is never shared."""
    return project_id is not None and project_role(actor, project_id) in ("admin", "manager")


def _check_group_sharing(actor, group_id, is_shared):
    if group_id is None:
        return
    group = _load(actor, GROUPS, group_id, read=True)
    if bool(group.is_shared) != bool(is_shared):
        raise BadRequest("A search filter must be shared exactly when its group is "
                         "(is_shared differs from the group's).")


# Writing ----------------------------------------------------------------------------

def _answer(actor, kind, row):
    return crud.serialize(crud.collection(kind.collection), actor, row, relations=False)


def create(actor, kind, values):
    """A filter or group of the actor's. Sharing asked by someone who may
    not share is dropped, as Zou does (Kitsu offers it to managers only)."""
    require_person(actor)
    values = dict(values)
    if kind is FILTERS:
        values["search_query"] = values.pop("query")
    _check_project(actor, values.get("project_id"))
    _check_department(values.get("department_id"))
    values["is_shared"] = bool(values.get("is_shared")) and _may_share(
        actor, values.get("project_id"))
    if kind is FILTERS:
        _check_group_sharing(actor, values.get("search_filter_group_id"), values["is_shared"])
    row = kind.model(person_id=actor.person.id)
    crud.apply_values(crud.collection(kind.collection), row, values)
    db.session.add(row)
    db.session.commit()
    return _answer(actor, kind, row)


def update_one(actor, kind, instance_id, values):
    """Change the actor's own filter or group (any, for admins). Absent and
    null values leave a field as it is, but a null group takes a filter
    out of its group."""
    require_person(actor)
    row = _load(actor, kind, instance_id)
    values = {k: v for k, v in values.items()
              if v is not None or k == "search_filter_group_id"}
    moved = "project_id" in values and str(values["project_id"]) != str(row.project_id)
    if moved:
        _check_project(actor, values["project_id"])
    _check_department(values.get("department_id"))
    # Sharing anew, or taking a shared row to another project, is sharing.
    if (values.get("is_shared", row.is_shared) and (moved or not row.is_shared)
            and not _may_share(actor, values.get("project_id", row.project_id))):
        values["is_shared"] = False
    if kind is FILTERS:
        _check_group_sharing(actor, values.get("search_filter_group_id",
                                               row.search_filter_group_id),
                             values.get("is_shared", row.is_shared))
    crud.apply_values(crud.collection(kind.collection), row, values)
    if kind is GROUPS and "is_shared" in values:
        db.session.execute(update(SearchFilter).where(
            SearchFilter.search_filter_group_id == row.id).values(is_shared=row.is_shared))
    db.session.commit()
    return _answer(actor, kind, row)


def remove(actor, kind, instance_id):
    """Delete the actor's own filter or group (any, for admins); a group
    takes the filters filed in it along, whoever saved them."""
    require_person(actor)
    row = _load(actor, kind, instance_id)
    if kind is GROUPS:
        db.session.execute(delete(SearchFilter).where(
            SearchFilter.search_filter_group_id == row.id))
    db.session.delete(row)
    db.session.commit()
