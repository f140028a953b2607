from flask import Blueprint

from app.api import add_routes
from app.blueprints.index import resources as r

blueprint = Blueprint("index", __name__)

add_routes(blueprint, [
    ("/", r.Index),
    ("/status", r.Status),
    ("/status.txt", r.StatusText),
    ("/status/influx", r.StatusInflux),
    ("/status/resources", r.StatusResources),
    ("/status/test-event", r.TestEvent),
    ("/config", r.ClientConfig),
    ("/stats", r.Stats),
])
