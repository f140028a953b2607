"""POST /import/kitsu/<collection>: rows of another instance, upserted under
their original ids (behaviours.md row 21; what `sync-push` sends).

A body is an array of records in the wire format the /data lists give.
One machinery serves every collection: a Target names the /data collection
(its table, columns and many-to-many fields), the conflict key, the
project a row belongs to (for events and counts), and the few wire names
that differ from the columns. A batch is one INSERT ... ON CONFLICT DO
UPDATE per set of fields, and each many-to-many field given is replaced by
one DELETE and one INSERT per batch.

Beyond Zou's 16 collections, the studio settings a project points to
(departments, studios, statuses, task and asset types, status automations,
persons) import the same way, so that `sync-push` can bring them along
rather than require them on the target beforehand.
"""
import functools
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app import api, events
from app.errors import BadRequest
from app.extensions import db
from app.models.comment import Comment
from app.models.entity import Entity
from app.models.files import PreviewFile
from app.models.playlist import BuildJob, Playlist
from app.models.settings import EntityType
from app.models.task import Task
from app.permissions import require_admin
from app.services.crud import Collection, field_for, collection, select_json
from app.services.defaults import TEMPORAL_ENTITY_TYPES
from app.services.policies import AdminOnly, project_of_parent

def _own_project(table):
    return table.c.project_id


def _project_itself(table):
    return table.c.id


def _comment_project(table):
    return select(Task.project_id).join(Comment, Comment.object_id == Task.id) \
        .where(Comment.id == table.c.comment_id).scalar_subquery()


def _comment_task_project(table):
    return select(Task.project_id).where(Task.id == table.c.object_id).scalar_subquery()


def _entity_link_project(table):
    return select(Entity.project_id).where(Entity.id == table.c.entity_in_id).scalar_subquery()


@dataclass(frozen=True)
class Target:
    """One importable collection."""

    name: str
    coll: Collection
    # SQL giving a row's project (None: studio-wide rows).
    project_of: object = None
    # Many-to-many fields replaced when a record carries them.
    relations: tuple = ()
    conflict: tuple = ("id",)
    # Wire name -> column, for the fields Zou's payloads name differently.
    renames: dict = field(default_factory=dict)
    # Event payload fields beside `<table>_id`: key -> column.
    event_fields: dict = field(default_factory=dict)
    # Zou's 16 routes (the others are ours, for the settings).
    in_contract: bool = True
    # Rewrites one record before it is parsed.
    prepare: object = None
    # Rewrites a batch of parsed rows before the upsert.
    fix: object = None

    @property
    def table(self):
        return self.coll.table

    @functools.cached_property
    def parsers(self):
        """Column -> its field, for every importable column (not the
        secrets, not raw binaries)."""
        fields = {c.name: (c, field_for(c)) for c in self.table.c
                  if c.name not in self.coll.hidden}
        return {name: (field_, isinstance(column.type, sa.UUID))
                for name, (column, field_) in fields.items() if field_ is not None}


def _fix_entities(rows, records):
    """Built-in entity types (Shot, Sequence...) are made by each instance
    with ids of its own: a record naming one is filed under the local type
    of that name. A thumbnail whose preview has not arrived yet is left out
    (the sync sends it again once the previews are in)."""
    names = {r.get("type") for r in records} & set(TEMPORAL_ENTITY_TYPES)
    local = dict(db.session.execute(
        select(EntityType.name, EntityType.id).where(EntityType.name.in_(names))).all()) \
        if names else {}
    previews = {row["preview_file_id"] for row in rows if row.get("preview_file_id")}
    known = set(db.session.scalars(select(PreviewFile.id).where(PreviewFile.id.in_(previews)))) \
        if previews else set()
    for row, record in zip(rows, records):
        if record.get("type") in local:
            row["entity_type_id"] = local[record["type"]]
        if row.get("preview_file_id") is not None and row["preview_file_id"] not in known:
            del row["preview_file_id"]
    return rows


BCRYPT_HASH = re.compile(r"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$")


def _fix_persons(rows, records):
    """A person may carry their bcrypt hash (an admin's ?with_pass_hash=true
    list), so that people moved across keep signing in with their password.
    Only a well-formed hash is taken: never a clear password, never bytes
    that would make every later sign-in fail."""
    for index, (row, record) in enumerate(zip(rows, records)):
        hashed = record.get("password")
        if hashed is None:
            continue
        if not isinstance(hashed, str) or not BCRYPT_HASH.match(hashed):
            raise BadRequest(f"Field '[{index}].password' must be a bcrypt hash.")
        row["password"] = hashed.encode()
    return rows


def _fix_preview_files(rows, records):
    """Only the metadata travels: the files stay on the source instance."""
    for row in rows:
        row["data"] = {**(row.get("data") or {}), "imported_only": True}
        if row.get("status") is None:
            row["status"] = "ready"
    return rows


def _entity_frames(record):
    """Zou's shot payloads carry frame_in/frame_out/fps beside `data`."""
    extra = {k: record.pop(k) for k in ("frame_in", "frame_out", "fps") if k in record}
    if extra:
        record["data"] = {**(record.get("data") or {}), **extra}
    return record


_BUILD_JOBS = Collection("build-jobs", BuildJob, AdminOnly())
_task_project = project_of_parent(Task, "task_id")


def _targets():
    def data(name, **kw):
        """The import of the /data collection of that name."""
        return Target(name, collection(name), **kw)

    settings = dict(in_contract=False)
    return {t.name: t for t in (
        data("departments", **settings),
        data("studios", **settings),
        data("project-status", **settings),
        data("task-types", **settings),
        data("task-status", **settings),
        data("entity-types", relations=("task_types",), **settings),
        data("status-automations", **settings),
        data("persons", relations=("departments",), fix=_fix_persons, **settings),
        data("projects", project_of=_project_itself, relations=(
            "team", "task_types", "task_statuses", "asset_types", "status_automations",
            "preview_background_files")),
        data("metadata-descriptors", project_of=_own_project, relations=("departments",)),
        data("milestones", project_of=_own_project),
        data("entities", project_of=_own_project, relations=("entities_out",),
             renames={"asset_type_id": "entity_type_id", "sequence_id": "parent_id"},
             prepare=_entity_frames, fix=_fix_entities),
        data("schedule-items", project_of=_own_project),
        data("entity-links", project_of=_entity_link_project,
             conflict=("entity_in_id", "entity_out_id")),
        data("tasks", project_of=_own_project, relations=("assignees",)),
        data("playlists", project_of=_own_project),
        Target("build-jobs", _BUILD_JOBS,
               project_of=project_of_parent(Playlist, "playlist_id")),
        data("preview-files", project_of=_task_project, fix=_fix_preview_files),
        data("comments", project_of=_comment_task_project, relations=(
            "previews", "mentions", "department_mentions", "acknowledgements"),
             event_fields={"task_id": "object_id", "person_id": "person_id",
                           "for_client": "for_client"}),
        data("attachment-files", project_of=_comment_project),
        data("time-spents", project_of=_task_project),
        data("subscriptions", project_of=_task_project),
        data("notifications", project_of=_task_project,
             renames={"notification_type": "type"}),
        data("news", project_of=_task_project),
    )}


@functools.cache
def targets():
    """name -> Target, built once the collections are importable."""
    return _targets()


def target(name):
    found = targets().get(name)
    if found is None:
        raise BadRequest(f"Nothing named '{name}' can be imported.")
    return found


# Parsing ------------------------------------------------------------------

def _parse(tgt, records):
    """Validated column values of each record (400 naming the record and
    the field), and each record's many-to-many ids."""
    if not isinstance(records, list):
        raise BadRequest("A list of records is expected.")
    parsers = tgt.parsers
    rows, links = [], defaultdict(dict)
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise BadRequest(f"Record {index} is not an object.")
        if tgt.prepare is not None:
            record = tgt.prepare(dict(record))
        row_id = _UUID.parse(f"[{index}].id", record.get("id"))
        if row_id is None:
            raise BadRequest(f"Field '[{index}].id' is required: rows keep their ids.")
        row = {}
        for key, value in record.items():
            if key == "type":
                continue  # the object's kind on the wire, never a column
            name = tgt.renames.get(key, key)
            if name in tgt.relations:
                ids = _IDS.parse(f"[{index}].{key}", value) or []
                links[name][uuid.UUID(row_id)] = [uuid.UUID(i) for i in ids]
            elif name in parsers:
                field_, is_uuid = parsers[name]
                parsed = field_.parse(f"[{index}].{key}", value)
                row[name] = uuid.UUID(parsed) if is_uuid and parsed is not None else parsed
        rows.append(row)
    return rows, links


_UUID = api.Uuid()
_IDS = api.List(api.Uuid())


# Writing ------------------------------------------------------------------

def upsert(name, records, silent=False):
    """Write the records of one collection; returns their ids. The caller
    commits (events, unless `silent`, are sent once it has)."""
    tgt = target(name)
    rows, links = _parse(tgt, records)
    if tgt.fix is not None:
        rows = tgt.fix(rows, records)
    # A row given twice is written once, as last given: one statement
    # cannot upsert the same row twice.
    rows = list({tuple(row.get(k) for k in tgt.conflict): row for row in rows}.values())
    inserted = {}
    for keys, group in _by_fields(rows).items():
        inserted.update(_insert(tgt, keys, group))
    for name_, owners in links.items():
        _replace_links(tgt.coll.relations[name_], owners)
    if not silent and inserted:
        _emit(tgt, inserted)
    return [row["id"] for row in rows]


def _by_fields(rows):
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    return groups


def _insert(tgt, keys, rows):
    # One statement compiled once, its rows sent in batches by the driver
    # (SQLAlchemy's insertmanyvalues): compiling a VALUES list of thousands
    # of rows costs more than running it.
    stmt = pg_insert(tgt.table)
    changed = [k for k in keys if k not in tgt.conflict] or ["id"]
    stmt = stmt.on_conflict_do_update(
        index_elements=[tgt.table.c[k] for k in tgt.conflict],
        set_={k: stmt.excluded[k] for k in changed},
    ).returning(tgt.table.c.id, sa.literal_column("(xmax = 0)").label("inserted"))
    return dict(db.session.execute(stmt, rows).all())


def _replace_links(rel, owners):
    """Each owner's links become exactly the ids given: stale ones go, new
    ones come, kept ones keep their extra columns (a task type's priority
    in a project)."""
    owner_ids = list(owners)
    pairs = [(owner, remote) for owner, remotes in owners.items() for remote in remotes]
    ids = ARRAY(UUID(as_uuid=True))
    given = select(func.unnest(sa.literal([p[0] for p in pairs], ids)).label("o"),
                   func.unnest(sa.literal([p[1] for p in pairs], ids)).label("r")).subquery()
    db.session.execute(sa.delete(rel.link).where(
        rel.local == sa.any_(sa.literal(owner_ids, ids)),
        ~select(given.c.o).where(given.c.o == rel.local, given.c.r == rel.remote).exists()))
    if pairs:
        # RETURNING makes the driver send the rows in multi-row batches
        # (insertmanyvalues) rather than one INSERT per link.
        db.session.execute(pg_insert(rel.link).on_conflict_do_nothing().returning(rel.local),
                           [{rel.local.name: o, rel.remote.name: r} for o, r in pairs])


def _emit(tgt, inserted):
    """`<kind>:new` or `:update` per row, as Zou's import sends them."""
    table = tgt.table
    kind = tgt.coll.type_expr if tgt.coll.type_expr is not None else sa.literal(None)
    project = tgt.project_of(table) if tgt.project_of is not None else sa.literal(None)
    extra = [table.c[column].label(key) for key, column in tgt.event_fields.items()]
    found = db.session.execute(select(
        table.c.id, project.label("project_id"), kind.label("kind"), *extra)
        .where(table.c.id.in_(list(inserted))))
    for row in found.mappings():
        name = _dashed(row["kind"]) if row["kind"] else tgt.coll.event
        action = "new" if inserted[row["id"]] else "update"
        payload = {f"{name.replace('-', '_')}_id" if row["kind"] else tgt.coll.id_key: row["id"],
                   **{key: row[key] for key in tgt.event_fields}}
        events.emit(f"{name}:{action}", payload, project_id=row["project_id"])


def _dashed(type_name):
    """ConceptFolder -> concept-folder."""
    return "".join(f"-{c.lower()}" if c.isupper() and i else c.lower()
                   for i, c in enumerate(type_name))


# Routes' services ---------------------------------------------------------

def import_records(actor, name, read_records, silent=False):
    """The route: admins only (a refused caller's body is never parsed);
    one transaction; the rows as stored."""
    require_admin(actor)
    tgt = target(name)
    ids = upsert(name, read_records(), silent)
    db.session.commit()
    return select_json(tgt.coll, actor, tgt.table.c.id.in_(ids),
                       relations=bool(tgt.relations))


def counts(project_id=None, names=None):
    """Rows per collection, of one project or of the whole instance."""
    out = {}
    for tgt in targets().values():
        if names is not None and tgt.name not in names:
            continue
        if project_id is not None and tgt.project_of is None:
            continue
        stmt = select(func.count()).select_from(tgt.table)
        if project_id is not None:
            stmt = stmt.where(tgt.project_of(tgt.table) == project_id)
        out[tgt.name] = db.session.scalar(stmt)
    return out


def project_counts(actor, project_id):
    """GET /import/kitsu/counts: what sync-push compares after a push."""
    require_admin(actor)
    from app.permissions import as_uuid
    return counts(as_uuid(project_id, "project_id") if project_id else None)

