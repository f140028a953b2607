"""POST /data/search (behaviours.md row 26): people, assets and shots found
by name, description or metadata, with PostgreSQL's full-text search.

Zou keeps Meilisearch indexes in sync on every write; here the rows are
searched where they live, through the expression indexes of migration
0003 (the expressions below must stay identical to those), so results are
never stale and there is no indexer to be unreachable. Every word of the
query must match (as a prefix: "cha" finds "Character"), in any field;
results come best first (name over description over metadata), then by
name, with `matched_terms` naming the fields that matched.

One query per index, plus for assets and shots a lookup per word of the
asset types or sequences it names (usually none): on 80,000 entities a
search answers in tens of milliseconds.
"""
import re

import orjson
import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select
from sqlalchemy.dialects.postgresql import array

from app.extensions import db
from app.models.entity import Entity
from app.models.files import PreviewFile
from app.models.person import Person
from app.models.project import Project
from app.models.settings import EntityType
from app.permissions import as_uuid, team_project_ids
from app.services import crud, entities, persons, projects

INDEXES = ("persons", "assets", "shots")
MIN_QUERY = 3
MASKED_ROLES = ("vendor", "client")
MAX_WORDS = 10
# Constants written into the SQL rather than bound: the expressions must
# equal the indexed ones whatever the driver does with parameters.
SIMPLE = sa.literal_column("'simple'::regconfig")
EMPTY = sa.literal_column("''")
# Zou leaves a shot's frame range and rate out of what is searched.
SKIPPED_DATA_KEYS = sa.literal_column("'{frame_in,frame_out,fps,handle_in,handle_out}'::text[]")
ENTITY = Entity.__table__
_WORD = re.compile(r"[^\W_]+")


def _words(text):
    """The query's words, lower-cased, split where PostgreSQL's parser
    splits them; only letters and digits, so nothing can break to_tsquery."""
    return list(dict.fromkeys(_WORD.findall(text.lower())))


def _prefixes(words, operator):
    return func.to_tsquery(SIMPLE, sa.literal(f" {operator} ".join(f"{w}:*" for w in words)))


def _vector(text):
    return func.to_tsvector(SIMPLE, func.coalesce(text, EMPTY))


def _data_vector(data):
    return func.jsonb_to_tsvector(SIMPLE, data.op("-")(SKIPPED_DATA_KEYS),
                                  sa.literal_column("'[\"string\", \"numeric\"]'::jsonb"))


def _document(table):
    """ix_entity_search_document's expression."""
    weight = sa.literal_column
    return (func.setweight(_vector(table.c.name), weight("'A'"))
            .op("||")(func.setweight(_vector(table.c.description), weight("'B'")))
            .op("||")(func.setweight(_data_vector(
                func.coalesce(table.c.data, sa.literal_column("'{}'::jsonb"))), weight("'C'"))))


def _name_hit(table, query):
    """ix_entity_search_name's expression matched against `query`."""
    return _vector(table.c.name).op("@@")(query)


def _person_name():
    """ix_person_search_name's expression."""
    return func.to_tsvector(SIMPLE, func.coalesce(Person.first_name, EMPTY)
                            .op("||")(sa.literal_column("' '"))
                            .op("||")(func.coalesce(Person.last_name, EMPTY)))


# Entities ---------------------------------------------------------------------

def entity_scope(actor):
    """Criteria on ENTITY: what the actor may find, in open productions
    only (admins included, as Zou's search)."""
    criteria = entities.scope(actor)
    if actor.is_admin:
        criteria.append(ENTITY.c.project_id.in_(_open_projects(actor)))
    return criteria


def _open_projects(actor):
    """Productions whose entities the actor may find (entity_scope at the
    production level)."""
    if actor.is_admin:
        return select(Project.id).where(projects.is_open(Project.project_status_id))
    return team_project_ids(actor)


def _asked(project_id):
    if project_id is None:
        return []
    return [ENTITY.c.project_id == as_uuid(project_id, "project id")]


def _context_ids(actor, kind_name, word, project_id):
    """Ids of what is shown with the entities and matches the word: asset
    types for assets, sequences (by their name or their episode's) for
    shots, as Zou's index puts these names in the entity's. Looked up
    before the search: as constants there, they let PostgreSQL plan it
    from the full-text index (an OR with a subquery makes it scan the
    table)."""
    query = _prefixes([word], "&")
    if kind_name == entities.ASSET:
        return list(db.session.scalars(select(EntityType.id).where(
            _vector(EntityType.name).op("@@")(query))))
    sequence = select(ENTITY.c.id).where(
        ENTITY.c.entity_type_id.in_(select(EntityType.id).where(EntityType.name == "Sequence")),
        ENTITY.c.project_id.in_(_open_projects(actor)), *_asked(project_id))
    episode = ENTITY.alias("search_episode")
    return list(db.session.scalars(sa.union(
        sequence.where(_name_hit(ENTITY, query)),
        sequence.where(ENTITY.c.parent_id.in_(
            select(episode.c.id).where(_name_hit(episode, query)))))))


def _entity_terms(data, name_hit, query):
    """SQL: the fields that matched, as Zou's `matched_terms`: "name",
    "description" and the metadata keys whose value matched."""
    pairs = func.jsonb_each_text(data).table_valued("key", "value").alias("search_pair")
    keys = select(func.array_agg(pairs.c.key)).where(
        _vector(pairs.c.value).op("@@")(query)).scalar_subquery()
    fixed = func.array_remove(array([
        sa.case((name_hit, "name")),
        sa.case((_vector(ENTITY.c.description).op("@@")(query), "description")),
    ]), None)
    return func.to_json(func.array_cat(fixed, func.coalesce(
        keys, sa.literal_column("'{}'::text[]"))))


def _masks_metadata(actor):
    """Whether entities.visible_data hides metadata from the actor
    somewhere: they are a vendor or a client, globally or in a project."""
    return bool(entities.roles_of(actor) & set(MASKED_ROLES))


def _text_match(data, masked, words):
    """SQL on ENTITY: every word is in the entity's own fields. The indexed
    document holds every metadata value, so where metadata is masked it
    only narrows the rows and the fields the caller may see decide (a
    vendor must not find an asset by another department's metadata)."""
    query = _prefixes(words, "&")
    hit = _document(ENTITY).op("@@")(query)
    if masked:
        hit = and_(hit, (_vector(ENTITY.c.name).op("||")(_vector(ENTITY.c.description))
                         .op("||")(_data_vector(data))).op("@@")(query))
    return hit


def _shot_extras():
    sequence = ENTITY.alias("search_sequence")
    episode = ENTITY.alias("search_episode")
    tv_show = select(Project.production_type == "tvshow").where(
        Project.id == ENTITY.c.project_id).scalar_subquery()
    # Read from inside the episode's subquery too: the row is always the shot.
    episode_id = select(sequence.c.parent_id).where(
        sequence.c.id == ENTITY.c.parent_id).correlate(ENTITY).scalar_subquery()
    return [
        func.coalesce(select(sequence.c.name).where(sequence.c.id == ENTITY.c.parent_id)
                      .scalar_subquery(), "").label("sequence_name"),
        sa.case((tv_show, episode_id)).label("episode_id"),
        sa.case((tv_show, select(episode.c.name).where(episode.c.id == episode_id)
                 .scalar_subquery())).label("episode"),
    ]


def _entities(actor, kind_name, words, project_id, limit, offset):
    coll = crud.collection("entities")
    data = entities.visible_data(actor, kind_name)
    masked = _masks_metadata(actor)
    any_word = _prefixes(words, "|")
    if kind_name == entities.ASSET:
        shown_with = ENTITY.c.entity_type_id
        criteria = [entities.is_asset_type()]
    else:
        shown_with = ENTITY.c.parent_id
        criteria = [ENTITY.c.entity_type_id.in_(
            select(EntityType.id).where(EntityType.name == "Shot"))]
    contexts = {w: _context_ids(actor, kind_name, w, project_id) for w in words}
    own = [w for w in words if not contexts[w]]
    if own:
        criteria.append(_text_match(data, masked, own))
    criteria += [or_(_text_match(data, masked, [w]), shown_with.in_(contexts[w]))
                 for w in words if contexts[w]]
    criteria += entity_scope(actor) + _asked(project_id)
    name_hit = or_(_name_hit(ENTITY, any_word),
                   shown_with.in_([i for ids in contexts.values() for i in ids]))
    columns = [crud.wire_column(c) for c in coll.visible_columns(actor) if c.name != "data"] + [
        data.label("data"), sa.literal(kind_name).label("type"),
        select(Project.name).where(Project.id == ENTITY.c.project_id)
        .scalar_subquery().label("project_name"),
        select(PreviewFile.extension).where(PreviewFile.id == ENTITY.c.preview_file_id)
        .scalar_subquery().label("preview_file_extension"),
        _entity_terms(data, name_hit, any_word).label("matched_terms"),
    ]
    if kind_name == entities.ASSET:
        columns.append(select(EntityType.name).where(EntityType.id == ENTITY.c.entity_type_id)
                       .scalar_subquery().label("asset_type_name"))
    else:
        columns += _shot_extras()
    rank = func.ts_rank(_document(ENTITY), any_word)
    return ordered_rows(select(*columns).where(*criteria),
                        (rank.desc(), ENTITY.c.name, ENTITY.c.id), limit, offset)


# Persons ----------------------------------------------------------------------

def _persons(actor, words, limit, offset):
    """Active people (not guests), as the /data/persons list shows them to
    the caller: minimal for most, clients only their productions' people."""
    coll = crud.collection("persons")
    vector = _person_name()
    columns = [crud.wire_column(c) for c in coll.visible_columns(actor)] + \
        coll.extra_columns(coll.table) + [
            sa.literal("Person").label("type"),
            sa.literal_column("'[\"name\"]'::json").label("matched_terms")]
    criteria = [
        vector.op("@@")(_prefixes(words, "&")), Person.active.is_(True), Person.is_guest.is_not(True),
        Person.preview_project_id.is_(None), *persons.visible_to(actor)]
    rank = func.ts_rank(vector, _prefixes(words, "|"))
    return ordered_rows(select(*columns).where(*criteria),
                        (rank.desc(), Person.first_name, Person.last_name, Person.id),
                        limit, offset)


def ordered_rows(stmt, order, limit=None, offset=None):
    """The rows of `stmt` in the wire format, in `order` (SQL expressions,
    which crud.json_rows' output-name sort cannot express: a rank, a
    timestamp finer than the second shown), `limit` and `offset` applied:
    one query."""
    position = func.row_number().over(order_by=order)
    stmt = stmt.add_columns(position.label("row_position"))
    page = select(stmt.subquery("ordered")).order_by("row_position").limit(limit).offset(offset)
    rows = orjson.loads(crud.json_rows(page, sort=("row_position",)))
    for row in rows:
        del row["row_position"]
    return rows


def search(actor, query, limit=3, offset=0, project_id=None, index_names=INDEXES):
    """{persons, assets, shots} (those of `index_names`) for the query;
    {} under three characters, as Zou. Non-admins find the assets and
    shots of their open productions only, vendors those they hold a task
    on and without the metadata of other departments."""
    # Unknown index names are ignored, as Zou does.
    if len(query) < MIN_QUERY:
        return {}
    # Meilisearch, behind Zou's search, ignores the words after the tenth.
    words = _words(query)[:MAX_WORDS]
    # Short queries: compiling them to machine code (JIT) costs more than
    # running them.
    db.session.execute(sa.text("SET LOCAL jit = off"))
    results = {}
    for name in INDEXES:
        if name not in index_names:
            continue
        if not words:
            results[name] = []
        elif name == "persons":
            results[name] = _persons(actor, words, limit, offset)
        else:
            kind_name = entities.ASSET if name == "assets" else "Shot"
            results[name] = _entities(actor, kind_name, words, project_id, limit, offset)
    return results

