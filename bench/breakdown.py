"""The breakdown page and the big production lists, under gunicorn on
loopback, each as a ratio to its floor: one SQL query returning the same
JSON built by PostgreSQL (raw psycopg2), in this process, same run.

Two productions: a film of 2,000 shots (40 sequences, 20 steps: 40,000
tasks) cast with 10 assets a shot, and an asset library of 5,000 assets
(15 steps: 75,000 tasks); every task assigned. Also prints the peak RSS of
the gunicorn workers after serving the 75,000-task list.

    .venv/bin/python -m bench.breakdown [--runs 5]
"""
import argparse
import os
import time

import psycopg2
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import seed
from bench.live import ADMIN, live_app, median_seconds, peak_rss_mb, worker_pids


# The floors: what each route answers, built by PostgreSQL in one query.
CASTING_FLOOR = """
    SELECT coalesce(json_object_agg(c.key, c.casting ORDER BY c.s0, c.s1), '{}')::text
    FROM (SELECT l.entity_in_id AS key, min(seq.name) AS s0, min(e.name) AS s1,
                 json_agg(json_build_object(
                     'asset_id', a.id, 'name', a.name, 'asset_name', a.name,
                     'asset_type_name', at.name, 'sequence_name', seq.name,
                     'preview_file_id', a.preview_file_id, 'nb_occurences', l.nb_occurences,
                     'label', l.label, 'is_shared', a.is_shared, 'project_id', a.project_id)
                     ORDER BY at.name, a.name) AS casting
          FROM entity_link l
          JOIN entity e ON e.id = l.entity_in_id
          JOIN entity seq ON seq.id = e.parent_id
          JOIN entity a ON a.id = l.entity_out_id
          JOIN entity_type at ON at.id = a.entity_type_id
          WHERE a.canceled IS NOT TRUE AND e.project_id = %s
          GROUP BY l.entity_in_id) c"""

# Each entity's columns plus its tasks (with assignee ids), as Kitsu's
# with-tasks lists carry them.
WITH_TASKS_FLOOR = """
    SELECT coalesce(json_agg(x ORDER BY x.name), '[]')::text FROM (
        SELECT e.id, e.name, e.description, e.data, e.canceled, e.nb_frames,
               e.nb_entities_out, e.parent_id, e.source_id, e.preview_file_id,
               e.entity_type_id, e.project_id, e.ready_for, e.is_casting_standby,
               date_trunc('second', e.updated_at) AS updated_at,
               coalesce((SELECT json_agg(json_build_object(
                   'id', t.id, 'entity_id', t.entity_id, 'task_type_id', t.task_type_id,
                   'task_status_id', t.task_status_id, 'estimation', t.estimation,
                   'duration', t.duration, 'retake_count', t.retake_count,
                   'priority', t.priority, 'difficulty', t.difficulty,
                   'start_date', date_trunc('second', t.start_date),
                   'due_date', date_trunc('second', t.due_date),
                   'end_date', t.end_date, 'done_date', t.done_date,
                   'real_start_date', t.real_start_date,
                   'last_comment_date', t.last_comment_date,
                   'last_preview_file_id', t.last_preview_file_id,
                   'nb_assets_ready', t.nb_assets_ready,
                   'assignees', coalesce((SELECT array_agg(p.person_id)
                                          FROM task_person_link p WHERE p.task_id = t.id),
                                         '{{}}')))
                  FROM task t WHERE t.entity_id = e.id), '[]') AS tasks
        FROM entity e JOIN entity_type et ON et.id = e.entity_type_id
        WHERE e.project_id = %s AND et.name {kind}) x"""
TEMPORAL = "('Episode', 'Sequence', 'Shot', 'Scene', 'Edit', 'Concept')"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    server, password, app = live_app("atelier_bench", workers=2)
    with app.app_context():
        from app.extensions import db

        started = time.perf_counter()
        film = seed.shot_production("Bench Film")
        library = seed.asset_production("Bench Library")
        seeded = time.perf_counter() - started
        counts = db.session.execute(text("""
            SELECT (SELECT count(*) FROM entity e JOIN entity_type et ON et.id = e.entity_type_id
                    WHERE e.project_id = :film AND et.name = 'Shot'),
                   (SELECT count(*) FROM task WHERE project_id = :film),
                   (SELECT count(*) FROM entity_link l JOIN entity e ON e.id = l.entity_in_id
                    WHERE e.project_id = :film),
                   (SELECT count(*) FROM task WHERE project_id = :library)"""),
            {"film": film, "library": library}).one()

    cursor = psycopg2.connect(make_url(server.database_url).set(
        drivername="postgresql").render_as_string(hide_password=False)).cursor()

    def floor(sql, project_id):
        def run():
            cursor.execute(sql, (str(project_id),))
            return cursor.fetchone()[0].encode()
        return run

    cases = [
        ("GET /data/projects/<film>/sequences/all/casting",
         f"/data/projects/{film}/sequences/all/casting", floor(CASTING_FLOOR, film)),
        ("GET /data/shots/with-tasks?project_id=<film>",
         f"/data/shots/with-tasks?project_id={film}",
         floor(WITH_TASKS_FLOOR.format(kind="= 'Shot'"), film)),
        ("GET /data/assets/with-tasks?project_id=<library>",
         f"/data/assets/with-tasks?project_id={library}",
         floor(WITH_TASKS_FLOOR.format(kind=f"NOT IN {TEMPORAL}"), library)),
    ]

    server.start()
    results = []
    try:
        session = requests.Session()
        token = session.post(server.url + "/auth/login",
                             json={"email": ADMIN, "password": password}).json()["access_token"]
        session.headers["Authorization"] = f"Bearer {token}"
        workers = worker_pids(server.process.pid)
        idle_rss = max(peak_rss_mb(pid) for pid in workers)
        for label, path, floor_fn in cases:
            probe = session.get(server.url + path)
            if probe.status_code in (404, 405):
                results.append((label, None, None, None, None))
                continue
            probe.raise_for_status()
            floor_time = median_seconds(floor_fn, args.runs)
            floor_size = len(floor_fn())

            def get():
                response = session.get(server.url + path)
                response.raise_for_status()
                return response

            route_time = median_seconds(get, args.runs)
            results.append((label, route_time, floor_time, len(probe.content), floor_size))
        peak_rss = max(peak_rss_mb(pid) for pid in worker_pids(server.process.pid))
    finally:
        server.stop()

    shots, film_tasks, links, library_tasks = counts
    print(f"seeded in {seeded:.1f} s: film {shots} shots, {film_tasks} tasks, {links} casting "
          f"links; library {library_tasks} tasks; median of {args.runs} runs, "
          f"{os.cpu_count()} CPUs")
    for label, route_time, floor_time, size, floor_size in results:
        if route_time is None:
            print(f"{label:50s} skipped: the route does not exist yet")
            continue
        print(f"{label:50s} {route_time * 1000:8.1f} ms {size / 1e6:6.2f} MB | floor "
              f"{floor_time * 1000:8.1f} ms {floor_size / 1e6:6.2f} MB | ratio "
              f"{route_time / floor_time:5.2f}")
    print(f"gunicorn worker peak RSS (VmHWM): {idle_rss:.0f} MB after start, "
          f"{peak_rss:.0f} MB after serving the lists (75,000-task list last)")


if __name__ == "__main__":
    main()
