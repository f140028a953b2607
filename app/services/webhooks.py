"""Webhooks (beyond Zou): admins register HTTPS endpoints that receive the
events of the log, signed, retried and logged.

Flow. The worker (app/webhook_worker.py) reads the readable end of the event
log through the cursor integrations use (app/services/event_log.py) and turns
each event into one delivery per matching hook, in the transaction that
moves its cursor: an event is fanned out once, whatever the number of
workers. It then sends the due deliveries and logs every attempt. A failure
is retried WEBHOOK_RETRY_SECONDS * 2**(n-1) later; a delivery that fails
WEBHOOK_MAX_ATTEMPTS times disables its hook, with the reason. The request
that caused the event only wrote its api_event row, as it always does.

Deliveries are at least once and may arrive out of order: receivers dedupe
on the delivery id, and can replay in order with
GET /data/events/last?after_event_id=.

Signature. Each POST carries
    X-Atelier-Delivery: the delivery id (the same on every retry)
    X-Atelier-Event: the event name
    X-Atelier-Timestamp: unix seconds of this attempt
    X-Atelier-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
Signing the timestamp with the body lets a receiver refuse replayed requests.
"""
import datetime
import hashlib
import hmac
import ipaddress
import re
import secrets
import urllib.parse

import orjson
from flask import current_app
from sqlalchemy import insert, select, update

from app.errors import BadRequest, NotFound
from app.extensions import db
from app.http import dumps
from app.models.base import utc_now
from app.models.webhooks import Webhook, WebhookAttempt, WebhookCursor, WebhookDelivery
from app.permissions import as_uuid, require_admin
from app.serialize import serialize
from app.services import event_log

CURSOR = "webhooks"
_EVENT_NAME = re.compile(r"[a-z0-9-]+:([a-z0-9-]+|\*)")
_LOOPBACK_NAMES = ("localhost",)
# A claimed delivery is retried after this if its worker died mid-attempt.
LEASE_MARGIN_SECONDS = 30


# Registration ---------------------------------------------------------------

def _check_url(url):
    """HTTPS anywhere; plain HTTP only to this machine (a local receiver)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname:
        host = parts.hostname
        try:
            if host in _LOOPBACK_NAMES or ipaddress.ip_address(host).is_loopback:
                return url
        except ValueError:
            pass
    raise BadRequest("The url must be an https:// address (http:// only to this machine).")


def _check_event_names(names):
    for name in names:
        if not _EVENT_NAME.fullmatch(name):
            raise BadRequest(f"Event name {name!r} is neither 'object:action' nor 'object:*'.")
    return list(names)


def _wire(hook):
    return serialize(hook, exclude=frozenset({"secret"}))


def _get(hook_id):
    hook = db.session.get(Webhook, as_uuid(hook_id, "webhook id"))
    if hook is None:
        raise NotFound("Webhook not found.")
    return hook


def create(actor, *, name, url, secret=None, event_names=(), project_ids=(), active=True):
    """The answer is the only time the secret is shown."""
    require_admin(actor)
    hook = Webhook(name=name, url=_check_url(url), secret=secret or secrets.token_urlsafe(32),
                   event_names=_check_event_names(event_names),
                   project_ids=[as_uuid(p, "project id") for p in project_ids],
                   active=active, created_by=actor.person.id)
    db.session.add(hook)
    db.session.commit()
    return {**_wire(hook), "secret": hook.secret}


def list_hooks(actor):
    require_admin(actor)
    return [_wire(h) for h in db.session.scalars(select(Webhook).order_by(Webhook.created_at))]


def get(actor, hook_id):
    require_admin(actor)
    return _wire(_get(hook_id))


def update_hook(actor, hook_id, changes):
    """Setting `active` again clears the reason it was disabled for."""
    require_admin(actor)
    hook = _get(hook_id)
    if "url" in changes:
        changes["url"] = _check_url(changes["url"])
    if "event_names" in changes:
        changes["event_names"] = _check_event_names(changes["event_names"] or ())
    if "project_ids" in changes:
        changes["project_ids"] = [as_uuid(p, "project id") for p in changes["project_ids"] or ()]
    if changes.get("active"):
        hook.disabled_reason = hook.disabled_at = None
    for key, value in changes.items():
        setattr(hook, key, value)
    db.session.commit()
    return _wire(hook)


def delete(actor, hook_id):
    require_admin(actor)
    db.session.delete(_get(hook_id))
    db.session.commit()


def deliveries(actor, hook_id, status=None, limit=100):
    """The delivery log, newest first, each delivery with all its attempts."""
    require_admin(actor)
    hook = _get(hook_id)
    stmt = select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    rows = db.session.scalars(stmt.order_by(WebhookDelivery.created_at.desc()).limit(limit)).all()
    attempts = {}
    for attempt in db.session.scalars(
            select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_([d.id for d in rows]))
            .order_by(WebhookAttempt.number)):
        attempts.setdefault(attempt.delivery_id, []).append(serialize(attempt))
    return [{**serialize(d), "attempts": attempts.get(d.id, [])} for d in rows]


# The worker's side ------------------------------------------------------------

def _matches(hook, event):
    obj = event.name.split(":", 1)[0]
    return (event.created_at >= hook.created_at
            and (not hook.event_names or event.name in hook.event_names
                 or f"{obj}:*" in hook.event_names)
            and (not hook.project_ids or event.project_id in hook.project_ids))


def _body(event):
    return orjson.loads(dumps({"id": event.id, "name": event.name,
                               "created_at": event.created_at, "user_id": event.user_id,
                               "project_id": event.project_id, "data": event.data}))


def fan_out(limit=500):
    """Turn the next readable events into deliveries; returns how many events
    were read (0: the log is read to its end, or another worker is at it)."""
    cursor = db.session.scalars(select(WebhookCursor).where(WebhookCursor.name == CURSOR)
                                .with_for_update(skip_locked=True)).first()
    if cursor is None:
        db.session.rollback()
        return 0
    page = db.session.execute(event_log.stable_after(cursor.tx_id, cursor.seq, limit)).all()
    if page:
        hooks = db.session.scalars(select(Webhook).where(Webhook.active)).all()
        now = utc_now()
        rows = [{"webhook_id": hook.id, "event_id": event.id, "event_name": event.name,
                 "body": _body(event), "status": "pending", "attempts": 0,
                 "next_attempt_at": now}
                for event in page for hook in hooks if _matches(hook, event)]
        if rows:
            db.session.execute(insert(WebhookDelivery), rows)
        cursor.tx_id, cursor.seq = page[-1].tx_id, page[-1].seq
    db.session.commit()
    return len(page)


def claim(limit):
    """Take up to `limit` due deliveries of active hooks for this worker:
    each attempt is counted now and the delivery leased, so that no other
    worker sends it meanwhile, and it is retried if this one dies."""
    if limit <= 0:
        return []
    now = utc_now()
    lease = datetime.timedelta(
        seconds=current_app.config["WEBHOOK_TIMEOUT_SECONDS"] + LEASE_MARGIN_SECONDS)
    due = (select(WebhookDelivery.id).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
           .where(WebhookDelivery.status == "pending", Webhook.active,
                  WebhookDelivery.next_attempt_at <= now)
           .order_by(WebhookDelivery.next_attempt_at).limit(limit)
           .with_for_update(of=WebhookDelivery, skip_locked=True)
           # A subquery of its own: not tied to the UPDATE's tables.
           .correlate(None))
    rows = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due.scalar_subquery()),
               Webhook.id == WebhookDelivery.webhook_id)
        .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=now + lease)
        .returning(WebhookDelivery.id, WebhookDelivery.attempts, WebhookDelivery.event_name,
                   WebhookDelivery.body, Webhook.url, Webhook.secret)
    ).all()
    db.session.commit()
    return rows


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def retry_delay(attempt):
    return current_app.config["WEBHOOK_RETRY_SECONDS"] * 2 ** (attempt - 1)


def record(delivery_id, number, *, status_code, error, duration_ms, response_body):
    """Log one attempt and decide what comes next: done, retry later, or
    give up and disable the hook."""
    delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
    db.session.add(WebhookAttempt(delivery_id=delivery_id, number=number,
                                  status_code=status_code, error=error,
                                  duration_ms=duration_ms, response_body=response_body))
    now = utc_now()
    if error is None:
        delivery.status, delivery.delivered_at = "delivered", now
        delivery.next_attempt_at = delivery.last_error = None
    elif number >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status, delivery.last_error, delivery.next_attempt_at = "failed", error, None
        hook = db.session.get(Webhook, delivery.webhook_id, with_for_update=True)
        if hook.active:
            hook.active, hook.disabled_at = False, now
            hook.disabled_reason = (f"Delivery {delivery.id} ({delivery.event_name}) failed "
                                    f"{number} times; last error: {error}")
    else:
        delivery.last_error = error
        delivery.next_attempt_at = now + datetime.timedelta(seconds=retry_delay(number))
    db.session.commit()
