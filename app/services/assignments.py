"""Who works on a task (behaviours.md row 13): assigning people, clearing
assignations, and the rule deciding who may do either.

Assigning: the project's managers (and admins); a supervisor for a task
type of one of their departments and an assignee sharing one of their
departments (a supervisor without departments reaches everything); an
artist or supervisor taking a task of their own department's task type for
themselves. Bots are assignees only where the project enables bot
collaboration; preview accounts never. Unassigning: managers, supervisors
of the task type's department, and assignees taking themselves off.

The batch routes go through the same rule per task and skip the tasks it
refuses (or that do not exist) without a word, as Zou does. The assignee
joins the project's team; the assignation is notified to them unless they
assigned themselves.
"""
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.person import DepartmentLink, Person
from app.models.project import Project, ProjectPersonLink
from app.models.settings import TaskType
from app.models.task import Task, TaskPersonLink
from app.permissions import as_uuid, project_role, reaches_department
from app.services import crud, notifications, projects

# Roles that never take a task for themselves: outsiders get work assigned.
NO_SELF_ASSIGN = ("client", "vendor")


def task_rows(task_ids):
    """(id, project_id, entity_id, task_type_id, department_id) of the
    existing tasks among `task_ids`, in their order; one query."""
    ids = [as_uuid(i, "task id") for i in dict.fromkeys(task_ids)]
    found = {r.id: r for r in db.session.execute(
        select(Task.id, Task.project_id, Task.entity_id, Task.task_type_id,
               TaskType.department_id)
        .outerjoin(TaskType, TaskType.id == Task.task_type_id).where(Task.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def may_assign(actor, task, person, person_departments):
    role = project_role(actor, task.project_id)
    if role is None:
        return False
    if role in ("admin", "manager"):
        return True
    if role == "supervisor" and reaches_department(actor, task.department_id) and (
            not actor.department_ids or person_departments & set(actor.department_ids)):
        return True
    return (role not in NO_SELF_ASSIGN and str(person.id) == actor.id
            and task.department_id is not None
            and str(task.department_id) in actor.department_ids)


def may_unassign(actor, task, person_id, assigned_to_actor):
    role = project_role(actor, task.project_id)
    if role is None:
        return False
    if role in ("admin", "manager") or (role == "supervisor"
                                         and reaches_department(actor, task.department_id)):
        return True
    return assigned_to_actor and person_id == actor.id


def _assignee(person_id):
    """The person to assign, or 400 (Zou's answer for an unknown assignee)."""
    person = db.session.get(Person, as_uuid(person_id, "person id"))
    if person is None:
        raise BadRequest("Assignee doesn't exist in database.")
    if person.preview_project_id is not None:
        raise BadRequest("A preview account cannot be assigned to tasks.")
    return person


def _bots_welcome(project_ids):
    """The projects among `project_ids` that accept bots as assignees."""
    return set(db.session.scalars(select(Project.id).where(
        Project.id.in_(project_ids), Project.is_bot_collaboration_enabled.is_(True))))


def _departments(person_id):
    return {str(d) for d in db.session.scalars(
        select(DepartmentLink.department_id).where(DepartmentLink.person_id == person_id))}


def join_teams(person_id, project_ids):
    """Put the person on these projects' teams (those they are not on yet,
    whose members then reload the production)."""
    if not project_ids:
        return
    added = db.session.scalars(
        insert(ProjectPersonLink).values([{"project_id": p, "person_id": person_id}
                                          for p in project_ids])
        .on_conflict_do_nothing(index_elements=[ProjectPersonLink.project_id,
                                                ProjectPersonLink.person_id])
        .returning(ProjectPersonLink.project_id))
    for project_id in added:
        projects.changed(project_id)


def link(actor, person, tasks):
    """Assign the person to `tasks` (rows of task_rows): one statement per
    table, task:assign and an assignation notification for each new
    assignation, task:update for every task (its assigner changed)."""
    ids = [t.id for t in tasks]
    new = set(db.session.scalars(
        insert(TaskPersonLink).values([{"task_id": i, "person_id": person.id} for i in ids])
        .on_conflict_do_nothing().returning(TaskPersonLink.task_id)))
    db.session.execute(update(Task).where(Task.id.in_(ids))
                       .values(assigner_id=actor.person.id, updated_at=utc_now()))
    by_project = {}
    for task in tasks:
        by_project.setdefault(task.project_id, []).append(task)
    for project_id, group in by_project.items():
        events.emit_many("task:assign", [{"task_id": t.id, "person_id": person.id}
                                         for t in group if t.id in new], project_id=project_id)
        events.emit_many("task:update", [{"task_id": t.id} for t in group],
                         project_id=project_id)
    if str(person.id) != actor.id:
        for task in tasks:
            if task.id in new:
                notifications.notify([person.id], "assignation", actor.person.id, task=task)
    join_teams(person.id, list(by_project))


def _answer(actor, task_ids, relations=True):
    """The tasks in the wire format (assignees included), in `task_ids` order."""
    rows = {r["id"]: r for r in crud.select_rows(
        crud.collection("tasks"), actor, Task.id.in_(task_ids), relations=relations)}
    return [rows[str(i)] for i in task_ids if str(i) in rows]


def assign_tasks(actor, person_id, task_ids):
    """PUT /actions/persons/<id>/assign: the tasks (of any project) the
    actor may give to the person, assigned; the others skipped. Returns
    the tasks assigned."""
    person = _assignee(person_id)
    tasks = task_rows(task_ids)
    welcome = _bots_welcome({t.project_id for t in tasks}) if person.is_bot else None
    departments = _departments(person.id)
    done = [t for t in tasks
            if (welcome is None or t.project_id in welcome)
            and may_assign(actor, t, person, departments)]
    if done:
        link(actor, person, done)
    db.session.commit()
    return _answer(actor, [t.id for t in done])


def assign_task(actor, task_id, person_id):
    """PUT /actions/tasks/<id>/assign: one task, with 404/403 rather than a skip."""
    tasks = task_rows([task_id])
    if not tasks:
        raise NotFound(f"No task has the id {task_id}.")
    person = _assignee(person_id)
    task = tasks[0]
    if person.is_bot and not _bots_welcome({task.project_id}):
        raise Forbidden("Bots are assignees only in projects with bot collaboration enabled.")
    if not may_assign(actor, task, person, _departments(person.id)):
        raise Forbidden("You may not assign this person to this task.")
    link(actor, person, [task])
    db.session.commit()
    return _answer(actor, [task.id])[0]


def clear_assignations(actor, task_ids, person_id=None):
    """PUT /actions/tasks/clear-assignation: take the person (everyone
    without one) off the tasks the actor may unassign; task:unassign per
    assignation removed, task:update per task. Returns the ids done."""
    person_id = str(as_uuid(person_id, "person id")) if person_id else None
    tasks = task_rows(task_ids)
    mine = set(db.session.scalars(select(TaskPersonLink.task_id).where(
        TaskPersonLink.person_id == actor.person.id,
        TaskPersonLink.task_id.in_([t.id for t in tasks])))) if tasks else set()
    done = [t for t in tasks if may_unassign(actor, t, person_id, t.id in mine)]
    if done:
        stmt = delete(TaskPersonLink).where(TaskPersonLink.task_id.in_([t.id for t in done]))
        if person_id:
            stmt = stmt.where(TaskPersonLink.person_id == person_id)
        removed = db.session.execute(
            stmt.returning(TaskPersonLink.task_id, TaskPersonLink.person_id)).all()
        project_of = {t.id: t.project_id for t in done}
        for project_id in set(project_of.values()):
            events.emit_many("task:unassign", [
                {"task_id": r.task_id, "person_id": r.person_id} for r in removed
                if project_of[r.task_id] == project_id], project_id=project_id)
            events.emit_many("task:update", [{"task_id": t.id} for t in done
                                             if t.project_id == project_id],
                             project_id=project_id)
    db.session.commit()
    return [str(t.id) for t in done]


def replace_assignees(actor, row, person_ids):
    """A raw PUT of the task's assignees (managers): the new ones are
    checked like any assignee, join the team, are notified and announced
    (task:assign), the removed ones announced (task:unassign)."""
    wanted = {as_uuid(p, "person id") for p in person_ids}
    persons = db.session.scalars(select(Person).where(Person.id.in_(wanted))).all()
    if len(persons) != len(wanted):
        raise BadRequest("Field 'assignees' names ids that do not exist.")
    if any(p.preview_project_id is not None for p in persons):
        raise BadRequest("A preview account cannot be assigned to tasks.")
    if any(p.is_bot for p in persons) and not _bots_welcome({row.project_id}):
        raise Forbidden("Bots are assignees only in projects with bot collaboration enabled.")
    before = set(db.session.scalars(
        select(TaskPersonLink.person_id).where(TaskPersonLink.task_id == row.id)))
    added, removed = wanted - before, before - wanted
    events.emit_many("task:assign", [{"task_id": row.id, "person_id": p} for p in added],
                     project_id=row.project_id)
    events.emit_many("task:unassign", [{"task_id": row.id, "person_id": p} for p in removed],
                     project_id=row.project_id)
    notifications.notify([p for p in added if str(p) != actor.id], "assignation",
                         actor.person.id, task=row)
    for person_id in added:
        join_teams(person_id, [row.project_id])
