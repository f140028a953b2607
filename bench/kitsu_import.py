"""POST /import/kitsu/tasks?silent=true (what sync-push sends), under
gunicorn (one worker) on loopback: tasks per second, each with two
assignees, in batches of 200 (sync-push's default), first as new rows then
as updates of the same ids; and the ratio to the floor.

The floor is the same task rows (without the assignee links) loaded by
one COPY in this process, same run, into a second project.

    .venv/bin/python -m bench.kitsu_import [--tasks 20000] [--batch 200]
"""
import argparse
import io
import time
import uuid

import orjson
import psycopg2
import requests
from sqlalchemy.engine import make_url

from bench.live import ADMIN, live_app


def ids(prefix, count):
    return [str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-kitsu/{prefix}/{n}")) for n in range(count)]


def seed(app, count):
    """Two projects with `count` assets each; returns what a task needs."""
    with app.app_context():
        from sqlalchemy import select

        from app.extensions import db
        from app.models.person import Person
        from app.models.settings import EntityType, ProjectStatus, TaskStatus, TaskType
        from app.services import kitsu_import

        refs = {"task_type_id": str(db.session.scalar(select(TaskType.id).limit(1))),
                "task_status_id": str(db.session.scalar(select(TaskStatus.id).limit(1)))}
        asset_type = str(db.session.scalar(select(EntityType.id).where(
            EntityType.name == "Character")))
        kitsu_import.upsert("persons", [{"id": ids("artist", 1)[0], "first_name": "Bench",
                                         "last_name": "Artist", "email": "artist@bench.example"}],
                            silent=True)
        assignees = [str(i) for i in db.session.scalars(select(Person.id).limit(2))]
        status = db.session.scalar(select(ProjectStatus.id))
        projects = {}
        for name in ("import", "floor"):
            project_id = ids(f"project-{name}", 1)[0]
            kitsu_import.upsert("projects", [{"id": project_id, "name": f"Bench {name}",
                                              "project_status_id": str(status)}], silent=True)
            assets = ids(f"asset-{name}", count)
            for start in range(0, count, 1000):
                batch = assets[start:start + 1000]
                kitsu_import.upsert("entities", [
                    {"id": a, "name": f"A{start + n}", "project_id": project_id,
                     "entity_type_id": asset_type} for n, a in enumerate(batch)], silent=True)
            db.session.commit()
            projects[name] = (project_id, assets)
        return refs, assignees, projects


def task_rows(refs, assignees, project_id, assets, prefix):
    return [{"id": task_id, "type": "Task", "name": "Modeling", "project_id": project_id,
             "entity_id": asset, "assignees": assignees, "data": {"n": n},
             "created_at": "2024-01-01T00:00:00", "updated_at": "2024-01-02T00:00:00", **refs}
            for n, (task_id, asset) in enumerate(zip(ids(prefix, len(assets)), assets))]


def push(url, headers, rows, batch):
    start = time.perf_counter()
    for offset in range(0, len(rows), batch):
        response = requests.post(f"{url}/import/kitsu/tasks?silent=true", headers=headers,
                                 data=orjson.dumps(rows[offset:offset + batch]), timeout=600)
        response.raise_for_status()
    return time.perf_counter() - start


def floor(database_url, rows):
    columns = ("id", "name", "project_id", "entity_id", "task_type_id", "task_status_id",
               "data", "created_at", "updated_at")
    text = "".join("\t".join(orjson.dumps(r[c]).decode() if c == "data" else str(r[c])
                             for c in columns) + "\n" for r in rows)
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg2.connect(url.render_as_string(hide_password=False)) as conn:
        start = time.perf_counter()
        conn.cursor().copy_from(io.StringIO(text), "task", columns=columns)
        conn.commit()
        return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=200)
    options = parser.parse_args()
    server, password, app = live_app("atelier_bench_kitsu", workers=1)
    refs, assignees, projects = seed(app, options.tasks)
    server.start()
    try:
        token = requests.post(f"{server.url}/auth/login", json={
            "email": ADMIN, "password": password}, timeout=30).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        rows = task_rows(refs, assignees, *projects["import"], "task-import")
        base = floor(server.database_url, task_rows(refs, [], *projects["floor"], "task-floor"))
        for label in ("new rows", "updates"):
            seconds = push(server.url, headers, rows, options.batch)
            print(f"{label}: {options.tasks} tasks in {seconds:.2f} s "
                  f"({options.tasks / seconds:,.0f}/s), x{seconds / base:.1f} the COPY floor "
                  f"({base:.2f} s)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
