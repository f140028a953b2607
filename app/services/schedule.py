"""Production planning (behaviours.md row 28): schedule items, milestones
and production schedule versions.

Reading a schedule creates what is missing: one item per task type of the
production, and one per task type and entity group (asset type, episode,
sequence, edit), spanning today to tomorrow. Schedule versions copy task
plans (dates, estimate, assignees) in bulk, from the production or from
another version, and write them back to the tasks when applied: each step
is a handful of statements whatever the number of tasks.
"""
import datetime

import sqlalchemy as sa
from sqlalchemy import and_, delete, exists, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from app import events
from app.errors import BadRequest, Forbidden
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity
from app.models.project import Project, ProjectPersonLink, ProjectTaskTypeLink
from app.models.schedule import (
    Milestone, ProductionScheduleVersionTaskLink, ProductionScheduleVersionTaskLinkPersonLink,
    ScheduleItem,
)
from app.models.settings import EntityType, TaskType
from app.models.task import Task, TaskPersonLink
from app.permissions import project_role, require_admin, require_project_manager, \
    require_project_role
from app.services import crud, projects
from app.services.defaults import TEMPORAL_ENTITY_TYPES
from app.services.policies import ProjectData

# Task types of concepts have no place on a schedule.
SCHEDULED_KINDS = ("Asset", "Shot", "Sequence", "Episode", "Edit")
GROUPS = ("asset-types", "episodes", "sequences", "edits")
LINKS = ProductionScheduleVersionTaskLink.__table__
LINK_ASSIGNEES = ProductionScheduleVersionTaskLinkPersonLink.__table__
TASKS = Task.__table__
TASK_ASSIGNEES = TaskPersonLink.__table__
TEAM = ProjectPersonLink.__table__


class ListedPerProject(ProjectData):
    """Rows read through /data/projects/<id>/...: the raw list is for admins."""

    def list_scope(self, actor, coll, stmt):
        require_admin(actor)
        return stmt


class ItemPolicy(ListedPerProject):
    """Schedule items: the server creates them, a project manager or a
    supervisor of the task type's department moves them."""

    def __init__(self):
        super().__init__(read_roles=(), write_roles=("manager", "supervisor"),
                         admin_creates=True, admin_deletes=True)

    def update(self, actor, coll, row, data):
        super().update(actor, coll, row, data)
        # A supervisor without departments counts as in all of them.
        if project_role(actor, row.project_id) != "supervisor" or not actor.department_ids:
            return
        task_types = {str(row.task_type_id), str(data.get("task_type_id", row.task_type_id))}
        departments = db.session.scalars(select(TaskType.department_id).where(
            TaskType.id.in_([t for t in task_types if t != "None"]))).all()
        if len(departments) < len(task_types) or any(
                str(d) not in actor.department_ids for d in departments):
            raise Forbidden("Supervisors change the schedule of their departments only.")


def _project(actor, project_id, refused):
    """The project, once the actor is on its team with a role not refused."""
    project = projects.get_for(actor, project_id)
    if project_role(actor, project.id) in refused:
        raise Forbidden("Your role cannot see this production's schedule.")
    return project


# Schedule items -------------------------------------------------------------

def schedule_items(actor, project_id):
    """Every schedule item of the production, as stored."""
    project = _project(actor, project_id, ("client", "vendor"))
    return crud.select_rows(crud.collection("schedule-items"), actor,
                            ScheduleItem.project_id == project.id, sort=("start_date", "id"))


def task_type_items(actor, project_id):
    """One item per task type the production schedules, created when missing."""
    project = _project(actor, project_id, ("vendor",))
    task_types = _scheduled_task_types(project.id)
    _create_missing(project.id, select(task_types.c.id, sa.cast(sa.null(), sa.UUID)))
    return crud.select_rows(
        crud.collection("schedule-items"), actor,
        ScheduleItem.project_id == project.id, ScheduleItem.object_id.is_(None),
        ScheduleItem.task_type_id.in_(select(task_types.c.id)), sort=("start_date", "id"))


def _scheduled_task_types(project_id):
    """The task types of the production's settings or, when it has none
    yet, those its tasks use."""
    settings = select(ProjectTaskTypeLink.task_type_id).where(
        ProjectTaskTypeLink.project_id == project_id)
    used = select(Task.task_type_id).where(Task.project_id == project_id)
    configured = exists(settings)
    return select(TaskType.id).where(
        func.coalesce(TaskType.for_entity, "Asset").in_(SCHEDULED_KINDS),
        or_(and_(configured, TaskType.id.in_(settings)),
            and_(~configured, TaskType.id.in_(used)))).subquery()


def group_items(actor, project_id, task_type_id, group, episode_id=None):
    """One item per entity group of a kind (`GROUPS`) for a task type,
    created when missing, with the group's name, sorted by it."""
    project = _project(actor, project_id, ("vendor",))
    task_type = crud.load(crud.collection("task-types"), task_type_id)
    objects, name_of = _groups(project.id, group, episode_id)
    _create_missing(project.id, select(literal(task_type.id, sa.UUID), objects.c.id))
    name = select(name_of.name).where(name_of.id == ScheduleItem.object_id) \
        .scalar_subquery().label("name")
    return crud.select_rows(
        crud.collection("schedule-items"), actor,
        ScheduleItem.project_id == project.id, ScheduleItem.task_type_id == task_type.id,
        ScheduleItem.object_id.in_(select(objects.c.id)), columns=(name,), sort=("name", "id"))


def _groups(project_id, group, episode_id):
    """The ids of the production's groups of a kind (narrowed to an
    episode when given) and the table their names are in."""
    if group == "asset-types":
        stmt = select(Entity.entity_type_id.label("id")).join(
            EntityType, EntityType.id == Entity.entity_type_id).where(
            Entity.project_id == project_id, EntityType.name.not_in(TEMPORAL_ENTITY_TYPES))
        if episode_id is not None:
            stmt = stmt.where(Entity.source_id == episode_id)
        return stmt.distinct().subquery(), EntityType
    type_name = {"episodes": "Episode", "sequences": "Sequence", "edits": "Edit"}[group]
    stmt = select(Entity.id).join(EntityType, EntityType.id == Entity.entity_type_id).where(
        Entity.project_id == project_id, EntityType.name == type_name)
    if group == "edits":
        stmt = stmt.where(Entity.canceled.is_not(True))
    if episode_id is not None:
        stmt = stmt.where((Entity.id if group == "episodes" else Entity.parent_id) == episode_id)
    return stmt.subquery(), Entity


def _create_missing(project_id, pairs):
    """Insert an item for each (task_type_id, object_id) of `pairs` the
    production lacks, in one statement, and announce them."""
    # Items without an object (a task type's) never collide in the unique
    # constraint (NULLs are distinct): concurrent readers take turns.
    db.session.execute(select(func.pg_advisory_xact_lock(
        func.hashtext(f"schedule_item:{project_id}"))))
    wanted = pairs.subquery()
    task_type_id, object_id = wanted.c
    today = utc_now().date()
    now = utc_now()
    table = ScheduleItem.__table__
    created = db.session.execute(insert(table).from_select(
        ["id", "project_id", "task_type_id", "object_id", "start_date", "end_date",
         "created_at", "updated_at"],
        select(func.gen_random_uuid(), literal(project_id, sa.UUID), task_type_id, object_id,
               literal(today), literal(today + datetime.timedelta(days=1)),
               literal(now), literal(now)).where(~exists().where(
                   table.c.project_id == project_id, table.c.task_type_id == task_type_id,
                   table.c.object_id.is_not_distinct_from(object_id))),
    ).returning(table.c.id)).scalars().all()
    events.emit_many("schedule-item:new", [{"schedule_item_id": i} for i in created],
                     project_id=project_id)
    db.session.commit()


def milestones(actor, project_id):
    project = _project(actor, project_id, ("client", "vendor"))
    return crud.select_rows(crud.collection("milestones"), actor,
                            Milestone.project_id == project.id, sort=("date", "name", "id"))


# Production schedule versions -------------------------------------------------

def _version(actor, version_id, manage=False):
    version = crud.load(crud.collection("production-schedule-versions"), version_id)
    if manage:
        require_project_manager(actor, version.project_id)
    else:
        require_project_role(actor, version.project_id, ("manager", "supervisor", "user"))
    return version


def task_links(actor, version_id, task_type_id=None, relations=False):
    """The version's task plans, for one task type when given."""
    version = _version(actor, version_id)
    criteria = [LINKS.c.production_schedule_version_id == version.id]
    if task_type_id is not None:
        criteria.append(LINKS.c.task_id.in_(
            select(Task.id).where(Task.task_type_id == task_type_id)))
    return crud.select_rows(crud.collection("production-schedule-version-task-links"), actor,
                            *criteria, relations=relations)


def copy_from_production(actor, version_id):
    """Plan every task of the production in the version as it stands."""
    version = _version(actor, version_id, manage=True)
    count = _upsert_links(version.id, select(
        TASKS.c.id.label("task_id"), TASKS.c.start_date, TASKS.c.due_date, TASKS.c.estimation,
    ).where(TASKS.c.project_id == version.project_id))
    _replace_link_assignees(
        version.id, select(TASKS.c.id).where(TASKS.c.project_id == version.project_id),
        select(TASK_ASSIGNEES.c.task_id, TASK_ASSIGNEES.c.person_id))
    _announce(version)
    db.session.commit()
    return {"success": True, "task_link_count": count}


def copy_from_version(actor, version_id, source_id):
    """Plan the tasks of another version of the same production in this one."""
    version = _version(actor, version_id, manage=True)
    source = crud.load(crud.collection("production-schedule-versions"), source_id)
    if source.id == version.id:
        raise BadRequest("A schedule version cannot be copied onto itself.")
    if source.project_id != version.project_id:
        raise BadRequest("Production schedule versions must belong to the same project.")
    source_links = LINKS.alias("source")
    count = _upsert_links(version.id, select(
        source_links.c.task_id, source_links.c.start_date, source_links.c.due_date,
        source_links.c.estimation,
    ).where(source_links.c.production_schedule_version_id == source.id))
    _replace_link_assignees(
        version.id,
        select(source_links.c.task_id).where(
            source_links.c.production_schedule_version_id == source.id),
        select(source_links.c.task_id, LINK_ASSIGNEES.c.person_id).join(
            LINK_ASSIGNEES, LINK_ASSIGNEES.c.production_schedule_version_task_link_id
            == source_links.c.id).where(
            source_links.c.production_schedule_version_id == source.id))
    version.production_schedule_from = source.id
    _announce(version)
    db.session.commit()
    return {"success": True, "task_link_count": count}


def _upsert_links(version_id, plans):
    """Write (task_id, start_date, due_date, estimation) rows of `plans` as
    the version's links, replacing the plan of tasks already linked; one
    statement. Returns how many links were written."""
    plan = plans.subquery()
    now = utc_now()
    stmt = insert(LINKS).from_select(
        ["id", "production_schedule_version_id", "task_id", "start_date", "due_date",
         "estimation", "created_at", "updated_at"],
        select(func.gen_random_uuid(), literal(version_id, sa.UUID), plan.c.task_id,
               plan.c.start_date, plan.c.due_date, plan.c.estimation,
               literal(now), literal(now)))
    stmt = stmt.on_conflict_do_update(
        index_elements=["production_schedule_version_id", "task_id"],
        set_={"start_date": stmt.excluded.start_date, "due_date": stmt.excluded.due_date,
              "estimation": stmt.excluded.estimation, "updated_at": now},
    ).returning(LINKS.c.id)
    return db.session.scalar(select(func.count()).select_from(stmt.cte("written")))


def _replace_link_assignees(version_id, task_ids, assignees):
    """The version's links of `task_ids` get the (task_id, person_id) rows
    of `assignees` as their planned assignees; other links keep theirs."""
    refreshed = select(LINKS.c.id).where(LINKS.c.production_schedule_version_id == version_id,
                                        LINKS.c.task_id.in_(task_ids))
    db.session.execute(delete(LINK_ASSIGNEES).where(
        LINK_ASSIGNEES.c.production_schedule_version_task_link_id.in_(refreshed)))
    pairs = assignees.subquery()
    db.session.execute(insert(LINK_ASSIGNEES).from_select(
        ["production_schedule_version_task_link_id", "person_id"],
        select(LINKS.c.id, pairs.c.person_id).join(pairs, pairs.c.task_id == LINKS.c.task_id)
        .where(LINKS.c.production_schedule_version_id == version_id),
    ).on_conflict_do_nothing())


def _announce(version):
    events.emit("production-schedule-version:update",
                {"production_schedule_version_id": version.id}, project_id=version.project_id)


def apply_to_production(actor, version_id):
    """Write the version's plan (dates, estimate, assignees) onto the tasks,
    lock the version and record it as the production's schedule."""
    version = _version(actor, version_id, manage=True)
    linked = LINKS.c.production_schedule_version_id == version.id
    updated = db.session.execute(
        update(TASKS).values(start_date=LINKS.c.start_date, due_date=LINKS.c.due_date,
                             estimation=LINKS.c.estimation)
        .where(TASKS.c.id == LINKS.c.task_id, linked).returning(TASKS.c.id)).scalars().all()
    db.session.execute(delete(TASK_ASSIGNEES).where(
        TASK_ASSIGNEES.c.task_id.in_(select(LINKS.c.task_id).where(linked))))
    db.session.execute(insert(TASK_ASSIGNEES).from_select(
        ["task_id", "person_id"],
        select(LINKS.c.task_id, LINK_ASSIGNEES.c.person_id).join(
            LINK_ASSIGNEES, LINK_ASSIGNEES.c.production_schedule_version_task_link_id
            == LINKS.c.id).where(linked),
    ).on_conflict_do_nothing())
    # Assignees are on the team of their production, as any assignment does.
    db.session.execute(insert(TEAM).from_select(
        ["project_id", "person_id"],
        select(literal(version.project_id, sa.UUID), LINK_ASSIGNEES.c.person_id).join(
            LINKS, LINKS.c.id == LINK_ASSIGNEES.c.production_schedule_version_task_link_id)
        .where(linked).distinct(),
    ).on_conflict_do_nothing())
    events.emit_many("task:update", [{"task_id": i} for i in updated],
                     project_id=version.project_id)
    version.locked = True
    db.session.get(Project, version.project_id).from_schedule_version_id = version.id
    _announce(version)
    projects.changed(version.project_id)
    db.session.commit()
    return {"success": True, "task_count": len(updated)}
