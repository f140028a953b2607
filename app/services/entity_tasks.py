"""POST /data/entities/<id>/tasks, the create-tasks actions and GET
/data/entities/<id>/news: the tasks made on one entity for a set of task
types, or on many entities of a kind for one task type, and the news feed
of an entity's tasks."""
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity
from app.models.project import Project, ProjectTaskTypeLink
from app.models.settings import EntityType, TaskStatus, TaskType, TaskTypeAssetTypeLink
from app.models.task import Task
from app.permissions import as_uuid, require_project_role
from app.services import crud, entities
from app.services import news as news_feed

TASK_NAME = "main"
NEWS_LIMIT = 2000  # Zou answers one page of at most this many.


# Creating tasks ---------------------------------------------------------------

def default_status(for_concept):
    """The status new tasks start on (concept tasks have their own), made
    when the database has none."""
    row = db.session.scalars(select(TaskStatus).where(
        TaskStatus.is_default.is_(True),
        func.coalesce(TaskStatus.for_concept, False).is_(bool(for_concept)))
        .order_by(TaskStatus.created_at).limit(1)).first()
    if row is None:
        name, short, color = ("Neutral", "neutral", "#CCCCCC") if for_concept \
            else ("Todo", "todo", "#f5f5f5")
        row = TaskStatus(name=name, short_name=short, color=color, is_default=True,
                         for_concept=bool(for_concept))
        db.session.add(row)
        db.session.flush()
    return row


def _kind_name(entity):
    type_name = db.session.scalar(
        select(EntityType.name).where(EntityType.id == entity.entity_type_id))
    return type_name, entities.kind_of(type_name)


def _task_types(entity, kind_name, task_type_ids):
    """The task types to create, each valid for the entity: targeting its
    kind, enabled in its project and, for an asset whose type has a
    workflow, in that workflow. No ids: every such task type."""
    enabled = set(db.session.scalars(select(ProjectTaskTypeLink.task_type_id).where(
        ProjectTaskTypeLink.project_id == entity.project_id)))
    workflow = None
    if kind_name == entities.ASSET:
        workflow = set(db.session.scalars(select(TaskTypeAssetTypeLink.task_type_id).where(
            TaskTypeAssetTypeLink.asset_type_id == entity.entity_type_id))) or None
    if not task_type_ids:
        allowed = enabled if workflow is None else enabled & workflow
        rows = db.session.scalars(select(TaskType).where(
            TaskType.id.in_(allowed)).order_by(TaskType.priority, TaskType.name)).all()
        return [r for r in rows if not r.for_entity or r.for_entity == kind_name]
    ids = list(dict.fromkeys(as_uuid(i, "task type id") for i in task_type_ids))
    found = {r.id: r for r in db.session.scalars(select(TaskType).where(TaskType.id.in_(ids)))}
    rows = []
    for type_id in ids:
        row = found.get(type_id)
        if row is None:
            raise NotFound(f"No task type has the id {type_id}.")
        if row.for_entity and row.for_entity != kind_name:
            raise BadRequest(f"Task type {type_id} is for {row.for_entity} entities, "
                             f"not {kind_name}.")
        if type_id not in enabled:
            raise BadRequest(f"Task type {type_id} is not enabled in the project.")
        if workflow is not None and type_id not in workflow:
            raise BadRequest(f"Task type {type_id} is not in the workflow of the asset type.")
        rows.append(row)
    return rows


def _check_create(actor, entity, task_types):
    """Project managers (and admins); supervisors for task types of their
    own departments. Artists, clients and vendors: 403."""
    role = entities.check_access(actor, entity)
    if role in ("admin", "manager"):
        return
    if role == "supervisor":
        departments = {str(d) for d in actor.department_ids or ()}
        if all(t.department_id is not None and str(t.department_id) in departments
               for t in task_types):
            return
        raise Forbidden("Supervisors only create tasks of their departments' task types.")
    raise Forbidden("Only the project's managers (and supervisors) can create tasks.")


def create_tasks(actor, entity_id, task_type_ids):
    """One "main" task per task type on the entity, those it already has
    skipped, on the default status, assigned by the caller; emits task:new
    for each and commits. Returns the created tasks as JSON bytes, with
    their status's and task type's names and colours."""
    entity = entities.load(entity_id)
    entities.check_access(actor, entity)
    type_name, kind_name = _kind_name(entity)
    # Concepts validate as "Concept", not as an asset.
    task_types = _task_types(entity, kind_name, task_type_ids)
    _check_create(actor, entity, task_types)
    status = default_status(type_name == "Concept")
    created = []
    if task_types:
        created = insert_tasks(actor, entity.project_id, select(
            sa.literal(entity.id, sa.UUID), TaskType.id).where(
            TaskType.id.in_([t.id for t in task_types])), status)
    db.session.commit()
    return created_json(actor, created, status)


def create_for_kind(actor, project_id, task_type_id, type_name, entity_ids=None,
                    episode_id=None):
    """POST /actions/projects/<id>/task-types/<id>/<kind>/create-tasks: a
    task of the type on each listed entity of that kind in the project
    (others' ids are skipped), or on all of them (those of an episode when
    given); assets only where their type's workflow takes the task type.
    Project managers; for concepts, any member but clients and vendors.
    Existing tasks are skipped. Returns the created tasks as JSON bytes."""
    is_concept = type_name == "Concept"
    project_id = as_uuid(project_id, "project id")
    require_project_role(actor, project_id,
                         ("manager", "supervisor", "user") if is_concept else ("manager",))
    if db.session.get(Project, project_id) is None:
        raise NotFound(f"No project has the id {project_id}.")
    task_type = db.session.get(TaskType, as_uuid(task_type_id, "task type id"))
    if task_type is None:
        raise NotFound(f"No task type has the id {task_type_id}.")
    kind_name = entities.kind_of(type_name)
    if task_type.for_entity and task_type.for_entity != kind_name:
        raise BadRequest(f"Task type {task_type.id} is for {task_type.for_entity} entities, "
                         f"not {kind_name}.")
    entity = Entity.__table__
    of_kind = entities.is_asset_type() if type_name == entities.ASSET \
        else entity.c.entity_type_id == entities.entity_type_id(type_name)
    criteria = [entity.c.project_id == project_id, of_kind]
    if kind_name == entities.ASSET:
        workflow = select(TaskTypeAssetTypeLink.task_type_id).where(
            TaskTypeAssetTypeLink.asset_type_id == entity.c.entity_type_id)
        criteria.append(sa.or_(~workflow.exists(), workflow.where(
            TaskTypeAssetTypeLink.task_type_id == task_type.id).exists()))
    if entity_ids:
        ids = [as_uuid(i, "entity id") for i in entity_ids]
        known = set(db.session.scalars(select(entity.c.id).where(entity.c.id.in_(ids), of_kind)))
        missing = [str(i) for i in ids if i not in known]
        if missing:
            raise NotFound(f"No {kind_name.lower()} has the id {missing[0]}.")
        criteria.append(entity.c.id.in_(ids))
    if episode_id:
        criteria.append(entity.c.parent_id == as_uuid(episode_id, "episode id"))
    status = default_status(is_concept)
    created = insert_tasks(actor, project_id, select(
        entity.c.id, sa.literal(task_type.id, sa.UUID)).where(*criteria), status)
    db.session.commit()
    return created_json(actor, created, status)


def entity_type_name(route_name):
    """The entity type a create-tasks/<entity_type> URL names: "episodes",
    "episode" or "Episode" all name Episode."""
    for candidate in (route_name, route_name[:-1] if route_name.endswith("s") else None):
        if candidate:
            name = db.session.scalar(select(EntityType.name).where(
                sa.func.lower(EntityType.name) == candidate.lower()))
            if name is not None:
                return name
    raise NotFound(f"No entity type is called {route_name!r}.")


def insert_tasks(actor, project_id, pairs, status):
    """One "main" task of the project per (entity id, task type id) row of
    the SELECT `pairs`, on `status`, assigned by the caller; the existing
    ones are skipped. One INSERT whatever the number (no bind parameter per
    row); task:new for each. Returns the ids created."""
    rows = pairs.subquery()
    entity_id, task_type_id = rows.c
    now = utc_now()
    table = Task.__table__
    created = list(db.session.scalars(
        insert(table).from_select(
            ["id", "name", "project_id", "entity_id", "task_type_id", "task_status_id",
             "assigner_id", "duration", "estimation", "completion_rate", "created_at",
             "updated_at"],
            select(func.gen_random_uuid(), sa.literal(TASK_NAME), sa.literal(project_id, sa.UUID),
                   entity_id, task_type_id, sa.literal(status.id, sa.UUID),
                   sa.literal(actor.person.id, sa.UUID), sa.literal(0), sa.literal(0),
                   sa.literal(0), sa.literal(now), sa.literal(now)).select_from(rows))
        .on_conflict_do_nothing(constraint="task_uc").returning(table.c.id)))
    events.emit_many("task:new", [{"task_id": i} for i in created], project_id=project_id)
    return created


def created_json(actor, task_ids, status):
    """The tasks just made, as JSON bytes: each with its status's and task
    type's names and colours, and no assignees yet."""
    task_type = TaskType.__table__
    columns = [
        sa.literal(status.name).label("task_status_name"),
        sa.literal(status.short_name).label("task_status_short_name"),
        sa.literal(status.color).label("task_status_color"),
        select(task_type.c.name).where(task_type.c.id == Task.task_type_id)
        .scalar_subquery().label("task_type_name"),
        select(task_type.c.color).where(task_type.c.id == Task.task_type_id)
        .scalar_subquery().label("task_type_color"),
        select(task_type.c.priority).where(task_type.c.id == Task.task_type_id)
        .scalar_subquery().label("task_type_priority"),
        sa.literal_column("'[]'::json").label("assignees"),
    ]
    return crud.select_json(crud.collection("tasks"), actor, Task.id.in_(task_ids),
                            columns=columns, sort=("task_type_priority", "task_type_name"))


# News -----------------------------------------------------------------------

def news(actor, entity_id):
    """The news of the entity's tasks, newest first, in Zou's one-page
    envelope. Vendors get the news of their own tasks only."""
    entity = entities.load(entity_id)
    criteria = [news_feed.TASK.c.entity_id == entity.id]
    if entities.check_access(actor, entity) == "vendor":
        criteria.append(entities.assigned_to_actor(actor, news_feed.TASK.c.id))
    return news_feed.feed(criteria, limit=NEWS_LIMIT)
