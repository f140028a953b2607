"""Production schedule versions: fill one from the production or from
another version, and apply it to the production (behaviours.md row 28)."""
from app.api import Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import schedule

COPY_BODY = Schema(production_schedule_version_id=Uuid(
    required=True, nullable=False, description="The version to copy the task plans from."))


class SetTaskLinksFromProduction(Resource):
    @endpoint("Plan every task of the production in a schedule version")
    def post(self, production_schedule_version_id):
        return schedule.copy_from_production(current_actor(), production_schedule_version_id)


class SetTaskLinksFromVersion(Resource):
    @endpoint("Copy the task plans of another schedule version", body=COPY_BODY)
    def post(self, production_schedule_version_id, body):
        return schedule.copy_from_version(current_actor(), production_schedule_version_id,
                                          body["production_schedule_version_id"])


class ApplyToProduction(Resource):
    @endpoint("Apply a schedule version to the production's tasks",
              description="Writes dates, estimates and assignees to the tasks, emits "
                          "task:update for each and locks the version.")
    def post(self, production_schedule_version_id):
        return schedule.apply_to_production(current_actor(), production_schedule_version_id)


def routes():
    base = "/actions/production-schedule-versions/<production_schedule_version_id>"
    return [
        (f"{base}/set-task-links-from-production", SetTaskLinksFromProduction),
        (f"{base}/set-task-links-from-production-schedule-version", SetTaskLinksFromVersion),
        (f"{base}/apply-to-production", ApplyToProduction),
    ]
