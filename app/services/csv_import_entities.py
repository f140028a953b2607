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
import pickle
import uuid

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
    integer, is_tv_show, load_project, new_id, number, project_task_types, read, report,
    sized,
)
from app.services.defaults import TEMPORAL_ENTITY_TYPES

ENTITY = Entity.__table__
BATCH = 1000  # rows per INSERT: 10 columns each, far below 65,535 parameters
TASK_BATCH = 5000  # entities whose workflow tasks one INSERT makes
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

    def __init__(self, entity_id, new, write, values=None, data=None, tasks=()):
        self.id, self.new, self.write = entity_id, new, write
        self.values, self.data, self.tasks = values or {}, data or {}, tasks

    def pack(self):
        return pickle.dumps((self.id.bytes, self.new, self.write, self.values, self.data,
                             self.tasks), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def unpack(cls, record):
        entity_id, *rest = pickle.loads(record)
        return cls(uuid.UUID(bytes=entity_id), *rest)


class Plan:
    """The entities a file writes, keyed by their identity in the project.
    Each entry is kept pickled (about 200 bytes, where its dicts, strings
    and UUID take 1 kB): a 50,000-row file's plan stays small until
    written, and is unpacked one entry at a time. Only bytes this process
    pickled are ever unpickled."""

    def __init__(self, update_mode):
        self.update_mode = update_mode
        self.positions = {}  # key -> index in records
        self.records = []
        self.new_count = 0

    def __len__(self):
        return len(self.records)

    def add(self, key, existing_id, values, data, tasks):
        """One row: a new entity, or one that exists (changed in update
        mode only). A key seen again is the same entity: its later rows
        count in update mode only."""
        position = self.positions.get(key)
        if position is None:
            write = existing_id is None or self.update_mode
            self.positions[key] = len(self.records)
            self.new_count += existing_id is None
            entry = Entry(existing_id or new_id(), existing_id is None, write)
            if write:
                entry.values, entry.data, entry.tasks = values, data, list(tasks)
            self.records.append(entry.pack())
            return
        if not self.update_mode:
            return
        entry = Entry.unpack(self.records[position])
        entry.values.update(values)
        entry.data.update(data)
        entry.tasks = [*entry.tasks, *tasks]
        self.records[position] = entry.pack()

    def entries(self):
        """(key, entry) in file order; changes to an entry are not kept."""
        for key, position in self.positions.items():
            yield key, Entry.unpack(self.records[position])

    def change_each(self, change, which=lambda entry: True):
        """change(key, entry) for the entries `which` accepts, kept."""
        for key, position in self.positions.items():
            entry = Entry.unpack(self.records[position])
            if which(entry):
                change(key, entry)
                self.records[position] = entry.pack()

    def clear(self):
        self.positions, self.records = {}, []


def is_updated(entry):
    return entry.write and not entry.new


# Writing --------------------------------------------------------------------

def _event(kind):
    return kind.lower()


def insert_entities(actor, project_id, entries, kind, total=None):
    """New entities (plan entries, entity_type_id among their values, any
    iterable) in batches; <kind>:new for each (assets name their type)."""
    now = utc_now()
    defaults = {"project_id": project_id, "created_by": actor.person.id, "canceled": False,
                "nb_entities_out": 0, "is_casting_standby": False, "is_shared": False,
                "status": "running", "created_at": now, "updated_at": now,
                "description": None, "nb_frames": None, "parent_id": None, "source_id": None,
                "ready_for": None}
    name = _event(kind)
    extra = (lambda e: {"asset_type": e.values["entity_type_id"]}) if kind == entities.ASSET \
        else (lambda e: {})
    done = 0
    for batch in _batched(entries, BATCH):
        db.session.execute(insert(ENTITY), [{**defaults, **e.values, "id": e.id, "data": e.data}
                                            for e in batch])
        events.emit_many(f"{name}:new", ({f"{name}_id": e.id, **extra(e)} for e in batch),
                         project_id=project_id)
        done += len(batch)
        report("entities created", done, total)


def _batched(items, size):
    """Lists of `size` items of an iterable (itertools.batched in 3.12)."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
    report("entities updated", len(rows), len(rows))
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
    """Pass two for a plan, committed. Returns the entities as JSON chunks."""
    ids = write_plan(actor, project, plan, kind, statuses, columns)
    db.session.commit()
    return answer(actor, ids)


def write_plan(actor, project, plan, kind, statuses, columns):
    """Insert the plan's new entities, update the others (`columns` and
    data), create the workflow tasks, apply the task columns. Returns the
    ids of the plan's entities; the plan is emptied."""
    ids, new_ids, updated, changes = [], [], [], []

    def new_entries():
        for _, entry in plan.entries():
            ids.append(entry.id)
            changes.extend((entry.id, *t) for t in entry.tasks)
            if entry.new:
                new_ids.append(entry.id)
                yield entry
            elif entry.write:
                updated.append(entry)

    insert_entities(actor, project.id, new_entries(), kind, plan.new_count)
    update_entities(project.id, updated, kind, columns)
    updated.clear()
    plan.clear()
    workflow = ids if kind == entities.ASSET else new_ids
    status = entity_tasks.default_status(False)
    # Batches bound the task ids (and their events) held at once.
    created = 0
    for start in range(0, len(workflow), TASK_BATCH):
        created += len(entity_tasks.insert_tasks(actor, project.id, _workflow_pairs(
            workflow[start:start + TASK_BATCH], kind), status))
        report("tasks created", created)
    apply_task_changes(actor, project.id, changes, statuses)
    return ids


# Lookups ----------------------------------------------------------------------

def named(project_id, type_name, *columns):
    """{(parent_id, name): row} of the project's entities of a type."""
    return {(r.parent_id, r.name): r for r in db.session.execute(
        select(ENTITY.c.id, ENTITY.c.parent_id, ENTITY.c.name, *columns)
        .where(ENTITY.c.project_id == project_id,
               ENTITY.c.entity_type_id == entities.entity_type_id(type_name)))}


def parent_entity(actor, project_id, type_name, cache, name, parent_id=None):
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
    episodes = {name: row.id for (_, name), row in named(pid, "Episode").items()}
    sequences = {key: row.id for key, row in named(pid, "Sequence").items()}
    # Their data is needed only to complete a frame range in update mode.
    shots = named(pid, "Shot", *([ENTITY.c.data] if update_mode else []))
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

    def place(key, entry):
        episode_name, sequence_name, name = key
        episode_id = parent_entity(actor, pid, "Episode", episode_cache, episode_name) \
            if ctx.tv_show else None
        parent_id = parent_entity(actor, pid, "Sequence", sequences, sequence_name, episode_id)
        entry.values.update(parent_id=parent_id, name=name, entity_type_id=shot_type)
        if entry.new:
            entry.values.setdefault("nb_frames", 0)

    plan.change_each(place)
    columns = [c for c in ("description", "nb_frames") if _any_value(plan, c)]
    fill_current(plan, columns)
    return write(actor, ctx.project, plan, "Shot", ctx.statuses, columns)


def _any_value(plan, column):
    return any(column in e.values for _, e in plan.entries() if is_updated(e))


def fill_current(plan, columns):
    """Updated rows leave the columns their cells left empty as stored."""
    updated = [e.id for _, e in plan.entries() if is_updated(e)]
    if not updated or not columns:
        return
    current = {r.id: r for r in db.session.execute(
        select(ENTITY.c.id, *(ENTITY.c[c] for c in columns))
        .where(ENTITY.c.id == any_uuid(updated)))}

    def keep(key, entry):
        for column in columns:
            entry.values.setdefault(column, getattr(current[entry.id], column))

    plan.change_each(keep, is_updated)


# Edits ----------------------------------------------------------------------------

def import_edits(actor, project_id, stream, update_mode=False):
    """POST /import/csv/projects/<id>/edits."""
    ctx = _Context(actor, project_id, stream, "Edit", ("Name",))
    pid = ctx.project.id
    episodes = {name: row.id for (_, name), row in named(pid, "Episode").items()}
    edits = named(pid, "Edit")
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

    def place(key, entry):
        episode_name, name = key
        entry.values.update(name=name, entity_type_id=edit_type, parent_id=parent_entity(
            actor, pid, "Episode", cache, episode_name) if episode_name else None)

    plan.change_each(place)
    columns = [c for c in ("description",) if _any_value(plan, c)]
    fill_current(plan, columns)
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
    episodes = {name: row.id for (_, name), row in named(pid, "Episode").items()}
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

    def place(key, entry):
        key_type, name = key
        entry.values["entity_type_id"] = created_types[key_type].id \
            if key_type in created_types else key_type
        episode_name = entry.values.pop("source_episode", None)
        entry.values["name"] = name
        if entry.write:
            entry.values["source_id"] = parent_entity(actor, pid, "Episode", cache, episode_name) \
                if episode_name else None

    plan.change_each(place)
    columns = [c for c in ("description", "ready_for", "source_id") if _any_value(plan, c)]
    fill_current(plan, columns)
    return write(actor, ctx.project, plan, entities.ASSET, ctx.statuses, columns)
