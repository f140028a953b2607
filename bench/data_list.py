"""GET /data/tasks?project_id=... (the full list) and one page of it, under
gunicorn on loopback, each as a ratio to the floor: the same rows fetched
by one plain SQL query (raw psycopg2, no ORM) and encoded with orjson, in
this process, same run.

    .venv/bin/python -m bench.data_list [--tasks 50000] [--runs 5]
"""
import argparse

import orjson
import psycopg2
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import seed
from bench.live import ADMIN, live_app, median_seconds



def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    server, password, app = live_app("atelier_bench", workers=2)
    with app.app_context():
        from app.extensions import db

        per_entity = 4
        project_id = seed.production("Bench", args.tasks // per_entity, per_entity)
        count = db.session.scalar(text("SELECT count(*) FROM task WHERE project_id = :p"),
                                  {"p": project_id})
        columns = ", ".join(c.name for c in __import__("app.models.task", fromlist=["Task"])
                            .Task.__table__.c)

        # A connection of its own: SQLAlchemy's registers type casters
        # (UUID objects) that a plain client would not pay for.
        cursor = psycopg2.connect(make_url(server.database_url).set(
            drivername="postgresql").render_as_string(hide_password=False)).cursor()

        def floor():
            cursor.execute(f"SELECT {columns} FROM task WHERE project_id = %s",
                           (str(project_id),))
            names = [d[0] for d in cursor.description]
            return orjson.dumps([dict(zip(names, r)) for r in cursor.fetchall()],
                                option=orjson.OPT_OMIT_MICROSECONDS)

        floor_size = len(floor())
        floor_time = median_seconds(floor, args.runs)

    server.start()
    try:
        session = requests.Session()
        token = session.post(server.url + "/auth/login",
                             json={"email": ADMIN, "password": password}).json()["access_token"]
        session.headers["Authorization"] = f"Bearer {token}"
        full_url = f"{server.url}/data/tasks?project_id={project_id}"
        page_url = f"{full_url}&page=3&limit=100"
        sizes = {}

        def get(url):
            response = session.get(url)
            response.raise_for_status()
            sizes[url] = len(response.content)

        full_time = median_seconds(lambda: get(full_url), args.runs)
        page_time = median_seconds(lambda: get(page_url), args.runs)
    finally:
        server.stop()

    print(f"{count} tasks in one project; median of {args.runs} runs")
    print(f"floor (one SQL query + orjson, in process) {floor_time * 1000:8.1f} ms  "
          f"{floor_size / 1e6:.1f} MB  ratio 1.00")
    print(f"GET /data/tasks?project_id= (full list)    {full_time * 1000:8.1f} ms  "
          f"{sizes[full_url] / 1e6:.1f} MB  ratio {full_time / floor_time:.2f}")
    print(f"GET ...&page=3&limit=100                   {page_time * 1000:8.1f} ms  "
          f"ratio {page_time / floor_time:.3f}")


if __name__ == "__main__":
    main()
