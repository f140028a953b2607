"""Posting a comment on a task (behaviours.md row 14): the conversation
that drives a task's status.

Everything one comment causes (the comment and its mentions and
attachments, the copies that #hashtags make on sibling tasks, the task's
new status and dates, notifications, news, the comments status
automations post in turn) is written in one transaction: it lands whole
or not at all, and its events and e-mails go out after the commit.
"""
import datetime
import re
import uuid

import sqlalchemy as sa
from sqlalchemy import func, insert, or_, select

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.comment import Comment, CommentDepartmentMention, CommentMention
from app.models.entity import Entity
from app.models.events import News
from app.models.files import AttachmentFile
from app.models.person import DepartmentLink, Person
from app.models.project import Project, ProjectPersonLink, ProjectTaskStatusLink
from app.models.settings import Department, EntityType, TaskStatus, TaskType
from app.models.task import Task
from app.permissions import as_uuid
from app.serialize import parse_datetime
from app.services import attachments, automations, crud, news, notifications, tasks

HASHTAG = re.compile(r"#([A-Za-z]*)")
# Only these roles may post in someone else's name, back-date a comment or
# show it to clients.
MANAGING = ("admin", "manager")


# Who may comment, and with which status ----------------------------------------

def is_mentioned(actor, task_id):
    """The actor was @named in the task's thread, by name or through one
    of their departments, in a comment or a reply."""
    conditions = [
        select(CommentMention.comment).where(CommentMention.comment == Comment.id,
                                             CommentMention.person == actor.person.id)
        .exists(),
        Comment.replies.contains([{"mentions": [actor.id]}]),
    ]
    for department_id in actor.department_ids:
        conditions.append(Comment.replies.contains([{"department_mentions": [department_id]}]))
    if actor.department_ids:
        conditions.append(select(CommentDepartmentMention.comment).where(
            CommentDepartmentMention.comment == Comment.id,
            CommentDepartmentMention.department.in_(actor.department_ids)).exists())
    return bool(db.session.scalar(select(select(Comment.id).where(
        Comment.object_id == task_id, or_(*conditions)).exists())))


def comment_role(actor, task, status_id):
    """The actor's role in the task's project when they may comment with
    status `status_id`: those who may act on the task; someone @mentioned
    in its thread (never a vendor) as long as the status stays as it is."""
    role = tasks.action_role(actor, task)
    if role is not None:
        return role
    role = tasks.check_read(actor, task)
    if role != "vendor" and is_mentioned(actor, task.id):
        if str(status_id) != str(task.task_status_id):
            raise Forbidden("Being mentioned lets you answer in the thread, "
                            "not change the task's status.")
        return role
    raise Forbidden("Only the task's assignees, its department's supervisors, the "
                    "project's managers and people mentioned in it can comment.")


def check_status_allowed(role, status, project_id):
    """Artists use artist-allowed statuses only, clients client-allowed ones
    (the project's setting for the status first, the studio's otherwise)."""
    if role == "user" and not status.is_artist_allowed:
        raise Forbidden(f"Artists cannot set the status {status.name!r}.")
    if role == "client":
        allowed = db.session.scalar(select(ProjectTaskStatusLink.is_client_allowed).where(
            ProjectTaskStatusLink.project_id == project_id,
            ProjectTaskStatusLink.task_status_id == status.id))
        if not (status.is_client_allowed if allowed is None else allowed):
            raise Forbidden(f"Clients cannot set the status {status.name!r}.")


def parse_date(value, name="created_at"):
    """A comment date as Kitsu sends it ("YYYY-MM-DD HH:MM:SS") or ISO 8601."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value
    try:
        return parse_datetime(value)
    except ValueError:
        raise BadRequest(f"Field '{name}' is not a date and time.")


# Mentions -------------------------------------------------------------------

def _mentioned(names, text):
    return [key for key, name in names if name and
            re.search(f"@{re.escape(name)}( |$)", text) is not None]


def parse_mentions(project_id, text):
    """(person ids, department ids) @named in `text`: people of the
    project's team by full name, departments by name."""
    if not text or "@" not in text:
        return [], []
    team = db.session.execute(
        select(Person.id, Person.first_name, Person.last_name)
        .join(ProjectPersonLink, ProjectPersonLink.person_id == Person.id)
        .where(ProjectPersonLink.project_id == project_id)).all()
    people = [(row.id, " ".join(p for p in (row.first_name, row.last_name) if p))
              for row in team]
    departments = db.session.execute(select(Department.id, Department.name)).all()
    return _mentioned(people, text), _mentioned([(d.id, d.name) for d in departments], text)


def set_mentions(comment, person_ids, department_ids):
    """Replace the comment's mentions."""
    for link, column, ids in ((CommentMention, CommentMention.person, person_ids),
                              (CommentDepartmentMention, CommentDepartmentMention.department,
                               department_ids)):
        db.session.execute(link.__table__.delete().where(
            link.__table__.c.comment == comment.id))
        if ids:
            db.session.execute(insert(link.__table__).values(
                [{"comment": comment.id, column.key: i} for i in ids]))


def mentioned_people(project_id, person_ids, department_ids):
    """The persons a set of mentions reaches: those named, and the team
    members of the departments named."""
    reached = set(person_ids)
    if department_ids:
        reached |= set(db.session.scalars(
            select(DepartmentLink.person_id)
            .join(ProjectPersonLink, ProjectPersonLink.person_id == DepartmentLink.person_id)
            .where(ProjectPersonLink.project_id == project_id,
                   DepartmentLink.department_id.in_(department_ids))))
    return reached


# Posting --------------------------------------------------------------------------

def _check_retake_cap(task, status):
    """A retake beyond the cap (the entity's data.max_retakes, else the
    project's; zero or none: no cap) is refused."""
    if not status.is_retake:
        return
    project_cap = db.session.scalar(select(Project.max_retakes).where(
        Project.id == task.project_id)) or 0
    if project_cap <= 0:
        return
    entity_data = db.session.scalar(select(Entity.data).where(Entity.id == task.entity_id)) or {}
    try:
        cap = int(entity_data.get("max_retakes") or project_cap)
    except (TypeError, ValueError):
        cap = project_cap
    if cap > 0 and (task.retake_count or 0) >= cap:
        raise BadRequest("No more retakes allowed on this task.")


def add_news(task, comment, change):
    """The production news entry of a comment (concept tasks have none)."""
    if _is_concept(task):
        return
    news = News(id=uuid.uuid4(), change=change, author_id=comment.person_id,
                comment_id=comment.id, task_id=task.id, created_at=comment.created_at,
                updated_at=utc_now())
    db.session.add(news)
    events.emit("news:new", {"news_id": news.id}, project_id=task.project_id)


def _is_concept(task):
    return db.session.scalar(select(EntityType.name).join(
        Entity, Entity.entity_type_id == EntityType.id).where(Entity.id == task.entity_id)) \
        == "Concept"


def create(task, status, author_id, text="", *, checklist=None, links=None, created_at=None,
           for_client=False, files=(), hashtags=True, seen=None):
    """Write one comment on the (locked) task and everything it causes; no
    commit. Returns the comment row and whether the task's status changed.

    `seen` holds the (task, status) pairs the automations of this one
    posting already moved, so no chain of automations can loop."""
    _check_retake_cap(task, status)
    now = utc_now()
    created_at = created_at or now
    comment = Comment(id=uuid.uuid4(), object_id=task.id, object_type="Task",
                      task_status_id=status.id, person_id=author_id, text=text or "",
                      checklist=checklist or [], links=links or [], replies=[],
                      for_client=bool(for_client), created_at=created_at, updated_at=now)
    db.session.add(comment)
    db.session.flush()
    person_ids, department_ids = parse_mentions(task.project_id, text)
    if person_ids or department_ids:
        set_mentions(comment, person_ids, department_ids)
    if files:
        attachments.store(files, comment_id=comment.id)
    events.emit("comment:new", {"comment_id": comment.id, "task_id": task.id,
                                "task_status_id": status.id, "person_id": author_id,
                                "for_client": comment.for_client}, project_id=task.project_id)
    if hashtags:
        _copy_to_tagged_tasks(task, author_id, text)
    changed = _apply_to_task(task, status, comment, author_id)
    _notify(task, comment, author_id, changed, person_ids, department_ids)
    add_news(task, comment, changed)
    if changed:
        seen = seen if seen is not None else set()
        seen.add((task.id, status.id))
        automations.run(task, author_id, seen)
    return comment, changed


def _apply_to_task(task, status, comment, author_id):
    """The newest comment sets the task's status and last comment date
    (with the status date rules); an older one makes the task fold its
    whole history again. Returns whether the status changed."""
    if task.last_comment_date is not None and comment.created_at < task.last_comment_date:
        previous_status_id = task.task_status_id
        tasks.recompute(task)
        return previous_status_id != task.task_status_id
    previous = tasks.change_status(task, status, when=comment.created_at, person_id=author_id)
    task.last_comment_date = comment.created_at
    tasks.emit_update(task)
    return previous is None or previous.id != status.id


def _notify(task, comment, author_id, changed, person_ids, department_ids):
    notifications.notify(notifications.comment_recipients(task, author_id), "comment",
                         author_id, task=task, comment_id=comment.id, change=changed,
                         text=comment.text)
    mentioned = mentioned_people(task.project_id, person_ids, department_ids)
    mentioned.discard(author_id)
    notifications.notify(mentioned, "mention", author_id, task=task, comment_id=comment.id,
                         text=comment.text)


def _copy_to_tagged_tasks(task, author_id, text):
    """#tasktype (or #all) copies the comment onto the entity's tasks of
    those types, each keeping its own status."""
    tags = {t.lower() for t in HASHTAG.findall(text or "") if t}
    if not tags:
        return
    own_type = db.session.scalar(select(TaskType.name).where(TaskType.id == task.task_type_id))
    siblings = db.session.execute(
        select(Task.id, TaskType.name).join(TaskType, TaskType.id == Task.task_type_id)
        .where(Task.entity_id == task.entity_id, Task.id != task.id)
        .order_by(TaskType.priority, TaskType.name)).all()
    own = (own_type or "").lower()
    for sibling_id, type_name in siblings:
        name = type_name.lower()
        if name == own or ("all" not in tags and name not in tags):
            continue
        sibling = tasks.lock(sibling_id)
        create(sibling, db.session.get(TaskStatus, sibling.task_status_id), author_id,
               f"{text}\n\n____\nFrom {own_type} task", hashtags=False)


def post_comment(actor, task_id, *, task_status_id, text="", checklist=None, links=None,
                 person_id=None, created_at=None, for_client=False, files=()):
    """POST /actions/tasks/<id>/comment: check, write everything, commit.
    Only managers may post in someone else's name, back-date, or mark the
    comment for clients (others' values are ignored, as Zou does)."""
    task = tasks.lock(task_id)
    status = tasks.load_status(task_status_id)
    role = comment_role(actor, task, status.id)
    check_status_allowed(role, status, task.project_id)
    author_id = actor.person.id
    if role in MANAGING:
        if person_id:
            author_id = as_uuid(person_id, "person id")
            if db.session.get(Person, author_id) is None:
                raise NotFound(f"No person has the id {person_id}.")
        created_at = parse_date(created_at)
    else:
        created_at, for_client = None, False
    comment, _ = create(task, status, author_id, text, checklist=checklist, links=links,
                        created_at=created_at, for_client=for_client, files=files)
    db.session.commit()
    return serialize(actor, comment)


def serialize(actor, comment):
    """A comment as the comment routes answer it: its columns and relation
    ids, with its author and status embedded. Two queries, whether or not
    the row was expired by a commit."""
    author = Person.__table__.alias("author")
    attachment = AttachmentFile.__table__
    comment_id = crud.row_id(comment)
    out = crud.select_one(crud.collection("comments"), actor, Comment.id == comment_id,
                          relations=True, columns=[
        select(news.short_person(author)).where(author.c.id == Comment.person_id)
        .scalar_subquery().label("person"),
        func.array(select(sa.cast(attachment.c.id, sa.Text))
                   .where(attachment.c.comment_id == Comment.id)
                   .order_by(attachment.c.created_at).scalar_subquery())
        .label("attachment_files")])
    out["task_status"] = crud.select_one(crud.collection("task-status"), actor,
                                         TaskStatus.id == out["task_status_id"]) \
        if out["task_status_id"] else None
    return out
