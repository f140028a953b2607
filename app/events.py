"""emit(name, data, project_id): the api_event row is written in the
transaction of the change, and the live message is published on Redis only
once that transaction has committed. A rolled-back change emits nothing.

Live messages go through python-socketio's Redis manager on the channel
Flask-SocketIO listens on ("flask-socketio"), to the "/events" namespace, so
any socket.io server sharing the Redis relays them to browsers.
"""
import logging
import uuid
import zlib

import orjson
import socketio
import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from app.extensions import db
from app.http import dumps
from app.models.base import utc_now
from app.models.events import ApiEvent

log = logging.getLogger(__name__)
PENDING = "pending_events"
ROWS_BATCH = 2000  # events per INSERT (and per compressed pending chunk): ~0.5 MB of JSON
PUBLISH_BATCH = 1000
CHANNEL = "flask-socketio"
NAMESPACE = "/events"


class _OrjsonCodec:
    """Payloads hold UUIDs and datetimes; encode them like the API does."""

    @staticmethod
    def dumps(data):
        return dumps(data).decode()

    @staticmethod
    def loads(data):
        return orjson.loads(data)


class Publisher:
    def __init__(self):
        self.manager = None

    def init_app(self, app):
        url = app.config.get("EVENTS_REDIS_URL") or app.config["REDIS_URL"]
        self.manager = socketio.RedisManager(url, channel=CHANNEL, write_only=True,
                                             json=_OrjsonCodec, logger=log)
        app.extensions["events"] = self

    def publish_all(self, events):
        """Publish (name, JSON payload) pairs (any iterable) as the socket.io
        Redis manager's own emit would (its message format, on its
        channel), in pipelines of PUBLISH_BATCH: a bulk write's 40,000
        events cost a few round trips, not 40,000."""
        count = 0
        try:
            if not self.manager.connected:
                self.manager._redis_connect()
            head = b'{"method":"emit","event":'
            tail = (b'],"binary":false,"namespace":' + orjson.dumps(NAMESPACE)
                    + b',"room":null,"skip_sid":null,"callback":null,"host_id":'
                    + orjson.dumps(self.manager.host_id) + b"}")
            pipe = self.manager.redis.pipeline(transaction=False)
            for name, payload in events:
                pipe.publish(CHANNEL, head + orjson.dumps(name) + b',"data":['
                             + payload.encode() + tail)
                count += 1
                if count % PUBLISH_BATCH == 0:
                    pipe.execute()
            pipe.execute()
        except Exception:
            # The change is committed; a Redis hiccup must not turn it into
            # an error. The api_event rows keep the events for catch-up.
            self.manager.connected = False
            log.exception("Could not publish events (%d sent)", count)


publisher = Publisher()


def _payload(data, project_id):
    payload = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in data.items()}
    if project_id is not None:
        payload["project_id"] = str(project_id)
    return payload


def _user_id():
    actor = getattr(g, "actor", None) if has_request_context() else None
    return actor.person.id if actor else None


def emit(name, data, project_id=None, persist=True):
    """Record an event for the current change; published after commit."""
    _record(name, (data,), project_id, persist)


def emit_many(name, items, project_id=None):
    """emit() for each of `items` (payload dicts) of a bulk write."""
    _record(name, items, project_id, True)


def _record(name, items, project_id, persist):
    """Events wait for the end of the transaction in groups sharing a name,
    a project and `persist`: each payload as JSON text, every ROWS_BATCH of
    them joined by newlines (JSON text holds none) and compressed. A bulk
    write's 200,000 events then take a few MB, not 200,000 dicts or
    strings."""
    head = (persist, orjson.dumps(name).decode(),
            orjson.dumps(str(project_id) if project_id is not None else None).decode())
    pending = db.session.info.setdefault(PENDING, [])
    for data in items:
        if not pending or pending[-1][0] != head or not isinstance(pending[-1][1], list):
            pending.append([head, []])
        lines = pending[-1][1]
        lines.append(dumps(_payload(data, project_id)).decode())
        if len(lines) == ROWS_BATCH:
            pending[-1][1] = zlib.compress("\n".join(lines).encode(), 1)


def _events(pending):
    """(persist, name JSON, project id JSON, payload JSON) of the pending
    events, in emission order."""
    for (persist, name, project), payloads in pending:
        if isinstance(payloads, bytes):
            payloads = zlib.decompress(payloads).decode().split("\n")
        for payload in payloads:
            yield persist, name, project, payload


@sa_event.listens_for(Session, "before_commit")
def _write_rows(session):
    """The transaction's api_event rows, in emission order: one INSERT per
    ROWS_BATCH events, each from a single JSON array parameter."""
    now, user_id, rows = utc_now(), _user_id(), []
    for persist, name, project, payload in _events(session.info.get(PENDING, ())):
        if persist:
            rows.append(f'{{"name":{name},"project_id":{project},"data":{payload}}}')
        if len(rows) == ROWS_BATCH:
            _insert_rows(session, rows, now, user_id)
            rows = []
    if rows:
        _insert_rows(session, rows, now, user_id)


def _insert_rows(session, rows, now, user_id):
    values = sa.func.jsonb_array_elements(
        sa.cast(sa.literal("[" + ",".join(rows) + "]", sa.Text), JSONB)) \
        .table_valued(sa.column("value", JSONB), with_ordinality="position").render_derived()
    session.execute(sa.insert(ApiEvent.__table__).from_select(
        ["id", "name", "data", "project_id", "user_id", "created_at", "updated_at"],
        sa.select(sa.func.gen_random_uuid(), values.c.value["name"].astext,
                  values.c.value["data"],
                  sa.cast(values.c.value["project_id"].astext, sa.UUID),
                  sa.literal(user_id, sa.UUID), sa.literal(now), sa.literal(now))
        .select_from(values).order_by(values.c.position)))


@sa_event.listens_for(Session, "after_commit")
def _publish_pending(session):
    pending = session.info.pop(PENDING, None)
    if pending and publisher.manager is not None:
        publisher.publish_all((orjson.loads(name), payload)
                              for _, name, _, payload in _events(pending))


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction):
    session.info.pop(PENDING, None)
