"""GET /data/user/context: everything the Kitsu app loads when it starts,
in one answer (behaviours.md row 23).

Each part is the list the matching route gives the caller, as JSON that
PostgreSQL builds (the small studio-wide lists all in one statement); the
answer is those pieces joined, so a studio of many people and productions
costs a fixed number of queries (eight at most) and no Python object per row but
for the open projects.
"""
import sqlalchemy as sa
from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.http import dumps
from app.models.events import Notification
from app.models.person import Person
from app.models.project import ProjectPersonLink
from app.models.settings import Plugin
from app.permissions import require_person
from app.services import assets, crud, filters, persons, projects

# The studio-wide settings every role but vendors reads (as their
# collections say); vendors get empty lists.
NOT_FOR_VENDORS = ("custom_actions", "custom-actions"), \
    ("status_automations", "status-automations")
REFERENCE = (("departments", "departments"), ("studios", "studios"),
             ("project_status", "project-status"), ("task_types", "task-types"),
             ("task_status", "task-status"),
             ("preview_background_files", "preview-background-files"))
N = Notification.__table__
# What the app shows of an installed plugin.
PLUGIN_FIELDS = ("id", "plugin_id", "name", "description", "version", "maintainer_name",
                 "maintainer_email", "frontend_project_enabled", "frontend_studio_enabled",
                 "icon")


def _people(actor):
    """The persons collection as the caller may list it (records for
    admins and managers, the minimal form for others, the people of their
    productions only and without departments for clients), without guest
    and preview accounts, which are no studio members."""
    coll = crud.collection("persons")
    return crud.select_json(coll, actor, Person.is_guest.is_not(True),
                            Person.preview_project_id.is_(None), *persons.visible_to(actor),
                            relations=actor.role != "client", sort=("full_name", "id"))


def _project_roles(actor):
    """{project id: role} where a per-project role overrides the caller's
    global one (none for admins, who are admins everywhere)."""
    if actor.is_admin:
        return {}
    link = ProjectPersonLink
    return {str(project_id): role for project_id, role in db.session.execute(
        select(link.project_id, link.role).where(link.person_id == actor.person.id,
                                                 link.role.is_not(None)))}


def _json_array(*columns):
    """SQL: the rows of `columns` as a JSON array, as text."""
    rows = select(*columns).subquery()
    return sa.cast(func.coalesce(
        select(func.json_agg(func.row_to_json(rows.table_valued()))).scalar_subquery(),
        sa.text("'[]'::json")), sa.Text)


def _collection_json(actor, name):
    """SQL: the collection's rows as its list gives them (no relations)."""
    coll = crud.collection(name)
    return _json_array(*map(crud.wire_column, coll.visible_columns(actor)),
                       sa.literal(coll.wire_type).label("type"))


def _settings(actor):
    """{key: JSON bytes} of the studio-wide lists, the plugins and the
    unread notification count, read in one statement."""
    names = REFERENCE + (() if actor.role == "vendor" else NOT_FOR_VENDORS)
    plugin = Plugin.__table__
    row = db.session.execute(select(
        *(_collection_json(actor, name).label(key) for key, name in names),
        _json_array(*(plugin.c[name] for name in PLUGIN_FIELDS)).label("plugins"),
        sa.cast(select(func.count()).where(N.c.person_id == actor.person.id,
                                           N.c.read.is_(False)).scalar_subquery(), sa.Text)
        .label("notification_count"))).one()._mapping
    out = {key: value.encode() for key, value in row.items()}
    if actor.role == "vendor":
        out.update((key, b"[]") for key, _ in NOT_FOR_VENDORS)
    return out


def parts(actor):
    """(key, JSON bytes or a value to encode) of the context, in order."""
    settings = _settings(actor)
    out = [
        ("asset_types", assets.asset_types(actor, {})),
        *((key, settings[key]) for key in (
            "custom_actions", "status_automations", "departments", "studios",
            "notification_count")),
        ("persons", _people(actor)),
        ("project_roles", _project_roles(actor)),
        ("projects", projects.open_projects(actor)),
        *((key, settings[key]) for key in ("project_status", "task_types", "task_status")),
        ("search_filters", filters.listing(actor, filters.FILTERS)),
        ("search_filter_groups", filters.listing(actor, filters.GROUPS)),
        *((key, settings[key]) for key in ("preview_background_files", "plugins")),
    ]
    if actor.is_admin:
        out.append(("user_limit", current_app.config["USER_LIMIT"]))
    return out


def context_json(actor):
    require_person(actor)
    return b"{" + b",".join(
        dumps(key) + b":" + (value if isinstance(value, bytes) else dumps(value))
        for key, value in parts(actor)) + b"}"
