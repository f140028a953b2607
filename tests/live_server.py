"""A real server process (gunicorn) on a database of its own, for tests and
benchmarks that talk to it over HTTP."""
import os
import re
import subprocess
import sys
import tempfile
import time

import requests

from tests import settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class LiveServer:
    def __init__(self, name, redis_db, workers=2, app="wsgi:app", extra_env=None):
        self.database_url = settings.database_url(name)
        self.port = settings.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmp = tempfile.mkdtemp(prefix="atelier-live-")
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": settings.redis_url(redis_db),
            "SECRET_KEY": "live-server-secret-key-long-enough",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_ACCESSLOG": os.path.join(self.tmp, "access.log"),
            "GUNICORN_CONTROL_SOCKET": os.path.join(self.tmp, "gunicorn.ctl"),
            **(extra_env or {}),
        }
        self.app = app
        self.process = None

    def manage(self, *args):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def setup(self, admin_email):
        """A fresh schema, default data and the first admin; returns its password."""
        settings.reset_schema(self.database_url)
        redis_flush(self.env["REDIS_URL"])
        output = self.manage("setup", "--admin-email", admin_email)
        return re.search(r"password:\s+(\S+)", output).group(1)

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", self.app],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.tmp, "error.log"), "w"),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.tmp}/error.log")
            try:
                requests.get(self.url + "/", timeout=1)
                return self
            # A loaded machine can accept the connection before a worker
            # answers within the second: that is still "starting".
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def redis_flush(url):
    import redis

    redis.Redis.from_url(url).flushdb()
