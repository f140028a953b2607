"""Service health, public client configuration and usage counts."""
import datetime
import time
import urllib.request

import psutil
from flask import current_app
from sqlalchemy import func, select, text

from app.extensions import db
from app.permissions import require_admin
from app.kv import kv
from app.services.organisation import get_organisation
from app.version import API_VERSION, APP_NAME


def _database_up():
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        db.session.rollback()
        return False


def _kv_up():
    try:
        return bool(kv.client.ping())
    except Exception:
        return False


# The events server is a sibling process: never ask it through an HTTP proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _event_stream_up():
    """The socket.io server answers its HTTP index (app/events_server.py)."""
    cfg = current_app.config
    url = f"http://{cfg['EVENT_STREAM_HOST']}:{cfg['EVENT_STREAM_PORT']}/"
    try:
        with _DIRECT.open(url, timeout=1) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def service_status():
    return {
        "name": APP_NAME,
        "version": API_VERSION,
        "database-up": _database_up(),
        "key-value-store-up": _kv_up(),
        "event-stream-up": _event_stream_up(),
        # No job queue or search indexer runs yet: say so.
        "job-queue-up": False,
        "indexer-up": False,
    }


def influx_status():
    numbers = {k: int(v) for k, v in service_status().items() if isinstance(v, bool)}
    return {**numbers, "time": time.time()}


def resource_usage():
    load = psutil.getloadavg()
    memory = psutil.virtual_memory()
    return {
        "date": datetime.datetime.now().isoformat(),
        # interval=None: usage since the previous call, without blocking a
        # worker for a second on every probe.
        "cpu": {
            "percent": psutil.cpu_percent(interval=None, percpu=True),
            "loadavg": {"last 1 min": load[0], "last 5 min": load[1], "last 10 min": load[2]},
        },
        "memory": {"total": memory.total, "used": memory.used,
                   "available": memory.available, "percent": memory.percent},
        # No job queue runs yet.
        "jobs": {"running_jobs": 0},
    }


def client_config():
    cfg = current_app.config
    conf = {
        "is_self_hosted": cfg["IS_SELF_HOSTED"],
        "crisp_token": cfg["CRISP_TOKEN"],
        "dark_theme_by_default": bool(
            get_organisation().get("dark_theme_by_default") or cfg["DARK_THEME_BY_DEFAULT"]
        ),
        "indexer_configured": False,
        "saml_enabled": False,
        "saml_idp_name": "",
        "oidc_enabled": False,
        "oidc_idp_name": "",
        "default_locale": cfg["DEFAULT_LOCALE"],
        "default_timezone": cfg["DEFAULT_TIMEZONE"],
        "enforce_2fa": cfg["ENFORCE_2FA"],
        "movie_highdef_bitrate": cfg["MOVIE_HIGHDEF_BITRATE"],
        "movie_lowdef_bitrate": cfg["MOVIE_LOWDEF_BITRATE"],
        "preview_accounts_enabled": False,
    }
    if cfg["SENTRY_KITSU_ENABLED"]:
        conf["sentry"] = {"dsn": cfg["SENTRY_KITSU_DSN"], "sampleRate": cfg["SENTRY_KITSU_SR"]}
    return conf


def main_stats(actor):
    from app.models.comment import Comment
    from app.models.files import PreviewFile

    require_admin(actor)
    by_extension = dict(db.session.execute(
        select(PreviewFile.extension, func.count())
        .where(PreviewFile.extension.in_(("mp4", "png", "obj")))
        .group_by(PreviewFile.extension)
    ).all())
    return {
        "number_of_video_previews": by_extension.get("mp4", 0),
        "number_of_picture_previews": by_extension.get("png", 0),
        "number_of_model_previews": by_extension.get("obj", 0),
        "number_of_comments": db.session.scalar(select(func.count()).select_from(Comment)),
    }
