"""/data/events/*: the persisted event log and the login logs (behaviours.md
row 25). The log's positions and its visibility rule are explained in
app/services/event_log.py."""
from flask import request

from app.api import Boolean, DateTime, Integer, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.services import event_log

LIST_HELP = " A list: repeat the parameter, or give a JSON list."
PAGE = dict(
    after=DateTime(description="Only what happened after this date."),
    before=DateTime(description="Only what happened before this date."),
    limit=Integer(minimum=1, default=100, description="At most 1000."),
    person_ids=String(description="Only these people's events." + LIST_HELP),
)
EVENTS_QUERY = Schema(
    **PAGE,
    cursor_event_id=Uuid(description="Newest first, older than this event (Zou's paging)."),
    after_event_id=String(description="Oldest first, every readable event after this one, "
                                      "with no gap and no duplicate: the cursor of an "
                                      "integration catching up. `start` reads from the "
                                      "first event."),
    only_files=Boolean(default=False, description="Only the events of new files."),
    project_id=Uuid(),
    name=String(description="Exact event name."),
    name_prefixes=String(description="Objects (`task` matches `task:*`)." + LIST_HELP),
    name_suffixes=String(description="Actions (`new` matches `*:new`)." + LIST_HELP),
)
LOGIN_LOGS_QUERY = Schema(**PAGE, cursor_login_log_id=Uuid(
    description="Newest first, older than this login log."))


LISTS = {"person_ids": List(Uuid()), "name_prefixes": List(String()),
         "name_suffixes": List(String())}


def _with_lists(query):
    """Zou's clients repeat list parameters (`person_ids=a&person_ids=b`);
    a JSON list is accepted too."""
    for name in LISTS.keys() & query.keys():
        values = request.args.getlist(name)
        if len(values) == 1 and values[0].startswith("["):
            values = values[0]
        query[name] = LISTS[name].parse(name, values)
    return query


class LastEvents(Resource):
    @endpoint("The event log (managers: their productions)", query=EVENTS_QUERY)
    def get(self, query):
        return event_log.last_events(current_actor(), **_with_lists(query))


class EventNames(Resource):
    @endpoint("Every event name found in the log (managers)")
    def get(self):
        return event_log.event_names(current_actor())


class LastLoginLogs(Resource):
    @endpoint("Sign-ins, newest first (admins)", query=LOGIN_LOGS_QUERY)
    def get(self, query):
        return event_log.login_logs(current_actor(), **_with_lists(query))


def routes():
    return [
        ("/data/events/last", LastEvents),
        ("/data/events/names", EventNames),
        ("/data/events/login-logs/last", LastLoginLogs),
    ]
