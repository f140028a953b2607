"""Productions: who sees them, their status and the rules of their writes
(behaviours.md row 5)."""
from sqlalchemy import select

from app.errors import BadRequest, Forbidden
from app.extensions import db
from app.permissions import require_admin, require_project_access, require_project_manager, \
    team_project_ids
from app.services import crud


def extra_columns(table):
    from app.models.settings import ProjectStatus

    return [select(ProjectStatus.name).where(ProjectStatus.id == table.c.project_status_id)
            .scalar_subquery().label("project_status_name")]


def status_id(name):
    """The id of the "Open" or "Closed" status, created when missing."""
    from app.models.settings import ProjectStatus

    found = db.session.scalar(select(ProjectStatus.id).where(ProjectStatus.name == name))
    if found is None:
        status = ProjectStatus(name=name, color="#000000")
        db.session.add(status)
        db.session.flush()
        found = status.id
    return found


class Policy:
    def hidden_columns(self, actor):
        return frozenset()

    def list_scope(self, actor, coll, stmt):
        if actor.is_admin:
            return stmt
        return stmt.where(coll.table.c.id.in_(team_project_ids(actor)))

    def read(self, actor, coll, row):
        require_project_access(actor, row.id)

    def create(self, actor, coll, data):
        require_admin(actor)

    def update(self, actor, coll, row, data):
        require_project_manager(actor, row.id)

    def delete(self, actor, coll, row):
        if not actor.is_admin:
            raise Forbidden("Only admins can delete projects.")


class Hooks(crud.Hooks):
    def before_create(self, actor, data):
        data.setdefault("project_status_id", str(status_id("Open")))
        _check_resolution(data.get("resolution"))
        return data

    def after_create(self, actor, row):
        episode = ensure_first_episode(row)
        return {"first_episode_id": str(episode.id)} if episode else None

    def before_update(self, actor, row, data):
        _check_resolution(data.get("resolution"))
        return data

    def after_update(self, actor, row, data):
        ensure_first_episode(row)
        return None

    def before_delete(self, actor, row, force):
        if row.project_status_id != status_id("Closed"):
            raise BadRequest("Only closed projects can be deleted: close it first.")


def _check_resolution(resolution):
    import re

    if resolution and not re.fullmatch(r"\d*x\d+", resolution):
        raise BadRequest("The resolution must look like 1920x1080 (or x1080).")


def ensure_first_episode(project):
    """A TV show always has an episode to put sequences in: E01."""
    from app.models.entity import Entity
    from app.models.settings import EntityType

    if project.production_type != "tvshow":
        return None
    episode_type = db.session.scalar(select(EntityType.id).where(EntityType.name == "Episode"))
    existing = db.session.scalar(select(Entity).where(
        Entity.project_id == project.id, Entity.entity_type_id == episode_type).limit(1))
    if existing is not None:
        return existing
    episode = Entity(name="E01", project_id=project.id, entity_type_id=episode_type)
    db.session.add(episode)
    db.session.flush()
    from app import events
    events.emit("episode:new", {"episode_id": episode.id}, project_id=project.id)
    return episode
