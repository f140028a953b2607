"""Working files (behaviours.md row 20): the revisions of an artist's DCC
scene on a task, their paths in the project's file tree, and the binaries
a pipeline may keep on the server.

Reading needs access to the task, and vendors never list files. Writing
(a new revision, its comment, its modification date, its binary) is a
task action (section 2.3): admins, the project's managers, the task's
assignees, its department's supervisors, its entity's creator; clients,
who may act on tasks to review them, make no working files. Whoever makes
a revision is assigned to the task, as in Zou.

Revisions count per (task, name): the next one is taken under a
transaction-scoped advisory lock on that pair, so concurrent scripts never
get the same number. Binaries live in the storage bucket "files" as
`working-<id>` (Zou's names), written whole or not at all.
"""
import os
import tempfile

import sqlalchemy as sa
from sqlalchemy import func, select

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity
from app.models.files import OutputFile, WorkingFile
from app.models.person import Person
from app.models.project import Project
from app.models.settings import Software
from app.permissions import as_uuid
from app.services import assignments, crud, file_trees, storage, tasks
from app.services.policies import ProjectData

BUCKET = "files"
DEFAULT_SOFTWARE = {"name": "Blender", "short_name": "blender", "file_extension": ".blend"}
# What working-file-path names when no software is given (Zou's choice).
PATH_SOFTWARE = {"name": "3ds Max", "short_name": "max", "file_extension": ".max"}
# Roles that may act on a task without making its files.
NO_FILES = ("client",)
# Who may sign a file with someone else's name.
MANAGING = ("admin", "manager")
PATH_LENGTH = WorkingFile.__table__.c.path.type.length


def storage_key(working_file_id):
    return f"working-{working_file_id}"


def _coll():
    return crud.collection("working-files")


# Access --------------------------------------------------------------------------

def check_list(actor, task):
    """The actor's role once they may list the task's files."""
    role = tasks.check_read(actor, task)
    if role == "vendor":
        raise Forbidden("Vendors cannot list files.")
    return role


def check_write(actor, task):
    role = tasks.check_action(actor, task)
    if role in NO_FILES:
        raise Forbidden("Clients do not make or change working files.")
    return role


def load(working_file_id):
    row = db.session.get(WorkingFile, as_uuid(working_file_id, "working file id"))
    if row is None:
        raise NotFound(f"No working file has the id {working_file_id}.")
    return row


def _task_of(row):
    return tasks.load(row.task_id)


def lock(*parts):
    """Serialize the writers of one revision series until the transaction
    ends (other series go on in parallel)."""
    key = ":".join(str(p) for p in parts)
    db.session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


def author(actor, role, person_id):
    """The person a new file is signed with: the caller, or anyone when a
    manager says so (400 for nobody)."""
    if person_id is None or str(person_id) == actor.id:
        return actor.person
    if role not in MANAGING:
        raise Forbidden("Only managers sign files with someone else's name.")
    person = db.session.get(Person, as_uuid(person_id, "person id"))
    if person is None:
        raise BadRequest("Cannot find given person.")
    return person


def software(software_id, default):
    if software_id is None:
        return file_trees.default_row(Software, **default)
    row = db.session.get(Software, as_uuid(software_id, "software id"))
    if row is None:
        raise BadRequest(f"Field 'software_id': no software has the id {software_id}.")
    return row


# Reading -------------------------------------------------------------------------

def _json(actor, *criteria):
    return crud.select_json(_coll(), actor, WorkingFile.revision >= 0, *criteria,
                            sort=("-revision",))


def for_task(actor, task_id):
    task = tasks.load(task_id)
    check_list(actor, task)
    return _json(actor, WorkingFile.task_id == task.id)


def last_revisions(actor, task_id):
    """{name: the newest revision of that name} for the task."""
    task = tasks.load(task_id)
    check_list(actor, task)
    newest = select(WorkingFile.name, func.max(WorkingFile.revision)).where(
        WorkingFile.task_id == task.id).group_by(WorkingFile.name)
    rows = crud.select_rows(_coll(), actor, WorkingFile.task_id == task.id,
                            sa.tuple_(WorkingFile.name, WorkingFile.revision).in_(newest))
    return {row["name"]: row for row in rows}


def for_entity(actor, entity_id, task_id=None, name=None):
    from app.services import entities

    entity = entities.load(entity_id)
    if entities.check_access(actor, entity) == "vendor":
        raise Forbidden("Vendors cannot list files.")
    criteria = [WorkingFile.entity_id == entity.id]
    if task_id:
        criteria.append(WorkingFile.task_id == as_uuid(task_id, "task id"))
    if name:
        criteria.append(WorkingFile.name == name)
    return _json(actor, *criteria)


def outputs_column():
    """The ids of the output files made from each working file."""
    ids = select(func.coalesce(func.array_agg(sa.cast(OutputFile.id, sa.Text)), "{}")) \
        .where(OutputFile.source_file_id == WorkingFile.id).scalar_subquery()
    return ids.label("outputs")


def find(actor, working_file_id):
    """The working file with its outputs (None if there is none), once the
    actor may list it."""
    row = db.session.get(WorkingFile, as_uuid(working_file_id, "file id"))
    if row is None:
        return None
    check_list(actor, _task_of(row))
    return crud.select_one(_coll(), actor, WorkingFile.id == row.id, columns=(outputs_column(),))


# Paths ---------------------------------------------------------------------------

def subject(task, software_row, name, revision):
    return file_trees.Subject(project=db.session.get(Project, task.project_id),
                              entity=db.session.get(Entity, task.entity_id), task=task,
                              software=software_row, name=name, revision=revision)


def next_revision(task_id, name):
    return (db.session.scalar(select(func.max(WorkingFile.revision)).where(
        WorkingFile.task_id == task_id, WorkingFile.name == name)) or 0) + 1


def path(actor, task_id, *, name, mode, software_id, revision, sep):
    """POST /data/tasks/<id>/working-file-path: {path (the folder), name}."""
    task = tasks.load(task_id)
    tasks.check_read(actor, task)
    found = subject(task, software(software_id, PATH_SOFTWARE), name,
                    revision or next_revision(task.id, name))
    folder = file_trees.folder_path(found, mode, sep)
    file_name = file_trees.file_name(found, mode)
    # The software a path falls back to is made for the path only.
    db.session.commit()
    return {"path": folder, "name": file_name}


# Writing -------------------------------------------------------------------------

def _assign(actor, task):
    """The maker of a revision works on the task (Zou assigns them); bots
    only where the project welcomes them."""
    if tasks.is_assignee(actor.person.id, task.id) or actor.person.preview_project_id:
        return
    if actor.is_bot and not db.session.scalar(select(Project.is_bot_collaboration_enabled)
                                              .where(Project.id == task.project_id)):
        return
    assignments.link(actor, actor.person, assignments.task_rows([task.id]))


def create(actor, task_id, *, name, mode, comment, description, person_id, software_id,
           revision, sep):
    """POST /data/tasks/<id>/working-files/new (201, the new revision)."""
    task = tasks.load(task_id)
    role = check_write(actor, task)
    person = author(actor, role, person_id)
    software_row = software(software_id, DEFAULT_SOFTWARE)
    lock("working-file", task.id, name)
    if revision:
        if db.session.scalar(select(WorkingFile.id).where(
                WorkingFile.task_id == task.id, WorkingFile.name == name,
                WorkingFile.revision == revision)):
            raise BadRequest("The given working file already exists.")
    else:
        revision = next_revision(task.id, name)
    found = subject(task, software_row, name, revision)
    full_path = sep.join((file_trees.folder_path(found, mode, sep),
                          file_trees.file_name(found, mode)))
    if len(full_path) > PATH_LENGTH:
        raise BadRequest(f"The file tree makes a path longer than {PATH_LENGTH} characters.")
    _assign(actor, task)
    row = WorkingFile(name=name, comment=comment, description=description or None,
                      revision=revision, path=full_path, task_id=task.id,
                      entity_id=task.entity_id, person_id=person.id,
                      software_id=software_row.id)
    db.session.add(row)
    db.session.flush()
    events.emit("working-file:new", {"working_file_id": row.id}, project_id=task.project_id)
    db.session.commit()
    return crud.serialize(_coll(), actor, row, relations=False)


def _update(actor, working_file_id, **values):
    row = load(working_file_id)
    task = _task_of(row)
    check_write(actor, task)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.flush()
    events.emit("working-file:update", {"working_file_id": row.id}, project_id=task.project_id)
    db.session.commit()
    return crud.serialize(_coll(), actor, row, relations=False)


def set_comment(actor, working_file_id, comment):
    return _update(actor, working_file_id, comment=comment)


def touch(actor, working_file_id):
    """The file was modified (now)."""
    return _update(actor, working_file_id, updated_at=utc_now())


def upload(actor, working_file_id, upload_file):
    """Store the uploaded binary of the working file (201, the file). It
    goes through a temporary file, never whole in memory."""
    row = load(working_file_id)
    check_write(actor, _task_of(row))
    if upload_file is None:
        raise BadRequest("Field 'file' is required (a multipart upload).")
    fd, temporary = tempfile.mkstemp(prefix="working-file-")
    os.close(fd)
    try:
        upload_file.save(temporary)
        storage.backend().put_file(BUCKET, storage_key(row.id), temporary)
    finally:
        os.remove(temporary)
    return crud.serialize(_coll(), actor, row, relations=False)


def download(actor, working_file_id):
    """The working file's row and binary (NotFound when none was stored),
    sent with validators and byte ranges."""
    from app.services import media

    row = load(working_file_id)
    tasks.check_read(actor, _task_of(row))
    return media.send(BUCKET, storage_key(row.id), mimetype="application/octet-stream",
                      last_modified=row.updated_at)


# The /data/working-files collection ------------------------------------------------

class Hooks(crud.Hooks):
    def after_delete(self, actor, row):
        storage.delete_on_commit([(BUCKET, storage_key(row.id))])


class Policy(ProjectData):
    """Team members but vendors read; a raw update is a task action."""

    def list_scope(self, actor, coll, stmt):
        if actor.role == "vendor":
            raise Forbidden("Vendors cannot list files.")
        return super().list_scope(actor, coll, stmt)

    def update(self, actor, coll, row, data):
        check_write(actor, _task_of(row))
