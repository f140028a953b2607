"""Shots, sequences, episodes and scenes (behaviours.md row 9); edits
(row 10) go through the same functions with kind "Edit" (see
app/blueprints/data/edits.py).

All of them are rows of the `entity` table told apart by their entity
type (what they share is in app/services/entities.py); `parent_id` chains
episode -> sequence -> shot (and sequence -> scene, episode -> edit), and
a shot points to its scene by `source_id`. Lists are rendered to JSON by
PostgreSQL through the `entities` collection's SELECT, so they carry the
same columns and "type" as /data/entities.
"""
import datetime

import orjson
import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, distinct_on
from sqlalchemy.orm import aliased

from app import events
from app.api import Schema
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity, EntityVersion
from app.models.files import PreviewFile
from app.models.person import Person
from app.models.project import Project
from app.models.settings import TaskStatus, TaskType
from app.models.task import Task, TaskPersonLink
from app.models.timesheet import TimeSpent
from app.permissions import (
    STAFF, as_uuid, require_project_access, require_project_manager, team_project_ids,
)
from app.services import assets, crud, entities, projects

E = entities.ENTITY
# The kind a parent must be, per kind; episodes have no parent.
PARENT_KIND = {"Sequence": "Episode", "Shot": "Sequence", "Scene": "Sequence",
               "Edit": "Episode"}
# A snapshot of a shot or edit is only taken when its previous change is
# older than this, so a burst of edits (frame in, then frame out) makes one.
VERSION_DELAY = datetime.timedelta(seconds=60)
# What PUT /data/shots/<id> may not change (Zou drops them from the body).
_NOT_UPDATABLE = ("project_id", "created_by", "shotgun_id", "entity_type_id",
                  "entities_in", "entities_out", "instance_casting",
                  "entity_concept_links")


def _coll():
    return crud.collection("entities")


def update_schema():
    """The body of PUT /data/shots/<id>: any column of an entity a
    manager may set."""
    return Schema(**{name: field for name, field in _coll().update_schema.fields.items()
                     if name not in _NOT_UPDATABLE})


# Who sees what --------------------------------------------------------------

def assigned_below(person_id):
    """SQL on E: the row, a child or a grandchild of it has a task assigned
    to the person. Vendors list the sequences and episodes their shots are
    in (entities.scope only knows tasks on the row itself)."""
    target = aliased(Entity, name="task_entity")
    parent = aliased(Entity, name="task_entity_parent")
    return select(Task.id).join(TaskPersonLink, TaskPersonLink.task_id == Task.id) \
        .join(target, target.id == Task.entity_id) \
        .outerjoin(parent, parent.id == target.parent_id) \
        .where(TaskPersonLink.person_id == person_id,
               or_(target.id == E.c.id, target.parent_id == E.c.id,
                   parent.parent_id == E.c.id)).exists()


def _scope(actor, project_id=None):
    if project_id is not None:
        role = require_project_access(actor, project_id)
        criteria = [E.c.project_id == as_uuid(project_id, "project id")]
        return criteria + [assigned_below(actor.person.id)] if role == "vendor" else criteria
    if actor.is_admin:
        return []
    return [or_(E.c.project_id.in_(team_project_ids(actor, roles=STAFF)),
                and_(E.c.project_id.in_(team_project_ids(actor, roles=("vendor",))),
                     assigned_below(actor.person.id)))]


def load(actor, kind, entity_id):
    """The entity of this kind once the actor may see it (404 for an
    unknown id or another kind; 403 off the team, or for a vendor without
    a task on it)."""
    return entities.get_for(actor, entity_id, kind)


# Reading --------------------------------------------------------------------

def _names(kind):
    """Labelled columns each row of this kind adds: where it sits."""
    parent = aliased(Entity, name="parent_entity")
    episode = aliased(Entity, name="episode_entity")
    columns = [select(Project.name).where(Project.id == E.c.project_id)
               .scalar_subquery().label("project_name")]
    of_parent = select(parent.name).where(parent.id == E.c.parent_id).scalar_subquery()
    if PARENT_KIND.get(kind) == "Sequence":
        columns += [
            of_parent.label("sequence_name"),
            select(parent.parent_id).where(parent.id == E.c.parent_id)
            .scalar_subquery().label("episode_id"),
            select(episode.name).join(parent, parent.parent_id == episode.id)
            .where(parent.id == E.c.parent_id).scalar_subquery().label("episode_name"),
        ]
    elif PARENT_KIND.get(kind) == "Episode":
        columns.append(of_parent.label("episode_name"))
    return columns


def list_json(actor, kind, *criteria, project_id=None):
    """The entities of this kind matching `criteria` that the actor may
    see, by name, as JSON bytes (without the metadata the actor may not
    see)."""
    body = crud.select_json(_coll(), actor, E.c.entity_type_id == entities.entity_type_id(kind),
                            *_scope(actor, project_id), *criteria, columns=_names(kind),
                            sort=("name",))
    return assets.without_hidden_data(actor, kind, body)


def query_criteria(query):
    """Criteria from the query string of the /data/shots-like lists."""
    criteria = [E.c.parent_id == query[key]
                for key in ("parent_id", "sequence_id", "episode_id") if query.get(key)]
    if query.get("name"):
        criteria.append(E.c.name.ilike(query["name"]))
    return criteria


def _under(parent_kind, parent, kind):
    """SQL on E: the row, of `kind`, sits under the parent (the shots of a
    sequence, or of an episode's sequences; the assets made for an
    episode)."""
    if kind == entities.ASSET:
        return and_(entities.is_asset_type(), E.c.source_id == parent.id)
    of_kind = E.c.entity_type_id == entities.entity_type_id(kind)
    if PARENT_KIND[kind] == parent_kind:
        return and_(of_kind, E.c.parent_id == parent.id)
    middle = aliased(Entity, name="middle_entity")
    return and_(of_kind, E.c.parent_id.in_(
        select(middle.id).where(middle.parent_id == parent.id)))


def list_children(actor, parent_kind, parent_id, kind):
    """The entities of `kind` under a parent."""
    parent = load(actor, parent_kind, parent_id)
    return list_json(actor, kind, _under(parent_kind, parent, kind),
                     project_id=parent.project_id)


def _task_criteria(actor, parent_kind, parent_id, kind):
    """Criteria on tasks: those of the entity itself (kind None) or of the
    entities of `kind` under it; vendors only get theirs."""
    parent = load(actor, parent_kind, parent_id)
    if kind is None:
        criteria = [Task.entity_id == parent.id]
    else:
        criteria = [Task.entity_id.in_(select(E.c.id).where(_under(parent_kind, parent, kind)))]
    if require_project_access(actor, parent.project_id) == "vendor":
        criteria.append(select(TaskPersonLink.task_id).where(
            TaskPersonLink.task_id == Task.id,
            TaskPersonLink.person_id == actor.person.id).exists())
    return criteria


def tasks(actor, parent_kind, parent_id, kind=None, relations=False):
    """GET /data/<kind>s/<id>/tasks (and the shot-, edit- and asset-tasks
    of sequences and episodes), with their type, status and entity names."""
    names = [select(model.name).where(model.id == column).scalar_subquery().label(label)
             for model, column, label in ((TaskType, Task.task_type_id, "task_type_name"),
                                          (TaskStatus, Task.task_status_id, "task_status_name"),
                                          (Entity, Task.entity_id, "entity_name"))]
    return crud.select_json(crud.collection("tasks"), actor,
                            *_task_criteria(actor, parent_kind, parent_id, kind),
                            relations=relations, columns=names, sort=("entity_name", "name"))


# The entities whose tasks make the task types of a sequence or an episode
# (a shot's, a scene's or an edit's are those of its own tasks).
TASK_TYPES_FROM = {"Sequence": "Shot", "Episode": "Shot"}


def task_types(actor, kind, entity_id):
    used = select(Task.task_type_id).where(
        *_task_criteria(actor, kind, entity_id, TASK_TYPES_FROM.get(kind)))
    return crud.select_json(crud.collection("task-types"), actor, TaskType.id.in_(used),
                            sort=("name",))


def shot_assets(actor, shot_id):
    """The assets cast in a shot."""
    from app.services import casting
    shot = load(actor, "Shot", shot_id)
    return casting.entity_casting(actor, shot.project_id, shot.id)


def previews_by_task_type(actor, kind, entity_id):
    """GET /data/shots/<id>/preview-files: {task_type_id: [preview, ...]},
    newest revision first, the files of one revision (several uploads)
    nested in the first one's "previews" (Kitsu's preview player)."""
    p = PreviewFile.__table__
    item = func.json_build_object(
        "id", p.c.id, "revision", p.c.revision, "position", p.c.position,
        "original_name", p.c.original_name, "extension", p.c.extension, "width", p.c.width,
        "height", p.c.height, "duration", func.coalesce(p.c.duration, 0),
        "status", p.c.status, "annotations", p.c.annotations,
        "created_at", func.date_trunc("second", p.c.created_at), "task_id", p.c.task_id,
        "task_type_id", Task.task_type_id,
        *[part for key in ("original_width", "original_height", "original_duration",
                           "original_file_size") for part in (key, p.c.data[key])])
    stmt = select(sa.cast(item, sa.Text)).select_from(p).join(Task, Task.id == p.c.task_id) \
        .join(TaskType, TaskType.id == Task.task_type_id) \
        .where(*_task_criteria(actor, kind, entity_id, None)) \
        .order_by(TaskType.priority.desc(), TaskType.name, p.c.revision.desc(), p.c.created_at)
    by_task = {}
    for preview in map(orjson.loads, db.session.scalars(stmt)):
        revisions = by_task.setdefault(preview["task_id"], {})
        if preview["revision"] in revisions:
            revisions[preview["revision"]]["previews"].append(preview)
        else:
            revisions[preview["revision"]] = {
                **{k: v for k, v in preview.items() if k != "position"}, "previews": []}
    # Keyed by task type as Zou does: of two tasks of one type, the last wins.
    return {next(iter(revisions.values()))["task_type_id"]: list(revisions.values())
            for revisions in by_task.values()}


def answer(actor, kind, row, relations=False):
    out = crud.select_rows(_coll(), actor, E.c.id == row.id, relations=relations,
                           columns=_names(kind))[0]
    if kind in ("Shot", "Edit"):
        data = out.get("data") or {}
        out.update(frame_in=data.get("frame_in"), frame_out=data.get("frame_out"),
                   fps=data.get("fps"))
    return out


def get_one(actor, kind, entity_id):
    return answer(actor, kind, load(actor, kind, entity_id), relations=True)


def versions(actor, kind, entity_id):
    """The snapshots of a shot or edit, newest first."""
    row = load(actor, kind, entity_id)
    v = EntityVersion.__table__
    item = func.json_build_object(
        "id", v.c.id, "name", v.c.name, "data", v.c.data, "entity_id", v.c.entity_id,
        "person_id", v.c.person_id,
        "created_at", func.date_trunc("second", v.c.created_at),
        "updated_at", func.date_trunc("second", v.c.updated_at),
        "type", f"{kind}Version")
    return db.session.scalar(select(func.coalesce(
        func.json_agg(aggregate_order_by(item, v.c.created_at.desc())),
        sa.text("'[]'::json"))).where(v.c.entity_id == row.id))


# With tasks ------------------------------------------------------------------

def with_tasks(actor, kind, project_id=None, episode_id=None):
    """GET /data/<kind>s/with-tasks: every entity of the kind with its
    tasks and where it sits, in one query (Kitsu's production pages)."""
    columns = {name: entities.uuid_text(E.c[name]) if name.endswith("_id") else E.c[name]
               for name in ("id", "name", "description", "canceled", "entity_type_id",
                            "parent_id", "preview_file_id", "source_id", "nb_frames",
                            "nb_entities_out", "is_casting_standby", "project_id", "status")}
    data = entities.visible_data(actor, kind)
    columns.update({column.name: column for column in _names(kind)},
                   data=data, type=sa.literal(kind))
    if kind in ("Shot", "Edit"):
        columns.update({key: data.op("->")(key) for key in ("frame_in", "frame_out", "fps")})
    criteria = [E.c.entity_type_id == entities.entity_type_id(kind)]
    if PARENT_KIND.get(kind) == "Sequence":
        columns["sequence_id"] = columns["parent_id"]
        criteria += entities.episode_criteria(episode_id, columns["episode_id"])
    elif PARENT_KIND.get(kind) == "Episode":
        criteria += entities.episode_criteria(episode_id, E.c.parent_id)
    return entities.with_tasks_json(actor, columns, entities.scope(actor, criteria, project_id))


# Writing --------------------------------------------------------------------

def _parent(kind, project_id, parent_id):
    """The parent of a new entity of this kind, of the right kind and in
    the same production (404 otherwise, as Zou)."""
    if parent_id is None:
        return None
    parent_kind = PARENT_KIND[kind]
    row = db.session.scalars(select(Entity).where(
        Entity.id == as_uuid(parent_id, f"{parent_kind.lower()} id"),
        Entity.entity_type_id == entities.entity_type_id(parent_kind),
        Entity.project_id == as_uuid(project_id, "project id"))).first()
    if row is None:
        raise NotFound(f"No {parent_kind} of this project has the id {parent_id}.")
    return row


def create(actor, kind, project_id, name, parent_id=None, **columns):
    """POST /data/projects/<id>/<kind>s (project managers): idempotent on
    (type, parent, project, name), the existing row is answered as it is."""
    require_project_manager(actor, project_id)
    parent = _parent(kind, project_id, parent_id)
    row = entities.create_entity(actor, project_id, entities.entity_type_id(kind), name,
                                 parent_id=parent.id if parent else None, **columns)
    db.session.commit()
    return answer(actor, kind, row)


def _frame_in(data):
    return (data or {}).get("frame_in")


def record_version(actor, row, changes):
    """Before `changes` are applied to a shot or an edit: snapshot it (the
    name it had, the data it will have) when they change its name or
    frame_in and its previous change is over a minute old. Zou compares a
    name read from `data`, so nearly every update of its makes one (gap);
    this compares the names themselves."""
    name, data = changes.get("name", row.name), changes.get("data", row.data)
    if name == row.name and _frame_in(data) == _frame_in(row.data):
        return
    if row.updated_at is not None and utc_now() - row.updated_at <= VERSION_DELAY:
        return
    if entities.kind(row) in ("Shot", "Edit"):
        db.session.add(EntityVersion(entity_id=row.id, name=row.name, data=data,
                                     person_id=actor.person.id))


def update(actor, kind, entity_id, data):
    """PUT /data/shots/<id> (project managers): the columns given replace
    the stored ones, `data` included (the generic entity PUT merges it)."""
    row = load(actor, kind, entity_id)
    require_project_manager(actor, row.project_id)
    if "name" in data and not (data["name"] or "").strip():
        raise BadRequest("Field 'name' cannot be empty.")
    if data.get("parent_id") is not None:
        _parent(kind, row.project_id, data["parent_id"])
    record_version(actor, row, data)
    crud.apply_values(_coll(), row, data)
    db.session.flush()
    events.emit(f"{kind.lower()}:update", {f"{kind.lower()}_id": row.id},
                project_id=row.project_id)
    db.session.commit()
    return answer(actor, kind, row)


def delete(actor, kind, entity_id, force=False):
    """DELETE: its creator (on the team) or a project manager; an entity
    with tasks is only canceled unless forced."""
    entities.delete_entity(actor, load(actor, kind, entity_id), force=force)
    db.session.commit()


# Scenes ---------------------------------------------------------------------

def scene_shots(actor, scene_id):
    scene = load(actor, "Scene", scene_id)
    return list_json(actor, "Shot", E.c.source_id == scene.id, project_id=scene.project_id)


def _set_scene(actor, scene_id, shot_id, linked, event):
    scene = load(actor, "Scene", scene_id)
    require_project_manager(actor, scene.project_id)
    shot = load(actor, "Shot", shot_id)
    if shot.project_id != scene.project_id:
        raise BadRequest("The shot and the scene belong to different productions.")
    shot.source_id = scene.id if linked else None
    db.session.flush()
    events.emit("shot:update", {"shot_id": shot.id}, project_id=shot.project_id)
    events.emit(event, {"scene_id": scene.id, "shot_id": shot.id}, project_id=shot.project_id)
    db.session.commit()
    return answer(actor, "Shot", shot)


def add_shot_to_scene(actor, scene_id, shot_id):
    return _set_scene(actor, scene_id, shot_id, True, "shot:add-to-scene")


def remove_shot_from_scene(actor, scene_id, shot_id):
    _set_scene(actor, scene_id, shot_id, False, "shot:remove-from-scene")


# Frame counts -----------------------------------------------------------------

def set_nb_frames_from_previews(actor, project_id, task_type_id, episode_id=None):
    """Each shot's nb_frames becomes the duration of the newest preview of
    its task of this type, in frames at the production's fps: one UPDATE.
    Answers the [{id, nb_frames}] it wrote."""
    project = projects.get_for(actor, project_id, manage=True)
    try:
        fps = float(project.fps or 25)
    except ValueError:
        raise BadRequest(f"The production's fps ({project.fps!r}) is not a number.")
    shot = aliased(Entity, name="shot_entity")
    sequence = aliased(Entity, name="sequence_entity")
    newest = select(Task.entity_id, PreviewFile.duration).join(
        PreviewFile, PreviewFile.task_id == Task.id).join(
        shot, shot.id == Task.entity_id).where(
        Task.task_type_id == as_uuid(task_type_id, "task type id"),
        shot.project_id == project.id,
        shot.entity_type_id == entities.entity_type_id("Shot"),
    ).order_by(Task.entity_id, PreviewFile.created_at.desc()).ext(distinct_on(Task.entity_id))
    if episode_id:
        newest = newest.join(sequence, sequence.id == shot.parent_id).where(
            sequence.parent_id == as_uuid(episode_id, "episode id"))
    newest = newest.subquery("newest")
    rows = db.session.execute(
        sa.update(E).where(E.c.id == newest.c.entity_id)
        .values(nb_frames=func.round(newest.c.duration * fps), updated_at=utc_now())
        .returning(E.c.id, E.c.nb_frames)).all()
    events.emit_many("shot:update", [{"shot_id": row.id} for row in rows],
                     project_id=project.id)
    db.session.commit()
    return [{"id": str(row.id), "nb_frames": row.nb_frames} for row in rows]


# Statistics -------------------------------------------------------------------

def _episode_groups(actor, project, *groups):
    """(episode id, *groups, task count, drawings, frames) of the project's
    tasks on entities under a sequence of an episode (vendors: theirs),
    grouped in PostgreSQL."""
    sequence = aliased(Entity, name="sequence_entity")
    shot = aliased(Entity, name="shot_entity")
    stmt = select(
        sequence.parent_id, *groups, func.count(Task.id),
        func.coalesce(func.sum(Task.nb_drawings), 0), func.coalesce(func.sum(shot.nb_frames), 0),
    ).select_from(Task).join(TaskStatus, TaskStatus.id == Task.task_status_id) \
        .join(shot, shot.id == Task.entity_id) \
        .join(sequence, sequence.id == shot.parent_id) \
        .where(Task.project_id == project.id, sequence.parent_id.is_not(None)) \
        .group_by(sequence.parent_id, *groups)
    if require_project_access(actor, project.id) == "vendor":
        stmt = stmt.where(select(TaskPersonLink.task_id).where(
            TaskPersonLink.task_id == Task.id,
            TaskPersonLink.person_id == actor.person.id).exists())
    return db.session.execute(stmt).all()


def _add(bucket, count, frames, drawings):
    bucket["count"] += count
    bucket["frames"] += frames
    bucket["drawings"] += drawings


def episode_stats(actor, project_id):
    """GET /data/projects/<id>/episodes/stats: shot tasks counted per
    episode, task type and status, with their frames and drawings, and the
    "all" totals per episode, per task type and overall:
    {episode_id | "all": {task_type_id | "all": {task_status_id: bucket}}}."""
    project = projects.get_for(actor, project_id)
    role = require_project_access(actor, project_id)
    if role == "client" and project.is_client_stats_visible is False:
        raise Forbidden("Statistics are not shown to this production's clients.")
    results = {}
    for episode, task_type, status, name, color, count, drawings, frames in _episode_groups(
            actor, project, Task.task_type_id, Task.task_status_id, TaskStatus.short_name,
            TaskStatus.color):
        episode, task_type, status = str(episode), str(task_type), str(status)
        for outer, inner in ((episode, task_type), (episode, "all"), ("all", task_type),
                             ("all", "all")):
            bucket = results.setdefault(outer, {}).setdefault(inner, {}).setdefault(
                status, {"name": name, "color": color, "count": 0, "frames": 0,
                         "drawings": 0})
            _add(bucket, count, frames, drawings)
    return results


def _counts():
    return {"count": 0, "frames": 0, "drawings": 0}


def _retake_entry():
    return {"max_retake_count": 0, "evolution": {}, "done": _counts(), "retake": _counts(),
            "other": _counts()}


def retake_stats(actor, project_id):
    """GET /data/projects/<id>/episodes/retake-stats: per episode and task
    type (and "all"), the tasks now done, in retake or other, the highest
    retake count, and per episode the "evolution": for each take up to
    that count, the tasks still in retake at it, done or other."""
    project = projects.get_for(actor, project_id)
    if require_project_access(actor, project_id) == "client":
        raise Forbidden("Clients cannot see retake statistics.")
    groups = _episode_groups(actor, project, Task.task_type_id,
                             func.coalesce(Task.retake_count, 0),
                             func.coalesce(TaskStatus.is_done, False),
                             func.coalesce(TaskStatus.is_retake, False))
    results = {"all": {"all": _retake_entry()}}
    for episode, task_type, retakes, is_done, is_retake, count, drawings, frames in groups:
        state = "done" if is_done else "retake" if is_retake else "other"
        for outer, inner in (("all", "all"), ("all", str(task_type)), (str(episode), "all"),
                             (str(episode), str(task_type))):
            entry = results.setdefault(outer, {}).setdefault(inner, _retake_entry())
            entry["max_retake_count"] = max(entry["max_retake_count"], retakes)
            _add(entry[state], count, frames, drawings)
    # Evolution needs every entry's final max_retake_count: a second pass.
    for episode, task_type, retakes, is_done, _, count, drawings, frames in groups:
        for inner in ("all", str(task_type)):
            entry = results[str(episode)][inner]
            for take in range(1, entry["max_retake_count"] + 1):
                state = "retake" if take <= retakes else "done" if is_done else "other"
                evolution = entry["evolution"].setdefault(
                    str(take), {"done": _counts(), "retake": _counts(), "other": _counts()})
                _add(evolution[state], count, frames, drawings)
    return results


# Quotas -----------------------------------------------------------------------

QUOTA_MODES = ("weighted", "weighteddone", "feedback", "done")
_PERIODS = ("day", "week", "month", "year")


def timezone_of(actor):
    import zoneinfo

    from flask import current_app
    name = actor.person.timezone or current_app.config["DEFAULT_TIMEZONE"]
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def _quota_parts(project, task_type_id, person_id, studio_id, mode, timezone):
    """The SELECTs of (entry, day, frames, drawings, count) rows a quota
    sums: per assignee (or, for one person, per task type) and per day a
    shot task was finished (feedback: its end date; done: its done date).
    Weighted modes spread each task over the days time was logged on it,
    by share of that time, or else evenly over the working days from its
    real start."""
    finished = Task.end_date if "done" not in mode else Task.done_date
    shot = aliased(Entity, name="quota_shot")
    frames = func.coalesce(shot.nb_frames, 0)
    drawings = func.coalesce(Task.nb_drawings, 0)
    criteria = [Task.project_id == project.id, finished.is_not(None),
                shot.entity_type_id == entities.entity_type_id("Shot")]
    if task_type_id is not None:
        criteria.append(Task.task_type_id == as_uuid(task_type_id, "task type id"))
    if studio_id is not None:
        criteria.append(select(TaskPersonLink.task_id).join(
            Person, Person.id == TaskPersonLink.person_id).where(
            TaskPersonLink.task_id == Task.id,
            Person.studio_id == as_uuid(studio_id, "studio id")).exists())

    def entry(person_column):
        return Task.task_type_id if person_id is not None else person_column

    def assigned(stmt):
        stmt = stmt.join(TaskPersonLink, TaskPersonLink.task_id == Task.id)
        if person_id is not None:
            stmt = stmt.where(TaskPersonLink.person_id == as_uuid(person_id, "person id"))
        return stmt

    def base(*columns):
        return select(*columns).select_from(Task).join(shot, shot.id == Task.entity_id) \
            .where(*criteria)

    if "weighted" not in mode:
        day = sa.cast(func.timezone(timezone, func.timezone("UTC", finished)), sa.Date)
        return [assigned(base(entry(TaskPersonLink.person_id), day, frames, drawings,
                              sa.literal(1.0)))]
    share = TimeSpent.duration / Task.duration
    logged = base(entry(TimeSpent.person_id), TimeSpent.date, func.round(frames * share),
                  func.round(drawings * share), share) \
        .join(TimeSpent, TimeSpent.task_id == Task.id).where(Task.duration > 0)
    if person_id is not None:
        logged = logged.where(TimeSpent.person_id == as_uuid(person_id, "person id"))
    def span(name):
        return func.generate_series(sa.cast(Task.real_start_date, sa.Date),
                                    sa.cast(finished, sa.Date), sa.text("interval '1 day'")) \
            .table_valued("value").render_derived(name=name)

    days, counted = span("spread"), span("counted")
    day = sa.cast(days.c.value, sa.Date)
    working = func.greatest(1, select(func.count()).select_from(counted).where(
        func.extract("isodow", counted.c.value) < 6).scalar_subquery())
    unlogged = assigned(base(entry(TaskPersonLink.person_id), day,
                             func.round(frames / working), func.round(drawings / working),
                             1.0 / working)
                        .join(days, sa.true())
                        .where(Task.real_start_date.is_not(None),
                               func.extract("isodow", days.c.value) < 6,
                               ~select(TimeSpent.id).where(TimeSpent.task_id == Task.id)
                               .exists()))
    return [logged, unlogged]


def _empty_entry():
    return {period: {"frames": {}, "seconds": {}, "count": {}, "drawings": {},
                     **({"entries": {}} if period != "year" else {})}
            for period in _PERIODS}


def quotas(actor, project_id, task_type_id=None, person_id=None, mode="weighted",
           studio_id=None):
    """GET /data/projects/<id>/quotas/...: frames, seconds, drawings and
    shot counts per person (or, for one person, per task type) and "total",
    by day, ISO week, month and year. PostgreSQL finds each day's
    contributions; Python only files them under their periods."""
    project = projects.get_for(actor, project_id)
    role = require_project_access(actor, project_id)
    if role == "client":
        raise Forbidden("Clients cannot see quotas.")
    if person_id is not None and role not in ("admin", "manager", "supervisor") \
            and str(person_id) != actor.id:
        raise Forbidden("Only managers and supervisors see the quotas of others.")
    try:
        fps = float(project.fps or 25)
    except ValueError:
        raise BadRequest(f"The production's fps ({project.fps!r}) is not a number.")
    result = {}
    for part in _quota_parts(project, task_type_id, person_id, studio_id, mode,
                             timezone_of(actor)):
        for entry_id, day, frames, drawings, count in db.session.execute(part):
            iso_year, iso_week, _ = day.isocalendar()
            keys = {"day": day.isoformat(), "week": f"{iso_year}-{iso_week}",
                    "month": day.isoformat()[:7], "year": str(day.year)}
            # "entries" counts, per enclosing period, the periods with work.
            parents = {"day": keys["month"], "week": str(iso_year), "month": keys["year"]}
            for name in (str(entry_id), "total"):
                periods = result.setdefault(name, _empty_entry())
                for period, key in keys.items():
                    bucket = periods[period]
                    if key not in bucket["frames"] and period in parents:
                        entries = bucket["entries"]
                        entries[parents[period]] = entries.get(parents[period], 0) + 1
                    for field, value in (("frames", int(frames)), ("drawings", int(drawings)),
                                         ("seconds", int(frames) / fps),
                                         ("count", float(count))):
                        bucket[field][key] = bucket[field].get(key, 0) + value
    for periods in result.values():
        for bucket in periods.values():
            bucket["count"] = {key: round(value, 2) for key, value in bucket["count"].items()}
    return result
