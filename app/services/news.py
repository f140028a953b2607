"""News feeds (behaviours.md row 24): one entry per comment posted on a
task, written by the comments service. Read here per project
(/data/projects/<id>/news), across the caller's productions
(/data/projects/news), one at a time, and per entity (entity_tasks.news);
all through one builder, so every feed has the same entries.

Who reads news: the production's team, except clients (Zou refuses them
the project feed; its single-entry and all-projects routes forgot to, a
gap closed here) and vendors, who get the news of their own tasks and no
single entry, as in Zou.
"""
import math

import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models.comment import Comment
from app.models.entity import Entity
from app.models.events import News
from app.models.files import PreviewFile
from app.models.person import Person
from app.models.project import Project
from app.models.settings import EntityType
from app.models.task import Task
from app.permissions import as_uuid, require_project_access, team_project_ids
from app.services import crud, entities, projects

NEWS = News.__table__
TASK = Task.__table__
COMMENT = Comment.__table__
PREVIEW = PreviewFile.__table__
ENTITY = Entity.__table__.alias("news_entity")
PARENT = Entity.__table__.alias("news_parent")
GRAND = Entity.__table__.alias("news_grandparent")
ENTITY_TYPE = EntityType.__table__.alias("news_entity_type")
AUTHOR = Person.__table__.alias("news_author")
PAGE_SIZE = 50
READERS = ("manager", "supervisor", "user")


def full_entity_name(entity, parent, grand, entity_type):
    """SQL: (full name, episode id) of an entity as feeds show it: the
    sequence (and its episode) before a shot, the episode before a
    sequence, the type before anything else (assets, concepts, edits...),
    whose episode is the one it was made for (source_id)."""
    kind = entity_type.c.name
    name = sa.case(
        (kind == "Shot", func.concat_ws(" / ", grand.c.name, parent.c.name, entity.c.name)),
        (kind == "Sequence", func.concat_ws(" / ", parent.c.name, entity.c.name)),
        (kind == "Episode", entity.c.name),
        else_=func.concat_ws(" / ", kind, entity.c.name))
    episode = sa.case((kind == "Shot", grand.c.id), (kind == "Sequence", parent.c.id),
                      (kind == "Episode", sa.null()), else_=entity.c.source_id)
    return name, episode


def short_person(person):
    """SQL: the author as Zou embeds it (id, names, full name, avatar, role)."""
    first, last = person.c.first_name, person.c.last_name
    full = sa.case((and_(func.coalesce(first, "") != "", func.coalesce(last, "") != ""),
                    first + " " + last),
                   else_=func.coalesce(first, "") + func.coalesce(last, ""))
    return func.json_build_object(
        "id", person.c.id, "first_name", first, "last_name", last, "full_name", full,
        "has_avatar", person.c.has_avatar, "role", person.c.role)


def _joined(stmt):
    return (stmt.select_from(NEWS)
            .join(TASK, TASK.c.id == NEWS.c.task_id)
            .join(ENTITY, ENTITY.c.id == TASK.c.entity_id)
            .outerjoin(COMMENT, COMMENT.c.id == NEWS.c.comment_id)
            .outerjoin(PARENT, PARENT.c.id == ENTITY.c.parent_id))


def _preview_files():
    """SQL: the previews of the entry's task and revision, as Kitsu's feed
    of previews shows them."""
    others = PREVIEW.alias("news_revision_preview")
    return func.coalesce(select(func.json_agg(sa.dialects.postgresql.aggregate_order_by(
        func.json_build_object("id", others.c.id, "name", others.c.name,
                               "extension", others.c.extension, "revision", others.c.revision,
                               "position", others.c.position, "status", others.c.status),
        others.c.position))).where(others.c.task_id == NEWS.c.task_id,
                                   others.c.revision == PREVIEW.c.revision)
        .scalar_subquery(), sa.text("'[]'::json"))


def _entries(criteria, limit, offset, only_preview):
    name, episode_id = full_entity_name(ENTITY, PARENT, GRAND, ENTITY_TYPE)
    columns = [
        NEWS.c.id, sa.literal("News").label("type"), NEWS.c.author_id, NEWS.c.comment_id,
        NEWS.c.task_id, TASK.c.task_type_id, COMMENT.c.task_status_id,
        TASK.c.entity_id.label("task_entity_id"), NEWS.c.preview_file_id,
        PREVIEW.c.extension.label("preview_file_extension"),
        PREVIEW.c.revision.label("preview_file_revision"),
        TASK.c.project_id, Project.name.label("project_name"),
        crud.wire_column(NEWS.c.created_at), NEWS.c.change,
        func.coalesce(name, "").label("full_entity_name"), episode_id.label("episode_id"),
        ENTITY.c.preview_file_id.label("entity_preview_file_id"),
        sa.case((AUTHOR.c.id.is_not(None), short_person(AUTHOR))).label("person"),
    ]
    if only_preview:
        columns.append(_preview_files().label("preview_files"))
    stmt = (_joined(select(*columns))
            .join(Project, Project.id == TASK.c.project_id)
            .outerjoin(PREVIEW, PREVIEW.c.id == NEWS.c.preview_file_id)
            .outerjoin(GRAND, GRAND.c.id == PARENT.c.parent_id)
            .outerjoin(ENTITY_TYPE, ENTITY_TYPE.c.id == ENTITY.c.entity_type_id)
            .outerjoin(AUTHOR, AUTHOR.c.id == NEWS.c.author_id)
            .where(*criteria)
            .order_by(NEWS.c.created_at.desc(), NEWS.c.id.desc())
            .limit(limit).offset(offset))
    return [dict(row._mapping) for row in db.session.execute(stmt)]


def feed(criteria, page=1, limit=PAGE_SIZE, only_preview=False):
    """The news matching `criteria` (SQL on NEWS, TASK, COMMENT, ENTITY and
    PARENT), newest first, in Zou's page envelope {data, total, nb_pages,
    limit, offset, page}; with `only_preview`, each entry lists the
    previews of its revision."""
    total = db.session.scalar(_joined(select(func.count(NEWS.c.id))).where(*criteria))
    offset = (page - 1) * limit
    return {"data": _entries(criteria, limit, offset, only_preview), "total": total,
            "nb_pages": math.ceil(total / limit), "limit": limit, "offset": offset,
            "page": page}


def _stats(criteria):
    """{task status id: number of status changes} among the matching news."""
    rows = db.session.execute(
        _joined(select(COMMENT.c.task_status_id, func.count(NEWS.c.id)))
        .where(*criteria, NEWS.c.change.is_(True), COMMENT.c.task_status_id.is_not(None))
        .group_by(COMMENT.c.task_status_id))
    return {str(status_id): count for status_id, count in rows}


def _filters(task_type_id=None, task_status_id=None, person_id=None, episode_id=None,
             only_preview=False, after=None, before=None):
    criteria = []
    if task_type_id:
        criteria.append(TASK.c.task_type_id == as_uuid(task_type_id, "task type id"))
    if task_status_id:
        criteria.append(COMMENT.c.task_status_id == as_uuid(task_status_id, "task status id"))
    if person_id:
        criteria.append(NEWS.c.author_id == as_uuid(person_id, "person id"))
    if episode_id:
        # Shots of the episode's sequences, as Zou filters.
        criteria.append(PARENT.c.parent_id == as_uuid(episode_id, "episode id"))
    if only_preview:
        criteria.append(NEWS.c.preview_file_id.is_not(None))
    if after is not None:
        criteria.append(NEWS.c.created_at > after)
    if before is not None:
        criteria.append(NEWS.c.created_at < before)
    return criteria


def _listing(scope, page, limit, filters):
    criteria = [*scope, *_filters(**filters)]
    result = feed(criteria, page=page, limit=limit, only_preview=filters.get("only_preview"))
    result["stats"] = _stats(criteria)
    return result


def _own_tasks(actor):
    return entities.assigned_to_actor(actor, TASK.c.id)


def _reader_role(actor, project_id):
    """The actor's role in the project, once they may read its news."""
    projects.get_for(actor, project_id)
    role = require_project_access(actor, project_id)
    if role == "client":
        raise Forbidden("Clients do not read the production's news.")
    return role


def project_news(actor, project_id, page=1, limit=PAGE_SIZE, **filters):
    """GET /data/projects/<id>/news: a page of the production's news with
    `stats`, filtered as asked; vendors get their tasks' news only."""
    role = _reader_role(actor, project_id)
    scope = [TASK.c.project_id == as_uuid(project_id, "project id")]
    if role == "vendor":
        scope.append(_own_tasks(actor))
    return _listing(scope, page, limit, filters)


def all_news(actor, project_id=None, page=1, limit=PAGE_SIZE, **filters):
    """GET /data/projects/news: the news of the caller's open productions
    (every open one for admins), or of the one asked for among them."""
    if actor.is_admin:
        scope = [TASK.c.project_id.in_(select(Project.id).where(
            projects.is_open(Project.project_status_id)))]
    else:
        scope = [or_(TASK.c.project_id.in_(team_project_ids(actor, roles=READERS)),
                     and_(TASK.c.project_id.in_(team_project_ids(actor, roles=("vendor",))),
                          _own_tasks(actor)))]
    if project_id is not None:
        scope.append(TASK.c.project_id == as_uuid(project_id, "project id"))
    return _listing(scope, page, limit, filters)


def one(actor, project_id, news_id):
    """GET /data/projects/<id>/news/<news_id>: one entry of the feed."""
    if _reader_role(actor, project_id) == "vendor":
        raise Forbidden("Vendors do not read single news entries.")
    found = _entries([NEWS.c.id == as_uuid(news_id, "news id"),
                      TASK.c.project_id == as_uuid(project_id, "project id")], 1, 0, False)
    if not found:
        raise NotFound(f"No news has the id {news_id} in this project.")
    return found[0]
