"""Opening a big playlist: GET /data/projects/<pid>/playlists/<id> of a
414-shot playlist whose shots hold ~7,000 preview revisions (5 task
types, 3 or 4 revisions each, some with a second file), under gunicorn on
loopback, beside its floor: the same preview rows fetched by one plain SQL
query (raw psycopg2, in this process) and encoded with orjson, same run.
Zou 1.0.97 takes about 0.1 s on such a playlist after its fix.

    .venv/bin/python -m bench.playlist_open [--runs 15]
"""
import argparse
import os

import orjson
import psycopg2
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import seed
from bench.live import ADMIN, live_app, median_seconds

NB_SHOTS = 414
STEPS = ("Layout", "Animation", "Lighting", "FX", "Compositing")

FLOOR = """
SELECT t.entity_id::text, t.task_type_id::text, p.id::text, p.revision, p.position,
       p.extension, p.width, p.height, p.duration, p.status, p.created_at::text,
       p.task_id::text
FROM preview_file p JOIN task t ON t.id = p.task_id
WHERE t.entity_id IN (SELECT (e->>'entity_id')::uuid
                      FROM playlist, jsonb_array_elements(shots) e WHERE playlist.id = %s)
"""


def _seed(project_id):
    """Shots, a task per step, 3 or 4 revisions per task (a second file for
    one revision in ten), and a playlist of every shot's latest layout."""
    params = {"project_id": project_id, "nb": NB_SHOTS}
    db_exec = seed.db.session.execute
    db_exec(text("""
        INSERT INTO entity (id, name, project_id, entity_type_id, data, status, canceled,
                            nb_entities_out, is_casting_standby, is_shared, created_at,
                            updated_at)
        SELECT gen_random_uuid(), 'SQ01', :project_id, et.id, '{}', 'running', false, 0,
               false, false, now(), now()
        FROM entity_type et WHERE et.name = 'Sequence'"""), params)
    db_exec(text("""
        INSERT INTO entity (id, name, project_id, entity_type_id, parent_id, data, status,
                            canceled, nb_entities_out, is_casting_standby, is_shared,
                            created_at, updated_at)
        SELECT gen_random_uuid(), 'SH' || lpad(n::text, 4, '0'), :project_id, et.id, sq.id,
               '{}', 'running', false, 0, false, false, now(), now()
        FROM generate_series(1, :nb) n, entity_type et,
             (SELECT id FROM entity WHERE project_id = :project_id AND name = 'SQ01') sq
        WHERE et.name = 'Shot'"""), params)
    db_exec(text("""
        INSERT INTO task (id, name, project_id, entity_id, task_type_id, task_status_id,
                          priority, difficulty, duration, estimation, completion_rate,
                          retake_count, sort_order, nb_assets_ready, nb_drawings, data,
                          created_at, updated_at)
        SELECT gen_random_uuid(), 'main', :project_id, e.id, l.task_type_id, ts.id, 0, 3, 0,
               0, 0, 0, 0, 0, 0, '{}', now(), now()
        FROM entity e JOIN project_task_type_link l ON l.project_id = e.project_id
        CROSS JOIN (SELECT id FROM task_status WHERE short_name = 'todo') ts
        WHERE e.project_id = :project_id AND e.parent_id IS NOT NULL"""), params)
    db_exec(text("""
        INSERT INTO preview_file (id, name, task_id, revision, position, extension, status,
                                  validation_status, width, height, duration, file_size,
                                  created_at, updated_at)
        SELECT gen_random_uuid(), 'v' || r || '-' || k, t.id, r, k, 'mp4', 'ready',
               'neutral', 1920, 1080, 4.2, 1000000,
               now() - ((5 - r) || ' days')::interval + (k || ' seconds')::interval, now()
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM task
              WHERE project_id = :project_id) t
        CROSS JOIN LATERAL generate_series(1, 3 + (t.n % 5 < 2)::int) r
        CROSS JOIN LATERAL generate_series(1, 1 + ((t.n + r) % 10 = 0)::int) k"""), params)
    db_exec(text("""
        INSERT INTO playlist (id, name, project_id, for_client, for_entity, is_for_all, shots,
                              created_at, updated_at)
        SELECT gen_random_uuid(), 'Dailies', :project_id, false, 'shot', false,
               jsonb_agg(jsonb_build_object('entity_id', e.id, 'preview_file_id', (
                   SELECT p.id FROM preview_file p JOIN task t ON t.id = p.task_id
                   JOIN task_type tt ON tt.id = t.task_type_id
                   WHERE t.entity_id = e.id AND tt.name = 'Layout'
                   ORDER BY p.revision DESC, p.position LIMIT 1)) ORDER BY e.name),
               now(), now()
        FROM entity e WHERE e.project_id = :project_id AND e.parent_id IS NOT NULL"""),
        params)
    return seed.db.session.scalar(text(
        "SELECT id FROM playlist WHERE project_id = :project_id"), params)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    server, password, app = live_app("atelier_bench_playlists", workers=2)
    with app.app_context():
        project_id = seed.new_project("Bench Review")
        seed.steps(project_id, STEPS, "Shot")
        playlist_id = _seed(project_id)
        nb_previews = seed.db.session.scalar(text(
            "SELECT count(*) FROM preview_file p JOIN task t ON t.id = p.task_id "
            "WHERE t.project_id = :p"), {"p": project_id})
        seed.db.session.commit()

    connection = psycopg2.connect(make_url(server.database_url).set(
        drivername="postgresql").render_as_string(hide_password=False))
    cursor = connection.cursor()

    def floor():
        cursor.execute(FLOOR, (str(playlist_id),))
        return orjson.dumps(cursor.fetchall())

    server.start()
    try:
        session = requests.Session()
        token = session.post(server.url + "/auth/login", json={
            "email": ADMIN, "password": password}).json()["access_token"]
        session.headers["Authorization"] = f"Bearer {token}"
        url = f"{server.url}/data/projects/{project_id}/playlists/{playlist_id}"
        body = session.get(url).json()
        nb_revisions = sum(len(revisions) + sum(len(r["previews"]) for r in revisions)
                           for shot in body["shots"][:1]
                           for revisions in shot["preview_files"].values())
        api = median_seconds(lambda: session.get(url).content, args.runs)
        size = len(session.get(url).content)
        floor_time = median_seconds(floor, args.runs)
    finally:
        server.stop()
        connection.close()
    print(f"{len(body['shots'])} shots, {nb_previews} preview files in the playlist's "
          f"shots ({nb_revisions} on the first shot); {size / 1e6:.1f} MB of JSON; "
          f"median of {args.runs}, {os.cpu_count()} CPUs")
    print(f"floor (plain SQL + orjson, in process)  {floor_time * 1000:7.1f} ms")
    print(f"GET .../playlists/<id> over HTTP        {api * 1000:7.1f} ms")
    print(f"ratio to the floor: {api / floor_time:.2f}")


if __name__ == "__main__":
    main()
