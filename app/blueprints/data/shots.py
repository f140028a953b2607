"""Shots, sequences, episodes and scenes (behaviours.md row 9)."""
from flask import Response

from app.api import Boolean, Dict, Integer, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.models.entity import ENTITY_STATUSES
from app.services import shots

FORCE = Schema(force=Boolean(default=False, description="Delete even with tasks "
                                                        "(otherwise they are only canceled)."))
WITH_TASKS = Schema(project_id=Uuid(), episode_id=String(
    description="An episode id, 'all', or 'main' (no episode)."))
LIST = Schema(project_id=Uuid(), parent_id=Uuid(), name=String(),
              sequence_id=Uuid(description="Only the shots of this sequence."),
              episode_id=Uuid(description="Only the sequences of this episode."))
NEW = {
    "Shot": Schema(name=String(required=True, min_length=1), sequence_id=Uuid(), data=Dict(),
                   nb_frames=Integer(), description=String()),
    "Sequence": Schema(name=String(required=True, min_length=1), episode_id=Uuid(),
                       data=Dict(), description=String()),
    "Episode": Schema(name=String(required=True, min_length=1), data=Dict(),
                      description=String(), status=String(choices=ENTITY_STATUSES)),
    "Scene": Schema(name=String(required=True, min_length=1), sequence_id=Uuid()),
}
# The body keys that may name the parent of a new entity of each kind
# (gazu sends an edit's episode as parent_id, the Kitsu app as episode_id).
PARENT_KEYS = {"Shot": ("sequence_id",), "Sequence": ("episode_id",),
               "Scene": ("sequence_id",), "Episode": (), "Edit": ("episode_id", "parent_id")}




def plural(kind):
    return f"{kind.lower()}s"


def list_resource(kind, suffix=""):
    """GET /data/<kind>s and /data/<kind>s/all: the entities of this kind
    the caller may see, narrowed by the query."""
    class List(Resource):
        @endpoint(f"List {plural(kind)}", query=LIST)
        def get(self, query):
            if kind == "Shot":
                query.pop("episode_id", None)
            return json_body_response(shots.list_json(current_actor(), kind, *shots.query_criteria(query),
                                        project_id=query.get("project_id")))

    List.__name__ = f"{kind}s{suffix}"
    return List


def with_tasks_resource(kind):
    class WithTasks(Resource):
        @endpoint(f"List {plural(kind)} with their tasks", query=WITH_TASKS)
        def get(self, query):
            return json_body_response(shots.with_tasks(current_actor(), kind, query.get("project_id"),
                                         query.get("episode_id")))

    WithTasks.__name__ = f"{kind}sWithTasks"
    return WithTasks


def instance_resource(kind):
    class Instance(Resource):
        @endpoint(f"Get a {kind.lower()}", description="With its project's and parents' names.")
        def get(self, instance_id):
            return shots.get_one(current_actor(), kind, instance_id)

        @endpoint(f"Delete a {kind.lower()}", query=FORCE,
                  description="Its creator or a project manager; one with tasks is only "
                              "canceled unless forced.")
        def delete(self, instance_id, query):
            shots.delete(current_actor(), kind, instance_id, query["force"])
            return Response(status=204)

    Instance.__name__ = kind
    return Instance


class Shot(instance_resource("Shot")):
    @endpoint("Update a shot", body=shots.update_schema(),
              description="Project managers. The columns given replace the stored ones, "
                          "`data` included (PUT /data/entities/<id> merges `data`).")
    def put(self, instance_id, body):
        return shots.update(current_actor(), "Shot", instance_id, body)


def project_resource(kind, body):
    """GET, POST /data/projects/<id>/<kind>s, `body` the creation schema."""
    class ProjectKind(Resource):
        @endpoint(f"List a production's {plural(kind)}")
        def get(self, project_id):
            return json_body_response(shots.list_json(current_actor(), kind, project_id=project_id))

        @endpoint(f"Create a {kind.lower()}", body=body,
                  description="Project managers. Idempotent: an existing one with the same "
                              "name and parent is answered unchanged.")
        def post(self, project_id, body):
            parents = [body.pop(key, None) for key in PARENT_KEYS[kind]]
            return shots.create(current_actor(), kind, project_id, body.pop("name"),
                                next(filter(None, parents), None), **body), 201

    ProjectKind.__name__ = f"Project{kind}s"
    return ProjectKind


def read_resource(name, summary, read, description=""):
    """GET of something about one entity: `read(actor, instance_id)` gives
    JSON bytes (rendered by PostgreSQL) or Python values."""
    class Read(Resource):
        @endpoint(summary, description=description)
        def get(self, instance_id):
            result = read(current_actor(), instance_id)
            return json_body_response(result) if isinstance(result, bytes) else result

    Read.__name__ = name
    return Read


def children_resource(parent_kind, kind):
    return read_resource(
        f"{parent_kind}{kind}s", f"List the {plural(kind)} of a {parent_kind.lower()}",
        lambda actor, parent_id: shots.list_children(actor, parent_kind, parent_id, kind))


def versions_resource(kind):
    return read_resource(
        f"{kind}Versions", f"List the versions of a {kind.lower()}",
        lambda actor, entity_id: shots.versions(actor, kind, entity_id),
        "Snapshots taken when its name or frame in changed, newest first.")


def task_types_resource(kind):
    return read_resource(
        f"{kind}TaskTypes", f"List the task types of a {kind.lower()}'s tasks",
        lambda actor, entity_id: shots.task_types(actor, kind, entity_id),
        "For sequences and episodes, those of their shots' tasks.")


def previews_resource(kind):
    return read_resource(
        f"{kind}Previews", f"List the previews of a {kind.lower()}, per task type",
        lambda actor, entity_id: shots.previews_by_task_type(actor, kind, entity_id),
        "Newest revision first; the files of one revision are nested in its first one's "
        "`previews`.")


RELATIONS = Schema(relations=Boolean(default=False, description="Add the assignees' ids."))


def tasks_resource(parent_kind, kind=None):
    """The tasks of an entity, or (kind given) of the entities of that
    kind under it."""
    what = f"{kind.lower()} tasks" if kind else "tasks"

    class Tasks(Resource):
        @endpoint(f"List the {what} of a {parent_kind.lower()}", query=RELATIONS)
        def get(self, instance_id, query):
            return json_body_response(shots.tasks(current_actor(), parent_kind, instance_id, kind,
                                    query["relations"]))

    Tasks.__name__ = f"{parent_kind}{kind or ''}Tasks"
    return Tasks


class EpisodeStats(Resource):
    @endpoint("Count a production's shot tasks per episode, task type and status",
              description="With frame and drawing sums, and the 'all' totals. Clients are "
                          "refused when the production hides its statistics from them.")
    def get(self, project_id):
        return shots.episode_stats(current_actor(), project_id)


QUOTAS = Schema(count_mode=String(default="weighted", choices=shots.QUOTA_MODES,
                                  description="weighted[done]: spread over the days worked; "
                                              "feedback/done: on the day it was finished."),
                studio_id=Uuid(description="Only tasks with an assignee of this studio."))


class EpisodeRetakeStats(Resource):
    @endpoint("Count a production's shot tasks done, in retake or other, per episode",
              description="With the highest retake count and, per take, how the tasks "
                          "stood. Not for clients.")
    def get(self, project_id):
        return shots.retake_stats(current_actor(), project_id)


class TaskTypeQuotas(Resource):
    @endpoint("Quotas of a task type's shot tasks, per person", query=QUOTAS,
              description="Frames, seconds, drawings and shots per day, week, month and "
                          "year. Not for clients.")
    def get(self, project_id, task_type_id, query):
        return shots.quotas(current_actor(), project_id, task_type_id=task_type_id,
                            mode=query["count_mode"], studio_id=query.get("studio_id"))


class PersonQuotas(Resource):
    @endpoint("Quotas of a person's shot tasks, per task type", query=QUOTAS,
              description="Managers and supervisors, or the person themselves.")
    def get(self, project_id, person_id, query):
        return shots.quotas(current_actor(), project_id, person_id=person_id,
                            mode=query["count_mode"], studio_id=query.get("studio_id"))


class SceneShots(Resource):
    @endpoint("List the shots of a scene")
    def get(self, scene_id):
        return json_body_response(shots.scene_shots(current_actor(), scene_id))

    @endpoint("Add a shot to a scene", body=Schema(shot_id=Uuid(required=True)),
              description="Project managers. Sets the shot's source_id.")
    def post(self, scene_id, body):
        return shots.add_shot_to_scene(current_actor(), scene_id, body["shot_id"]), 201


class SceneShot(Resource):
    @endpoint("Remove a shot from a scene", description="Project managers.")
    def delete(self, scene_id, shot_id):
        shots.remove_shot_from_scene(current_actor(), scene_id, shot_id)
        return Response(status=204)


def routes():
    project = "/data/projects/<project_id>"
    return [
        ("/data/shots", list_resource("Shot")),
        ("/data/shots/all", list_resource("Shot", "All")),
        ("/data/shots/with-tasks", with_tasks_resource("Shot")),
        ("/data/shots/<instance_id>", Shot),
        ("/data/shots/<instance_id>/versions", versions_resource("Shot")),
        ("/data/shots/<instance_id>/assets",
         read_resource("ShotAssets", "List the assets cast in a shot", shots.shot_assets)),
        ("/data/shots/<instance_id>/preview-files", previews_resource("Shot")),
        *[(f"/data/{plural(kind)}/<instance_id>/tasks", tasks_resource(kind))
          for kind in ("Shot", "Sequence", "Episode", "Scene")],
        *[(f"/data/{plural(kind)}/<instance_id>/task-types", task_types_resource(kind))
          for kind in ("Shot", "Sequence", "Episode", "Scene")],
        ("/data/sequences/<instance_id>/shot-tasks", tasks_resource("Sequence", "Shot")),
        ("/data/episodes/<instance_id>/shot-tasks", tasks_resource("Episode", "Shot")),
        ("/data/episodes/<instance_id>/asset-tasks", tasks_resource("Episode", "Asset")),
        ("/data/sequences", list_resource("Sequence")),
        ("/data/sequences/with-tasks", with_tasks_resource("Sequence")),
        ("/data/sequences/<instance_id>", instance_resource("Sequence")),
        ("/data/sequences/<instance_id>/shots", children_resource("Sequence", "Shot")),
        ("/data/sequences/<instance_id>/scenes", children_resource("Sequence", "Scene")),
        ("/data/episodes", list_resource("Episode")),
        ("/data/episodes/with-tasks", with_tasks_resource("Episode")),
        ("/data/episodes/<instance_id>", instance_resource("Episode")),
        ("/data/episodes/<instance_id>/sequences", children_resource("Episode", "Sequence")),
        ("/data/episodes/<instance_id>/shots", children_resource("Episode", "Shot")),
        ("/data/scenes/all", list_resource("Scene", "All")),
        ("/data/scenes/with-tasks", with_tasks_resource("Scene")),
        ("/data/scenes/<instance_id>", instance_resource("Scene")),
        ("/data/scenes/<scene_id>/shots", SceneShots),
        ("/data/scenes/<scene_id>/shots/<shot_id>", SceneShot),
        (f"{project}/episodes/stats", EpisodeStats),
        (f"{project}/episodes/retake-stats", EpisodeRetakeStats),
        (f"{project}/quotas/<task_type_id>", TaskTypeQuotas),
        (f"{project}/quotas/persons/<person_id>", PersonQuotas),
        *[(f"{project}/{plural(kind)}", project_resource(kind, body))
          for kind, body in NEW.items()],
    ]
