"""emit(name, data, project_id): the api_event row is written in the
transaction of the change, and the live message is published on Redis only
once that transaction has committed. A rolled-back change emits nothing.

Live messages go through python-socketio's Redis manager on the channel
Flask-SocketIO listens on ("flask-socketio"), to the "/events" namespace, so
any socket.io server sharing the Redis relays them to browsers.
"""
import logging
import uuid

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

    def publish(self, name, data):
        try:
            self.manager.emit(name, data, namespace=NAMESPACE)
        except Exception:
            # The change is committed; a Redis hiccup must not turn it into
            # an error. The api_event row keeps the event for catch-up.
            log.exception("Could not publish event %s", name)


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
    payload = _payload(data, project_id)
    if persist:
        db.session.add(ApiEvent(name=name, data=payload, project_id=project_id,
                                user_id=_user_id()))
    db.session.info.setdefault(PENDING, []).append((name, payload))


def emit_many(name, items, project_id=None):
    """emit() for each of `items` (payload dicts) of a bulk write: one
    INSERT writes every api_event row from a single JSON array parameter."""
    payloads = [_payload(data, project_id) for data in items]
    if not payloads:
        return
    rows = sa.func.jsonb_array_elements(
        sa.cast(sa.literal(dumps(payloads).decode(), sa.Text), JSONB)).table_valued("value")
    now = utc_now()
    db.session.execute(sa.insert(ApiEvent.__table__).from_select(
        ["id", "name", "data", "project_id", "user_id", "created_at", "updated_at"],
        sa.select(sa.func.gen_random_uuid(), sa.literal(name), rows.c.value,
                  sa.literal(project_id, sa.UUID), sa.literal(_user_id(), sa.UUID),
                  sa.literal(now), sa.literal(now)).select_from(rows)))
    db.session.info.setdefault(PENDING, []).extend((name, payload) for payload in payloads)


@sa_event.listens_for(Session, "after_commit")
def _publish_pending(session):
    pending = session.info.pop(PENDING, None)
    if pending and publisher.manager is not None:
        for name, payload in pending:
            publisher.publish(name, payload)


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction):
    session.info.pop(PENDING, None)
