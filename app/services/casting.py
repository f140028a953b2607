"""Casting (behaviours.md row 12): which assets appear in which shot,
sequence, episode or asset, and how many times (`entity_link` rows), and
the asset instances of scenes and shots.

The lists of the breakdown page are built as JSON by PostgreSQL, one query
each. Writes are set-based (a JSON array parameter unpacked with
jsonb_to_recordset): one statement per step whatever the number of
entities, so the bulk PUT of a whole sequence costs about what one shot
does. The statements are plain SQL because they lean on PostgreSQL
features (ON CONFLICT ... RETURNING, json aggregates) that read more
clearly as written than through the expression builder.
"""
import re
import unicodedata
import uuid
from collections import defaultdict

import orjson
from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import AssetInstance, AssetInstanceLink, Entity, EntityLink
from app.models.project import Project
from app.models.settings import EntityType
from app.permissions import as_uuid, require_project_manager, require_project_role
from app.services import crud, entities
from app.services.defaults import TEMPORAL_ENTITY_TYPES

# Vendors never see the breakdown: it shows the whole production.
READERS = ("manager", "supervisor", "user", "client")
INSTANCE_EDITORS = ("manager", "supervisor", "user")

# What a casting entry may carry, as SQL over the link `l`, the asset `a`,
# its type `at` and (on shot lists) the shot's sequence `seq`.
_FIELDS = {
    "asset_id": "a.id", "name": "a.name", "asset_name": "a.name",
    "asset_type_name": "at.name", "ready_for": "a.ready_for", "episode_id": "a.source_id",
    "sequence_name": "seq.name", "preview_file_id": "a.preview_file_id",
    "nb_occurences": "l.nb_occurences", "label": "l.label", "is_shared": "a.is_shared",
    "project_id": "a.project_id",
}
ENTITY_ITEM = ("asset_id", "asset_name", "asset_type_name", "ready_for", "episode_id",
               "preview_file_id", "nb_occurences", "label", "is_shared", "project_id")
SHOT_ITEM = ("asset_id", "name", "asset_name", "asset_type_name", "sequence_name",
             "preview_file_id", "nb_occurences", "label", "is_shared", "project_id")
EPISODE_ITEM = ("asset_id", "name", "asset_name", "asset_type_name", "preview_file_id",
                "nb_occurences", "label", "is_shared", "project_id")
ASSET_TYPE_ITEM = ("asset_id", "name", "asset_name", "asset_type_name", "preview_file_id",
                   "nb_occurences", "label")
_SHOT_JOIN = "JOIN entity seq ON seq.id = e.parent_id"


def _pairs(rows):
    """A JSON array parameter for jsonb_to_recordset."""
    return orjson.dumps(rows, default=str).decode()


# Reading --------------------------------------------------------------------

def _casting_map(fields, where, params, joins="", sort=("e.name",)):
    """{entity_in_id: [casting entries]} as JSON bytes, for the links of the
    entities (`e`) matching `where`: keys in `sort` order (SQL expressions),
    entries by asset type then name."""
    item = ", ".join(f"'{name}', {_FIELDS[name]}" for name in fields)
    sort_columns = "".join(f"min({expr}) AS sort{n}, " for n, expr in enumerate(sort))
    order = ", ".join(f"c.sort{n}" for n in range(len(sort)))
    sql = f"""
        SELECT coalesce(json_object_agg(c.key, c.casting ORDER BY {order}), '{{}}')::text
        FROM (SELECT l.entity_in_id AS key, {sort_columns}
                     json_agg(json_build_object({item}) ORDER BY at.name, a.name) AS casting
              FROM entity_link l
              JOIN entity e ON e.id = l.entity_in_id {joins}
              JOIN entity a ON a.id = l.entity_out_id
              JOIN entity_type at ON at.id = a.entity_type_id
              WHERE a.canceled IS NOT TRUE AND {where}
              GROUP BY l.entity_in_id) c"""
    return db.session.scalar(text(sql), params).encode()


def _require_reader(actor, project_id):
    as_uuid(project_id, "project id")
    require_project_role(actor, project_id, READERS)


def _casting_of(entity_id):
    return orjson.loads(_casting_map(ENTITY_ITEM, "l.entity_in_id = :id",
                                     {"id": entity_id})).get(str(entity_id), [])


def entity_casting(actor, project_id, entity_id):
    """The assets cast in one entity (shot, sequence, episode or asset)."""
    _require_reader(actor, project_id)
    _kinds(project_id, [entity_id])
    return _casting_of(entity_id)


def sequence_casting(actor, project_id, sequence_id):
    _require_reader(actor, project_id)
    if _kinds(project_id, [sequence_id]) != {str(as_uuid(sequence_id)): "Sequence"}:
        raise NotFound(f"No sequence has the id {sequence_id}.")
    return _casting_map(SHOT_ITEM, "e.parent_id = :sequence", {"sequence": sequence_id},
                        joins=_SHOT_JOIN, sort=("seq.name", "e.name"))


def shots_casting(actor, project_id, episode_id=None):
    """Every shot's casting (of one episode when given): the breakdown page."""
    _require_reader(actor, project_id)
    if episode_id == "main":  # shots outside any episode: Zou lists none
        return b"{}"
    where, params = "e.project_id = :project", {"project": project_id}
    if episode_id not in (None, "all"):
        where += " AND seq.parent_id = :episode"
        params["episode"] = str(as_uuid(episode_id, "episode id"))
    return _casting_map(SHOT_ITEM, where, params, joins=_SHOT_JOIN,
                        sort=("seq.name", "e.name"))


def episodes_casting(actor, project_id):
    _require_reader(actor, project_id)
    # Zou keyed every casting of the project here (shots too); only
    # episodes belong in this map.
    return _casting_map(
        EPISODE_ITEM, "e.project_id = :project AND e.entity_type_id = "
        "(SELECT id FROM entity_type WHERE name = 'Episode')", {"project": project_id})


def asset_type_casting(actor, project_id, asset_type_id):
    _require_reader(actor, project_id)
    if db.session.get(EntityType, as_uuid(asset_type_id, "asset type id")) is None:
        raise NotFound(f"No asset type has the id {asset_type_id}.")
    return _casting_map(ASSET_TYPE_ITEM, "e.project_id = :project AND e.entity_type_id = :type",
                        {"project": project_id, "type": asset_type_id})


def entity_links(actor, project_id, page=None, limit=None, cursor_created_at=None):
    """A project's links (those whose entity_in is in it), oldest first:
    the whole list, a page envelope, or those after a creation date."""
    require_project_manager(actor, project_id)
    if db.session.get(Project, as_uuid(project_id, "project id")) is None:
        raise NotFound(f"No project has the id {project_id}.")
    base = "FROM entity_link l JOIN entity e ON e.id = l.entity_in_id WHERE e.project_id = :p"
    params, after, window = {"p": project_id}, "", ""
    if page:  # a page wins over a cursor, as in Zou
        cursor_created_at = None
    if cursor_created_at is not None:
        after, params["cursor"] = " AND l.created_at > :cursor", cursor_created_at
    if page or cursor_created_at is not None:
        limit = limit if limit and limit > 0 else crud.page_size()
        window = f" LIMIT {int(limit)} OFFSET {int(max((page or 1) - 1, 0) * limit)}"
    rows = db.session.scalar(text(f"""
        SELECT coalesce(json_agg(r ORDER BY r.sort, r.id), '[]')::text FROM (
            SELECT l.id, l.entity_in_id, l.entity_out_id, l.nb_occurences, l.label, l.data,
                   to_char(l.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_at,
                   'EntityLink' AS type, l.created_at AS sort
            {base}{after} ORDER BY l.created_at, l.id{window}) r"""), params)
    data = [{k: v for k, v in row.items() if k != "sort"} for row in orjson.loads(rows)]
    if not window:
        return data
    # The total counts every link of the project, the cursor's as Zou's does.
    total = db.session.scalar(text(f"SELECT count(*) {base}"), {"p": project_id})
    if cursor_created_at is not None:
        return {"data": data, "total": total, "limit": limit}
    return {"data": data, "total": total, "nb_pages": -(-total // limit), "limit": limit,
            "offset": (page - 1) * limit, "page": page}


# Writing --------------------------------------------------------------------

def _kinds(project_id, entity_ids):
    """{entity id: kind} ("Shot", "Episode", ... or "Asset") of entities that
    must all be in the project: 404 for an unknown one, 403 for another's."""
    ids = {as_uuid(i, "entity id") for i in entity_ids}
    type_expr = crud.collection("entities").type_expr
    rows = db.session.execute(select(Entity.id, Entity.project_id, type_expr)
                              .where(Entity.id.in_(ids))).all()
    if len(rows) != len(ids):
        missing = ids - {r[0] for r in rows}
        raise NotFound(f"No entity has the id {sorted(map(str, missing))[0]}.")
    if any(str(r[1]) != str(project_id) for r in rows):
        raise Forbidden("These entities do not all belong to this project.")
    return {str(r[0]): r[2] for r in rows}


def _require_assets(asset_ids):
    ids = {as_uuid(i, "asset id") for i in asset_ids}
    found = set(db.session.scalars(select(Entity.id).where(Entity.id.in_(ids))))
    if found != ids:
        raise BadRequest(f"No asset has the id {sorted(map(str, ids - found))[0]}.")


def _links_of(entity_ids):
    """{(entity_in_id, entity_out_id): (nb_occurences, label)} of the entities."""
    rows = db.session.execute(
        select(EntityLink.entity_in_id, EntityLink.entity_out_id, EntityLink.nb_occurences,
               EntityLink.label).where(EntityLink.entity_in_id.in_(
                   [uuid.UUID(i) for i in entity_ids]))).all()
    return {(str(r[0]), str(r[1])): (r[2], r[3]) for r in rows}


def _event_kind(kind):
    # Zou announces every casting that is not a shot's or an episode's as an asset's.
    return kind.lower() if kind in ("Shot", "Episode") else "asset"


def apply_links(project_id, kinds, upserts, removals, cascade_episodes=True, leaving=(),
                commit=True):
    """Write a casting change: `upserts` {(in, out): (nb, label)} and
    `removals` {(in, out)}, then everything that follows from it (episode
    links mirrored from shots, counts, readiness, events). `leaving` are
    ids of removed links the caller deletes itself afterwards (the generic
    CRUD delete): left in place, but counted as gone. Commits unless told
    not to."""
    now = utc_now()
    leaving = sorted(str(i) for i in leaving)
    kinds = dict(kinds)
    added, removed = defaultdict(set), defaultdict(set)
    removals = set(removals)

    # An asset leaving an episode leaves the episode's shots too.
    episode_removals = [{"e": i, "a": o} for i, o in removals if kinds.get(i) == "Episode"]
    if cascade_episodes and episode_removals:
        for shot_id, asset_id in db.session.execute(text("""
                SELECT l.entity_in_id, l.entity_out_id FROM entity_link l
                JOIN entity shot ON shot.id = l.entity_in_id
                JOIN entity seq ON seq.id = shot.parent_id
                JOIN jsonb_to_recordset(CAST(:pairs AS jsonb)) r(e uuid, a uuid)
                  ON seq.parent_id = r.e AND l.entity_out_id = r.a"""),
                {"pairs": _pairs(episode_removals)}):
            removals.add((str(shot_id), str(asset_id)))
            kinds[str(shot_id)] = "Shot"

    if removals:
        for in_id, out_id in db.session.execute(text("""
                WITH doomed AS (
                    SELECT l.id, l.entity_in_id, l.entity_out_id FROM entity_link l
                    JOIN jsonb_to_recordset(CAST(:pairs AS jsonb)) r(i uuid, o uuid)
                      ON l.entity_in_id = r.i AND l.entity_out_id = r.o),
                gone AS (
                    DELETE FROM entity_link l USING doomed d
                    WHERE l.id = d.id AND l.id <> ALL(CAST(:leaving AS uuid[])))
                SELECT entity_in_id, entity_out_id FROM doomed"""),
                {"pairs": _pairs([{"i": i, "o": o} for i, o in removals]),
                 "leaving": leaving}):
            removed[str(in_id)].add(str(out_id))

    new_links, updated_links = [], []
    if upserts:
        rows = db.session.execute(text("""
            INSERT INTO entity_link (id, entity_in_id, entity_out_id, nb_occurences, label,
                                     created_at, updated_at)
            SELECT gen_random_uuid(), r.i, r.o, r.nb, r.label, :now, :now
            FROM jsonb_to_recordset(CAST(:links AS jsonb)) r(i uuid, o uuid, nb int, label text)
            ON CONFLICT (entity_in_id, entity_out_id) DO UPDATE
               SET nb_occurences = EXCLUDED.nb_occurences, label = EXCLUDED.label,
                   updated_at = EXCLUDED.updated_at
            RETURNING id, entity_in_id, entity_out_id, nb_occurences, label, xmax = 0"""),
            {"now": now, "links": _pairs([{"i": i, "o": o, "nb": nb, "label": label}
                                          for (i, o), (nb, label) in upserts.items()])}).all()
        for link_id, in_id, out_id, nb, _label, inserted in rows:
            if inserted:
                added[str(in_id)].add(str(out_id))
                new_links.append({"entity_link_id": link_id, "entity_in_id": in_id,
                                  "entity_out_id": out_id, "nb_occurences": nb})
            else:
                updated_links.append({"entity_link_id": link_id, "nb_occurences": nb})

    asset_updates = set()
    episodes = _mirror_to_episodes(kinds, added, removed, now, asset_updates, leaving)
    for episode_id in episodes:
        kinds[episode_id] = "Episode"
    # An episode's asset list is drawn from its casting.
    asset_updates.update(o for i, o in upserts if kinds[i] == "Episode")

    touched = set(added) | set(removed) | {i for i, _ in upserts} | {i for i, _ in removals}
    counts = dict(db.session.execute(text("""
        UPDATE entity e SET nb_entities_out = (
            SELECT count(*) FROM entity_link l JOIN entity a ON a.id = l.entity_out_id
            WHERE l.entity_in_id = e.id AND a.canceled IS NOT TRUE
              AND l.id <> ALL(CAST(:leaving AS uuid[])))
        WHERE e.id = ANY(CAST(:ids AS uuid[])) RETURNING e.id::text, e.nb_entities_out"""),
        {"ids": sorted(touched), "leaving": leaving}).all())
    shots = sorted(i for i in touched if kinds.get(i) == "Shot")
    refresh_readiness(shots, project_id, leaving)

    events.emit_many("entity-link:new", new_links, project_id)
    events.emit_many("entity-link:update", updated_links, project_id)
    diffs = defaultdict(list)
    for entity_id in sorted(touched):
        kind = _event_kind(kinds[entity_id])
        diffs[kind].append({
            f"{kind}_id": entity_id, "nb_entities_out": counts.get(entity_id, 0),
            "added_asset_ids": sorted(added[entity_id]),
            "removed_asset_ids": sorted(removed[entity_id])})
    for kind, payloads in diffs.items():
        events.emit_many(f"{kind}:casting-update", payloads, project_id)
    events.emit_many("asset:update", [{"asset_id": a} for a in sorted(asset_updates)],
                     project_id)
    if commit:
        db.session.commit()


def _mirror_to_episodes(kinds, added, removed, now, asset_updates, leaving=()):
    """Casting an asset in a shot casts it in the shot's episode (a link
    flagged auto); removing it from the last shot of the episode that uses
    it drops that auto link (a link set on the episode itself stays).
    Returns the episodes whose casting changed; fills `added`/`removed`."""
    def shot_pairs(by_entity):
        return _pairs([{"s": s, "a": a} for s, assets in by_entity.items()
                       if kinds.get(s) == "Shot" for a in assets])

    changed = set()
    if any(kinds.get(s) == "Shot" for s in added):
        for episode_id, asset_id in db.session.execute(text("""
                INSERT INTO entity_link (id, entity_in_id, entity_out_id, nb_occurences, label,
                                         data, created_at, updated_at)
                SELECT gen_random_uuid(), p.episode, p.asset, 1, '', '{"auto": true}',
                       :now, :now
                FROM (SELECT DISTINCT seq.parent_id AS episode, r.a AS asset
                      FROM jsonb_to_recordset(CAST(:pairs AS jsonb)) r(s uuid, a uuid)
                      JOIN entity shot ON shot.id = r.s
                      JOIN entity seq ON seq.id = shot.parent_id
                      WHERE seq.parent_id IS NOT NULL) p
                ON CONFLICT (entity_in_id, entity_out_id) DO NOTHING
                RETURNING entity_in_id::text, entity_out_id::text"""),
                {"now": now, "pairs": shot_pairs(added)}):
            added[episode_id].add(asset_id)
            asset_updates.add(asset_id)
            changed.add(episode_id)
    if any(kinds.get(s) == "Shot" for s in removed):
        for episode_id, asset_id in db.session.execute(text("""
                DELETE FROM entity_link el
                USING (SELECT DISTINCT seq.parent_id AS episode, r.a AS asset
                       FROM jsonb_to_recordset(CAST(:pairs AS jsonb)) r(s uuid, a uuid)
                       JOIN entity shot ON shot.id = r.s
                       JOIN entity seq ON seq.id = shot.parent_id
                       WHERE seq.parent_id IS NOT NULL) p
                WHERE el.entity_in_id = p.episode AND el.entity_out_id = p.asset
                  AND (el.data ->> 'auto')::boolean IS TRUE
                  AND NOT EXISTS (
                      SELECT 1 FROM entity_link l2
                      JOIN entity s2 ON s2.id = l2.entity_in_id
                      JOIN entity q2 ON q2.id = s2.parent_id
                      WHERE q2.parent_id = p.episode AND l2.entity_out_id = p.asset
                        AND l2.id <> ALL(CAST(:leaving AS uuid[])))
                RETURNING el.entity_in_id::text, el.entity_out_id::text"""),
                {"pairs": shot_pairs(removed), "leaving": list(leaving)}):
            removed[episode_id].add(asset_id)
            asset_updates.add(asset_id)
            changed.add(episode_id)
    return changed


def refresh_readiness(shot_ids, project_id, leaving=()):
    """Recompute nb_assets_ready of the shots' tasks in one UPDATE: a cast
    asset is ready for a task when it is shared from another project, or
    when its ready_for task type comes at or after the task's type in the
    project's shot pipeline (task type priorities of the project). Links
    whose ids are in `leaving` are not counted."""
    if not shot_ids:
        return
    rows = db.session.execute(text("""
        WITH priority AS (
            SELECT l.task_type_id, l.priority FROM project_task_type_link l
            JOIN task_type tt ON tt.id = l.task_type_id
            WHERE l.project_id = :project AND tt.for_entity = 'Shot')
        UPDATE task t SET nb_assets_ready = (
            SELECT count(*) FROM entity_link l JOIN entity a ON a.id = l.entity_out_id
            WHERE l.entity_in_id = t.entity_id AND a.canceled IS NOT TRUE
              AND l.id <> ALL(CAST(:leaving AS uuid[]))
              AND ((a.is_shared AND a.project_id <> t.project_id)
                   OR (a.ready_for IS NOT NULL AND
                       coalesce((SELECT priority FROM priority
                                 WHERE task_type_id = t.task_type_id), 0)
                       <= coalesce(nullif((SELECT priority FROM priority
                                           WHERE task_type_id = a.ready_for), 0), -1))))
        WHERE t.entity_id = ANY(CAST(:shots AS uuid[]))
        RETURNING t.id, t.nb_assets_ready"""),
        {"project": project_id, "shots": shot_ids, "leaving": list(leaving)})
    for task_id, nb_ready in rows:
        events.emit("task:update-casting-stats",
                    {"task_id": task_id, "nb_assets_ready": nb_ready},
                    project_id, persist=False)


def _entries(casting):
    """{asset_id: (nb_occurences, label)} of a casting list; entries lacking
    asset_id or nb_occurences are ignored, as Zou does."""
    out = {}
    for entry in casting:
        if not isinstance(entry, dict) or "asset_id" not in entry \
                or "nb_occurences" not in entry:
            continue
        nb = entry["nb_occurences"]
        if isinstance(nb, bool) or not isinstance(nb, int) or nb < 0:
            raise BadRequest("Field 'nb_occurences' must be a positive integer.")
        label = entry.get("label") or ""
        if not isinstance(label, str) or len(label) > 80:
            raise BadRequest("Field 'label' must be a string of at most 80 characters.")
        out[str(as_uuid(entry["asset_id"], "asset id"))] = (nb, label)
    return out


def update_castings(actor, project_id, castings):
    """Replace the casting of each entity ({entity_id: [entries]}): links
    not named any more go, the others are created or updated."""
    require_project_manager(actor, project_id)
    kinds = _kinds(project_id, castings)
    wanted = {str(as_uuid(e, "entity id")): _entries(c) for e, c in castings.items()}
    _require_assets({a for entries in wanted.values() for a in entries})
    previous = _links_of(wanted)
    upserts = {(e, a): value for e, entries in wanted.items() for a, value in entries.items()}
    removals = {pair for pair in previous if pair[1] not in wanted[pair[0]]}
    apply_links(project_id, kinds, upserts, removals)
    return castings


def cast_asset(actor, project_id, asset_id, entity_ids, nb_occurences=None, label=None):
    """Cast one asset in several entities, leaving the rest of their casting
    alone; None keeps the current count and label, 0 occurrences uncasts."""
    require_project_manager(actor, project_id)
    if db.session.get(Entity, as_uuid(asset_id, "asset id")) is None:
        raise NotFound(f"No asset has the id {asset_id}.")
    kinds = _kinds(project_id, entity_ids)
    asset_id = str(as_uuid(asset_id, "asset id"))
    current = _links_of(kinds)
    if nb_occurences == 0:
        apply_links(project_id, kinds, {}, {(e, asset_id) for e in kinds if (e, asset_id) in current})
    else:
        upserts = {}
        for entity_id in kinds:
            nb, old_label = current.get((entity_id, asset_id), (1, ""))
            upserts[(entity_id, asset_id)] = (nb_occurences if nb_occurences is not None else nb,
                                              label if label is not None else old_label)
        apply_links(project_id, kinds, upserts, set())
    castings = orjson.loads(_casting_map(ENTITY_ITEM, "l.entity_in_id = ANY(CAST(:ids AS uuid[]))",
                                         {"ids": sorted(kinds)}))
    return {entity_id: castings.get(entity_id, []) for entity_id in kinds}


def _uncast_link(project_id, link, **options):
    """Remove one link with what follows from it (counts, episode mirror);
    the shots of an episode keep the asset."""
    kinds = _kinds(project_id, [link.entity_in_id])
    apply_links(project_id, kinds, {}, {(str(link.entity_in_id), str(link.entity_out_id))},
           cascade_episodes=False, **options)


def remove_entity_link(actor, project_id, entity_link_id):
    """Delete one link of the project; returns the link as it was."""
    require_project_manager(actor, project_id)
    coll = crud.collection("entity-links")
    link = crud.load(coll, entity_link_id)
    serialized = crud.serialize(coll, actor, link)
    _uncast_link(project_id, link)
    return serialized


def before_link_delete(actor, link):
    """DELETE /data/entity-links/<id> (gazu's delete_entity_link; the
    collection's policy has checked the caller): what removing the link
    changes, as remove_entity_link does. The generic CRUD delete then
    removes the row and commits, in the same transaction."""
    project_id = db.session.scalar(select(Entity.project_id)
                                   .where(Entity.id == link.entity_in_id))
    _uncast_link(project_id, link, leaving={link.id}, commit=False)


# Asset instances --------------------------------------------------------------
# Numbered occurrences of an asset in a scene, which shots then use: another
# way to describe a breakdown, not kept in step with the casting links.

def _readable_entity(actor, entity_id, kind):
    """The scene or shot, 404 unless it is one, refused to whom may not read it."""
    coll = crud.collection("entities")
    row = crud.load(coll, entity_id)
    if db.session.scalar(select(EntityType.name).where(EntityType.id == row.entity_type_id)) \
            != kind:
        raise NotFound(f"No {kind.lower()} has the id {entity_id}.")
    coll.policy.read(actor, coll, row)
    return row


def _editable_entity(actor, entity_id, kind):
    # Zou lets anyone on the team do this; clients and vendors only look here.
    row = _readable_entity(actor, entity_id, kind)
    require_project_role(actor, row.project_id, INSTANCE_EDITORS)
    return row


def _instances_by(actor, key, *criteria, columns=()):
    """{row[key]: [instances]} in the wire format, by key, asset then
    number; `columns` are labelled keys that are no instance field (the
    shot using it), taken out of the rows once grouped."""
    extra = [AssetInstance.number.label("sort_number"), *columns]
    rows = crud.select_rows(crud.collection("asset-instances"), actor, *criteria,
                            columns=extra,
                            sort=tuple(dict.fromkeys((key, "asset_id", "sort_number"))))
    out = defaultdict(list)
    for row in rows:
        group = row[key]
        for column in extra:
            row.pop(column.name)
        out[group].append(row)
    return dict(out)


def scene_instances(actor, scene_id, asset_type_name=None):
    scene = _readable_entity(actor, scene_id, "Scene")
    criteria = [AssetInstance.scene_id == scene.id]
    if asset_type_name is not None:
        criteria.append(AssetInstance.asset_id.in_(
            select(Entity.id).join(EntityType, EntityType.id == Entity.entity_type_id)
            .where(EntityType.name == asset_type_name)))
    return _instances_by(actor, "asset_id", *criteria)


def _instance_name(asset_name, number):
    """Zou's default name: the asset's name made an identifier, then the
    number on four digits (Tree Big, 3 -> Tree_Big_0003)."""
    ascii_name = unicodedata.normalize("NFKD", asset_name).encode("ascii", "ignore").decode()
    return f"{re.sub(r'[^A-Za-z0-9]+', '_', ascii_name).strip('_')}_{number:04d}"


def _new_instance(actor, project_id, asset, column, host_id, description, event):
    """A new instance of the asset in its host (the `column` of the
    instance: a scene or an asset), numbered after the last one there;
    emits asset_instance:new with `event` and commits."""
    last = db.session.scalar(select(func.max(AssetInstance.number)).where(
        getattr(AssetInstance, column) == host_id, AssetInstance.asset_id == asset.id)) or 0
    row = AssetInstance(asset_id=asset.id, number=last + 1, description=description or "",
                        name=_instance_name(asset.name, last + 1), **{column: host_id})
    db.session.add(row)
    db.session.flush()
    events.emit("asset_instance:new", {**event, "asset_instance_id": row.id}, project_id)
    db.session.commit()
    return crud.serialize(crud.collection("asset-instances"), actor, row, relations=False)


def add_scene_instance(actor, scene_id, asset_id, description=None):
    scene = _editable_entity(actor, scene_id, "Scene")
    asset = entities.load(asset_id, entities.ASSET)
    return _new_instance(actor, scene.project_id, asset, "scene_id", scene.id, description,
                         {"scene_id": scene.id, "asset_id": asset.id})


def shot_instances(actor, shot_id):
    shot = _readable_entity(actor, shot_id, "Shot")
    return _instances_by(actor, "asset_id", AssetInstance.id.in_(
        select(AssetInstanceLink.asset_instance_id)
        .where(AssetInstanceLink.entity_id == shot.id)))


def _shot_and_instance(actor, shot_id, asset_instance_id):
    shot = _editable_entity(actor, shot_id, "Shot")
    instance = crud.load(crud.collection("asset-instances"), asset_instance_id)
    return shot, instance


def add_shot_instance(actor, shot_id, asset_instance_id):
    """Use an asset instance in a shot; returns the shot."""
    shot, instance = _shot_and_instance(actor, shot_id, asset_instance_id)
    db.session.execute(insert(AssetInstanceLink).values(
        entity_id=shot.id, asset_instance_id=instance.id).on_conflict_do_nothing())
    events.emit("asset_instance:add-to-shot", {"shot_id": shot.id,
                                               "asset_instance_id": instance.id},
                shot.project_id)
    db.session.commit()
    return crud.serialize(crud.collection("entities"), actor, shot)


def remove_shot_instance(actor, shot_id, asset_instance_id):
    shot, instance = _shot_and_instance(actor, shot_id, asset_instance_id)
    db.session.execute(delete(AssetInstanceLink).where(
        AssetInstanceLink.entity_id == shot.id,
        AssetInstanceLink.asset_instance_id == instance.id))
    events.emit("asset_instance:remove-from-shot", {"shot_id": shot.id,
                                                    "asset_instance_id": instance.id},
                shot.project_id)
    db.session.commit()


# The asset side ---------------------------------------------------------------
# /data/assets/<id>/...: the asset's own casting (a set dressed with props),
# where it is cast, and its instances. Whoever may see the asset reads them
# (a vendor: holding a task on it), as in Zou.

def _asset(actor, asset_id):
    return entities.get_for(actor, asset_id, entities.ASSET)


def asset_cast_assets(actor, asset_id):
    """The assets cast in the asset, as entities (canceled ones too)."""
    asset = _asset(actor, asset_id)
    return crud.select_rows(crud.collection("entities"), actor, Entity.id.in_(
        select(EntityLink.entity_out_id).where(EntityLink.entity_in_id == asset.id)),
        sort=("name",))


def asset_casting(actor, asset_id):
    return _casting_of(_asset(actor, asset_id).id)


def _with_defaults(entries):
    """The asset route's entries as Zou reads them: asset_id required, one
    occurrence and no label when not given."""
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and e.get("asset_id") for e in entries):
        raise BadRequest("Each casting entry needs an asset_id.")
    return [{"asset_id": str(as_uuid(e["asset_id"], "asset id")),
             "nb_occurences": e.get("nb_occurences", 1), "label": e.get("label") or ""}
            for e in entries]


def update_asset_casting(actor, asset_id, entries):
    """Replace the asset's casting; returns the entries as read."""
    asset = entities.load(asset_id, entities.ASSET)
    require_project_manager(actor, asset.project_id)
    entries = _with_defaults(entries)
    update_castings(actor, asset.project_id, {str(asset.id): entries})
    return entries


def cast_in(actor, asset_id):
    """Where the asset is cast: shots by episode, sequence and name, then
    assets by type and name; canceled ones left out. Zou listed any entity
    with a parent as a shot (a sequence, named after its episode) and gave
    the text "None" as the episode of shots outside episodes: shots only
    here, and null."""
    asset = _asset(actor, asset_id)
    shots, assets = db.session.execute(text("""
        SELECT
          (SELECT coalesce(json_agg(json_build_object(
                      'shot_id', e.id, 'shot_name', e.name, 'sequence_name', seq.name,
                      'episode_id', ep.id, 'episode_name', ep.name,
                      'preview_file_id', e.preview_file_id, 'nb_occurences', l.nb_occurences)
                  ORDER BY ep.name, seq.name, e.name), '[]')::text
           FROM entity_link l JOIN entity e ON e.id = l.entity_in_id
           JOIN entity_type et ON et.id = e.entity_type_id AND et.name = 'Shot'
           JOIN entity seq ON seq.id = e.parent_id
           LEFT JOIN entity ep ON ep.id = seq.parent_id
           WHERE l.entity_out_id = :asset AND e.canceled IS NOT TRUE),
          (SELECT coalesce(json_agg(json_build_object(
                      'asset_id', e.id, 'asset_name', e.name, 'asset_type_name', et.name,
                      'preview_file_id', e.preview_file_id, 'nb_occurences', l.nb_occurences)
                  ORDER BY et.name, e.name), '[]')::text
           FROM entity_link l JOIN entity e ON e.id = l.entity_in_id
           JOIN entity_type et ON et.id = e.entity_type_id
           WHERE l.entity_out_id = :asset AND e.canceled IS NOT TRUE
             AND et.name <> ALL(CAST(:temporal AS text[])))"""),
        {"asset": asset.id, "temporal": list(TEMPORAL_ENTITY_TYPES)}).one()
    return orjson.loads(shots) + orjson.loads(assets)


def asset_shot_instances(actor, asset_id):
    """The asset's instances used by shots, by shot."""
    asset = _asset(actor, asset_id)
    return _instances_by(actor, "shot_id", AssetInstance.asset_id == asset.id,
                         AssetInstanceLink.asset_instance_id == AssetInstance.id,
                         columns=[AssetInstanceLink.entity_id.label("shot_id")])


def asset_scene_instances(actor, asset_id):
    """The asset's instances in scenes, by scene (Zou filed the others,
    instances inside assets, under the key "None")."""
    asset = _asset(actor, asset_id)
    return _instances_by(actor, "scene_id", AssetInstance.asset_id == asset.id,
                         AssetInstance.scene_id.is_not(None))


def asset_instances(actor, asset_id):
    """The instances of other assets inside the asset, by instantiated asset."""
    asset = _asset(actor, asset_id)
    return _instances_by(actor, "asset_id", AssetInstance.target_asset_id == asset.id)


def add_asset_instance(actor, asset_id, instantiated_id, description=None):
    """A new instance of another asset inside the asset (props of a set)."""
    target = _asset(actor, asset_id)
    require_project_role(actor, target.project_id, INSTANCE_EDITORS)
    asset = entities.load(instantiated_id, entities.ASSET)
    return _new_instance(actor, target.project_id, asset, "target_asset_id", target.id,
                         description, {"asset_id": target.id, "asset_instantiated": asset.id})
