"""The task read views on big productions, under gunicorn on loopback, each
as a ratio to its floor: one SQL query returning the same JSON built by
PostgreSQL (raw psycopg2), in this process, same run.

Two productions: a film of 40,000 tasks (bench.seed.shot_production) and
an asset library of 75,000 tasks (asset_production). An artist of the
film has 20,000 of its tasks assigned, each with two comments; a client is
on the library's team. Each floor runs twice: with the server's settings,
and without JIT compilation (the routes turn it off: compiling their large
row expressions costs more than running them); the ratio is to the faster.

    .venv/bin/python -m bench.task_views [--runs 5]
"""
import argparse
import os
import time

import psycopg2
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import seed
from bench.live import ADMIN, live_app, median_seconds

ARTIST = "bench-artist@example.com"
CLIENT = "bench-client@example.com"
PASSWORD = "bench-password-1"
ARTIST_TASKS = 20000

# The detailed row of a task (open tasks, to-do lists): its columns and the
# names of what it hangs off. {extra} adds the list's own fields.
DETAIL = """to_jsonb(t) || jsonb_build_object(
    'type', 'Task',
    'assignees', coalesce((SELECT json_agg(l.person_id) FROM task_person_link l
                           WHERE l.task_id = t.id), '[]'),
    'project_name', p.name, 'project_has_avatar', p.has_avatar, 'entity_name', e.name,
    'entity_description', e.description, 'entity_data', e.data,
    'entity_preview_file_id', e.preview_file_id, 'entity_source_id', e.source_id,
    'entity_type_name', et.name, 'entity_canceled', e.canceled, 'sequence_name', sq.name,
    'episode_id', ep.id, 'episode_name', ep.name, 'task_type_for_entity', tt.for_entity,
    'task_type_name', tt.name, 'type_name', tt.name, 'status_name', ts.name,
    'type_color', tt.color, 'status_color', ts.color, 'status_short_name', ts.short_name
    {extra})"""
DETAIL_JOINS = """
    JOIN project p ON p.id = t.project_id
    JOIN task_type tt ON tt.id = t.task_type_id JOIN task_status ts ON ts.id = t.task_status_id
    JOIN entity e ON e.id = t.entity_id JOIN entity_type et ON et.id = e.entity_type_id
    LEFT JOIN entity sq ON sq.id = e.parent_id LEFT JOIN entity ep ON ep.id = sq.parent_id"""
DETAIL_FROM = "FROM task t" + DETAIL_JOINS
NAME_ORDER = "p.name, ep.name, sq.name, et.name, e.name, tt.name, t.id"

# One page of a production's open tasks, with the stats of the whole pool.
OPEN_TASKS_FLOOR = f"""
    WITH pool AS (
        SELECT t.id, t.duration, t.estimation, t.task_status_id {DETAIL_FROM}
        WHERE t.project_id = %(project)s AND tt.for_entity IS DISTINCT FROM 'Concept'),
    page AS (
        SELECT t.id, row_number() OVER (ORDER BY {NAME_ORDER}) AS n {DETAIL_FROM}
        WHERE t.id IN (SELECT id FROM pool) ORDER BY {NAME_ORDER}
        LIMIT 100 OFFSET %(offset)s),
    by_status AS (
        SELECT task_status_id, count(*) AS amount, sum(duration) AS duration,
               sum(estimation) AS estimation FROM pool GROUP BY task_status_id)
    SELECT json_build_object(
        'data', (SELECT coalesce(json_agg({DETAIL.format(extra="")} ORDER BY page.n), '[]')
                 FROM page JOIN task t ON t.id = page.id {DETAIL_JOINS}),
        'stats', (SELECT json_build_object(
            'total', sum(amount), 'total_duration', sum(duration),
            'total_estimation', sum(estimation),
            'status', json_agg(json_build_object('task_status_id', task_status_id,
                                                 'amount', amount))) FROM by_status),
        'limit', 100, 'page', %(page)s)::text"""

# The artist's to-do list with each task's last comment.
TODO_FLOOR = f"""
    SELECT coalesce(json_agg({DETAIL.format(extra=", 'last_comment', coalesce(lc.c, '{}')")}
                             ORDER BY {NAME_ORDER}), '[]')::text
    {DETAIL_FROM}
    LEFT JOIN LATERAL (
        SELECT json_build_object('text', c.text, 'date', date_trunc('second', c.created_at),
                                 'person_id', c.person_id) AS c
        FROM comment c WHERE c.object_id = t.id ORDER BY c.created_at DESC LIMIT 1) lc ON true
    WHERE t.id IN (SELECT task_id FROM task_person_link WHERE person_id = %(person)s)
      AND ts.is_done IS NOT TRUE"""

# A production's tasks as a client gets them: planning values blanked.
CLIENT_TASKS_FLOOR = """
    SELECT coalesce(json_agg(to_jsonb(t) || '{"type": "Task", "assignees": [],
        "difficulty": null, "done_date": null, "due_date": null, "duration": 0,
        "end_date": null, "estimation": 0, "last_comment_date": null, "priority": 0,
        "real_start_date": null, "retake_count": 0, "start_date": null}'::jsonb), '[]')::text
    FROM task t WHERE t.project_id = %(project)s"""


def _person(db, email, role, project_id):
    from app.models.person import Person
    from app.models.project import ProjectPersonLink
    from app.services import passwords

    person = Person(first_name=role.title(), last_name="Bench", email=email, role=role,
                    contract_type="open-ended", is_bot=False, is_guest=False, active=True,
                    password=passwords.hash_secret(PASSWORD))
    db.session.add(person)
    db.session.flush()
    db.session.add(ProjectPersonLink(project_id=project_id, person_id=person.id))
    db.session.flush()
    return person.id


def _artist_work(db, artist_id, project_id):
    """ARTIST_TASKS of the production's tasks assigned to the artist too,
    each with two comments by their other assignee (a minute apart)."""
    params = {"artist": artist_id, "project": project_id, "nb": ARTIST_TASKS}
    db.session.execute(text("""
        INSERT INTO task_person_link (task_id, person_id)
        SELECT id, :artist FROM task WHERE project_id = :project ORDER BY id LIMIT :nb"""),
        params)
    db.session.execute(text("""
        INSERT INTO comment (id, object_id, object_type, text, person_id, task_status_id,
                             pinned, created_at, updated_at)
        SELECT gen_random_uuid(), t.id, 'Task', 'note ' || k || ' on ' || t.name, l.person_id,
               t.task_status_id, false, now() - (k || ' minutes')::interval, now()
        FROM task t JOIN task_person_link l ON l.task_id = t.id AND l.person_id <> :artist
        CROSS JOIN generate_series(1, 2) k
        WHERE t.id IN (SELECT task_id FROM task_person_link WHERE person_id = :artist)"""),
        params)
    db.session.commit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    server, password, app = live_app("atelier_bench_task_views", workers=2)
    with app.app_context():
        from app.extensions import db

        started = time.perf_counter()
        film = seed.shot_production("Bench Film")
        library = seed.asset_production("Bench Library")
        artist = _person(db, ARTIST, "user", film)
        _person(db, CLIENT, "client", library)
        _artist_work(db, artist, film)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        seeded = time.perf_counter() - started
        counts = db.session.execute(text("""
            SELECT (SELECT count(*) FROM task WHERE project_id = :film),
                   (SELECT count(*) FROM task WHERE project_id = :library),
                   (SELECT count(*) FROM comment)"""),
            {"film": film, "library": library}).one()

    cursor = psycopg2.connect(make_url(server.database_url).set(
        drivername="postgresql").render_as_string(hide_password=False)).cursor()

    def floor(sql, **params):
        params = {k: str(v) if not isinstance(v, int) else v for k, v in params.items()}

        def run():
            cursor.execute(sql, params)
            return cursor.fetchone()[0].encode()
        return run

    def floor_times(floor_fn):
        times = []
        for jit in ("on", "off"):
            cursor.execute(f"SET jit = {jit}")
            times.append(median_seconds(floor_fn, args.runs))
        return times

    cases = [
        ("GET open-tasks?project_id=<film> page 1", ADMIN,
         f"/data/tasks/open-tasks?project_id={film}&page=1",
         floor(OPEN_TASKS_FLOOR, project=film, offset=0, page=1)),
        ("GET open-tasks?project_id=<film> page 100", ADMIN,
         f"/data/tasks/open-tasks?project_id={film}&page=100",
         floor(OPEN_TASKS_FLOOR, project=film, offset=9900, page=100)),
        (f"GET /data/user/tasks ({ARTIST_TASKS} assigned)", ARTIST, "/data/user/tasks",
         floor(TODO_FLOOR, person=artist)),
        ("GET /data/projects/<library>/tasks (client)", CLIENT,
         f"/data/projects/{library}/tasks", floor(CLIENT_TASKS_FLOOR, project=library)),
    ]

    server.start()
    results = []
    try:
        sessions = {}
        for email, secret in ((ADMIN, password), (ARTIST, PASSWORD), (CLIENT, PASSWORD)):
            session = sessions[email] = requests.Session()
            token = session.post(server.url + "/auth/login",
                                 json={"email": email, "password": secret}).json()
            session.headers["Authorization"] = f"Bearer {token['access_token']}"
        for label, email, path, floor_fn in cases:
            session = sessions[email]

            def get():
                response = session.get(server.url + path)
                response.raise_for_status()
                return response

            size = len(get().content)
            floor_jit, floor_no_jit = floor_times(floor_fn)
            floor_size = len(floor_fn())
            route_time = median_seconds(get, args.runs)
            results.append((label, route_time, floor_jit, floor_no_jit, size, floor_size))
    finally:
        server.stop()

    film_tasks, library_tasks, comments = counts
    print(f"seeded in {seeded:.1f} s: film {film_tasks} tasks, library {library_tasks} tasks, "
          f"{comments} comments; median of {args.runs} runs, {os.cpu_count()} CPUs")
    for label, route_time, floor_jit, floor_no_jit, size, floor_size in results:
        print(f"{label:48s} {route_time * 1000:8.1f} ms {size / 1e6:6.2f} MB | floor "
              f"{floor_jit * 1000:8.1f} ms (no JIT {floor_no_jit * 1000:8.1f} ms) "
              f"{floor_size / 1e6:6.2f} MB | ratio "
              f"{route_time / min(floor_jit, floor_no_jit):5.2f}")


if __name__ == "__main__":
    main()
