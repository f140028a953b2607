"""/data/user/...: the caller's own task views (behaviours.md row 23): the
to-do list, done tasks, the feedback requests to check, and the
productions, entities, tasks and task types of what is assigned to them.
Bots are refused (403): these are views of a person's work."""
from app.api import Date, Integer, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import task_views

TO_CHECK = Schema(
    project_id=Uuid(), task_type_id=Uuid(), task_status_id=Uuid(), episode_id=Uuid(),
    person_id=String(description="Assignee ids, comma-separated, or 'unassigned'."),
    due_date_since=Date(), due_date_until=Date(),
    order_by=String(description="priority, due_date, estimation or entity_name; "
                                "otherwise by production, episode, sequence and names."),
    page=Integer(default=None, description="Page number; absent: the whole list."),
    limit=Integer(default=100, minimum=1),
)


class UserTodos(Resource):
    @endpoint("The caller's tasks not done yet, in their open productions")
    def get(self):
        return json_body_response(task_views.user_tasks(current_actor()))


class UserDoneTasks(Resource):
    @endpoint("The caller's done tasks in their open productions, latest first")
    def get(self):
        return json_body_response(task_views.user_tasks(current_actor(), done=True))


class UserToCheck(Resource):
    @endpoint("Feedback requests the caller checks (managers: their productions, "
              "supervisors: their departments)", query=TO_CHECK)
    def get(self, query):
        order_by, page, limit = query.pop("order_by", None), query.pop("page"), \
            query.pop("limit")
        return json_body_response(task_views.tasks_to_check(current_actor(), query,
                                                            order_by, page, limit))


class UserToCheckFilterValues(Resource):
    @endpoint("The ids found among the tasks to check, for the filter menus")
    def get(self):
        return task_views.tasks_to_check_filter_values(current_actor())


class UserOpenProjects(Resource):
    @endpoint("The caller's open productions", query=Schema(name=String()))
    def get(self, query):
        return task_views.my_open_projects(current_actor(), query.get("name"))


def _project_list(function, name):
    class ProjectList(Resource):
        @endpoint(f"The production's {name} holding a task of the caller's")
        def get(self, project_id):
            return json_body_response(function(current_actor(), project_id))

    ProjectList.__name__ = f"My{name.title().replace(' ', '')}"
    return ProjectList


class MyAssetTypes(Resource):
    @endpoint("The production's asset types of assets the caller has a task on")
    def get(self, project_id):
        return task_views.my_asset_types(current_actor(), project_id)


class MyAssets(Resource):
    @endpoint("The production's assets of this type the caller has a task on")
    def get(self, project_id, asset_type_id):
        return json_body_response(task_views.my_assets(current_actor(), project_id,
                                                       asset_type_id))


def _children(kind):
    class Children(Resource):
        @endpoint(f"The sequence's {kind.lower()}s the caller has a task on")
        def get(self, sequence_id):
            return json_body_response(task_views.my_children(current_actor(), sequence_id,
                                                             "Sequence", kind))

    Children.__name__ = f"MySequence{kind}s"
    return Children


def _entity_views(kind, key):
    class Tasks(Resource):
        @endpoint(f"The caller's tasks on the {kind.lower()}")
        def get(self, **ids):
            return json_body_response(task_views.my_entity_tasks(current_actor(), ids[key],
                                                                 kind))

    class TaskTypes(Resource):
        @endpoint(f"The task types of the caller's tasks on the {kind.lower()}")
        def get(self, **ids):
            return json_body_response(task_views.my_entity_task_types(current_actor(),
                                                                      ids[key], kind))

    Tasks.__name__, TaskTypes.__name__ = f"My{kind}Tasks", f"My{kind}TaskTypes"
    return [(f"/data/user/{kind.lower()}s/<{key}>/tasks", Tasks),
            (f"/data/user/{kind.lower()}s/<{key}>/task-types", TaskTypes)]


def routes():
    out = [
        ("/data/user/tasks", UserTodos),
        ("/data/user/done-tasks", UserDoneTasks),
        ("/data/user/tasks-to-check", UserToCheck),
        ("/data/user/tasks-to-check/filter-values", UserToCheckFilterValues),
        ("/data/user/projects/open", UserOpenProjects),
        ("/data/user/projects/<project_id>/asset-types", MyAssetTypes),
        ("/data/user/projects/<project_id>/asset-types/<asset_type_id>/assets", MyAssets),
        ("/data/user/projects/<project_id>/episodes",
         _project_list(task_views.my_episodes, "episodes")),
        ("/data/user/projects/<project_id>/sequences",
         _project_list(task_views.my_sequences, "sequences")),
        ("/data/user/sequences/<sequence_id>/shots", _children("Shot")),
        ("/data/user/sequences/<sequence_id>/scenes", _children("Scene")),
    ]
    for kind in ("Asset", "Shot", "Scene", "Sequence"):
        out += _entity_views(kind, f"{kind.lower()}_id")
    return out
