"""/data/entities/<id>/...: what every kind of entity has (behaviours.md
row 8). The entity rows themselves are the `entities` collection (crud.py)."""
from app.api import Resource, endpoint
from app.auth import current_actor
from app.services import entities


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


def routes():
    return [
        ("/data/entities/<entity_id>/preview-files", EntityPreviewFiles),
        ("/data/entities/<entity_id>/time-spents", EntityTimeSpents),
        ("/data/entities/<entity_id>/entities-linked/with-tasks", EntitiesLinkedWithTasks),
    ]
