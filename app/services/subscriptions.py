"""Following a task, or a sequence's tasks of one type, to hear about their
comments (behaviours.md row 24; app/services/notifications.py reads the
subscriptions when a comment is posted).

Only someone who may see the task follows it; a sequence subscription
reaches every shot of the sequence, so vendors (who see their own tasks
only) cannot take one. Leaving needs no access: someone taken off a
production can still stop hearing about it.
"""
import uuid

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from app.errors import BadRequest, Forbidden
from app.extensions import db
from app.models.base import utc_now
from app.models.events import Subscription
from app.models.settings import TaskType
from app.models.task import Task
from app.permissions import as_uuid, require_person
from app.services import crud, entities, tasks

SUB = Subscription.__table__


def _answer(actor, *criteria):
    return crud.select_rows(crud.collection("subscriptions"), actor,
                            SUB.c.person_id == actor.person.id, *criteria)


def _exists(actor, *criteria):
    return db.session.scalar(select(select(SUB.c.id).where(
        SUB.c.person_id == actor.person.id, *criteria).exists()))


# Tasks ----------------------------------------------------------------------

def is_subscribed_to_task(actor, task_id):
    require_person(actor)
    return _exists(actor, SUB.c.task_id == as_uuid(task_id, "task id"))


def _ids(task_ids):
    if not task_ids:
        raise BadRequest("Field 'task_ids' cannot be empty.")
    return list(dict.fromkeys(as_uuid(t, "task id") for t in task_ids))


def subscribe_to_tasks(actor, task_ids):
    """Follow the tasks (all of them, or none if one may not be seen);
    returns the subscriptions in the order of `task_ids`."""
    require_person(actor)
    ids = _ids(task_ids)
    found = {row.id: row for row in db.session.scalars(select(Task).where(Task.id.in_(ids)))}
    for task_id in ids:
        tasks.check_read(actor, found.get(task_id) or tasks.load(task_id))
    now = utc_now()
    db.session.execute(insert(SUB).values(
        [{"id": uuid.uuid4(), "person_id": actor.person.id, "task_id": t,
          "created_at": now, "updated_at": now} for t in ids])
        .on_conflict_do_nothing(constraint="subscription_task_uc"))
    rows = {row["task_id"]: row for row in _answer(actor, SUB.c.task_id.in_(ids))}
    db.session.commit()
    return [rows[str(t)] for t in ids]


def unsubscribe_from_tasks(actor, task_ids):
    require_person(actor)
    ids = _ids(task_ids)
    db.session.execute(delete(SUB).where(SUB.c.person_id == actor.person.id,
                                         SUB.c.task_id.in_(ids)))
    db.session.commit()
    return task_ids


# Sequence x task type ------------------------------------------------------------

def _sequence_criteria(sequence_id, task_type_id):
    return (SUB.c.entity_id == as_uuid(sequence_id, "sequence id"),
            SUB.c.task_type_id == as_uuid(task_type_id, "task type id"))


def is_subscribed_to_sequence(actor, sequence_id, task_type_id):
    require_person(actor)
    return _exists(actor, *_sequence_criteria(sequence_id, task_type_id))


def subscribe_to_sequence(actor, sequence_id, task_type_id):
    require_person(actor)
    sequence = entities.load(sequence_id, "Sequence")
    if entities.check_access(actor, sequence) == "vendor":
        raise Forbidden("Vendors follow the tasks assigned to them, not whole sequences.")
    if db.session.get(TaskType, as_uuid(task_type_id, "task type id")) is None:
        raise BadRequest(f"No task type has the id {task_type_id}.")
    db.session.execute(insert(SUB).values(
        person_id=actor.person.id, entity_id=sequence.id, task_type_id=task_type_id)
        .on_conflict_do_nothing(constraint="subscription_entity_uc"))
    row = _answer(actor, *_sequence_criteria(sequence_id, task_type_id))[0]
    db.session.commit()
    return row


def unsubscribe_from_sequence(actor, sequence_id, task_type_id):
    require_person(actor)
    db.session.execute(delete(SUB).where(SUB.c.person_id == actor.person.id,
                                         *_sequence_criteria(sequence_id, task_type_id)))
    db.session.commit()
