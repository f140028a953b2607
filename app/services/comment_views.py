"""Reading the review conversation (behaviours.md row 14, section 2.3 "Read
a comment"): who may see which comment, and the comment lists Kitsu draws
a task's thread from.

A task's thread is read in one statement: the link tables (mentions,
acknowledgements), previews and attachments are aggregated by PostgreSQL
next to each comment, so the number of queries does not grow with the
number of comments.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models.chat import Chat, ChatMessage
from app.models.comment import (
    Comment, CommentAcknowledgement, CommentDepartmentMention, CommentMention,
    CommentPreviewLink,
)
from app.models.files import AttachmentFile, PreviewFile
from app.models.person import Person
from app.models.project import Project, ProjectPersonLink
from app.models.settings import TaskStatus
from app.models.task import Task
from app.permissions import as_uuid, project_role, require_admin, require_project_access
from app.services import attachments, crud, entities, news, tasks

# Roles that read every comment of their project's tasks.
READ_ALL = ("admin", "manager", "supervisor")
# Fields a client does not get from a studio comment on a revision that was
# not marked for them: they see that a version exists, not the studio's notes.
BLANKED = {"text": "", "checklist": [], "attachment_files": [], "replies": []}
# Clients do not learn which studio member wrote a comment.
ANONYMOUS = {"person": None, "person_id": None, "editor": None, "editor_id": None}


def author_role(person_id, project_id):
    """A person's effective role in a project: their team role, else their
    studio role (a client stays a client off the team)."""
    row = db.session.execute(
        select(func.coalesce(ProjectPersonLink.role, Person.role))
        .select_from(Person)
        .outerjoin(ProjectPersonLink, (ProjectPersonLink.person_id == Person.id)
                   & (ProjectPersonLink.project_id == project_id))
        .where(Person.id == person_id)).first()
    return row[0] if row else None


def _author_role(table):
    """SQL: the effective role of each comment's author in the project of
    the comment's task."""
    project = select(Task.project_id).where(Task.id == table.c.object_id) \
        .correlate(table).scalar_subquery()
    return select(func.coalesce(ProjectPersonLink.role, Person.role)).select_from(Person) \
        .outerjoin(ProjectPersonLink, (ProjectPersonLink.person_id == Person.id)
                   & (ProjectPersonLink.project_id == project)) \
        .where(Person.id == table.c.person_id).correlate(table).scalar_subquery()


def not_by_client(table, person_id=None):
    """Comments whose author is not a client of the comment's project (a
    row filter of the comments collection, hence the unused person_id)."""
    return func.coalesce(_author_role(table), "") != "client"


def _attachment_comment(table, *conditions):
    return select(Comment.id).where(Comment.id == table.c.comment_id, *conditions).exists()


def attachment_not_by_client(table, person_id):
    """Attachments artists may list: not on a client's comment."""
    return _attachment_comment(table, not_by_client(Comment.__table__))


def attachment_for_client(table, person_id):
    """Attachments a client may list: on comments shared with clients, on
    client threads, or with client isolation on their own comments."""
    isolated = select(Project.is_clients_isolated).join(Task, Task.project_id == Project.id) \
        .where(Task.id == Comment.object_id).scalar_subquery()
    return _attachment_comment(table, sa.or_(
        Comment.for_client.is_(True),
        sa.and_(func.coalesce(isolated, False), Comment.person_id == person_id),
        sa.and_(~func.coalesce(isolated, False), ~not_by_client(Comment.__table__))))


def load(comment_id):
    row = db.session.get(Comment, as_uuid(comment_id, "comment id"))
    if row is None:
        raise NotFound(f"No comment has the id {comment_id}.")
    return row


def load_on_task(task_id, comment_id):
    """The comment, once it is one of the task's (404 otherwise: the task's
    access says nothing of a comment id sent along with it)."""
    comment = load(comment_id)
    if str(comment.object_id) != str(as_uuid(task_id, "task id")):
        raise NotFound(f"The task {task_id} has no comment {comment_id}.")
    return comment


def _is_clients_isolated(project_id):
    return bool(db.session.scalar(
        select(Project.is_clients_isolated).where(Project.id == project_id)))


def check_read(actor, comment, task=None):
    """The actor's role in the comment's project once they may read it:
    those who see the task; then clients only client threads (with client
    isolation, their own comments) and comments shared with clients;
    artists and vendors never what clients wrote."""
    task = task or tasks.load(comment.object_id)
    role = tasks.check_read(actor, task)
    if role in READ_ALL:
        return role
    written_by_client = author_role(comment.person_id, task.project_id) == "client"
    if role == "client":
        if comment.for_client:
            return role
        if _is_clients_isolated(task.project_id):
            allowed = comment.person_id == actor.person.id
        else:
            allowed = written_by_client
        if not allowed:
            raise Forbidden("This comment is not shared with clients.")
        return role
    if written_by_client:
        raise Forbidden("Comments written by clients are for the production team.")
    return role


def get_for(actor, task_id, comment_id):
    """The comment of the task, once the actor may read it."""
    comment = load_on_task(task_id, comment_id)
    check_read(actor, comment)
    return comment


# Building a thread --------------------------------------------------------------------

def _ids(link_column, value_column):
    return func.coalesce(
        select(func.array_agg(value_column)).where(link_column == Comment.id)
        .scalar_subquery(), sa.text("'{}'::uuid[]"))


def _json_list(select_from, *where, fields, order=()):
    obj = func.json_build_object(*[part for name, column in fields
                                   for part in (sa.literal(name), column)])
    return func.coalesce(
        select(func.json_agg(aggregate_order_by(obj, *order) if order else obj))
        .select_from(select_from).where(*where).scalar_subquery(),
        sa.text("'[]'::json"))


def _person_json(alias):
    return select(news.short_person(sa.inspect(alias).selectable)).scalar_subquery()


def thread_columns(clients_view=False):
    """Labelled expressions that make a comment row what the thread shows:
    its previews, mentions, acknowledgements and attachments, its status,
    author and editor, and the author's effective role (`author_role`)."""
    author = sa.orm.aliased(Person)
    editor = sa.orm.aliased(Person)
    preview = PreviewFile
    preview_rows = sa.join(PreviewFile, CommentPreviewLink,
                           CommentPreviewLink.preview_file == preview.id)
    preview_where = [CommentPreviewLink.comment == Comment.id]
    if clients_view:
        preview_where.append(func.coalesce(preview.validation_status, "") != "rejected")
    return [
        _json_list(preview_rows, *preview_where, order=(preview.revision, preview.position),
                   fields=[(name, getattr(preview, name)) for name in (
                       "id", "task_id", "revision", "extension", "width", "height",
                       "duration", "status", "validation_status", "original_name",
                       "position", "annotations")]).label("previews"),
        _ids(CommentMention.comment, CommentMention.person).label("mentions"),
        _ids(CommentDepartmentMention.comment,
             CommentDepartmentMention.department).label("department_mentions"),
        _ids(CommentAcknowledgement.comment,
             CommentAcknowledgement.person).label("acknowledgements"),
        _json_list(AttachmentFile, AttachmentFile.comment_id == Comment.id,
                   order=(AttachmentFile.created_at,),
                   fields=[(name, getattr(AttachmentFile, name)) for name in (
                       "id", "name", "extension", "reply_id", "size")])
        .label("attachment_files"),
        select(func.json_build_object(
            "id", TaskStatus.id, "name", TaskStatus.name, "short_name", TaskStatus.short_name,
            "color", TaskStatus.color)).where(TaskStatus.id == Comment.task_status_id)
        .scalar_subquery().label("task_status"),
        _person_json(author).where(author.id == Comment.person_id).label("person"),
        _person_json(editor).where(editor.id == Comment.editor_id).label("editor"),
        _author_role(Comment.__table__).label("author_role"),
    ]


def embed_reply_authors(comments):
    """Each reply gets its author's short record (one query for the lot)."""
    ids = {r.get("person_id") for c in comments for r in (c.get("replies") or [])
           if r.get("person_id")}
    if not ids:
        return
    people = short_people(ids)
    for comment in comments:
        for reply in comment.get("replies") or []:
            reply["person"] = people.get(reply.get("person_id"))


def uuids(values):
    # Replies imported from elsewhere may name their author any way.
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(str(value)))
        except ValueError:
            pass
    return out


def short_people(ids):
    """{id: short person record} of the persons named by `ids`."""
    person = Person.__table__
    return {str(person_id): record for person_id, record in db.session.execute(
        select(person.c.id, news.short_person(person)).where(person.c.id.in_(uuids(ids))))}


def _for_client(actor, comments, isolated):
    """What a client gets of a thread (section 2.3): client threads and
    comments shared with them; studio comments on a revision, blanked;
    studio authors never named."""
    shown = []
    for comment in comments:
        by_client = comment["author_role"] == "client"
        for_client = bool(comment.get("for_client"))
        if comment["previews"] and not by_client and not for_client:
            comment.update(BLANKED)
        elif not (for_client or (comment["person_id"] == actor.id if isolated
                                 else by_client)):
            continue
        if not by_client:
            comment.update(ANONYMOUS)
        shown.append(comment)
    return shown


def task_comments(actor, task_id):
    """GET /data/tasks/<id>/comments: the task's thread, newest first, as
    the actor may read it."""
    task = tasks.load(task_id)
    role = tasks.check_read(actor, task)
    columns = thread_columns(clients_view=role == "client")
    criteria = [Comment.object_id == task.id]
    if role not in READ_ALL and role != "client":
        criteria.append(not_by_client(Comment.__table__))
    # Ordered on the stored time: comments posted within one second keep
    # their order, which the wire format's seconds would lose.
    newest_first = (-func.extract("epoch", Comment.created_at)).label("newest_first")
    comments = crud.select_rows(crud.collection("comments"), actor, *criteria,
                                columns=columns + [newest_first], sort=("newest_first",))
    embed_reply_authors(comments)
    if role == "client":
        comments = _for_client(actor, comments, _is_clients_isolated(task.project_id))
    for comment in comments:
        del comment["author_role"], comment["newest_first"]
        if comment["editor"] is None:
            del comment["editor"]
    return comments


def comment_json(actor, comment):
    """One comment the way the single-comment routes answer: its columns
    and relation ids, its author and the authors of its replies, and its
    attachments as records."""
    out = crud.serialize(crud.collection("comments"), actor, comment, relations=True)
    attachments = crud.select_rows(crud.collection("attachment-files"), actor,
                                   AttachmentFile.comment_id == comment.id)
    out["attachment_files"] = sorted(attachments, key=lambda a: a["created_at"])
    out["person"] = short_people([comment.person_id]).get(str(comment.person_id))
    embed_reply_authors([out])
    project_id = db.session.scalar(select(Task.project_id).where(Task.id == comment.object_id))
    if project_role(actor, project_id) == "client" and \
            author_role(comment.person_id, project_id) != "client":
        out.update(ANONYMOUS)
    return out


def project_comments(actor, project_id, args):
    """GET /data/projects/<id>/comments: every comment of the production
    with its relation ids (one page with `page`); for its team but clients
    and vendors, and artists do not get what clients wrote (the comments
    collection's list rule)."""
    project_id = as_uuid(project_id, "project id")
    if db.session.get(Project, project_id) is None:
        raise NotFound(f"No project has the id {project_id}.")
    role = require_project_access(actor, project_id)
    if role in ("client", "vendor"):
        raise Forbidden("Clients and vendors cannot list a production's comments.")
    wanted = {k: args[k] for k in ("page", "limit") if k in args}
    return crud.list_json(crud.collection("comments"), actor, {**wanted, "relations": "true"},
                          Comment.object_id.in_(select(Task.id).where(
                              Task.project_id == project_id)))


def attachment_ids_column():
    """The ids of each comment's attachments (a relation the ORM does not
    keep in a link table)."""
    return _ids(AttachmentFile.comment_id, AttachmentFile.id).label("attachment_files")


# Attachments --------------------------------------------------------------------------

def _attachment_rows(actor, *criteria):
    return crud.select_json(crud.collection("attachment-files"), actor, *criteria,
                            sort=("created_at",))


def task_attachment_files(actor, task_id):
    """GET /data/tasks/<id>/attachment-files (admins: a sync route)."""
    require_admin(actor)
    task = tasks.load(task_id)
    return _attachment_rows(actor, AttachmentFile.comment_id.in_(
        select(Comment.id).where(Comment.object_id == task.id)))


def project_attachment_files(actor, project_id):
    """GET /data/projects/<id>/attachment-files (admins: a sync route)."""
    require_admin(actor)
    return _attachment_rows(actor, AttachmentFile.comment_id.in_(
        select(Comment.id).join(Task, Task.id == Comment.object_id)
        .where(Task.project_id == as_uuid(project_id, "project id"))))


def check_attachment_read(actor, attachment):
    """An attachment is readable with its comment (stricter than Zou, which
    asks for the task only: a client would fetch the files of studio notes
    the thread blanks for them), or with the entity of its chat message's
    chat."""
    if attachment.comment_id is not None:
        comment = db.session.get(Comment, attachment.comment_id)
        if comment is not None:
            check_read(actor, comment)
            return
    elif attachment.chat_message_id is not None:
        entity_id = db.session.scalar(
            select(Chat.object_id).join(ChatMessage, ChatMessage.chat_id == Chat.id)
            .where(ChatMessage.id == attachment.chat_message_id))
        if entity_id is not None:
            entities.get_for(actor, entity_id)
            return
    raise Forbidden("This file belongs to nothing you can see.")


def attachment_content(actor, attachment_file_id):
    """(row, open binary file) of an attachment the actor may read."""
    row = db.session.get(AttachmentFile, as_uuid(attachment_file_id, "attachment file id"))
    if row is None:
        raise NotFound(f"No attachment file has the id {attachment_file_id}.")
    check_attachment_read(actor, row)
    return row, attachments.open_file(row)


# Images a browser shows without running anything: SVG (scripts) and
# anything else go as a download.
INLINE_SAFE = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp",
                         "image/avif"})


def is_inline_safe(mimetype):
    return bool(mimetype) and mimetype.split(";")[0].strip().lower() in INLINE_SAFE

