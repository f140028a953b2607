"""Read views of tasks (behaviours.md rows 13 and 23): one task in full, the
to-do lists of a person (the caller's own under /data/user), the open tasks
of the studio with their stats and burndown, the feedback requests waiting
for a check, a production's tasks, and the artist's "what is assigned to
me" browsing lists.

Every list is one query whose JSON PostgreSQL builds. Who sees what:
managers, supervisors and artists see every task of their productions;
vendors only the tasks assigned to them; clients see a production's tasks
without their assignees and planning values, and in the lists that span
productions or people only their own tasks.
"""
import orjson
import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models.comment import Comment
from app.models.entity import Entity
from app.models.events import Notification, Subscription
from app.models.files import PreviewFile
from app.models.person import DepartmentLink, Person
from app.models.project import Project, ProjectPersonLink
from app.models.settings import EntityType, TaskStatus, TaskType
from app.models.task import Task, TaskPersonLink
from app.permissions import as_uuid, project_role, require_admin, require_person, \
    require_project_access, require_project_role, team_project_ids
from app.services import assets, crud, entities, projects, tasks
from app.services.defaults import TEMPORAL_ENTITY_TYPES

TASK = Task.__table__
ENTITY = entities.ENTITY
PROJECT = Project.__table__
TASK_TYPE = TaskType.__table__
TASK_STATUS = TaskStatus.__table__
ENTITY_TYPE = EntityType.__table__
LINK = TaskPersonLink.__table__
# Zou's "sequence" and "episode" of a task row: its entity's parent and
# grandparent, whatever their kind.
SEQUENCE = ENTITY.alias("sequence")
EPISODE = ENTITY.alias("episode")
# Roles that see every task of a production; the others see their own.
SEES_ALL = ("manager", "supervisor", "user")
OPEN_TASKS_LIMIT = 100
# What a client gets instead of the studio's values on a task.
CLIENT_BLANK = {**{name: orjson.loads(value) for name, value in entities.CLIENT_BLANK.items()},
                "assigner_id": None, "completion_rate": 0, "nb_assets_ready": 0,
                "nb_drawings": 0}
# The extra fields of each list, named as Zou names them there.
PERSON_FIELDS = {"task_estimation": "estimation", "task_duration": "duration",
                 "task_start_date": "start_date", "task_due_date": "due_date",
                 "task_status_name": "status_name",
                 "task_type_color": "type_color", "task_status_color": "status_color",
                 "task_status_short_name": "status_short_name"}
OPEN_FIELDS = ("type_name", "status_name", "type_color", "status_color", "status_short_name")
# Orders of the to-check list ("-" for descending), then the name order.
NAME_ORDER = ("project_name", "episode_name", "sequence_name", "entity_type_name",
              "entity_name", "task_type_name")
CHECK_ORDERS = {
    "priority": ("-priority", "due_date") + NAME_ORDER,
    "due_date": ("due_date",) + NAME_ORDER,
    "estimation": ("-estimation",) + NAME_ORDER,
    "entity_name": ("project_name", "task_type_name", "episode_name", "sequence_name",
                    "entity_name"),
}


# Scopes -------------------------------------------------------------------------

def _open_project_ids():
    return select(PROJECT.c.id).where(projects.is_open(PROJECT.c.project_status_id))


def assigned_to(person_id, task_id=TASK.c.id):
    return select(LINK.c.task_id).where(LINK.c.task_id == task_id,
                                        LINK.c.person_id == person_id).exists()


def visible(actor, project_id=None, own_only=("vendor", "client")):
    """Criteria on TASK: the tasks the actor may list, in one project
    (access checked, 403) or in the open productions they are on (all open
    ones for admins). Those whose role there is in `own_only`: the tasks
    assigned to them (a production's own lists show clients every task,
    blanked by the caller)."""
    mine = assigned_to(actor.person.id)
    if project_id is not None:
        role = require_project_access(actor, project_id)
        criteria = [TASK.c.project_id == as_uuid(project_id, "project id")]
        return criteria + [mine] if role in own_only else criteria
    if actor.is_admin:
        return [TASK.c.project_id.in_(_open_project_ids())]
    every = tuple(r for r in SEES_ALL + ("client", "vendor") if r not in own_only)
    return [or_(TASK.c.project_id.in_(team_project_ids(actor, roles=every)),
                and_(TASK.c.project_id.in_(team_project_ids(actor, roles=own_only)), mine))]


def _client_projects(actor):
    return team_project_ids(actor, open_only=False, roles=("client",))


# The detailed task rows -------------------------------------------------------------

def _detail_from():
    return (TASK.join(PROJECT, PROJECT.c.id == TASK.c.project_id)
            .join(TASK_TYPE, TASK_TYPE.c.id == TASK.c.task_type_id)
            .join(TASK_STATUS, TASK_STATUS.c.id == TASK.c.task_status_id)
            .join(ENTITY, ENTITY.c.id == TASK.c.entity_id)
            .join(ENTITY_TYPE, ENTITY_TYPE.c.id == ENTITY.c.entity_type_id)
            .outerjoin(SEQUENCE, SEQUENCE.c.id == ENTITY.c.parent_id)
            .outerjoin(EPISODE, EPISODE.c.id == SEQUENCE.c.parent_id))


def _episode_id():
    """SQL: the episode a task row is filed under: its sequence's parent,
    else its entity's source (an asset's episode); a sequence's own parent."""
    is_sequence = and_(ENTITY_TYPE.c.name == "Sequence", ENTITY.c.parent_id.isnot(None))
    return sa.case((is_sequence, ENTITY.c.parent_id),
                   else_=func.coalesce(EPISODE.c.id, ENTITY.c.source_id))


def _episode_name():
    source = ENTITY.alias("source")
    source_type = ENTITY_TYPE.alias("source_type")
    source_episode = select(source.c.name).join(
        source_type, source_type.c.id == source.c.entity_type_id).where(
        source.c.id == ENTITY.c.source_id, source_type.c.name == "Episode").scalar_subquery()
    return sa.case(
        (and_(ENTITY_TYPE.c.name == "Sequence", ENTITY.c.parent_id.isnot(None)),
         SEQUENCE.c.name),
        (EPISODE.c.id.isnot(None), EPISODE.c.name),
        # Zou's name for an entity whose source is not an episode: main pack.
        (ENTITY.c.source_id.isnot(None), func.coalesce(source_episode, "MP")))


def _assignees(actor):
    ids = func.coalesce(select(func.json_agg(LINK.c.person_id)).where(
        LINK.c.task_id == TASK.c.id).scalar_subquery(), sa.text("'[]'::json"))
    if actor.is_admin:
        return ids
    return sa.case((TASK.c.project_id.in_(_client_projects(actor)), sa.text("'[]'::json")),
                   else_=ids)


def _last_comment():
    """A LATERAL subquery on the task row: `value`, its newest comment by
    someone who is not a client of its production, as {text, date,
    person_id}. The comments are read newest first through the
    (object_id, created_at) index and the author's role looked up by key,
    so a task costs a few index probes, not a join over every person."""
    link = ProjectPersonLink.__table__
    comment = Comment.__table__
    person = Person.__table__
    role = func.coalesce(
        select(link.c.role).where(link.c.person_id == comment.c.person_id,
                                  link.c.project_id == TASK.c.project_id)
        .correlate(comment, TASK).scalar_subquery(),
        select(person.c.role).where(person.c.id == comment.c.person_id).scalar_subquery())
    return (
        select(func.json_build_object(
            "text", comment.c.text, "date", func.date_trunc("second", comment.c.created_at),
            "person_id", comment.c.person_id).label("value"))
        .where(comment.c.object_id == TASK.c.id, role != "client")
        .order_by(comment.c.created_at.desc()).limit(1).lateral("last_comment"))


LAST_COMMENT = _last_comment()


def _cast_in_episodes(column):
    """SQL: the ids or names of the episodes an asset is cast in (null for
    none, and for the other kinds without looking), by episode name."""
    from app.models.entity import EntityLink

    episode = ENTITY.alias("cast_episode")
    episode_type = ENTITY_TYPE.alias("cast_episode_type")
    cast = select(func.json_agg(sa.dialects.postgresql.aggregate_order_by(
        episode.c[column], episode.c.name))).select_from(
        EntityLink.__table__.join(episode, episode.c.id == EntityLink.entity_in_id)
        .join(episode_type, episode_type.c.id == episode.c.entity_type_id)).where(
        EntityLink.entity_out_id == ENTITY.c.id,
        episode_type.c.name == "Episode").scalar_subquery()
    return sa.case((ENTITY_TYPE.c.name.notin_(TEMPORAL_ENTITY_TYPES), cast))


def _detail_columns(actor, fields):
    """The task columns, the names Zou adds about its project, entity,
    sequence and episode, and `fields`: output name -> one of the extra
    values below (each list names them its own way)."""
    coll = crud.collection("tasks")
    extras = {
        "type_name": TASK_TYPE.c.name, "status_name": TASK_STATUS.c.name,
        "type_color": TASK_TYPE.c.color, "status_color": TASK_STATUS.c.color,
        "status_short_name": TASK_STATUS.c.short_name, "estimation": TASK.c.estimation,
        "duration": TASK.c.duration, "start_date": crud.wire_column(TASK.c.start_date),
        "due_date": crud.wire_column(TASK.c.due_date),
        "last_comment": func.coalesce(LAST_COMMENT.c.value, sa.text("'{}'::json")),
        "episode_ids": _cast_in_episodes("id"), "episode_names": _cast_in_episodes("name"),
    }
    kind = sa.case((ENTITY_TYPE.c.name.in_(TEMPORAL_ENTITY_TYPES), ENTITY_TYPE.c.name),
                   else_=entities.ASSET)
    columns = [crud.wire_column(c) for c in coll.visible_columns(actor)]
    columns += [
        sa.literal("Task").label("type"), _assignees(actor).label("assignees"),
        PROJECT.c.name.label("project_name"), PROJECT.c.has_avatar.label("project_has_avatar"),
        ENTITY.c.name.label("entity_name"), ENTITY.c.description.label("entity_description"),
        entities.visible_data(actor, kind).label("entity_data"),
        entities.uuid_text(ENTITY.c.preview_file_id).label("entity_preview_file_id"),
        entities.uuid_text(ENTITY.c.source_id).label("entity_source_id"),
        ENTITY_TYPE.c.name.label("entity_type_name"),
        ENTITY.c.canceled.label("entity_canceled"),
        SEQUENCE.c.name.label("sequence_name"),
        entities.uuid_text(_episode_id()).label("episode_id"),
        _episode_name().label("episode_name"),
        TASK_TYPE.c.for_entity.label("task_type_for_entity"),
        TASK_TYPE.c.name.label("task_type_name"),
    ]
    return columns + [extras[source].label(name) for name, source in fields.items()]


def _detail_json(actor, fields, criteria, order, limit=None, offset=None):
    """The detailed rows matching `criteria` as a JSON array in `order`
    (output names, "-" first for descending), then by id; a page of it
    with `limit`/`offset` (only the page's rows are built)."""
    source = _detail_from()
    if "last_comment" in fields.values():
        source = source.outerjoin(LAST_COMMENT, sa.true())
    stmt = select(*_detail_columns(actor, fields)).select_from(source).where(*criteria)
    # Thousands of rows of large expressions, each run once: compiling them
    # to machine code (JIT, planned for such costs) takes PostgreSQL longer
    # than running them.
    db.session.execute(sa.text("SET LOCAL jit = off"))
    return crud.json_rows(stmt, sort=order + ("id",), limit=limit, offset=offset)


def _is_done():
    return func.coalesce(TASK_STATUS.c.is_done, False)


# A person's tasks -----------------------------------------------------------------

def _person(person_id):
    row = db.session.get(Person, as_uuid(person_id, "person id"))
    if row is None:
        raise NotFound(f"No person has the id {person_id}.")
    if row.is_bot:
        raise Forbidden("Bots have no tasks of their own to list.")
    return row


def _check_person_view(actor, person):
    """Anyone sees their own tasks; managers, supervisors and artists see
    those of the people they work with (in their productions)."""
    if person.id != actor.person.id and actor.role in ("vendor", "client"):
        raise Forbidden("Vendors and clients only see their own tasks.")


def person_tasks(actor, person_id, done=False):
    """The not-done (or done) tasks assigned to the person in the open
    productions the caller sees, with their entity, project, type and status
    names, their assignees and last comment; done ones newest first."""
    person = _person(person_id)
    _check_person_view(actor, person)
    fields = {**PERSON_FIELDS, "last_comment": "last_comment", "episode_ids": "episode_ids",
              "episode_names": "episode_names"}
    criteria = visible(actor) + [assigned_to(person.id), _is_done() if done else ~_is_done()]
    order = ("-end_date", "task_type_name", "entity_name") if done else NAME_ORDER
    return _detail_json(actor, fields, criteria, order)


def user_tasks(actor, done=False):
    """GET /data/user/tasks and /data/user/done-tasks: the caller's."""
    require_person(actor)
    return person_tasks(actor, actor.id, done)


def related_tasks(actor, person_id, task_type_id):
    """The tasks of a task type on the entities where the person has a
    task, in the open productions the caller sees."""
    person = _person(person_id)
    _check_person_view(actor, person)
    theirs = TASK.alias("theirs")
    entity_ids = select(theirs.c.entity_id).where(assigned_to(person.id, theirs.c.id))
    return crud.select_json(crud.collection("tasks"), actor, *visible(actor),
                            TASK.c.entity_id.in_(entity_ids),
                            TASK.c.task_type_id == as_uuid(task_type_id, "task type id"),
                            sort=("name",))


# Open tasks -----------------------------------------------------------------------

def _open_criteria(actor, filters):
    """The open tasks pool: the listing, its stats and the burndown read
    the same criteria."""
    filters = _ids(filters, "task_type_id", "task_status_id", "studio_id", "department_id")
    criteria = visible(actor, filters.get("project_id"))
    if filters.get("task_type_id"):
        criteria.append(TASK.c.task_type_id == filters["task_type_id"])
    else:
        criteria.append(TASK_TYPE.c.for_entity.is_distinct_from("Concept"))
    if filters.get("task_status_id"):
        criteria.append(TASK.c.task_status_id == filters["task_status_id"])
    criteria += _assignee_criteria(filters.get("person_id"))
    person = Person.__table__
    if filters.get("studio_id"):
        criteria.append(select(LINK.c.task_id).join(person, person.c.id == LINK.c.person_id)
                        .where(LINK.c.task_id == TASK.c.id,
                               person.c.studio_id == filters["studio_id"]).exists())
    if filters.get("department_id"):
        criteria.append(select(LINK.c.task_id).join(
            DepartmentLink, DepartmentLink.person_id == LINK.c.person_id).where(
            LINK.c.task_id == TASK.c.id,
            DepartmentLink.department_id == filters["department_id"]).exists())
    if filters.get("start_date"):
        criteria.append(TASK.c.start_date >= filters["start_date"])
    if filters.get("due_date"):
        criteria.append(TASK.c.due_date <= filters["due_date"])
    if filters.get("priority") is not None:
        criteria.append(TASK_TYPE.c.priority == filters["priority"])
    return criteria


def _ids(values, *names):
    """`values` with the named ids (strings) as UUIDs."""
    return {**values, **{name: as_uuid(values[name], name.replace("_", " "))
                         for name in names if values.get(name)}}


def _assignee_criteria(person_id):
    """`person_id`: "unassigned", or one or more comma-separated ids."""
    if not person_id:
        return []
    if person_id == "unassigned":
        return [~select(LINK.c.task_id).where(LINK.c.task_id == TASK.c.id).exists()]
    ids = [as_uuid(i.strip(), "person id") for i in person_id.split(",")]
    return [select(LINK.c.task_id).where(LINK.c.task_id == TASK.c.id,
                                         LINK.c.person_id.in_(ids)).exists()]


def _pool_stats(criteria):
    """{total, total_duration, total_estimation, status: [{task_status_id,
    amount}]} of the tasks matching `criteria`, from one GROUP BY."""
    rows = db.session.execute(
        select(TASK.c.task_status_id, func.count(), func.sum(TASK.c.duration),
               func.sum(TASK.c.estimation))
        .select_from(_detail_from()).where(*criteria).group_by(TASK.c.task_status_id)).all()
    # Float sums, 0.0 for an empty pool, as summing the floats in SQL gives.
    return {"total": sum(r[1] for r in rows),
            "total_duration": sum((r[2] or 0 for r in rows), 0.0),
            "total_estimation": sum((r[3] or 0 for r in rows), 0.0),
            "status": [{"task_status_id": r[0], "amount": r[1]} for r in rows]}


def open_tasks(actor, filters, page=None, limit=OPEN_TASKS_LIMIT):
    """GET /data/tasks/open-tasks: a page of the not-closed productions'
    tasks, by project, episode, sequence, entity and task type names, in
    the envelope {data, stats: {total, total_duration, total_estimation,
    status: [{task_status_id, amount}]}, limit, is_more, page}. JSON bytes."""
    criteria = _open_criteria(actor, filters)
    page = page if page and page > 0 else 1
    fields = {name: name for name in OPEN_FIELDS}
    data = _detail_json(actor, fields, criteria, NAME_ORDER, limit, (page - 1) * limit)
    stats = _pool_stats(criteria)
    meta = orjson.dumps({"stats": stats, "limit": limit,
                         "is_more": page * limit < stats["total"], "page": page},
                        option=orjson.OPT_NON_STR_KEYS)
    return b'{"data":' + data + b"," + meta[1:]


def open_tasks_stats(actor):
    """GET /data/tasks/open-tasks/stats: per production, the number of
    tasks, done ones, time spent and estimated, with the same per task
    type and status."""
    done = func.count().filter(_is_done())
    rows = db.session.execute(
        select(TASK.c.project_id, TASK.c.task_type_id, TASK.c.task_status_id,
               func.count(), done, func.coalesce(func.sum(TASK.c.duration), 0),
               func.coalesce(func.sum(TASK.c.estimation), 0))
        .select_from(_detail_from())
        .where(*visible(actor), TASK_TYPE.c.for_entity.is_distinct_from("Concept"))
        .group_by(TASK.c.project_id, TASK.c.task_type_id, TASK.c.task_status_id)).all()
    out = {}
    for project_id, type_id, status_id, amount, amount_done, duration, estimation in rows:
        stats = out.setdefault(str(project_id), {"amount": 0, "amount_done": 0,
                                                 "total_duration": 0, "total_estimation": 0,
                                                 "task_types": []})
        stats["amount"] += amount
        stats["amount_done"] += amount_done
        stats["total_duration"] += duration
        stats["total_estimation"] += estimation
        stats["task_types"].append({
            "task_status_id": status_id, "task_type_id": type_id, "project_id": project_id,
            "amount": amount, "amount_done": amount_done, "total_duration": duration,
            "total_estimation": estimation})
    return out


def open_tasks_burndown(actor, filters):
    """GET /data/tasks/open-tasks/burndown: the pool's size and estimation,
    its schedule window (task dates, else project dates) and the tasks done
    per day; days done before the window count on its first day."""
    pool = select(TASK.c.estimation, TASK.c.start_date, TASK.c.due_date, TASK.c.done_date,
                  PROJECT.c.start_date.label("project_start"),
                  PROJECT.c.end_date.label("project_end")) \
        .select_from(_detail_from()).where(*_open_criteria(actor, filters)).subquery()
    total, estimation, first_start, last_due, project_start, project_end = db.session.execute(
        select(func.count(), func.sum(pool.c.estimation),
               sa.cast(func.min(pool.c.start_date), sa.Date),
               sa.cast(func.max(pool.c.due_date), sa.Date),
               func.min(pool.c.project_start), func.max(pool.c.project_end))).one()
    day = sa.cast(pool.c.done_date, sa.Date)
    done = [tuple(r) for r in db.session.execute(
        select(day, func.count(), func.coalesce(func.sum(pool.c.estimation), 0))
        .where(pool.c.done_date.isnot(None)).group_by(day).order_by(day))]
    start = first_start or project_start
    window = [d for d in (start, last_due or project_end) if d is not None]
    if start is not None and done and done[0][0] < min(window):
        first = min(window)
        early = [r for r in done if r[0] <= first]
        done = [(first, sum(r[1] for r in early), sum(r[2] for r in early))] + \
            [r for r in done if r[0] > first]
    bounds = window + ([done[0][0], done[-1][0]] if done else [])
    return {
        "total": total, "total_estimation": estimation or 0,
        "start_date": min(bounds).isoformat() if bounds else None,
        "end_date": max(bounds).isoformat() if bounds else None,
        "done_by_day": [{"date": d.isoformat(), "done": n, "done_estimation": e}
                        for d, n, e in done],
    }


# Tasks to check -------------------------------------------------------------------

def _check_scope(actor):
    """Criteria on the detailed rows: feedback requests in the open
    productions the actor manages (all of them for admins) or supervises
    (their departments' task types; all of them without departments)."""
    criteria = [TASK_STATUS.c.is_feedback_request.is_(True)]
    if actor.is_admin:
        return criteria + [TASK.c.project_id.in_(_open_project_ids())]
    departments = sa.true() if not actor.department_ids else \
        TASK_TYPE.c.department_id.in_([as_uuid(d) for d in actor.department_ids])
    return criteria + [or_(
        TASK.c.project_id.in_(team_project_ids(actor, roles=("manager",))),
        and_(TASK.c.project_id.in_(team_project_ids(actor, roles=("supervisor",))),
             departments))]


def tasks_to_check(actor, filters, order_by=None, page=None, limit=100):
    """GET /data/user/tasks-to-check: the list, or with `page` the envelope
    {data, stats: {total, total_duration, total_estimation}, page, limit,
    is_more}. JSON bytes."""
    require_person(actor)
    criteria = _check_scope(actor)
    filters = _ids(filters, "project_id", "task_type_id", "task_status_id", "episode_id")
    for name in ("project_id", "task_type_id", "task_status_id"):
        if filters.get(name):
            criteria.append(TASK.c[name] == filters[name])
    criteria += _assignee_criteria(filters.get("person_id"))
    if filters.get("episode_id"):
        episode_id = filters["episode_id"]
        criteria.append(or_(EPISODE.c.id == episode_id, ENTITY.c.source_id == episode_id,
                            ENTITY.c.parent_id == episode_id))
    if filters.get("due_date_since"):
        criteria.append(TASK.c.due_date >= filters["due_date_since"])
    if filters.get("due_date_until"):
        criteria.append(TASK.c.due_date <= filters["due_date_until"])
    fields = {**PERSON_FIELDS, "last_comment": "last_comment"}
    order = CHECK_ORDERS.get(order_by, NAME_ORDER)
    if page is None:
        return _detail_json(actor, fields, criteria, order)
    page, limit = max(page, 1), max(limit, 1)
    stats = _pool_stats(criteria)
    del stats["status"]
    meta = orjson.dumps({"stats": stats, "page": page, "limit": limit,
                         "is_more": page * limit < stats["total"]})
    data = _detail_json(actor, fields, criteria, order, limit, (page - 1) * limit)
    return b'{"data":' + data + b"," + meta[1:]


def tasks_to_check_filter_values(actor):
    """The projects, task types, statuses, episodes and assignees found
    among the tasks to check, each as a sorted id list."""
    require_person(actor)
    ids = {"project_ids": TASK.c.project_id, "task_type_ids": TASK.c.task_type_id,
           "task_status_ids": TASK.c.task_status_id, "episode_ids": _episode_id()}
    scope = _check_scope(actor)
    row = db.session.execute(select(*[
        func.array_agg(sa.distinct(column)).label(name)
        for name, column in ids.items()]).select_from(_detail_from()).where(*scope)).one()
    persons = db.session.scalars(select(LINK.c.person_id).distinct().select_from(
        _detail_from().join(LINK, LINK.c.task_id == TASK.c.id)).where(*scope))
    out = {name: sorted(str(v) for v in getattr(row, name) or () if v is not None)
           for name in ids}
    out["person_ids"] = sorted(str(p) for p in persons)
    return out


# One task -------------------------------------------------------------------------

def _one(name, model, row_id, actor):
    row = db.session.get(model, row_id) if row_id else None
    return None if row is None else crud.serialize(crud.collection(name), actor, row)


def _persons(actor, ids):
    return crud.select_rows(crud.collection("persons"), actor, Person.id.in_(ids),
                            relations=True, sort=("last_name", "first_name")) if ids else []


def full_task(actor, task_id):
    """GET /data/tasks/<id>/full: the task with its assignees, entity,
    entity type, project, type, status, assigner, subscription and, for a
    shot, scene or sequence, its sequence and episode. A client gets the
    planning values blanked and no persons."""
    task = tasks.get_for(actor, task_id)
    role = project_role(actor, task.project_id)
    out = crud.serialize(crud.collection("tasks"), actor, task, relations=True)
    entity = entities.load(task.entity_id)
    entity_type = db.session.get(EntityType, entity.entity_type_id)
    out.update({
        "type": "Task", "entity": entities.serialize(actor, entity),
        "entity_type": crud.serialize(crud.collection("entity-types"), actor, entity_type),
        "project": projects.answer(actor, db.session.get(Project, task.project_id)),
        "task_type": _one("task-types", TaskType, task.task_type_id, actor),
        "task_status": _one("task-status", TaskStatus, task.task_status_id, actor),
        "is_subscribed": bool(db.session.scalar(select(select(Subscription.id).where(
            Subscription.task_id == task.id,
            Subscription.person_id == actor.person.id).exists()))),
        "persons": _persons(actor, out["assignees"]),
    })
    assigner = _persons(actor, [task.assigner_id] if task.assigner_id else [])
    if assigner:
        out["assigner"] = assigner[0]
    parent = db.session.get(Entity, entity.parent_id) if entity.parent_id else None
    sequence = {"Sequence": entity, "Shot": parent, "Scene": parent}.get(entity_type.name)
    if sequence is not None:
        out["sequence"] = entities.serialize(actor, sequence)
        if sequence.parent_id is not None:
            out["episode"] = entities.serialize(actor, entities.load(sequence.parent_id))
    if role == "client":
        out.update({name: value for name, value in CLIENT_BLANK.items() if name in out})
        out["persons"] = []
        out.pop("assigner", None)
    return out


def task_previews(actor, task_id):
    """The task's previews, newest revision first; clients do not get the
    rejected ones."""
    task = tasks.get_for(actor, task_id)
    criteria = [PreviewFile.task_id == task.id]
    if project_role(actor, task.project_id) == "client":
        criteria.append(PreviewFile.validation_status.is_distinct_from("rejected"))
    rows = crud.select_rows(crud.collection("preview-files"), actor, *criteria)
    return sorted(rows, key=lambda r: (-(r["revision"] or 0), r["position"] or 0))


def _blank_for(actor, project_id, rows):
    if project_role(actor, project_id) != "client":
        return rows
    return [{**row, **{k: v for k, v in CLIENT_BLANK.items() if k in row}} for row in rows]


def _as_client_reads(actor, *criteria):
    """The tasks collection's rows matching `criteria`, with their
    assignees, as a client reads them: the values of CLIENT_BLANK in place
    of the studio's, put there by PostgreSQL (rows stay JSON from the
    database to the socket)."""
    coll = crud.collection("tasks")
    columns = [sa.literal_column(f"'{orjson.dumps(CLIENT_BLANK[c.name]).decode()}'::json")
               .label(c.name) if c.name in CLIENT_BLANK else crud.wire_column(c)
               for c in coll.visible_columns(actor)]
    stmt = select(*columns, sa.literal_column("'[]'::json").label("assignees"),
                  sa.literal(coll.wire_type).label("type")).where(*criteria)
    return coll.policy.list_scope(actor, coll, stmt)


def entity_tasks_of_type(actor, entity_id, task_type_id):
    """GET /data/entities/<id>/task-types/<id>/tasks, by name."""
    entity = entities.get_for(actor, entity_id)
    criteria = visible(actor, entity.project_id, own_only=("vendor",)) + [
        TASK.c.entity_id == entity.id,
        TASK.c.task_type_id == as_uuid(task_type_id, "task type id")]
    return _blank_for(actor, entity.project_id, crud.select_rows(
        crud.collection("tasks"), actor, *criteria, sort=("name",)))


# A production's lists ----------------------------------------------------------------

def _page_args(page):
    return {"page": str(page)} if page is not None and page > 0 else {}


def project_tasks(actor, project_id, page=None, task_type_id=None, episode_id=None):
    """GET /data/projects/<id>/tasks: the production's tasks (theirs for
    vendors, blanked for clients) with their assignees, whole or one page
    of the generic envelope, latest updated first. JSON bytes, or for the
    whole list chunks to stream."""
    projects.get_for(actor, project_id)
    criteria = visible(actor, project_id, own_only=("vendor",))
    if task_type_id is not None:
        criteria.append(TASK.c.task_type_id == as_uuid(task_type_id, "task type id"))
    if episode_id is not None:
        shot, sequence = ENTITY.alias("shot"), ENTITY.alias("sequence")
        criteria.append(TASK.c.entity_id.in_(
            select(shot.c.id).join(sequence, sequence.c.id == shot.c.parent_id)
            .where(sequence.c.parent_id == as_uuid(episode_id, "episode id"))))
    args = {**_page_args(page), "relations": "true"}
    client = project_role(actor, project_id) == "client"
    if client and not args.get("page"):
        return crud.json_chunks(_as_client_reads(actor, *criteria))
    body = crud.list_json(crud.collection("tasks"), actor, args, *criteria, stream=True)
    if not client:
        return body
    # One page: a few rows, blanked here rather than restating the
    # envelope's paging in SQL.
    data = orjson.loads(body)
    data["data"] = _blank_for(actor, project_id, data["data"])
    return orjson.dumps(data)


def project_rows(actor, project_id, name, page=None):
    """A production's notifications, preview files or subscriptions (the
    rows hanging off its tasks), for admins: whole, or one page."""
    require_admin(actor)
    projects.get_for(actor, project_id)
    model = {"notifications": Notification, "preview-files": PreviewFile,
             "subscriptions": Subscription}[name]
    of_project = select(TASK.c.id).where(TASK.c.project_id == as_uuid(project_id))
    return crud.list_json(crud.collection(name), actor, _page_args(page),
                          model.task_id.in_(of_project))


# Schedule ----------------------------------------------------------------------------

def persons_task_dates(actor, project_id=None):
    """GET /data/persons/task-dates: for each active assignee, the first
    start and last due date of their tasks in one production (a manager or
    supervisor of it), or in the open productions the caller is on; their
    tasks in the other open productions only show as anonymous busy
    periods. Admins see every open production."""
    busy_in = None
    # The schedule page sends an empty project_id for "all productions".
    project_id = (project_id or "").strip() or None
    if project_id is not None:
        require_project_role(actor, project_id, ("manager", "supervisor"))
        detail_in = [as_uuid(project_id, "project id")]
    elif actor.is_admin:
        detail_in = _open_project_ids()
    else:
        if actor.role not in ("manager", "supervisor"):
            raise Forbidden("Only supervisors, managers and admins see the team schedule.")
        detail_in = team_project_ids(actor, roles=SEES_ALL)
        busy_in = _open_project_ids().where(PROJECT.c.id.notin_(detail_in))
    person = Person.__table__
    base = TASK.join(LINK, LINK.c.task_id == TASK.c.id).join(person,
                                                             person.c.id == LINK.c.person_id)
    entries = {}
    for person_id, first, last in db.session.execute(
            select(LINK.c.person_id, func.min(TASK.c.start_date), func.max(TASK.c.due_date))
            .select_from(base).where(person.c.active.is_(True),
                                     TASK.c.project_id.in_(detail_in))
            .group_by(LINK.c.person_id)):
        entries[str(person_id)] = {"person_id": str(person_id), "min_date": _iso(first),
                                   "max_date": _iso(last), "busy_periods": []}
    if busy_in is not None:
        periods = {}
        for person_id, start, end in db.session.execute(
                select(LINK.c.person_id, TASK.c.start_date, TASK.c.due_date)
                .select_from(base).where(person.c.active.is_(True),
                                         TASK.c.project_id.in_(busy_in),
                                         TASK.c.start_date.isnot(None),
                                         TASK.c.due_date.isnot(None))
                .order_by(LINK.c.person_id, TASK.c.start_date)):
            merged = periods.setdefault(str(person_id), [])
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for person_id, merged in periods.items():
            entry = entries.setdefault(person_id, {"person_id": person_id, "min_date": None,
                                                   "max_date": None, "busy_periods": []})
            entry["busy_periods"] = [{"start_date": _iso(s), "end_date": _iso(e)}
                                     for s, e in merged]
    return list(entries.values())


def _iso(value):
    return value.replace(microsecond=0).isoformat() if value is not None else None


# What is assigned to the caller (/data/user/...) ---------------------------------------

def _mine_on(actor, entity_id_column):
    """SQL: the entity has a task assigned to the caller in an open production."""
    return select(TASK.c.id).where(
        TASK.c.entity_id == entity_id_column, assigned_to(actor.person.id),
        TASK.c.project_id.in_(_open_project_ids())).exists()


def _entity_of_kind(actor, entity_id, kind):
    """The entity (404 when not of this kind), once the caller is on its team."""
    require_person(actor)
    row = entities.load(entity_id, kind)
    require_project_access(actor, row.project_id)
    return row


def _entities_json(actor, kind, *criteria):
    """The entities of `kind` matching `criteria`, by name, without the
    metadata the actor may not see."""
    return assets.without_hidden_data(actor, kind, crud.select_json(
        crud.collection("entities"), actor, *criteria, sort=("name",)))


def my_entity_tasks(actor, entity_id, kind):
    """The caller's tasks on the entity (open productions)."""
    row = _entity_of_kind(actor, entity_id, kind)
    return crud.select_json(crud.collection("tasks"), actor, TASK.c.entity_id == row.id,
                            assigned_to(actor.person.id),
                            TASK.c.project_id.in_(_open_project_ids()), sort=("name",))


def my_entity_task_types(actor, entity_id, kind):
    """The task types of the caller's tasks on the entity."""
    row = _entity_of_kind(actor, entity_id, kind)
    used = select(TASK.c.task_type_id).where(TASK.c.entity_id == row.id,
                                            assigned_to(actor.person.id),
                                            TASK.c.project_id.in_(_open_project_ids()))
    return crud.select_json(crud.collection("task-types"), actor, TASK_TYPE.c.id.in_(used),
                            sort=("name",))


def _kind_id(name):
    return select(ENTITY_TYPE.c.id).where(ENTITY_TYPE.c.name == name).scalar_subquery()


def my_children(actor, parent_id, parent_kind, kind):
    """The entities of `kind` under the parent (the shots or scenes of a
    sequence) on which the caller has a task."""
    parent = _entity_of_kind(actor, parent_id, parent_kind)
    return _entities_json(actor, kind, ENTITY.c.parent_id == parent.id,
                          ENTITY.c.entity_type_id == _kind_id(kind),
                          _mine_on(actor, ENTITY.c.id))


def _project(actor, project_id):
    require_person(actor)
    return projects.get_for(actor, project_id)


def my_sequences(actor, project_id):
    """The production's sequences holding a shot the caller has a task on."""
    project = _project(actor, project_id)
    shot = ENTITY.alias("shot")
    return _entities_json(actor, "Sequence", ENTITY.c.project_id == project.id,
                          ENTITY.c.entity_type_id == _kind_id("Sequence"),
                          select(shot.c.id).where(
                              shot.c.parent_id == ENTITY.c.id,
                              shot.c.entity_type_id == _kind_id("Shot"),
                              _mine_on(actor, shot.c.id)).exists())


def my_episodes(actor, project_id):
    """The production's episodes holding such a sequence."""
    project = _project(actor, project_id)
    shot, sequence = ENTITY.alias("shot"), ENTITY.alias("sequence")
    return _entities_json(actor, "Episode", ENTITY.c.project_id == project.id,
                          ENTITY.c.entity_type_id == _kind_id("Episode"),
                          select(shot.c.id).join(sequence, sequence.c.id == shot.c.parent_id)
                          .where(sequence.c.parent_id == ENTITY.c.id,
                                 sequence.c.entity_type_id == _kind_id("Sequence"),
                                 shot.c.entity_type_id == _kind_id("Shot"),
                                 _mine_on(actor, shot.c.id)).exists())


def my_asset_types(actor, project_id):
    """The asset types of the production's assets the caller has a task on."""
    project = _project(actor, project_id)
    used = select(ENTITY.c.entity_type_id).where(
        ENTITY.c.project_id == project.id, _mine_on(actor, ENTITY.c.id))
    rows = crud.select_rows(crud.collection("entity-types"), actor,
                            ENTITY_TYPE.c.id.in_(used),
                            ENTITY_TYPE.c.name.notin_(TEMPORAL_ENTITY_TYPES), sort=("name",))
    return [{**row, "type": "AssetType"} for row in rows]


def my_assets(actor, project_id, asset_type_id):
    """The production's assets of the type the caller has a task on."""
    project = _project(actor, project_id)
    asset_type = db.session.get(EntityType, as_uuid(asset_type_id, "asset type id"))
    if asset_type is None or asset_type.name in TEMPORAL_ENTITY_TYPES:
        raise NotFound(f"No asset type has the id {asset_type_id}.")
    return _entities_json(actor, entities.ASSET, ENTITY.c.project_id == project.id,
                          ENTITY.c.entity_type_id == asset_type.id,
                          _mine_on(actor, ENTITY.c.id))


def my_open_projects(actor, name=None):
    require_person(actor)
    return projects.open_projects(actor, name)


