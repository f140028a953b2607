"""What every kind of entity shares (behaviours.md rows 8-11, section 3.1):
assets, episodes, sequences, shots, scenes, edits and concepts are rows of
the one `entity` table, told apart by their entity type.

Here: the kind of a row, idempotent creation, cancel-or-delete, the
"with tasks" lists Kitsu loads whole productions with (one query, JSON
built by PostgreSQL), and the vendor/client narrowing of those lists.
"""
import re

import orjson
import sqlalchemy as sa
from sqlalchemy import func, or_, select, update

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import Entity, EntityLink
from app.models.events import Subscription
from app.models.project import ProjectPersonLink
from app.models.settings import EntityType
from app.models.task import Task, TaskPersonLink
from app.permissions import as_uuid, require_project_access, require_project_role, \
    team_project_ids
from app.services import crud, descriptors, projects
from app.services.defaults import TEMPORAL_ENTITY_TYPES
from app.services.policies import entity_with_assigned_task

ENTITY = Entity.__table__
TASK = Task.__table__
ASSET = "Asset"
# Episode filter values of the with-tasks lists that name no episode.
ALL_EPISODES, MAIN_PACK = "all", "main"
# The task fields of the with-tasks lists, and what a client gets instead
# of the studio's planning values.
TASK_FIELDS = ("id", "due_date", "done_date", "duration", "entity_id", "estimation",
               "end_date", "is_subscribed", "last_comment_date", "last_preview_file_id",
               "priority", "real_start_date", "retake_count", "start_date", "difficulty",
               "task_status_id", "task_type_id", "assignees", "data")
CLIENT_BLANK = {"assignees": "[]", "difficulty": "null", "done_date": "null",
                "due_date": "null", "duration": "0", "end_date": "null", "estimation": "0",
                "last_comment_date": "null", "priority": "0", "real_start_date": "null",
                "retake_count": "0", "start_date": "null"}


# Kinds ------------------------------------------------------------------------

def entity_type_id(name):
    """The id of the entity type called `name`; the built-in temporal
    types are created when missing (a database without init-data)."""
    found = db.session.scalar(select(EntityType.id).where(EntityType.name == name))
    if found is None:
        if name not in TEMPORAL_ENTITY_TYPES:
            raise NotFound(f"No entity type is called {name!r}.")
        row = EntityType(name=name)
        db.session.add(row)
        db.session.flush()
        found = row.id
    return found


def is_asset_type():
    """SQL on ENTITY: the row's type is an asset type."""
    return ENTITY.c.entity_type_id.notin_(
        select(EntityType.id).where(EntityType.name.in_(TEMPORAL_ENTITY_TYPES)))


def kind_of(type_name):
    """The wire type of an entity whose entity type is `type_name`."""
    return type_name if type_name in TEMPORAL_ENTITY_TYPES else ASSET


def kind(entity):
    return kind_of(db.session.scalar(
        select(EntityType.name).where(EntityType.id == entity.entity_type_id)))


def load(entity_id, wire_type=None):
    """The entity row, of the given kind when asked (404 otherwise)."""
    row = db.session.get(Entity, as_uuid(entity_id, "entity id"))
    if row is None or (wire_type is not None and kind(row) != wire_type):
        raise NotFound(f"No {wire_type or 'entity'} has the id {entity_id}.")
    return row


def get_for(actor, entity_id, wire_type=None):
    """The entity, once the actor may see it: on the project's team and,
    for a vendor, holding a task on it."""
    row = load(entity_id, wire_type)
    check_access(actor, row)
    return row


def check_access(actor, row):
    role = require_project_access(actor, row.project_id)
    if role == "vendor" and not db.session.scalar(
            select(entity_with_assigned_task()(ENTITY, actor.person.id))
            .where(ENTITY.c.id == row.id)):
        raise Forbidden("Vendors only see the entities they have a task on.")
    return role


def serialize(actor, row):
    """One entity in the wire format of GET /data/entities/<id>."""
    return crud.serialize(crud.collection("entities"), actor, row, relations=False)


def _event_name(kind_name):
    return re.sub(r"(?<!^)(?=[A-Z])", "-", kind_name).lower()  # ConceptFolder: concept-folder


def _payload(kind_name, row):
    """An entity event's data; asset events name the asset type too, which
    Kitsu reads to file the asset without fetching it."""
    extra = {"asset_type": row.entity_type_id} if kind_name == ASSET else {}
    return {f"{_event_name(kind_name).replace('-', '_')}_id": row.id, **extra}


def emit_event(kind_name, action, row):
    """<kind>:<action> for one entity (asset:new, concept-folder:update...)."""
    events.emit(f"{_event_name(kind_name)}:{action}", _payload(kind_name, row),
                project_id=row.project_id)


# Creating -----------------------------------------------------------------

def create_entity(actor, project_id, entity_type_id, name, parent_id=None, data=None, *,
                  roles=("manager",), **columns):
    """The entity of this type, parent, project and name: the existing one
    (a re-run pipeline script creates nothing twice) or a new one, created
    by someone holding one of `roles` in the project. Emits <kind>:new
    (assets add `asset_type`); the caller commits."""
    require_project_role(actor, project_id, roles)
    projects.get_for(actor, project_id)
    if not name or not str(name).strip():
        raise BadRequest("Field 'name' cannot be empty.")
    type_row = db.session.get(EntityType, as_uuid(entity_type_id, "entity type id"))
    if type_row is None:
        raise NotFound(f"No entity type has the id {entity_type_id}.")
    parent = as_uuid(parent_id, "parent id") if parent_id else None
    found = db.session.scalars(select(Entity).where(
        Entity.entity_type_id == type_row.id, Entity.project_id == as_uuid(project_id),
        Entity.name == name,
        Entity.parent_id.is_(None) if parent is None else Entity.parent_id == parent)).first()
    if found is not None:
        return found
    row = Entity(project_id=as_uuid(project_id), entity_type_id=type_row.id, name=name,
                 parent_id=parent, data=data or {}, created_by=actor.person.id, **columns)
    db.session.add(row)
    db.session.flush()
    emit_event(kind_of(type_row.name), "new", row)
    return row


# Deleting -----------------------------------------------------------------

def check_delete(actor, row):
    """Its creator (still on the team) or a manager of its project."""
    if row.created_by is not None and str(row.created_by) == actor.id:
        require_project_access(actor, row.project_id)
    else:
        require_project_role(actor, row.project_id, ("manager",))


def delete_entity(actor, entity, force=False):
    """With tasks and without force the entity is only canceled
    (<kind>:update); otherwise it goes with everything hanging off it
    (<kind>:delete). Returns whether it was deleted; the caller commits."""
    check_delete(actor, entity)
    return bool(_cancel_or_remove([(kind(entity), entity)], lambda kind_name, row: force))


def _cancel_or_remove(pairs, forced):
    """Cancel the (kind, row) pairs that have tasks unless forced(kind,
    row), remove the others: one statement per table and one event insert
    per kind and action, whatever their number. Returns the ids removed."""
    with_tasks = set(db.session.scalars(select(Task.entity_id).where(
        Task.entity_id.in_([row.id for _, row in pairs])).distinct()))
    groups = {}
    for kind_name, row in pairs:
        action = "update" if row.id in with_tasks and not forced(kind_name, row) else "delete"
        groups.setdefault((kind_name, action, row.project_id), []).append(row)
    doomed = {"update": [], "delete": []}
    for (kind_name, action, project_id), rows in groups.items():
        events.emit_many(f"{_event_name(kind_name)}:{action}",
                         [_payload(kind_name, row) for row in rows], project_id=project_id)
        doomed[action] += [row.id for row in rows]
    if doomed["update"]:
        db.session.execute(update(ENTITY).where(ENTITY.c.id.in_(doomed["update"]))
                           .values(canceled=True))
    if doomed["delete"]:
        remove_entities(select(ENTITY.c.id).where(ENTITY.c.id.in_(doomed["delete"])))
    return doomed["delete"]


def remove_entities(ids):
    """Delete the entities a SELECT of ids gives, with their tasks (and the
    comments, previews, files and time logged on them), versions,
    subscriptions, instances and outputs (casting and concept links are
    ON DELETE CASCADE): one statement per table, whatever the number. Children lose
    their parent; the shots that cast them get their casting size again."""
    from app.services.tasks import remove_dependants

    _ids, _gone = projects.ids_of, projects.delete_matching
    casting = list(db.session.scalars(select(EntityLink.entity_in_id).where(
        EntityLink.entity_out_id.in_(ids)).distinct()))
    tasks = _ids("task", entity_id=ids)
    remove_dependants(tasks)
    instances = _ids("asset_instance", asset_id=ids, scene_id=ids, target_asset_id=ids,
                     entity_id=ids)
    workings = _ids("working_file", entity_id=ids)
    outputs = _ids("output_file", entity_id=ids, temporal_entity_id=ids,
                   asset_instance_id=instances, source_file_id=workings)
    messages = _ids("chat_message", chat_id=_ids("chat", object_id=ids))
    for stmt in (
        _gone("subscription", entity_id=ids),
        _gone("attachment_file", chat_message_id=messages),
        _gone("preview_file", source_file_id=outputs),
        _gone("output_file", id=outputs),
        _gone("working_file", id=workings),
        _gone("task", id=tasks),
        _gone("entity_version", entity_id=ids),
        _gone("asset_instance", id=instances),
        _gone("chat_message", id=messages),
        _gone("chat", object_id=ids),
        update(projects.TABLES["playlist"]).where(
            projects.TABLES["playlist"].c.episode_id.in_(ids)).values(episode_id=None),
        update(ENTITY).where(ENTITY.c.parent_id.in_(ids)).values(parent_id=None),
        update(ENTITY).where(ENTITY.c.source_id.in_(ids)).values(source_id=None),
        _gone("entity", id=ids),
    ):
        db.session.execute(stmt)
    if casting:
        refresh_casting_size(casting)


def refresh_casting_size(entity_ids):
    """nb_entities_out of these entities, counted again from their casting."""
    db.session.execute(update(ENTITY).where(ENTITY.c.id.in_(entity_ids)).values(
        nb_entities_out=select(func.count()).select_from(EntityLink)
        .where(EntityLink.entity_in_id == ENTITY.c.id).scalar_subquery()))


# With-tasks lists -----------------------------------------------------------

def episode_criteria(episode_id, column):
    """Filters on `column` (the row's episode) for an episode_id argument:
    none for "all" or nothing, no episode for "main", else that episode."""
    if episode_id in (None, "", ALL_EPISODES):
        return []
    if episode_id == MAIN_PACK:
        return [column.is_(None)]
    return [column == as_uuid(episode_id, "episode id")]


def roles_of(actor):
    """Every effective role the actor holds in some project: most people
    hold one, and the lists then need no per-row role lookup."""
    if actor.is_admin:
        return {"admin"}
    return set(db.session.scalars(select(func.coalesce(ProjectPersonLink.role, actor.role))
                                  .where(ProjectPersonLink.person_id == actor.person.id)
                                  .distinct())) or {actor.role}


def _role_in_row_project(actor):
    """SQL: the actor's effective role in the entity row's project."""
    roles = roles_of(actor)
    if len(roles) == 1:
        return sa.literal(roles.pop())
    return func.coalesce(select(ProjectPersonLink.role).where(
        ProjectPersonLink.project_id == ENTITY.c.project_id,
        ProjectPersonLink.person_id == actor.person.id)
        # Read from inside the tasks' subquery too: the row is always the entity's.
        .correlate(ENTITY).scalar_subquery(), actor.role)


def visible_data(actor, kind_name):
    """SQL: the row's `data` without the values of the descriptors the
    actor may not see there (vendors: other departments'; clients: those
    not for clients)."""
    data = func.coalesce(ENTITY.c.data, sa.text("'{}'::jsonb"))
    if not roles_of(actor) & {"vendor", "client"}:
        return data
    md = descriptors.MD
    hidden = select(func.array_agg(md.c.field_name)).where(
        md.c.project_id == ENTITY.c.project_id, md.c.entity_type == kind_name,
        ~descriptors.visible(actor, _role_in_row_project(actor))).scalar_subquery()
    return data.op("-")(func.coalesce(hidden, sa.text("'{}'::text[]")))


def scope(actor, criteria=(), project_id=None):
    """Criteria on ENTITY for what the actor may list: an accessible
    project (checked, 403, when one is named), the team's open projects
    otherwise, and for vendors only entities they hold a task on."""
    criteria = list(criteria)
    if project_id is not None:
        role = require_project_access(actor, project_id)
        criteria.append(ENTITY.c.project_id == as_uuid(project_id, "project id"))
        if role == "vendor":
            criteria.append(entity_with_assigned_task()(ENTITY, actor.person.id))
        return criteria
    if actor.is_admin:
        return criteria
    seen = team_project_ids(actor, roles=("manager", "supervisor", "user", "client"))
    vendor = team_project_ids(actor, roles=("vendor",))
    criteria.append(or_(ENTITY.c.project_id.in_(seen), sa.and_(
        ENTITY.c.project_id.in_(vendor), entity_with_assigned_task()(ENTITY, actor.person.id))))
    return criteria


def assigned_to_actor(actor, task_id):
    return select(TaskPersonLink.task_id).where(
        TaskPersonLink.task_id == task_id,
        TaskPersonLink.person_id == actor.person.id).exists()


def tasks_json(actor, fields=TASK_FIELDS):
    """SQL on ENTITY: the row's tasks as a JSON array, each with `fields`;
    vendors get only their tasks, clients no planning values."""
    task = TASK.alias("embedded_task")
    assignees = func.coalesce(
        select(func.json_agg(TaskPersonLink.person_id))
        .where(TaskPersonLink.task_id == task.c.id).scalar_subquery(), sa.text("'[]'::json"))
    subscribed = select(Subscription.id).where(
        Subscription.task_id == task.c.id, Subscription.person_id == actor.person.id).exists()
    values = {"assignees": assignees, "is_subscribed": subscribed,
              "priority": func.coalesce(task.c.priority, 0)}
    roles = roles_of(actor)
    role = _role_in_row_project(actor)
    parts = []
    for name in fields:
        value = values.get(name)
        if value is None:
            value = crud.wire_column(task.c[name])
        if name in CLIENT_BLANK and "client" in roles:
            value = sa.case((role == "client", sa.text(f"'{CLIENT_BLANK[name]}'::json")),
                            else_=func.to_json(value))
        parts += [sa.literal(name), value]
    criteria = [task.c.entity_id == ENTITY.c.id]
    if "vendor" in roles:
        criteria.append(or_(role != "vendor", assigned_to_actor(actor, task.c.id)))
    return func.coalesce(
        select(func.json_agg(sa.dialects.postgresql.aggregate_order_by(
            func.json_build_object(*parts), task.c.created_at)))
        .where(*criteria).scalar_subquery(), sa.text("'[]'::json"))


def with_tasks_json(actor, columns, criteria, sort=("name",)):
    """The with-tasks list as JSON chunks (crud.json_chunks, to stream):
    one object per entity matching `criteria` (with scope() applied by the
    caller), made of `columns` (name -> SQL expression on ENTITY) and its
    `tasks`, in `sort` order of those names. One query; PostgreSQL builds
    the JSON."""
    exprs = [expr.label(name) for name, expr in columns.items()]
    stmt = select(*exprs, tasks_json(actor).label("tasks")).where(*criteria)
    return crud.json_chunks(stmt, sort=sort)


def with_tasks_rows(actor, columns, criteria, sort=("name",)):
    """with_tasks_json's answer as Python values (for one entity's view)."""
    return orjson.loads(b"".join(with_tasks_json(actor, columns, criteria, sort)))


def uuid_text(column):
    """A uuid column as Zou writes it in these lists: "" when null."""
    return func.coalesce(sa.cast(column, sa.Text), "")



# Routes of /data/entities/<id> ---------------------------------------------

def delete_many(actor, project_id, entity_ids, force=False):
    """POST /actions/projects/<id>/delete-entities: the project's assets,
    shots, edits and concepts among `entity_ids`, each by delete_entity's
    rule, except that concepts and already canceled entities always go.
    Unknown ids and other projects' entities are skipped. Returns the ids
    handled; all or nothing."""
    projects.get_for(actor, project_id)
    kinds = (ASSET, "Shot", "Edit", "Concept")
    rows = db.session.execute(
        select(Entity, EntityType.name).join(EntityType, EntityType.id == Entity.entity_type_id)
        .where(Entity.id.in_([as_uuid(i, "entity id") for i in entity_ids]),
               Entity.project_id == as_uuid(project_id, "project id"))).all()
    pairs = [(kind_of(type_name), row) for row, type_name in rows
             if kind_of(type_name) in kinds]
    for _, row in pairs:
        check_delete(actor, row)
    handled = [str(row.id) for _, row in pairs]
    _cancel_or_remove(pairs, lambda kind_name, row: force or row.canceled
                      or kind_name == "Concept")
    db.session.commit()
    return handled


def _task_rows(actor, coll_name, column, entity, sort):
    """Rows of a task-bound collection for an entity's tasks (vendors:
    theirs only)."""
    role = check_access(actor, entity)
    tasks = select(Task.id).where(Task.entity_id == entity.id)
    if role == "vendor":
        tasks = tasks.where(assigned_to_actor(actor, Task.id))
    return crud.select_rows(crud.collection(coll_name), actor, column.in_(tasks), sort=sort)


def preview_files(actor, entity_id):
    """The previews of an entity's tasks, newest revision first."""
    from app.models.files import PreviewFile

    entity = load(entity_id)
    rows = _task_rows(actor, "preview-files", PreviewFile.task_id, entity, sort=())
    return sorted(rows, key=lambda r: (-(r["revision"] or 0), r["position"] or 0))


def time_spents(actor, entity_id):
    """The time logged on an entity's tasks, latest day first."""
    from app.models.timesheet import TimeSpent

    entity = load(entity_id)
    rows = _task_rows(actor, "time-spents", TimeSpent.task_id, entity, sort=())
    return sorted(rows, key=lambda r: r["date"], reverse=True)


def tasks_of(actor, entity_id, wire_type=None, relations=False):
    """The entity's tasks (vendors: theirs), by name."""
    row = load(entity_id, wire_type)
    criteria = [Task.entity_id == row.id]
    if check_access(actor, row) == "vendor":
        criteria.append(assigned_to_actor(actor, Task.id))
    return crud.select_rows(crud.collection("tasks"), actor, *criteria, relations=relations,
                            sort=("name",))


def task_types_of(actor, entity_id, wire_type=None):
    """The task types of the entity's tasks."""
    from app.models.settings import TaskType

    used = [t["task_type_id"] for t in tasks_of(actor, entity_id, wire_type)]
    return crud.select_rows(crud.collection("task-types"), actor,
                            TaskType.id.in_([as_uuid(i) for i in used]), sort=("name",))


def entity_columns(actor, kind_name):
    """The columns of an entity in the concept-style with-tasks lists."""
    from app.models.entity import EntityConceptLink
    from app.models.project import Project

    type_name = select(EntityType.name).where(EntityType.id == ENTITY.c.entity_type_id) \
        .scalar_subquery()
    concept_links = func.coalesce(select(func.json_agg(EntityConceptLink.entity_out_id)).where(
        EntityConceptLink.entity_in_id == ENTITY.c.id).scalar_subquery(), sa.text("'[]'::json"))
    return {
        "id": ENTITY.c.id, "name": ENTITY.c.name, "description": ENTITY.c.description,
        "canceled": ENTITY.c.canceled, "data": visible_data(actor, kind_name),
        "entity_type_id": ENTITY.c.entity_type_id,
        "fps": ENTITY.c.data["fps"], "frame_in": ENTITY.c.data["frame_in"],
        "frame_out": ENTITY.c.data["frame_out"], "nb_frames": ENTITY.c.nb_frames,
        "parent_id": ENTITY.c.parent_id, "preview_file_id": ENTITY.c.preview_file_id,
        "project_id": ENTITY.c.project_id,
        "project_name": select(Project.name).where(Project.id == ENTITY.c.project_id)
        .scalar_subquery(),
        "source_id": ENTITY.c.source_id, "nb_entities_out": ENTITY.c.nb_entities_out,
        "is_casting_standby": ENTITY.c.is_casting_standby,
        "entity_concept_links": concept_links,
        "type": sa.case((type_name.in_(TEMPORAL_ENTITY_TYPES), type_name), else_=ASSET),
        "created_at": crud.wire_column(ENTITY.c.created_at),
        "updated_at": crud.wire_column(ENTITY.c.updated_at), "created_by": ENTITY.c.created_by,
    }


def linked_with_tasks(actor, entity_id):
    """The entities (concepts) linked to this one, with their tasks."""
    from app.models.entity import EntityConceptLink

    entity = load(entity_id)
    check_access(actor, entity)
    linked = select(EntityConceptLink.entity_in_id).where(
        EntityConceptLink.entity_out_id == entity.id)
    return with_tasks_rows(actor, entity_columns(actor, "Concept"), scope(
        actor, [ENTITY.c.id.in_(linked)], project_id=entity.project_id))
