"""Background jobs: work too slow for a request (movie normalization,
playlist builds) runs here.

A service commits its rows first, then calls `submit("module:function",
*args)`. With JOB_QUEUE=rq the call is queued on Redis and a worker
process (`python -m app.job_worker`) runs it, so the request returns at
once. With JOB_QUEUE=inline (the default: nothing else to start) it runs
right away in the caller's process. Either way the function runs in an
application context with a clean session, and must commit its own writes:
it may run on another machine, after the request that asked for it ended.
Arguments must be plain values (ids as strings, numbers, booleans).
"""
import importlib
import logging
import os

from flask import current_app

log = logging.getLogger(__name__)

_worker_app = None
_pool_pid = None


def _resolve(target):
    module_name, _, function_name = target.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def queue(connection=None, name=None):
    """The RQ queue of this deployment (JOB_QUEUE_NAME on REDIS_URL)."""
    import redis
    from rq import Queue

    config = current_app.config
    connection = connection or redis.Redis.from_url(config["REDIS_URL"])
    return Queue(name or config["JOB_QUEUE_NAME"], connection=connection)


def submit(target, *args, job_id=None, timeout=None):
    """Run `target` ("package.module:function") with `args`; returns the
    RQ job id, or None when it ran inline."""
    _resolve(target)  # a typo fails here, in the request, not in a worker
    if current_app.config["JOB_QUEUE"] != "rq":
        from app.extensions import db

        # The caller's session must not hold a transaction the job waits on.
        db.session.commit()
        _resolve(target)(*args)
        return None
    job = queue().enqueue(
        run, target, *args, job_id=job_id,
        job_timeout=timeout or current_app.config["JOB_TIMEOUT_SECONDS"],
        result_ttl=3600, failure_ttl=7 * 24 * 3600,
    )
    return job.id


def serve_with(app):
    """The worker's own application, inherited by the process each job is
    forked into, instead of one built again per job."""
    global _worker_app
    _worker_app = app


def run(target, *args):
    """The worker side: one application per worker, one clean session per
    job."""
    global _worker_app, _pool_pid
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    from app.extensions import db

    with _worker_app.app_context():
        if _pool_pid != os.getpid():
            # A forked job must not share its parent's database connections.
            db.engine.dispose(close=False)
            _pool_pid = os.getpid()
        try:
            return _resolve(target)(*args)
        finally:
            db.session.remove()
