"""What every benchmark starts from: a gunicorn serving a database of its
own (never a test's), its first admin, and an app on the same database to
seed it with."""
import statistics
import time

from app import create_app
from config import Config
from tests import settings
from tests.live_server import LiveServer

ADMIN = "bench-admin@example.com"


def live_app(name, redis_db=15, **server_options):
    """(server set up but not started, the admin's password, an app on its
    database). Database names get the test slot's suffix, so benchmarks of
    several slots can run at once; Redis DB 15 is used by no test slot."""
    server = LiveServer(f"{name}{settings.SUFFIX}", redis_db=redis_db, **server_options)
    password = server.setup(ADMIN)
    app = create_app(Config(SECRET_KEY="bench-secret-key-long-enough",
                            DATABASE_URL=server.database_url,
                            REDIS_URL=server.env["REDIS_URL"]))
    return server, password, app


def median_seconds(fn, runs):
    """The median time of `runs` calls of fn, after one warm-up call."""
    fn()  # connections, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def worker_pids(master_pid):
    """The gunicorn workers of a master process."""
    with open(f"/proc/{master_pid}/task/{master_pid}/children") as f:
        return [int(pid) for pid in f.read().split()]


def peak_rss_mb(pid):
    """The process's peak resident memory (VmHWM), in MB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
