"""Everything done to comments besides posting one (behaviours.md row 14,
section 2.3-2.4): acknowledgements, threaded replies, attachments, moving
a comment, batches of comments, and the rules of the `comments`
collection (edit, delete).

Replies live in the comment's `replies` JSONB; they are appended and
removed by one UPDATE each, so two people replying at once never lose a
reply. A deleted or edited comment makes its task fold its history again
just before the transaction commits, once the comment row is really gone
(the generic delete removes the row after the collection's hook ran).
"""
import re
import uuid

import sqlalchemy as sa
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import JSONB, distinct_on, insert

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.comment import Comment, CommentAcknowledgement
from app.models.events import News, Notification
from app.models.files import AttachmentFile, PreviewFile
from app.models.person import Person
from app.models.task import Task
from app.permissions import (
    as_uuid, require_admin, require_project_access, require_project_manager,
)
from app.services import attachments, comment_views, comments, crud, notifications, tasks
from app.services.crud import Hooks
from app.services.policies import ProjectData

# Fields of a comment that its own routes maintain: mentions follow the
# text, acknowledgements the ack route, previews the preview routes, and
# replies the reply routes (a whole comment PUT back, as gazu's
# update_comment does, must not overwrite a reply posted meanwhile).
MAINTAINED = ("mentions", "department_mentions", "acknowledgements", "previews", "replies")


# Who may change a comment -----------------------------------------------------------------

def check_author_or_manager(actor, comment, task):
    """Delete a comment, add or remove its attachments: its author (still
    on the team) or the project's managers."""
    role = require_project_access(actor, task.project_id)
    if role not in comments.MANAGING and comment.person_id != actor.person.id:
        raise Forbidden("Only the comment's author and the project's managers can do this.")
    return role


def _differs(row, key, value):
    current = getattr(row, key, None)
    if isinstance(current, uuid.UUID):
        current = str(current)
    return current != value


class CommentPolicy(ProjectData):
    """The comments collection: read as section 2.3 says; edit your own
    comment, or pin (supervisors of the department) and tick checklist
    items (assignees, supervisors of the department); delete your own or,
    as a manager, any."""

    def read(self, actor, coll, row):
        comment_views.check_read(actor, row)

    def update(self, actor, coll, row, data):
        task = tasks.load(row.object_id)
        changed = {k for k, v in data.items()
                   if k not in MAINTAINED and _differs(row, k, v)}
        role = comment_views.check_read(actor, row, task)
        if "object_id" in changed:
            raise BadRequest("Move a comment with its move route.")
        if role in comments.MANAGING:
            return
        if "for_client" in changed:
            raise Forbidden("Only managers decide which comments clients see.")
        in_department = role == "supervisor" and tasks.in_task_department(actor, task)
        is_author = row.person_id == actor.person.id
        if "pinned" in changed and not in_department:
            raise Forbidden("Only supervisors of the task's department can pin comments.")
        if "checklist" in changed and not (
                is_author or in_department or tasks.is_assignee(actor.person.id, task.id)):
            raise Forbidden("Only the author, the assignees and the department's "
                            "supervisors can tick the checklist.")
        if not is_author and changed - {"pinned", "checklist"}:
            raise Forbidden("Only the author can edit the comment.")
        if "person_id" in changed:
            raise Forbidden("Only managers can change a comment's author.")
        if "task_status_id" in changed:
            comments.check_status_allowed(tasks.check_action(actor, task),
                                          tasks.load_status(data["task_status_id"]),
                                          task.project_id)

    def delete(self, actor, coll, row):
        check_author_or_manager(actor, row, tasks.load(row.object_id))


class CommentHooks(Hooks):
    def list_columns(self, actor, args):
        if args.get("relations", "").lower() == "true":
            return [comment_views.attachment_ids_column()]
        return []

    def read(self, actor, coll, row, relations):
        return comment_views.comment_json(actor, row)

    def before_update(self, actor, row, data):
        for name in MAINTAINED:
            data.pop(name, None)
        data["editor_id"] = actor.id
        return data

    def after_update(self, actor, row, data):
        if "text" in data:
            remention(row)
        if "task_status_id" in data:
            # The comment's place in the history may now carry another status.
            tasks.recompute(tasks.lock(row.object_id))
        return comment_views.comment_json(actor, row)

    def before_delete(self, actor, row, force):
        _remove_dependents(row)

    def after_delete(self, actor, row):
        tasks.recompute(tasks.lock(row.object_id))


def remention(comment):
    """Mentions follow an edited text: the newly mentioned are notified,
    those no longer mentioned lose their mention notification."""
    task = tasks.load(comment.object_id)
    person_ids, department_ids = comments.parse_mentions(task.project_id, comment.text)
    comments.set_mentions(comment, person_ids, department_ids)
    reached = comments.mentioned_people(task.project_id, person_ids, department_ids)
    reached.discard(comment.person_id)
    db.session.execute(delete(Notification).where(
        Notification.comment_id == comment.id, Notification.type == "mention",
        Notification.person_id.notin_(reached) if reached else sa.true()))
    notifications.notify(reached, "mention", comment.person_id, task=task,
                         comment_id=comment.id, text=comment.text)
    db.session.expire(comment)


def _forget_feed(comment):
    """The comment's notifications and news entry."""
    db.session.execute(delete(Notification).where(Notification.comment_id == comment.id))
    db.session.execute(delete(News).where(News.comment_id == comment.id))


def _remove_dependents(comment):
    from app.services import previews

    _forget_feed(comment)
    attachments.remove(AttachmentFile.comment_id == comment.id)
    previews.remove_of_comment(comment)


def delete_comment(actor, task_id, comment_id):
    """DELETE /data/tasks/<id>/comments/<cid>: the comment, its
    notifications, news and attachments; the task falls back on its
    previous comment's status (or the default)."""
    comment = comment_views.load_on_task(task_id, comment_id)
    check_author_or_manager(actor, comment, tasks.load(comment.object_id))
    remove_comment(comment)
    db.session.commit()


def remove_comment(comment):
    """Delete a comment whose deletion was allowed, with what hangs on it;
    its task folds its history again. No commit."""
    task = tasks.load(comment.object_id)
    _remove_dependents(comment)
    db.session.delete(comment)
    db.session.flush()
    tasks.recompute(tasks.lock(task.id))
    events.emit("comment:delete", {"comment_id": comment.id, "task_id": task.id},
                project_id=task.project_id)


# Acknowledgements ---------------------------------------------------------------------------

def acknowledge(actor, task_id, comment_id):
    """Toggle the actor among the people who acknowledged the comment."""
    comment = comment_views.get_for(actor, task_id, comment_id)
    table = CommentAcknowledgement.__table__
    removed = db.session.execute(table.delete().where(
        table.c.comment == comment.id, table.c.person == actor.person.id)
        .returning(table.c.person)).first()
    if removed is None:
        db.session.execute(insert(table).values(comment=comment.id, person=actor.person.id)
                           .on_conflict_do_nothing())
    project_id = db.session.scalar(select(Task.project_id)
                                   .where(Task.id == comment.object_id))
    events.emit("comment:unacknowledge" if removed else "comment:acknowledge",
                {"comment_id": comment.id, "person_id": actor.id}, project_id=project_id,
                persist=False)
    db.session.commit()
    db.session.expire(comment)
    return crud.serialize(crud.collection("comments"), actor, comment, relations=True)


# Replies ----------------------------------------------------------------------------------------

def _is_client_thread(comment, project_id):
    return bool(comment.for_client) or \
        comment_views.author_role(comment.person_id, project_id) == "client"


def _check_reply(actor, comment, task):
    """Who may answer in a comment's thread: its author; others need to be
    able to act on the task or to have been mentioned in it (not vendors).
    A client never answers another studio's client; a client thread is
    answered by the managers, who speak for the studio."""
    role = comment_views.check_read(actor, comment, task)
    if comment.person_id != actor.person.id:
        if tasks.action_role(actor, task) is None and (
                role == "vendor" or not comments.is_mentioned(actor, task.id)):
            raise Forbidden("Only people working on the task or mentioned in it can reply.")
        if role == "client":
            author = db.session.get(Person, comment.person_id)
            if author is not None and author.studio_id != actor.person.studio_id and \
                    comment_views.author_role(author.id, task.project_id) == "client":
                raise Forbidden("Clients do not answer other studios' clients.")
    if role not in comments.MANAGING + ("client",) and \
            _is_client_thread(comment, task.project_id):
        raise Forbidden("The production's managers answer in client threads.")


def _now_text():
    return utc_now().replace(microsecond=0).isoformat()


def reply(actor, task_id, comment_id, text="", files=()):
    """POST .../reply: append a reply to the comment's thread and notify
    the people in it (assignees, watchers, earlier repliers, the comment's
    author) and those it mentions. Returns the reply, its author embedded."""
    comment = comment_views.load_on_task(task_id, comment_id)
    task = tasks.load(comment.object_id)
    _check_reply(actor, comment, task)
    person_ids, department_ids = comments.parse_mentions(task.project_id, text)
    now = _now_text()
    entry = {"id": str(uuid.uuid4()), "date": now, "person_id": actor.id, "text": text or "",
             "mentions": [str(i) for i in person_ids],
             "department_mentions": [str(i) for i in department_ids], "created_at": now}
    replies = db.session.scalar(
        update(Comment).where(Comment.id == comment.id)
        .values(replies=func.coalesce(Comment.replies, sa.text("'[]'::jsonb"))
                .op("||")(func.jsonb_build_array(sa.bindparam("entry", entry, type_=JSONB))),
                updated_at=utc_now())
        .returning(Comment.replies))
    db.session.expire(comment)
    reply_id = uuid.UUID(entry["id"])
    if files:
        rows = attachments.store(files, comment_id=comment.id, reply_id=reply_id)
        entry["attachment_files"] = [
            crud.serialize(crud.collection("attachment-files"), actor, r) for r in rows]
    events.emit("comment:reply", {"task_id": task.id, "comment_id": comment.id,
                                  "reply_id": entry["id"]}, project_id=task.project_id)
    thread = notifications.comment_recipients(task, actor.person.id)
    thread |= set(comment_views.uuids(r.get("person_id") for r in replies))
    thread.add(comment.person_id)
    thread.discard(actor.person.id)
    notifications.notify(thread, "reply", actor.person.id, task=task, comment_id=comment.id,
                         reply_id=reply_id, text=text)
    mentioned = comments.mentioned_people(task.project_id, person_ids, department_ids)
    mentioned.discard(actor.person.id)
    notifications.notify(mentioned, "reply-mention", actor.person.id, task=task,
                         comment_id=comment.id, reply_id=reply_id, text=text)
    db.session.commit()
    entry["person"] = comment_views.short_people([actor.id]).get(actor.id)
    return entry


def delete_reply(actor, task_id, comment_id, reply_id):
    """DELETE .../reply/<rid>: its author or an admin removes a reply, with
    its attachments and notifications."""
    comment = comment_views.load_on_task(task_id, comment_id)
    task = tasks.get_for(actor, comment.object_id)
    reply_uuid = as_uuid(reply_id, "reply id")
    entry = next((r for r in comment.replies or [] if r.get("id") == str(reply_uuid)), None)
    if entry is None:
        raise NotFound(f"The comment has no reply {reply_id}.")
    if entry.get("person_id") != actor.id:
        require_admin(actor)
    kept = select(func.coalesce(func.jsonb_agg(sa.column("r")), sa.text("'[]'::jsonb"))) \
        .select_from(func.jsonb_array_elements(Comment.replies).alias("r")) \
        .where(sa.column("r").op("->>")("id") != str(reply_uuid)).scalar_subquery()
    db.session.execute(update(Comment).where(Comment.id == comment.id)
                       .values(replies=kept, updated_at=utc_now()))
    attachments.remove(AttachmentFile.comment_id == comment.id,
                       AttachmentFile.reply_id == reply_uuid)
    db.session.execute(delete(Notification).where(Notification.reply_id == reply_uuid))
    events.emit("comment:delete-reply", {"task_id": task.id, "comment_id": comment.id,
                                         "reply_id": str(reply_uuid)},
                project_id=task.project_id, persist=False)
    db.session.commit()
    db.session.expire(comment)
    return crud.serialize(crud.collection("comments"), actor, comment, relations=True)


# Attachments ------------------------------------------------------------------------------

def add_attachments(actor, task_id, comment_id, files):
    """POST .../add-attachment: more files on a comment (its author or the
    project's managers). Returns the new attachment rows."""
    comment = comment_views.load_on_task(task_id, comment_id)
    check_author_or_manager(actor, comment, tasks.load(comment.object_id))
    if not files:
        raise BadRequest("No file was sent.")
    rows = attachments.store(files, comment_id=comment.id)
    db.session.commit()
    return [crud.serialize(crud.collection("attachment-files"), actor, r) for r in rows]


def remove_attachment(actor, task_id, comment_id, attachment_file_id):
    comment = comment_views.load_on_task(task_id, comment_id)
    check_author_or_manager(actor, comment, tasks.load(comment.object_id))
    if not attachments.remove(
            AttachmentFile.id == as_uuid(attachment_file_id, "attachment file id"),
            AttachmentFile.comment_id == comment.id):
        raise NotFound(f"The comment has no attachment {attachment_file_id}.")
    db.session.commit()


# Moving a comment ------------------------------------------------------------------------

def move(actor, task_id, comment_id, target_task_id):
    """POST .../move: a manager moves a comment to another task of the same
    entity (not a comment carrying previews: they belong to their task's
    revisions). Both tasks fold their history again; the target's
    watchers hear of it as of a new comment."""
    comment = comment_views.load_on_task(task_id, comment_id)
    source = tasks.load(comment.object_id)
    target = tasks.load(target_task_id)
    require_project_manager(actor, source.project_id)
    require_project_manager(actor, target.project_id)
    if source.id == target.id:
        raise BadRequest("The comment is already on this task.")
    if source.entity_id != target.entity_id:
        raise BadRequest("A comment moves only between tasks of the same entity.")
    if comment.preview_file_id is not None or comment.previews:
        raise BadRequest("A comment carrying previews cannot be moved.")
    first, second = sorted((source.id, target.id), key=str)
    locked = {first: tasks.lock(first), second: tasks.lock(second)}
    source, target = locked[source.id], locked[target.id]
    _forget_feed(comment)
    comment.object_id = target.id
    db.session.flush()
    tasks.recompute(source)
    tasks.recompute(target)
    events.emit("comment:delete", {"comment_id": comment.id, "task_id": source.id},
                project_id=source.project_id)
    events.emit("comment:new", {"comment_id": comment.id, "task_id": target.id,
                                "task_status_id": comment.task_status_id,
                                "person_id": comment.person_id,
                                "for_client": bool(comment.for_client)},
                project_id=target.project_id)
    notifications.notify(notifications.comment_recipients(target, comment.person_id),
                         "comment", comment.person_id, task=target, comment_id=comment.id,
                         text=comment.text)
    comments.add_news(target, comment, False)
    db.session.commit()
    return crud.serialize(crud.collection("comments"), actor, comment, relations=True)


# Batches ---------------------------------------------------------------------------------

def _lock_all(task_ids):
    """Lock the batch's tasks in one order, so two batches never deadlock."""
    return {i: tasks.lock(i) for i in sorted(set(task_ids), key=str)}


def comment_many(actor, project_id, items):
    """POST /actions/projects/<id>/tasks/comment-many: one comment per item
    ({object_id, task_status_id, comment, links}); a project manager
    comments anywhere in the project, others only on tasks they are
    assigned to or supervise (the rest is skipped). One transaction."""
    project_id = as_uuid(project_id, "project id")
    role = require_project_access(actor, project_id)
    wanted = []
    for item in items:
        task_id = item.get("object_id") or item.get("task_id")
        if task_id and item.get("task_status_id") and item.get("comment") is not None:
            wanted.append((as_uuid(task_id, "task id"), item))
    locked = _lock_all(t for t, _ in wanted)
    made = []
    for task_id, item in wanted:
        task = locked[task_id]
        if task.project_id != project_id or not (
                role in comments.MANAGING or tasks.is_assignee(actor.person.id, task.id)
                or (role == "supervisor" and tasks.in_task_department(actor, task))):
            continue
        status = tasks.load_status(item["task_status_id"])
        comments.check_status_allowed(role, status, project_id)
        made.append(comments.create(task, status, actor.person.id, item["comment"],
                                    links=item.get("links") or [])[0])
    db.session.commit()
    return [comments.serialize(actor, c) for c in made]


def _files_of(files, prefix, index):
    pattern = re.compile(rf"^{prefix}-{index}(\D.*)?$")
    return [f for key, f in files if pattern.match(key)]


def batch_comment(actor, items, files=(), task_id=None):
    """POST /actions/tasks/batch-comment: several comments at once, each
    checked as a posted comment would be ({task_id, task_status_id, text,
    checklist, links, person_id, created_at}); the files named
    attachment_file-<i> go to the i-th comment, those named
    preview_file-<i>(-<j>) become its previews (a file of an unknown kind
    is dropped). One transaction; movies are normalized after it."""
    from app.services import previews

    files = list(files)
    for item in items:
        if not isinstance(item, dict) or not item.get("task_status_id") or \
                not (task_id or item.get("task_id")):
            raise BadRequest("Each comment needs a task_id and a task_status_id.")
    locked = _lock_all(as_uuid(task_id or i["task_id"], "task id") for i in items)
    made = []
    for index, item in enumerate(items):
        task = locked[as_uuid(task_id or item["task_id"], "task id")]
        role = tasks.check_action(actor, task)
        status = tasks.load_status(item["task_status_id"])
        comments.check_status_allowed(role, status, task.project_id)
        author_id, created_at = actor.person.id, None
        if role in comments.MANAGING:
            if item.get("person_id"):
                author_id = as_uuid(item["person_id"], "person id")
                if db.session.get(Person, author_id) is None:
                    raise NotFound(f"No person has the id {item['person_id']}.")
            created_at = comments.parse_date(item.get("created_at"))
        comment, _ = comments.create(
            task, status, author_id, item.get("text") or item.get("comment") or "",
            checklist=item.get("checklist") or [], links=item.get("links") or [],
            created_at=created_at, files=_files_of(files, "attachment_file", index))
        published, movies = [], []
        for uploaded in _files_of(files, "preview_file", index):
            row = previews.create_for_comment(task, comment, comment.person_id)
            needs_job = previews.receive(row, task, uploaded)
            if needs_job is not None:
                published.append(row.id)
            if needs_job:
                movies.append(row.id)
        made.append((comment, published, movies))
    db.session.commit()
    previews.run_movie_jobs([m for _, _, movies in made for m in movies])
    coll = crud.collection("preview-files")
    return [{**comments.serialize(actor, c), "preview_files": crud.select_rows(
        coll, actor, PreviewFile.id.in_(ids), sort=("position",))} for c, ids, _ in made]


def copy_client_comments(actor, project_id, task_ids, prefix=""):
    """POST /actions/projects/<id>/tasks/copy-client-comments: the last
    comment a client wrote on each task is copied under the manager's name
    (artists do not see client comments), the task keeping its status."""
    project_id = as_uuid(project_id, "project id")
    require_project_manager(actor, project_id)
    ids = [as_uuid(i, "task id") for i in task_ids]
    last = db.session.execute(
        select(Comment.object_id, Comment.text)
        .join(Task, Task.id == Comment.object_id)
        .where(Task.project_id == project_id, Comment.object_id.in_(ids),
               sa.not_(comment_views.not_by_client(Comment.__table__)))
        .order_by(Comment.object_id, Comment.created_at.desc())
        .ext(distinct_on(Comment.object_id))).all()
    locked = _lock_all(r.object_id for r in last)
    made = []
    for task_id, text in last:
        task = locked[task_id]
        text = f"{prefix}\n\n{text or ''}" if prefix else (text or "")
        made.append(comments.create(task, tasks.load_status(task.task_status_id),
                                    actor.person.id, text)[0])
    db.session.commit()
    return [comments.serialize(actor, c) for c in made]



class AttachmentPolicy(ProjectData):
    """The attachment-files collection: a row reads with its comment's task
    (or its chat's entity); writes are the admins'."""

    def read(self, actor, coll, row):
        comment_views.check_attachment_read(actor, row)


class AttachmentHooks(Hooks):
    def before_delete(self, actor, row, force):
        attachments.forget_files([row.id])
