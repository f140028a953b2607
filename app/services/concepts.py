"""Concepts (behaviours.md row 11): concept-art entities any team member
but clients and vendors may create, linked to the entities they
illustrate through entity_concept_link, and filed in concept folders
(entities of type ConceptFolder, their parent)."""
from sqlalchemy import insert, select, update

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import Entity, EntityConceptLink
from app.models.files import PreviewFile
from app.models.task import Task
from app.permissions import as_uuid, require_project_role
from app.services import crud, entities

E = entities.ENTITY
CONCEPT = "Concept"
FOLDER = "ConceptFolder"
# Clients and vendors have no concept pages.
ROLES = ("manager", "supervisor", "user")
# Who files concepts into folders.
FOLDER_ROLES = ("manager", "supervisor")


def _type_id():
    return entities.entity_type_id(CONCEPT)


def _check_role(actor, project_id):
    require_project_role(actor, project_id, ROLES)


def load_for(actor, concept_id):
    row = entities.load(concept_id, CONCEPT)
    _check_role(actor, row.project_id)
    entities.check_access(actor, row)
    return row


def list_concepts(actor, args, project_id=None):
    """GET /data/concepts (a project_id is then required) and the
    project's list: concept rows as JSON, narrowed by the query's columns."""
    project_id = project_id or args.get("project_id")
    if project_id is None:
        raise Forbidden("Name the project (project_id) whose concepts you want.")
    _check_role(actor, project_id)
    args = {k: v for k, v in args.items() if k != "project_id"} | {"project_id": project_id}
    return crud.list_json(crud.collection("entities"), actor, args,
                          E.c.entity_type_id == _type_id())


def _columns(actor):
    status = select(PreviewFile.status).where(PreviewFile.id == E.c.preview_file_id) \
        .scalar_subquery()
    return {**entities.entity_columns(actor, CONCEPT), "preview_file_status": status}


def with_tasks_json(actor, query):
    """GET /data/concepts/with-tasks?project_id=: concepts and their tasks."""
    project_id = query.get("project_id")
    if project_id is None:
        raise Forbidden("Name the project (project_id) whose concepts you want.")
    _check_role(actor, project_id)
    criteria = [E.c.entity_type_id == _type_id()]
    if query.get("id"):
        criteria.append(E.c.id == as_uuid(query["id"]))
    return entities.with_tasks_json(actor, _columns(actor),
                                    entities.scope(actor, criteria, project_id=project_id))


def get_concept(actor, concept_id):
    row = load_for(actor, concept_id)
    [listed] = entities.with_tasks_rows(actor, _columns(actor), [E.c.id == row.id])
    return {**listed, **crud.serialize(crud.collection("entities"), actor, row, relations=True)}


def create_concept(actor, project_id, body):
    """POST /data/projects/<id>/concepts: the concept of that name (made
    if missing), linked to the entities of `entity_concept_links`."""
    _check_role(actor, project_id)
    links = [as_uuid(i, "entity id") for i in body.get("entity_concept_links") or []]
    found = set(db.session.scalars(select(Entity.id).where(
        Entity.id.in_(links), Entity.project_id == as_uuid(project_id, "project id"))))
    if len(found) != len(set(links)):
        raise NotFound("entity_concept_links names entities this project does not have.")
    folder = body.get("parent_id")
    if folder is not None:
        _folder(folder, project_id)
    row = entities.create_entity(actor, project_id, _type_id(), body["name"],
                                 data=body.get("data"), roles=ROLES,
                                 description=body.get("description"), parent_id=folder)
    known = set(db.session.scalars(select(EntityConceptLink.entity_out_id).where(
        EntityConceptLink.entity_in_id == row.id)))
    new = [{"entity_in_id": row.id, "entity_out_id": i} for i in found - known]
    if new:
        db.session.execute(insert(EntityConceptLink), new)
    db.session.commit()
    return crud.serialize(crud.collection("entities"), actor, row, relations=True)


def delete_concept(actor, concept_id, force=False):
    entities.delete_entity(actor, entities.load(concept_id, CONCEPT), force)
    db.session.commit()


def tasks(actor, concept_id, relations=False):
    load_for(actor, concept_id)
    return entities.tasks_of(actor, concept_id, CONCEPT, relations)


def task_types(actor, concept_id):
    load_for(actor, concept_id)
    return entities.task_types_of(actor, concept_id, CONCEPT)


def previews(actor, concept_id):
    """The concept's previews by task type id, newest revision first."""
    row = load_for(actor, concept_id)
    types = dict(db.session.execute(select(Task.id, Task.task_type_id)
                                    .where(Task.entity_id == row.id)).all())
    out = {}
    for preview in entities.preview_files(actor, concept_id):
        out.setdefault(str(types[as_uuid(preview["task_id"])]), []).append(preview)
    return out


# Folders ----------------------------------------------------------------------

def _folder(folder_id, project_id=None):
    row = entities.load(folder_id, FOLDER)
    if project_id is not None and str(row.project_id) != str(project_id):
        raise NotFound(f"The project has no concept folder with the id {folder_id}.")
    return row


def _folder_answer(actor, row):
    return {**entities.serialize(actor, row), "type": FOLDER}


def folders(actor, project_id):
    _check_role(actor, project_id)
    rows = crud.select_rows(crud.collection("entities"), actor,
                            E.c.project_id == as_uuid(project_id, "project id"),
                            E.c.entity_type_id == entities.entity_type_id(FOLDER),
                            sort=("name",))
    return [{**row, "type": FOLDER} for row in rows]


def create_folder(actor, project_id, name):
    """The project's folder of that name, made if missing (supervisors+)."""
    row = entities.create_entity(actor, project_id, entities.entity_type_id(FOLDER), name,
                                 roles=FOLDER_ROLES)
    db.session.commit()
    return _folder_answer(actor, row)


def rename_folder(actor, folder_id, name):
    row = _folder(folder_id)
    require_project_role(actor, row.project_id, FOLDER_ROLES)
    if db.session.scalar(select(Entity.id).where(
            Entity.entity_type_id == row.entity_type_id, Entity.project_id == row.project_id,
            Entity.name == name, Entity.id != row.id)):
        raise BadRequest("A concept folder with this name already exists.")
    row.name = name
    db.session.flush()
    entities.emit_event(FOLDER, "update", row)
    db.session.commit()
    return _folder_answer(actor, row)


def _move(project_id, concept_ids, folder_id):
    """Concepts of the project among `concept_ids` into the folder (None:
    the project's root); returns the ids moved. The caller commits."""
    moved = db.session.execute(update(E).where(
        E.c.id.in_([as_uuid(i, "concept id") for i in concept_ids]),
        E.c.project_id == project_id, E.c.entity_type_id == _type_id())
        .values(parent_id=folder_id).returning(E.c.id)).scalars().all()
    events.emit_many("concept:update", [{"concept_id": i} for i in moved],
                     project_id=project_id)
    return [str(i) for i in moved]


def move_concepts(actor, project_id, concept_ids, folder_id=None):
    """POST /actions/projects/<id>/move-concepts (supervisors+)."""
    require_project_role(actor, project_id, FOLDER_ROLES)
    if folder_id is not None:
        folder_id = _folder(folder_id, project_id).id
    moved = _move(as_uuid(project_id, "project id"), concept_ids, folder_id)
    db.session.commit()
    return moved


def delete_folder(actor, folder_id):
    """The folder goes; its concepts go back to the project's root."""
    row = _folder(folder_id)
    require_project_role(actor, row.project_id, FOLDER_ROLES)
    inside = db.session.scalars(select(Entity.id).where(Entity.parent_id == row.id)).all()
    _move(row.project_id, inside, None)
    entities.emit_event(FOLDER, "delete", row)
    db.session.delete(row)
    db.session.commit()
