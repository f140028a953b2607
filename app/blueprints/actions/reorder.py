"""The reorder actions of the generic collections: the studio's task type
order, and a production's own order of its task types and statuses."""
from app.api import List, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import settings


class TaskTypesReorder(Resource):
    @endpoint("Give the studio's task types priorities 1, 2, ... in this order (admins)",
              body=Schema(task_type_ids=List(Uuid(), required=True)))
    def post(self, body):
        return settings.reorder_task_types(current_actor(), body["task_type_ids"])


def _links_reorder(kind, key, label, name):
    class LinksReorder(Resource):
        @endpoint(f"Order the project's {label}: priorities 1, 2, ... (managers)",
                  body=Schema(**{key: List(Uuid(), required=True)}))
        def post(self, project_id, body):
            return settings.reorder_links(current_actor(), project_id, kind, body[key])

    LinksReorder.__name__ = name
    return LinksReorder


def routes():
    return [
        ("/actions/task-types/reorder", TaskTypesReorder),
        ("/actions/projects/<project_id>/task-type-links/reorder",
         _links_reorder("task-types", "task_type_ids", "task types", "TaskTypeLinksReorder")),
        ("/actions/projects/<project_id>/task-status-links/reorder",
         _links_reorder("task-status", "task_status_ids", "task statuses",
                        "TaskStatusLinksReorder")),
    ]
