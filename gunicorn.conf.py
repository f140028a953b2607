"""gunicorn settings: the production way to serve the API.

Every value can be overridden from the environment (GUNICORN_* below) or
on the command line.
"""
import os

var_dir = os.path.abspath(os.environ.get("VAR_DIR", "var"))
os.makedirs(var_dir, exist_ok=True)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("GUNICORN_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# gunicorn >= 25 opens a control socket, by default one per user: several
# servers on one machine (tests, benchmarks) would fight over it.
control_socket = os.environ.get(
    "GUNICORN_CONTROL_SOCKET", os.path.join(var_dir, "gunicorn.ctl")
)


def on_starting(server):
    # Start the bundled PostgreSQL/Redis once, in the master, so that the
    # workers inherit their addresses instead of racing to start them.
    from app.bundled import ensure_environment

    ensure_environment(var_dir)
