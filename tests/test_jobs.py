"""app/jobs.py: the same call runs a job in the request (inline) or on a
worker process fed through Redis (rq)."""
import os
import subprocess
import sys

import pytest
import redis

from app import jobs
from app.kv import kv
from tests.live_server import ROOT


def remember(key, value):
    """A job with an effect another process can see."""
    kv.put(key, value, 60)


def test_inline_runs_at_once_in_the_caller(app):
    app.config["JOB_QUEUE"] = "inline"
    assert jobs.submit("tests.test_jobs:remember", "job-inline", "done") is None
    assert kv.get("job-inline") == "done"


def test_an_unknown_target_fails_in_the_caller(app):
    with pytest.raises(AttributeError):
        jobs.submit("tests.test_jobs:no_such_job", 1)


def _stored(app, key):
    # Read from the app's own Redis: another app made in this process (a CLI
    # test) may have pointed the module-level store elsewhere.
    return redis.Redis.from_url(app.config["REDIS_URL"], decode_responses=True).get(key)


def test_rq_queues_the_job_and_a_worker_process_runs_it(app):
    app.config["JOB_QUEUE"] = "rq"
    app.config["JOB_QUEUE_NAME"] = "atelier-test-jobs"
    try:
        job_id = jobs.submit("tests.test_jobs:remember", "job-rq", "from the worker")
        # Queued, not run: the request would have returned here.
        assert job_id and _stored(app, "job-rq") is None
        env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
               "REDIS_URL": app.config["REDIS_URL"], "JOB_QUEUE_NAME": "atelier-test-jobs",
               "SECRET_KEY": app.config["SECRET_KEY"]}
        worker = subprocess.run([sys.executable, "-m", "app.job_worker", "--burst"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        job = jobs.queue().fetch_job(job_id)
        assert job.get_status() == "finished", (worker.stderr, job.exc_info)
        assert _stored(app, "job-rq") == "from the worker"
    finally:
        app.config["JOB_QUEUE"] = "inline"
        app.config["JOB_QUEUE_NAME"] = "atelier"
