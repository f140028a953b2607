"""The CSV exports of a 75,000-task production, under gunicorn on loopback,
each as a ratio to its floor: the same rows fetched by one plain SQL query
(raw psycopg2) and written with the csv module, in this process, same run.

The production is bench.seed.asset_production: 5,000 assets, 15 steps,
every task assigned. Also prints the peak RSS of the gunicorn workers
after the exports, against their size, to show the files are streamed.

    .venv/bin/python -m bench.export_csv [--runs 5]
"""
import argparse
import csv
import io
import os
import time

import psycopg2
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import seed
from bench.live import ADMIN, live_app, median_seconds, peak_rss_mb, worker_pids

FULL_NAME = "trim(concat_ws(' ', nullif(p.first_name, ''), nullif(p.last_name, '')))"
NAMES = f"""
    SELECT l.task_id, string_agg({FULL_NAME}, %(separator)s ORDER BY {FULL_NAME}) AS names
    FROM task_person_link l JOIN person p ON p.id = l.person_id GROUP BY l.task_id"""

TASKS_FLOOR = f"""
    SELECT pr.name, tt.name, ep.name, sq.name, et.name, e.name,
           concat_ws(' ', a.first_name, a.last_name), coalesce(n.names, ''),
           t.duration, t.estimation, to_char(t.start_date, 'YYYY-MM-DD'),
           to_char(t.due_date, 'YYYY-MM-DD'), to_char(t.real_start_date, 'YYYY-MM-DD'),
           to_char(t.end_date, 'YYYY-MM-DD'), ts.name
    FROM task t
    JOIN project pr ON pr.id = t.project_id
    JOIN project_status ps ON ps.id = pr.project_status_id AND ps.name = 'Open'
    JOIN task_type tt ON tt.id = t.task_type_id
    JOIN task_status ts ON ts.id = t.task_status_id
    JOIN entity e ON e.id = t.entity_id
    JOIN entity_type et ON et.id = e.entity_type_id
    LEFT JOIN person a ON a.id = t.assigner_id
    LEFT JOIN entity sq ON sq.id = e.parent_id
    LEFT JOIN entity ep ON ep.id = sq.parent_id
    LEFT JOIN ({NAMES}) n ON n.task_id = t.id
    ORDER BY pr.name, tt.name, t.name, ep.name, sq.name, et.name, e.name, t.id"""

# One row per asset, a status and an assignees column per task type.
ASSETS_FLOOR = f"""
    SELECT %(project_name)s, at.name, e.name, e.description, c.duration {{pivot}}
    FROM entity e JOIN entity_type at ON at.id = e.entity_type_id
    LEFT JOIN (SELECT t.entity_id, sum(t.duration) AS duration {{cells}}
               FROM task t LEFT JOIN task_status ts ON ts.id = t.task_status_id
               LEFT JOIN ({NAMES}) n ON n.task_id = t.id
               WHERE t.project_id = %(project_id)s GROUP BY t.entity_id) c
      ON c.entity_id = e.id
    WHERE e.project_id = %(project_id)s AND at.name NOT IN
          ('Episode', 'Sequence', 'Shot', 'Scene', 'Edit', 'Concept')
    ORDER BY at.name COLLATE "C", e.name COLLATE "C", e.id"""


def _assets_floor_sql(cursor, project_id):
    cursor.execute("""SELECT id FROM task_type WHERE id IN
                      (SELECT task_type_id FROM task WHERE project_id = %s)
                      ORDER BY priority NULLS LAST, name COLLATE "C" """, (project_id,))
    ids = [row[0] for row in cursor.fetchall()]
    cells = "".join(f", max(ts.short_name) FILTER (WHERE t.task_type_id = '{i}') AS s{n}"
                    f", max(n.names) FILTER (WHERE t.task_type_id = '{i}') AS a{n}"
                    for n, i in enumerate(ids))
    pivot = "".join(f", c.s{n}, c.a{n}" for n in range(len(ids)))
    return ASSETS_FLOOR.format(pivot=pivot, cells=cells)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    server, password, app = live_app("atelier_bench_export", workers=2)
    with app.app_context():
        from app.extensions import db

        started = time.perf_counter()
        library = str(seed.asset_production("Bench Library"))
        seeded = time.perf_counter() - started
        nb_tasks = db.session.scalar(text("SELECT count(*) FROM task"))
        db.session.commit()
    # Fresh statistics, as autovacuum gives a production after a bulk load:
    # without them the planner expects a few rows and nests loops.
    with app.app_context():
        db.session.connection().exec_driver_sql("ANALYZE")
        db.session.commit()

    connection = psycopg2.connect(make_url(server.database_url).set(
        drivername="postgresql").render_as_string(hide_password=False))
    cursor = connection.cursor()

    def floor(sql, params):
        def run():
            cursor.execute(sql, params)
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=";").writerows(cursor.fetchall())
            return buffer.getvalue().encode()
        return run

    cases = [
        ("GET /export/csv/tasks.csv", "/export/csv/tasks.csv",
         floor(TASKS_FLOOR, {"separator": ", "})),
        ("GET /export/csv/projects/<library>/assets.csv",
         f"/export/csv/projects/{library}/assets.csv",
         floor(_assets_floor_sql(cursor, library),
               {"separator": ",", "project_id": library, "project_name": "Bench Library"})),
    ]

    server.start()
    results = []
    try:
        session = requests.Session()
        token = session.post(server.url + "/auth/login",
                             json={"email": ADMIN, "password": password}).json()["access_token"]
        session.headers["Authorization"] = f"Bearer {token}"
        idle_rss = max(peak_rss_mb(pid) for pid in worker_pids(server.process.pid))
        for label, path, floor_fn in cases:
            def get():
                response = session.get(server.url + path)
                response.raise_for_status()
                return response

            probe = get()
            route_time = median_seconds(get, args.runs)
            floor_time = median_seconds(floor_fn, args.runs)
            results.append((label, route_time, floor_time, len(probe.content),
                            len(floor_fn()), probe.content.count(b"\n")))
        peak_rss = max(peak_rss_mb(pid) for pid in worker_pids(server.process.pid))
    finally:
        server.stop()
        connection.close()

    print(f"seeded in {seeded:.1f} s: {nb_tasks} tasks; median of {args.runs} runs, "
          f"{os.cpu_count()} CPUs")
    for label, route_time, floor_time, size, floor_size, lines in results:
        print(f"{label:48s} {route_time * 1000:8.1f} ms {size / 1e6:6.2f} MB {lines:6d} lines | "
              f"floor {floor_time * 1000:8.1f} ms {floor_size / 1e6:6.2f} MB | ratio "
              f"{route_time / floor_time:5.2f}")
    print(f"gunicorn worker peak RSS (VmHWM): {idle_rss:.0f} MB after start, "
          f"{peak_rss:.0f} MB after serving the exports")


if __name__ == "__main__":
    main()
