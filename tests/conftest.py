"""Fixtures: one app on a test database migrated from scratch, and every
test inside a transaction rolled back at its end."""
import pytest
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db
from app.kv import kv
from config import Config
from tests import settings

TEST_SECRET = "test-secret-key-that-is-long-enough"


@pytest.fixture(scope="session")
def app():
    database_url = settings.database_url(f"atelier_test{settings.SUFFIX}")
    settings.reset_schema(database_url)
    app = create_app(Config(
        TESTING=True, SECRET_KEY=TEST_SECRET, BCRYPT_ROUNDS=4,
        # No events server in unit tests, whatever runs on this machine.
        EVENT_STREAM_PORT=settings.free_port(),
        DATABASE_URL=database_url, REDIS_URL=settings.redis_url(settings.TEST_REDIS_DB),
    ))
    with app.app_context():
        from app.services import defaults, schema

        schema.upgrade()
        list(defaults.seed())
        db.session.remove()
    return app


@pytest.fixture(autouse=True)
def _rollback(request, app):
    if "app" not in request.fixturenames:
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        shared = db.session
        # Services commit; here a commit only releases a savepoint, and the
        # outer transaction is rolled back when the test ends. A plain
        # SQLAlchemy session: Flask-SQLAlchemy's would pick the engine (and a
        # connection of its own) instead of this one.
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        kv.client.flushdb()
        try:
            yield
        finally:
            db.session.remove()
            db.session = shared
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()

