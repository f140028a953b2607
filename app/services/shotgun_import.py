"""ShotGrid import (behaviours.md row 21, /import/shotgun/*; admins only).

A studio leaving ShotGrid posts its records kind by kind, in dependency
order: projects, persons, steps, statuses, assets, episodes, sequences,
scenes, shots, tasks, notes, versions, project connections. Each POST is
one upsert of a JSON list of records, keyed by `shotgun_id`:

1. every record becomes column values (shotgun_mappings.py); a bad one is
   set aside with the reason;
2. the links of all records are resolved, one query per target;
3. the rows that exist are found, by ShotGrid id then by natural key;
4. new rows are inserted and found ones updated, one statement per batch.
   When that breaks a database rule, the rows are written again by halves,
   each in a savepoint, until only the guilty ones are set aside;
5. the many-to-many links (assignees, casting, departments) are set;
6. the records set aside become data_import_error rows, listed by GET
   /import/shotgun/errors; events are emitted; everything commits at once.

Zou logs a bad record and drops it (and a database error aborts the rest of
the request, the rows before it committed); here every failure is recorded,
and all the other records are imported.
"""
import uuid
from collections import defaultdict

import orjson
import sqlalchemy as sa
from flask import current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DataError, IntegrityError

from app import events
from app.errors import BadRequest, NotFound, integrity_message
from app.extensions import db
from app.http import dumps
from app.models.base import Base, utc_now
from app.models.entity import Entity
from app.models.events import DataImportError
from app.models.files import WorkingFile
from app.models.person import Person
from app.models.project import Project, ProjectPersonLink
from app.models.task import Task
from app.permissions import as_uuid, require_admin
from app.services import accounts, crud, entities, projects, tasks
from app.services.shotgun_mappings import ASSETS, KINDS, TARGETS, Link, RowError

BATCH = 1000  # rows per statement
# ShotGrid imports run one at a time: two at once would both insert a
# record neither of them found.
LOCK_KEY = 0x5607_6017
TABLES = Base.metadata.tables
ERRORS = DataImportError.__table__


class Entry:
    """One record on its way in: its column values, its other values
    (links to set, the project its event names), the row it becomes."""

    __slots__ = ("record", "values", "meta", "many", "id", "new", "adopted", "error")

    def __init__(self, record):
        self.record = record
        self.values, self.meta, self.many = {}, {}, {}
        self.id, self.new, self.adopted, self.error = None, True, False, None


# Reading the request ------------------------------------------------------------

def _records(read):
    """The request's records; `read` gives the parsed body, once the
    caller's rights are checked (a refused caller's body is never read)."""
    payload = read()
    if not isinstance(payload, list):
        raise BadRequest("The body must be a JSON list of ShotGrid records.")
    return payload


def _extract(kind, records):
    """An Entry per record, the last one winning when a ShotGrid id comes twice."""
    columns = set(kind.model.__table__.c.keys())
    entries, latest = [], {}
    for record in records:
        entry = Entry(record)
        entries.append(entry)
        try:
            if not isinstance(record, dict):
                raise RowError("A record must be an object.")
            sg_id = record.get("id")
            if isinstance(sg_id, bool) or not isinstance(sg_id, int):
                raise RowError("Field 'id' (the ShotGrid id) must be an integer.")
            values = kind.extract(record)
        except RowError as exc:
            entry.error = str(exc)
            continue
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            entry.error = f"The record is malformed ({type(exc).__name__}: {exc})."
            continue
        for name, value in values.items():
            target = entry.values if name in columns else \
                entry.many if name in kind.many else entry.meta
            target[name] = value
        latest[sg_id] = entry
    return [e for e in entries if e.error is not None or latest[e.record["id"]] is e]


def _ok(entries):
    return [e for e in entries if e.error is None]


# Resolving links ----------------------------------------------------------------

def _scope(table, entity_type):
    """SQL restricting entity rows to one kind (assets: every asset type)."""
    if entity_type is None:
        return []
    if entity_type == ASSETS:
        return [entities.is_asset_type()]
    return [table.c.entity_type_id == entities.entity_type_id(entity_type)]


def _links(value):
    for link in value if isinstance(value, list) else [value]:
        while isinstance(link, Link):
            yield link
            link = link.fallback


def _lookup(wanted):
    """{(target, key): value} for every (target, key) in `wanted`
    ({target: {key: extra columns}}): one query per target, after
    creating the missing rows of the targets that allow it."""
    found = {}
    for name, keys in wanted.items():
        target = TARGETS[name]
        table = target.model.__table__
        column = table.c[target.column]
        if target.create:
            db.session.execute(pg_insert(table).on_conflict_do_nothing(), [
                {"id": uuid.uuid4(), target.column: key, **dict(extra)}
                for key, extra in keys.items()])
        # A key of the wrong type (a name where an id goes) matches nothing.
        kind = int if target.column == "shotgun_id" else str
        keys = [k for k in keys if isinstance(k, kind) and not isinstance(k, bool)]
        for start in range(0, len(keys), BATCH):
            chunk = keys[start:start + BATCH]
            for key, value in db.session.execute(
                    select(column, table.c[target.value])
                    .where(column.in_(chunk), *_scope(table, target.entity_type))):
                found[(name, key)] = value
    return found


def _resolve(entries, parts):
    """Replace the Links of each entry's `parts` ("values", "meta" or
    "many") by what they point to. A required link not found sets the
    entry aside; an optional one becomes None (dropped from lists)."""
    wanted = defaultdict(dict)
    for entry in entries:
        for part in parts:
            for value in getattr(entry, part).values():
                for link in _links(value):
                    if link.key is not None:
                        wanted[link.target].setdefault(link.key, link.extra)
    found = _lookup(wanted)

    def resolve(link):
        while link is not None:
            value = found.get((link.target, link.key))
            if value is not None:
                return value
            link = link.fallback
        return None

    for entry in entries:
        for part in parts:
            values = getattr(entry, part)
            for name, value in values.items():
                if isinstance(value, list):
                    values[name] = [v for v in map(resolve, value) if v is not None]
                elif isinstance(value, Link):
                    values[name] = resolve(value)
                    if values[name] is None and value.label and entry.error is None:
                        by = "id" if TARGETS[value.target].column == "shotgun_id" else "name"
                        entry.error = f"No {value.label} matches the ShotGrid {by} {value.key!r}."


# Finding the rows that exist --------------------------------------------------

def _fold(kind, name, value):
    return value.lower() if name in kind.folded and isinstance(value, str) else value


def _natural_key(kind, entry):
    key = tuple(_fold(kind, c, entry.values.get(c)) for c in kind.natural)
    return key if key and key[0] is not None else None


def _match(kind, entries):
    """Give each entry its row id: the row with its ShotGrid id, else the
    one with its natural key (a row made by hand is adopted), else a new id."""
    table = kind.model.__table__
    scope = _scope(table, kind.entity_type)
    sg_ids = [e.values["shotgun_id"] for e in entries]
    by_sg_id = dict(db.session.execute(select(table.c.shotgun_id, table.c.id).where(
        table.c.shotgun_id.in_(sg_ids), *scope)).all()) if sg_ids else {}
    keys = {k for k in (_natural_key(kind, e) for e in entries) if k is not None}
    by_key = {}
    if keys:
        first = table.c[kind.natural[0]]
        first = func.lower(first) if kind.natural[0] in kind.folded else first
        only = [table.c[c] == v for c, v in kind.natural_only]
        for row in db.session.execute(select(table.c.id, *[table.c[c] for c in kind.natural])
                                      .where(first.in_({k[0] for k in keys}), *scope, *only)):
            by_key.setdefault(tuple(_fold(kind, c, v) for c, v in zip(kind.natural, row[1:])),
                              row.id)
    claimed = set()
    for entry in entries:
        by_id = by_sg_id.get(entry.values["shotgun_id"])
        found = by_id or by_key.get(_natural_key(kind, entry))
        if found in claimed:
            entry.error = "Another record of this import matches the same row."
            continue
        entry.new = found is None
        entry.adopted = by_id is None and found is not None
        entry.id = found or uuid.uuid4()
        claimed.add(entry.id)


def _type_error(column, value):
    """Why `value` does not fit `column`, or None."""
    try:
        expected = column.type.python_type
    except NotImplementedError:
        return None
    if expected is float:
        expected = (int, float)
    if isinstance(value, expected) and (expected is bool or not isinstance(value, bool)):
        return None
    return f"'{column.name}' must be {getattr(expected, '__name__', 'a number')}, " \
        f"not {type(value).__name__}."


def _check(kind, entry):
    """What the database would refuse, found before writing: a value of
    the wrong type, a text too long for its column, a required column
    left empty."""
    table = kind.model.__table__
    for name, value in entry.values.items():
        column = table.c[name]
        length = getattr(column.type, "length", None)
        if value is None:
            continue
        entry.error = _type_error(column, value)
        if entry.error is None and isinstance(value, str) and length and len(value) > length:
            entry.error = f"'{name}' is longer than {length} characters."
        if entry.error is not None:
            return
    for column in table.c:
        if column.nullable or column.primary_key or column.default is not None \
                or column.server_default is not None:
            continue
        if (entry.new or column.name in entry.values) and entry.values.get(column.name) is None:
            entry.error = f"'{column.name}' is missing."
            return


def _prepare_persons(entries):
    """People made by the import are made as in Kitsu: the studio's
    timezone and locale, and within USER_LIMIT (an active person past it,
    new or reactivated, is set aside)."""
    limit = current_app.config["USER_LIMIT"]
    room = limit - accounts.count_licensed_users()
    inactive = set(db.session.scalars(select(Person.id).where(
        Person.id.in_([e.id for e in entries if not e.new]), Person.active.is_(False))))
    for entry in entries:
        if entry.new:
            entry.values.setdefault("timezone", current_app.config["DEFAULT_TIMEZONE"])
            entry.values.setdefault("locale", current_app.config["DEFAULT_LOCALE"])
        if entry.values.get("active") and (entry.new or entry.id in inactive):
            if room <= 0:
                entry.error = f"The user limit ({limit}) is reached."
            room -= 1


BEFORE_WRITE = {"persons": _prepare_persons}


# Writing ------------------------------------------------------------------------

def _grouped(rows):
    """Rows (dicts) grouped by their set of keys: one statement each."""
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    return groups.items()


def _writable(kind, entry, actor):
    """The values to write: None never replaces a column default (a
    record without a date keeps created_at), create-only columns (a
    person's role) are left alone on update, and a row adopted by a
    case-insensitive name keeps its own spelling (Zou's rule for steps)."""
    table = kind.model.__table__
    kept = (kind.create_only if not entry.new else frozenset()) | \
        (kind.folded if entry.adopted else frozenset())
    values = {k: v for k, v in entry.values.items()
              if not (v is None and table.c[k].default is not None) and k not in kept}
    if entry.new and "created_by" in table.c:
        values["created_by"] = actor.person.id
    return values


def _update(kind, rows):
    """UPDATE ... FROM jsonb_to_recordset: a batch of rows, each with its
    own values, in one statement with one parameter. The `merged` JSONB
    columns are merged into (a shot's data keeps the keys Kitsu added)."""
    table = kind.model.__table__
    dialect = db.session.get_bind().dialect
    for keys, group in _grouped(rows):
        names = [k for k in keys if k != "id"]
        types = ", ".join(f'"{n}" {table.c[n].type.compile(dialect=dialect)}' for n in names)
        sets = ", ".join(
            f'"{n}" = coalesce(t."{n}", \'{{}}\'::jsonb) || coalesce(v."{n}", \'{{}}\'::jsonb)'
            if n in kind.merged else f'"{n}" = v."{n}"' for n in names)
        statement = sa.text(
            f'UPDATE "{table.name}" AS t SET {sets}, updated_at = :now '
            f"FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS v(id uuid, {types}) "
            "WHERE t.id = v.id")
        for start in range(0, len(group), BATCH):
            db.session.execute(statement, {"now": utc_now(),
                                           "rows": dumps(group[start:start + BATCH]).decode()})


def _write_rows(kind, entries, actor):
    table = kind.model.__table__
    rows = [(entry, {"id": entry.id, **_writable(kind, entry, actor)}) for entry in entries]
    for _, group in _grouped([row for entry, row in rows if entry.new]):
        db.session.execute(insert(table), group)
    _update(kind, [row for entry, row in rows if not entry.new])


def _write(kind, entries, actor):
    """All rows in one go; when that breaks a database rule, each half
    again, down to the single rows that break it, which are set aside: a
    few bad records among thousands cost a few dozen savepoints."""
    if not entries:
        return
    try:
        with db.session.begin_nested():
            _write_rows(kind, entries, actor)
    except (IntegrityError, DataError) as exc:
        if len(entries) == 1:
            entries[0].error = integrity_message(exc)
            return
        middle = len(entries) // 2
        _write(kind, entries[:middle], actor)
        _write(kind, entries[middle:], actor)


def _set_links(kind, entries):
    """The many-to-many links of the written rows. A `replace` relation
    drops the links a record no longer lists and keeps the others as they
    are (a casting's occurrence counts stay)."""
    recast = set()
    for name, many in kind.many.items():
        table = TABLES[many.table]
        own, other = table.c[many.own], table.c[many.other]
        concerned = [e for e in entries if name in e.many]
        pairs = [(e.id, target) for e in concerned for target in dict.fromkeys(e.many[name])]
        if not concerned:
            continue
        if many.replace:
            stale = delete(table).where(own.in_([e.id for e in concerned]))
            if pairs:
                stale = stale.where(sa.tuple_(own, other).notin_(pairs))
            if many.table == "entity_link":
                recast.update(db.session.scalars(stale.returning(table.c.entity_in_id)))
            else:
                db.session.execute(stale)
        if pairs:
            db.session.execute(pg_insert(table).on_conflict_do_nothing(),
                               [{many.own: a, many.other: b} for a, b in pairs])
            if many.table == "entity_link":
                recast.update(a if many.own == "entity_in_id" else b for a, b in pairs)
    if recast:
        entities.refresh_casting_size(list(recast))


def _refresh_last_comment(entries):
    """Imported notes date their tasks' last comment."""
    comment = TABLES["comment"]
    task_ids = select(comment.c.object_id).where(comment.c.id.in_([e.id for e in entries]))
    db.session.execute(sa.update(Task).where(Task.id.in_(task_ids)).values(
        last_comment_date=select(func.max(comment.c.created_at))
        .where(comment.c.object_id == Task.id).scalar_subquery()))


def _switch_on(links):
    """A hook switching on, in each production's settings, the task types
    and statuses (asset types) its imported tasks (assets) use: Kitsu draws
    a production's columns and menus from those. `links` are (settings
    table, its column, the entry's column)."""
    def hook(entries):
        for table_name, column, value in links:
            pairs = {(e.values["project_id"], e.values[value]) for e in entries
                     if e.values.get(value) is not None}
            if pairs:
                db.session.execute(pg_insert(TABLES[table_name]).on_conflict_do_nothing(),
                                   [{"project_id": p, column: v} for p, v in sorted(pairs)])
    return hook


AFTER_WRITE = {
    "notes": _refresh_last_comment,
    "tasks": _switch_on((("project_task_type_link", "task_type_id", "task_type_id"),
                         ("project_task_status_link", "task_status_id", "task_status_id"))),
    "assets": _switch_on((("project_asset_type_link", "asset_type_id", "entity_type_id"),)),
}


# Events, errors, answers --------------------------------------------------------

def _emit(kind, entries):
    key = f"{kind.event.replace('-', '_')}_id"
    groups = defaultdict(list)
    for entry in entries:
        project_id = entry.id if kind.model is Project else \
            entry.values.get("project_id") or entry.meta.get("project_id")
        payload = {key: entry.id}
        if kind.entity_type == ASSETS:
            payload["asset_type"] = entry.values["entity_type_id"]
        groups[("new" if entry.new else "update", project_id)].append(payload)
    for (action, project_id), items in groups.items():
        events.emit_many(f"{kind.event}:{action}", items, project_id=project_id)


def _record_errors(kind, entries):
    failed = [e for e in entries if e.error is not None]
    if failed:
        db.session.execute(insert(ERRORS), [{
            "id": uuid.uuid4(), "source": "shotgun",
            "event_data": {"type": kind.sg_type,
                           "shotgun_id": e.record.get("id") if isinstance(e.record, dict)
                           else None,
                           "message": e.error, "data": e.record}} for e in failed])


def _answer(actor, collection, ids):
    """The rows in the wire format of their /data collection, in the
    order of the records."""
    table = crud.collection(collection).table
    found = {row["id"]: row for row in crud.select_rows(
        crud.collection(collection), actor, table.c.id.in_(ids))}
    return [found[i] for i in dict.fromkeys(str(i) for i in ids) if i in found]


# Routes -------------------------------------------------------------------------

def _lock():
    db.session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))


def import_records(actor, plural, read):
    """POST /import/shotgun/<plural>: 200 with the rows imported; the
    records that could not be are recorded as import errors."""
    require_admin(actor)
    kind = KINDS[plural]
    entries = _extract(kind, _records(read))
    _lock()
    _resolve(_ok(entries), ("values", "meta"))
    _match(kind, _ok(entries))
    for entry in _ok(entries):
        _check(kind, entry)
    if plural in BEFORE_WRITE:
        BEFORE_WRITE[plural](_ok(entries))
    _write(kind, _ok(entries), actor)
    written = _ok(entries)
    _resolve(written, ("many",))
    _set_links(kind, written)
    if plural in AFTER_WRITE and written:
        AFTER_WRITE[plural](written)
    _record_errors(kind, entries)
    _emit(kind, written)
    db.session.commit()
    return _answer(actor, kind.collection, [e.id for e in written])


def import_connections(actor, read):
    """POST /import/shotgun/project-connections: ShotGrid's project-user
    connections put people on production teams (the link keeps the
    ShotGrid id). Answers the projects touched, as Zou does."""
    require_admin(actor)
    kind = KINDS["project-connections"]
    entries = _extract(kind, _records(read))
    _lock()
    _resolve(_ok(entries), ("values",))
    # One link per person and project: the last record naming the pair wins.
    joined = {(e.values["project_id"], e.values["person_id"]): e.values for e in _ok(entries)}
    if joined:
        statement = pg_insert(ProjectPersonLink)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["project_id", "person_id"],
            set_={"shotgun_id": statement.excluded.shotgun_id}), list(joined.values()))
    project_ids = list(dict.fromkeys(project_id for project_id, _ in joined))
    for project_id in project_ids:
        projects.changed(project_id)
    _record_errors(kind, entries)
    db.session.commit()
    return _answer(actor, "projects", project_ids)


# Removing -----------------------------------------------------------------------

def _remove_row(actor, kind, row_id):
    table = kind.model.__table__
    project_id = db.session.scalar(select(table.c.project_id).where(table.c.id == row_id)) \
        if "project_id" in table.c else None
    db.session.execute(delete(table).where(table.c.id == row_id))
    events.emit(f"{kind.event}:delete", {f"{kind.event.replace('-', '_')}_id": row_id},
                project_id=project_id)


def _remove_project(actor, kind, row_id):
    """Like Zou's: only a project with no production data in it goes
    (DELETE /data/projects' own check, which also clears its settings)."""
    projects.remove_contents(row_id, force=False)
    _remove_row(actor, kind, row_id)


def _remove_entity(actor, kind, row_id):
    """An entity with tasks is canceled rather than deleted, as DELETE
    /data/<kind>/<id> does without force; an asset goes with its tasks
    unless artists saved working files on them (Zou's rule)."""
    row = db.session.get(Entity, row_id)
    worked = db.session.scalar(select(sa.exists().where(
        WorkingFile.task_id.in_(select(Task.id).where(Task.entity_id == row_id)))))
    entities.delete_entity(actor, row, force=kind.entity_type == ASSETS and not worked)


def _remove_task(actor, kind, row_id):
    tasks.remove_tasks([Task.id == row_id])


REMOVERS = {"row": _remove_row, "project": _remove_project, "entity": _remove_entity,
            "task": _remove_task}


def remove(actor, singular, shotgun_id):
    """POST /import/shotgun/remove/<singular> {id}: delete the row with
    that ShotGrid id. {"success": true} when there is none;
    {"removed_instance_id", "success": false} when it is still in use."""
    require_admin(actor)
    kind = next(k for k in KINDS.values() if k.singular == singular)
    if kind.plural == "project-connections":
        return _leave_team(shotgun_id)
    table = kind.model.__table__
    row_id = db.session.scalar(select(table.c.id).where(
        table.c.shotgun_id == shotgun_id, *_scope(table, kind.entity_type)).limit(1))
    if row_id is None:
        return {"success": True}
    try:
        with db.session.begin_nested():
            REMOVERS[kind.remover](actor, kind, row_id)
        success = True
    except (IntegrityError, BadRequest):
        success = False
    db.session.commit()
    return {"removed_instance_id": str(row_id), "success": success}


def _leave_team(shotgun_id):
    gone = db.session.execute(delete(ProjectPersonLink).where(
        ProjectPersonLink.shotgun_id == shotgun_id).returning(ProjectPersonLink.project_id))
    for project_id in set(gone.scalars()):
        projects.changed(project_id)
    db.session.commit()
    return {"success": True}


# Import errors ------------------------------------------------------------------

def _errors_select():
    return select(*[crud.wire_column(c) for c in ERRORS.c],
                  sa.literal("DataImportError").label("type")).where(ERRORS.c.source == "shotgun")


def list_errors(actor):
    require_admin(actor)
    return crud.json_rows(_errors_select(), sort=("created_at",))


def add_error(actor, event_data):
    """POST /import/shotgun/errors: what ShotGrid's event daemon failed to
    sync, kept for an admin to look at."""
    require_admin(actor)
    error_id = uuid.uuid4()
    db.session.execute(insert(ERRORS).values(id=error_id, source="shotgun",
                                             event_data=event_data))
    db.session.commit()
    return orjson.loads(crud.json_rows(_errors_select().where(ERRORS.c.id == error_id)))[0]


def delete_error(actor, error_id):
    require_admin(actor)
    try:
        error_id = as_uuid(error_id, "error id")
    except BadRequest:
        raise NotFound("No import error has this id.")
    gone = db.session.execute(delete(ERRORS).where(
        ERRORS.c.id == error_id, ERRORS.c.source == "shotgun").returning(ERRORS.c.id)).first()
    if gone is None:
        raise NotFound("No import error has this id.")
    db.session.commit()
