"""Metadata descriptors: a production's custom columns (behaviours.md row 7).

A descriptor's values live in the `data` JSON of the rows it describes,
under its field_name (the slug of its name): the entities of its entity
type, the tasks of its task type, or the project itself. Renaming moves
that key and deleting strips it, with one UPDATE for all those rows.
Departments narrow who edits a descriptor (their supervisors) and which
vendors see it; clients only see the ones marked for_client.
"""
import re
import unicodedata
import uuid
from itertools import groupby

import sqlalchemy as sa
from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.sql.elements import ClauseElement

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import Entity
from app.models.project import Project, ProjectPersonLink
from app.models.settings import METADATA_DATA_TYPES, Department, \
    DepartmentMetadataDescriptorLink, EntityType, MetadataDescriptor, TaskType
from app.models.task import Task
from app.permissions import as_uuid, project_role, require_project_access, team_project_ids
from app.services import crud, projects, settings
from app.services.defaults import TEMPORAL_ENTITY_TYPES

# The kinds of rows a descriptor may describe; the all-projects routes
# leave out tasks, whose descriptors belong to one task type.
ENTITY_TYPES = ("Asset", "Shot", "Edit", "Episode", "Sequence", "Project")
TASK = "Task"
MD = MetadataDescriptor.__table__
LINK = DepartmentMetadataDescriptorLink.__table__
# Inserts per statement: 11 values a row, well under PostgreSQL's 65,535
# bind parameters.
BATCH = 1000


def slug(name):
    """The field_name of a descriptor name: accents dropped, lower case,
    apostrophes removed, any other run of non-alphanumerics one "_"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    plain = re.sub(r"['\u2019]", "", plain.lower())
    field_name = re.sub(r"[\W_]+", "_", plain).strip("_")
    if not field_name:
        raise BadRequest("Field 'name' needs at least one letter or digit.")
    return field_name


# Reading --------------------------------------------------------------------

def visible(actor, role):
    """SQL: may the actor, holding `role` (a value, a SQL expression, or None
    for an admin) on a descriptor's project, see the descriptor?"""
    if role is None:
        return sa.true()
    if not isinstance(role, ClauseElement):
        role = sa.literal(role)
    own = LINK.c.metadata_descriptor_id == MD.c.id
    mine = [uuid.UUID(d) for d in actor.department_ids]
    return sa.case(
        (role == "client", MD.c.for_client.is_(True)),
        (role == "vendor", or_(~exists().where(own),
                               exists().where(own, LINK.c.department_id.in_(mine)))),
        else_=sa.true())


def role_per_row(actor):
    """SQL: the actor's effective role in each descriptor's project (None
    for admins)."""
    if actor.is_admin:
        return None
    link = ProjectPersonLink
    return func.coalesce(select(link.role).where(
        link.project_id == MD.c.project_id, link.person_id == actor.person.id)
        .scalar_subquery(), actor.role)


def json_list(actor, *criteria):
    """SQL: the descriptors matching `criteria` that the actor may see (by
    their role in each descriptor's project), as the JSON list embedded in
    project payloads."""
    departments = func.coalesce(
        select(func.array_agg(LINK.c.department_id))
        .where(LINK.c.metadata_descriptor_id == MD.c.id).scalar_subquery(),
        sa.text("'{}'::uuid[]"))
    item = func.json_build_object(
        "id", MD.c.id, "name", MD.c.name, "field_name", MD.c.field_name,
        "data_type", MD.c.data_type, "choices", MD.c.choices,
        "for_client", func.coalesce(MD.c.for_client, False), "entity_type", MD.c.entity_type,
        "task_type_id", MD.c.task_type_id, "position", MD.c.position,
        "departments", departments)
    return func.coalesce(
        select(func.json_agg(aggregate_order_by(item, MD.c.position, MD.c.name)))
        .where(visible(actor, role_per_row(actor)), *criteria).scalar_subquery(),
        sa.text("'[]'::json"))


def _rows(actor, *criteria, sort=("position", "name")):
    return crud.select_rows(crud.collection("metadata-descriptors"), actor, *criteria,
                            relations=True, sort=sort)


def for_project(actor, project_id):
    """The project's descriptors the caller may see, in display order."""
    projects.get_for(actor, project_id)
    return _rows(actor, MD.c.project_id == as_uuid(project_id),
                 visible(actor, project_role(actor, project_id)))


def get_one(actor, project_id, descriptor_id):
    projects.get_for(actor, project_id)
    row = _load(project_id, descriptor_id)
    if not db.session.scalar(select(visible(actor, project_role(actor, project_id)))
                             .where(MD.c.id == row.id)):
        raise Forbidden("This descriptor is not shown to you.")
    return _rows(actor, MD.c.id == row.id)[0]


def _load(project_id, descriptor_id):
    row = db.session.get(MetadataDescriptor, as_uuid(descriptor_id, "descriptor id"))
    if row is None or str(row.project_id) != str(project_id):
        raise NotFound(f"The project has no metadata descriptor with the id {descriptor_id}.")
    return row


# Checks -----------------------------------------------------------------------

def _require_edit(actor, project_id, departments):
    """Managers edit any descriptor of their project; supervisors those
    whose departments are all theirs (one with no department counts as in
    all of them)."""
    role = require_project_access(actor, project_id)
    if role in ("admin", "manager"):
        return
    mine = set(actor.department_ids)
    if role == "supervisor" and departments and (not mine or set(departments) <= mine):
        return
    raise Forbidden("Only the project's managers, or supervisors of every department of "
                    "the descriptor, can change it.")


def _check_entity_type(entity_type, kinds=ENTITY_TYPES + (TASK,)):
    if entity_type not in kinds:
        raise BadRequest(f"Wrong entity type {entity_type!r}: use one of {', '.join(kinds)}.")


def _check_kind(entity_type, task_type_id):
    _check_entity_type(entity_type)
    if entity_type == TASK:
        if task_type_id is None:
            raise BadRequest("Task metadata descriptors need a task_type_id.")
        if db.session.get(TaskType, as_uuid(task_type_id, "task_type_id")) is None:
            raise BadRequest(f"No task type has the id {task_type_id}.")
    elif task_type_id is not None:
        raise BadRequest("task_type_id only applies to Task metadata descriptors.")


def check_data_type(data_type):
    if data_type is not None and data_type not in METADATA_DATA_TYPES:
        raise BadRequest(f"Invalid data_type {data_type!r}: use one of "
                         f"{', '.join(METADATA_DATA_TYPES)}.")


def _check_departments(department_ids):
    wanted = {as_uuid(d, "department id") for d in department_ids}
    found = db.session.scalar(select(func.count()).where(Department.id.in_(wanted)))
    if found != len(wanted):
        raise BadRequest("Field 'departments' names departments that do not exist.")


def _refuse_duplicates(project_ids, entity_type, task_type_id, name, field_name, but=()):
    """A name or field_name is unique per project, entity type and task type."""
    clash = db.session.scalar(select(exists().where(
        MD.c.project_id.in_(project_ids), MD.c.entity_type == entity_type,
        MD.c.task_type_id.is_not_distinct_from(task_type_id), MD.c.id.not_in(but),
        or_(MD.c.name == name, MD.c.field_name == field_name))))
    if clash:
        raise BadRequest("A metadata descriptor with this name already exists.")


# Values in data ------------------------------------------------------------------

def _values(project_ids, entity_type, task_type_id):
    """The table holding a descriptor's values and the rows of it that do."""
    if entity_type == "Project":
        return Project.__table__, Project.id.in_(project_ids)
    if entity_type == TASK:
        return Task.__table__, sa.and_(Task.project_id.in_(project_ids),
                                       Task.task_type_id == task_type_id)
    if entity_type == "Asset":
        kind = Entity.entity_type_id.not_in(
            select(EntityType.id).where(EntityType.name.in_(TEMPORAL_ENTITY_TYPES)))
    else:
        kind = Entity.entity_type_id.in_(
            select(EntityType.id).where(EntityType.name == entity_type))
    return Entity.__table__, sa.and_(Entity.project_id.in_(project_ids), kind)


def _move_key(project_ids, entity_type, task_type_id, old, new):
    table, scope = _values(project_ids, entity_type, task_type_id)
    data = table.c.data
    moved = data.op("-")(sa.cast(old, sa.Text)).op("||", return_type=JSONB)(
        func.jsonb_build_object(sa.cast(new, sa.Text), data[old]))
    db.session.execute(update(table).where(scope, data.has_key(old)).values(data=moved))


def _strip_key(project_ids, entity_type, task_type_id, field_name):
    table, scope = _values(project_ids, entity_type, task_type_id)
    data = table.c.data
    db.session.execute(update(table).where(scope, data.has_key(field_name))
                       .values(data=data.op("-", return_type=JSONB)(sa.cast(field_name, sa.Text))))


def _by_values(rows):
    """Descriptors grouped by where their values live: ((entity_type,
    task_type_id, field_name), project ids)."""
    def key(row):
        return row.entity_type, str(row.task_type_id), row.field_name
    for _, group in groupby(sorted(rows, key=key), key=key):
        group = list(group)
        yield group[0], [row.project_id for row in group]


# Writing ------------------------------------------------------------------------

def _emit(action, pairs):
    """metadata-descriptor:<action> for each (descriptor id, project id)."""
    for project_id, group in groupby(sorted(pairs, key=lambda p: str(p[1])),
                                     key=lambda p: p[1]):
        events.emit_many(f"metadata-descriptor:{action}",
                         [{"metadata_descriptor_id": i} for i, _ in group], project_id=project_id)


def _insert(specs):
    """Create descriptors from dicts of their columns plus `departments`;
    returns their ids."""
    rows, links = [], []
    for spec in specs:
        spec = dict(spec)
        row_id = uuid.uuid4()
        links += [{"metadata_descriptor_id": row_id, "department_id": as_uuid(d)}
                  for d in spec.pop("departments", ())]
        rows.append({"id": row_id, **spec})
    for table, values in ((MD, rows), (LINK, links)):
        for start in range(0, len(values), BATCH):
            db.session.execute(insert(table), values[start:start + BATCH])
    _emit("new", [(row["id"], row["project_id"]) for row in rows])
    return [row["id"] for row in rows]


def _spec(project_id, body, field_name, task_type_id=None):
    return {"project_id": as_uuid(project_id), "entity_type": body["entity_type"],
            "task_type_id": as_uuid(task_type_id) if task_type_id else None,
            "name": body["name"], "field_name": field_name,
            "data_type": body.get("data_type") or "string", "choices": body.get("choices") or [],
            "for_client": bool(body.get("for_client")), "position": None,
            "departments": body.get("departments") or []}


def _set_departments(ids, department_ids):
    db.session.execute(delete(LINK).where(LINK.c.metadata_descriptor_id.in_(ids)))
    links = [{"metadata_descriptor_id": i, "department_id": as_uuid(d)}
             for i in ids for d in department_ids]
    for start in range(0, len(links), BATCH):
        db.session.execute(insert(LINK), links[start:start + BATCH])


def _update(rows, changes):
    """Apply `changes` (name, for_client, data_type, choices, departments)
    to descriptors sharing one entity type, task type and field_name."""
    ids = [row.id for row in rows]
    values = {k: changes[k] for k in ("for_client", "data_type", "choices") if k in changes}
    if changes.get("name"):
        first = rows[0]
        field_name = slug(changes["name"])
        project_ids = [row.project_id for row in rows]
        _refuse_duplicates(project_ids, first.entity_type, first.task_type_id,
                           changes["name"], field_name, but=ids)
        if field_name != first.field_name:
            _move_key(project_ids, first.entity_type, first.task_type_id,
                      first.field_name, field_name)
        values.update(name=changes["name"], field_name=field_name)
    if "departments" in changes:
        _check_departments(changes["departments"])
        _set_departments(ids, changes["departments"])
    # Even a departments-only change stamps updated_at on the descriptors.
    db.session.execute(update(MD).where(MD.c.id.in_(ids)).values(**values))
    _emit("update", [(row.id, row.project_id) for row in rows])


def _delete(rows):
    for (first, project_ids) in _by_values(rows):
        _strip_key(project_ids, first.entity_type, first.task_type_id, first.field_name)
    db.session.execute(delete(MD).where(MD.c.id.in_([row.id for row in rows])))
    _emit("delete", [(row.id, row.project_id) for row in rows])


def _departments_of(descriptor_id):
    return [str(d) for d in db.session.scalars(
        select(LINK.c.department_id).where(LINK.c.metadata_descriptor_id == descriptor_id))]


# One project ----------------------------------------------------------------------

def create(actor, project_id, body):
    project = projects.get_for(actor, project_id)
    _require_edit(actor, project.id, body.get("departments") or [])
    _check_kind(body["entity_type"], body.get("task_type_id"))
    check_data_type(body.get("data_type"))
    _check_departments(body.get("departments") or [])
    field_name = slug(body["name"])
    _refuse_duplicates([project.id], body["entity_type"], body.get("task_type_id"),
                       body["name"], field_name)
    [new_id] = _insert([_spec(project.id, body, field_name, body.get("task_type_id"))])
    db.session.commit()
    return _rows(actor, MD.c.id == new_id)[0]


def update_one(actor, project_id, descriptor_id, body):
    projects.get_for(actor, project_id)
    row = _load(project_id, descriptor_id)
    _require_edit(actor, row.project_id, _departments_of(row.id) + (body.get("departments") or []))
    if "name" in body and not body["name"]:
        raise BadRequest("Field 'name' cannot be empty.")
    check_data_type(body.get("data_type"))
    _update([row], body)
    db.session.commit()
    return _rows(actor, MD.c.id == row.id)[0]


def delete_one(actor, project_id, descriptor_id):
    projects.get_for(actor, project_id)
    row = _load(project_id, descriptor_id)
    _require_edit(actor, row.project_id, _departments_of(row.id))
    _delete([row])
    db.session.commit()


def _order(rows, ids):
    """Positions: `ids` first, in that order, then the others by name."""
    listed = {i: n for n, i in enumerate(ids, start=1)}
    rest = sorted((row for row in rows if row.id not in listed), key=lambda r: r.name)
    return {**listed, **{row.id: n for n, row in enumerate(rest, start=len(listed) + 1)}}


def _of_kind(entity_type, *criteria):
    return db.session.execute(select(MD.c.id, MD.c.project_id, MD.c.name, MD.c.field_name)
                              .where(MD.c.entity_type == entity_type, *criteria)).all()


def reorder(actor, project_id, entity_type, descriptor_ids):
    project = projects.get_for(actor, project_id, manage=True)
    _check_entity_type(entity_type)
    rows = _of_kind(entity_type, MD.c.project_id == project.id)
    ids = [as_uuid(i, "descriptor id") for i in descriptor_ids]
    unknown = set(ids) - {row.id for row in rows}
    if unknown:
        raise BadRequest(f"These descriptors are not {entity_type} descriptors of the project: "
                         f"{', '.join(sorted(map(str, unknown)))}.")
    settings.set_positions(MD.c.position, MD.c.id, _order(rows, ids))
    db.session.commit()
    return _rows(actor, MD.c.project_id == project.id, MD.c.entity_type == entity_type)


# Every open project at once ---------------------------------------------------------

def _managed_open_projects(actor):
    """The open productions the all-projects routes act on: all of them for
    admins, those a production manager manages for them."""
    if actor.role not in ("admin", "manager"):
        raise Forbidden("Only admins and production managers can do this.")
    stmt = select(Project.id).where(projects.is_open(Project.project_status_id))
    if not actor.is_admin:
        stmt = stmt.where(Project.id.in_(team_project_ids(actor, roles=("manager",))))
    return db.session.scalars(stmt).all()


def _on_all(actor, entity_type, field_name):
    _check_entity_type(entity_type, ENTITY_TYPES)
    return db.session.execute(select(MD).where(
        MD.c.project_id.in_(_managed_open_projects(actor)), MD.c.entity_type == entity_type,
        MD.c.field_name == field_name, MD.c.task_type_id.is_(None))).all()


def create_on_all(actor, body):
    """A descriptor on every managed open project that lacks its field."""
    _check_entity_type(body["entity_type"], ENTITY_TYPES)
    check_data_type(body.get("data_type"))
    _check_departments(body.get("departments") or [])
    field_name = slug(body["name"])
    project_ids = _managed_open_projects(actor)
    owned = set(db.session.scalars(select(MD.c.project_id).where(
        MD.c.project_id.in_(project_ids), MD.c.entity_type == body["entity_type"],
        MD.c.task_type_id.is_(None),
        or_(MD.c.field_name == field_name, MD.c.name == body["name"]))))
    ids = _insert([_spec(p, body, field_name) for p in project_ids if p not in owned])
    db.session.commit()
    return _rows(actor, MD.c.id.in_(ids), sort=("project_id",))


def update_on_all(actor, field_name, body):
    rows = _on_all(actor, body["entity_type"], field_name)
    check_data_type(body.get("data_type"))
    if rows:
        _update(rows, body)
    db.session.commit()
    return _rows(actor, MD.c.id.in_([row.id for row in rows]), sort=("project_id",))


def delete_on_all(actor, entity_type, field_name):
    rows = _on_all(actor, entity_type, field_name)
    if rows:
        _delete(rows)
    db.session.commit()
    return [str(row.id) for row in rows]


def reorder_on_all(actor, entity_type, field_order):
    """Order each managed open project's descriptors by field name."""
    _check_entity_type(entity_type, ENTITY_TYPES)
    rows = _of_kind(entity_type, MD.c.project_id.in_(_managed_open_projects(actor)))
    positions, reordered = {}, []
    for project_id, group in groupby(sorted(rows, key=lambda r: str(r.project_id)),
                                     key=lambda r: r.project_id):
        group = list(group)
        by_field = {row.field_name: row.id for row in group}
        ids = [by_field[f] for f in field_order if f in by_field]
        if ids:
            positions.update(_order(group, ids))
            reordered.append(project_id)
    settings.set_positions(MD.c.position, MD.c.id, positions)
    db.session.commit()
    return _rows(actor, MD.c.project_id.in_(reordered), MD.c.entity_type == entity_type,
                 sort=("project_id", "position", "name"))


def copy_project_descriptors(project_id):
    """A new production gets the Project-level columns of the other open
    ones (one per field_name), so their cells are editable at once."""
    departments = func.coalesce(
        select(func.array_agg(LINK.c.department_id))
        .where(LINK.c.metadata_descriptor_id == MD.c.id).scalar_subquery(),
        sa.text("'{}'::uuid[]")).label("departments")
    owned = select(MD.c.field_name).where(MD.c.project_id == project_id,
                                          MD.c.entity_type == "Project")
    sources = db.session.execute(
        select(MD, departments).join(Project, Project.id == MD.c.project_id)
        .where(projects.is_open(Project.project_status_id), MD.c.entity_type == "Project",
               MD.c.project_id != project_id, MD.c.field_name.not_in(owned))
        .order_by(MD.c.position, MD.c.name)).all()
    specs = {}
    for source in sources:
        specs.setdefault(source.field_name, {
            "project_id": project_id, "entity_type": "Project", "task_type_id": None,
            "name": source.name, "field_name": source.field_name,
            "data_type": source.data_type, "choices": source.choices,
            "for_client": source.for_client, "position": source.position,
            "departments": source.departments})
    _insert(specs.values())


# The /data/metadata-descriptors collection ------------------------------------------

class Hooks(crud.Hooks):
    """Generic writes keep the stored values in step: a new field_name
    moves them, a deletion strips them."""

    def before_create(self, actor, data):
        check_data_type(data.get("data_type"))
        return data

    def before_update(self, actor, row, data):
        check_data_type(data.get("data_type"))
        new = data.get("field_name")
        if new and new != row.field_name:
            _refuse_duplicates([row.project_id], row.entity_type, row.task_type_id,
                               data.get("name", row.name), new, but=[row.id])
            _move_key([row.project_id], row.entity_type, row.task_type_id, row.field_name, new)
        return data

    def before_delete(self, actor, row, force):
        _strip_key([row.project_id], row.entity_type, row.task_type_id, row.field_name)
