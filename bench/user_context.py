"""GET /data/user/context for an admin of 20 open productions (each with
its pipeline steps, statuses, asset types, custom columns, saved filters
and a team of 25), under gunicorn on loopback, as a ratio to the floor:
the same data fetched by plain SQL queries (raw psycopg2, one per table,
no ORM) and encoded with orjson, in this process, same run.

    .venv/bin/python -m bench.user_context [--projects 20] [--runs 20]
"""
import argparse
import collections

import orjson
import psycopg2
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import seed
from bench.live import ADMIN, live_app, median_seconds

DESCRIPTORS_PER_PROJECT = 12
FILTERS_PER_PROJECT = 6


def _studio(nb_projects, admin_email):
    """The productions, their settings and the admin's inbox and filters."""
    for n in range(1, nb_projects + 1):
        project_id = seed.new_project(f"Show {n:02d}")
        seed.steps(project_id, seed.SHOT_STEPS, "Shot")
        seed.steps(project_id, seed.ASSET_STEPS, "Asset")
        seed.new_team(project_id, 25, f"Show{n:02d}")
        params = {"project_id": project_id, "nb": DESCRIPTORS_PER_PROJECT,
                  "types": list(seed.ASSET_TYPES), "filters": FILTERS_PER_PROJECT,
                  "email": admin_email}
        for statement in (
            """INSERT INTO project_task_status_link (id, project_id, task_status_id, priority,
                   roles_for_board, created_at, updated_at)
               SELECT gen_random_uuid(), :project_id, id, priority,
                   '{user,supervisor,manager}', now(), now() FROM task_status""",
            """INSERT INTO project_asset_type_link (project_id, asset_type_id)
               SELECT :project_id, id FROM entity_type WHERE name = ANY(:types)""",
            """INSERT INTO metadata_descriptor (id, project_id, entity_type, name, field_name,
                   data_type, choices, for_client, position, created_at, updated_at)
               SELECT gen_random_uuid(), :project_id, (ARRAY['Asset', 'Shot'])[1 + n % 2],
                   'Column ' || n, 'column_' || n, 'list', '["a", "b", "c"]'::jsonb,
                   n % 3 = 0, n, now(), now() FROM generate_series(1, :nb) n""",
            """INSERT INTO search_filter (id, list_type, entity_type, name, search_query,
                   is_shared, person_id, project_id, created_at, updated_at)
               SELECT gen_random_uuid(), (ARRAY['asset', 'shot'])[1 + n % 2], 'Asset',
                   'Filter ' || n, 'type=character status=wip', n % 2 = 0, p.id, :project_id,
                   now(), now()
               FROM generate_series(1, :filters) n, person p WHERE p.email = :email""",
        ):
            seed.db.session.execute(text(statement), params)
    seed.db.session.execute(text("""
        INSERT INTO notification (id, read, change, type, person_id, author_id, created_at,
                                  updated_at, reply_id)
        SELECT gen_random_uuid(), n % 4 = 0, false, 'comment', a.id, p.id, now(), now(),
               gen_random_uuid()
        FROM generate_series(1, 200) n, person a,
             LATERAL (SELECT id FROM person WHERE email <> :email LIMIT 1) p
        WHERE a.email = :email"""), {"email": admin_email})
    seed.db.session.commit()


def _floor(cursor):
    """The context's data by plain queries: one per table, rows as dicts,
    the project links grouped in Python, encoded with orjson."""
    def rows(sql, *args):
        cursor.execute(sql, args)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def grouped(sql, key, value):
        out = collections.defaultdict(list)
        for row in rows(sql):
            out[row[key]].append(row[value] if value else row)
        return out

    open_ids = "SELECT p.id FROM project p JOIN project_status s ON s.id = " \
               "p.project_status_id WHERE s.name = 'Open'"
    projects = rows(f"SELECT * FROM project WHERE id IN ({open_ids})")
    links = {name: grouped(f"SELECT * FROM project_{name}_link WHERE project_id IN "
                           f"({open_ids})", "project_id", column)
             for name, column in (("person", "person_id"), ("task_type", None),
                                  ("task_status", None), ("asset_type", "asset_type_id"),
                                  ("status_automation", "status_automation_id"),
                                  ("preview_background_file", "preview_background_file_id"))}
    descriptors = grouped(f"SELECT * FROM metadata_descriptor WHERE project_id IN "
                          f"({open_ids})", "project_id", None)
    for project in projects:
        for name, by_project in links.items():
            project[name] = by_project.get(project["id"], [])
        project["descriptors"] = descriptors.get(project["id"], [])
    departments = grouped("SELECT * FROM department_link", "person_id", "department_id")
    persons = rows("SELECT id, first_name, last_name, email, role, active, has_avatar, "
                   "desktop_login, is_bot, studio_id, phone, timezone, locale, "
                   "contract_type, position, seniority, created_at, updated_at FROM person "
                   "WHERE is_guest IS NOT TRUE")
    for person in persons:
        person["departments"] = departments.get(person["id"], [])
    context = {
        "asset_types": rows("SELECT * FROM entity_type WHERE name NOT IN ('Episode', "
                            "'Sequence', 'Shot', 'Scene', 'Edit', 'Concept')"),
        "custom_actions": rows("SELECT * FROM custom_action"),
        "status_automations": rows("SELECT * FROM status_automation"),
        "departments": rows("SELECT * FROM department"),
        "studios": rows("SELECT * FROM studio"),
        "notification_count": rows("SELECT count(*) FROM notification WHERE read = false"),
        "persons": persons,
        "project_status": rows("SELECT * FROM project_status"),
        "projects": projects,
        "task_types": rows("SELECT * FROM task_type"),
        "task_status": rows("SELECT * FROM task_status"),
        "search_filters": rows("SELECT * FROM search_filter"),
        "search_filter_groups": rows("SELECT * FROM search_filter_group"),
        "preview_background_files": rows("SELECT * FROM preview_background_file"),
        "plugins": rows("SELECT * FROM plugin"),
    }
    return orjson.dumps(context, option=orjson.OPT_OMIT_MICROSECONDS
                        | orjson.OPT_NON_STR_KEYS)


def _in_process(app, runs):
    """The service alone: no HTTP, no token check."""
    from sqlalchemy import select

    from app.auth import Actor
    from app.models.person import Person
    from app.services import user_context

    with app.test_request_context():
        admin = seed.db.session.scalars(select(Person).where(Person.email == ADMIN)).one()
        actor = Actor(admin, ())
        return median_seconds(lambda: user_context.context_json(actor), runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    server, password, app = live_app("atelier_bench_context", workers=2)
    with app.app_context():
        _studio(args.projects, ADMIN)
        # A connection of its own: SQLAlchemy's registers type casters
        # (UUID objects) that a plain client would not pay for.
        cursor = psycopg2.connect(make_url(server.database_url).set(
            drivername="postgresql").render_as_string(hide_password=False)).cursor()
        floor_size = len(_floor(cursor))
        floor_time = median_seconds(lambda: _floor(cursor), args.runs)
        service_time = _in_process(app, args.runs)

    server.start()
    try:
        session = requests.Session()
        token = session.post(server.url + "/auth/login",
                             json={"email": ADMIN, "password": password}).json()["access_token"]
        session.headers["Authorization"] = f"Bearer {token}"
        sizes = []

        def get():
            response = session.get(server.url + "/data/user/context")
            response.raise_for_status()
            sizes.append(len(response.content))
            return response

        context = get().json()
        context_time = median_seconds(get, args.runs)
    finally:
        server.stop()

    print(f"admin of {len(context['projects'])} open projects, {len(context['persons'])} "
          f"persons; median of {args.runs} runs")
    print(f"floor (plain SQL per table + orjson, in process) {floor_time * 1000:7.1f} ms  "
          f"{floor_size / 1e3:.0f} kB  ratio 1.00")
    print(f"user_context.context_json (in process)           {service_time * 1000:7.1f} ms  "
          f"          ratio {service_time / floor_time:.2f}")
    print(f"GET /data/user/context (HTTP, gunicorn)          {context_time * 1000:7.1f} ms  "
          f"{sizes[-1] / 1e3:.0f} kB  ratio {context_time / floor_time:.2f}")


if __name__ == "__main__":
    main()
