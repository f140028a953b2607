"""app/jobs.py: the same call runs a job in the request (inline) or on a
worker process fed through Redis (rq)."""
import os
import subprocess
import sys

import pytest

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


def test_rq_queues_the_job_and_a_worker_process_runs_it(app):
    app.config["JOB_QUEUE"] = "rq"
    app.config["JOB_QUEUE_NAME"] = "atelier-test-jobs"
    try:
        job_id = jobs.submit("tests.test_jobs:remember", "job-rq", "from the worker")
        # Queued, not run: the request would have returned here.
        assert job_id and kv.get("job-rq") is None
        env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
               "REDIS_URL": app.config["REDIS_URL"], "JOB_QUEUE_NAME": "atelier-test-jobs",
               "SECRET_KEY": app.config["SECRET_KEY"]}
        subprocess.run([sys.executable, "-m", "app.job_worker", "--burst"], cwd=ROOT,
                       env=env, check=True, capture_output=True, timeout=120)
        assert kv.get("job-rq") == "from the worker"
        assert jobs.queue().fetch_job(job_id).get_status() == "finished"
    finally:
        app.config["JOB_QUEUE"] = "inline"
        app.config["JOB_QUEUE_NAME"] = "atelier"
