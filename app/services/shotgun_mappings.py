"""What each kind of ShotGrid record becomes (POST /import/shotgun/<kind>).

One Kind per route: the table it fills, how an existing row is found
(its `shotgun_id`, then its natural key: a studio that made a few rows
by hand before importing gets them adopted, not doubled), and `extract`,
which turns one ShotGrid record into column values. A value that points
to another row is a Link (a ShotGrid id, or a name, still to be found):
shotgun_import.py resolves the links of a whole request in one query per
target, then writes every row. `extract` raises RowError for a record it
cannot import; a malformed record (a missing field, a wrong type) does too.

The field names are those ShotGrid's API returns (and Zou's importer
reads): `code` for names, `sg_*` for studio fields, links as
{"type", "id", "name"} dicts.
"""
import datetime
import re
from dataclasses import dataclass, field

from app.models.comment import Comment
from app.models.entity import Entity
from app.models.files import PreviewFile
from app.models.person import Person
from app.models.project import Project, ProjectPersonLink
from app.models.settings import Department, EntityType, ProjectStatus, TaskStatus, TaskType
from app.models.task import Task
from app.services.defaults import TEMPORAL_ENTITY_TYPES

ASSETS = "asset"  # Entity scope: any non-temporal entity type
NOT_A_PERSON = "changeme@email.com"  # ShotGrid's placeholder for script users
OPEN_STATUSES = {"Active": "Open"}
ROLES_BY_GROUP = {"Admin": "admin", "Manager": "manager"}
_RGB = re.compile(r"^\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*$")


class RowError(Exception):
    """A record that cannot be imported: recorded, the others go on."""


@dataclass(frozen=True)
class Target:
    """Rows a Link can point to: the rows of `model` whose `column` equals
    the link's key (restricted to `entity_type` for entities), giving their
    `value` column. `create` makes the missing ones (reference data the
    records name: project statuses, asset types, departments)."""

    model: type
    column: str = "shotgun_id"
    value: str = "id"
    entity_type: str | None = None
    create: bool = False


TARGETS = {
    "Project": Target(Project),
    "project_name": Target(Project, "name"),
    "HumanUser": Target(Person),
    "Step": Target(TaskType),
    "status_code": Target(TaskStatus, "short_name"),
    "Task": Target(Task),
    "Task.project": Target(Task, value="project_id"),
    "Task.status": Target(Task, value="task_status_id"),
    "project_status": Target(ProjectStatus, "name", create=True),
    "entity_type": Target(EntityType, "name", create=True),
    "department": Target(Department, "name", create=True),
    "Asset": Target(Entity, entity_type=ASSETS),
    **{name: Target(Entity, entity_type=name) for name in ("Episode", "Sequence", "Shot", "Scene")},
}


@dataclass(frozen=True)
class Link:
    """A reference to resolve: `target` row whose key is `key`. `label`
    names it in the error when it is required and not found; `fallback`
    is tried when it is not found; `extra` are the columns of a created
    row."""

    target: str
    key: object
    label: str | None = None
    fallback: "Link | None" = None
    extra: tuple = ()


@dataclass(frozen=True)
class Many:
    """A many-to-many relation a record sets: rows of `table` joining
    the imported row (`own`) to others (`other`). `replace` drops the
    links the record no longer lists."""

    table: str
    own: str
    other: str
    replace: bool = True


@dataclass(frozen=True)
class Kind:
    plural: str        # /import/shotgun/<plural>
    singular: str      # /import/shotgun/remove/<singular>
    sg_type: str       # the ShotGrid entity type, in recorded errors
    model: type
    extract: object    # record -> values (Links and Many lists among them)
    collection: str    # the /data collection whose wire format answers
    event: str         # <event>:new / :update / :delete
    entity_type: str | None = None
    natural: tuple = ()
    folded: frozenset = frozenset()  # natural key columns compared case-insensitively
    natural_only: tuple = ()  # (column, value): rows the natural key may adopt
    create_only: frozenset = frozenset()
    merged: frozenset = frozenset()  # JSONB columns merged into, not replaced
    many: dict = field(default_factory=dict)
    remover: str = "row"  # how remove/<singular> deletes: shotgun_import.REMOVERS


# Field readers ------------------------------------------------------------------

def link_id(record, name):
    """The id of a ShotGrid link field ({"type", "id", ...}), or None."""
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, dict) or isinstance(value.get("id"), bool) \
            or not isinstance(value.get("id"), int):
        raise RowError(f"Field '{name}' must be a link ({{type, id}}) with an integer id.")
    return value["id"]


def link_ids(record, name):
    value = record.get(name) or []
    if not isinstance(value, list):
        raise RowError(f"Field '{name}' must be a list of links.")
    return [link_id({name: item}, name) for item in value]


def text(record, name, required=False):
    value = record.get(name)
    if value is None:
        if required:
            raise RowError(f"Field '{name}' is required.")
        return None
    if not isinstance(value, str):
        raise RowError(f"Field '{name}' must be text.")
    if required and not value.strip():
        raise RowError(f"Field '{name}' cannot be empty.")
    return value


def number(record, name, kind=int):
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RowError(f"Field '{name}' must be a number.")
    return kind(value)


def date_time(record, name):
    """A ShotGrid date ("2024-03-01") or date-time ("2024-03-01T10:00:00Z",
    UTC) as a naive UTC datetime."""
    value = text(record, name)
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f"Field '{name}' must be a date (YYYY-MM-DD).")
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment


def color(record, name):
    """ShotGrid colours are "r,g,b" strings; ours #rrggbb."""
    value = record.get(name) or "0,0,0"
    found = _RGB.match(value) if isinstance(value, str) else None
    if found is None or any(int(part) > 255 for part in found.groups()):
        raise RowError(f"Field '{name}' must be a colour like '120,200,40'.")
    return "#" + "".join(f"{int(part):02x}" for part in found.groups())


def custom_fields(record, skip=()):
    """The studio's own fields (`sg_*`), kept in `data`."""
    return {k: v for k, v in record.items()
            if k.startswith("sg_") and k not in skip and v is not None}


def project_link(record):
    """Entities name their project by ShotGrid id, or by name for a
    production made in Kitsu before the import."""
    project = record.get("project")
    if not isinstance(project, dict):
        raise RowError("Field 'project' must be a link to the record's project.")
    by_name = Link("project_name", project["name"]) if project.get("name") else None
    return Link("Project", project.get("id"), "project", fallback=by_name)


# Extractors ---------------------------------------------------------------------

def project(record):
    # ShotGrid's "Active" is Kitsu's "Open": the status every production
    # list (and every team member's access) looks for. Other statuses are
    # kept by name, as Zou does.
    status = text(record, "sg_status") or "Active"
    status = OPEN_STATUSES.get(status, status)
    return {"name": text(record, "name", required=True), "shotgun_id": record["id"],
            "project_status_id": Link("project_status", status, "status",
                                      extra=(("color", "#000000"),)),
            "data": custom_fields(record, skip=("sg_status",))}


def person(record):
    email = text(record, "email")
    if email == NOT_A_PERSON:
        raise RowError("This is ShotGrid's placeholder account, not a real person.")
    group = (record.get("permission_rule_set") or {}).get("name", "")
    department = (record.get("department") or {}).get("name")
    values = {"first_name": text(record, "firstname") or "",
              "last_name": text(record, "lastname") or "",
              "email": email.strip().lower() if email else None,
              "desktop_login": text(record, "login"), "shotgun_id": record["id"],
              "active": record.get("sg_status_list", "act") == "act",
              "role": ROLES_BY_GROUP.get(group, "user")}
    if department:  # a person without one keeps the departments set in Kitsu
        values["departments"] = [Link("department", department, extra=(("color", "#000000"),))]
    return values


def step(record):
    name = text(record, "code", required=True)
    hex_color = color(record, "color")
    # ShotGrid has no departments for steps: the first word of the step
    # names it ("Anim Layout" -> "Anim"), as Zou does.
    return {"name": name, "short_name": text(record, "short_name") or "",
            "color": hex_color, "for_entity": text(record, "entity_type") or "Asset",
            "shotgun_id": record["id"],
            "department_id": Link("department", name.split(" ")[0],
                                  extra=(("color", hex_color),))}


def status(record):
    return {"name": text(record, "name", required=True),
            "short_name": text(record, "code", required=True),
            "color": color(record, "bg_color"), "shotgun_id": record["id"]}


def _entity(record, kind, **values):
    return {"name": text(record, "code", required=True), "shotgun_id": record["id"],
            "project_id": project_link(record),
            "entity_type_id": Link("entity_type", kind), **values}


def asset(record):
    kind = text(record, "sg_asset_type", required=True)
    if kind in TEMPORAL_ENTITY_TYPES:
        raise RowError(f"'{kind}' is not an asset type.")
    return {**_entity(record, kind, description=text(record, "description")),
            "parents": [Link("Asset", i) for i in link_ids(record, "parents")]}


def episode(record):
    return _entity(record, "Episode", description=text(record, "description"))


def sequence(record):
    episode_id = link_id(record, "episode")
    return _entity(record, "Sequence", description=text(record, "description"),
                   parent_id=Link("Episode", episode_id, "episode") if episode_id else None)


def scene(record):
    sequences = link_ids(record, "sequence_sg_scenes_1_sequences")
    return _entity(record, "Scene",
                   parent_id=Link("Sequence", sequences[0], "sequence") if sequences else None)


def shot(record):
    frame_in = number(record, "sg_cut_in")
    duration = number(record, "sg_cut_duration")
    frames = {"frame_in": frame_in,
              "frame_out": frame_in + duration if None not in (frame_in, duration) else None}
    sequence_id, scene_id = link_id(record, "sg_sequence"), link_id(record, "sg_scene")
    # A record without the field leaves the casting alone; an empty list clears it.
    casting = {"assets": [Link("Asset", i) for i in link_ids(record, "assets")]} \
        if "assets" in record else {}
    return _entity(
        record, "Shot", description=text(record, "description"), nb_frames=duration,
        parent_id=Link("Sequence", sequence_id, "sequence") if sequence_id else None,
        source_id=Link("Scene", scene_id, "scene") if scene_id else None,
        data={**custom_fields(record, skip=("sg_cut_in", "sg_cut_out", "sg_cut_duration",
                                            "sg_sequence", "sg_scene")),
              **{k: v for k, v in frames.items() if v is not None}},
        **casting)


TASK_ENTITIES = ("Asset", "Shot", "Scene", "Sequence", "Episode")


def task(record):
    entity = record.get("entity")
    if not isinstance(entity, dict) or entity.get("type") not in TASK_ENTITIES:
        raise RowError(f"Field 'entity' must link to one of: {', '.join(TASK_ENTITIES)}.")
    creator = link_id(record, "created_by")
    return {"name": text(record, "cached_display_name") or text(record, "content") or "main",
            "shotgun_id": record["id"],
            "start_date": date_time(record, "start_date"),
            "due_date": date_time(record, "due_date"),
            "sort_order": number(record, "sg_sort_order"),
            # ShotGrid's duration is the planned work (minutes); Kitsu's is
            # the time logged, summed from timesheets: the plan is Kitsu's
            # estimation (Zou writes it to duration).
            "estimation": number(record, "duration", float),
            "project_id": Link("Project", link_id(record, "project"), "project"),
            "task_type_id": Link("Step", link_id(record, "step"), "step"),
            "task_status_id": Link("status_code", text(record, "sg_status_list", required=True),
                                   "status"),
            "entity_id": Link(entity["type"], entity["id"], "entity"),
            "assigner_id": Link("HumanUser", creator) if creator else None,
            "assignees": [Link("HumanUser", i) for i in link_ids(record, "task_assignees")]}


def _first_task(record):
    tasks = link_ids(record, "tasks")
    if not tasks:
        raise RowError("The note is linked to no task.")
    return tasks[0]


def note(record):
    task_id = _first_task(record)
    return {"text": text(record, "content") or "", "shotgun_id": record["id"],
            "object_id": Link("Task", task_id, "task"), "object_type": "Task",
            "task_status_id": Link("Task.status", task_id),
            "person_id": Link("HumanUser", link_id(record, "user"), "author"),
            "created_at": date_time(record, "created_at"),
            "project_id": Link("Task.project", task_id)}


def version(record):
    task_id = link_id(record, "sg_task")
    if task_id is None:
        raise RowError("The version is linked to no task.")
    movie = record.get("sg_uploaded_movie") or {}
    user = link_id(record, "user")
    return {"name": text(record, "code", required=True), "shotgun_id": record["id"],
            "description": text(record, "description"), "source": "Shotgun",
            "task_id": Link("Task", task_id, "task"),
            "person_id": Link("HumanUser", user) if user else None,
            "uploaded_movie_url": movie.get("url"), "uploaded_movie_name": movie.get("name"),
            "project_id": Link("Task.project", task_id)}


def connection(record):
    return {"shotgun_id": record["id"],
            "project_id": Link("Project", link_id(record, "project"), "project"),
            "person_id": Link("HumanUser", link_id(record, "user"), "person")}


_ENTITY_KEY = ("name", "project_id", "entity_type_id", "parent_id")


def _entity_kind(plural, singular, extract, entity_type, **kw):
    return Kind(plural, singular, singular.title(), Entity, extract, "entities", singular,
                entity_type=entity_type, natural=_ENTITY_KEY, remover="entity", **kw)


KINDS = {k.plural: k for k in (
    Kind("projects", "project", "Project", Project, project, "projects", "project",
         natural=("name",), merged=frozenset({"data"}), remover="project"),
    Kind("persons", "person", "HumanUser", Person, person, "persons", "person",
         natural=("email",), folded=frozenset({"email"}), natural_only=(("is_bot", False),),
         create_only=frozenset({"role"}),
         many={"departments": Many("department_link", "person_id", "department_id")}),
    Kind("steps", "step", "Step", TaskType, step, "task-types", "task-type",
         natural=("name", "for_entity"), folded=frozenset({"name"})),
    Kind("status", "status", "Status", TaskStatus, status, "task-status", "task-status",
         natural=("short_name",)),
    _entity_kind("assets", "asset", asset, ASSETS,
                 many={"parents": Many("entity_link", "entity_out_id", "entity_in_id",
                                       replace=False)}),
    _entity_kind("episodes", "episode", episode, "Episode"),
    _entity_kind("sequences", "sequence", sequence, "Sequence"),
    _entity_kind("scenes", "scene", scene, "Scene"),
    _entity_kind("shots", "shot", shot, "Shot", merged=frozenset({"data"}),
                 many={"assets": Many("entity_link", "entity_in_id", "entity_out_id")}),
    Kind("tasks", "task", "Task", Task, task, "tasks", "task",
         natural=("name", "project_id", "task_type_id", "entity_id"),
         many={"assignees": Many("task_person_link", "task_id", "person_id")}, remover="task"),
    Kind("notes", "note", "Note", Comment, note, "comments", "comment"),
    Kind("versions", "version", "Version", PreviewFile, version, "preview-files",
         "preview-file", natural=("name", "task_id")),
    Kind("project-connections", "project-connection", "ProjectUserConnection",
         ProjectPersonLink, connection, "projects", "project"),
)}
