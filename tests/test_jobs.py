"""app/jobs.py: the same call runs a job in the request (inline) or on a
worker process fed through Redis (rq)."""
import os
import subprocess
import sys

import pytest

from app import jobs
from tests.live_server import ROOT


def remember(path, text):
    """A job whose effect another process can see: a file with its pid."""
    with open(path, "w") as out:
        out.write(f"{text} {os.getpid()}")


def test_inline_runs_at_once_in_the_caller(app, tmp_path):
    app.config["JOB_QUEUE"] = "inline"
    path = str(tmp_path / "inline")
    assert jobs.submit("tests.test_jobs:remember", path, "done") is None
    assert open(path).read() == f"done {os.getpid()}"


def test_an_unknown_target_fails_in_the_caller(app):
    with pytest.raises(AttributeError):
        jobs.submit("tests.test_jobs:no_such_job", 1)


def test_rq_queues_the_job_and_a_worker_process_runs_it(app, tmp_path):
    app.config["JOB_QUEUE"] = "rq"
    app.config["JOB_QUEUE_NAME"] = "atelier-test-jobs"
    path = str(tmp_path / "queued")
    try:
        job_id = jobs.submit("tests.test_jobs:remember", path, "from the worker")
        # Queued, not run: the request would have returned here.
        assert job_id and not os.path.exists(path)
        env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
               "REDIS_URL": app.config["REDIS_URL"], "JOB_QUEUE_NAME": "atelier-test-jobs",
               "SECRET_KEY": app.config["SECRET_KEY"]}
        worker = subprocess.run([sys.executable, "-m", "app.job_worker", "--burst"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        job = jobs.queue().fetch_job(job_id)
        assert job.get_status() == "finished", (worker.stderr, job.exc_info)
        text, pid = open(path).read().rsplit(" ", 1)
        assert text == "from the worker" and int(pid) != os.getpid()
    finally:
        app.config["JOB_QUEUE"] = "inline"
        app.config["JOB_QUEUE_NAME"] = "atelier"
