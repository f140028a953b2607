"""Tasks: the access-checked loaders every task route goes through, who may
act on a task (behaviours.md section 2.3), and the status rules (row 13-14)
shared by comments, status automations and raw task updates.

A status change moves the task's dates and retake count the same way
whichever door it comes through: a comment, a back-dated comment (the
whole history is folded again), or a plain PUT of task_status_id (which
Zou lets skip the rules).
"""
import sqlalchemy as sa
from sqlalchemy import delete as sa_delete
from sqlalchemy import select
from sqlalchemy import update as sa_update

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.comment import Comment
from app.models.entity import Entity
from app.models.files import AttachmentFile, PreviewFile
from app.models.project import Project
from app.models.settings import TaskStatus, TaskType
from app.models.task import Task, TaskPersonLink
from app.permissions import as_uuid, project_role, reaches_department, require_admin, \
    require_project_access, require_project_manager
from app.services import assignments, attachments, crud, storage
from app.services.projects import TABLES, delete_matching, ids_of

# Roles whose members may act on any task of their project (clients:
# comment and annotate, with client-allowed statuses only).
ACTING_ROLES = ("admin", "manager", "client")


# Loading ------------------------------------------------------------------------

def load(task_id):
    row = db.session.get(Task, as_uuid(task_id, "task id"))
    if row is None:
        raise NotFound(f"No task has the id {task_id}.")
    return row


def is_assignee(person_id, task_id):
    return bool(db.session.scalar(select(
        select(TaskPersonLink.task_id).where(TaskPersonLink.task_id == task_id,
                                             TaskPersonLink.person_id == person_id).exists())))


def assignee_ids(task_id):
    return list(db.session.scalars(
        select(TaskPersonLink.person_id).where(TaskPersonLink.task_id == task_id)))


def check_read(actor, task):
    """The actor's role in the task's project, once they may see the task:
    on the team and, for vendors, assigned to it."""
    role = require_project_access(actor, task.project_id)
    if role == "vendor" and not is_assignee(actor.person.id, task.id):
        raise Forbidden("Vendors only see the tasks assigned to them.")
    return role


def get_for(actor, task_id):
    """The task, once the actor may see it (see check_read)."""
    task = load(task_id)
    check_read(actor, task)
    return task


# Acting on a task ---------------------------------------------------------------

def in_task_department(actor, task):
    """A supervisor's reach: the task type belongs to one of their
    departments (a supervisor without departments reaches them all)."""
    return not actor.department_ids or reaches_department(actor, db.session.scalar(
        select(TaskType.department_id).where(TaskType.id == task.task_type_id)))


def action_role(actor, task):
    """The actor's role in the task's project when they may act on the task
    (comment with a status, publish a preview, update a working file):
    admins, the project's managers and clients, its assignees, a supervisor
    of the task type's department, the creator of the task's entity.
    None otherwise."""
    role = project_role(actor, task.project_id)
    if role is None:
        return None
    if role in ACTING_ROLES or is_assignee(actor.person.id, task.id):
        return role
    if role == "supervisor" and in_task_department(actor, task):
        return role
    created_by = db.session.scalar(select(Entity.created_by).where(Entity.id == task.entity_id))
    if created_by is not None and created_by == actor.person.id:
        return role
    return None


def check_action(actor, task):
    role = action_role(actor, task)
    if role is None:
        check_read(actor, task)
        raise Forbidden("Only the task's assignees, its department's supervisors and the "
                        "project's managers can act on this task.")
    return role


# Statuses ------------------------------------------------------------------------

def load_status(status_id):
    row = db.session.get(TaskStatus, as_uuid(status_id, "task status id"))
    if row is None:
        raise NotFound(f"No task status has the id {status_id}.")
    return row


def status_values(state, previous, status, when):
    """What moving from status `previous` to `status` at `when` changes on a
    task whose current values are `state` (a mapping with retake_count and
    real_start_date): one more retake on a retake status, the real start on
    the first work-in-progress, the end date on a feedback request, the done
    date on a done status (each cleared when the task moves back)."""
    values = {"task_status_id": status.id}
    if previous is not None and previous.id == status.id:
        return values
    if status.is_retake:
        values["retake_count"] = (state.get("retake_count") or 0) + 1
    if status.is_wip and state.get("real_start_date") is None:
        values["real_start_date"] = when
    if status.is_feedback_request:
        values["end_date"] = when
    elif not status.is_done:
        # A done task keeps the date its work was handed in.
        values["end_date"] = None
    values["done_date"] = when if status.is_done else None
    return values


def _state(task):
    return {"retake_count": task.retake_count, "real_start_date": task.real_start_date}


def change_status(task, status, when=None, person_id=None):
    """Apply a status change to the task row (with its date rules) and
    record task:update and task:status-changed (and task:to-review on a
    feedback request). Returns the previous status."""
    previous = db.session.get(TaskStatus, task.task_status_id) if task.task_status_id else None
    when = when or utc_now()
    for key, value in status_values(_state(task), previous, status, when).items():
        setattr(task, key, value)
    if previous is None or previous.id != status.id:
        emit_status_changed(task, previous, status, person_id)
    return previous


def emit_status_changed(task, previous, status, person_id):
    events.emit("task:status-changed", {
        "task_id": task.id, "new_task_status_id": status.id,
        "previous_task_status_id": previous.id if previous else None,
        "person_id": person_id, "shotgun_id": task.shotgun_id}, project_id=task.project_id)
    if status.is_feedback_request:
        events.emit("task:to-review", {
            "task_id": task.id, "task_shotgun_id": task.shotgun_id,
            "person_id": person_id}, project_id=task.project_id)


def default_status_id(task):
    from app.services.entity_tasks import default_status

    is_concept = db.session.scalar(select(Entity.entity_type_id).where(
        Entity.id == task.entity_id)) == _concept_type_id()
    return default_status(is_concept).id


def _concept_type_id():
    from app.services.entities import entity_type_id

    return entity_type_id("Concept")


def recompute(task):
    """Fold the task's whole comment history again (for a back-dated,
    edited or deleted comment): its status is the newest comment's (the
    default without comments), and the retake count and the real start,
    end and done dates are those the status changes made when they
    happened. Sets the values on the row and emits task:update."""
    rows = db.session.execute(
        select(Comment.created_at, Comment.task_status_id)
        .where(Comment.object_id == task.id)
        .order_by(Comment.created_at, Comment.id)).all()
    statuses = {s.id: s for s in db.session.scalars(select(TaskStatus).where(
        TaskStatus.id.in_({r.task_status_id for r in rows if r.task_status_id})))}
    state = {"task_status_id": None, "retake_count": 0, "real_start_date": None,
             "end_date": None, "done_date": None}
    current = None
    for created_at, status_id in rows:
        status = statuses.get(status_id)
        if status is None:
            continue
        state.update(status_values(state, current, status, created_at))
        current = status
    if current is None:
        state["task_status_id"] = default_status_id(task)
    state["last_comment_date"] = rows[-1].created_at if rows else None
    previous_status_id = task.task_status_id
    for key, value in state.items():
        setattr(task, key, value)
    if previous_status_id != task.task_status_id:
        emit_status_changed(task, db.session.get(TaskStatus, previous_status_id)
                            if previous_status_id else None,
                            db.session.get(TaskStatus, task.task_status_id), None)
    emit_update(task)


def emit_update(task):
    events.emit("task:update", {"task_id": task.id}, project_id=task.project_id)


def status_update(actor, row, data):
    """A raw PUT of the task (the tasks collection): a task_status_id
    change applies the same rules as a comment; what the caller sets
    explicitly wins over the rule. Returns the values to write."""
    status_id = data.get("task_status_id")
    if status_id is None or str(status_id) == str(row.task_status_id):
        return data
    previous = db.session.get(TaskStatus, row.task_status_id) if row.task_status_id else None
    status = load_status(status_id)
    emit_status_changed(row, previous, status, actor.person.id)
    return {**status_values(_state(row), previous, status, utc_now()), **data}


def statuses_by_id(ids):
    return {s.id: s for s in db.session.scalars(
        select(TaskStatus).where(TaskStatus.id.in_(set(ids))))}


def lock(task_id):
    """The task row, locked for this transaction: two comments posted at
    once on one task serialise, so the newest-comment rule holds."""
    row = db.session.scalar(select(Task).where(Task.id == as_uuid(task_id, "task id"))
                            .with_for_update().execution_options(populate_existing=True))
    if row is None:
        raise NotFound(f"No task has the id {task_id}.")
    return row



# Updating and deleting ------------------------------------------------------------

# What a supervisor may change on a task of their department's task types.
SUPERVISOR_FIELDS = frozenset({"priority", "start_date", "due_date", "estimation",
                               "difficulty", "data"})


def may_update(actor, role, department_id, fields):
    """Managers change anything on their projects' tasks; supervisors the
    planning fields of their departments' tasks."""
    if role in ("admin", "manager"):
        return True
    return role == "supervisor" and set(fields) <= SUPERVISOR_FIELDS \
        and reaches_department(actor, department_id)


def check_update(actor, row, fields):
    """The CRUD PUT rule for `fields` of the task row."""
    role = check_read(actor, row)
    department_id = db.session.scalar(
        select(TaskType.department_id).where(TaskType.id == row.task_type_id))
    if not may_update(actor, role, department_id, fields):
        raise Forbidden("Managers update tasks; supervisors only the priority, dates, "
                        "estimation, difficulty and data of their departments' tasks.")


def set_priority(actor, task_ids, priority):
    """PUT /actions/tasks/set-priority: the tasks the actor may plan get
    the priority (one UPDATE), the others are skipped. Returns those done."""
    done = [t.id for t in assignments.task_rows(task_ids)
            if may_update(actor, project_role(actor, t.project_id), t.department_id,
                          ("priority",))]
    if done:
        rows = db.session.execute(
            sa_update(Task).where(Task.id.in_(done))
            .values(priority=priority, updated_at=utc_now())
            .returning(Task.id, Task.project_id)).all()
        for project_id in {r.project_id for r in rows}:
            events.emit_many("task:update", [{"task_id": r.id} for r in rows
                                             if r.project_id == project_id],
                             project_id=project_id)
    db.session.commit()
    found = {r["id"]: r for r in crud.select_rows(crud.collection("tasks"), actor,
                                                  Task.id.in_(done))}
    return [found[str(i)] for i in done if str(i) in found]


# What a task without force may not take with it.
DEPENDANTS = (("comments", "comment", "object_id"), ("previews", "preview_file", "task_id"),
              ("time spents", "time_spent", "task_id"),
              ("working files", "working_file", "task_id"),
              ("notifications", "notification", "task_id"), ("news", "news", "task_id"),
              ("subscriptions", "subscription", "task_id"))


def remove_dependants(ids):
    """Delete what hangs off the tasks a SELECT of ids gives: their
    comments (with attachments, notifications and news), previews (an
    entity showing one falls back to its newest other preview when the
    project sets them automatically), time spents, notifications, news,
    subscriptions, working files (and the outputs made from them). One
    statement per table, whatever the number of tasks; assignations and
    schedule version links go with the task rows (ON DELETE CASCADE)."""
    comments = ids_of("comment", object_id=ids)
    previews = ids_of("preview_file", task_id=ids)
    workings = ids_of("working_file", task_id=ids)
    outputs = ids_of("output_file", source_file_id=workings)
    entity, comment, preview = TABLES["entity"], TABLES["comment"], TABLES["preview_file"]
    newest = (select(PreviewFile.id).join(Task, Task.id == PreviewFile.task_id)
              .where(Task.entity_id == entity.c.id, Task.id.notin_(ids),
                     PreviewFile.position == 1)
              .order_by(PreviewFile.created_at.desc()).limit(1).scalar_subquery())
    automated = select(Project.is_set_preview_automated).where(
        Project.id == entity.c.project_id).scalar_subquery()
    # Attachments first: their stored files go too, once the deletion commits,
    # and so do the previews' files and the working files' binaries.
    attachments.remove(AttachmentFile.comment_id.in_(comments))
    from app.services.previews import forget_files
    from app.services.working_files import BUCKET, storage_key
    forget_files(db.session.scalars(previews).all())
    storage.delete_on_commit([(BUCKET, storage_key(i))
                              for i in db.session.scalars(workings).all()])
    for stmt in (
        delete_matching("notification", task_id=ids, comment_id=comments),
        delete_matching("news", task_id=ids, comment_id=comments, preview_file_id=previews),
        delete_matching("subscription", task_id=ids),
        delete_matching("comment", id=comments),
        delete_matching("time_spent", task_id=ids),
        sa_update(entity).where(entity.c.preview_file_id.in_(previews)).values(
            preview_file_id=sa.case((automated.is_(True), newest), else_=None)),
        sa_update(comment).where(comment.c.preview_file_id.in_(previews))
        .values(preview_file_id=None),
        sa_update(preview).where(preview.c.source_file_id.in_(outputs))
        .values(source_file_id=None),
        delete_matching("preview_file", id=previews),
        delete_matching("output_file", id=outputs),
        delete_matching("working_file", id=workings),
    ):
        db.session.execute(stmt)


def check_removable(row):
    """A task deleted without force must have nothing hanging off it."""
    found = db.session.execute(select(*[
        sa.exists(ids_of(table, **{column: row.id})).label(table)
        for _, table, column in DEPENDANTS])).one()
    kinds = [label for (label, _, _), present in zip(DEPENDANTS, found) if present]
    if kinds:
        raise BadRequest(f"This task has {', '.join(kinds)}: delete it with force=true "
                         "to remove them too.")


def before_delete(row, force):
    """DELETE /data/tasks/<id>: with force, its dependants go first."""
    if force:
        remove_dependants(select(Task.id).where(Task.id == row.id))
    else:
        check_removable(row)


def remove_tasks(criteria):
    """Delete the tasks matching `criteria` with all their dependants;
    task:delete for each. Returns their ids."""
    ids = select(Task.id).where(*criteria)
    remove_dependants(ids)
    rows = db.session.execute(sa_delete(Task).where(Task.id.in_(ids)).returning(
        Task.id, Task.project_id, Task.entity_id, Task.task_type_id)).all()
    for project_id in {r.project_id for r in rows}:
        events.emit_many("task:delete", [
            {"task_id": r.id, "entity_id": r.entity_id, "task_type_id": r.task_type_id}
            for r in rows if r.project_id == project_id], project_id=project_id)
    return [r.id for r in rows]


def delete_many(actor, project_id, task_ids):
    """POST /actions/projects/<id>/delete-tasks (managers): the listed
    tasks of that project, always forced. Returns the ids deleted, in the
    order given."""
    require_project_manager(actor, project_id)
    wanted = [as_uuid(i, "task id") for i in task_ids]
    gone = set(remove_tasks([Task.project_id == as_uuid(project_id, "project id"),
                             Task.id.in_(wanted)]))
    db.session.commit()
    return [str(i) for i in dict.fromkeys(wanted) if i in gone]


def delete_for_task_type(actor, project_id, task_type_id):
    """DELETE /actions/projects/<id>/task-types/<id>/delete-tasks (admins):
    every task of that type in the project."""
    require_admin(actor)
    if db.session.get(Project, as_uuid(project_id, "project id")) is None:
        raise NotFound(f"No project has the id {project_id}.")
    remove_tasks([Task.project_id == as_uuid(project_id, "project id"),
                  Task.task_type_id == as_uuid(task_type_id, "task type id")])
    db.session.commit()
