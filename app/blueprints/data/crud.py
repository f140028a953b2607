"""GET,POST /data/<collection> and GET,PUT,DELETE /data/<collection>/<id>
for the 48 collections of app/services/collections.py. Each route is
declared with the collection's own input schema, so /openapi.json lists
every writable column with its type."""
from flask import Response, request

from app.api import Boolean, Integer, Resource, Schema, String, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import crud
from app.services.collections import COLLECTIONS

# Collections Zou exposes for creation only (settings links).
POST_ONLY = ("task-type-links", "task-status-links")

LIST_QUERY = Schema(
    page=Integer(minimum=-1, description="Page number; absent or -1 gives the whole list."),
    limit=Integer(minimum=1, description="Rows per page (default NB_RECORDS_PER_PAGE)."),
    relations=Boolean(description="Add the many-to-many fields as id lists."),
    fields=String(description="Comma-separated columns to return (id is always there)."),
)
LIST_HELP = ("Any column is also an equality filter (`name` matches case-insensitively, "
             "a JSON list means any of, a many-to-many field means has this related id).")
GET_QUERY = Schema(relations=Boolean(default=True))
DELETE_QUERY = Schema(force=Boolean(default=False))


def _list_resource(coll):
    label = coll.wire_type

    class ListResource(Resource):
        if coll.name not in POST_ONLY:
            @endpoint(f"List {label} rows", query=LIST_QUERY, description=LIST_HELP)
            def get(self, query):
                return json_body_response(
                    crud.list_json(coll, current_actor(), request.args, stream=True))

        @endpoint(f"Create a {label}", body=coll.create_schema)
        def post(self, body):
            return crud.create(coll, current_actor(), body), 201

    ListResource.__name__ = f"{label}List"
    return ListResource


def _instance_resource(coll):
    label = coll.wire_type

    class InstanceResource(Resource):
        @endpoint(f"Get a {label}", query=GET_QUERY)
        def get(self, instance_id, query):
            return crud.get_row(coll, current_actor(), instance_id, query["relations"])

        @endpoint(f"Update a {label}", body=coll.update_schema)
        def put(self, instance_id, body):
            return crud.update(coll, current_actor(), instance_id, body)

        @endpoint(f"Delete a {label}", query=DELETE_QUERY)
        def delete(self, instance_id, query):
            crud.delete(coll, current_actor(), instance_id, query["force"])
            return Response(status=204)

    InstanceResource.__name__ = f"{label}Instance"
    return InstanceResource


def routes():
    """Specific routes of a domain module win over these: Flask matches
    literal segments (/data/projects/open) before <instance_id>."""
    out = []
    for name, coll in COLLECTIONS.items():
        out.append((f"/data/{name}", _list_resource(coll)))
        if name not in POST_ONLY:
            out.append((f"/data/{name}/<instance_id>", _instance_resource(coll)))
    return out
