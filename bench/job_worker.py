"""What a background job costs beyond its own work: N trivial jobs through
`app.jobs.submit` and one `python -m app.job_worker --burst`, against the
floor of the same jobs (bench.job_target.touch) on a plain
`rq worker --burst` (no application, no database).

    .venv/bin/python -m bench.job_worker [--jobs 20]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import redis
from rq import Queue

from bench.job_target import touch
from bench.live import live_app
from tests.live_server import ROOT

QUEUE = "atelier-bench-jobs"


def burst(command, env):
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=20)
    args = parser.parse_args()
    server, _, app = live_app("atelier_bench_jobs")
    env = {**server.env, "JOB_QUEUE": "rq", "JOB_QUEUE_NAME": QUEUE}
    folder = tempfile.mkdtemp(prefix="bench-jobs-")
    connection = redis.Redis.from_url(env["REDIS_URL"])

    floor_queue = Queue(f"{QUEUE}-floor", connection=connection)
    for n in range(args.jobs):
        floor_queue.enqueue(touch, os.path.join(folder, f"floor-{n}"))
    floor = burst([os.path.join(os.path.dirname(sys.executable), "rq"), "worker", "--burst",
                   "--url", env["REDIS_URL"], f"{QUEUE}-floor"], env)

    app.config.update(JOB_QUEUE="rq", JOB_QUEUE_NAME=QUEUE)
    with app.app_context():
        from app import jobs

        for n in range(args.jobs):
            jobs.submit("bench.job_target:touch", os.path.join(folder, f"job-{n}"))
    ours = burst([sys.executable, "-m", "app.job_worker", "--burst"], env)
    for prefix in ("floor-", "job-"):
        assert len([f for f in os.listdir(folder) if f.startswith(prefix)]) == args.jobs

    print(f"{args.jobs} trivial jobs, one burst worker each side; 2 cores")
    print(f"floor (plain rq worker)                 {floor:6.2f} s")
    print(f"app.job_worker (app context, session)   {ours:6.2f} s")
    print(f"ratio to the floor: {ours / floor:.2f}; "
          f"{(ours - floor) / args.jobs * 1000:.0f} ms more per job")


if __name__ == "__main__":
    main()
