"""Where the tests find PostgreSQL and Redis.

DATABASE_URL / REDIS_URL set (as in CI): the same servers, with databases of
the tests' own. Unset: the bundled servers under ./var/.
"""
import os
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from sqlalchemy.engine import make_url

from app import bundled

VAR_DIR = os.path.abspath(os.environ.get("VAR_DIR", "var"))
# Several suites can run at once on one machine (one per developer or
# helper): each slot gets its own databases and Redis database numbers.
# Under pytest-xdist, worker gwN takes the N-th slot after ATELIER_TEST_SLOT.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SLOT = int(os.environ.get("ATELIER_TEST_SLOT", "0")) + (
    int(_WORKER[2:]) if _WORKER.startswith("gw") else 0)
SUFFIX = str(SLOT) if SLOT else ""
# Redis has 16 databases: slots from 7 on wrap around, and need a Redis
# server of their own (REDIS_URL) beside the first seven.
TEST_REDIS_DB = 14 - 2 * (SLOT % 7)
COMPAT_REDIS_DB = 13 - 2 * (SLOT % 7)


def database_url(name):
    """URL of a database `name` on the configured server, created if missing."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        return bundled.database_url(VAR_DIR, name)
    url = make_url(base)
    admin = url.set(drivername="postgresql", database="postgres")
    conn = psycopg2.connect(admin.render_as_string(hide_password=False))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return url.set(database=name).render_as_string(hide_password=False)


def redis_url(db_index):
    """URL of Redis logical database `db_index` on the configured server."""
    base = os.environ.get("REDIS_URL") or bundled.redis_url(VAR_DIR)
    parts = urlsplit(base)
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={db_index}"
    return urlunsplit(parts._replace(path=f"/{db_index}"))


def reset_schema(url):
    conn = psycopg2.connect(make_url(url).set(drivername="postgresql")
                            .render_as_string(hide_password=False))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    conn.close()


def free_port():
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
