"""Read views of tasks (behaviours.md row 13): one task in full, a person's
to-do lists, the studio's open tasks, a production's task lists. The task
rows themselves are the generic `tasks` collection (crud.py)."""
from app.api import Date, Integer, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import task_views

PAGE = Schema(page=Integer(default=None, description="Page number; absent or -1: the whole "
                                                     "list."))
OPEN_FILTERS = dict(
    project_id=Uuid(), task_type_id=Uuid(description="Otherwise concept tasks are left out."),
    task_status_id=Uuid(), studio_id=Uuid(description="Tasks with an assignee of this studio."),
    department_id=Uuid(description="Tasks with an assignee of this department."),
    person_id=String(description="Assignee ids, comma-separated, or 'unassigned'."),
    start_date=Date(description="Starting on or after."),
    due_date=Date(description="Due on or before."),
    priority=Integer(description="The task type's priority."),
)


class TaskFull(Resource):
    @endpoint("A task with its entity, project, type, status and assignees")
    def get(self, task_id):
        return task_views.full_task(current_actor(), task_id)


class TaskPreviews(Resource):
    @endpoint("A task's previews, newest revision first")
    def get(self, task_id):
        return task_views.task_previews(current_actor(), task_id)


class OpenTasks(Resource):
    @endpoint("Tasks of the open productions, one page with stats",
              query=Schema(**OPEN_FILTERS, page=Integer(default=None),
                           limit=Integer(minimum=1, default=task_views.OPEN_TASKS_LIMIT)))
    def get(self, query):
        page, limit = query.pop("page"), query.pop("limit")
        return json_body_response(task_views.open_tasks(current_actor(), query, page, limit))


class OpenTasksStats(Resource):
    @endpoint("Task counts, time and estimation per open production, task type and status")
    def get(self):
        return task_views.open_tasks_stats(current_actor())


class OpenTasksBurndown(Resource):
    @endpoint("Burndown of the open tasks matching the filters",
              query=Schema(**OPEN_FILTERS))
    def get(self, query):
        return task_views.open_tasks_burndown(current_actor(), query)


class EntityTasksOfType(Resource):
    @endpoint("An entity's tasks of one task type")
    def get(self, entity_id, task_type_id):
        return task_views.entity_tasks_of_type(current_actor(), entity_id, task_type_id)


class PersonTasks(Resource):
    @endpoint("A person's tasks not done yet, in open productions")
    def get(self, person_id):
        return json_body_response(task_views.person_tasks(current_actor(), person_id))


class PersonDoneTasks(Resource):
    @endpoint("A person's done tasks in open productions, latest first")
    def get(self, person_id):
        return json_body_response(task_views.person_tasks(current_actor(), person_id,
                                                          done=True))


class PersonRelatedTasks(Resource):
    @endpoint("Tasks of a task type on the entities a person has a task on")
    def get(self, person_id, task_type_id):
        return json_body_response(task_views.related_tasks(current_actor(), person_id,
                                                           task_type_id))


class PersonsTaskDates(Resource):
    @endpoint("First start and last due date of each person's tasks (team schedule)",
              query=Schema(project_id=String(description="One production (empty: all).")))
    def get(self, query):
        return task_views.persons_task_dates(current_actor(), query.get("project_id"))


class ProjectTasks(Resource):
    @endpoint("A production's tasks, whole or one page",
              query=Schema(page=Integer(default=None), task_type_id=Uuid(), episode_id=Uuid()))
    def get(self, project_id, query):
        return json_body_response(task_views.project_tasks(current_actor(), project_id,
                                                           **query))


def _project_rows(name, summary):
    class ProjectRows(Resource):
        @endpoint(summary, query=PAGE)
        def get(self, project_id, query):
            return json_body_response(task_views.project_rows(
                current_actor(), project_id, name, query["page"]))

    ProjectRows.__name__ = f"Project{name.title().replace('-', '')}"
    return ProjectRows


def routes():
    return [
        ("/data/tasks/<task_id>/full", TaskFull),
        ("/data/tasks/<task_id>/previews", TaskPreviews),
        ("/data/tasks/open-tasks", OpenTasks),
        ("/data/tasks/open-tasks/stats", OpenTasksStats),
        ("/data/tasks/open-tasks/burndown", OpenTasksBurndown),
        ("/data/entities/<entity_id>/task-types/<task_type_id>/tasks", EntityTasksOfType),
        ("/data/persons/<person_id>/tasks", PersonTasks),
        ("/data/persons/<person_id>/done-tasks", PersonDoneTasks),
        ("/data/persons/<person_id>/related-tasks/<task_type_id>", PersonRelatedTasks),
        ("/data/persons/task-dates", PersonsTaskDates),
        ("/data/projects/<project_id>/tasks", ProjectTasks),
        ("/data/projects/<project_id>/notifications",
         _project_rows("notifications", "A production's notifications (admins)")),
        ("/data/projects/<project_id>/preview-files",
         _project_rows("preview-files", "A production's preview files (admins)")),
        ("/data/projects/<project_id>/subscriptions",
         _project_rows("subscriptions", "A production's subscriptions (admins)")),
    ]
