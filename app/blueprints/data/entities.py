"""/data/entities/<id>/...: what every kind of entity has (behaviours.md
row 8). The entity rows themselves are the `entities` collection (crud.py)."""
from flask import Response

from app.api import List, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import entities, entity_tasks


class EntityPreviewFiles(Resource):
    @endpoint("The previews of the entity's tasks")
    def get(self, entity_id):
        return entities.preview_files(current_actor(), entity_id)


class EntityTimeSpents(Resource):
    @endpoint("The time logged on the entity's tasks")
    def get(self, entity_id):
        return entities.time_spents(current_actor(), entity_id)


class EntitiesLinkedWithTasks(Resource):
    @endpoint("The concepts linked to the entity, with their tasks")
    def get(self, entity_id):
        return entities.linked_with_tasks(current_actor(), entity_id)


class EntityTasks(Resource):
    @endpoint("Create the entity's tasks of the given task types (201, the tasks made)",
              body=Schema(task_type_ids=List(Uuid(), default=[], description=(
                  "Task types to create; none: every task type valid for the entity"))))
    def post(self, entity_id, body):
        created = entity_tasks.create_tasks(current_actor(), entity_id,
                                            body.get("task_type_ids") or [])
        return Response(created, status=201, mimetype="application/json")


class EntityNews(Resource):
    @endpoint("The news of the entity's tasks, newest first (one page)")
    def get(self, entity_id):
        return entity_tasks.news(current_actor(), entity_id)


def routes():
    return [
        ("/data/entities/<entity_id>/preview-files", EntityPreviewFiles),
        ("/data/entities/<entity_id>/time-spents", EntityTimeSpents),
        ("/data/entities/<entity_id>/entities-linked/with-tasks", EntitiesLinkedWithTasks),
        ("/data/entities/<entity_id>/tasks", EntityTasks),
        ("/data/entities/<entity_id>/news", EntityNews),
    ]
