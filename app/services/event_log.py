"""The persisted event log (behaviours.md section 5 and row 25): reading it
newest first as Zou does, catching up on it oldest first, and login logs.

Positions. Each api_event row has a position (tx_id, seq): the id of the
transaction that wrote it (pg_current_xact_id()) and a sequence number taken
at insert. A sequence alone is not a cursor: numbers are taken at insert but
become visible at commit, so a reader can see 11 before 10 commits, move its
cursor past 10 and never see it. Timestamps and random UUIDs have the same
flaw.

Visibility rule. A reader catching up sees only the rows whose transaction
id is below the xmin of its snapshot: every transaction below xmin has
ended, so no row can appear later below that line, and ordering by
(tx_id, seq) puts every row that may still appear after every row already
returned. The cost: the readable end of the log waits for the oldest
transaction still writing anywhere on the PostgreSQL server (a long import
delays catch-up readers, never the live socket messages, which are published
at commit).
"""
import re

import sqlalchemy as sa
from sqlalchemy import func, or_, select, tuple_

from app import events
from app.errors import BadRequest, Forbidden
from app.extensions import db
from app.models.events import ApiEvent, LoginLog
from app.models.webhooks import XID8
from app.permissions import as_uuid, project_role, require_admin, team_project_ids

MAX_LIMIT = 1000
# Pseudo cursor: catch up from the first event of the log.
START = "start"
FILE_EVENTS = ("preview-file:add-file", "organisation:set-thumbnail",
               "person:set-thumbnail", "project:set-thumbnail")
MANAGERS = ("admin", "manager")
# Object and action filters go into LIKE patterns: "%" and "_" must not.
_NAME_PART = re.compile(r"[a-z0-9-]+")

# Not mapped on ApiEvent: positions are not part of the wire object.
TX_ID = sa.literal_column("api_event.tx_id", XID8)
SEQ = sa.literal_column("api_event.seq", sa.BigInteger)
POSITION = tuple_(TX_ID, SEQ)
STABLE = TX_ID < func.pg_snapshot_xmin(func.pg_current_snapshot())

EVENT_COLUMNS = (ApiEvent.id, ApiEvent.created_at, ApiEvent.name, ApiEvent.user_id,
                 ApiEvent.project_id, ApiEvent.data)


def _position(tx_id, seq):
    return tuple_(sa.cast(sa.literal(str(tx_id)), XID8), sa.literal(seq, sa.BigInteger))


def position_after(tx_id, seq):
    """The criterion for rows strictly after position (tx_id, seq)."""
    return POSITION > _position(tx_id, seq)


def stable_after(tx_id, seq, limit):
    """Rows of the readable log after a position, oldest first, with their
    own position (tx_id as text, seq) for the next call."""
    return (select(*EVENT_COLUMNS, sa.cast(TX_ID, sa.Text).label("tx_id"), SEQ.label("seq"))
            .where(STABLE, position_after(tx_id, seq))
            .order_by(TX_ID, SEQ).limit(limit))


def _event_position(event_id):
    if event_id == START:
        return "0", 0
    row = db.session.execute(
        select(sa.cast(TX_ID, sa.Text), SEQ).where(ApiEvent.id == as_uuid(event_id, "event id"))
    ).first()
    if row is None:
        raise BadRequest(f"No event found with id: {event_id}")
    return row


def _check_name_parts(values, parameter):
    for value in values:
        if not _NAME_PART.fullmatch(value or ""):
            raise BadRequest(f"The {parameter} parameter contains an invalid value.")


def _scope(actor, project_id):
    """The projects whose events the actor may read (None: all of them).

    Managers read the events of the productions they manage; events of no
    production (persons, settings) are for admins only. Asking for one
    project checks the role held there, so a per-project manager may read it,
    and an unknown project is refused like a foreign one.
    """
    if project_id is not None:
        if project_role(actor, project_id) not in MANAGERS:
            raise Forbidden("Only the managers of this production can read its events.")
    elif actor.role not in MANAGERS:
        raise Forbidden("Only managers can read the event log.")
    return None if actor.is_admin else team_project_ids(actor, open_only=False,
                                                        roles=("manager",))


def last_events(actor, *, after=None, before=None, cursor_event_id=None,
                after_event_id=None, limit=100, only_files=False, project_id=None,
                name=None, name_prefixes=(), name_suffixes=(), person_ids=()):
    """Newest first, Zou's way (`cursor_event_id` pages to older events); or,
    with `after_event_id`, the readable log after that event, oldest first:
    the durable cursor for integrations that catch up."""
    scope = _scope(actor, project_id)
    _check_name_parts(name_prefixes, "name_prefixes")
    _check_name_parts(name_suffixes, "name_suffixes")
    criteria = []
    if scope is not None:
        criteria.append(ApiEvent.project_id.in_(scope))
    if project_id is not None:
        criteria.append(ApiEvent.project_id == as_uuid(project_id, "project id"))
    if after is not None:
        criteria.append(ApiEvent.created_at > after)
    if before is not None:
        criteria.append(ApiEvent.created_at < before)
    if only_files:
        criteria.append(ApiEvent.name.in_(FILE_EVENTS))
    if name is not None:
        criteria.append(ApiEvent.name == name)
    if name_prefixes:
        criteria.append(or_(*(ApiEvent.name.like(f"{p}:%") for p in name_prefixes)))
    if name_suffixes:
        criteria.append(or_(*(ApiEvent.name.like(f"%:{s}") for s in name_suffixes)))
    if person_ids:
        criteria.append(ApiEvent.user_id.in_([as_uuid(p, "person id") for p in person_ids]))

    stmt = select(*EVENT_COLUMNS).where(*criteria).limit(min(limit, MAX_LIMIT))
    if after_event_id is not None:
        stmt = stmt.where(STABLE, position_after(*_event_position(after_event_id))) \
            .order_by(TX_ID, SEQ)
    else:
        if cursor_event_id is not None:
            stmt = stmt.where(POSITION < _position(*_event_position(cursor_event_id)))
        stmt = stmt.order_by(TX_ID.desc(), SEQ.desc())
    return [dict(row._mapping) for row in db.session.execute(stmt)]


def event_names(actor):
    """Every distinct event name, sorted: the choices of the log's filters.

    A recursive skip scan on the name index costs one index probe per name,
    where DISTINCT would read every row of the log.
    """
    if actor.role not in MANAGERS:
        raise Forbidden("Only managers can read the event log.")
    names = db.session.execute(sa.text("""
        WITH RECURSIVE names(name) AS (
            (SELECT name FROM api_event ORDER BY name LIMIT 1)
            UNION ALL
            SELECT (SELECT e.name FROM api_event e WHERE e.name > names.name
                    ORDER BY e.name LIMIT 1)
            FROM names WHERE names.name IS NOT NULL
        )
        SELECT name FROM names WHERE name IS NOT NULL
    """)).scalars()
    return list(names)


def login_logs(actor, *, after=None, before=None, cursor_login_log_id=None, limit=100,
               person_ids=()):
    """Sign-ins, newest first. They carry everyone's IP address and belong to
    no production: admins only."""
    require_admin(actor)
    key = tuple_(LoginLog.created_at, LoginLog.id)
    stmt = select(LoginLog.id, LoginLog.created_at, LoginLog.ip_address, LoginLog.person_id,
                  LoginLog.origin)
    if person_ids:
        stmt = stmt.where(LoginLog.person_id.in_([as_uuid(p, "person id") for p in person_ids]))
    if after is not None:
        stmt = stmt.where(LoginLog.created_at > after)
    if before is not None:
        stmt = stmt.where(LoginLog.created_at < before)
    if cursor_login_log_id is not None:
        cursor = db.session.execute(
            select(LoginLog.created_at, LoginLog.id)
            .where(LoginLog.id == as_uuid(cursor_login_log_id, "login log id"))).first()
        if cursor is None:
            raise BadRequest(f"No login log found with id: {cursor_login_log_id}")
        stmt = stmt.where(key < tuple_(*cursor))
    stmt = stmt.order_by(LoginLog.created_at.desc(), LoginLog.id.desc()).limit(min(limit, MAX_LIMIT))
    return [dict(row._mapping) for row in db.session.execute(stmt)]


def test_event():
    """main:test to every connected client, to check the live path; not kept."""
    events.emit("main:test", {}, persist=False)
    db.session.commit()
    return {"success": True}
