"""SQLAlchemy models, one module per table family.

Importing this package registers every table on `Base.metadata`.
Relationship attributes are named after the fields Zou sends as id lists
with `relations=true`; they load lazily, and hot paths use Core instead.
"""
from app.models import (  # noqa: F401
    base,
    budget,
    chat,
    comment,
    entity,
    events,
    files,
    person,
    playlist,
    project,
    project_template,
    schedule,
    search_filter,
    settings,
    task,
    timesheet,
    webhooks,
)
