"""/actions/user/*: following tasks and sequences, clearing the inbox and
one's avatar (behaviours.md rows 23-24). Bots are refused."""
from flask import Response

from app.api import List, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import notification_views, subscriptions, user_account

TASK_IDS = Schema(task_ids=List(Uuid(), required=True, nullable=False))


class MyTaskSubscribe(Resource):
    @endpoint("Follow a task you can see (201, the subscription)")
    def post(self, task_id):
        return subscriptions.subscribe_to_tasks(current_actor(), [task_id])[0], 201


class MyTaskUnsubscribe(Resource):
    @endpoint("Stop following a task")
    def delete(self, task_id):
        subscriptions.unsubscribe_from_tasks(current_actor(), [task_id])
        return Response(status=204)


class MyTasksSubscribe(Resource):
    @endpoint("Follow several tasks: all, or none if one is not yours to see",
              body=TASK_IDS)
    def post(self, body):
        return subscriptions.subscribe_to_tasks(current_actor(), body["task_ids"]), 201


class MyTasksUnsubscribe(Resource):
    @endpoint("Stop following several tasks (answers their ids)", body=TASK_IDS)
    def post(self, body):
        return subscriptions.unsubscribe_from_tasks(current_actor(), body["task_ids"])


class MySequenceSubscribe(Resource):
    @endpoint("Follow the sequence's tasks of a type: every shot of it (not for vendors)")
    def post(self, sequence_id, task_type_id):
        return subscriptions.subscribe_to_sequence(current_actor(), sequence_id,
                                                   task_type_id), 201


class MySequenceUnsubscribe(Resource):
    @endpoint("Stop following the sequence's tasks of a type")
    def delete(self, sequence_id, task_type_id):
        subscriptions.unsubscribe_from_sequence(current_actor(), sequence_id, task_type_id)
        return Response(status=204)


class MarkAllNotificationsRead(Resource):
    @endpoint("Mark all your notifications read")
    def post(self):
        return notification_views.mark_all_read(current_actor())


class ClearMyAvatar(Resource):
    @endpoint("Remove your avatar")
    def delete(self):
        user_account.clear_avatar(current_actor())
        return Response(status=204)


def routes():
    sequence = "/actions/user/sequences/<sequence_id>/task-types/<task_type_id>"
    return [
        ("/actions/user/tasks/<task_id>/subscribe", MyTaskSubscribe),
        ("/actions/user/tasks/<task_id>/unsubscribe", MyTaskUnsubscribe),
        ("/actions/user/tasks/subscribe", MyTasksSubscribe),
        ("/actions/user/tasks/unsubscribe", MyTasksUnsubscribe),
        (f"{sequence}/subscribe", MySequenceSubscribe),
        (f"{sequence}/unsubscribe", MySequenceUnsubscribe),
        ("/actions/user/notifications/mark-all-as-read", MarkAllNotificationsRead),
        ("/actions/user/clear-avatar", ClearMyAvatar),
    ]
