"""Task actions (behaviours.md row 13): creating a task type's tasks on a
production's entities, assigning and unassigning people, setting
priorities, and deleting tasks in bulk."""
from flask import Response, request

from app.api import Integer, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import assignments, entity_tasks, tasks

IDS = List(Uuid())
TASK_IDS = List(Uuid(), required=True)


def _id_array(required):
    """Zou takes a bare JSON array of ids for these routes (no object to
    describe in a body schema); an empty or missing body, when allowed,
    means no selection."""
    ids = request.get_json(silent=True)
    if not required and ids in (None, {}, []):
        return None
    if not isinstance(ids, list):
        raise BadRequest("The request body must be a JSON array of ids.")
    return IDS.parse("ids", ids)


def _non_empty(name, ids):
    if not ids:
        raise BadRequest(f"Field '{name}' needs at least one id.")
    return ids


def _create(project_id, task_type_id, type_name, episode_id=None):
    created = entity_tasks.create_for_kind(current_actor(), project_id, task_type_id,
                                           type_name, _id_array(required=False), episode_id)
    return Response(created, status=201, mimetype="application/json")


CREATE = dict(description="The body is a JSON array of entity ids; without one, every "
                          "entity of that kind in the project. Existing tasks are skipped; "
                          "new ones start on the default status. Answers 201 with the tasks "
                          "made.")


def _create_resource(class_name, type_name, summary):
    """The create-tasks resource of one kind of entity."""
    @endpoint(summary, **CREATE)
    def post(self, project_id, task_type_id):
        return _create(project_id, task_type_id, type_name)

    return type(class_name, (Resource,), {"post": post})


CreateShotTasks = _create_resource(
    "CreateShotTasks", "Shot", "Create a task type's tasks on the project's shots (managers)")
CreateAssetTasks = _create_resource(
    "CreateAssetTasks", "Asset", "Create a task type's tasks on the project's assets whose "
                                 "type's workflow takes it (managers)")
CreateEditTasks = _create_resource(
    "CreateEditTasks", "Edit", "Create a task type's tasks on the project's edits (managers)")
CreateConceptTasks = _create_resource(
    "CreateConceptTasks", "Concept", "Create a task type's tasks on the project's concepts "
                                     "(members but clients and vendors)")


class CreateEntityTasks(Resource):
    @endpoint("Create a task type's tasks on the project's entities of a type (episodes, "
              "sequences...; managers)",
              query=Schema(episode_id=String(description="Only the entities of this "
                                                         "episode.")), **CREATE)
    def post(self, project_id, task_type_id, entity_type, query):
        return _create(project_id, task_type_id, entity_tasks.entity_type_name(entity_type),
                       query.get("episode_id"))


class AssignTask(Resource):
    @endpoint("Assign a person to the task; returns the task with its assignees",
              body=Schema(person_id=Uuid(required=True, nullable=False)))
    def put(self, task_id, body):
        return assignments.assign_task(current_actor(), task_id, body["person_id"])


class AssignTasks(Resource):
    @endpoint("Assign the person to tasks; returns those assigned (the tasks the caller may "
              "not assign them to are skipped)", body=Schema(task_ids=TASK_IDS))
    def put(self, person_id, body):
        return assignments.assign_tasks(current_actor(), person_id,
                                        _non_empty("task_ids", body["task_ids"]))


class ClearAssignation(Resource):
    @endpoint("Take a person (everyone without person_id) off tasks; returns the ids of "
              "the tasks done (the others are skipped)",
              body=Schema(task_ids=TASK_IDS, person_id=Uuid()))
    def put(self, body):
        return assignments.clear_assignations(current_actor(),
                                              _non_empty("task_ids", body["task_ids"]),
                                              body.get("person_id"))


class SetTasksPriority(Resource):
    @endpoint("Set the priority of tasks; returns those changed (the tasks the caller may "
              "not plan are skipped)",
              body=Schema(task_ids=TASK_IDS,
                          priority=Integer(required=True, nullable=False, minimum=0)))
    def put(self, body):
        return tasks.set_priority(current_actor(), _non_empty("task_ids", body["task_ids"]),
                                  body["priority"])


class DeleteTasks(Resource):
    @endpoint("Delete tasks of the project with everything on them (managers); returns the "
              "ids deleted", description="The body is a JSON array of task ids.")
    def post(self, project_id):
        return tasks.delete_many(current_actor(), project_id, _id_array(required=True))


class DeleteTaskTypeTasks(Resource):
    @endpoint("Delete every task of a task type in the project (admins)")
    def delete(self, project_id, task_type_id):
        tasks.delete_for_task_type(current_actor(), project_id, task_type_id)
        return Response(status=204)


def routes():
    base = "/actions/projects/<project_id>/task-types/<task_type_id>"
    return [
        (f"{base}/shots/create-tasks", CreateShotTasks),
        (f"{base}/assets/create-tasks", CreateAssetTasks),
        (f"{base}/edits/create-tasks", CreateEditTasks),
        (f"{base}/concepts/create-tasks", CreateConceptTasks),
        (f"{base}/create-tasks/<entity_type>", CreateEntityTasks),
        (f"{base}/delete-tasks", DeleteTaskTypeTasks),
        ("/actions/projects/<project_id>/delete-tasks", DeleteTasks),
        ("/actions/tasks/<task_id>/assign", AssignTask),
        ("/actions/persons/<person_id>/assign", AssignTasks),
        ("/actions/tasks/clear-assignation", ClearAssignation),
        ("/actions/tasks/set-priority", SetTasksPriority),
    ]
