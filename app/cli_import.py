"""Import commands: long CSV imports from the command line, with progress."""
from app.cli import commands  # noqa: F401
