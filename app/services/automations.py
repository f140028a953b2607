"""Status automations (behaviours.md row 15): "when Modeling reaches
Done, set Rigging to Ready", or "... mark the asset ready for Layout".

They run when a comment changes a task's status, inside that comment's
transaction. A status automation posts a comment on the target task,
which may trigger further automations: a chain never goes back to an
earlier task type in the project's pipeline, and never moves the same
task to the same status twice in one posting, so it always ends.
"""
from sqlalchemy import select

from app import events
from app.extensions import db
from app.models.entity import Entity, EntityLink
from app.models.project import ProjectStatusAutomationLink, ProjectTaskTypeLink
from app.models.settings import EntityType, StatusAutomation, TaskStatus, TaskType
from app.models.task import Task
from app.services.defaults import TEMPORAL_ENTITY_TYPES


def _matching(task):
    return db.session.scalars(
        select(StatusAutomation)
        .join(ProjectStatusAutomationLink,
              ProjectStatusAutomationLink.status_automation_id == StatusAutomation.id)
        .where(ProjectStatusAutomationLink.project_id == task.project_id,
               StatusAutomation.archived.isnot(True),
               StatusAutomation.in_task_type_id == task.task_type_id,
               StatusAutomation.in_task_status_id == task.task_status_id)
        .order_by(StatusAutomation.created_at)).all()


def _entity_kind(entity_id):
    """"asset" for an asset, else the lower-case temporal type name."""
    name = db.session.scalar(select(EntityType.name).join(
        Entity, Entity.entity_type_id == EntityType.id).where(Entity.id == entity_id))
    return name.lower() if name in TEMPORAL_ENTITY_TYPES else "asset"


def _priority(project_id, task_type_id):
    return db.session.scalar(select(ProjectTaskTypeLink.priority).where(
        ProjectTaskTypeLink.project_id == project_id,
        ProjectTaskTypeLink.task_type_id == task_type_id)) or 0


def run(task, author_id, seen):
    """Apply the project's automations triggered by the task's new status."""
    from app.services import comments, tasks

    for automation in _matching(task):
        if (automation.entity_type or "asset").lower() != _entity_kind(task.entity_id):
            continue
        if automation.out_field_type == "ready_for":
            _set_ready_for(task, automation.out_task_type_id)
            continue
        if _priority(task.project_id, automation.in_task_type_id) > \
                _priority(task.project_id, automation.out_task_type_id):
            continue  # Going back up the pipeline could loop.
        target_id = db.session.scalar(select(Task.id).where(
            Task.entity_id == task.entity_id,
            Task.task_type_id == automation.out_task_type_id).order_by(Task.created_at).limit(1))
        key = (target_id, automation.out_task_status_id)
        if target_id is None or key in seen:
            continue
        seen.add(key)
        in_type = db.session.get(TaskType, automation.in_task_type_id)
        in_status = db.session.get(TaskStatus, automation.in_task_status_id)
        target = tasks.lock(target_id)
        comment, _ = comments.create(
            target, db.session.get(TaskStatus, automation.out_task_status_id), author_id,
            f"Change triggered by {in_type.name} set to {in_status.name}", hashtags=False,
            seen=seen)
        if automation.import_last_revision:
            from app.services import previews

            previews.copy_last_revision(task, target, comment, author_id)


def _set_ready_for(task, task_type_id):
    """The asset is ready for that task type: its casting shots' readiness follows."""
    from app.services import casting

    entity = db.session.get(Entity, task.entity_id)
    if entity.ready_for == task_type_id:
        return
    entity.ready_for = task_type_id
    events.emit("asset:update", {"asset_id": entity.id, "data": {"ready_for": str(task_type_id)}},
                project_id=entity.project_id)
    shots = list(db.session.scalars(select(EntityLink.entity_in_id).where(
        EntityLink.entity_out_id == entity.id)))
    db.session.flush()
    casting.refresh_readiness(shots, entity.project_id)
