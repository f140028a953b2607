"""How long `init-db` takes when the schema is already up to date: the
upgrade itself (in process) and the whole command (process start included).

    .venv/bin/python -m bench.upgrade_noop
"""
import os
import subprocess
import sys
import time

from app import create_app
from config import Config
from tests import settings
from tests.live_server import ROOT


def main():
    url = settings.database_url("atelier_bench")
    app = create_app(Config(SECRET_KEY="bench-secret-key-long-enough", DATABASE_URL=url,
                            REDIS_URL=settings.redis_url(12)))
    with app.app_context():
        from app.services import schema

        schema.upgrade()  # bring it up to date first
        start = time.perf_counter()
        schema.upgrade()
        in_process = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "init-db"], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, "DATABASE_URL": url,
                                             "SECRET_KEY": "bench-secret-key-long-enough"})
    command = time.perf_counter() - start
    print(f"upgrade with nothing to apply, in process:  {in_process:.3f} s")
    print(f"`manage.py init-db` with nothing to apply:  {command:.3f} s (Python start-up included)")


if __name__ == "__main__":
    main()
