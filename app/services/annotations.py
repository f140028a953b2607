"""Drawings on previews: a list of {"time", "drawing": {"objects": [...]}}
per preview, changed by additions, updates and deletions of single
objects so that two reviewers drawing at once both keep their strokes.

The merge runs on the preview row locked FOR UPDATE: a concurrent request
waits for the commit of the one before it and merges into its result
(Zou takes a Redis lock and re-reads; a row lock does the same inside the
transaction that writes, without a lock that can expire mid-write).
"""
import copy
import uuid

from sqlalchemy import select

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.files import PreviewFile
from app.permissions import as_uuid
from app.services import crud, tasks

# Who may draw on any preview of the project; supervisors, on the tasks of
# their departments.
ANNOTATING_ROLES = ("admin", "manager", "client")


def check_annotate(actor, task):
    role = tasks.check_read(actor, task)
    if role in ANNOTATING_ROLES:
        return role
    if role == "supervisor" and tasks.in_task_department(actor, task):
        return role
    raise Forbidden("Only the project's managers and clients and the supervisors of the "
                    "task's department can annotate its previews.")


def _locked(preview_file_id):
    row = db.session.scalar(
        select(PreviewFile).where(PreviewFile.id == as_uuid(preview_file_id, "preview file id"))
        .with_for_update().execution_options(populate_existing=True))
    if row is None:
        raise NotFound(f"No preview file has the id {preview_file_id}.")
    return row


def update(actor, preview_file_id, *, additions=(), updates=(), deletions=()):
    """PUT /actions/preview-files/<id>/update-annotations."""
    for name, items in (("additions", additions), ("updates", updates),
                        ("deletions", deletions)):
        _check_items(name, items)
    row = _locked(preview_file_id)
    if row.task_id is None:
        raise NotFound("This preview file belongs to no task.")
    task = tasks.load(row.task_id)
    check_annotate(actor, task)
    row.annotations = merge(row.annotations or [], additions, updates, deletions)
    db.session.flush()
    events.emit("preview-file:annotation-update",
                {"preview_file_id": row.id, "person_id": actor.person.id,
                 "updated_at": row.updated_at}, project_id=task.project_id)
    db.session.commit()
    return crud.serialize(crud.collection("preview-files"), actor, row)


def _check_items(name, items):
    for n, item in enumerate(items):
        if not isinstance(item, dict) or "time" not in item:
            raise BadRequest(f"Field '{name}[{n}]' must be an object with a 'time'.")
        if not isinstance(item["time"], (int, float)) or isinstance(item["time"], bool):
            raise BadRequest(f"Field '{name}[{n}].time' must be a number.")
        if name == "deletions":
            if not isinstance(item.get("objects", []), list):
                raise BadRequest(f"Field '{name}[{n}].objects' must be a list of ids.")
        elif not isinstance(_objects(item), list) or not all(
                isinstance(o, dict) for o in _objects(item)):
            raise BadRequest(f"Field '{name}[{n}].drawing.objects' must be a list of objects.")


def _objects(annotation):
    drawing = annotation.get("drawing")
    return drawing.get("objects", []) if isinstance(drawing, dict) else []


def _with_ids(objects):
    """Every object addressable by id (an empty or null id counts as none)."""
    for item in objects:
        if not item.get("id"):
            item["id"] = str(uuid.uuid4())
    return objects


def merge(annotations, additions, updates, deletions):
    """The annotations after the change (a new list; inputs untouched):
    - an addition at a new time adds that time; at a known time it adds
      the objects whose id is new (it never overwrites one);
    - an update replaces the objects of the same id at its time (objects
      the time lacks are ignored: they were deleted meanwhile);
    - a deletion removes the objects of the listed ids at its time;
    - a time left without objects is dropped."""
    result = copy.deepcopy(list(annotations))
    by_time = {}
    for annotation in result:
        if not isinstance(annotation.get("drawing"), dict):
            annotation["drawing"] = {}
        annotation["drawing"]["objects"] = _with_ids(list(_objects(annotation)))
        by_time[annotation.get("time")] = annotation
    for addition in copy.deepcopy(list(additions)):
        objects = _with_ids(list(_objects(addition)))
        known = by_time.get(addition["time"])
        if known is None:
            addition["drawing"] = {**(addition.get("drawing") or {}), "objects": objects}
            result.append(addition)
            by_time[addition["time"]] = addition
            continue
        ids = {o["id"] for o in known["drawing"]["objects"]}
        known["drawing"]["objects"] += [o for o in objects if o["id"] not in ids]
    for change in copy.deepcopy(list(updates)):
        known = by_time.get(change["time"])
        if known is None:
            continue
        replacements = {o["id"]: o for o in _objects(change) if o.get("id")}
        known["drawing"]["objects"] = [replacements.get(o["id"], o)
                                       for o in known["drawing"]["objects"]]
    for deletion in deletions:
        known = by_time.get(deletion["time"])
        if known is None:
            continue
        gone = set(deletion.get("objects") or [])
        known["drawing"]["objects"] = [o for o in known["drawing"]["objects"]
                                       if o["id"] not in gone]
    return [a for a in result if a["drawing"]["objects"]]
