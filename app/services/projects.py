"""Productions: who sees them, their lifecycle, the lists Kitsu loads and
their team (behaviours.md row 5, section 2.2). Their settings are in
app/services/settings.py, their custom columns in app/services/descriptors.py.
"""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import Select, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app import api, events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import Base
from app.models.entity import Entity
from app.models.person import Person
from app.models.project import PRODUCTION_STYLES, Project, ProjectPersonLink, \
    ProjectTaskStatusLink, ProjectTaskTypeLink
from app.models.settings import EntityType, MetadataDescriptor, ProjectStatus
from app.permissions import ROLES, as_uuid, project_role, require_admin, \
    require_project_access, require_project_manager, team_project_ids
from app.services import avatars, crud, descriptors, file_trees, storage

OPEN, CLOSED = "Open", "Closed"
# Admin is a studio-wide role only.
PROJECT_ROLES = tuple(role for role in ROLES if role != "admin")
BITRATES = ("hd_bitrate_compression", "ld_bitrate_compression")
_RESOLUTION = re.compile(r"\d*x\d+")
# What a team member who is neither a manager nor a client sees of the
# others, and what a client sees (a name and an avatar for a comment).
MINIMAL_MEMBER = ("id", "type", "first_name", "last_name", "full_name", "has_avatar", "active",
                  "departments", "studio_id", "role", "desktop_login", "is_bot", "project_role")
CLIENT_MEMBER = ("id", "type", "first_name", "last_name", "full_name", "has_avatar", "active",
                 "role", "is_bot", "project_role")


def extra_columns(table):
    return [select(ProjectStatus.name).where(ProjectStatus.id == table.c.project_status_id)
            .scalar_subquery().label("project_status_name")]


def status_id(name):
    """The id of the "Open" or "Closed" status, created when missing."""
    found = db.session.scalar(select(ProjectStatus.id).where(ProjectStatus.name == name))
    if found is None:
        status = ProjectStatus(name=name, color="#000000")
        db.session.add(status)
        db.session.flush()
        found = status.id
    return found


def is_open(project_status_id):
    """SQL: the status is "Open" (reads never create the status row)."""
    return project_status_id.in_(select(ProjectStatus.id).where(ProjectStatus.name == OPEN))


# Loading and answering -----------------------------------------------------

def get_for(actor, project_id, manage=False):
    """The project, once the actor may read it (or manage it). Access is
    checked first, so ids of productions one is not on reveal nothing."""
    (require_project_manager if manage else require_project_access)(actor, project_id)
    row = db.session.get(Project, as_uuid(project_id, "project id"))
    if row is None:
        raise NotFound(f"No project has the id {project_id}.")
    return row


def answer(actor, row):
    """A project as the team and settings writes return it."""
    return crud.serialize(crud.collection("projects"), actor, row)


def changed(project_id):
    """A setting or the team changed: Kitsu reloads the production."""
    events.emit("project:update", {}, project_id=project_id)


def _json_object(key, **fields):
    return func.json_object_agg(key, func.json_build_object(
        *[part for name, column in fields.items() for part in (sa.literal(name), column)]))


def _extras(actor, table):
    """What Kitsu reads beside a production's columns: the descriptors the
    caller may see there, the task type and status links keyed by id, and
    the first episode of a TV show."""
    project_id = table.c.id
    ttl, tsl = ProjectTaskTypeLink.__table__, ProjectTaskStatusLink.__table__
    empty = sa.text("'{}'::json")
    episode_type = select(EntityType.id).where(EntityType.name == "Episode").scalar_subquery()
    first_episode = (select(Entity.id)
                     .where(Entity.project_id == project_id, Entity.entity_type_id == episode_type)
                     .order_by((Entity.status == "running").desc().nulls_last(), Entity.name)
                     .limit(1).scalar_subquery())
    return [
        descriptors.json_list(actor, MetadataDescriptor.project_id == project_id)
        .label("descriptors"),
        func.coalesce(select(_json_object(
            ttl.c.task_type_id, priority=ttl.c.priority,
            hd_bitrate_compression=ttl.c.hd_bitrate_compression,
            ld_bitrate_compression=ttl.c.ld_bitrate_compression,
            is_client_visible=ttl.c.is_client_visible,
        )).where(ttl.c.project_id == project_id).scalar_subquery(), empty).label("task_type_links"),
        func.coalesce(select(func.json_object_agg(ttl.c.task_type_id, ttl.c.priority))
                      .where(ttl.c.project_id == project_id).scalar_subquery(), empty)
        .label("task_types_priority"),
        func.coalesce(select(_json_object(
            tsl.c.task_status_id, priority=tsl.c.priority, roles_for_board=tsl.c.roles_for_board,
            is_client_allowed=tsl.c.is_client_allowed,
        )).where(tsl.c.project_id == project_id).scalar_subquery(), empty)
        .label("task_statuses_link"),
        sa.case((table.c.production_type == "tvshow", first_episode)).label("first_episode_id"),
    ]


def _with_extras(actor, *criteria):
    coll = crud.collection("projects")
    rows = crud.select_rows(coll, actor, *criteria, relations=True,
                            columns=_extras(actor, coll.table), sort=("name",))
    for row in rows:
        # Zou leaves the key out when there is no episode to point to.
        if row["first_episode_id"] is None:
            del row["first_episode_id"]
    return rows


# Lists ----------------------------------------------------------------------

def open_projects(actor, name=None):
    """GET /data/projects/open: open productions (the caller's team ones
    unless admin) with what Kitsu needs to display them."""
    criteria = [is_open(Project.project_status_id)]
    if not actor.is_admin:
        criteria.append(Project.id.in_(team_project_ids(actor)))
    if name is not None:
        criteria.append(Project.name == name)
    return _with_extras(actor, *criteria)


def all_projects(actor, name=None):
    """GET /data/projects/all: every production for admins, open team ones
    for the others, each with its status name and Project-level descriptors;
    with `name` (any case), the matching one or 404."""
    coll = crud.collection("projects")
    criteria = [] if actor.is_admin else [Project.id.in_(team_project_ids(actor))]
    if name is not None:
        criteria.append(func.lower(Project.name) == name.lower())
    project_id = coll.table.c.id
    rows = crud.select_rows(coll, actor, *criteria, sort=("name",), columns=[
        descriptors.json_list(actor, MetadataDescriptor.project_id == project_id,
                              MetadataDescriptor.entity_type == "Project").label("descriptors")])
    if name is not None and not rows:
        raise NotFound(f"No project is named {name!r}.")
    return rows


# Team -----------------------------------------------------------------------

def team(actor, project_id):
    """The team with each member's per-project role: managers see the
    member records, clients a name and an avatar, others the minimal form."""
    project = get_for(actor, project_id)
    role = project_role(actor, project.id)
    link = ProjectPersonLink
    rows = crud.select_rows(
        crud.collection("persons"), actor,
        Person.id.in_(select(link.person_id).where(link.project_id == project.id)),
        relations=True, sort=("last_name", "first_name"), columns=[
            select(link.role).where(link.project_id == project.id, link.person_id == Person.id)
            .scalar_subquery().label("project_role")])
    if role in ("admin", "manager"):
        return rows
    keep = CLIENT_MEMBER if role == "client" else MINIMAL_MEMBER
    return [{key: row[key] for key in keep if key in row} for row in rows]


def _check_project_role(role):
    if role == "admin":
        raise BadRequest("admin is a global role: it cannot be set per project.")
    if role is not None and role not in PROJECT_ROLES:
        raise BadRequest(f"Unknown role {role!r}: use one of {', '.join(PROJECT_ROLES)}.")


def add_member(actor, project_id, person_id, role=None):
    """Put a person on the team (their per-project role set when given)."""
    row = get_for(actor, project_id, manage=True)
    _check_project_role(role)
    person = db.session.get(Person, as_uuid(person_id, "person id"))
    if person is None:
        raise BadRequest(f"No person has the id {person_id}.")
    if person.preview_project_id not in (None, row.id):
        raise BadRequest("A preview account can only belong to its own project.")
    stmt = pg_insert(ProjectPersonLink).values(project_id=row.id, person_id=person.id, role=role)
    keys = [ProjectPersonLink.project_id, ProjectPersonLink.person_id]
    db.session.execute(stmt.on_conflict_do_nothing(index_elements=keys) if role is None
                       else stmt.on_conflict_do_update(index_elements=keys, set_={"role": role}))
    changed(row.id)
    db.session.commit()
    return answer(actor, row)


def set_member_role(actor, project_id, person_id, role):
    """A member's role on this production only; None inherits the global one."""
    row = get_for(actor, project_id, manage=True)
    _check_project_role(role)
    person = db.session.get(Person, as_uuid(person_id, "person id"))
    if person is not None and person.preview_project_id is not None:
        raise BadRequest("A preview account keeps its client role.")
    found = db.session.execute(
        update(ProjectPersonLink)
        .where(ProjectPersonLink.project_id == row.id,
               ProjectPersonLink.person_id == as_uuid(person_id, "person id"))
        .values(role=role).returning(ProjectPersonLink.person_id)).first()
    if found is None:
        raise BadRequest("This person is not on the project's team.")
    changed(row.id)
    db.session.commit()
    return {"project_id": str(row.id), "person_id": str(found.person_id), "role": role}


def remove_member(actor, project_id, person_id):
    row = get_for(actor, project_id, manage=True)
    db.session.execute(delete(ProjectPersonLink).where(
        ProjectPersonLink.project_id == row.id,
        ProjectPersonLink.person_id == as_uuid(person_id, "person id")))
    changed(row.id)
    db.session.commit()


# The /data/projects collection ------------------------------------------------

class Policy:
    def hidden_columns(self, actor):
        return frozenset()

    def list_scope(self, actor, coll, stmt):
        if actor.is_admin:
            return stmt
        return stmt.where(coll.table.c.id.in_(team_project_ids(actor)))

    def read(self, actor, coll, row):
        require_project_access(actor, row.id)

    def create(self, actor, coll, data):
        require_admin(actor)

    def update(self, actor, coll, row, data):
        require_project_manager(actor, row.id)

    def delete(self, actor, coll, row):
        if not actor.is_admin:
            raise Forbidden("Only admins can delete projects.")


@dataclass(frozen=True)
class TemplateChoice:
    """The template a creation asks for, and the columns its body set
    explicitly (they win over the template's values)."""

    template: object
    explicit: frozenset


class Hooks(crud.Hooks):
    create_inputs = {"project_template_id": api.Uuid(
        description="A production template to apply; the values the body sets win.")}

    def before_create(self, actor, data):
        data.setdefault("project_status_id", str(status_id(OPEN)))
        _check(data)
        if data.get("project_template_id") is not None:
            data["project_template_id"] = TemplateChoice(
                _template(data["project_template_id"]),
                frozenset(k for k, v in data.items()
                          if v is not None and k in Project.__table__.c))
        return data

    def after_create(self, actor, row, project_template_id=None):
        if project_template_id is not None:
            _apply_template(row, project_template_id)
        episode = ensure_first_episode(row, actor.person.id)
        descriptors.copy_project_descriptors(row.id)
        return {"first_episode_id": str(episode.id)} if episode else None

    def read(self, actor, coll, row, relations):
        if not relations:
            return super().read(actor, coll, row, relations)
        return _with_extras(actor, Project.id == row.id)[0]

    def before_update(self, actor, row, data):
        # The team changes through the team routes (with their checks and
        # events), never through a project PUT: gazu sends the whole dict.
        data.pop("team", None)
        _check(data, row)
        return data

    def after_update(self, actor, row, data):
        episode = ensure_first_episode(row, actor.person.id)
        return {"first_episode_id": str(episode.id)} if episode else None

    def before_delete(self, actor, row, force):
        if row.project_status_id != status_id(CLOSED):
            raise BadRequest("Only closed projects can be deleted: close it first.")
        remove_contents(row.id, force)


def _check(data, row=None):
    file_trees.check_change(data, row)
    resolution = data.get("resolution")
    if resolution and not _RESOLUTION.fullmatch(resolution):
        raise BadRequest("The resolution must look like 1920x1080 (or x1080).")
    if "production_style" in data and data["production_style"] not in PRODUCTION_STYLES:
        raise BadRequest(f"Invalid production_style: use one of {', '.join(PRODUCTION_STYLES)}.")
    check_bitrates(data, current_hd=getattr(row, "hd_bitrate_compression", None))
    background = data.get("default_preview_background_file_id")
    if background is not None:
        files = data.get("preview_background_files")
        if files is None:
            files = [str(f.id) for f in row.preview_background_files] if row else []
        if background not in files:
            raise BadRequest("default_preview_background_file_id must be one of the project's "
                             "preview background files.")


def check_bitrates(changes, current_hd=None, inherited_hd=None):
    """Movie bitrates (Mbit/s) a write sets: 1 to the server's high
    definition one, the low definition not above the high one in effect
    (the one set, else the row's, else the one a null inherits)."""
    ceiling = current_app.config["MOVIE_HIGHDEF_BITRATE"]
    for key in BITRATES:
        value = changes.get(key)
        if value is not None and not 1 <= value <= ceiling:
            raise BadRequest(f"'{key}' must be between 1 and {ceiling} (Mbit/s).")
    low = changes.get("ld_bitrate_compression")
    high = changes.get("hd_bitrate_compression", current_hd) or inherited_hd or ceiling
    if low is not None and low > high:
        raise BadRequest(f"The low definition bitrate ({low}) cannot exceed the high "
                         f"definition one ({high}).")


def _template(template_id):
    from app.models.project_template import ProjectTemplate

    template = db.session.get(ProjectTemplate, as_uuid(template_id, "project_template_id"))
    if template is None:
        raise BadRequest(f"No project template has the id {template_id}.")
    return template


def _apply_template(row, choice):
    # Imported here: app/services/templates.py builds on this module.
    from app.services.templates import apply_template

    apply_template(row, choice.template, keep=choice.explicit)
    db.session.flush()


def ensure_first_episode(project, created_by=None):
    """A TV show always has an episode to put sequences in: E01."""
    if project.production_type != "tvshow":
        return None
    episode_type = db.session.scalar(select(EntityType.id).where(EntityType.name == "Episode"))
    existing = db.session.scalar(select(Entity).where(
        Entity.project_id == project.id, Entity.entity_type_id == episode_type)
        .order_by(Entity.name).limit(1))
    if existing is not None:
        return existing
    episode = Entity(name="E01", project_id=project.id, entity_type_id=episode_type,
                     created_by=created_by)
    db.session.add(episode)
    db.session.flush()
    events.emit("episode:new", {"episode_id": episode.id}, project_id=project.id)
    return episode


# Deletion -------------------------------------------------------------------

TABLES = Base.metadata.tables


def _matching(name, **refs):
    """Table `name` and SQL for its rows having, in any column of `refs`,
    the value given or one of the ids a subquery gives."""
    table = TABLES[name]
    return table, or_(*[table.c[column].in_(value) if isinstance(value, Select)
                        else table.c[column] == value for column, value in refs.items()])


def ids_of(name, **refs):
    table, where = _matching(name, **refs)
    return select(table.c.id).where(where)


def delete_matching(name, **refs):
    table, where = _matching(name, **refs)
    return delete(table).where(where)


# What makes a production more than its configuration: without force, a
# project holding any of it is not deleted.
_CONTENTS = (("entities", "entity"), ("tasks", "task"), ("playlists", "playlist"),
             ("budgets", "budget"), ("schedule items", "schedule_item"),
             ("milestones", "milestone"), ("schedule versions", "production_schedule_version"))


def remove_contents(project_id, force):
    """Empty a closed project before its row goes: with force, every row
    of its production data, each table in one statement; without, refuse
    if there is any. Its configuration and event log go either way."""
    if force:
        _delete_production_data(project_id)
    else:
        found = db.session.execute(select(*[
            exists(ids_of(name, project_id=project_id)).label(label)
            for label, name in _CONTENTS])).one()
        kinds = [label for (label, _), present in zip(_CONTENTS, found) if present]
        if kinds:
            raise BadRequest(f"This project still has {', '.join(kinds)}: "
                             "delete it with force=true to remove them too.")
    groups = ids_of("search_filter_group", project_id=project_id)
    person = TABLES["person"]
    for stmt in (
        delete_matching("metadata_descriptor", project_id=project_id),
        delete_matching("search_filter", project_id=project_id, search_filter_group_id=groups),
        delete_matching("search_filter_group", project_id=project_id),
        delete_matching("api_event", project_id=project_id),
        # A preview account outlives no project: it is disabled, not deleted
        # (its comments and logs stay readable).
        update(person).where(person.c.preview_project_id == project_id)
        .values(preview_project_id=None, active=False),
    ):
        db.session.execute(stmt)
    storage.delete_on_commit([(avatars.BUCKET, avatars.key_of(project_id))])


def _delete_production_data(project_id):
    # entities builds on this module: imported here, not at the top.
    from app.services.entities import remove_entities

    # The entities with all that hangs off them (tasks, comments, previews,
    # files, versions, instances, chats), then what belongs to the project.
    from app.services.playlist_builds import BUCKET, movie_key

    remove_entities(ids_of("entity", project_id=project_id))
    playlists = ids_of("playlist", project_id=project_id)
    jobs = db.session.scalars(delete_matching("build_job", playlist_id=playlists)
                              .returning(TABLES["build_job"].c.id)).all()
    storage.delete_on_commit([(BUCKET, movie_key(i)) for i in jobs])
    for stmt in (
        delete_matching("notification", playlist_id=playlists),
        delete_matching("playlist_share_link", playlist_id=playlists),
        delete_matching("playlist", project_id=project_id),
        delete_matching("budget_entry", budget_id=ids_of("budget", project_id=project_id)),
        delete_matching("budget", project_id=project_id),
        delete_matching("milestone", project_id=project_id),
        delete_matching("schedule_item", project_id=project_id),
        update(Project).where(Project.id == project_id).values(from_schedule_version_id=None),
        delete_matching("production_schedule_version", project_id=project_id),
    ):
        db.session.execute(stmt)
