"""Copying data between two instances, keeping the ids (`sync-push`,
`sync-full`).

One algorithm serves both directions: rows are read page by page from a
source and written batch by batch to a target, collection by collection in
an order where every row's references arrive before it. Either end is this
instance's database (Local) or another instance over HTTP (Remote):

- sync-push: Local (one project's rows) -> Remote (/import/kitsu/*);
- sync-full: Remote (the /data lists) -> Local (the same import service).

Studio settings (departments, statuses, task and asset types, persons...)
are reconciled first. Each instance makes its own defaults, so the target
often has a "Modeling" task type or the admin's person under another id: a
setting the target already has under one of its unique keys (a name, an
e-mail) is not copied, and references to it are rewritten to the target's
id. Everything else, the project and all its rows, keeps its ids.
"""
import functools
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

import orjson
import requests
import sqlalchemy as sa
from sqlalchemy import select, union

from app.auth import Actor
from app.errors import BadRequest
from app.extensions import db
from app.models.project import Project
from app.services import crud, kitsu_import

SETTINGS = ("departments", "studios", "project-status", "task-types", "task-status",
            "entity-types", "status-automations", "persons")
# Built-in entity types whose rows must arrive before the others (parents).
PARENT_TYPES = ("Episode", "Sequence")
TIMEOUT = 120


class SyncError(Exception):
    pass


@dataclass
class Step:
    """One collection's rows to copy (`args` filter the /data list)."""

    name: str
    label: str
    args: dict = field(default_factory=dict)
    # Keeps only the rows worth sending again (the thumbnails pass).
    keep: object = None


# The two ends ---------------------------------------------------------------

class Local:
    """This instance's database, read through the /data machinery and
    written through the import service."""

    def __init__(self, project_id=None):
        self.project_id = project_id
        # The command line acts as the studio: no person signs in.
        self.actor = Actor(person=SimpleNamespace(id=uuid.UUID(int=0), role="admin",
                                                  is_bot=False), department_ids=())

    def _criteria(self, name):
        tgt = kitsu_import.target(name)
        if self.project_id is None:
            return ()
        if tgt.project_of is not None:
            return (tgt.project_of(tgt.table) == self.project_id,)
        if name == "persons":
            return (tgt.table.c.id.in_(_persons_of_project(self.project_id)),)
        return ()

    def pages(self, name, args, size):
        coll = kitsu_import.target(name).coll
        page = 1
        while True:
            envelope = orjson.loads(crud.list_json(
                coll, self.actor, {**args, "page": str(page), "limit": str(size)},
                *self._criteria(name)))
            yield envelope["total"], envelope["data"]
            if page >= envelope["nb_pages"]:
                return
            page += 1

    def write(self, name, records, silent=True):
        try:
            kitsu_import.upsert(name, records, silent)
            db.session.commit()
        except (BadRequest, sa.exc.DBAPIError) as exc:
            db.session.rollback()
            raise SyncError(f"{name}: {getattr(exc, 'message', None) or exc.orig}")

    def all(self, name):
        out = []
        for _, page in self.pages(name, {}, 1000):
            out += page
        return out

    def counts(self, names):
        return kitsu_import.counts(self.project_id, names)


class Remote:
    """Another instance, through its HTTP API as an admin."""

    def __init__(self, url, login, password, project_id=None):
        self.url = url.rstrip("/")
        self.project_id = project_id
        self.http = requests.Session()
        answer = self._call("post", "/auth/login", json={"email": login, "password": password})
        self.http.headers["Authorization"] = f"Bearer {answer['access_token']}"

    def _call(self, method, path, **kw):
        try:
            response = self.http.request(method, self.url + path, timeout=TIMEOUT, **kw)
        except requests.RequestException as exc:
            raise SyncError(f"{self.url}{path}: {exc}")
        if response.status_code >= 400:
            try:
                message = response.json().get("message")
            except ValueError:
                message = response.text[:200]
            raise SyncError(f"{method.upper()} {path}: {response.status_code} {message}")
        return response.json()

    def pages(self, name, args, size):
        page = 1
        while True:
            envelope = self._call("get", f"/data/{name}",
                                  params={**args, "page": page, "limit": size})
            yield envelope["total"], envelope["data"]
            if page >= envelope["nb_pages"]:
                return
            page += 1

    def write(self, name, records, silent=True):
        self._call("post", f"/import/kitsu/{name}", params={"silent": str(silent).lower()},
                   data=orjson.dumps(records), headers={"Content-Type": "application/json"})

    def all(self, name):
        return self._call("get", f"/data/{name}")

    def counts(self, names):
        if self.project_id is not None:
            found = self._call("get", "/import/kitsu/counts",
                               params={"project_id": str(self.project_id)})
            return {name: found.get(name) for name in names}
        return {name: self._call("get", f"/data/{name}", params={"page": 1, "limit": 1})["total"]
                for name in names}


def _persons_of_project(project_id):
    """Everyone a project's rows point to: its team, assignees, authors..."""
    from app.models.person import Person

    person = Person.__table__
    queries = []
    for tgt in kitsu_import.targets().values():
        if tgt.project_of is None:
            continue
        scope = tgt.project_of(tgt.table) == project_id
        for column in tgt.table.c:
            if any(fk.column.table is person for fk in column.foreign_keys):
                queries.append(select(column.label("id")).where(scope, column.isnot(None)))
        for name in tgt.relations:
            rel = tgt.coll.relations[name]
            if rel.target is Person:
                queries.append(select(rel.remote.label("id")).join(
                    tgt.table, tgt.table.c.id == rel.local).where(scope))
    return union(*queries).subquery().select()


# The copy --------------------------------------------------------------------

class IdMap(dict):
    """Source id -> target id of the settings the target already had."""

    def translate(self, name, record, available):
        """The record as the target should get it: references to reconciled
        settings rewritten, references to rows not copied (yet) left out."""
        tgt = kitsu_import.target(name)
        out = dict(record)
        for column, table in _references(tgt.table).items():
            if column not in out:
                continue
            if table not in available:
                del out[column]
            elif out[column] is not None:
                out[column] = self.get(out[column], out[column])
        for rel_name, rel in tgt.coll.relations.items():
            if rel_name not in out:
                continue
            if rel_name not in tgt.relations or rel.target.__tablename__ not in available:
                del out[rel_name]
            else:
                out[rel_name] = [self.get(i, i) for i in out[rel_name] or []]
        return out


@functools.cache
def _references(table):
    """Column -> name of the table its foreign key points to."""
    return {c.name: next(iter(c.foreign_keys)).column.table.name
            for c in table.c if c.foreign_keys}


def _natural_keys(table):
    """The column sets a setting is unique by (its name, an e-mail...)."""
    keys = [tuple(c.name for c in k.columns) for k in table.constraints
            if isinstance(k, sa.UniqueConstraint)]
    keys += [tuple(c.name for c in i.columns) for i in table.indexes
             if i.unique and len(i.columns) == len(i.expressions)]
    return keys


def _quiet(label, pages):
    return (page for _, page in pages)


def _match(index, keys, record):
    """The target's id of a row equal to `record` on a unique key, or None."""
    for key in keys:
        found = index.get((key, tuple(record.get(c) for c in key)))
        if found is not None:
            return found
    return None


class Sync:
    """Copies rows from `source` to `target`. `progress(label, pages)` walks
    the (total, rows) pages of one collection and yields the rows (the
    command line draws a bar meanwhile)."""

    def __init__(self, source, target, progress=_quiet, batch_size=200, silent=True):
        self.source, self.target = source, target
        self.progress = progress
        self.batch_size = batch_size
        self.silent = silent
        self.ids = IdMap()
        self.available = set()
        self.source_entity_types = []
        self.report = []

    def settings(self):
        """Reconcile then copy the studio settings."""
        for name in SETTINGS:
            table = kitsu_import.target(name).table
            self.available.add(table.name)
            keys = _natural_keys(table)
            theirs = self.target.all(name)
            their_ids = {row["id"] for row in theirs}
            index = {}
            for row in theirs:
                for key in keys:
                    values = tuple(row.get(c) for c in key)
                    if any(v is not None for v in values):
                        index.setdefault((key, values), row["id"])
            sent = matched = 0
            pages = self.source.pages(name, _list_args(name), self.batch_size)
            for page in self.progress(name, pages):
                batch = []
                for record in page:
                    if name == "entity-types":
                        self.source_entity_types.append((record["id"], record["name"]))
                    record = self.ids.translate(name, record, self.available)
                    match = None if record["id"] in their_ids else _match(index, keys, record)
                    if match is not None:
                        self.ids[record["id"]] = match
                        matched += 1
                    else:
                        batch.append(record)
                if batch:
                    self.target.write(name, batch, self.silent)
                sent += len(batch)
            self.report.append((name, sent, matched))

    def steps(self, build_jobs=True):
        """The project rows, each after what it points to (build jobs have
        no /data list to read them from another instance)."""
        parents = {n: i for i, n in self.source_entity_types if n in PARENT_TYPES}
        others = [i for i, n in self.source_entity_types if n not in PARENT_TYPES]
        entity_steps = [Step("entities", f"entities ({name})", {"entity_type_id": parents[name]})
                        for name in PARENT_TYPES if name in parents]
        if others:
            entity_steps.append(Step("entities", "entities (others)",
                                     {"entity_type_id": orjson.dumps(others).decode()}))
        before = ("projects", "metadata-descriptors", "milestones")
        after = ("schedule-items", "entity-links", "tasks", "playlists") + (
            ("build-jobs",) if build_jobs else ()) + (
            "preview-files", "comments", "attachment-files", "time-spents", "subscriptions",
            "notifications", "news")
        out = [Step(name, name, _list_args(name)) for name in before] + entity_steps + [
            Step(name, name, _list_args(name)) for name in after]
        # Thumbnails point to previews, which point to tasks of the entities.
        out.append(Step("entities", "entities (thumbnails)",
                        keep=lambda record: record.get("preview_file_id")))
        return out

    def copy(self, steps):
        for step in steps:
            self.available.add(kitsu_import.target(step.name).table.name)
            sent = 0
            pages = self.source.pages(step.name, step.args, self.batch_size)
            for page in self.progress(step.label, pages):
                batch = [self.ids.translate(step.name, r, self.available) for r in page
                         if step.keep is None or step.keep(r)]
                if batch:
                    self.target.write(step.name, batch, self.silent)
                sent += len(batch)
            self.report.append((step.label, sent, 0))


def _list_args(name):
    tgt = kitsu_import.target(name)
    # Entities' links come as entity-links rows, with their ids.
    args = {"relations": "true"} if tgt.relations and name != "entities" else {}
    if name == "persons":
        # People keep signing in with their password on the other side.
        args["with_pass_hash"] = "true"
    return args


def compare(source, target, names):
    """[(collection, source count, target count, same?)]."""
    theirs = target.counts(names)
    ours = source.counts(names)
    return [(name, ours.get(name), theirs.get(name), ours.get(name) == theirs.get(name))
            for name in names]


def find_project(name_or_id):
    """The local project of that id or name."""
    try:
        found = db.session.get(Project, uuid.UUID(str(name_or_id)))
    except ValueError:
        found = None
    found = found or db.session.scalar(select(Project).where(Project.name == name_or_id))
    if found is None:
        raise SyncError(f"No project is named or has the id '{name_or_id}' here.")
    return found
