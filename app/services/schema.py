"""Schema migrations (Flask-Migrate / Alembic): one linear history."""
from flask_migrate import upgrade as _upgrade


def upgrade():
    _upgrade()
