"""/actions/tasks/<id>/time-spents: log, add to, delete and read the time
spent on a task (behaviours.md row 16)."""
from app.api import Number, Resource, Schema, endpoint
from app.auth import current_actor
from app.services import timesheets

DURATION = Schema(duration=Number(required=True, nullable=False,
                                  description="Minutes, greater than 0."))


class TaskTimeSpents(Resource):
    @endpoint("The time logged on the task: {person_id: [time spents], total}")
    def get(self, task_id):
        return timesheets.task_time_spents(current_actor(), task_id)


class TaskDateTimeSpents(Resource):
    @endpoint("The time logged on the task that day: {person_id: [time spents], total}")
    def get(self, task_id, date):
        return timesheets.task_time_spents(current_actor(), task_id, date)


class PersonTaskTimeSpent(Resource):
    @endpoint("Set an assignee's time on the task that day (the assignee, an admin or "
              "a production manager)", body=DURATION)
    def post(self, task_id, date, person_id, body):
        return timesheets.log_time(current_actor(), task_id, date, person_id,
                                   body["duration"]), 201

    @endpoint("Delete an assignee's time on the task that day (the deleted row, 201 as Zou)")
    def delete(self, task_id, date, person_id):
        return timesheets.remove_time(current_actor(), task_id, date, person_id), 201


class AddPersonTaskTimeSpent(Resource):
    @endpoint("Add to an assignee's time on the task that day", body=DURATION)
    def post(self, task_id, date, person_id, body):
        return timesheets.log_time(current_actor(), task_id, date, person_id,
                                   body["duration"], add=True), 201


def routes():
    base = "/actions/tasks/<task_id>/time-spents"
    return [
        (base, TaskTimeSpents),
        (f"{base}/<date>", TaskDateTimeSpents),
        (f"{base}/<date>/persons/<person_id>", PersonTaskTimeSpent),
        (f"{base}/<date>/persons/<person_id>/add", AddPersonTaskTimeSpent),
    ]
