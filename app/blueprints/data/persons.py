"""/data/persons/<person_id>/*: what is recorded about a person beside
their record (the record itself is the generic /data/persons collection)."""
from app.api import DateTime, Resource, Schema, endpoint
from app.auth import current_actor
from app.services import persons


class DesktopLoginLogs(Resource):
    @endpoint("A person's sign-ins from DCC plugins, newest first "
              "(themselves, managers, admins)")
    def get(self, person_id):
        return persons.desktop_login_logs(current_actor(), person_id)

    @endpoint("Record a sign-in from a DCC plugin (themselves or an admin)",
              body=Schema(date=DateTime(description="When; now if absent.")))
    def post(self, person_id, body):
        return persons.add_desktop_login_log(current_actor(), person_id, body.get("date")), 201


def routes():
    return [("/data/persons/<person_id>/desktop-login-logs", DesktopLoginLogs)]
