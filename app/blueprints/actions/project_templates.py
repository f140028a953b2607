"""Reorder a project template's task types and task statuses (behaviours.md row 6)."""
from app.api import List, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import templates

ORDERS = {"task-types": "task_type_ids", "task-statuses": "task_status_ids"}


def _reorder_resource(kind, field):
    class Reorder(Resource):
        @endpoint(f"Reorder a project template's {kind.replace('-', ' ')}",
                  body=Schema(**{field: List(Uuid(), required=True, nullable=False)}),
                  description="Priorities follow the list (1 first); ids not linked yet "
                              "are added.")
        def post(self, project_template_id, body):
            return templates.reorder(current_actor(), project_template_id, kind, body[field])

    Reorder.__name__ = "TemplateReorder" + "".join(w.title() for w in kind.split("-"))
    return Reorder


def routes():
    return [(f"/actions/project-templates/<project_template_id>/{kind}/reorder",
             _reorder_resource(kind, field)) for kind, field in ORDERS.items()]
