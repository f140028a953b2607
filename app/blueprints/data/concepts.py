"""/data/concepts and a project's concepts (behaviours.md row 11).
Concepts are updated through PUT /data/entities/<id> (crud.py)."""
from flask import Response, request

from app.api import Boolean, Dict, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import concepts

NEW_CONCEPT = Schema(name=String(required=True, min_length=1, max_length=160),
                     description=String(), data=Dict(),
                     entity_concept_links=List(Uuid(), description="Entities it illustrates."),
                     parent_id=Uuid(description="The concept folder to file it in."))
FOLDER = Schema(name=String(required=True, min_length=1, max_length=160))
LIST_HELP = "project_id is required; any other column of the entity table filters."




class AllConcepts(Resource):
    @endpoint("Concepts of a project (not for clients and vendors)", description=LIST_HELP)
    def get(self):
        return json_body_response(concepts.list_concepts(current_actor(), request.args))


class ConceptsWithTasks(Resource):
    @endpoint("Concepts of a project with their tasks",
              query=Schema(project_id=Uuid(), id=Uuid()))
    def get(self, query):
        return json_body_response(concepts.with_tasks_json(current_actor(), query))


class Concept(Resource):
    @endpoint("A concept with its project name, links and tasks")
    def get(self, concept_id):
        return concepts.get_concept(current_actor(), concept_id)

    @endpoint("Delete a concept (its creator or a project manager)",
              query=Schema(force=Boolean(default=False)))
    def delete(self, concept_id, query):
        concepts.delete_concept(current_actor(), concept_id, query["force"])
        return Response(status=204)


class ConceptTasks(Resource):
    @endpoint("The concept's tasks", query=Schema(relations=Boolean(default=False)))
    def get(self, concept_id, query):
        return concepts.tasks(current_actor(), concept_id, query["relations"])


class ConceptTaskTypes(Resource):
    @endpoint("The task types of the concept's tasks")
    def get(self, concept_id):
        return concepts.task_types(current_actor(), concept_id)


class ConceptPreviewFiles(Resource):
    @endpoint("The concept's previews by task type id")
    def get(self, concept_id):
        return concepts.previews(current_actor(), concept_id)


class ProjectConcepts(Resource):
    @endpoint("The project's concepts", description=LIST_HELP)
    def get(self, project_id):
        return json_body_response(concepts.list_concepts(current_actor(), request.args, project_id))

    @endpoint("Create a concept (team members but clients and vendors); the existing one "
              "if the name is taken", body=NEW_CONCEPT)
    def post(self, project_id, body):
        return concepts.create_concept(current_actor(), project_id, body), 201


class ProjectConceptFolders(Resource):
    @endpoint("The project's concept folders")
    def get(self, project_id):
        return concepts.folders(current_actor(), project_id)

    @endpoint("Create a concept folder (supervisors and managers); the existing one if the "
              "name is taken", body=FOLDER)
    def post(self, project_id, body):
        return concepts.create_folder(current_actor(), project_id, body["name"]), 201


class ConceptFolder(Resource):
    @endpoint("Rename a concept folder (supervisors and managers)", body=FOLDER)
    def put(self, concept_folder_id, body):
        return concepts.rename_folder(current_actor(), concept_folder_id, body["name"])

    @endpoint("Delete a concept folder; its concepts go back to the project's root")
    def delete(self, concept_folder_id):
        concepts.delete_folder(current_actor(), concept_folder_id)
        return Response(status=204)


def routes():
    return [
        ("/data/concepts", AllConcepts),
        ("/data/concepts/with-tasks", ConceptsWithTasks),
        ("/data/concepts/<concept_id>", Concept),
        ("/data/concepts/<concept_id>/tasks", ConceptTasks),
        ("/data/concepts/<concept_id>/task-types", ConceptTaskTypes),
        ("/data/concepts/<concept_id>/preview-files", ConceptPreviewFiles),
        ("/data/projects/<project_id>/concepts", ProjectConcepts),
        ("/data/projects/<project_id>/concept-folders", ProjectConceptFolders),
        ("/data/concept-folders/<concept_folder_id>", ConceptFolder),
    ]
