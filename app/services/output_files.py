"""Output files (behaviours.md row 20): what a pipeline publishes from an
entity (an asset's model, a shot's caches) or from an asset instance in a
shot or scene, numbered in revisions, with paths from the file tree.

Reading needs access to the entity (for an instance: its asset), and
vendors never list files; a project's whole list is for its managers.
Publishing is "working on the entity": admins, the project's managers, a
supervisor of the task type's department, or someone assigned to a task
of the entity (of the asset, or of the shot the instance is in).

Revisions count per (entity, or asset instance and shot, output type,
task type, name), as gazu's next-revision asks; a revision is unique with
its representation too. The next number is taken under an advisory lock
on the series, so concurrent publishers never collide. Zou's count of an
asset's outputs also took its instances' ones: here they are apart. The
default file status is "To review" (DEFAULT_FILE_STATUS), made if missing.
"""
import sqlalchemy as sa
from flask import current_app
from sqlalchemy import func, select

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import AssetInstance, Entity
from app.models.files import OutputFile, WorkingFile
from app.models.project import Project
from app.models.settings import FileStatus, OutputType, TaskType
from app.models.task import Task, TaskPersonLink
from app.permissions import as_uuid, reaches_department, require_project_access, \
    require_project_manager
from app.services import crud, entities, file_trees
from app.services.policies import ProjectData
from app.services.working_files import author, lock

PATH_LENGTH = OutputFile.__table__.c.path.type.length
FILTERS = ("output_type_id", "task_type_id", "representation", "file_status_id", "name")


def _coll():
    return crud.collection("output-files")


# Targets: an entity, or an asset instance in a shot ---------------------------

class Target:
    """Where outputs are published: `entity` (for an instance, its asset),
    `temporal` (the shot or scene an instance is in) and `instance`."""

    def __init__(self, entity, instance=None, temporal=None):
        self.entity = entity
        self.instance = instance
        self.temporal = temporal

    def criteria(self):
        if self.instance is None:
            return [OutputFile.entity_id == self.entity.id,
                    OutputFile.asset_instance_id.is_(None)]
        return [OutputFile.asset_instance_id == self.instance.id,
                OutputFile.temporal_entity_id == self.temporal.id]

    def lock_key(self):
        if self.instance is None:
            return ("output-file", self.entity.id)
        return ("output-file", self.instance.id, self.temporal.id)

    def path_entity(self):
        return self.temporal or self.entity


def _read(actor, entity, lists=True):
    role = entities.check_access(actor, entity)
    if lists and role == "vendor":
        raise Forbidden("Vendors cannot list files.")
    return role


def entity_target(actor, entity_id, lists=True):
    entity = entities.load(entity_id)
    _read(actor, entity, lists)
    return Target(entity)


def _temporal(temporal_entity_id):
    row = db.session.get(Entity, as_uuid(temporal_entity_id, "entity id"))
    if row is None:
        raise NotFound(f"No entity has the id {temporal_entity_id}.")
    return row


def instance_target(actor, asset_instance_id, temporal_entity_id=None, lists=True):
    instance = db.session.get(AssetInstance, as_uuid(asset_instance_id, "asset instance id"))
    if instance is None:
        raise NotFound(f"No asset instance has the id {asset_instance_id}.")
    asset = entities.load(instance.asset_id)
    _read(actor, asset, lists)
    temporal = None
    if temporal_entity_id is not None:
        temporal = _temporal(temporal_entity_id)
        if temporal.project_id != asset.project_id:
            raise BadRequest("The asset instance and the entity are in different projects.")
    return Target(asset, instance, temporal)


def check_publish(actor, target, task_type):
    """Working on the target: see the module's docstring."""
    role = require_project_access(actor, target.entity.project_id)
    if role in ("admin", "manager"):
        return role
    if role == "supervisor" and reaches_department(actor, task_type.department_id):
        return role
    entity_ids = [e.id for e in (target.entity, target.temporal) if e is not None]
    if role != "client" and db.session.scalar(select(select(Task.id).join(
            TaskPersonLink, TaskPersonLink.task_id == Task.id).where(
            Task.entity_id.in_(entity_ids), TaskPersonLink.person_id == actor.person.id)
            .exists())):
        return role
    raise Forbidden("Only people working on this entity (an assigned task), its department's "
                    "supervisors and the project's managers can publish its files.")


def _required(model, value, field):
    row = db.session.get(model, as_uuid(value, field))
    if row is None:
        raise BadRequest(f"Field '{field}': nothing has the id {value}.")
    return row


def _output_type(value):
    row = db.session.get(OutputType, as_uuid(value, "output_type_id"))
    if row is None:
        raise BadRequest("Cannot find given output type.")
    return row


# Revisions and paths ---------------------------------------------------------------

def next_revision(target, output_type_id, task_type_id, name):
    last = db.session.scalar(select(func.max(OutputFile.revision)).where(
        *target.criteria(), OutputFile.output_type_id == output_type_id,
        OutputFile.task_type_id == task_type_id, OutputFile.name == name,
        OutputFile.revision > 0))
    return (last or 0) + 1


def next_revision_answer(actor, target, *, output_type_id, task_type_id, name):
    output_type = _output_type(output_type_id)
    task_type = _required(TaskType, task_type_id, "task_type_id")
    return {"next_revision": next_revision(target, output_type.id, task_type.id, name)}


def _subject(target, output_type, task_type, name, representation, revision):
    entity = target.path_entity()
    return file_trees.Subject(project=db.session.get(Project, entity.project_id), entity=entity,
                              task_type=task_type, output_type=output_type,
                              asset_instance=target.instance, name=name,
                              representation=representation, revision=revision)


def _paths(target, output_type, task_type, *, name, representation, revision, mode, sep,
           nb_elements):
    found = _subject(target, output_type, task_type, name, representation, revision)
    return (file_trees.folder_path(found, mode, sep),
            file_trees.file_name(found, mode, nb_elements))


def path(actor, target, *, output_type_id, task_type_id, name, representation, revision,
         mode, sep, nb_elements):
    """POST .../output-file-path: {folder_path, file_name}."""
    output_type = _output_type(output_type_id)
    task_type = _required(TaskType, task_type_id, "task_type_id")
    revision = revision or next_revision(target, output_type.id, task_type.id, name)
    folder, file_name = _paths(target, output_type, task_type, name=name,
                               representation=representation, revision=revision, mode=mode,
                               sep=sep, nb_elements=nb_elements)
    return {"folder_path": folder, "file_name": file_name}


def default_status():
    return file_trees.default_row(
        FileStatus, current_app.config.get("DEFAULT_FILE_STATUS", "To review"),
        color="#FFFFFF")


def create(actor, target, *, output_type_id, task_type_id, name, representation, revision,
           mode, sep, nb_elements, extension, comment, person_id, working_file_id,
           file_status_id):
    """POST .../output-files/new (201, the output file with its folder_path
    and file_name)."""
    output_type = _output_type(output_type_id)
    task_type = _required(TaskType, task_type_id, "task_type_id")
    role = check_publish(actor, target, task_type)
    person = author(actor, role, person_id)
    source = _required(WorkingFile, working_file_id, "working_file_id").id \
        if working_file_id else None
    status = _required(FileStatus, file_status_id, "file_status_id") if file_status_id \
        else default_status()
    lock(*target.lock_key(), output_type.id, task_type.id, name)
    if revision < 1:
        revision = next_revision(target, output_type.id, task_type.id, name)
    elif db.session.scalar(select(OutputFile.id).where(
            *target.criteria(), OutputFile.output_type_id == output_type.id,
            OutputFile.task_type_id == task_type.id, OutputFile.name == name,
            OutputFile.representation == representation, OutputFile.revision == revision)):
        raise BadRequest("The given output file already exists.")
    folder, file_name = _paths(target, output_type, task_type, name=name,
                               representation=representation, revision=revision, mode=mode,
                               sep=sep, nb_elements=nb_elements)
    full_path = f"{folder}{sep}{file_name}{extension}"
    if len(full_path) > PATH_LENGTH:
        raise BadRequest(f"The file tree makes a path longer than {PATH_LENGTH} characters.")
    row = OutputFile(name=name, comment=comment, extension=extension,
                     representation=representation, revision=revision, nb_elements=nb_elements,
                     path=full_path, entity_id=target.entity.id,
                     asset_instance_id=target.instance.id if target.instance else None,
                     temporal_entity_id=target.temporal.id if target.temporal else None,
                     person_id=person.id, source_file_id=source, output_type_id=output_type.id,
                     task_type_id=task_type.id, file_status_id=status.id)
    db.session.add(row)
    db.session.flush()
    events.emit("output-file:new", {"output_file_id": row.id},
                project_id=target.entity.project_id)
    db.session.commit()
    return {**crud.serialize(_coll(), actor, row, relations=False),
            "folder_path": folder, "file_name": file_name}


# Lists -----------------------------------------------------------------------------

def _filters(args):
    criteria = []
    for key in FILTERS:
        value = args.get(key)
        if value:
            column = OutputFile.__table__.c[key]
            criteria.append(column == (as_uuid(value, key) if key.endswith("_id") else value))
    return criteria


def _json(actor, *criteria, sort=("-revision",)):
    return crud.select_json(_coll(), actor, OutputFile.revision >= 0, *criteria, sort=sort)


def for_target(actor, target, args):
    """The target's output files, newest revision first (an instance's in
    every shot unless temporal_entity_id narrows them)."""
    if target.instance is None:
        criteria = [*target.criteria(), OutputFile.temporal_entity_id.is_(None)]
    else:
        criteria = [OutputFile.asset_instance_id == target.instance.id]
        if args.get("temporal_entity_id"):
            criteria.append(OutputFile.temporal_entity_id ==
                            as_uuid(args["temporal_entity_id"], "temporal_entity_id"))
    return _json(actor, *criteria, *_filters(args))


def last_revisions(actor, target, args):
    """The newest revision of each (task type, output type, name,
    representation) series of the target (of each status too when one is
    asked for)."""
    keys = [OutputFile.task_type_id, OutputFile.output_type_id, OutputFile.name,
            OutputFile.representation]
    if args.get("file_status_id"):
        keys.append(OutputFile.file_status_id)
    newest = select(*keys, func.max(OutputFile.revision)).where(
        *target.criteria(), *_filters(args)).group_by(*keys)
    return _json(actor, *target.criteria(), sa.tuple_(*keys, OutputFile.revision).in_(newest))


def for_output_type(actor, target, output_type_id, representation=None):
    output_type = db.session.get(OutputType, as_uuid(output_type_id, "output type id"))
    if output_type is None:
        raise NotFound(f"No output type has the id {output_type_id}.")
    criteria = [*target.criteria(), OutputFile.output_type_id == output_type.id]
    if representation is not None:
        criteria.append(OutputFile.representation == representation)
    return _json(actor, *criteria)


def output_types(actor, target):
    """The output types the target has published, by name."""
    used = select(OutputFile.output_type_id).where(
        OutputFile.entity_id == target.entity.id if target.instance is None
        else sa.and_(*target.criteria()))
    return crud.select_json(crud.collection("output-types"), actor,
                            OutputType.id.in_(used), sort=("name",))


def for_project(actor, project_id, args):
    """The project's entity outputs (not instances'), newest first (managers)."""
    require_project_manager(actor, project_id)
    in_project = select(Entity.id).where(Entity.project_id == as_uuid(project_id, "project id"))
    return _json(actor, OutputFile.entity_id.in_(in_project),
                 OutputFile.asset_instance_id.is_(None),
                 OutputFile.temporal_entity_id.is_(None), *_filters(args),
                 sort=("-created_at",))


def find(actor, output_file_id):
    """The output file (None if there is none), once the actor may see it."""
    row = db.session.get(OutputFile, as_uuid(output_file_id, "file id"))
    if row is None:
        return None
    _read(actor, entities.load(row.entity_id))
    return crud.serialize(_coll(), actor, row, relations=False)


# The /data/output-files collection -----------------------------------------------

class Policy(ProjectData):
    """Team members but vendors read; a raw update is for the project's
    managers and the people working on the entity."""

    def list_scope(self, actor, coll, stmt):
        if actor.role == "vendor":
            raise Forbidden("Vendors cannot list files.")
        return super().list_scope(actor, coll, stmt)

    def update(self, actor, coll, row, data):
        entity = entities.load(row.entity_id)
        target = Target(entity, temporal=db.session.get(Entity, row.temporal_entity_id)
                        if row.temporal_entity_id else None)
        task_type = db.session.get(TaskType, row.task_type_id) if row.task_type_id else None
        if task_type is None:
            require_project_manager(actor, entity.project_id)
            return
        check_publish(actor, target, task_type)
