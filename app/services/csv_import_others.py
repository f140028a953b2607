"""CSV imports of casting, task estimations and persons (behaviours.md row
21), in the same two passes as the entity imports: every row checked, then
everything written in one transaction, or nothing and a 400 listing the
bad rows."""
import datetime

import sqlalchemy as sa
from sqlalchemy import select

from app import api, events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import Entity
from app.models.person import (
    CONTRACT_TYPES, POSITIONS, ROLES, SENIORITIES, DepartmentLink, Person,
)
from app.models.settings import Department, EntityType, Studio, TaskType
from app.models.task import Task
from app.permissions import as_uuid, reaches_department
from app.services import casting, crud, entities, organisation, persons, tasks
from app.services.csv_import import (
    Descriptors, People, Problems, RowError, boolean, choice, date, each_row, integer,
    load_admin, load_project, number, read, sized,
)
from app.services.defaults import TEMPORAL_ENTITY_TYPES

ENTITY = Entity.__table__
EPISODE_PARENT = "episode"  # the Parent cell of a casting row whose target is an episode
MAIN_PACK = "mp"
NAME_LENGTH = Person.__table__.c.first_name.type.length
PHONE_LENGTH = Person.__table__.c.phone.type.length


def _fold(*parts):
    return tuple((p or "").strip().casefold() for p in parts)


# Casting ---------------------------------------------------------------------------

def _casting_targets(project_id):
    """({(asset type, name): id} of assets, {(episode, sequence, name): id}
    of shots, {name: id} of episodes), names case-folded."""
    entity = ENTITY.alias("e")
    parent, grand = ENTITY.alias("p"), ENTITY.alias("g")
    kind = EntityType.__table__.alias("k")
    rows = db.session.execute(
        select(entity.c.id, entity.c.name, kind.c.name, parent.c.name, grand.c.name)
        .join(kind, kind.c.id == entity.c.entity_type_id)
        .outerjoin(parent, parent.c.id == entity.c.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .where(entity.c.project_id == project_id,
               kind.c.name.notin_(("Sequence", "Scene", "Concept", "Edit"))))
    assets, shots, episodes = {}, {}, {}
    for entity_id, name, type_name, parent_name, grand_name in rows:
        if type_name == "Shot":
            shots[_fold(grand_name, parent_name, name)] = entity_id
        elif type_name == "Episode":
            episodes[_fold(name)[0]] = entity_id
        elif type_name not in TEMPORAL_ENTITY_TYPES:
            assets[_fold(type_name, name)] = entity_id
    return assets, shots, episodes


def import_casting(actor, project_id, stream, update_mode=False):
    """POST /import/csv/projects/<id>/casting: each row casts an asset into
    a shot (Episode, Parent = sequence, Name), an episode (Parent
    "Episode") or an asset (Parent = its type). Links are created or their
    count and label updated, with or without `update` as in Zou; the rest
    of the casting stays."""
    project, _ = load_project(actor, project_id)
    header, rows = read(stream, ("Parent", "Name", "Asset Type", "Asset"))
    assets, shots, episodes = _casting_targets(project.id)
    problems = Problems()
    upserts, kinds = {}, {}

    def handle(line_number, row):
        asset_id = assets.get(_fold(row["Asset Type"], row["Asset"]))
        if asset_id is None:
            raise RowError(f"Asset {row['Asset Type']} / {row['Asset']} not found")
        episode = row.get("Episode", "")
        episode = "" if episode.casefold() == MAIN_PACK else episode
        parent, name = row["Parent"], row["Name"]
        target, kind = shots.get(_fold(episode, parent, name)), "Shot"
        if target is None:
            target, kind = assets.get(_fold(parent, name)), entities.ASSET
        if target is None and parent.casefold() == EPISODE_PARENT:
            target, kind = episodes.get(_fold(name)[0]), "Episode"
        if target is None:
            raise RowError(f"Nothing to cast into: {' / '.join(p for p in (episode, parent, name) if p)}"
                           " is neither a shot, an episode nor an asset of the project")
        occurrences = row.get("Occurences", "")
        nb = integer(occurrences, "Occurences") if occurrences else 1
        if nb < 1:
            raise RowError("Occurences must be at least 1")
        label = row.get("Label", "") or "fixed"
        if len(label) > 80:
            raise RowError("Label is longer than 80 characters")
        upserts[(str(target), str(asset_id))] = (nb, _label_slug(label))
        kinds[str(target)] = kind

    each_row(rows, problems, handle)
    problems.raise_if_any()
    casting.apply_links(project.id, kinds, upserts, set(), commit=False)
    db.session.commit()
    return [{"entity_in_id": i, "entity_out_id": o, "nb_occurences": nb, "label": label}
            for (i, o), (nb, label) in upserts.items()]


def _label_slug(label):
    """Zou stores the label slugified ("Fixed" -> "fixed")."""
    return "-".join("".join(c if c.isalnum() else " " for c in label.casefold()).split())


# Task type estimations ------------------------------------------------------------

def _estimation_targets(project_id, task_type, episode_id):
    """{(parent, name) case-folded: task} of the project's tasks of the
    type: parent is the asset type of an asset, the sequence of a shot."""
    entity, parent = ENTITY.alias("e"), ENTITY.alias("p")
    kind = EntityType.__table__
    stmt = (select(Task, entity.c.name, kind.c.name, parent.c.name)
            .join(entity, entity.c.id == Task.entity_id)
            .join(kind, kind.c.id == entity.c.entity_type_id)
            .outerjoin(parent, parent.c.id == entity.c.parent_id)
            .where(Task.project_id == project_id, Task.task_type_id == task_type.id))
    if episode_id is not None:
        stmt = stmt.where(sa.or_(entity.c.source_id == episode_id,
                                 parent.c.parent_id == episode_id))
    found = {}
    for task, name, type_name, parent_name in db.session.execute(stmt):
        key = _fold(type_name if task_type.for_entity == entities.ASSET else parent_name, name)
        found[key] = task
    return found


def _business_days_after(start, days):
    current, left = start, max(int(days), 0)
    while left:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def import_estimations(actor, project_id, task_type_id, stream, episode_id=None,
                       update_mode=False):
    """POST /import/csv/projects/<id>[/episodes/<id>]/task-types/<id>/
    estimations: per row (Parent, Entity) the task's Estimation (in the
    unit Kitsu shows: hours or days), Drawings, Start date, Due date,
    Difficulty and task metadata columns. Managers, and supervisors of
    the task type's department (all of them for one without department)."""
    task_type = db.session.get(TaskType, as_uuid(task_type_id, "task type id"))
    if task_type is None:
        raise NotFound(f"No task type has the id {task_type_id}.")
    project, role = load_project(actor, project_id, ("manager", "supervisor"))
    if role == "supervisor" and not reaches_department(actor, task_type.department_id):
        raise Forbidden("Supervisors import estimations for their departments' task types only.")
    episode = None
    if episode_id not in (None, "all", "main"):
        episode = as_uuid(episode_id, "episode id")
    header, rows = read(stream, ("Parent", "Entity"))
    targets = _estimation_targets(project.id, task_type, episode)
    people = People()
    descriptors = Descriptors(project.id, "Task", header, people, task_type_id=task_type.id)
    org = organisation.get_row()
    hours = bool(org.format_duration_in_hours)
    hours_by_day = org.hours_by_day or 8
    problems = Problems()
    changes = []

    def handle(line_number, row):
        task = targets.get(_fold(row["Parent"], row["Entity"]))
        if task is None:
            raise RowError(f"No {task_type.name} task on {row['Parent']} / {row['Entity']}")
        values = {}
        estimation = row.get("Estimation", "")
        if estimation:
            amount = number(estimation, "Estimation")
            if amount < 0:
                raise RowError("Estimation cannot be negative")
            minutes = amount * 60 if hours else amount * hours_by_day * 60
            # Whole minutes unless hours were typed: 0.66 h must come back as 0.66.
            values["estimation"] = minutes if hours and abs(minutes - round(minutes)) > 1e-6 \
                else round(minutes)
        if row.get("Drawings"):
            values["nb_drawings"] = integer(row["Drawings"], "Drawings")
        for column, field in (("Start date", "start_date"), ("Due date", "due_date")):
            if row.get(column):
                values[field] = date(row[column], column)
        if "due_date" not in values and values.get("start_date") and estimation:
            days = amount / hours_by_day if hours else amount
            values["due_date"] = _business_days_after(values["start_date"], round(days) - 1)
        if values.get("start_date") and values.get("due_date") \
                and values["due_date"] < values["start_date"]:
            raise RowError("Due date is before Start date")
        if row.get("Difficulty"):
            values["difficulty"] = integer(row["Difficulty"], "Difficulty")
            if not 1 <= values["difficulty"] <= 5:
                raise RowError("Difficulty must be between 1 and 5")
        data = descriptors.values(row)
        changes.append((task, values, data))

    each_row(rows, problems, handle)
    problems.raise_if_any()
    for task, values, data in changes:
        for name, value in values.items():
            setattr(task, name, value)
        if data:
            task.data = {**(task.data or {}), **data}
        tasks.emit_update(task)
    db.session.commit()
    ids = [task.id for task, _, _ in changes]
    return crud.select_rows(crud.collection("tasks"), actor, Task.id.in_(ids)) if ids else []


# Persons --------------------------------------------------------------------------

def _choices(codes, labels=()):
    """{folded label or code: code}."""
    out = {code.casefold(): code for code in codes}
    out.update({label.casefold(): code for label, code in labels})
    return out


ROLE_CHOICES = _choices(ROLES, (("Artist", "user"), ("Studio Manager", "admin"),
                                ("Production Manager", "manager")))
CONTRACT_CHOICES = _choices(CONTRACT_TYPES)
POSITION_CHOICES = _choices(POSITIONS)
SENIORITY_CHOICES = _choices(SENIORITIES)


def _named_ids(model):
    return {name.casefold(): row_id for row_id, name in db.session.execute(
        select(model.id, model.name))}


def import_persons(actor, stream, update_mode=False):
    """POST /import/csv/persons (admin): persons by e-mail, created without
    a password, or updated with `update`; Departments replace theirs. The
    person rules (e-mail, user limit, protected accounts) are those of
    /data/persons: one that fails in pass two still writes nothing."""
    load_admin(actor)
    header, rows = read(stream, ("First Name", "Last Name", "Email"))
    existing = {email.casefold(): person_id for person_id, email in db.session.execute(
        select(Person.id, Person.email).where(Person.is_bot.is_not(True),
                                              Person.email.is_not(None)))}
    studios, departments = _named_ids(Studio), _named_ids(Department)
    problems = Problems()
    planned = {}

    def handle(line_number, row):
        try:
            email = api.Email().parse("Email", row["Email"])
        except BadRequest as exc:
            raise RowError(exc.message)
        data = {"first_name": sized(row["First Name"], "First Name", NAME_LENGTH),
                "last_name": sized(row["Last Name"], "Last Name", NAME_LENGTH)}
        for column, field, choices in (("Role", "role", ROLE_CHOICES),
                                       ("Contract Type", "contract_type", CONTRACT_CHOICES),
                                       ("Position", "position", POSITION_CHOICES),
                                       ("Seniority", "seniority", SENIORITY_CHOICES)):
            if row.get(column):
                data[field] = choice(row[column], column, choices)
        if row.get("Country"):
            data["country"] = row["Country"]
        if row.get("Daily Salary"):
            data["daily_salary"] = integer(row["Daily Salary"], "Daily Salary")
        if row.get("Phone"):
            data["phone"] = sized(row["Phone"], "Phone", PHONE_LENGTH)
        if row.get("Active"):
            data["active"] = boolean(row["Active"], "Active")
        if row.get("Studio"):
            data["studio_id"] = studios.get(row["Studio"].casefold())
            if data["studio_id"] is None:
                raise RowError(f"Studio not found: {row['Studio']}")
        department_ids = None
        if row.get("Departments"):
            department_ids = []
            for name in (n.strip() for n in row["Departments"].split(",") if n.strip()):
                if name.casefold() not in departments:
                    raise RowError(f"Department not found: {name}")
                department_ids.append(departments[name.casefold()])
        planned[email.casefold()] = (line_number, email, data, department_ids)

    each_row(rows, problems, handle)
    problems.raise_if_any()
    hooks = persons.Hooks()
    written = []
    for key, (line_number, email, data, department_ids) in planned.items():
        person_id = existing.get(key)
        if person_id is not None and not update_mode:
            written.append(person_id)
            continue
        try:
            if person_id is None:
                data = hooks.before_create(actor, {"email": email, **data})
                row = Person(**data)
                db.session.add(row)
                db.session.flush()
                events.emit("person:new", {"person_id": row.id})
            else:
                row = db.session.get(Person, person_id)
                for name, value in hooks.before_update(actor, row, data).items():
                    setattr(row, name, value)
                events.emit("person:update", {"person_id": row.id})
        except BadRequest as exc:
            db.session.rollback()
            problems.add(line_number, exc.message)
            problems.raise_if_any()
        if department_ids is not None:
            db.session.execute(sa.delete(DepartmentLink).where(
                DepartmentLink.person_id == row.id))
            if department_ids:
                db.session.execute(sa.insert(DepartmentLink), [
                    {"person_id": row.id, "department_id": d} for d in department_ids])
        written.append(row.id)
    db.session.commit()
    return crud.select_rows(crud.collection("persons"), actor, Person.id.in_(written))
