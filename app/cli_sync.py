"""Instance-to-instance sync commands (sync-push, sync-full)."""
from app.cli import commands  # noqa: F401
