"""/data/user/*: the caller's own start-up context, saved filters, inbox,
subscriptions and DCC sign-ins (behaviours.md rows 23-24). Bots are
refused: these are a person's views."""
from flask import Response

from app.api import Boolean, DateTime, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import filters, notification_views, subscriptions, user_account, \
    user_context

FILTER = Schema(
    name=String(required=True, nullable=False, min_length=1, max_length=200),
    query=String(required=True, nullable=False, min_length=1, max_length=500,
                 description="The search typed in the list page."),
    list_type=String(default="todo", nullable=False, max_length=80,
                     description="The list page: asset, shot, todo, ..."),
    project_id=Uuid(description="None: a filter for every production."),
    entity_type=String(max_length=80),
    is_shared=Boolean(default=False, description=(
        "Show it to the project's team (kept only for the project's managers).")),
    search_filter_group_id=Uuid(),
    department_id=Uuid(description="Shared filters of a department show to its members."),
)
FILTER_CHANGE = Schema(
    name=String(min_length=1, max_length=200), search_query=String(max_length=500),
    search_filter_group_id=Uuid(description="null takes the filter out of its group."),
    is_shared=Boolean(), project_id=Uuid(), department_id=Uuid(),
)
GROUP = Schema(
    name=String(required=True, nullable=False, min_length=1, max_length=200),
    color=String(default="", max_length=8),
    list_type=String(default="todo", nullable=False, max_length=80),
    project_id=Uuid(), entity_type=String(max_length=80), is_shared=Boolean(default=False),
    department_id=Uuid(),
)
GROUP_CHANGE = Schema(
    name=String(min_length=1, max_length=200), color=String(max_length=8), is_shared=Boolean(),
    project_id=Uuid(), department_id=Uuid(),
)
INBOX = Schema(
    after=DateTime(description="Only those created after this time."),
    before=DateTime(description="Only those created before this time."),
    task_type_id=Uuid(), task_status_id=Uuid(description="The task's current status."),
    type=String(description="comment, mention, assignation, reply, reply-mention or "
                            "playlist-ready."),
    read=Boolean(), watching=Boolean(description="Whether you follow the task."),
)


class MyContext(Resource):
    @endpoint("Everything the web app loads at start-up, for the caller",
              description="Settings lists, persons, open productions, filters, unread "
                          "notification count, per-project roles; user_limit for admins.")
    def get(self):
        return json_body_response(user_context.context_json(current_actor()))


class MyFilters(Resource):
    @endpoint("Your saved filters and the shared ones of your productions, "
              "by list type then project id (\"all\" for none)")
    def get(self):
        return filters.listing(current_actor(), filters.FILTERS)

    @endpoint("Save a filter", body=FILTER)
    def post(self, body):
        return filters.create(current_actor(), filters.FILTERS, body), 201


class MyFilter(Resource):
    @endpoint("Change one of your filters (any, for admins)", body=FILTER_CHANGE)
    def put(self, filter_id, body):
        return filters.update_one(current_actor(), filters.FILTERS, filter_id, body)

    @endpoint("Delete one of your filters (any, for admins)")
    def delete(self, filter_id):
        filters.remove(current_actor(), filters.FILTERS, filter_id)
        return Response(status=204)


class MyFilterGroups(Resource):
    @endpoint("Your filter groups and the shared ones of your productions, "
              "by list type then project id")
    def get(self):
        return filters.listing(current_actor(), filters.GROUPS)

    @endpoint("Create a filter group", body=GROUP)
    def post(self, body):
        return filters.create(current_actor(), filters.GROUPS, body), 201


class MyFilterGroup(Resource):
    @endpoint("One of your filter groups, or a shared one you see")
    def get(self, filter_group_id):
        return filters.get_group(current_actor(), filter_group_id)

    @endpoint("Change one of your filter groups; its filters follow its sharing",
              body=GROUP_CHANGE)
    def put(self, filter_group_id, body):
        return filters.update_one(current_actor(), filters.GROUPS, filter_group_id, body)

    @endpoint("Delete one of your filter groups with the filters filed in it")
    def delete(self, filter_group_id):
        filters.remove(current_actor(), filters.GROUPS, filter_group_id)
        return Response(status=204)


class MyNotifications(Resource):
    @endpoint("Your latest 100 notifications, newest first", query=INBOX)
    def get(self, query):
        query["notification_type"] = query.pop("type", None)
        return notification_views.inbox(current_actor(), **query)


class MyNotification(Resource):
    @endpoint("One of your notifications")
    def get(self, notification_id):
        return notification_views.get_one(current_actor(), notification_id)

    @endpoint("Mark one of your notifications read or unread",
              body=Schema(read=Boolean(required=True, nullable=False)))
    def put(self, notification_id, body):
        return notification_views.set_read(current_actor(), notification_id, body["read"])


class MyTaskSubscribed(Resource):
    @endpoint("Whether you follow the task (true or false)")
    def get(self, task_id):
        return subscriptions.is_subscribed_to_task(current_actor(), task_id)


class MySequenceSubscribed(Resource):
    @endpoint("Whether you follow the sequence's tasks of this type (true or false)")
    def get(self, sequence_id, task_type_id):
        return subscriptions.is_subscribed_to_sequence(current_actor(), sequence_id,
                                                       task_type_id)


class MyEntitySubscribed(MySequenceSubscribed):
    """The older spelling of the same route (an endpoint needs its own class)."""


class MyDesktopLoginLogs(Resource):
    @endpoint("Your sign-ins from DCC plugins, newest first")
    def get(self):
        return user_account.desktop_login_logs(current_actor())

    @endpoint("Record a sign-in from a DCC plugin",
              body=Schema(date=DateTime(description="When; now if absent.")))
    def post(self, body):
        return user_account.add_desktop_login_log(current_actor(), body.get("date")), 201


def routes():
    return [
        ("/data/user/context", MyContext),
        ("/data/user/filters", MyFilters),
        ("/data/user/filters/<filter_id>", MyFilter),
        ("/data/user/filter-groups", MyFilterGroups),
        ("/data/user/filter-groups/<filter_group_id>", MyFilterGroup),
        ("/data/user/notifications", MyNotifications),
        ("/data/user/notifications/<notification_id>", MyNotification),
        ("/data/user/tasks/<task_id>/subscribed", MyTaskSubscribed),
        ("/data/user/sequences/<sequence_id>/task-types/<task_type_id>/subscribed",
         MySequenceSubscribed),
        ("/data/user/entities/<sequence_id>/task-types/<task_type_id>/subscribed",
         MyEntitySubscribed),
        ("/data/user/desktop-login-logs", MyDesktopLoginLogs),
    ]
