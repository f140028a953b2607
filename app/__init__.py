"""create_app(): the only place that wires the application together."""
import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import auth, errors, events, models  # noqa: F401  (models registers every table)
from app.extensions import db, mail, migrate
from app.http import OrjsonProvider
from app.kv import kv
from config import Config

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def _configure(app, config):
    config.check()
    if not config.DATABASE_URL or not config.REDIS_URL:
        from app import bundled

        bundled.ensure_environment(config.VAR_DIR)
        config.DATABASE_URL = config.DATABASE_URL or os.environ["DATABASE_URL"]
        config.REDIS_URL = config.REDIS_URL or os.environ["REDIS_URL"]
    app.config.from_object(config)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=_psycopg2_url(config.DATABASE_URL),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": config.SQLALCHEMY_POOL_SIZE},
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
        JWT_REFRESH_COOKIE_PATH=config.JWT_REFRESH_COOKIE_PATH or "/",
        JWT_COOKIE_SECURE=config.COOKIE_SECURE,
    )


def _psycopg2_url(url):
    # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; we ship psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def create_app(config=None):
    config = config or Config()
    app = Flask(__name__)
    _configure(app, config)
    app.json = OrjsonProvider(app)
    app.url_map.strict_slashes = False
    # Behind the reverse proxy the client address is in X-Forwarded-For.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir())
    mail.init_app(app)
    kv.init_app(app)
    events.publisher.init_app(app)
    auth.init_app(app)
    errors.register(app)

    from app.blueprints import auth as auth_bp, docs, index
    from app.blueprints.routes import collect

    for module in (index, auth_bp, docs):
        app.register_blueprint(module.blueprint)
    app.register_blueprint(collect("app.blueprints.data", "data"))
    app.register_blueprint(collect("app.blueprints.actions", "actions"))
    app.register_blueprint(collect("app.blueprints.pictures", "pictures"))
    app.register_blueprint(collect("app.blueprints.movies", "movies"))
    app.register_blueprint(collect("app.blueprints.shared", "shared"))
    app.register_blueprint(collect("app.blueprints.export", "export"))
    app.register_blueprint(collect("app.blueprints.imports", "imports"))

    @app.after_request
    def _security_headers(response):
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    from app import cli
    cli.register(app)
    return app


def _migrations_dir():
    return os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
