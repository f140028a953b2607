"""POST /actions/tasks/<id>/comment with a status change on a 40,000-task
production, under gunicorn on loopback: artists comment on their own tasks
from concurrent client processes (each on different tasks), beside the
floor (bench/comment_floor_app.py: the same rows written by plain SQL on
the same gunicorn settings), as ratios measured in the same run.

    .venv/bin/python -m bench.comments [--seconds 10] [--concurrency 4] [--workers 2]
"""
import argparse
import os

import requests
from sqlalchemy import text

from bench import seed
from bench.live import live_app
from bench.load import measure
from tests import settings
from tests.live_server import LiveServer

PASSWORD = "bench-artist-password"


class Comments:
    """The requests of client process i: artist i's tasks, one comment each,
    moving the task from Todo to WIP (a status change every time)."""

    def __init__(self, url, tokens, tasks, status_id, person_ids=None):
        self.url, self.tokens, self.tasks = url, tokens, tasks
        self.status_id, self.person_ids = status_id, person_ids

    def __call__(self, index):
        headers = {"Authorization": f"Bearer {self.tokens[index]}"} if self.tokens else {}
        for task_id in self.tasks[index]:
            body = {"task_status_id": self.status_id, "comment": "Blocking done, please check"}
            if self.person_ids:
                body["person_id"] = self.person_ids[index]
            yield "POST", self.url.format(task_id=task_id), {"json": body, "headers": headers}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    api, _, app = live_app("atelier_bench_comments", workers=args.workers)
    floor = LiveServer(f"atelier_bench_comments{settings.SUFFIX}", redis_db=15,
                       workers=args.workers, app="bench.comment_floor_app:app")
    with app.app_context():
        from app.extensions import db
        from app.services import passwords

        project_id = seed.shot_production("Bench Film")
        nb_tasks = db.session.scalar(text("SELECT count(*) FROM task WHERE project_id = :p"),
                                     {"p": project_id})
        ids = lambda sql: [str(r[0]) for r in db.session.execute(text(sql))]  # noqa: E731
        todo, wip = (ids(f"SELECT id FROM task_status WHERE short_name = '{s}'")[0]
                     for s in ("todo", "wip"))
        db.session.execute(text("UPDATE task SET task_status_id = :todo"), {"todo": todo})
        artists = ids("SELECT p.id FROM person p JOIN task_person_link l ON l.person_id = p.id "
                      "GROUP BY p.id ORDER BY p.id LIMIT %d" % (2 * args.concurrency))
        db.session.execute(text("UPDATE person SET password = :hash WHERE id = ANY(CAST(:ids AS uuid[]))"),
                           {"hash": passwords.hash_secret(PASSWORD), "ids": artists})
        emails = [db.session.scalar(text("SELECT email FROM person WHERE id = :i"), {"i": a})
                  for a in artists]
        # The API's artists and the floor's take different tasks: each
        # request moves a task still on Todo.
        tasks = [ids(f"SELECT task_id FROM task_person_link WHERE person_id = '{a}' "
                     f"ORDER BY task_id") for a in artists]
        db.session.commit()

    api.start()
    floor.start()
    try:
        tokens = [requests.post(api.url + "/auth/login", json={
            "email": e, "password": PASSWORD}).json()["access_token"]
            for e in emails[:args.concurrency]]
        run = dict(seconds=args.seconds, concurrency=args.concurrency, warmup=2.0)
        floor_rps, floor_p50, floor_p99 = measure(Comments(
            floor.url + "/comment/{task_id}", None, tasks[args.concurrency:], wip,
            artists[args.concurrency:]), **run)
        api_rps, api_p50, api_p99 = measure(Comments(
            api.url + "/actions/tasks/{task_id}/comment", tokens, tasks[:args.concurrency],
            wip), **run)
    finally:
        api.stop()
        floor.stop()
    print(f"{nb_tasks} tasks in the production; gunicorn workers={args.workers}, "
          f"client processes={args.concurrency}, {args.seconds:.0f} s per measure after 2 s of warm-up, "
          f"{os.cpu_count()} CPUs")
    print(f"floor (same rows, plain SQL)  {floor_rps:7.1f} req/s  p50 {floor_p50 * 1000:6.1f} ms"
          f"  p99 {floor_p99 * 1000:6.1f} ms")
    print(f"POST .../comment (WIP)        {api_rps:7.1f} req/s  p50 {api_p50 * 1000:6.1f} ms"
          f"  p99 {api_p99 * 1000:6.1f} ms")
    print(f"ratio to the floor: throughput {api_rps / floor_rps:.2f}, "
          f"p99 latency {api_p99 / floor_p99:.2f}x")


if __name__ == "__main__":
    main()
