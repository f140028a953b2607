"""The webhook worker: fans the event log out into deliveries and sends them
(the rules are in app/services/webhooks.py).

    python -m app.webhook_worker

It wakes up on every event the API publishes on Redis and otherwise every
WEBHOOK_POLL_SECONDS (retries fall due, and an event becomes readable once
the transactions older than it have ended). Up to WEBHOOK_CONCURRENCY
deliveries are in flight at once, so one slow receiver does not hold up the
others. Several workers may run: they share the work through PostgreSQL.
"""
import logging
import signal
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import orjson
import redis

from app import events
from app.services import webhooks
from app.version import APP_NAME

log = logging.getLogger(__name__)
# Kept in the log to help whoever debugs a receiver.
RESPONSE_EXCERPT = 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the receiver's answer, logged as a failure: following
    it would send a signed event to an address nobody registered."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def send(delivery, timeout):
    """POST one delivery; returns what record() logs."""
    body = orjson.dumps(delivery.body)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(delivery.url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": f"{APP_NAME}-Webhooks",
        "X-Atelier-Delivery": str(delivery.id),
        "X-Atelier-Event": delivery.event_name,
        "X-Atelier-Timestamp": timestamp,
        "X-Atelier-Signature": "sha256=" + webhooks.sign(delivery.secret, timestamp, body),
    })
    started = time.monotonic()
    status_code = error = excerpt = None
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status_code, excerpt = response.status, response.read(RESPONSE_EXCERPT)
    except urllib.error.HTTPError as failure:
        status_code, excerpt = failure.code, failure.read(RESPONSE_EXCERPT)
        error = f"HTTP {failure.code}"
    except (OSError, ValueError) as failure:
        error = str(getattr(failure, "reason", failure)) or type(failure).__name__
    if error is None and not 200 <= status_code < 300:
        error = f"HTTP {status_code}"
    return {"status_code": status_code, "error": error,
            "duration_ms": int((time.monotonic() - started) * 1000),
            "response_body": excerpt.decode(errors="replace") if excerpt else None}


class Worker:
    def __init__(self, flask_app):
        self.app = flask_app
        cfg = flask_app.config
        self.concurrency = cfg["WEBHOOK_CONCURRENCY"]
        self.poll = cfg["WEBHOOK_POLL_SECONDS"]
        self.timeout = cfg["WEBHOOK_TIMEOUT_SECONDS"]
        self.pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="webhook")
        self.in_flight = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def _deliver(self, delivery):
        outcome = send(delivery, self.timeout)
        with self.app.app_context():
            webhooks.record(delivery.id, delivery.attempts, **outcome)
        log.info("Delivery %s (%s), attempt %s: %s", delivery.id, delivery.event_name,
                 delivery.attempts, outcome["error"] or outcome["status_code"])

    def _done(self, future):
        with self.lock:
            self.in_flight.discard(future)
        if future.exception() is not None:
            log.error("Delivery failed to run", exc_info=future.exception())

    def step(self):
        """Fan out what is readable, then start the due deliveries that fit."""
        with self.app.app_context():
            while webhooks.fan_out():
                pass
            with self.lock:
                free = self.concurrency - len(self.in_flight)
            claimed = webhooks.claim(free)
        for delivery in claimed:
            future = self.pool.submit(self._deliver, delivery)
            with self.lock:
                self.in_flight.add(future)
            future.add_done_callback(self._done)

    def run(self):
        url = self.app.config.get("EVENTS_REDIS_URL") or self.app.config["REDIS_URL"]
        wake = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
        wake.subscribe(events.CHANNEL)
        while not self.stopping.is_set():
            try:
                self.step()
                if wake.get_message(timeout=self.poll) is not None:
                    # A burst of events is one wake-up.
                    while wake.get_message(timeout=0) is not None:
                        pass
            except Exception:
                log.exception("Webhook worker step failed; trying again")
                self.stopping.wait(self.poll)
        self.pool.shutdown(wait=True)
        wake.close()


def main():
    from app import create_app

    worker = Worker(create_app())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: worker.stopping.set())
    log.info("Webhook worker started")
    worker.run()


if __name__ == "__main__":
    main()
