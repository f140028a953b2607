"""Timesheets (behaviours.md row 16): the time people log per task and day,
their days off, the tables summing that time per person, the shots a
person's quota counts, and the monthly presence sheet.

A task's duration is always the sum of its time spents: every write of a
time spent (the task routes, the raw collection, a day off wiping the
days it covers) recomputes it in one UPDATE, under the lock of the task
row where the write starts from one task, so concurrent logs on a task
cannot leave a stale sum.

Who reads whose time: admins everyone's; anyone their own; a production's
managers the time logged on it, its supervisors the time logged on their
departments' tasks (a supervisor without departments: all of it).
"""
import calendar
import csv
import datetime
import io
import operator
import zoneinfo

import sqlalchemy as sa
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import aliased

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import Entity
from app.models.events import DesktopLoginLog
from app.models.person import DepartmentLink, Person
from app.models.project import Project, ProjectPersonLink
from app.models.settings import EntityType, TaskType
from app.models.task import Task, TaskPersonLink
from app.models.timesheet import DayOff, TimeSpent
from app.permissions import (
    as_uuid, project_role, require_admin, require_person, require_project_access,
    require_project_manager, team_project_ids,
)
from app.services import crud, entities, organisation, tasks
from app.services.policies import AdminOnly
from app.services.shots import timezone_of

QUOTA_MODES = ("weighted", "weighteddone", "feedback", "done")


# Input ----------------------------------------------------------------------------

def parse_date(value):
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise BadRequest(f"Wrong date format: {value!r} (expected YYYY-MM-DD).")


def period(kind, *parts):
    """[start, end) of a year, a month, an ISO week or a day, or 400."""
    try:
        numbers = [int(part) for part in parts]
        if kind == "year":
            return datetime.date(numbers[0], 1, 1), datetime.date(numbers[0] + 1, 1, 1)
        if kind == "week":
            start = datetime.date.fromisocalendar(*numbers, 1)
            return start, start + datetime.timedelta(days=7)
        if kind == "month":
            start = datetime.date(*numbers, 1)
            return start, (start + datetime.timedelta(days=31)).replace(day=1)
        start = datetime.date(*numbers)
        return start, start + datetime.timedelta(days=1)
    except (ValueError, OverflowError):
        raise BadRequest(f"Invalid {kind}: {'/'.join(map(str, parts))}.")


def date_range(start_date, end_date):
    """The optional start_date/end_date query pair: both or neither."""
    if not start_date and not end_date:
        return None
    if not (start_date and end_date):
        raise BadRequest("If querying for a range of dates, both a `start_date` and an "
                         "`end_date` must be given.")
    return parse_date(start_date), parse_date(end_date)


def _person(person_id):
    row = db.session.get(Person, as_uuid(person_id, "person id"))
    if row is None:
        raise NotFound(f"No person has the id {person_id}.")
    return row


def _human(person_id):
    """Timesheets and leave belong to people: a bot's are not served."""
    person = _person(person_id)
    if person.is_bot:
        raise Forbidden("Bots have no timesheet or days off here.")
    return person


# Task durations ----------------------------------------------------------------

def recompute_durations(task_ids, without=None):
    """Set each task's duration to the sum of its time spents (leaving out
    the time spent `without`, about to be deleted or moved away) in one
    UPDATE, and emit task:update for each. Returns {task_id: project_id}."""
    total = select(func.coalesce(func.sum(TimeSpent.duration), 0)).where(
        TimeSpent.task_id == Task.id)
    if without is not None:
        total = total.where(TimeSpent.id != without)
    rows = db.session.execute(
        update(Task).where(Task.id.in_(set(task_ids))).values(duration=total.scalar_subquery())
        .returning(Task.id, Task.project_id)
        .execution_options(synchronize_session="fetch")).all()
    for row in rows:
        tasks.emit_update(row)
    return {row.id: row.project_id for row in rows}


def _mark_presence(person_id, day):
    """A day with time logged is a day the person was there."""
    db.session.execute(update(Person).where(Person.id == person_id).values(
        last_presence=func.greatest(Person.last_presence, day)))
    events.emit("person:update", {"person_id": person_id})


def _wire(actor, *criteria, columns=(), sort=("date",)):
    """Time spents in the wire format, oldest first."""
    return crud.select_rows(crud.collection("time-spents"), actor, *criteria,
                            columns=columns, sort=sort)


# Logging time on a task ----------------------------------------------------------

# How far back artists may change their time once the studio locks timesheets.
LOCKED_AFTER_DAYS = 7


def check_write(actor, task, person, day):
    """The time spent write rule (behaviours.md section 2.3): the person is
    one of the task's assignees, and the caller is that person, an admin
    or a manager of the production. Bots log time only on productions that
    enabled bot collaboration. With the organisation's timesheets_locked
    (which Zou only stores), only admins and managers change days more than
    LOCKED_AFTER_DAYS old."""
    role = project_role(actor, task.project_id)
    if (role not in ("admin", "manager") and organisation.get_row().timesheets_locked
            and day < datetime.date.today() - datetime.timedelta(days=LOCKED_AFTER_DAYS)):
        raise Forbidden(f"Timesheets are locked: days more than {LOCKED_AFTER_DAYS} days "
                        "old are changed by managers only.")
    if person.is_bot and not db.session.scalar(
            select(Project.is_bot_collaboration_enabled).where(Project.id == task.project_id)):
        raise Forbidden("Bots log time only on productions with bot collaboration enabled.")
    if not tasks.is_assignee(person.id, task.id):
        raise Forbidden("Time is logged only for the task's assignees.")
    if str(person.id) != actor.id and role not in ("admin", "manager"):
        raise Forbidden("Only the assignee, an admin or the production's managers can "
                        "log this time.")


def log_time(actor, task_id, date, person_id, duration, add=False):
    """Set (or with `add`, increase) the person's time on the task that day."""
    day = parse_date(date)
    if duration is None or duration <= 0:
        raise BadRequest("Field 'duration' must be greater than 0.")
    task = tasks.lock(task_id)
    person = _person(person_id)
    check_write(actor, task, person, day)
    stmt = insert(TimeSpent.__table__).values(
        task_id=task.id, person_id=person.id, date=day, duration=duration)
    stmt = stmt.on_conflict_do_update(
        constraint="time_spent_uc",
        set_={"duration": TimeSpent.duration + stmt.excluded.duration if add
              else stmt.excluded.duration, "updated_at": func.now()},
    ).returning(TimeSpent.id, sa.literal_column("xmax = 0").label("inserted"))
    time_spent_id, inserted = db.session.execute(stmt).one()
    if inserted:
        _mark_presence(person.id, day)
    events.emit("time-spent:new" if inserted else "time-spent:update",
                {"time_spent_id": time_spent_id}, project_id=task.project_id)
    recompute_durations([task.id])
    answer = _wire(actor, TimeSpent.id == time_spent_id)[0]
    db.session.commit()
    return answer


def remove_time(actor, task_id, date, person_id):
    """Delete the person's time on the task that day; the deleted row."""
    day = parse_date(date)
    task = tasks.lock(task_id)
    person = _person(person_id)
    check_write(actor, task, person, day)
    where = (TimeSpent.task_id == task.id, TimeSpent.person_id == person.id,
             TimeSpent.date == day)
    answer = _wire(actor, *where)
    if not answer:
        raise NotFound("No time spent was logged by this person on this task that day.")
    db.session.execute(delete(TimeSpent).where(*where))
    events.emit("time-spent:delete", {"time_spent_id": answer[0]["id"]},
                project_id=task.project_id)
    recompute_durations([task.id])
    db.session.commit()
    return answer[0]


def task_time_spents(actor, task_id, date=None):
    """{person_id: [time spents], "total": sum} of a task (one day's with `date`)."""
    task = tasks.get_for(actor, task_id)
    criteria = [TimeSpent.task_id == task.id]
    if date is not None:
        criteria.append(TimeSpent.date == parse_date(date))
    result = {"total": 0}
    for row in _wire(actor, *criteria):
        result.setdefault(row["person_id"], []).append(row)
        result["total"] += row["duration"]
    return result


# Reading a person's time ------------------------------------------------------------

def _in_tasks(*criteria, department=False):
    stmt = select(Task.id).where(*criteria)
    if department:
        stmt = stmt.join(TaskType, TaskType.id == Task.task_type_id)
    return TimeSpent.task_id.in_(stmt)


def _others_time(actor):
    """The condition on TimeSpent rows of other people the actor reads:
    None for admins (everything), False when they read none (neither
    manager nor supervisor anywhere)."""
    if actor.is_admin:
        return None
    managed = team_project_ids(actor, roles=("manager",))
    supervised = team_project_ids(actor, roles=("supervisor",))
    if not db.session.scalar(select(team_project_ids(
            actor, roles=("manager", "supervisor")).exists())):
        return False
    in_departments = (TaskType.department_id.in_([as_uuid(d) for d in actor.department_ids])
                      if actor.department_ids else sa.true())
    return or_(_in_tasks(Task.project_id.in_(managed)),
               _in_tasks(Task.project_id.in_(supervised), in_departments, department=True))


def visible_time(actor):
    """The condition on TimeSpent rows the actor reads (None: all)."""
    others = _others_time(actor)
    if others is None:
        return None
    mine = TimeSpent.person_id == actor.person.id
    return mine if others is False else or_(mine, others)


def _person_time(actor, person_id):
    """The person, and the condition on their time spents the actor reads
    (None: all); 403 for a caller who reads none of it."""
    person = _human(person_id)
    if actor.is_admin or str(person.id) == actor.id:
        return person, None
    others = _others_time(actor)
    if others is False:
        raise Forbidden("Only admins, the person and their managers or supervisors can "
                        "read this time.")
    return person, others


def _with(criteria, condition):
    return criteria if condition is None else [*criteria, condition]


def person_time_spents(actor, person_id, start_date=None, end_date=None):
    """All the person's time spents, or those of a date range with the
    project and task type of their task."""
    person, scope = _person_time(actor, person_id)
    span = date_range(start_date, end_date)
    criteria = _with([TimeSpent.person_id == person.id], scope)
    if span is None:
        return _wire(actor, *criteria)
    task = select(Task).where(Task.id == TimeSpent.task_id)
    return _wire(actor, *criteria, TimeSpent.date.between(*span), columns=(
        task.with_only_columns(Task.project_id).scalar_subquery().label("project_id"),
        task.with_only_columns(Task.task_type_id).scalar_subquery().label("task_type_id")))


def person_day_time_spents(actor, person_id, date):
    person, scope = _person_time(actor, person_id)
    return _wire(actor, *_with([TimeSpent.person_id == person.id,
                         TimeSpent.date == parse_date(date)], scope))


def person_month_all(actor, person_id, year, month):
    """Every time spent of the month, for the person themselves or an admin."""
    person = _human(person_id)
    if not (actor.is_admin or str(person.id) == actor.id):
        raise Forbidden("Only the person themselves or an admin can read this.")
    start, end = period("month", year, month)
    return _wire(actor, TimeSpent.person_id == person.id, TimeSpent.date >= start,
                 TimeSpent.date < end)


def person_period_totals(actor, person_id, kind, *parts, project_id=None):
    """The person's time over a year, month, week or day, summed per task,
    with the names a timesheet shows (project, entity, sequence, episode)."""
    person, scope = _person_time(actor, person_id)
    start, end = period(kind, *parts)
    sequence, episode = aliased(Entity, name="sequence"), aliased(Entity, name="episode")
    criteria = _with([TimeSpent.person_id == person.id, TimeSpent.date >= start,
                      TimeSpent.date < end], scope)
    if project_id is not None:
        criteria.append(Task.project_id == as_uuid(project_id, "project id"))
    stmt = (select(Task.id.label("task_id"), Task.task_type_id,
                   Project.id.label("project_id"), Project.name.label("project_name"),
                   Entity.name.label("entity_name"),
                   EntityType.name.label("entity_type_name"),
                   sequence.name.label("sequence_name"), episode.name.label("episode_name"),
                   func.sum(TimeSpent.duration).label("duration"))
            .select_from(TimeSpent).join(Task, Task.id == TimeSpent.task_id)
            .join(Project, Project.id == Task.project_id)
            .join(Entity, Entity.id == Task.entity_id)
            .join(EntityType, EntityType.id == Entity.entity_type_id)
            .outerjoin(sequence, sequence.id == Entity.parent_id)
            .outerjoin(episode, episode.id == sequence.parent_id)
            .where(*criteria)
            .group_by(Task.id, Project.id, Entity.id, EntityType.id, sequence.id, episode.id)
            .order_by(Project.name, Entity.name))
    return [dict(row) for row in db.session.execute(stmt).mappings()]


def table(actor, unit, year=None, month=None, project_id=None, department_id=None,
          studio_id=None):
    """{unit: {person_id: duration}}: logged time summed per person and per
    year (all time), month or ISO week (of `year`), or day (of `month`),
    over the time the actor reads, narrowed by production, department of
    the task type and studio of the person."""
    criteria = []
    scope = visible_time(actor)
    if scope is not None:
        criteria.append(scope)
    if month is not None:
        start, end = period("month", year, month)
        criteria += [TimeSpent.date >= start, TimeSpent.date < end]
    elif year is not None:
        start, end = period("year", year)
        criteria += [TimeSpent.date >= start, TimeSpent.date < end]
    if project_id:
        criteria.append(_in_tasks(Task.project_id == as_uuid(project_id, "project id")))
    if department_id:
        criteria.append(_in_tasks(TaskType.department_id == as_uuid(department_id,
                                                                     "department id"),
                                  department=True))
    if studio_id:
        criteria.append(TimeSpent.person_id.in_(select(Person.id).where(
            Person.studio_id == as_uuid(studio_id, "studio id"))))
    key = sa.cast(sa.cast(func.extract(unit, TimeSpent.date), sa.Integer), sa.Text)
    result = {}
    for key_value, person_id, total in db.session.execute(
            select(key, TimeSpent.person_id, func.sum(TimeSpent.duration))
            .where(*criteria).group_by(key, TimeSpent.person_id)):
        result.setdefault(key_value, {})[str(person_id)] = total
    return result


# The caller's own time (/data/user: people only) ------------------------------------

def own_time_spents(actor, start_date=None, end_date=None, date=None):
    require_person(actor)
    if date is not None:
        return person_day_time_spents(actor, actor.id, date)
    return person_time_spents(actor, actor.id, start_date, end_date)


def own_task_time_spent(actor, task_id, date):
    """The caller's time spent on the task that day, or None."""
    require_person(actor)
    rows = _wire(actor, TimeSpent.person_id == actor.person.id,
                 TimeSpent.task_id == as_uuid(task_id, "task id"),
                 TimeSpent.date == parse_date(date))
    return rows[0] if rows else None


def own_day_off(actor, date):
    require_person(actor)
    return person_day_off(actor, actor.id, date)


# A production's time ----------------------------------------------------------------

def project_time_spents(actor, project_id):
    """Every time spent logged on the production (its team but clients
    and vendors)."""
    role = require_project_access(actor, project_id)
    if role in ("client", "vendor"):
        raise Forbidden("Clients and vendors cannot read the production's timesheets.")
    return crud.select_json(crud.collection("time-spents"), actor,
                            _in_tasks(Task.project_id == as_uuid(project_id, "project id")),
                            sort=("date",))


def task_type_time_spents(actor, project_id, task_type_id, start_date=None, end_date=None):
    """{person_id: [time spents, newest first]} on the production's tasks
    of the task type (its managers)."""
    require_project_manager(actor, project_id)
    criteria = [_in_tasks(Task.project_id == as_uuid(project_id, "project id"),
                          Task.task_type_id == as_uuid(task_type_id, "task type id"))]
    if start_date:
        criteria.append(TimeSpent.date >= parse_date(start_date))
    if end_date:
        criteria.append(TimeSpent.date <= parse_date(end_date))
    result = {}
    for row in reversed(_wire(actor, *criteria)):
        result.setdefault(row["person_id"], []).append(row)
    return result


# Days off -------------------------------------------------------------------------

def _shares_department(actor, person_column):
    """The person (column) is in one of the actor's departments (any
    person, for an actor without departments)."""
    if not actor.department_ids:
        return sa.true()
    return person_column.in_(select(DepartmentLink.person_id).where(
        DepartmentLink.department_id.in_([as_uuid(d) for d in actor.department_ids])))


def _teams_of(roles, actor):
    """Persons on the teams of the productions where the actor has one of `roles`."""
    return select(ProjectPersonLink.person_id).where(ProjectPersonLink.project_id.in_(
        team_project_ids(actor, open_only=False, roles=roles)))


def _day_off_readers(actor, person):
    """(condition on the person column for the people whose leave the
    actor reads, condition for those they read with the description):
    admins and the person read everything; a production's managers the
    leave of its team; its supervisors the dates of their departments'
    people. (None, None) for admins."""
    if actor.is_admin:
        return None, None
    whole = or_(person == actor.person.id, person.in_(_teams_of(("manager",), actor)))
    dates = and_(person.in_(_teams_of(("supervisor",), actor)),
                 _shares_department(actor, person))
    return or_(whole, dates), whole


def _day_off_rows(actor, criteria, whole):
    """Day offs in the wire format, oldest first; the description only on
    the rows matching `whole`."""
    rows = crud.select_rows(crud.collection("day-offs"), actor, *criteria,
                            columns=(whole.label("whole"),), sort=("date",))
    for row in rows:
        if not row.pop("whole"):
            row.pop("description", None)
    return rows


def _day_offs(actor, *criteria):
    """The day offs matching `criteria` of the people whose leave the actor reads."""
    readable, whole = _day_off_readers(actor, DayOff.person_id)
    if readable is None:
        return _day_off_rows(actor, criteria, sa.true())
    return _day_off_rows(actor, (*criteria, readable), whole)


def day_off_access(actor, person_id):
    """Whether the actor reads the person's leave with its description
    (True) or its dates only (False); 403 when not at all."""
    readable, whole = _day_off_readers(actor, sa.literal(as_uuid(person_id), sa.UUID))
    if readable is None:
        return True
    can_read, with_description = db.session.execute(select(readable, whole)).one()
    if not can_read:
        raise Forbidden("Only the person, an admin, or their managers and supervisors can "
                        "read these days off.")
    return with_description


def _overlapping(start, end):
    """Day offs sharing a day with [start, end] (both included)."""
    return and_(DayOff.date <= end, DayOff.end_date >= start)


def person_day_offs(actor, person_id, kind=None, *parts):
    """The person's days off, all or those touching a year, month or week."""
    person = _human(person_id)
    day_off_access(actor, person.id)
    criteria = [DayOff.person_id == person.id]
    if kind is not None:
        start, end = period(kind, *parts)
        criteria.append(_overlapping(start, end - datetime.timedelta(days=1)))
    return _day_offs(actor, *criteria)


def person_day_off(actor, person_id, date):
    """The person's day off covering the date, or {}."""
    person = _human(person_id)
    day_off_access(actor, person.id)
    day = parse_date(date)
    rows = _day_offs(actor, DayOff.person_id == person.id, _overlapping(day, day))
    return rows[0] if rows else {}


def day_offs(actor, year, month=None):
    """The days off touching a year or month, of every person whose leave
    the actor reads."""
    start, end = period("year", year) if month is None else period("month", year, month)
    return _day_offs(actor, _overlapping(start, end - datetime.timedelta(days=1)))


def project_day_offs(actor, project_id, start_date=None, end_date=None):
    """{person_id: [day offs]} of the production's team (not for clients
    and vendors); only its managers, and each person for their own, get
    the descriptions."""
    role = require_project_access(actor, project_id)
    if role in ("client", "vendor"):
        raise Forbidden("Clients and vendors cannot read the team's days off.")
    project = as_uuid(project_id, "project id")
    criteria = [DayOff.person_id.in_(select(ProjectPersonLink.person_id).where(
        ProjectPersonLink.project_id == project))]
    if start_date:
        criteria.append(DayOff.end_date >= parse_date(start_date))
    if end_date:
        criteria.append(DayOff.date <= parse_date(end_date))
    whole = sa.true() if role in ("admin", "manager") else DayOff.person_id == actor.person.id
    result = {}
    for row in _day_off_rows(actor, criteria, whole):
        result.setdefault(row["person_id"], []).append(row)
    return result


def _check_span(start, end, person_id, exclude_id=None):
    """A day off ends on or after its first day and overlaps no other day
    off of the same person."""
    if end < start:
        raise BadRequest("A day off cannot end before it starts.")
    if person_id is None:
        return
    overlap = select(DayOff.id).where(DayOff.person_id == as_uuid(person_id),
                                      _overlapping(start, end))
    if exclude_id is not None:
        overlap = overlap.where(DayOff.id != exclude_id)
    if db.session.scalar(select(overlap.exists())):
        raise BadRequest("Day off already exists for this period")


def _clear_time(day_off):
    """Nobody works on a day off: the person's time spents inside it are
    deleted and the durations of their tasks recomputed."""
    if day_off.person_id is None:
        return
    removed = db.session.execute(delete(TimeSpent).where(
        TimeSpent.person_id == day_off.person_id,
        TimeSpent.date.between(day_off.date, day_off.end_date))
        .returning(TimeSpent.id, TimeSpent.task_id)).all()
    if not removed:
        return
    projects = recompute_durations({row.task_id for row in removed})
    for row in removed:
        events.emit("time-spent:delete", {"time_spent_id": row.id},
                    project_id=projects.get(row.task_id))


# The raw collections ------------------------------------------------------------------

class DayOffHooks(crud.Hooks):
    """The raw day-offs collection (self or admin, the Own policy): no
    overlap, and no time logged inside a day off."""

    def before_create(self, actor, data):
        _check_span(data["date"], data["end_date"], data.get("person_id"))
        return data

    def after_create(self, actor, row, **inputs):
        _clear_time(row)

    def before_update(self, actor, row, data):
        _check_span(data.get("date", row.date), data.get("end_date", row.end_date),
                    data.get("person_id", row.person_id), exclude_id=row.id)
        return data

    def after_update(self, actor, row, data):
        _clear_time(row)


class TimeSpentPolicy(AdminOnly):
    """Admins only, but a time spent may also be deleted under the rule
    that writes it (admins delete any, such as those of a former assignee)."""

    def delete(self, actor, coll, row):
        if not actor.is_admin:
            check_write(actor, tasks.load(row.task_id), _person(row.person_id), row.date)


class TimeSpentHooks(crud.Hooks):
    """Raw writes keep the task durations (and the last presence) right;
    lists take a start_date / end_date range as Zou's does."""

    def list_criteria(self, actor, args):
        table = TimeSpent.__table__
        return [op(table.c.date, parse_date(args[name]))
                for name, op in (("start_date", operator.ge), ("end_date", operator.le))
                if args.get(name)]

    def after_create(self, actor, row, **inputs):
        _mark_presence(row.person_id, row.date)
        recompute_durations([row.task_id])

    def before_update(self, actor, row, data):
        if "task_id" in data and str(data["task_id"]) != str(row.task_id):
            recompute_durations([row.task_id], without=row.id)
        return data

    def after_update(self, actor, row, data):
        recompute_durations([row.task_id])

    def before_delete(self, actor, row, force):
        recompute_durations([row.task_id], without=row.id)


# Quota shots ------------------------------------------------------------------------

def _business_days(start, end):
    """Week days after `start` up to `end` (both datetimes)."""
    return sum(1 for n in range(1, (end - start).days + 1)
               if (start + datetime.timedelta(days=n)).weekday() < 5)


def _spread_weight(task_start, task_end, start, end):
    """The share of a task's working days (real start to feedback or done)
    that falls inside [start, end]: how much of an untimed task counts."""
    days = _business_days(task_start, task_end) + 1
    if task_start >= start and task_end <= end:
        inside = days
    elif task_start >= start:
        inside = _business_days(task_start, end) + 1
    elif task_end <= end:
        inside = _business_days(start, task_end) + 1
    else:
        inside = 1
    return round(inside / days, 2)


def _utc(day, zone):
    return datetime.datetime.combine(day, datetime.time.min, zone) \
        .astimezone(datetime.timezone.utc).replace(tzinfo=None)


def quota_shots(actor, person_id, kind, *parts, project_id=None, task_type_id=None,
                count_mode="weighted"):
    """The shots a person's quota counts over a month, week or day, each
    with its weight: weighted modes share a task out by the time the person
    logged in the period over the task's whole duration, or, for a task
    without logged time, by the part of its working days inside the period;
    the other modes count each shot finished (feedback or done) in the
    period once. Readable by the person, admins, and with `project_id`, the
    production's managers and supervisors."""
    person = _human(person_id)
    if not (actor.is_admin or str(person.id) == actor.id or (
            project_id is not None
            and project_role(actor, project_id) in ("manager", "supervisor"))):
        raise Forbidden("Only the person, an admin, or with a production, its managers and "
                        "supervisors can read these quotas.")
    start, end = period(kind, *parts)
    zone = zoneinfo.ZoneInfo(timezone_of(actor))
    utc_start, utc_end = _utc(start, zone), _utc(end, zone)
    finished = Task.done_date if "done" in count_mode else Task.end_date
    criteria = [Entity.entity_type_id == entities.entity_type_id("Shot"),
                finished.is_not(None)]
    if project_id is not None:
        criteria.append(Task.project_id == as_uuid(project_id, "project id"))
    if task_type_id is not None:
        criteria.append(Task.task_type_id == as_uuid(task_type_id, "task type id"))
    assigned = select(TaskPersonLink.task_id).where(TaskPersonLink.task_id == Task.id,
                                                    TaskPersonLink.person_id == person.id)
    shots = select(Entity.id).select_from(Task).join(Entity, Entity.id == Task.entity_id) \
        .where(*criteria)
    if "weighted" not in count_mode:
        weights = {row.id: 1 for row in db.session.execute(shots.where(
            assigned.exists(), finished.between(utc_start, utc_end)).distinct())}
    else:
        share = func.round(sa.cast(TimeSpent.duration / Task.duration, sa.Numeric), 2)
        weights = {shot_id: float(weight) for shot_id, weight in db.session.execute(
            shots.add_columns(func.sum(share)).join(TimeSpent, TimeSpent.task_id == Task.id)
            .where(TimeSpent.person_id == person.id, TimeSpent.date >= start,
                   TimeSpent.date < end, Task.duration > 0).group_by(Entity.id))}
        untimed = shots.add_columns(Task.real_start_date, finished).where(
            assigned.exists(), Task.real_start_date.is_not(None),
            Task.real_start_date <= utc_end, finished >= utc_start,
            ~select(TimeSpent.id).where(TimeSpent.task_id == Task.id).exists())
        bounds = (datetime.datetime.combine(start, datetime.time.min),
                  datetime.datetime.combine(end, datetime.time.min))
        for shot_id, task_start, task_end in db.session.execute(untimed):
            weights.setdefault(shot_id, _spread_weight(task_start, task_end, *bounds))
    if not weights:
        return []
    sequence, episode = aliased(Entity, name="sequence"), aliased(Entity, name="episode")
    parents = select(func.concat_ws(" / ", episode.name, sequence.name)).select_from(sequence) \
        .outerjoin(episode, episode.id == sequence.parent_id) \
        .where(sequence.id == Entity.parent_id).scalar_subquery()
    rows = crud.select_rows(crud.collection("entities"), actor, Entity.id.in_(list(weights)),
                            columns=(func.concat_ws(" / ", parents, Entity.name)
                                     .label("full_name"),), sort=("full_name",))
    for row in rows:
        row["weight"] = weights[as_uuid(row["id"])]
    return rows


# Presence -------------------------------------------------------------------------

def presence_logs(actor, month_date):
    """The month's presence sheet as CSV (admins): a row per active person,
    an "X" on each day they signed in from a DCC."""
    require_admin(actor)
    try:
        start = datetime.datetime.strptime(month_date, "%Y-%m")
    except ValueError:
        raise BadRequest("Invalid month or year.")
    nb_days = calendar.monthrange(start.year, start.month)[1]
    end = start + datetime.timedelta(days=nb_days)
    days = select(func.array_agg(sa.distinct(sa.cast(func.extract("day", DesktopLoginLog.date),
                                                       sa.Integer)))).where(
        DesktopLoginLog.person_id == Person.id, DesktopLoginLog.date >= start,
        DesktopLoginLog.date < end).scalar_subquery()
    rows = db.session.execute(
        select(Person.first_name, Person.last_name, days)
        .where(Person.active.is_(True), Person.is_guest.isnot(True),
               Person.preview_project_id.is_(None))
        .order_by(Person.first_name, Person.last_name))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([str(start.year)] + [str(day) for day in range(1, nb_days + 1)])
    for first_name, last_name, present in rows:
        present = set(present or ())
        writer.writerow([f"{first_name} {last_name}"]
                        + ["X" if day in present else "" for day in range(1, nb_days + 1)])
    return out.getvalue()
