"""A production's schedule: its items (created on first read), milestones,
and the task plans of its schedule versions (behaviours.md row 28)."""
from app.api import Boolean, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.services import schedule

GROUP_QUERY = Schema(episode_id=Uuid(description="Only the groups of this episode."))
TASK_LINKS_QUERY = Schema(
    task_type_id=Uuid(description="Only the tasks of this task type."),
    relations=Boolean(default=False, description="Add the planned assignees' ids."),
)


class ProjectScheduleItems(Resource):
    @endpoint("List a production's schedule items")
    def get(self, project_id):
        return schedule.schedule_items(current_actor(), project_id)


class ProjectTaskTypeScheduleItems(Resource):
    @endpoint("List a production's task type schedule items",
              description="Creates the missing ones (today to tomorrow).")
    def get(self, project_id):
        return schedule.task_type_items(current_actor(), project_id)


def _group_resource(group):
    class GroupScheduleItems(Resource):
        @endpoint(f"List the {group} schedule items of a task type", query=GROUP_QUERY,
                  description="Creates the missing ones (today to tomorrow); each has the "
                              "group's name.")
        def get(self, project_id, task_type_id, query):
            return schedule.group_items(current_actor(), project_id, task_type_id, group,
                                        query.get("episode_id"))

    GroupScheduleItems.__name__ = "".join(w.title() for w in group.split("-")) + "ScheduleItems"
    return GroupScheduleItems


class ProjectMilestones(Resource):
    @endpoint("List a production's milestones")
    def get(self, project_id):
        return schedule.milestones(current_actor(), project_id)


class ScheduleVersionTaskLinks(Resource):
    @endpoint("List the task plans of a production schedule version", query=TASK_LINKS_QUERY)
    def get(self, production_schedule_version_id, query):
        return schedule.task_links(current_actor(), production_schedule_version_id,
                                   query.get("task_type_id"), query["relations"])


def routes():
    items = "/data/projects/<project_id>/schedule-items"
    return [
        (items, ProjectScheduleItems),
        (f"{items}/task-types", ProjectTaskTypeScheduleItems),
        *[(f"{items}/<task_type_id>/{group}", _group_resource(group))
          for group in schedule.GROUPS],
        ("/data/projects/<project_id>/milestones", ProjectMilestones),
        ("/data/production-schedule-versions/<production_schedule_version_id>/task-links",
         ScheduleVersionTaskLinks),
    ]
