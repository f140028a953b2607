"""Assets and asset types (behaviours.md row 8).

An asset is an entity whose entity type is not one of the built-in
temporal ones; its episode, when it has one, is in `source_id` (as Zou
stores it). Creation and deletion go through app/services/entities.py.
"""
import orjson
import sqlalchemy as sa
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from app import events
from app.errors import NotFound
from app.extensions import db
from app.models.entity import Entity, EntityLink
from app.models.project import Project
from app.models.settings import EntityType
from app.permissions import as_uuid, require_project_access, require_project_manager
from app.services import crud, descriptors, entities
from app.services.defaults import TEMPORAL_ENTITY_TYPES

E = entities.ENTITY
ASSET = entities.ASSET


def _coll():
    return crud.collection("entities")


# Asset types ------------------------------------------------------------------

def _asset_types(actor, *criteria):
    rows = crud.select_rows(crud.collection("entity-types"), actor,
                            EntityType.name.notin_(TEMPORAL_ENTITY_TYPES), *criteria,
                            relations=True, sort=("name",))
    return [{**row, "type": "AssetType"} for row in rows]


def asset_types(actor, args):
    """GET /data/asset-types: every asset type, or those matching the
    query's columns (project_id: those the project has assets of)."""
    criteria = []
    for key, raw in args.items():
        if key == "project_id":
            require_project_access(actor, raw)
            criteria.append(EntityType.id.in_(select(Entity.entity_type_id).where(
                Entity.project_id == as_uuid(raw, "project id"))))
        elif key == "name":
            criteria.append(EntityType.name.ilike(raw))
        elif key == "id":
            criteria.append(EntityType.id == as_uuid(raw))
    return _asset_types(actor, *criteria)


def asset_type(actor, asset_type_id):
    found = _asset_types(actor, EntityType.id == as_uuid(asset_type_id, "asset type id"))
    if not found:
        raise NotFound(f"No asset type has the id {asset_type_id}.")
    return found[0]


def project_asset_types(actor, project_id):
    """The asset types of the assets the project has (that the caller sees)."""
    require_project_access(actor, project_id)
    mine = select(E.c.entity_type_id).where(*entities.scope(actor, project_id=project_id))
    return _asset_types(actor, EntityType.id.in_(mine))


def shot_asset_types(actor, shot_id):
    """The asset types of the assets cast in a shot."""
    shot = entities.get_for(actor, shot_id, "Shot")
    cast = select(Entity.entity_type_id).join(
        EntityLink, EntityLink.entity_out_id == Entity.id).where(
        EntityLink.entity_in_id == shot.id)
    return _asset_types(actor, EntityType.id.in_(cast))


# Lists ------------------------------------------------------------------------

def in_episode(episode_id):
    """Assets of an episode: made for it, or cast in it."""
    if episode_id in (None, "", entities.ALL_EPISODES, entities.MAIN_PACK):
        return entities.episode_criteria(episode_id, E.c.source_id)
    episode = as_uuid(episode_id, "episode id")
    return [or_(E.c.source_id == episode, select(EntityLink.entity_in_id).where(
        EntityLink.entity_out_id == E.c.id, EntityLink.entity_in_id == episode).exists())]


def hidden_fields(actor, kind_name, project_ids=None):
    """{project id: descriptor field names the actor may not see there}
    for the kind; empty for those who see everything."""
    if actor.is_admin:
        return {}
    md = descriptors.MD
    stmt = select(md.c.project_id, md.c.field_name).where(
        md.c.entity_type == kind_name,
        md.c.project_id.in_(select(Project.id) if project_ids is None else project_ids),
        ~descriptors.visible(actor, descriptors.role_per_row(actor)))
    out = {}
    for project_id, field_name in db.session.execute(stmt):
        out.setdefault(str(project_id), set()).add(field_name)
    return out


def without_hidden_data(actor, kind_name, body):
    """A JSON list of entities (bytes) with the `data` values of
    descriptors the actor may not see removed. Most callers see every
    descriptor, and get the bytes untouched."""
    hidden = hidden_fields(actor, kind_name)
    if not hidden:
        return body
    page = orjson.loads(body)
    rows = page["data"] if isinstance(page, dict) else page
    for row in rows:
        gone = hidden.get(row.get("project_id"))
        if gone and isinstance(row.get("data"), dict):
            row["data"] = {k: v for k, v in row["data"].items() if k not in gone}
    return orjson.dumps(page)


def list_assets(actor, args, project_id=None, asset_type_id=None):
    """GET /data/assets and the per-project lists: asset rows as JSON,
    narrowed by the query's columns, `episode_id` (made for it or cast in
    it) and `assigned_to` (tasks of the caller)."""
    criteria = [entities.is_asset_type(), *in_episode(args.get("episode_id"))]
    if "assigned_to" in args:
        criteria.append(entities.entity_with_assigned_task()(E, actor.person.id))
    columns = {k: v for k, v in args.items() if k not in ("episode_id", "assigned_to")} | {
        k: v for k, v in (("project_id", project_id), ("entity_type_id", asset_type_id)) if v}
    if columns.get("project_id"):
        require_project_access(actor, columns["project_id"])
    body = crud.list_json(_coll(), actor, columns, *criteria)
    return without_hidden_data(actor, ASSET, body)


def _columns(actor):
    """What each asset of the with-tasks lists carries (Zou's shape)."""
    episodes = aliased(Entity, name="episode")
    cast_in_episodes = func.coalesce(select(func.json_agg(sa.dialects.postgresql.aggregate_order_by(
        sa.cast(EntityLink.entity_in_id, sa.Text), episodes.name)))
        .select_from(EntityLink).join(episodes, episodes.id == EntityLink.entity_in_id)
        .where(EntityLink.entity_out_id == E.c.id,
               episodes.entity_type_id == select(EntityType.id)
               .where(EntityType.name == "Episode").scalar_subquery())
        .scalar_subquery(), sa.text("'[]'::json"))
    type_name = select(EntityType.name).where(EntityType.id == E.c.entity_type_id) \
        .scalar_subquery()
    return {
        "id": E.c.id, "name": E.c.name,
        "preview_file_id": entities.uuid_text(E.c.preview_file_id),
        "description": E.c.description, "asset_type_name": type_name,
        "asset_type_id": E.c.entity_type_id, "canceled": E.c.canceled,
        "ready_for": sa.cast(E.c.ready_for, sa.Text),
        "episode_id": entities.uuid_text(E.c.source_id),
        "casting_episode_ids": cast_in_episodes,
        "is_casting_standby": E.c.is_casting_standby, "is_shared": E.c.is_shared,
        "data": entities.visible_data(actor, ASSET), "project_id": E.c.project_id,
    }


def with_tasks(actor, query):
    """GET /data/assets/with-tasks: assets with their tasks embedded, by
    type name then name."""
    criteria = [entities.is_asset_type(), *in_episode(query.get("episode_id"))]
    if query.get("id"):
        criteria.append(E.c.id == as_uuid(query["id"]))
    if query.get("assigned_to"):
        criteria.append(entities.entity_with_assigned_task()(E, actor.person.id))
    criteria = entities.scope(actor, criteria, project_id=query.get("project_id"))
    return entities.with_tasks_json(actor, _columns(actor), criteria,
                                    sort=("asset_type_name", "name"))


# One asset ------------------------------------------------------------------

def get_asset(actor, asset_id):
    """GET /data/assets/<id>: the asset's columns and relations, its
    project and type names, and its tasks as in the with-tasks list."""
    row = entities.get_for(actor, asset_id, ASSET)
    asset = crud.serialize(_coll(), actor, row, relations=True)
    listed = entities.with_tasks_rows(actor, _columns(actor), [E.c.id == row.id])
    for key in ("source_id", "nb_frames"):
        asset.pop(key, None)
    asset["project_name"] = db.session.scalar(select(Project.name).where(
        Project.id == row.project_id))
    asset.update(listed[0])
    return asset


def create_asset(actor, project_id, asset_type_id, body):
    """POST .../asset-types/<type>/assets/new (project managers)."""
    require_project_manager(actor, project_id)
    type_row = db.session.get(EntityType, as_uuid(asset_type_id, "asset type id"))
    if type_row is None or type_row.name in TEMPORAL_ENTITY_TYPES:
        raise NotFound(f"No asset type has the id {asset_type_id}.")
    episode_id = body.get("episode_id") or body.get("source_id")
    row = entities.create_entity(
        actor, project_id, type_row.id, body["name"], data=body.get("data"),
        description=body.get("description"), is_shared=body.get("is_shared") or False,
        source_id=as_uuid(episode_id, "episode id") if episode_id else None)
    db.session.commit()
    return entities.serialize(actor, row)


def delete_asset(actor, asset_id, force=False):
    row = entities.load(asset_id, ASSET)
    entities.delete_entity(actor, row, force)
    db.session.commit()


# Sharing ------------------------------------------------------------------

def set_shared(actor, is_shared, project_id=None, asset_type_id=None, asset_ids=None):
    """Flag assets as shared with other productions (or not): the
    project's, of one type, or by ids; managers of every project touched."""
    criteria = [entities.is_asset_type()]
    if project_id is not None:
        require_project_manager(actor, project_id)
        criteria.append(E.c.project_id == as_uuid(project_id, "project id"))
    if asset_type_id is not None:
        criteria.append(E.c.entity_type_id == as_uuid(asset_type_id, "asset type id"))
    if asset_ids is not None:
        ids = [as_uuid(i, "asset id") for i in asset_ids]
        criteria.append(E.c.id.in_(ids))
        for owner in db.session.scalars(select(E.c.project_id).where(*criteria).distinct()):
            require_project_manager(actor, owner)
    changed = db.session.execute(update(E).where(*criteria).values(is_shared=is_shared)
                                 .returning(E.c.id, E.c.project_id, E.c.entity_type_id)).all()
    by_project = {}
    for id_, owner, type_id in changed:
        by_project.setdefault(owner, []).append({"asset_id": id_, "asset_type": type_id})
    for owner, items in by_project.items():
        events.emit_many("asset:update", items, project_id=owner)
    db.session.commit()
    return crud.select_rows(_coll(), actor, E.c.id.in_([row.id for row in changed]),
                            sort=("name",))


def shared_used(actor, project_id, episode_id=None):
    """Shared assets of other productions cast in this one's shots (of
    one episode when given)."""
    require_project_access(actor, project_id)
    shot, sequence = aliased(Entity, name="shot"), aliased(Entity, name="sequence")
    used = select(EntityLink.entity_out_id).join(shot, shot.id == EntityLink.entity_in_id) \
        .join(sequence, sequence.id == shot.parent_id) \
        .where(shot.project_id == as_uuid(project_id, "project id"))
    if episode_id not in (None, entities.ALL_EPISODES, entities.MAIN_PACK):
        used = used.where(sequence.parent_id == as_uuid(episode_id, "episode id"))
    return crud.select_rows(_coll(), actor, entities.is_asset_type(), E.c.is_shared.is_(True),
                            E.c.canceled.isnot(True),
                            E.c.project_id != as_uuid(project_id), E.c.id.in_(used),
                            sort=("name",))
