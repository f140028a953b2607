"""Every setting comes from the environment; this module is the only place
that reads it. The README lists each variable.
"""
import datetime
import os

DEFAULT_SECRET_KEY = "change-me-before-production"


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _list(name):
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


class Config:
    def __init__(self, **overrides):
        self.DEBUG = _bool("DEBUG") or _bool("FLASK_DEBUG")
        self.TESTING = False
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)

        # Unset: the bundled PostgreSQL and Redis under VAR_DIR are started
        # (see app/bundled.py) and these are filled in with their addresses.
        self.DATABASE_URL = os.environ.get("DATABASE_URL")
        self.REDIS_URL = os.environ.get("REDIS_URL")
        self.VAR_DIR = os.path.abspath(os.environ.get("VAR_DIR", "var"))
        # Avatars, previews and attachments (app/services/storage.py).
        self.FILES_DIR = os.path.abspath(
            os.environ.get("FILES_DIR", os.path.join(self.VAR_DIR, "files"))
        )
        # Where files live: "local" (FILES_DIR) or "s3" (app/services/storage.py).
        self.FS_BACKEND = os.environ.get("FS_BACKEND", "local")
        self.FS_S3_ENDPOINT = os.environ.get("FS_S3_ENDPOINT")
        self.FS_S3_REGION = os.environ.get("FS_S3_REGION")
        self.FS_S3_ACCESS_KEY = os.environ.get("FS_S3_ACCESS_KEY")
        self.FS_S3_SECRET_KEY = os.environ.get("FS_S3_SECRET_KEY")
        self.FS_BUCKET_PREFIX = os.environ.get("FS_BUCKET_PREFIX", "")
        # The largest request body (previews, working files): 413 beyond it.
        self.MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_BYTES", 4 * 1024 ** 3)
        # Browsers keep media (privately) this long before revalidating.
        self.CLIENT_CACHE_MAX_AGE = _int("CLIENT_CACHE_MAX_AGE", 7 * 24 * 3600)
        self.SQLALCHEMY_POOL_SIZE = _int("DB_POOL_SIZE", 10)

        self.JWT_ACCESS_TOKEN_EXPIRES = datetime.timedelta(
            days=_int("JWT_ACCESS_TOKEN_DAYS", 7)
        )
        self.JWT_REFRESH_TOKEN_EXPIRES = datetime.timedelta(
            days=_int("JWT_REFRESH_TOKEN_DAYS", 15)
        )
        # The Kitsu web app reaches the API under /api behind a proxy that
        # strips the prefix, so a cookie scoped to /auth/refresh-token would
        # never be sent back by the browser (it asks /api/auth/refresh-token).
        # Scope it to the prefix the proxy announces (X-Forwarded-Prefix),
        # or to "/" when none is announced; this variable forces a path.
        self.JWT_REFRESH_COOKIE_PATH = os.environ.get("JWT_REFRESH_COOKIE_PATH")
        self.COOKIE_SECURE = _bool("COOKIE_SECURE")

        # bcrypt cost: 12 makes each guess expensive; tests lower it.
        self.BCRYPT_ROUNDS = _int("BCRYPT_ROUNDS", 12)
        self.MIN_PASSWORD_LENGTH = _int("MIN_PASSWORD_LENGTH", 8)
        self.LOGIN_MAX_FAILED_ATTEMPTS = _int("LOGIN_MAX_FAILED_ATTEMPTS", 5)
        self.LOGIN_LOCKOUT_SECONDS = _int("LOGIN_LOCKOUT_SECONDS", 60)
        self.RESET_TOKEN_SECONDS = _int("RESET_TOKEN_SECONDS", 2 * 3600)
        self.EMAIL_OTP_SECONDS = _int("EMAIL_OTP_SECONDS", 300)
        self.USER_LIMIT = _int("USER_LIMIT", 100)
        self.PROTECTED_ACCOUNTS = _list("PROTECTED_ACCOUNTS")
        # With ENFORCE_2FA, people without a second factor (but those listed
        # in 2FA_EXEMPT_USERS) can only set one up until they do.
        self.ENFORCE_2FA = _bool("ENFORCE_2FA")
        self.TWO_FA_EXEMPT_USERS = [e.lower() for e in _list("2FA_EXEMPT_USERS")]
        self.AUTH_STRATEGY = os.environ.get("AUTH_STRATEGY", "auth_local_classic")

        self.DOMAIN_NAME = os.environ.get("DOMAIN_NAME", "localhost:8080")
        self.DOMAIN_PROTOCOL = os.environ.get("DOMAIN_PROTOCOL", "http")
        self.IS_SELF_HOSTED = _bool("IS_SELF_HOSTED", True)
        self.CRISP_TOKEN = os.environ.get("CRISP_TOKEN", "")
        self.DARK_THEME_BY_DEFAULT = _bool("DARK_THEME_BY_DEFAULT")
        self.DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "en_US")
        self.DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "Europe/Paris")
        self.MOVIE_HIGHDEF_BITRATE = _int("MOVIE_HIGHDEF_BITRATE", 28)
        self.MOVIE_LOWDEF_BITRATE = _int("MOVIE_LOWDEF_BITRATE", 6)
        self.SENTRY_KITSU_ENABLED = _bool("SENTRY_KITSU_ENABLED")
        self.SENTRY_KITSU_DSN = os.environ.get("SENTRY_KITSU_DSN", "")
        self.SENTRY_KITSU_SR = float(os.environ.get("SENTRY_KITSU_SR", "0.1"))

        # No MAIL_SERVER: mails are written to the log, so a trial install
        # can still follow a password-reset link.
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER")
        self.MAIL_PORT = _int("MAIL_PORT", 25)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS")
        self.MAIL_USE_SSL = _bool("MAIL_USE_SSL")
        self.MAIL_DEFAULT_SENDER = os.environ.get(
            "MAIL_DEFAULT_SENDER", "no-reply@localhost"
        )

        self.NB_RECORDS_PER_PAGE = _int("NB_RECORDS_PER_PAGE", 100)

        # Background jobs (app/jobs.py): "inline" runs them in the request,
        # "rq" queues them on Redis for `python -m app.job_worker`.
        self.JOB_QUEUE = os.environ.get("JOB_QUEUE", "inline")
        self.JOB_QUEUE_NAME = os.environ.get("JOB_QUEUE_NAME", "atelier")
        self.JOB_TIMEOUT_SECONDS = _int("JOB_TIMEOUT_SECONDS", 3600)
        # A deleted preview keeps its files unless forced (or this is on).
        self.REMOVE_FILES = _bool("REMOVE_FILES")
        # x264 preset of movie normalization: faster presets, bigger files.
        self.MOVIE_ENCODING_PRESET = os.environ.get("MOVIE_ENCODING_PRESET", "medium")

        # The socket.io server (app/events_server.py); /status probes it.
        self.EVENT_STREAM_HOST = os.environ.get("EVENT_STREAM_HOST", "127.0.0.1")
        self.EVENT_STREAM_PORT = _int("EVENT_STREAM_PORT", 5001)
        # Webhook deliveries (app/webhook_worker.py): attempt n waits
        # WEBHOOK_RETRY_SECONDS * 2**(n-1) after a failure; a delivery that
        # fails WEBHOOK_MAX_ATTEMPTS times disables its hook.
        self.WEBHOOK_MAX_ATTEMPTS = _int("WEBHOOK_MAX_ATTEMPTS", 8)
        self.WEBHOOK_RETRY_SECONDS = _float("WEBHOOK_RETRY_SECONDS", 10)
        self.WEBHOOK_TIMEOUT_SECONDS = _float("WEBHOOK_TIMEOUT_SECONDS", 10)
        self.WEBHOOK_POLL_SECONDS = _float("WEBHOOK_POLL_SECONDS", 1)
        self.WEBHOOK_CONCURRENCY = _int("WEBHOOK_CONCURRENCY", 8)
        self.__dict__.update(overrides)

    def check(self):
        """Refuse settings that would be unsafe in production."""
        if not (self.DEBUG or self.TESTING) and self.SECRET_KEY == DEFAULT_SECRET_KEY:
            raise RuntimeError(
                "SECRET_KEY is the default one: set SECRET_KEY in the "
                "environment (or DEBUG=true for a local trial)."
            )
        if len(self.SECRET_KEY) < 16 and not (self.DEBUG or self.TESTING):
            raise RuntimeError("SECRET_KEY must be at least 16 characters long.")
