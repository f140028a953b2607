"""POST /data/entities/<id>/tasks and GET /data/entities/<id>/news: the
tasks made on one entity for a set of task types, and the news feed of
that entity's tasks."""
import math
import uuid

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.comment import Comment
from app.models.entity import Entity
from app.models.events import News
from app.models.files import PreviewFile
from app.models.person import Person
from app.models.project import Project, ProjectTaskTypeLink
from app.models.settings import EntityType, TaskStatus, TaskType, TaskTypeAssetTypeLink
from app.models.task import Task
from app.permissions import as_uuid
from app.services import crud, entities

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
        now = utc_now()
        values = [{"id": uuid.uuid4(), "name": TASK_NAME, "project_id": entity.project_id,
                   "entity_id": entity.id, "task_type_id": t.id, "task_status_id": status.id,
                   "assigner_id": actor.person.id, "duration": 0, "estimation": 0,
                   "completion_rate": 0, "created_at": now, "updated_at": now}
                  for t in task_types]
        created = list(db.session.scalars(
            insert(Task.__table__).values(values)
            .on_conflict_do_nothing(constraint="task_uc").returning(Task.__table__.c.id)))
        events.emit_many("task:new", [{"task_id": i} for i in created],
                         project_id=entity.project_id)
    db.session.commit()
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
    return crud.select_json(crud.collection("tasks"), actor, Task.id.in_(created),
                            columns=columns, sort=("task_type_priority", "task_type_name"))


# News -----------------------------------------------------------------------

def full_name(entity):
    """(name, episode id) as the news feed shows an entity: the sequence
    (and episode) before a shot, the episode before a sequence, the type
    before anything else (assets, concepts, edits...)."""
    type_name = db.session.scalar(
        select(EntityType.name).where(EntityType.id == entity.entity_type_id))
    parent = db.session.get(Entity, entity.parent_id) if entity.parent_id else None
    if type_name == "Shot":
        if parent is None:
            return entity.name, None
        grand = db.session.get(Entity, parent.parent_id) if parent.parent_id else None
        if grand is None:
            return f"{parent.name} / {entity.name}", None
        return f"{grand.name} / {parent.name} / {entity.name}", grand.id
    if type_name == "Episode":
        return entity.name, None
    if type_name == "Sequence":
        if parent is None:
            return entity.name, None
        return f"{parent.name} / {entity.name}", parent.id
    return f"{type_name} / {entity.name}", entity.source_id


def _short_person(row):
    name = f"{row.first_name} {row.last_name}" if row.first_name and row.last_name \
        else f"{row.first_name or ''}{row.last_name or ''}"
    return {"id": str(row.id), "first_name": row.first_name, "last_name": row.last_name,
            "full_name": name, "has_avatar": row.has_avatar, "role": row.role}


def news(actor, entity_id):
    """The news of the entity's tasks, newest first, in Zou's one-page
    envelope (data, total, nb_pages, limit, offset, page). Vendors get the
    news of their own tasks only."""
    entity = entities.load(entity_id)
    role = entities.check_access(actor, entity)
    criteria = [Task.entity_id == entity.id]
    if role == "vendor":
        criteria.append(entities.assigned_to_actor(actor, Task.id))
    base = select(News).join(Task, Task.id == News.task_id).where(*criteria)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        select(News, Project.id, Project.name, Task.task_type_id, Comment.task_status_id,
               Task.entity_id, PreviewFile.extension, PreviewFile.revision)
        .join(Task, Task.id == News.task_id).join(Project, Project.id == Task.project_id)
        .outerjoin(Comment, Comment.id == News.comment_id)
        .outerjoin(PreviewFile, PreviewFile.id == News.preview_file_id)
        .where(*criteria).order_by(News.created_at.desc(), News.id.desc())
        .limit(NEWS_LIMIT)).all()
    name, episode_id = full_name(entity)
    authors = {r.id: _short_person(r) for r in db.session.scalars(select(Person).where(
        Person.id.in_({row[0].author_id for row in rows})))} if rows else {}
    data = []
    for item, project_id, project_name, task_type_id, status_id, task_entity_id, \
            extension, revision in rows:
        data.append({
            "id": item.id, "type": "News", "author_id": item.author_id,
            "comment_id": item.comment_id, "task_id": item.task_id,
            "task_type_id": task_type_id, "task_status_id": status_id,
            "task_entity_id": task_entity_id, "preview_file_id": item.preview_file_id,
            "preview_file_extension": extension, "preview_file_revision": revision,
            "project_id": project_id, "project_name": project_name,
            "created_at": item.created_at.replace(microsecond=0) if item.created_at else None,
            "change": item.change, "full_entity_name": name, "episode_id": episode_id,
            "entity_preview_file_id": entity.preview_file_id,
            "person": authors.get(item.author_id),
        })
    return {"data": data, "total": total, "nb_pages": math.ceil(total / NEWS_LIMIT),
            "limit": NEWS_LIMIT, "offset": 0, "page": 1}
