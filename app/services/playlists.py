"""Review playlists (behaviours.md row 18): who may see and change them,
the lists of a production, the full view a review opens, adding entities,
temporary playlists and the playlist-ready notice to clients. Builds
(movies, zips) are in app/services/playlist_builds.py.

A playlist's entries live in its `shots` JSONB column as a list of
{entity_id, preview_file_id}. Adding entries is one UPDATE under the row's
lock, so two people adding at the same time both keep their additions
(Zou read the list, appended in Python and wrote it back: one was lost).

The full view (GET /data/projects/<pid>/playlists/<id>) is built by
PostgreSQL in one statement whatever the playlist's size: the entries,
every preview revision of their entities grouped by task type and
revision, and the build jobs.
"""
import re
import uuid

import orjson
import sqlalchemy as sa
from sqlalchemy import bindparam, func, select, text

from app import api, events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import Entity
from app.models.events import Notification
from app.models.files import PreviewFile
from app.models.person import DepartmentLink, Person
from app.models.playlist import BuildJob, Playlist, PlaylistShareLink
from app.models.project import Project, ProjectPersonLink, ProjectTaskTypeLink
from app.models.settings import EntityType, TaskType
from app.models.task import Task
from app.permissions import (
    as_uuid, require_admin, require_project_access, require_project_role,
)
from app.services import crud, notifications
from app.services.crud import Collection, Hooks as BaseHooks
from app.services.policies import ProjectData, column_is_true

PAGE_SIZE = 20  # Zou's page of a production's playlists
FOR_ENTITY = ("shot", "asset", "sequence", "edit", "episode")
EPISODE_SENTINELS = ("main", "all")
# Who may build, download and see the build jobs of a playlist: managers,
# clients for the playlists shared with them, supervisors when asked.
MANAGING = ("admin", "manager")
LIST_COLUMNS = ("id", "name", "project_id", "episode_id", "task_type_id", "for_client",
                "for_entity", "is_for_all", "created_at", "updated_at", "created_by")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


# Access ------------------------------------------------------------------------

def load(playlist_id, lock=False):
    """The playlist row or 404 (400 for a malformed id); `lock` holds its
    row lock until the transaction ends."""
    stmt = select(Playlist).where(Playlist.id == as_uuid(playlist_id, "playlist id"))
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = db.session.scalars(stmt).first()
    if row is None:
        raise NotFound(f"No playlist has the id {playlist_id}.")
    return row


def _role(actor, row):
    if row.project_id is None:
        require_admin(actor)
        return "admin"
    return require_project_access(actor, row.project_id)


def check_read(actor, row):
    """Watching a playlist: every member of its production but vendors; a
    client only the playlists shared with clients. Returns the role."""
    role = _role(actor, row)
    if role == "vendor":
        raise Forbidden("Vendors cannot see playlists.")
    if role == "client" and not row.for_client:
        raise Forbidden("This playlist is not shared with clients.")
    return role


def check_access(actor, row, supervisors=False):
    """Build jobs and downloads: managers, clients for a playlist shared
    with them, and supervisors where `supervisors` says so."""
    role = check_read(actor, row)
    if role in MANAGING or role == "client" or (supervisors and role == "supervisor"):
        return role
    raise Forbidden("Only the production's managers can do this with its playlists.")


def check_update(actor, row):
    """Changing a playlist: the production's managers, or the supervisor
    who created it (anyone's supervisor when no creator was recorded)."""
    role = _role(actor, row)
    if role in MANAGING:
        return role
    if role == "supervisor" and row.created_by in (None, actor.person.id):
        return role
    raise Forbidden("Only the production's managers and the supervisor who created the "
                    "playlist can change it.")


def get_for(actor, playlist_id, purpose="read"):
    row = load(playlist_id, lock=purpose == "lock")
    if purpose == "read":
        check_read(actor, row)
    elif purpose == "manage":
        require_project_role(actor, row.project_id, MANAGING)
    else:
        check_update(actor, row)
    return row


def _client_only(actor, project_id):
    """Role in the project (vendors refused) and whether it sees only the
    playlists shared with clients."""
    role = require_project_access(actor, project_id)
    if role == "vendor":
        raise Forbidden("Vendors cannot see playlists.")
    return role == "client"


# Generic /data/playlists rules ---------------------------------------------------

class Policy(ProjectData):
    """The playlists collection (behaviours.md section 2.4)."""

    def __init__(self):
        super().__init__(read_roles=("manager", "supervisor", "user", "client"),
                         create_roles=("manager", "supervisor"),
                         row_filters={"client": column_is_true("for_client")})

    def read(self, actor, coll, row):
        check_read(actor, row)

    def update(self, actor, coll, row, data):
        check_update(actor, row)

    def delete(self, actor, coll, row):
        check_update(actor, row)


class OptionalId(api.Uuid):
    """An id, or none when empty (what the Kitsu app sends for "no choice")."""

    def convert(self, name, value):
        return None if value == "" else super().convert(name, value)


class _EpisodeRef(OptionalId):
    """An episode id; Kitsu's pseudo-episodes "main" and "all" mean none."""

    def convert(self, name, value):
        return None if value in EPISODE_SENTINELS else super().convert(name, value)


class _LenientUuid(api.Uuid):
    """An id; anything that is not one means none (Zou's task_type_id)."""

    def convert(self, name, value):
        try:
            return super().convert(name, value)
        except BadRequest:
            return None


class PlaylistCollection(Collection):
    """The collection, with the id fields Kitsu fills with pseudo values."""

    def __post_init__(self):
        super().__post_init__()
        for schema in (self.create_schema, self.update_schema):
            schema.fields["episode_id"] = _EpisodeRef()
            schema.fields["task_type_id"] = _LenientUuid()
            schema.fields["for_entity"] = api.String(choices=FOR_ENTITY)
            schema.fields["shots"] = api.List(api.Dict(), description=(
                "[{entity_id, preview_file_id}]; other keys are dropped."))


class Hooks(BaseHooks):
    def list_columns(self, actor, args):
        if args.get("relations", "").lower() != "true":
            return []
        return [func.coalesce(select(func.array_agg(BuildJob.id)).where(
            BuildJob.playlist_id == Playlist.id).scalar_subquery(),
            sa.text("'{}'::uuid[]")).label("build_jobs")]

    def read(self, actor, coll, row, relations):
        out = super().read(actor, coll, row, relations)
        if relations:
            out["build_jobs"] = list(db.session.scalars(
                select(BuildJob.id).where(BuildJob.playlist_id == row.id)
                .order_by(BuildJob.created_at)))
        return out

    def before_create(self, actor, data):
        data["created_by"] = actor.id
        if data.get("shots") is not None:
            data["shots"] = normalize_entries(data["shots"])
        _check_unique(data.get("name"), data.get("project_id"), data.get("episode_id"))
        return data

    def before_update(self, actor, row, data):
        if data.get("shots") is not None:
            data["shots"] = normalize_entries(data["shots"])
        if "name" in data or "episode_id" in data:
            _check_unique(data.get("name", row.name), row.project_id,
                          data.get("episode_id", row.episode_id), row.id)
        return data

    def before_delete(self, actor, row, force):
        remove_dependents(row)


def _check_unique(name, project_id, episode_id, own_id=None):
    """(name, project, episode) is unique; PostgreSQL's constraint lets two
    rows without episode share a name, so the check is made here, under a
    lock on the name that serializes concurrent creations."""
    if name is None or project_id is None:
        return
    db.session.execute(select(func.pg_advisory_xact_lock(
        func.hashtext(f"playlist:{project_id}:{name}"))))
    clash = select(Playlist.id).where(
        Playlist.project_id == as_uuid(project_id), Playlist.name == name,
        Playlist.episode_id.is_(None) if episode_id is None
        else Playlist.episode_id == as_uuid(episode_id))
    if own_id is not None:
        clash = clash.where(Playlist.id != own_id)
    if db.session.scalar(select(clash.exists())):
        raise BadRequest(f"A playlist named {name!r} already exists in this context.")


def normalize_entries(entries):
    """Entries as [{entity_id, preview_file_id}] (an entry naming its entity
    by `id` is accepted); entries without an entity are dropped, and a
    preview that is not one of the entity's own is unset: the entry would
    play another entity's preview."""
    out = []
    for entry in entries:
        entity_id = entry.get("entity_id") or entry.get("id")
        if not entity_id:
            continue
        preview_id = entry.get("preview_file_id")
        out.append({"entity_id": str(entity_id).lower(),
                    "preview_file_id": str(preview_id).lower() if preview_id else None})
    wanted = {e["preview_file_id"] for e in out if e["preview_file_id"]
              and _UUID.match(e["preview_file_id"])}
    owners = {}
    if wanted:
        owners = {str(p): str(e) for p, e in db.session.execute(
            select(PreviewFile.id, Task.entity_id).join(Task, Task.id == PreviewFile.task_id)
            .where(PreviewFile.id.in_([uuid.UUID(p) for p in wanted])))}
    for entry in out:
        if owners.get(entry["preview_file_id"]) != entry["entity_id"]:
            entry["preview_file_id"] = None
    return out


def remove_dependents(row):
    """What hangs off a playlist goes with it: its notifications, its build
    jobs (their files once the deletion commits) and its share links."""
    from app.services import playlist_builds

    db.session.execute(sa.delete(Notification).where(Notification.playlist_id == row.id))
    playlist_builds.delete_jobs(row)
    db.session.execute(sa.delete(PlaylistShareLink).where(
        PlaylistShareLink.playlist_id == row.id))


# Lists of a production -------------------------------------------------------------

def _list(actor, project_id, criteria, page, sort_by):
    """A page of 20 playlists (no shots: the first entry's preview only),
    newest change first unless `sort_by` names a column (ascending, the
    dates descending)."""
    if _client_only(actor, project_id):
        criteria.append(Playlist.for_client.is_(True))
    table = Playlist.__table__
    if sort_by and sort_by in table.c and sort_by != "shots":
        order = table.c[sort_by]
        order = order.desc() if sort_by in ("created_at", "updated_at") else order
    else:
        order = table.c.updated_at.desc()
    first_preview = Playlist.shots[0]["preview_file_id"].astext
    rows = db.session.execute(
        select(*[crud.wire_column(table.c[name]) for name in LIST_COLUMNS],
               first_preview.label("first_preview_file_id"))
        .where(Playlist.project_id == as_uuid(project_id, "project id"), *criteria)
        .order_by(order, table.c.id).limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE))
    out = []
    for row in rows.mappings():
        item = {"type": "Playlist", **row}
        item["for_entity"] = item["for_entity"] or "shot"
        if not item["first_preview_file_id"]:
            del item["first_preview_file_id"]
        out.append(item)
    return out


def project_playlists(actor, project_id, page=1, sort_by=None, task_type_id=None):
    criteria = []
    if task_type_id:
        criteria.append(Playlist.task_type_id == as_uuid(task_type_id, "task type id"))
    return _list(actor, project_id, criteria, page, sort_by)


def episode_playlists(actor, project_id, episode_id, page=1, sort_by=None, task_type_id=None,
                      for_entity=None):
    """An episode's playlists; "main" gives the production-wide ones not
    for all entities, "all" those for all (Kitsu's All assets / All shots,
    told apart by `for_entity`)."""
    require_project_access(actor, project_id)
    criteria = []
    if episode_id == "main":
        criteria += [Playlist.episode_id.is_(None), Playlist.is_for_all.isnot(True)]
    elif episode_id == "all":
        criteria += [Playlist.episode_id.is_(None), Playlist.is_for_all.is_(True)]
    else:
        episode = db.session.scalar(
            select(Entity.id).join(EntityType, EntityType.id == Entity.entity_type_id)
            .where(Entity.id == as_uuid(episode_id, "episode id"), EntityType.name == "Episode"))
        if episode is None:
            raise NotFound(f"No episode has the id {episode_id}.")
        criteria.append(Playlist.episode_id == episode)
    if task_type_id:
        criteria.append(Playlist.task_type_id == as_uuid(task_type_id, "task type id"))
    if for_entity:
        criteria.append(Playlist.for_entity == for_entity)
    return _list(actor, project_id, criteria, page, sort_by)


def all_project_playlists(actor, project_id, args):
    """Every playlist of the production with its shots and build job ids
    (admins): the whole list, or the generic page envelope with `page`."""
    require_admin(actor)
    if db.session.get(Project, as_uuid(project_id, "project id")) is None:
        raise NotFound(f"No project has the id {project_id}.")
    return crud.list_json(crud.collection("playlists"), actor,
                          {**args, "relations": "true"},
                          Playlist.project_id == as_uuid(project_id))


# The full view --------------------------------------------------------------------
# Two queries whatever the playlist's size: the playlist (its columns and
# build jobs as PostgreSQL's JSON, its entries), then every preview of its
# entities as plain columns in the order the view lists them; Python groups
# them (one pass, no ORM object) and orjson encodes the answer. Building
# the whole answer as JSON in PostgreSQL was measured 2-3 times slower:
# the nested objects cost more there than one pass over tuples here.

def _header_sql():
    fields = ", ".join(
        f"'{c.name}', date_trunc('second', pl.{c.name})" if isinstance(c.type, sa.DateTime)
        else f"'{c.name}', pl.{c.name}"
        for c in Playlist.__table__.c if c.name != "shots")
    return text(f"""
SELECT json_build_object({fields}, 'type', 'Playlist', 'build_jobs', coalesce((
           SELECT json_agg(json_build_object(
               'id', j.id, 'status', j.status,
               'created_at', date_trunc('second', j.created_at), 'message', j.message)
               ORDER BY j.created_at DESC, j.id)
           FROM build_job j WHERE j.playlist_id = pl.id), '[]'::json))::text,
       coalesce(pl.shots, '[]'::jsonb)::text
FROM playlist pl WHERE pl.id = :playlist_id""")


_HEADER = _header_sql()
_PREVIEW_COLUMNS = ("id", "revision", "extension", "width", "height", "duration", "status",
                    "created_at", "task_id")


def _previews_sql(annotations):
    return text(f"""
SELECT t.entity_id::text, t.task_type_id::text, p.id::text, p.revision, p.extension, p.width,
       p.height, coalesce(p.duration, 0)::float8, p.status,
       to_char(p.created_at, 'YYYY-MM-DD"T"HH24:MI:SS'), p.task_id::text
       {", p.annotations" if annotations else ""}
FROM preview_file p JOIN task t ON t.id = p.task_id JOIN task_type tt ON tt.id = t.task_type_id
WHERE t.entity_id = ANY(CAST(:entity_ids AS uuid[]))
ORDER BY t.entity_id, tt.priority DESC, tt.name, p.revision DESC, p.position, p.created_at""")


_PREVIEWS = {flag: _previews_sql(flag) for flag in (False, True)}


def _entity_key(entry):
    return entry.get("id") or entry.get("shot_id") or entry.get("entity_id")


def _revisions(rows, annotations):
    """({entity id: {task type id: [revision, ...]}}, {preview id: preview})
    from rows in view order: the first file of a revision holds the others
    in `previews`."""
    names = _PREVIEW_COLUMNS + (("annotations",) if annotations else ())
    by_entity, by_id = {}, {}
    for row in rows:
        preview = dict(zip(names, row[2:]))
        revisions = by_entity.setdefault(row[0], {}).setdefault(row[1], {})
        first = revisions.get(preview["revision"])
        if first is None:
            preview["previews"] = []
            revisions[preview["revision"]] = preview
        else:
            first["previews"].append(preview)
        by_id[preview["id"]] = preview
    for types in by_entity.values():
        for task_type_id, revisions in types.items():
            types[task_type_id] = list(revisions.values())
    return by_entity, by_id


def full_view_json(playlist_id, annotations=False):
    """full_view's answer as JSON bytes."""
    found = db.session.execute(_HEADER, {"playlist_id": as_uuid(playlist_id, "playlist id")}
                               ).first()
    if found is None:
        raise NotFound(f"No playlist has the id {playlist_id}.")
    head, entries = orjson.loads(found[0]), orjson.loads(found[1])
    entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    entity_ids = {str(_entity_key(e)).lower() for e in entries if _entity_key(e)}
    rows = db.session.execute(_PREVIEWS[bool(annotations)], {
        "entity_ids": sorted(i for i in entity_ids if _UUID.match(i))}).all()
    by_entity, by_id = _revisions(rows, annotations)
    shots = []
    for entry in entries:
        shot = dict(entry)
        entity_id = _entity_key(entry)
        if entity_id:
            shot.setdefault("id", entity_id)
        preview = by_id.get(str(entry.get("preview_file_id") or "").lower())
        if preview is None:
            shot.pop("preview_file_id", None)
        else:
            shot.update({f"preview_file_{key}": preview[key] for key in (
                "id", "extension", "revision", "width", "height", "duration", "status",
                "task_id")})
            shot["preview_file_previews"] = preview.get("previews", [])
            if annotations:
                shot["preview_file_annotations"] = preview["annotations"]
        shot["preview_files"] = by_entity.get(str(entity_id).lower(), []) if entity_id else []
        shots.append(shot)
    head["shots"] = shots
    return orjson.dumps(head)


def full_view(playlist_id, annotations=False):
    """The playlist with every entry enriched: the preview it plays (its
    extension, revision, size, duration, status, task and the other files
    of that revision) and `preview_files`, every preview revision of the
    entry's entity by task type (highest priority first), newest revision
    first, each with the other files of its revision in `previews`; plus
    the playlist's build jobs, newest first. Annotations only when asked
    (the web app loads them on demand). No permission check here."""
    return orjson.loads(full_view_json(playlist_id, annotations))


def project_playlist_json(actor, project_id, playlist_id):
    """GET /data/projects/<pid>/playlists/<id>. Vendors are refused before
    the id is looked up; a playlist of another production is not found."""
    _client_only(actor, project_id)
    row = load(playlist_id)
    if str(row.project_id) != str(as_uuid(project_id, "project id")):
        raise NotFound(f"No playlist has the id {playlist_id} in this production.")
    check_read(actor, row)
    return full_view_json(row.id)


# Previews of entities -----------------------------------------------------------------

def _entity_previews(entity_ids):
    """{entity id: {task type id: [revision, ...]}}, as the playlist player
    lists an entity's previews: task types by priority, newest revision
    first; the other files of a revision in its `previews`."""
    if not entity_ids:
        return {}
    rows = db.session.execute(
        select(Task.entity_id, Task.task_type_id, PreviewFile.id, PreviewFile.revision,
               PreviewFile.position, PreviewFile.original_name, PreviewFile.extension,
               PreviewFile.width, PreviewFile.height, PreviewFile.duration,
               PreviewFile.status, PreviewFile.annotations,
               func.date_trunc("second", PreviewFile.created_at).label("created_at"),
               PreviewFile.task_id, PreviewFile.data)
        .join(PreviewFile, PreviewFile.task_id == Task.id)
        .join(TaskType, TaskType.id == Task.task_type_id)
        .where(Task.entity_id.in_(entity_ids))
        .order_by(TaskType.priority.desc(), TaskType.name, PreviewFile.revision.desc(),
                  PreviewFile.created_at)).all()
    by_task = {}
    for row in rows:
        data = row.data or {}
        by_task.setdefault(row.task_id, (row.entity_id, row.task_type_id, []))[2].append({
            "id": row.id, "revision": row.revision, "position": row.position,
            "original_name": row.original_name, "extension": row.extension,
            "width": row.width, "height": row.height, "duration": float(row.duration or 0),
            "status": row.status, "annotations": row.annotations,
            "created_at": row.created_at, "task_id": row.task_id,
            "task_type_id": row.task_type_id,
            **{key: data.get(key) for key in ("original_width", "original_height",
                                               "original_duration", "original_file_size")}})
    out = {}
    for entity_id, task_type_id, files in by_task.values():
        revisions = {}
        for preview in files:
            parent = revisions.get(preview["revision"])
            if parent is None:
                revisions[preview["revision"]] = {
                    **{k: v for k, v in preview.items() if k not in ("position", "task_type_id")},
                    "previews": []}
            else:
                parent["previews"].append(preview)
        out.setdefault(entity_id, {})[task_type_id] = list(revisions.values())
    return out


def entity_preview_files(actor, entity_id):
    """GET /data/playlists/entities/<id>/preview-files."""
    from app.services import entities

    row = entities.get_for(actor, entity_id)
    return _entity_previews([row.id]).get(row.id, {})


# Adding entries ------------------------------------------------------------------------

_ADD = text("""
WITH wanted AS (
    SELECT (w.value->>'entity_id')::uuid AS entity_id,
           (w.value->>'preview_file_id')::uuid AS preview_file_id, w.ord
    FROM jsonb_array_elements(CAST(:entries AS jsonb)) WITH ORDINALITY AS w(value, ord)),
own AS (
    SELECT w.entity_id, w.ord, coalesce(
        (SELECT p.id FROM preview_file p JOIN task t ON t.id = p.task_id
         WHERE p.id = w.preview_file_id AND t.entity_id = w.entity_id),
        (SELECT p.id FROM preview_file p JOIN task t ON t.id = p.task_id
         WHERE t.entity_id = w.entity_id
           AND (CAST(:task_type_id AS uuid) IS NULL OR t.task_type_id = :task_type_id)
         ORDER BY p.revision DESC, p.created_at DESC LIMIT 1)) AS preview_file_id
    FROM wanted w),
added AS (
    SELECT DISTINCT ON (o.entity_id, o.preview_file_id) o.ord,
           jsonb_strip_nulls(jsonb_build_object('entity_id', o.entity_id,
                                                'preview_file_id', o.preview_file_id)) AS entry
    FROM own o, playlist pl
    WHERE pl.id = :playlist_id AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(coalesce(pl.shots, '[]'::jsonb)) s
        WHERE s->>'entity_id' = o.entity_id::text
          AND (s->>'preview_file_id') IS NOT DISTINCT FROM o.preview_file_id::text)
    ORDER BY o.entity_id, o.preview_file_id, o.ord),
changed AS (
    UPDATE playlist SET updated_at = now() AT TIME ZONE 'utc',
        shots = coalesce(shots, '[]'::jsonb)
                || (SELECT jsonb_agg(entry ORDER BY ord) FROM added)
    WHERE id = :playlist_id AND EXISTS (SELECT 1 FROM added)
    RETURNING id)
SELECT coalesce(jsonb_agg(entry ORDER BY ord), '[]'::jsonb) FROM added
""").bindparams(bindparam("task_type_id", type_=sa.UUID))


def add_entities(actor, playlist_id, entries):
    """Append (entity, preview) couples in one statement, under the
    playlist's row lock taken first: the statement then reads the latest
    entries, and a concurrent addition waits rather than being lost. A
    couple already in the playlist is skipped; a missing preview (or one of
    another entity) becomes the entity's latest, of the playlist's task
    type when it has one. Returns the playlist."""
    row = get_for(actor, playlist_id, "lock")
    entity_ids = {e["entity_id"] for e in entries}
    found = db.session.scalar(select(func.count()).where(
        Entity.id.in_([uuid.UUID(i) for i in entity_ids]), Entity.project_id == row.project_id))
    if found != len(entity_ids):
        raise BadRequest("Field 'entity_id' names entities that are not in this production.")
    added = db.session.scalar(_ADD, {
        "playlist_id": row.id, "task_type_id": row.task_type_id,
        "entries": orjson.dumps([{"entity_id": e["entity_id"],
                                  "preview_file_id": e.get("preview_file_id")}
                                 for e in entries]).decode()})
    for entry in added:
        events.emit("playlist:add_entity", {"playlist_id": row.id, **entry,
                                            "preview_file_id": entry.get("preview_file_id")},
                    project_id=row.project_id)
    db.session.commit()
    return crud.serialize(crud.collection("playlists"), actor, row)


# Temporary playlists ----------------------------------------------------------------

def temp_playlist(actor, project_id, task_ids, entity_ids, sort=False):
    """POST /data/projects/<pid>/playlists/temp: the entries a playlist of
    these tasks would show (and, for each entity, its most recently
    reviewed task holding a preview), saving nothing."""
    from app.services import tasks

    role = require_project_access(actor, project_id)
    project = as_uuid(project_id, "project id")
    task_ids = [as_uuid(t, "task id") for t in task_ids]
    if entity_ids:
        picked = {}
        for entity_id, task_id in db.session.execute(
                select(Task.entity_id, Task.id).where(
                    Task.entity_id.in_([as_uuid(e, "entity id") for e in entity_ids]),
                    Task.last_preview_file_id.isnot(None))
                .order_by(Task.last_comment_date.desc().nulls_last(), Task.id)):
            picked.setdefault(entity_id, task_id)
        task_ids += [picked[e] for e in map(as_uuid, entity_ids) if e in picked]
    if not task_ids:
        return []
    parent, grand = Entity.__table__.alias("parent"), Entity.__table__.alias("grand")
    entity_type = EntityType.__table__.alias("entity_type")
    rows = {r.task_id: r for r in db.session.execute(
        select(Task.id.label("task_id"), Task.task_type_id, Task.project_id,
               Entity.id, Entity.name, entity_type.c.name.label("kind"),
               entity_type.c.id.label("type_id"), parent.c.id.label("parent_id"),
               parent.c.name.label("parent_name"), grand.c.id.label("grand_id"),
               grand.c.name.label("grand_name"))
        .join(Entity, Entity.id == Task.entity_id)
        .join(entity_type, entity_type.c.id == Entity.entity_type_id)
        .outerjoin(parent, parent.c.id == Entity.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .where(Task.id.in_(task_ids)))}
    for task_id in task_ids:
        found = rows.get(task_id)
        if found is None or found.project_id != project:
            raise NotFound(f"No task has the id {task_id} in this production.")
        if role == "vendor":
            tasks.check_read(actor, tasks.load(task_id))
    first = rows[task_ids[0]]
    kind = first.kind if first.kind in ("Shot", "Sequence", "Episode", "Edit") else "Asset"
    fallback_types = list(db.session.scalars(
        select(ProjectTaskTypeLink.task_type_id)
        .join(TaskType, TaskType.id == ProjectTaskTypeLink.task_type_id)
        .where(ProjectTaskTypeLink.project_id == project, TaskType.for_entity == kind)
        .order_by(ProjectTaskTypeLink.priority, TaskType.priority, TaskType.name)))
    previews = _entity_previews({r.id for r in rows.values()})
    entries = [_temp_entry(rows[t], previews.get(rows[t].id, {}), fallback_types)
               for t in task_ids]
    if sort:
        entries.sort(key=lambda e: (e["episode_name"], e["sequence_name"],
                                    e["asset_type_name"], e["name"]))
    return entries


def _temp_entry(row, previews, fallback_types):
    entry = {"id": row.id, "name": row.name, "preview_file_task_id": row.task_id,
             "parent_name": "", "episode_id": "", "episode_name": "", "sequence_id": "",
             "sequence_name": "", "asset_type_id": "", "asset_type_name": ""}
    if row.kind == "Shot":
        entry.update(parent_name=row.parent_name or "", sequence_id=row.parent_id or "",
                     sequence_name=row.parent_name or "")
    elif row.kind in ("Sequence", "Edit") and row.parent_id is not None:
        entry.update(parent_name=row.parent_name, episode_id=row.parent_id,
                     episode_name=row.parent_name)
    elif row.kind not in ("Episode", "Sequence", "Edit"):
        entry.update(parent_name=row.kind, asset_type_id=row.type_id, asset_type_name=row.kind)
    chosen = previews.get(row.task_type_id) or next(
        (previews[t] for t in fallback_types if previews.get(t)), None)
    if chosen:
        preview = chosen[0]
        entry.update({f"preview_file_{key}": preview[key] for key in (
            "id", "extension", "width", "height", "duration", "revision", "status")})
        entry["preview_file_annotations"] = preview["annotations"] or []
        entry["preview_file_previews"] = preview["previews"]
    entry["preview_files"] = previews
    return entry


# Telling clients ---------------------------------------------------------------------

def notify_clients(actor, playlist_id, studio_id=None, department_id=None):
    """A playlist-ready notification to every member of the production
    whose role there is client (narrowed to a studio or a department);
    guests of shared links and bots are not told. Returns the persons
    notified."""
    row = get_for(actor, playlist_id, "manage")
    query = (select(Person.id).join(ProjectPersonLink, ProjectPersonLink.person_id == Person.id)
             .where(ProjectPersonLink.project_id == row.project_id,
                    func.coalesce(ProjectPersonLink.role, Person.role) == "client",
                    Person.is_bot.isnot(True), Person.preview_project_id.is_(None),
                    Person.active.is_(True)))
    if studio_id:
        query = query.where(Person.studio_id == as_uuid(studio_id, "studio id"))
    if department_id:
        query = query.where(select(DepartmentLink.person_id).where(
            DepartmentLink.person_id == Person.id,
            DepartmentLink.department_id == as_uuid(department_id, "department id")).exists())
    notified = notifications.notify(list(db.session.scalars(query)), "playlist-ready",
                                    actor.person.id, playlist_id=row.id)
    db.session.commit()
    return notified
