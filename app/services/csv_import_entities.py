"""CSV imports of shots, assets and edits (behaviours.md row 21).

Pass one turns each row into the entity values to write and the task
changes it asks for (a status, a comment, assignees per task type); pass
two writes them: missing episodes and sequences, then every new entity in
batched INSERTs and every updated one in one executemany UPDATE, the
workflow tasks of the new entities in one INSERT ... SELECT, and last the
per-task status changes, comments and assignations the file holds.

Without `update`, an entity already in the project is left as it is (an
asset still gets its missing workflow tasks, as Zou does); a name seen
twice in one file is one entity, its later rows applied in update mode only.
"""
import sqlalchemy as sa
from sqlalchemy import exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert as upsert

from app import events
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity
from app.models.project import ProjectAssetTypeLink, ProjectTaskTypeLink
from app.models.settings import EntityType, TaskType, TaskTypeAssetTypeLink
from app.models.task import Task, TaskPersonLink
from app.services import assignments, comments, crud, entities, entity_tasks, notifications
from app.services.csv_import import (
    Descriptors, People, Problems, RowError, Statuses, any_uuid, each_row, file_error,
    integer, is_tv_show, load_project, new_id, number, project_task_types, read, sized,
)
from app.services.defaults import TEMPORAL_ENTITY_TYPES

ENTITY = Entity.__table__
BATCH = 1000  # rows per INSERT: 10 columns each, far below 65,535 parameters
MAIN_PACK = "MP"
NAME_LENGTH = Entity.__table__.c.name.type.length
TYPE_LENGTH = EntityType.__table__.c.name.type.length  # the asset Episode cell naming no episode


class TaskColumns:
    """The task columns of a file: "<task type>" holds a status name,
    "<task type> comment" a comment, "<task type> assignations" persons."""

    SUFFIXES = (" comment", " assignations")

    def __init__(self, project_id, for_entity, header, descriptors, people, statuses):
        self.types = project_task_types(project_id, for_entity)
        known = {name for _, name in self.types} | descriptors.names
        unknown = sorted({column[:-len(suffix)] for column in header for suffix in self.SUFFIXES
                          if column.endswith(suffix) and column[:-len(suffix)] not in known})
        if unknown:
            raise file_error(f"Unknown task types for this project's {for_entity.lower()}s: "
                             f"{', '.join(unknown)}.")
        self.types = [t for t in self.types if any(
            f"{t.name}{suffix}" in header for suffix in ("",) + self.SUFFIXES)]
        self.people = people
        self.statuses = statuses

    def parse(self, row):
        """[(task type id, status id or None, comment or None, assignee ids)]."""
        changes = []
        for task_type_id, name in self.types:
            status = row.get(name, "")
            status_id = self.statuses.find(status) if status else None
            comment = row.get(f"{name} comment") or None
            assignees = self.people.many(row.get(f"{name} assignations", ""))
            if status_id or comment or assignees:
                changes.append((task_type_id, status_id, comment, assignees))
        return changes


class Entry:
    """One entity of a file: its id, whether it is new, whether the file
    changes it, its column values, its `data` keys and its task changes."""

    __slots__ = ("id", "new", "write", "values", "data", "tasks")

    def __init__(self, entity_id, new, write):
        self.id, self.new, self.write = entity_id, new, write
        self.values, self.data, self.tasks = {}, {}, ()


class Plan:
    """The entities a file writes, keyed by their identity in the project."""

    def __init__(self, update_mode):
        self.update_mode = update_mode
        self.entries = {}

    def add(self, key, existing_id, values, data, tasks):
        """One row: a new entity, or one that exists (changed in update
        mode only). A key seen again is the same entity: its later rows
        count in update mode only."""
        entry = self.entries.get(key)
        if entry is None:
            write = existing_id is None or self.update_mode
            entry = self.entries[key] = Entry(existing_id or new_id(), existing_id is None, write)
            if not write:
                return
        elif not self.update_mode:
            return
        entry.values.update(values)
        entry.data.update(data)
        if tasks:
            entry.tasks = [*entry.tasks, *tasks]

    def updated(self):
        return [e for e in self.entries.values() if e.write and not e.new]


# Writing --------------------------------------------------------------------

def _event(kind):
    return kind.lower()


def insert_entities(actor, project_id, entries, kind):
    """New entities (plan entries, entity_type_id among their values) in
    batches; <kind>:new for each (assets name their type)."""
    now = utc_now()
    defaults = {"project_id": project_id, "created_by": actor.person.id, "canceled": False,
                "nb_entities_out": 0, "is_casting_standby": False, "is_shared": False,
                "status": "running", "created_at": now, "updated_at": now,
                "description": None, "nb_frames": None, "parent_id": None, "source_id": None,
                "ready_for": None}
    for start in range(0, len(entries), BATCH):
        db.session.execute(insert(ENTITY), [{**defaults, **e.values, "id": e.id, "data": e.data}
                                            for e in entries[start:start + BATCH]])
    name = _event(kind)
    extra = (lambda e: {"asset_type": e.values["entity_type_id"]}) if kind == entities.ASSET \
        else (lambda e: {})
    events.emit_many(f"{name}:new", [{f"{name}_id": e.id, **extra(e)} for e in entries],
                     project_id=project_id)


def update_entities(project_id, rows, kind, columns):
    """Existing entities (plan entries): `columns` of each set, data merged into
    the stored one; one executemany; <kind>:update for each."""
    if not rows:
        return
    params = [{"b_id": r.id, "b_data": r.data, **{f"b_{c}": r.values[c] for c in columns}}
              for r in rows]
    values = {c: sa.bindparam(f"b_{c}") for c in columns}
    db.session.execute(
        update(ENTITY).where(ENTITY.c.id == sa.bindparam("b_id"))
        .values(data=func.coalesce(ENTITY.c.data, sa.text("'{}'::jsonb")).op("||")(
            sa.bindparam("b_data", type_=ENTITY.c.data.type)),
            updated_at=utc_now(), **values)
        .execution_options(synchronize_session=False), params)
    events.emit_many(f"{_event(kind)}:update", [{f"{_event(kind)}_id": r.id} for r in rows],
                     project_id=project_id)


def _workflow_pairs(ids, for_entity):
    """(entity, task type) for the project task types of the entities'
    kind; an asset type with a workflow narrows its assets' ones."""
    link = TaskTypeAssetTypeLink
    stmt = (select(ENTITY.c.id, TaskType.id)
            .join(ProjectTaskTypeLink, ProjectTaskTypeLink.project_id == ENTITY.c.project_id)
            .join(TaskType, TaskType.id == ProjectTaskTypeLink.task_type_id)
            .where(ENTITY.c.id == any_uuid(ids), TaskType.for_entity == for_entity))
    if for_entity == entities.ASSET:
        stmt = stmt.where(or_(
            ~exists().where(link.asset_type_id == ENTITY.c.entity_type_id),
            exists().where(link.asset_type_id == ENTITY.c.entity_type_id,
                           link.task_type_id == TaskType.id)))
    return stmt


def _listed_pairs(pairs):
    """A SELECT of the given (entity id, task type id) pairs."""
    array = ARRAY(UUID(as_uuid=True))
    return select(func.unnest(sa.literal([p[0] for p in pairs], array)).label("entity_id"),
                  func.unnest(sa.literal([p[1] for p in pairs], array)).label("task_type_id"))


def apply_task_changes(actor, project_id, changes, statuses):
    """changes: [(entity id, task type id, status id, comment, assignees)].
    Creates the tasks missing, assigns, then comments (status changes go
    through the comment, as in Kitsu)."""
    if not changes:
        return
    status = entity_tasks.default_status(False)
    pairs = list({(c[0], c[1]) for c in changes})
    entity_tasks.insert_tasks(actor, project_id, _listed_pairs(pairs), status)
    listed = _listed_pairs(pairs).subquery()
    tasks = {(t.entity_id, t.task_type_id): t for t in db.session.scalars(
        select(Task).join(listed, sa.and_(Task.entity_id == listed.c.entity_id,
                                          Task.task_type_id == listed.c.task_type_id))
        .where(Task.project_id == project_id, Task.name == entity_tasks.TASK_NAME))}
    _assign(actor, project_id, [(tasks[(c[0], c[1])], person_id)
                                for c in changes for person_id in c[4]])
    for entity_id, task_type_id, status_id, text, _ in changes:
        task = tasks[(entity_id, task_type_id)]
        if text or (status_id and status_id != task.task_status_id):
            comments.create(task, statuses.rows[status_id or task.task_status_id],
                            actor.person.id, text or "")


def _assign(actor, project_id, pairs):
    if not pairs:
        return
    added = set(db.session.execute(
        upsert(TaskPersonLink)
        .values([{"task_id": t.id, "person_id": p} for t, p in pairs])
        .on_conflict_do_nothing()
        .returning(TaskPersonLink.task_id, TaskPersonLink.person_id)))
    events.emit_many("task:assign", [{"task_id": t, "person_id": p} for t, p in added],
                     project_id=project_id)
    for task, person_id in pairs:
        if (task.id, person_id) in added:
            task.assigner_id = actor.person.id
            if str(person_id) != actor.id:
                notifications.notify([person_id], "assignation", actor.person.id, task=task)
    for person_id in {p for _, p in added}:
        assignments.join_teams(person_id, [project_id])


def answer(actor, ids):
    """The imported entities as GET /data/entities lists them: JSON chunks
    streamed from a server-side cursor, so a 50,000-shot answer is never
    whole in the worker's memory."""
    return crud.list_json(crud.collection("entities"), actor, {},
                          ENTITY.c.id == any_uuid(ids), stream=True)


def write(actor, project, plan, kind, statuses, columns):
    """Pass two for a plan: insert the new entities, update the others
    (`columns` and data), create the workflow tasks, apply the task
    columns; commit. Returns the entities as JSON chunks."""
    new = [e for e in plan.entries.values() if e.new]
    insert_entities(actor, project.id, new, kind)
    update_entities(project.id, plan.updated(), kind, columns)
    ids = [e.id for e in plan.entries.values()]
    workflow = ids if kind == entities.ASSET else [e.id for e in new]
    changes = [(e.id, *t) for e in plan.entries.values() for t in e.tasks]
    # About 1 kB an entry: freed before the tasks (and their events) are made.
    del new
    plan.entries.clear()
    if workflow:
        entity_tasks.insert_tasks(actor, project.id, _workflow_pairs(workflow, kind),
                                  entity_tasks.default_status(False))
    apply_task_changes(actor, project.id, changes, statuses)
    db.session.commit()
    return answer(actor, ids)


# Lookups ----------------------------------------------------------------------

def _named(project_id, type_name, *columns):
    """{(parent_id, name): row} of the project's entities of a type."""
    return {(r.parent_id, r.name): r for r in db.session.execute(
        select(ENTITY.c.id, ENTITY.c.parent_id, ENTITY.c.name, *columns)
        .where(ENTITY.c.project_id == project_id,
               ENTITY.c.entity_type_id == entities.entity_type_id(type_name)))}


def _parent(actor, project_id, type_name, cache, name, parent_id=None):
    """The id of the episode or sequence called `name`, created if missing
    (pass two only: pass one records names)."""
    key = (parent_id, name)
    if key not in cache:
        cache[key] = entities.create_entity(
            actor, project_id, entities.entity_type_id(type_name), name, parent_id).id
    return cache[key]


class _Context:
    """What every entity import needs from the file and the project."""

    def __init__(self, actor, project_id, stream, kind, required):
        self.project, _ = load_project(actor, project_id)
        self.header, self.rows = read(stream, required)
        self.people = People()
        self.statuses = Statuses()
        self.descriptors = Descriptors(self.project.id, kind, self.header, self.people)
        self.tasks = TaskColumns(self.project.id, kind, self.header, self.descriptors,
                                 self.people, self.statuses)
        self.problems = Problems()
        self.tv_show = is_tv_show(self.project)

    def column(self, row, *names):
        """The first of these columns present in the file, or None."""
        for name in names:
            if name in self.header:
                return row[name]
        return None


def _required_cell(row, column, limit=NAME_LENGTH):
    value = row.get(column, "")
    if not value:
        raise RowError(f"{column} cannot be empty")
    return sized(value, column, limit)


def _shared_values(ctx, row, values):
    description = ctx.column(row, "Description")
    if description is not None:
        values["description"] = description


# Shots --------------------------------------------------------------------------

def import_shots(actor, project_id, stream, update_mode=False):
    """POST /import/csv/projects/<id>/shots."""
    ctx = _Context(actor, project_id, stream, "Shot", ("Sequence", "Name"))
    if ctx.tv_show and "Episode" not in ctx.header:
        raise file_error("Missing columns: Episode (the production is a TV show).")
    pid = ctx.project.id
    episodes = {name: row.id for (_, name), row in _named(pid, "Episode").items()}
    sequences = {key: row.id for key, row in _named(pid, "Sequence").items()}
    # Their data is needed only to complete a frame range in update mode.
    shots = _named(pid, "Shot", *([ENTITY.c.data] if update_mode else []))
    plan = Plan(update_mode)

    def handle(line_number, row):
        names = ("Episode", "Sequence", "Name") if ctx.tv_show else ("Sequence", "Name")
        cells = [_required_cell(row, c) for c in names]
        episode_name = cells[0] if ctx.tv_show else None
        sequence_name, name = cells[-2:]
        values, data = {}, {}
        _shared_values(ctx, row, values)
        frames = ctx.column(row, "Nb Frames", "Frames")
        if frames:
            values["nb_frames"] = integer(frames, "Nb Frames")
        for key, columns in (("frame_in", ("Frame In", "In")), ("frame_out", ("Frame Out", "Out"))):
            cell = ctx.column(row, *columns)
            if cell:
                data[key] = integer(cell, columns[0])
        fps = ctx.column(row, "FPS")
        if fps is not None:
            if fps:
                number(fps, "FPS")
            data["fps"] = fps
        resolution = ctx.column(row, "Resolution")
        if resolution is not None:
            data["resolution"] = resolution
        data.update(ctx.descriptors.values(row))
        tasks = ctx.tasks.parse(row)
        episode_id = episodes.get(episode_name) if ctx.tv_show else None
        sequence_id = sequences.get((episode_id, sequence_name)) \
            if episode_id or not ctx.tv_show else None
        existing = shots.get((sequence_id, name)) if sequence_id else None
        entry_data = {**(existing.data or {}), **data} if existing and update_mode else data
        if "nb_frames" not in values and isinstance(entry_data.get("frame_in"), int) \
                and isinstance(entry_data.get("frame_out"), int) \
                and entry_data["frame_out"] > entry_data["frame_in"]:
            values["nb_frames"] = entry_data["frame_out"] - entry_data["frame_in"] + 1
        plan.add((episode_name, sequence_name, name), existing.id if existing else None, values, data, tasks)

    each_row(ctx.rows, ctx.problems, handle)
    ctx.problems.raise_if_any()

    episode_cache = {(None, n): i for n, i in episodes.items()}
    shot_type = entities.entity_type_id("Shot")
    for (episode_name, sequence_name, name), entry in plan.entries.items():
        episode_id = _parent(actor, pid, "Episode", episode_cache, episode_name) \
            if ctx.tv_show else None
        parent_id = _parent(actor, pid, "Sequence", sequences, sequence_name, episode_id)
        entry.values.update(parent_id=parent_id, name=name, entity_type_id=shot_type)
        if entry.new:
            entry.values.setdefault("nb_frames", 0)
    columns = [c for c in ("description", "nb_frames") if _any_value(plan, c)]
    _fill_current(plan, columns)
    return write(actor, ctx.project, plan, "Shot", ctx.statuses, columns)


def _any_value(plan, column):
    return any(column in e.values for e in plan.entries.values() if e.write and not e.new)


def _fill_current(plan, columns):
    """Updated rows leave the columns their cells left empty as stored."""
    updated = [e for e in plan.entries.values() if e.write and not e.new]
    if not updated or not columns:
        return
    current = {r.id: r for r in db.session.execute(
        select(ENTITY.c.id, *(ENTITY.c[c] for c in columns))
        .where(ENTITY.c.id == any_uuid([e.id for e in updated])))}
    for entry in updated:
        for column in columns:
            entry.values.setdefault(column, getattr(current[entry.id], column))


# Edits ----------------------------------------------------------------------------

def import_edits(actor, project_id, stream, update_mode=False):
    """POST /import/csv/projects/<id>/edits."""
    ctx = _Context(actor, project_id, stream, "Edit", ("Name",))
    pid = ctx.project.id
    episodes = {name: row.id for (_, name), row in _named(pid, "Episode").items()}
    edits = _named(pid, "Edit")
    plan = Plan(update_mode)

    def handle(line_number, row):
        name = _required_cell(row, "Name")
        episode_name = sized(ctx.column(row, "Episode") or "", "Episode", NAME_LENGTH) or None
        if episode_name and not ctx.tv_show:
            raise RowError("An episode is given but the production is not a TV show")
        values, data = {}, ctx.descriptors.values(row)
        _shared_values(ctx, row, values)
        episode_id = episodes.get(episode_name) if episode_name else None
        existing = None if episode_name and episode_id is None \
            else edits.get((episode_id, name))
        plan.add((episode_name, name), existing.id if existing else None, values, data, ctx.tasks.parse(row))

    each_row(ctx.rows, ctx.problems, handle)
    ctx.problems.raise_if_any()
    cache = {(None, n): i for n, i in episodes.items()}
    edit_type = entities.entity_type_id("Edit")
    for (episode_name, name), entry in plan.entries.items():
        entry.values.update(name=name, entity_type_id=edit_type, parent_id=_parent(
            actor, pid, "Episode", cache, episode_name) if episode_name else None)
    columns = [c for c in ("description",) if _any_value(plan, c)]
    _fill_current(plan, columns)
    return write(actor, ctx.project, plan, "Edit", ctx.statuses, columns)


# Assets -----------------------------------------------------------------------------

def _asset_types(project_id):
    """({lowercase name: id} of every asset type, the ids the project
    limits itself to (empty: all))."""
    every = {name.lower(): type_id for type_id, name in db.session.execute(
        select(EntityType.id, EntityType.name).where(
            EntityType.name.notin_(TEMPORAL_ENTITY_TYPES)))}
    allowed = set(db.session.scalars(select(ProjectAssetTypeLink.asset_type_id).where(
        ProjectAssetTypeLink.project_id == project_id)))
    return every, allowed


def import_assets(actor, project_id, stream, update_mode=False):
    """POST /import/csv/projects/<id>/assets."""
    ctx = _Context(actor, project_id, stream, "Asset", ("Name", "Type"))
    pid = ctx.project.id
    episodes = {name: row.id for (_, name), row in _named(pid, "Episode").items()}
    every_type, allowed_types = _asset_types(pid)
    ready_for_types = {name: type_id for type_id, name in project_task_types(pid, "Shot")}
    assets = {(r.entity_type_id, r.name): r for r in db.session.execute(
        select(ENTITY.c.id, ENTITY.c.name, ENTITY.c.entity_type_id)
        .where(ENTITY.c.project_id == pid, entities.is_asset_type()))}
    plan = Plan(update_mode)
    new_types, added_types = {}, set()

    def handle(line_number, row):
        name = _required_cell(row, "Name")
        type_name = _required_cell(row, "Type", TYPE_LENGTH)
        type_id = every_type.get(type_name.lower())
        if allowed_types and type_id is None:
            raise RowError(f"Asset type {type_name!r} is not configured for this project")
        if allowed_types and type_id not in allowed_types:
            added_types.add(type_id)
        episode_name = sized(ctx.column(row, "Episode") or "", "Episode", NAME_LENGTH) or None
        if episode_name == MAIN_PACK:
            episode_name = None
        if episode_name and not ctx.tv_show:
            raise RowError("An episode is given but the production is not a TV show")
        values, data = {"source_episode": episode_name}, {}
        _shared_values(ctx, row, values)
        resolution = ctx.column(row, "Resolution")
        if resolution is not None:
            data["resolution"] = resolution
        data.update(ctx.descriptors.values(row))
        ready_for = ctx.column(row, "Ready for")
        if ready_for is not None:
            if ready_for and ready_for not in ready_for_types:
                raise RowError(f"Task type not found for {ready_for!r} (Ready for)")
            values["ready_for"] = ready_for_types.get(ready_for)
        if type_id is None:
            new_types.setdefault(type_name.lower(), type_name)
        key_type = type_id or type_name.lower()
        existing = assets.get((type_id, name)) if type_id else None
        plan.add((key_type, name), existing.id if existing else None, values, data, ctx.tasks.parse(row))

    each_row(ctx.rows, ctx.problems, handle)
    ctx.problems.raise_if_any()

    created_types = {}
    for lower, type_name in new_types.items():
        row = EntityType(name=type_name)
        db.session.add(row)
        created_types[lower] = row
    db.session.flush()
    for row in created_types.values():
        events.emit("asset-type:new", {"asset_type_id": row.id})
    if added_types:
        db.session.execute(upsert(ProjectAssetTypeLink).values(
            [{"project_id": pid, "asset_type_id": t} for t in added_types])
            .on_conflict_do_nothing())
    cache = {(None, n): i for n, i in episodes.items()}
    for (key_type, name), entry in plan.entries.items():
        entry.values["entity_type_id"] = created_types[key_type].id \
            if key_type in created_types else key_type
        episode_name = entry.values.pop("source_episode", None)
        entry.values["name"] = name
        if entry.write:
            entry.values["source_id"] = _parent(actor, pid, "Episode", cache, episode_name) \
                if episode_name else None
    columns = [c for c in ("description", "ready_for", "source_id") if _any_value(plan, c)]
    _fill_current(plan, columns)
    return write(actor, ctx.project, plan, entities.ASSET, ctx.statuses, columns)
