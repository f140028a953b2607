"""POST /import/csv/projects/<id>/shots with a 50,000-shot file, under
gunicorn (one worker) on loopback: rows per second as a ratio to its
floor, and the worker's peak RSS (the target is under 200 MB).

The floor is the same rows written by plain SQL in this process, same
run: the sequences and shots, then one task per shot and shot task type,
each table loaded by one COPY in one transaction. The route does more
(reads and checks the file, emits an event per shot and per task): the
ratio says what that costs.

Each run imports into a new empty project (3 shot task types, so 150,000
tasks per import).

    .venv/bin/python -m bench.csv_import [--rows 50000] [--runs 3]
"""
import argparse
import io
import os
import statistics
import time
import uuid

import psycopg2
import requests
from sqlalchemy.engine import make_url

from bench.live import ADMIN, peak_rss_mb, worker_pids
from tests import settings
from tests.live_server import LiveServer
SHOTS_PER_SEQUENCE = 1000
STEPS = ("Bench Layout", "Bench Animation", "Bench Lighting")


def shots_csv(rows):
    lines = ["Sequence,Name,Description,Nb Frames,Frame In,Frame Out,FPS"]
    for n in range(rows):
        start = 1001 + (n % 7) * 10
        lines.append(f"SQ{n // SHOTS_PER_SEQUENCE:03d},SH{n:05d},Shot {n} \u00e9t\u00e9,"
                     f"{48 + n % 5},{start},{start + 47 + n % 5},24")
    return ("\n".join(lines) + "\n").encode()


def _new_project(cursor, name):
    cursor.execute("""
        INSERT INTO project (id, name, project_status_id, fps, resolution, production_style,
                             created_at, updated_at)
        SELECT gen_random_uuid(), %s, id, '24', '1920x1080', '2d3d', now(), now()
        FROM project_status WHERE name = 'Open' RETURNING id""", (name,))
    project_id = cursor.fetchone()[0]
    cursor.execute("""
        INSERT INTO project_task_type_link (id, project_id, task_type_id, priority,
                                            created_at, updated_at)
        SELECT gen_random_uuid(), %s, id, priority, now(), now() FROM task_type
        WHERE name = ANY(%s) AND for_entity = 'Shot'""", (project_id, list(STEPS)))
    return project_id


def _copy(cursor, table, columns, rows):
    buffer = io.StringIO("".join("\t".join(r) + "\n" for r in rows))
    cursor.copy_from(buffer, table, columns=columns, null="\\N")


def floor_insert(connection, project_id, rows):
    """The import's rows by COPY: sequences, shots, tasks; one commit."""
    cursor = connection.cursor()
    cursor.execute("SELECT name, id FROM entity_type WHERE name IN ('Sequence', 'Shot')")
    types = dict(cursor.fetchall())
    cursor.execute("SELECT id FROM task_type WHERE name = ANY(%s) AND for_entity = 'Shot'",
                   (list(STEPS),))
    steps = [r[0] for r in cursor.fetchall()]
    cursor.execute("SELECT id FROM task_status WHERE is_default ORDER BY created_at LIMIT 1")
    status = cursor.fetchone()[0]
    cursor.execute("SELECT id FROM person WHERE email = %s", (ADMIN,))
    admin = cursor.fetchone()[0]
    common = ["running", "f", "0", "f", "f", "now", "now", str(project_id)]
    sequences = {}
    for n in range(0, rows, SHOTS_PER_SEQUENCE):
        sequences[n // SHOTS_PER_SEQUENCE] = str(uuid.uuid4())
    entity_columns = ("id", "name", "entity_type_id", "parent_id", "data", "nb_frames",
                      "description", "created_by", "status", "canceled", "nb_entities_out",
                      "is_casting_standby", "is_shared", "created_at", "updated_at",
                      "project_id")
    _copy(cursor, "entity", entity_columns, [
        [i, f"SQ{n:03d}", str(types["Sequence"]), "\\N", "{}", "\\N", "\\N", str(admin),
         *common] for n, i in sequences.items()])
    shots = []
    for n in range(rows):
        start = 1001 + (n % 7) * 10
        shots.append([str(uuid.uuid4()), f"SH{n:05d}", str(types["Shot"]),
                      sequences[n // SHOTS_PER_SEQUENCE],
                      f'{{"frame_in": {start}, "frame_out": {start + 47 + n % 5}, "fps": "24"}}',
                      str(48 + n % 5), f"Shot {n} \u00e9t\u00e9", str(admin), *common])
    _copy(cursor, "entity", entity_columns, shots)
    _copy(cursor, "task", ("id", "name", "project_id", "entity_id", "task_type_id",
                           "task_status_id", "assigner_id", "duration", "estimation",
                           "completion_rate", "created_at", "updated_at"),
          [[str(uuid.uuid4()), "main", str(project_id), shot[0], str(step), str(status),
            str(admin), "0", "0", "0", "now", "now"] for shot in shots for step in steps])
    connection.commit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    # A database and a Redis DB of its own (15: no test slot uses it).
    server = LiveServer(f"atelier_bench_csv{settings.SUFFIX}", redis_db=15, workers=1,
                        extra_env={"GUNICORN_TIMEOUT": "600"})
    password = server.setup(ADMIN)
    connection = psycopg2.connect(make_url(server.database_url).set(
        drivername="postgresql").render_as_string(hide_password=False))
    cursor = connection.cursor()
    cursor.execute("""
        INSERT INTO task_type (id, name, for_entity, priority, color, allow_timelog, archived,
                               created_at, updated_at)
        SELECT gen_random_uuid(), n.name, 'Shot', n.position, '#78909C', true, false,
               now(), now()
        FROM unnest(%s::text[]) WITH ORDINALITY n(name, position)""", (list(STEPS),))
    connection.commit()
    body = shots_csv(args.rows)

    server.start()
    route_times, floor_times = [], []
    try:
        session = requests.Session()
        token = session.post(server.url + "/auth/login",
                             json={"email": ADMIN, "password": password}).json()["access_token"]
        session.headers["Authorization"] = f"Bearer {token}"
        worker = worker_pids(server.process.pid)[0]
        idle_rss = peak_rss_mb(worker)
        for run in range(args.runs):
            project_id = _new_project(cursor, f"Import {run}")
            connection.commit()
            started = time.perf_counter()
            response = session.post(f"{server.url}/import/csv/projects/{project_id}/shots",
                                    files={"file": ("shots.csv", body, "text/csv")})
            route_times.append(time.perf_counter() - started)
            response.raise_for_status()
            assert len(response.json()) == args.rows, len(response.json())

            floor_project = _new_project(cursor, f"Floor {run}")
            connection.commit()
            started = time.perf_counter()
            floor_insert(connection, floor_project, args.rows)
            floor_times.append(time.perf_counter() - started)
        peak_rss = peak_rss_mb(worker)
        cursor.execute("""SELECT count(*) FROM task t JOIN project p ON p.id = t.project_id
                          WHERE p.name = 'Import 0'""")
        tasks = cursor.fetchone()[0]
    finally:
        server.stop()
        connection.close()

    route, floor = statistics.median(route_times), statistics.median(floor_times)
    print(f"{args.rows} shots ({len(body) / 1e6:.1f} MB CSV), {tasks} tasks per import; "
          f"median of {args.runs} runs, {os.cpu_count()} CPUs")
    print(f"POST /import/csv/projects/<id>/shots {route:7.2f} s {args.rows / route:8.0f} rows/s"
          f" | floor (COPY) {floor:6.2f} s {args.rows / floor:8.0f} rows/s"
          f" | ratio {route / floor:5.2f}")
    print(f"gunicorn worker peak RSS (VmHWM): {idle_rss:.0f} MB after start, "
          f"{peak_rss:.0f} MB after the imports (target < 200 MB)")


if __name__ == "__main__":
    main()
