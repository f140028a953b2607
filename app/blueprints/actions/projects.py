"""/actions/metadata-descriptors/all-projects/reorder (behaviours.md row 7)."""
from app.api import List, Resource, Schema, String, endpoint
from app.auth import current_actor
from app.services import descriptors


class AllProjectsDescriptorsReorder(Resource):
    @endpoint("Order one entity type's descriptors by field name on every open project the "
              "caller manages", body=Schema(entity_type=String(required=True),
                                            field_order=List(String(), required=True)))
    def post(self, body):
        return descriptors.reorder_on_all(current_actor(), body["entity_type"],
                                          body["field_order"])


def routes():
    return [("/actions/metadata-descriptors/all-projects/reorder", AllProjectsDescriptorsReorder)]
