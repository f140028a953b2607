"""/data/webhooks (beyond Zou, admins): endpoints that receive the event log,
and their delivery log. The rules are in app/services/webhooks.py."""
from flask import Response

from app.api import Boolean, Integer, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.models.webhooks import DELIVERY_STATUSES
from app.services import webhooks

FIELDS = dict(
    name=String(min_length=1, max_length=80),
    url=String(min_length=1, max_length=2048,
               description="https:// (http:// only to this machine)."),
    event_names=List(String(), description="Event names or `object:*`; empty: every event."),
    project_ids=List(Uuid(), description="Only these productions' events; empty: all."),
    active=Boolean(description="Setting it again re-enables a disabled hook."),
)
CREATE = Schema(**{**FIELDS, "name": String(required=True, min_length=1, max_length=80),
                   "url": String(required=True, min_length=1, max_length=2048)},
                secret=String(min_length=16, max_length=255,
                              description="Signs each delivery; generated when not given."))
UPDATE = Schema(**FIELDS)
DELIVERIES_QUERY = Schema(status=String(choices=DELIVERY_STATUSES),
                          limit=Integer(minimum=1, maximum=1000, default=100))


class Webhooks(Resource):
    @endpoint("List the webhooks (admins)")
    def get(self):
        return webhooks.list_hooks(current_actor())

    @endpoint("Register a webhook; the answer shows its secret, once (admins)", body=CREATE)
    def post(self, body):
        return webhooks.create(current_actor(), **body), 201


class WebhookResource(Resource):
    @endpoint("Get a webhook (admins)")
    def get(self, webhook_id):
        return webhooks.get(current_actor(), webhook_id)

    @endpoint("Update a webhook (admins)", body=UPDATE)
    def put(self, webhook_id, body):
        return webhooks.update_hook(current_actor(), webhook_id, body)

    @endpoint("Delete a webhook and its delivery log (admins)")
    def delete(self, webhook_id):
        webhooks.delete(current_actor(), webhook_id)
        return Response(status=204)


class WebhookDeliveries(Resource):
    @endpoint("A webhook's deliveries, newest first, with every attempt (admins)",
              query=DELIVERIES_QUERY)
    def get(self, webhook_id, query):
        return webhooks.deliveries(current_actor(), webhook_id, **query)


def routes():
    return [
        ("/data/webhooks", Webhooks),
        ("/data/webhooks/<webhook_id>", WebhookResource),
        ("/data/webhooks/<webhook_id>/deliveries", WebhookDeliveries),
    ]
