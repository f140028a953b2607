"""The reference data a fresh install needs (`manage.py init-data`).

Idempotent: rows are looked up by name and only missing ones are created,
so it can run at every start.
"""
from sqlalchemy import select

from app.extensions import db
from app.services.organisation import get_row as get_organisation_row

PROJECT_STATUSES = (("Open", "#000000"), ("Closed", "#000000"))

# Built-in, non-asset entity types; every other entity type is an asset type.
TEMPORAL_ENTITY_TYPES = ("Episode", "Sequence", "Shot", "Scene", "Edit", "Concept",
                         "ConceptFolder")

ASSET_TYPES = {
    "2d": ("Character", "Prop", "Background", "FX"),
    "3d": ("Character", "Prop", "Environment", "FX"),
    "vfx": ("Character", "Prop", "Environment", "FX", "Vehicle"),
    "games": ("Character", "Prop", "Environment", "FX", "UI"),
}

# department -> colour, then (department, task type, colour, priority, for_entity);
# the concept task type belongs to no department.
_ASSET_PIPELINE = (
    ("Concept", "Concept", "#8D6E63", 1, "Asset"),
    ("Modeling", "Modeling", "#78909C", 2, "Asset"),
    ("Modeling", "Shading", "#64B5F6", 3, "Asset"),
    ("Animation", "Rigging", "#9CCC65", 4, "Asset"),
)
_SHOT_PIPELINE = (
    ("Concept", "Storyboard", "#43A047", 1, "Shot"),
    ("Layout", "Layout", "#7CB342", 2, "Shot"),
    ("Animation", "Animation", "#009688", 3, "Shot"),
    ("Compositing", "Lighting", "#F9A825", 4, "Shot"),
    ("FX", "FX", "#26C6DA", 5, "Shot"),
    ("Compositing", "Rendering", "#F06292", 6, "Shot"),
    ("Compositing", "Compositing", "#ff5252", 7, "Shot"),
)
_CONCEPT = ((None, "Concept", "#8D6E63", 1, "Concept"),)


def _edit(priority):
    return (("Compositing", "Edit", "#9b298c", priority, "Edit"),)


_3D_DEPARTMENTS = (
    ("Modeling", "#78909C"), ("Animation", "#009688"), ("FX", "#26C6DA"),
    ("Compositing", "#F06292"), ("Concept", "#8D6E63"), ("Layout", "#7CB342"),
)
TASK_TYPES = {
    "3d": {
        "departments": _3D_DEPARTMENTS,
        "task_types": _ASSET_PIPELINE + _SHOT_PIPELINE + _edit(8) + _CONCEPT,
    },
    "2d": {
        "departments": (
            ("Concept", "#8D6E63"), ("Layout", "#7CB342"),
            ("Animation", "#009688"), ("Compositing", "#F06292"),
        ),
        "task_types": _ASSET_PIPELINE[:1] + (
            ("Concept", "Storyboard", "#43A047", 1, "Shot"),
            ("Layout", "Layout", "#7CB342", 2, "Shot"),
            ("Animation", "Animation", "#009688", 3, "Shot"),
            ("Animation", "Clean-up", "#4DB6AC", 4, "Shot"),
            ("Compositing", "Color", "#F9A825", 5, "Shot"),
            ("Compositing", "Compositing", "#ff5252", 6, "Shot"),
        ) + _edit(7) + _CONCEPT,
    },
    "vfx": {
        "departments": _3D_DEPARTMENTS + (("Matchmove", "#5C6BC0"), ("DMP", "#8D6E63")),
        "task_types": _ASSET_PIPELINE + (
            ("Matchmove", "Matchmove", "#5C6BC0", 1, "Shot"),
            ("Matchmove", "Rotomation", "#7986CB", 2, "Shot"),
        ) + _SHOT_PIPELINE + (("DMP", "DMP", "#A1887F", 8, "Shot"),) + _edit(9) + _CONCEPT,
    },
    "games": {
        "departments": (
            ("Game Design", "#7B1FA2"), ("Level Design", "#00897B"),
            ("Character Art", "#78909C"), ("Environment Art", "#43A047"),
            ("Animation", "#009688"), ("VFX", "#26C6DA"), ("QA", "#E53935"),
        ),
        "task_types": (
            ("Game Design", "Game Design", "#7B1FA2", 1, "Asset"),
            ("Level Design", "Level Design", "#00897B", 2, "Asset"),
            ("Character Art", "Character Art", "#78909C", 3, "Asset"),
            ("Environment Art", "Environment Art", "#43A047", 4, "Asset"),
            ("Animation", "Animation", "#009688", 5, "Asset"),
            ("VFX", "VFX", "#26C6DA", 6, "Asset"),
            ("QA", "QA", "#E53935", 1, "Shot"),
        ) + _CONCEPT,
    },
}

# name, short name, colour, flags. Concept statuses are for concept tasks.
TASK_STATUSES = (
    ("Todo", "todo", "#f5f5f5", {"is_default": True}),
    ("Work In Progress", "wip", "#3273dc", {"is_wip": True}),
    ("Waiting For Approval", "wfa", "#ab26ff", {"is_feedback_request": True}),
    ("Retake", "retake", "#ff3860", {"is_retake": True}),
    ("Done", "done", "#22d160", {"is_done": True}),
    ("Ready To Start", "ready", "#fbc02d", {}),
    ("Neutral", "neutral", "#CCCCCC", {"is_default": True, "for_concept": True}),
    ("Approved", "approved", "#66BB6A", {"for_concept": True}),
    ("Rejected", "rejected", "#E81123", {"for_concept": True}),
)
# Every status starts usable by artists and clients unless it says otherwise.
STATUS_FLAG_DEFAULTS = {
    "is_default": False, "is_done": False, "is_retake": False, "is_wip": False,
    "is_feedback_request": False, "for_concept": False,
    "is_artist_allowed": True, "is_client_allowed": True,
}


def _get_or_create(model, created, match, label=None, **values):
    row = db.session.execute(select(model).filter_by(**match).limit(1)).scalar_one_or_none()
    if row is None:
        row = model(**match, **values)
        db.session.add(row)
        db.session.flush()
        created.append(f"{model.__tablename__}: {label or ' / '.join(map(str, match.values()))}")
    return row


def seed(domain="3d"):
    """Create what is missing; yields one line per created row."""
    from app.models.settings import (
        Department, EntityType, ProjectStatus, TaskStatus, TaskType,
    )

    if domain not in TASK_TYPES:
        raise ValueError(f"Unknown domain {domain!r}: use one of {', '.join(TASK_TYPES)}.")
    created = []
    get_organisation_row()
    for name, color in PROJECT_STATUSES:
        _get_or_create(ProjectStatus, created, {"name": name}, color=color)
    for name in ASSET_TYPES[domain] + TEMPORAL_ENTITY_TYPES:
        _get_or_create(EntityType, created, {"name": name})
    departments = {
        name: _get_or_create(Department, created, {"name": name}, color=color)
        for name, color in TASK_TYPES[domain]["departments"]
    }
    for department, name, color, priority, for_entity in TASK_TYPES[domain]["task_types"]:
        _get_or_create(
            TaskType, created,
            {"name": name, "for_entity": for_entity,
             "department_id": departments[department].id if department else None},
            label=f"{name} ({for_entity}, {department or 'no department'})",
            short_name="", color=color, priority=priority,
        )
    for name, short_name, color, flags in TASK_STATUSES:
        values = {**STATUS_FLAG_DEFAULTS, **flags}
        _get_or_create(TaskStatus, created, {"short_name": short_name},
                       name=name, color=color, **values)
    db.session.commit()
    yield from created
