"""Health checks, the public configuration for the login page, admin stats."""
from flask import Response

from app.api import Resource, endpoint
from app.auth import current_actor
from app.services import event_log, status
from app.version import API_VERSION, APP_NAME, __version__


class Index(Resource):
    @endpoint("API name and version", public=True)
    def get(self):
        return {"api": APP_NAME, "version": API_VERSION, "server_version": __version__}


class Status(Resource):
    @endpoint("Whether each service the API needs is up", public=True)
    def get(self):
        return status.service_status()


class StatusText(Resource):
    @endpoint("Service status as plain text, for monitoring tools", public=True)
    def get(self):
        lines = []
        for key, value in status.service_status().items():
            if isinstance(value, bool):
                value = "up" if value else "down"
            lines.append(f"{key}: {value}")
        return Response("\n".join(lines) + "\n", mimetype="text/plain")


class StatusInflux(Resource):
    @endpoint("Service status as 0/1 numbers, for InfluxDB/Telegraf", public=True)
    def get(self):
        return status.influx_status()


class StatusResources(Resource):
    @endpoint("CPU and memory use of the API host", public=True)
    def get(self):
        return status.resource_usage()


class TestEvent(Resource):
    @endpoint("Send main:test to every connected socket.io client", public=True)
    def get(self):
        return event_log.test_event()


class ClientConfig(Resource):
    @endpoint("What the Kitsu login page needs to know", public=True)
    def get(self):
        return status.client_config()


class Stats(Resource):
    @endpoint("Usage counts (admin)")
    def get(self):
        return status.main_stats(current_actor())
