"""The generic /data/<collection> operations (behaviours.md row 4).

A Collection names a table, the policy that guards it and what is special
about its rows; the functions here list, read, create, update and delete
any of them. Lists never build ORM objects: they select columns (only the
asked ones) with SQLAlchemy Core, and many-to-many ids come from array
subqueries in the same statement.
"""
import math
import uuid
from dataclasses import dataclass, field

import orjson
import sqlalchemy as sa
from sqlalchemy import func, inspect, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from app import api, events
from app.errors import BadRequest, NotFound
from app.extensions import db
from app.permissions import as_uuid

AUDIT = ("id", "created_at", "updated_at")
# Query parameters that shape the answer rather than filter rows.
RESERVED = frozenset({"page", "limit", "relations", "fields", "force", "offset",
                      "with_pass_hash", "order_by"})


@dataclass(frozen=True)
class Relation:
    """A many-to-many field: ids of `remote` rows linked through `link`."""

    name: str
    link: sa.Table
    local: sa.Column
    remote: sa.Column
    target: type


def _relations(model):
    out = {}
    for rel in inspect(model).relationships:
        if rel.secondary is None:
            continue
        local = next(c for c in rel.secondary.c
                     if any(fk.column.table is model.__table__ for fk in c.foreign_keys)
                     and c in {pair[1] for pair in rel.synchronize_pairs})
        remote = next(c for c in rel.secondary.c
                      if c in {pair[1] for pair in rel.secondary_synchronize_pairs})
        out[rel.key] = Relation(rel.key, rel.secondary, local, remote, rel.mapper.class_)
    return out


def field_for(column):
    """The input field that validates a value for this column."""
    kind = column.type
    if isinstance(kind, sa.TypeDecorator):
        # Validated as what it stores: an e-mail column is a string.
        kind = kind.impl_instance
    if isinstance(kind, sa.UUID):
        return api.Uuid()
    if isinstance(kind, sa.Boolean):
        return api.Boolean()
    if isinstance(kind, (sa.Integer, sa.BigInteger)):
        return api.Integer()
    if isinstance(kind, (sa.Float, sa.Numeric)):
        return api.Number()
    if isinstance(kind, sa.DateTime):
        return api.DateTime()
    if isinstance(kind, sa.Date):
        return api.Date()
    if isinstance(kind, ARRAY):
        return api.List()
    if isinstance(kind, JSONB):
        return api.Field()
    if isinstance(kind, sa.Enum):
        return api.String(choices=kind.enums)
    if isinstance(kind, sa.String):
        return api.String(max_length=kind.length)
    return None  # binary columns (password hashes) are never written as-is


def _required_on_create(column):
    return not (column.nullable or column.primary_key or column.default is not None
                or column.server_default is not None)


class Hooks:
    """Per-collection extra rules around writes; the defaults do nothing."""

    # Create inputs that are not columns (a template to apply): validated
    # with the payload, taken out of it after before_create, and handed to
    # after_create as keyword arguments.
    create_inputs = {}

    def before_list(self, actor):
        """Runs once the caller may list the collection, before the rows are read."""

    def list_columns(self, actor, args):
        """Labelled SQL expressions a list adds on request (`args` is the query)."""
        return []

    def list_criteria(self, actor, args):
        """Conditions a list adds from query arguments that are not columns
        (a date range)."""
        return []

    def before_create(self, actor, data):
        return data

    def existing(self, actor, data):
        """The row a create updates rather than adding one (links unique per
        pair, which Zou upserts), or None."""
        return None

    def after_create(self, actor, row, **inputs):
        """May return fields to add to the creation answer."""
        return None

    def read(self, actor, coll, row, relations):
        """GET /data/<collection>/<id>: one row, access already checked."""
        return serialize(coll, actor, row, relations)

    def before_update(self, actor, row, data):
        return data

    def after_update(self, actor, row, data):
        """May return fields to add to the update answer."""
        return None

    def before_delete(self, actor, row, force):
        pass

    def after_delete(self, actor, row):
        """Runs once the row's deletion is flushed (what depended on it can
        be recomputed)."""


@dataclass
class Collection:
    """One /data/<name> collection."""

    name: str
    model: type
    policy: object
    # Columns that never leave the server (beyond what the policy hides).
    hidden: frozenset = frozenset()
    # Columns clients may not set (beyond id and timestamps).
    read_only: frozenset = frozenset()
    # SQL expression giving each row's "type" when it depends on the row.
    type_expr: object = None
    # Computed fields shown with the columns: table -> labelled SQL expressions.
    extra_columns: object = None
    hooks: Hooks = field(default_factory=Hooks)
    relations: dict = field(init=False)

    def __post_init__(self):
        self.table = self.model.__table__
        self.relations = _relations(self.model)
        self.event = self.table.name.replace("_", "-")
        self.id_key = f"{self.table.name}_id"
        self.wire_type = self.model.__name__
        writable = [c for c in self.table.c
                    if c.name not in AUDIT and c.name not in self.read_only
                    and c.name not in self.hidden and field_for(c) is not None]
        self.create_schema = api.Schema(**{
            c.name: _with(field_for(c), c, required=_required_on_create(c)) for c in writable
        }, **{name: api.List(api.Uuid()) for name in self.relations},
            **self.hooks.create_inputs)
        self.update_schema = api.Schema(**{c.name: _with(field_for(c), c) for c in writable},
                                        **{name: api.List(api.Uuid()) for name in self.relations})

    def visible_columns(self, actor):
        hidden = self.hidden | self.policy.hidden_columns(actor)
        return [c for c in self.table.c if c.name not in hidden]


def _with(field_, column, required=False):
    field_.required = required
    field_.nullable = column.nullable
    return field_


# Reading ------------------------------------------------------------------

def _cast(column, raw):
    """A query-string value as the column's type, or 400 naming the column."""
    try:
        return field_for(column).parse(column.name, raw)
    except BadRequest:
        raise BadRequest(f"Filter '{column.name}' has a value of the wrong type: {raw!r}.")


def _filter(coll, actor, stmt, key, raw, visible):
    if key in coll.relations:
        rel = coll.relations[key]
        ids = _list_value(raw)
        return stmt.where(select(rel.local).where(
            rel.local == coll.table.c.id,
            rel.remote.in_([as_uuid(i, f"{key} id") for i in ids])).exists())
    column = coll.table.c.get(key)
    if column is None:
        return stmt  # unknown parameters are ignored, as Zou does
    if column.name not in visible:
        raise BadRequest(f"You are not allowed to filter on '{key}'.")
    if isinstance(column.type, (JSONB, ARRAY)) or field_for(column) is None:
        raise BadRequest(f"Filtering on '{key}' is not supported.")
    if raw.startswith("["):
        return stmt.where(column.in_([_cast(column, v) for v in _list_value(raw)]))
    if raw == "null":
        return stmt.where(column.is_(None))
    if key == "name":
        return stmt.where(column.ilike(raw))
    return stmt.where(column == _cast(column, raw))


def _list_value(raw):
    if isinstance(raw, str) and raw.startswith("["):
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise BadRequest(f"{raw!r} is not a valid JSON list.")
        return [v["id"] if isinstance(v, dict) else v for v in value]
    return [raw]


def _relation_column(rel, id_column):
    return sa.func.coalesce(
        select(func.array_agg(rel.remote)).where(rel.local == id_column).scalar_subquery(),
        sa.text("'{}'::uuid[]"),
    ).label(rel.name)


def wire_column(column):
    """A column as the API shows it: timestamps to the second."""
    if isinstance(column.type, sa.DateTime):
        return func.date_trunc("second", column).label(column.name)
    return column


def _select(coll, actor, fields=None, relations=False):
    columns = coll.visible_columns(actor)
    if fields:
        wanted = set(fields) | {"id"}
        columns = [c for c in columns if c.name in wanted]
        rel_names = [n for n in coll.relations if n in wanted]
    else:
        rel_names = list(coll.relations) if relations else []
    exprs = [wire_column(c) for c in columns] + [
        _relation_column(coll.relations[n], coll.table.c.id) for n in rel_names]
    if coll.extra_columns is not None:
        exprs += [e for e in coll.extra_columns(coll.table)
                  if not fields or e.name in fields]
    type_expr = coll.type_expr if coll.type_expr is not None else sa.literal(coll.wire_type)
    exprs.append(type_expr.label("type"))
    return select(*exprs), {c.name for c in coll.visible_columns(actor)}


def json_chunks(stmt, order=False, limit=None, offset=None, sort=(), batch=200):
    """PostgreSQL renders each row as JSON: no Python object per value, and
    one encoding shared by every read. Yields the JSON array in chunks of
    `batch` rows (a with-tasks row weighs ~10 kB) read through a server-side
    cursor, so a response streamed from it never holds a whole 75,000-task
    list in the worker's memory.

    `sort` names the output order ("-name": descending; nulls last either
    way). With `limit` or `offset` too, the page is the rows' ids in that
    order then by id, picked before any row is built: only the page's rows
    pay for their JSON and computed columns, whatever the offset."""
    rows = stmt.subquery("t")
    query = select(sa.cast(func.row_to_json(rows.table_valued()), sa.Text)).select_from(rows)
    if order:
        keys = [rows.c[name].desc() for name in ("updated_at", "created_at") if name in rows.c]
        query = query.order_by(*_sort_keys(rows, sort), *keys, rows.c.id).limit(limit) \
            .offset(offset)
    elif sort and (limit is not None or offset):
        ids = stmt.subquery("k")
        keys = _sort_keys(ids, sort) + [ids.c.id]
        page = select(ids.c.id, func.row_number().over(order_by=keys).label("position")) \
            .order_by(*keys).limit(limit).offset(offset).subquery("page")
        query = query.join(page, page.c.id == rows.c.id).order_by(page.c.position)
    else:
        query = query.order_by(*_sort_keys(rows, sort))
    result = db.session.execute(query, execution_options={"stream_results": True,
                                                          "yield_per": batch})
    separator = b"["
    for part in result.scalars().partitions():
        yield separator + ",".join(part).encode()
        separator = b","
    yield b"]" if separator == b"," else b"[]"


def _sort_keys(rows, sort):
    return [rows.c[name[1:]].desc().nulls_last() if name.startswith("-") else rows.c[name]
            for name in sort]


def json_rows(stmt, order=False, limit=None, offset=None, sort=()):
    """json_chunks' answer as one bytes value."""
    return b"".join(json_chunks(stmt, order, limit, offset, sort))


def list_json(coll, actor, args, *criteria, stream=False):
    """GET /data/<collection> as JSON bytes: the whole list, or a page
    envelope {data, total, nb_pages, limit, offset, page}. `criteria`
    narrow it further (the assets among the entities). With `stream`, the
    whole list comes as json_chunks' generator."""
    fields = [f for f in args.get("fields", "").split(",") if f] or None
    relations = args.get("relations", "").lower() == "true"
    stmt, visible = _select(coll, actor, fields, relations)
    stmt = coll.policy.list_scope(actor, coll, stmt).add_columns(
        *coll.hooks.list_columns(actor, args)).where(
        *criteria, *coll.hooks.list_criteria(actor, args))
    coll.hooks.before_list(actor)
    for key, raw in args.items():
        if key not in RESERVED:
            stmt = _filter(coll, actor, stmt, key, raw, visible)
    page = _int_arg(args, "page", None)
    if page is None or page == -1:
        return json_chunks(stmt) if stream else json_rows(stmt)
    page = max(page, 1)
    limit = _int_arg(args, "limit", None) or page_size()
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    data = json_rows(stmt, order=True, limit=limit, offset=(page - 1) * limit)
    meta = orjson.dumps({"total": total, "nb_pages": math.ceil(total / limit),
                         "limit": limit, "offset": (page - 1) * limit, "page": page})
    return b'{"data":' + data + b"," + meta[1:]


def list_rows(coll, actor, args):
    """The same answer as list_json, as Python values."""
    return orjson.loads(list_json(coll, actor, args))


def select_rows(coll, actor, *criteria, relations=False, columns=(), sort=()):
    """Rows matching `criteria` in the wire format, for routes that checked
    access themselves (a project's schedule, its budgets): `columns` are
    labelled expressions added to each row, `sort` names the output order."""
    return orjson.loads(select_json(coll, actor, *criteria, relations=relations,
                                    columns=columns, sort=sort))


def select_json(coll, actor, *criteria, relations=False, columns=(), sort=()):
    """select_rows' answer as JSON bytes, for hot lists."""
    stmt, _ = _select(coll, actor, relations=relations)
    return json_rows(stmt.add_columns(*columns).where(*criteria), sort=sort)


def page_size():
    from flask import current_app
    return current_app.config["NB_RECORDS_PER_PAGE"]


def _int_arg(args, name, default):
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"Parameter '{name}' must be an integer.")


def collection(name):
    """COLLECTIONS[name], for the services app/services/collections.py
    imports (and so cannot import it back at load time)."""
    from app.services.collections import COLLECTIONS
    return COLLECTIONS[name]


def load(coll, instance_id):
    """The ORM row, or 404 (400 for a malformed id)."""
    # By the id column, not session.get(): link tables (entity_link) have
    # it inside a composite primary key.
    row = db.session.scalars(
        select(coll.model).where(coll.table.c.id == as_uuid(instance_id, "ID"))).first()
    if row is None:
        raise NotFound(f"No {coll.wire_type} has the id {instance_id}.")
    return row


def serialize(coll, actor, row, relations=True):
    """One row in the wire format, through the same SELECT as the lists."""
    return select_one(coll, actor, coll.table.c.id == row_id(row), relations=relations)


def row_id(row):
    """The row's id, without reloading a row a commit expired when the id
    is its primary key (link rows have a composite key and an id beside)."""
    state = sa.inspect(row)
    if state.identity is not None and [c.key for c in state.mapper.primary_key] == ["id"]:
        return state.identity[0]
    return row.id


def select_one(coll, actor, *criteria, relations=False, columns=()):
    """The first row matching `criteria` in the wire format, or None: one
    plain query (a list's server-side cursor costs round trips a single
    row does not need)."""
    stmt, _ = _select(coll, actor, relations=relations)
    rows = stmt.add_columns(*columns).where(*criteria).limit(1).subquery("t")
    found = db.session.scalar(
        select(sa.cast(func.row_to_json(rows.table_valued()), sa.Text)).select_from(rows))
    return orjson.loads(found) if found is not None else None


def get_row(coll, actor, instance_id, relations=True):
    row = load(coll, instance_id)
    coll.policy.read(actor, coll, row)
    return coll.hooks.read(actor, coll, row, relations)


# Writing ------------------------------------------------------------------

def _project_id(row):
    return getattr(row, "project_id", None)


def apply_values(coll, row, data):
    for name, value in data.items():
        if name in coll.relations:
            rel = coll.relations[name]
            ids = [uuid.UUID(v) for v in value]
            targets = db.session.execute(
                select(rel.target).where(rel.target.id.in_(ids))).scalars().all()
            if len(targets) != len(set(ids)):
                raise BadRequest(f"Field '{name}' names ids that do not exist.")
            setattr(row, name, targets)
        else:
            setattr(row, name, _coerce(coll.table.c[name], value))


def _coerce(column, value):
    if value is not None and isinstance(column.type, sa.UUID):
        return uuid.UUID(value)
    return value


def create(coll, actor, data):
    """Create a row from a payload already parsed by coll.create_schema."""
    coll.policy.create(actor, coll, data)
    data = coll.hooks.before_create(actor, data)
    inputs = {name: data.pop(name) for name in coll.hooks.create_inputs if name in data}
    row = coll.hooks.existing(actor, data) or coll.model()
    apply_values(coll, row, data)
    db.session.add(row)
    db.session.flush()
    extra = coll.hooks.after_create(actor, row, **inputs) or {}
    events.emit(f"{coll.event}:new", {coll.id_key: row.id}, project_id=_project_id(row))
    db.session.commit()
    return {**serialize(coll, actor, row), **extra}


def update(coll, actor, instance_id, data):
    """Update a row from a payload already parsed by coll.update_schema."""
    row = load(coll, instance_id)
    if "project_id" in data and str(data["project_id"]) != str(_project_id(row)):
        raise BadRequest("A row cannot be moved to another project.")
    coll.policy.update(actor, coll, row, data)
    data = coll.hooks.before_update(actor, row, data)
    apply_values(coll, row, data)
    db.session.flush()
    extra = coll.hooks.after_update(actor, row, data) or {}
    events.emit(f"{coll.event}:update", {coll.id_key: row.id}, project_id=_project_id(row))
    db.session.commit()
    return {**serialize(coll, actor, row), **extra}


def delete(coll, actor, instance_id, force=False):
    row = load(coll, instance_id)
    coll.policy.delete(actor, coll, row)
    project_id = _project_id(row)
    coll.hooks.before_delete(actor, row, force)
    db.session.delete(row)
    db.session.flush()
    coll.hooks.after_delete(actor, row)
    events.emit(f"{coll.event}:delete", {coll.id_key: row.id}, project_id=project_id)
    db.session.commit()
