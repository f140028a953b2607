"""/data/.../working-files, output-files, file paths: the pipeline's files
(behaviours.md row 20). Rules in app/services/working_files.py,
output_files.py and file_trees.py."""
from flask import Response, request

from app.api import Integer, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.errors import NotFound
from app.services import file_trees, output_files, working_files


def _json(data):
    return Response(data, mimetype="application/json")


def _sep(body):
    # gazu sends "separator" to the path routes and "sep" to the others.
    return body.get("sep") or body.get("separator") or "/"


SEPARATORS = dict(sep=String(description="Path separator (default /)"),
                  separator=String(description="Same as sep"))
WORKING_FILE = dict(
    name=String(default="main", min_length=1, description="The file's name in its task"),
    mode=String(default="working", min_length=1, description="The file tree section"),
    software_id=Uuid(description="Defaults to Blender (new files) or 3ds Max (paths)"),
    comment=String(default=""),
    revision=Integer(default=0, minimum=0, description="0: the next one"),
    **SEPARATORS)
OUTPUT_PATH = dict(
    name=String(default="main", min_length=1), mode=String(default="output", min_length=1),
    output_type_id=Uuid(required=True), task_type_id=Uuid(required=True),
    revision=Integer(default=0, minimum=0, description="0: the next one"),
    representation=String(default="", max_length=20),
    nb_elements=Integer(default=1, minimum=1, description="Above 1: an image sequence"),
    **SEPARATORS)
NEW_OUTPUT = Schema(
    **OUTPUT_PATH, extension=String(default="", max_length=10), comment=String(default=""),
    person_id=Uuid(description="The author when not the caller (managers)"),
    working_file_id=Uuid(description="The working file it was made from"),
    file_status_id=Uuid(description="Defaults to \"To review\""))
NEXT_REVISION = Schema(name=String(default="main", min_length=1),
                       output_type_id=Uuid(required=True), task_type_id=Uuid(required=True))


def _path_values(body):
    return dict(output_type_id=body["output_type_id"], task_type_id=body["task_type_id"],
                name=body["name"], representation=body["representation"],
                revision=body["revision"], mode=body["mode"], sep=_sep(body),
                nb_elements=body["nb_elements"])


def _new_output(actor, target, body):
    return output_files.create(
        actor, target, **_path_values(body), extension=body["extension"],
        comment=body["comment"], person_id=body.get("person_id"),
        working_file_id=body.get("working_file_id"),
        file_status_id=body.get("file_status_id")), 201


# Working files -------------------------------------------------------------------

class TaskWorkingFiles(Resource):
    @endpoint("The task's working files, newest revision first (not vendors)")
    def get(self, task_id):
        return _json(working_files.for_task(current_actor(), task_id))


class LastWorkingFiles(Resource):
    @endpoint("The task's newest working file of each name: {name: working file}")
    def get(self, task_id):
        return working_files.last_revisions(current_actor(), task_id)


class NewWorkingFile(Resource):
    @endpoint("A new working file revision of the task, its path from the file tree "
              "(201); the caller is assigned to the task",
              body=Schema(**WORKING_FILE, description=String(default=""),
                          person_id=Uuid(description="The author when not the caller "
                                                     "(managers)")))
    def post(self, task_id, body):
        return working_files.create(
            current_actor(), task_id, name=body["name"], mode=body["mode"],
            comment=body["comment"], description=body["description"],
            person_id=body.get("person_id"), software_id=body.get("software_id"),
            revision=body["revision"], sep=_sep(body)), 201


class WorkingFilePath(Resource):
    @endpoint("Where a working file of the task goes: {path (its folder), name}",
              body=Schema(**WORKING_FILE))
    def post(self, task_id, body):
        return working_files.path(current_actor(), task_id, name=body["name"],
                                  mode=body["mode"], software_id=body.get("software_id"),
                                  revision=body["revision"], sep=_sep(body))


class EntityWorkingFiles(Resource):
    @endpoint("The entity's working files, newest revision first",
              query=Schema(task_id=Uuid(), name=String()))
    def get(self, entity_id, query):
        return _json(working_files.for_entity(current_actor(), entity_id,
                                              task_id=query.get("task_id"),
                                              name=query.get("name")))


class WorkingFileContent(Resource):
    @endpoint("The working file's stored binary")
    def get(self, working_file_id):
        return working_files.download(current_actor(), working_file_id)

    @endpoint("Store the working file's binary (multipart field `file`; 201, the working "
              "file)")
    def post(self, working_file_id):
        return working_files.upload(current_actor(), working_file_id,
                                    request.files.get("file")), 201


class FileById(Resource):
    @endpoint("A working file (with its outputs) or an output file, by id")
    def get(self, file_id):
        actor = current_actor()
        found = working_files.find(actor, file_id) or output_files.find(actor, file_id)
        if found is None:
            raise NotFound(f"No working or output file has the id {file_id}.")
        return found


# Output files --------------------------------------------------------------------

def _entity(entity_id, lists=True):
    return output_files.entity_target(current_actor(), entity_id, lists)


def _instance(asset_instance_id, temporal_entity_id=None, lists=True):
    return output_files.instance_target(current_actor(), asset_instance_id,
                                        temporal_entity_id, lists)


class EntityOutputFiles(Resource):
    @endpoint("The entity's output files, newest revision first; output_type_id, "
              "task_type_id, representation, file_status_id and name filter them")
    def get(self, entity_id):
        return _json(output_files.for_target(current_actor(), _entity(entity_id), request.args))


class InstanceOutputFiles(Resource):
    @endpoint("The asset instance's output files (temporal_entity_id and the entity "
              "filters narrow them)")
    def get(self, asset_instance_id):
        return _json(output_files.for_target(current_actor(), _instance(asset_instance_id),
                                             request.args))


class LastEntityOutputFiles(Resource):
    @endpoint("The entity's newest output file of each series (same filters)")
    def get(self, entity_id):
        return _json(output_files.last_revisions(current_actor(), _entity(entity_id),
                                                 request.args))


class LastInstanceOutputFiles(Resource):
    @endpoint("The asset instance's newest output file of each series in the entity")
    def get(self, asset_instance_id, temporal_entity_id):
        return _json(output_files.last_revisions(
            current_actor(), _instance(asset_instance_id, temporal_entity_id), request.args))


class EntityOutputTypes(Resource):
    @endpoint("The output types the entity has published")
    def get(self, entity_id):
        return _json(output_files.output_types(current_actor(), _entity(entity_id)))


class InstanceOutputTypes(Resource):
    @endpoint("The output types the asset instance has published in the entity")
    def get(self, asset_instance_id, temporal_entity_id):
        return _json(output_files.output_types(
            current_actor(), _instance(asset_instance_id, temporal_entity_id)))


class EntityOutputTypeFiles(Resource):
    @endpoint("The entity's output files of one output type",
              query=Schema(representation=String()))
    def get(self, entity_id, output_type_id, query):
        return _json(output_files.for_output_type(current_actor(), _entity(entity_id),
                                                  output_type_id, query.get("representation")))


class InstanceOutputTypeFiles(Resource):
    @endpoint("The asset instance's output files of one output type in the entity",
              query=Schema(representation=String()))
    def get(self, asset_instance_id, temporal_entity_id, output_type_id, query):
        return _json(output_files.for_output_type(
            current_actor(), _instance(asset_instance_id, temporal_entity_id),
            output_type_id, query.get("representation")))


class ProjectOutputFiles(Resource):
    @endpoint("The production's entity output files, newest first (managers; same filters)")
    def get(self, project_id):
        return _json(output_files.for_project(current_actor(), project_id, request.args))


class NewEntityOutputFile(Resource):
    @endpoint("Publish an output file of the entity, its path from the file tree (201, "
              "with folder_path and file_name)", body=NEW_OUTPUT)
    def post(self, entity_id, body):
        return _new_output(current_actor(), _entity(entity_id, lists=False), body)


class NewInstanceOutputFile(Resource):
    @endpoint("Publish an output file of the asset instance in the entity (201)",
              body=NEW_OUTPUT)
    def post(self, asset_instance_id, temporal_entity_id, body):
        return _new_output(current_actor(),
                           _instance(asset_instance_id, temporal_entity_id, lists=False), body)


class EntityNextRevision(Resource):
    @endpoint("The next revision of an output series of the entity: {next_revision}",
              body=NEXT_REVISION)
    def post(self, entity_id, body):
        return output_files.next_revision_answer(current_actor(), _entity(entity_id, False),
                                                 **body)


class InstanceNextRevision(Resource):
    @endpoint("The next revision of an output series of the asset instance in the entity",
              body=NEXT_REVISION)
    def post(self, asset_instance_id, temporal_entity_id, body):
        return output_files.next_revision_answer(
            current_actor(), _instance(asset_instance_id, temporal_entity_id, False), **body)


class EntityOutputFilePath(Resource):
    @endpoint("Where an output file of the entity goes: {folder_path, file_name}",
              body=Schema(**OUTPUT_PATH))
    def post(self, entity_id, body):
        return output_files.path(current_actor(), _entity(entity_id, False),
                                 **_path_values(body))


class InstanceOutputFilePath(Resource):
    @endpoint("Where an output file of the asset instance in the entity goes",
              body=Schema(**OUTPUT_PATH))
    def post(self, asset_instance_id, temporal_entity_id, body):
        return output_files.path(
            current_actor(), _instance(asset_instance_id, temporal_entity_id, False),
            **_path_values(body))


class GuessFromPath(Resource):
    @endpoint("The templates of the project's file tree a path fits, with the ids its "
              "folders name: [{Template, Project, Sequence, Shot, TaskType...}]",
              body=Schema(project_id=Uuid(required=True),
                          file_path=String(required=True, min_length=1),
                          sep=String(default="/", min_length=1)))
    def post(self, body):
        return file_trees.guess(current_actor(), body["project_id"], body["file_path"],
                                body["sep"])


class GuessFromPathUnderscored(GuessFromPath):
    """The same route under the spelling gazu uses."""


_INSTANCE = "/data/asset-instances/<asset_instance_id>/entities/<temporal_entity_id>"


def routes():
    return [
        ("/data/tasks/<task_id>/working-files", TaskWorkingFiles),
        ("/data/tasks/<task_id>/working-files/last-revisions", LastWorkingFiles),
        ("/data/tasks/<task_id>/working-files/new", NewWorkingFile),
        ("/data/tasks/<task_id>/working-file-path", WorkingFilePath),
        ("/data/entities/<entity_id>/working-files", EntityWorkingFiles),
        ("/data/working-files/<working_file_id>/file", WorkingFileContent),
        ("/data/files/<file_id>", FileById),
        ("/data/entities/<entity_id>/output-files", EntityOutputFiles),
        ("/data/entities/<entity_id>/output-files/last-revisions", LastEntityOutputFiles),
        ("/data/entities/<entity_id>/output-files/new", NewEntityOutputFile),
        ("/data/entities/<entity_id>/output-files/next-revision", EntityNextRevision),
        ("/data/entities/<entity_id>/output-file-path", EntityOutputFilePath),
        ("/data/entities/<entity_id>/output-types", EntityOutputTypes),
        ("/data/entities/<entity_id>/output-types/<output_type_id>/output-files",
         EntityOutputTypeFiles),
        ("/data/asset-instances/<asset_instance_id>/output-files", InstanceOutputFiles),
        (f"{_INSTANCE}/output-files/last-revisions", LastInstanceOutputFiles),
        (f"{_INSTANCE}/output-files/new", NewInstanceOutputFile),
        (f"{_INSTANCE}/output-files/next-revision", InstanceNextRevision),
        (f"{_INSTANCE}/output-file-path", InstanceOutputFilePath),
        (f"{_INSTANCE}/output-types", InstanceOutputTypes),
        (f"{_INSTANCE}/output-types/<output_type_id>/output-files", InstanceOutputTypeFiles),
        ("/data/projects/<project_id>/output-files", ProjectOutputFiles),
        ("/data/entities/guess-from-path", GuessFromPath),
        ("/data/entities/guess_from_path", GuessFromPathUnderscored),
    ]
