"""The job worker: runs the jobs queued by app.jobs.submit (JOB_QUEUE=rq).

    python -m app.job_worker [--burst]

Start as many as the machine has cores to spare for ffmpeg; they share the
queue through Redis. `--burst` stops once the queue is empty.
"""
import sys

import redis
from rq import Worker

from app import create_app, jobs


def main(argv):
    app = create_app()
    jobs.serve_with(app)
    with app.app_context():
        connection = redis.Redis.from_url(app.config["REDIS_URL"])
        worker = Worker([app.config["JOB_QUEUE_NAME"]], connection=connection)
    worker.work(burst="--burst" in argv, with_scheduler=False)


if __name__ == "__main__":
    main(sys.argv[1:])
