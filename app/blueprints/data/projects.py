"""/data/projects/...: open and all productions, their team, settings,
task types and software, and metadata descriptors (behaviours.md rows 5
and 7). The plain /data/projects collection is in crud.py."""
from flask import Response

from app.api import Boolean, Dict, Integer, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.models.settings import METADATA_DATA_TYPES
from app.services import descriptors, projects, settings

NAME_QUERY = Schema(name=String(description="Only the project of this name."))
ROLE = String(description="user, supervisor, manager, client or vendor; null keeps the "
                          "person's global role.")
BITRATE = Integer(minimum=1, description="Mbit/s; null inherits the project's.")
DESCRIPTOR_FIELDS = dict(
    name=String(min_length=1, max_length=120),
    data_type=String(description=f"One of {', '.join(METADATA_DATA_TYPES)}."),
    choices=List(String()),
    for_client=Boolean(description="Clients see only the descriptors marked for them."),
    departments=List(Uuid(), description="Their supervisors edit it; vendors of other "
                                         "departments do not see it."),
)
DESCRIPTOR = Schema(**{**DESCRIPTOR_FIELDS, "name": String(required=True, min_length=1,
                                                           max_length=120)},
                    entity_type=String(default="Asset",
                                       description="Asset, Shot, Edit, Episode, Sequence, "
                                                   "Project or Task."),
                    task_type_id=Uuid(description="Required for Task descriptors only."))
ALL_PROJECTS_DESCRIPTOR = Schema(**{k: v for k, v in DESCRIPTOR.fields.items()
                                    if k != "task_type_id"})
TASK_TYPE_ENTRY = Schema(task_type_id=Uuid(required=True), priority=Integer(),
                         is_client_visible=Boolean())


class OpenProjects(Resource):
    @endpoint("Open projects (the caller's team ones unless admin), with their descriptors, "
              "task type and status links and first episode", query=NAME_QUERY)
    def get(self, query):
        return projects.open_projects(current_actor(), query.get("name"))


class AllProjects(Resource):
    @endpoint("Every project for admins, open team ones for the others", query=NAME_QUERY)
    def get(self, query):
        return projects.all_projects(current_actor(), query.get("name"))


class ProjectTeam(Resource):
    @endpoint("The project's team, each with their per-project role")
    def get(self, project_id):
        return projects.team(current_actor(), project_id)

    @endpoint("Add a person to the team (managers)",
              body=Schema(person_id=Uuid(required=True), role=ROLE))
    def post(self, project_id, body):
        return projects.add_member(current_actor(), project_id, body["person_id"],
                                   body.get("role")), 201


class ProjectTeamMember(Resource):
    @endpoint("Set a member's role on this project only (managers)",
              body=Schema(role=ROLE))
    def put(self, project_id, person_id, body):
        return projects.set_member_role(current_actor(), project_id, person_id,
                                        body.get("role"))

    @endpoint("Remove a person from the team (managers)")
    def delete(self, project_id, person_id):
        projects.remove_member(current_actor(), project_id, person_id)
        return Response(status=204)


def _camel(kind):
    return "".join(part.title() for part in kind.split("-"))


def _setting_list(kind, key, label, listing):
    """POST of one kind of setting, and GET as `listing` says: "team" (any
    member), "managers", or None (no GET)."""

    class SettingList(Resource):
        @endpoint(f"Add a {label} to the project (managers)",
                  body=Schema(**{key: Uuid(required=True)}))
        def post(self, project_id, body):
            return settings.add(current_actor(), project_id, kind, body[key]), 201

        if listing is not None:
            @endpoint(f"The project's {label}s")
            def get(self, project_id):
                return settings.linked(current_actor(), project_id, kind,
                                       manage=listing == "managers")

    SettingList.__name__ = f"ProjectSettings{_camel(kind)}"
    return SettingList


def _setting_remove(kind, key, label):
    class SettingRemove(Resource):
        @endpoint(f"Remove a {label} from the project (managers)")
        def delete(self, project_id, **ids):
            settings.remove(current_actor(), project_id, kind, ids[key])
            return Response(status=204)

    SettingRemove.__name__ = f"ProjectSetting{_camel(kind)}Remove"
    return SettingRemove


class ProjectSettingsTaskTypes(Resource):
    @endpoint("Add a task type to the project, or change its priority, bitrates or client "
              "visibility (managers)", body=Schema(
                  task_type_id=Uuid(required=True), priority=Integer(),
                  hd_bitrate_compression=BITRATE, ld_bitrate_compression=BITRATE,
                  is_client_visible=Boolean()))
    def post(self, project_id, body):
        task_type_id = body.pop("task_type_id")
        return settings.add_task_type(current_actor(), project_id, task_type_id, body), 201


class ProjectSettingsTaskStatus(Resource):
    @endpoint("The project's task statuses")
    def get(self, project_id):
        return settings.linked(current_actor(), project_id, "task-status")

    @endpoint("Add a task status to the project (managers)",
              body=Schema(task_status_id=Uuid(required=True)))
    def post(self, project_id, body):
        return settings.add(current_actor(), project_id, "task-status",
                            body["task_status_id"]), 201


class ProjectSettingTaskStatus(Resource):
    @endpoint("Whether the project's clients may set this status; null falls back to the "
              "status's own flag (managers)",
              body=Schema(is_client_allowed=Boolean(required=True)))
    def put(self, project_id, task_status_id, body):
        return settings.set_client_allowed(current_actor(), project_id, task_status_id,
                                           body["is_client_allowed"])

    @endpoint("Remove a task status from the project (managers)")
    def delete(self, project_id, task_status_id):
        settings.remove(current_actor(), project_id, "task-status", task_status_id)
        return Response(status=204)


class ProjectSettingsBatch(Resource):
    @endpoint("Add several task types, statuses and asset types at once (managers)",
              body=Schema(
                  task_types=List(Dict(), default=[],
                                  description="{task_type_id, priority, is_client_visible}"),
                  task_status_ids=List(Uuid(), default=[]),
                  asset_type_ids=List(Uuid(), default=[]),
                  replace_task_types=Boolean(default=False, description=(
                      "task_types is the whole wanted set: other task types are removed."))))
    def post(self, project_id, body):
        body["task_types"] = [TASK_TYPE_ENTRY.parse(entry) for entry in body["task_types"]]
        return settings.batch(current_actor(), project_id, **body)


class ProjectTaskTypes(Resource):
    @endpoint("The task types the project uses")
    def get(self, project_id):
        return settings.linked(current_actor(), project_id, "task-types")


class ProjectTaskTypeSoftwares(Resource):
    @endpoint("The software picked for each task type of the project")
    def get(self, project_id):
        return settings.task_type_softwares(current_actor(), project_id)


class ProjectTaskTypeSoftware(Resource):
    @endpoint("Pick a software for a task type of the project (managers, supervisors of "
              "its department)", body=Schema(software_id=Uuid(required=True)))
    def post(self, project_id, task_type_id, body):
        return settings.add_software(current_actor(), project_id, task_type_id,
                                     body["software_id"]), 201


class ProjectTaskTypeSoftwareRemove(Resource):
    @endpoint("Unpick a software for a task type of the project")
    def delete(self, project_id, task_type_id, software_id):
        settings.remove_software(current_actor(), project_id, task_type_id, software_id)
        return Response(status=204)


class ProjectDescriptors(Resource):
    @endpoint("The project's metadata descriptors the caller may see")
    def get(self, project_id):
        return descriptors.for_project(current_actor(), project_id)

    @endpoint("Create a metadata descriptor (managers, supervisors of its departments)",
              body=DESCRIPTOR)
    def post(self, project_id, body):
        return descriptors.create(current_actor(), project_id, body), 201


class ProjectDescriptor(Resource):
    @endpoint("A metadata descriptor of the project")
    def get(self, project_id, metadata_descriptor_id):
        return descriptors.get_one(current_actor(), project_id, metadata_descriptor_id)

    @endpoint("Update a metadata descriptor; a new name moves the stored values to the new "
              "field name", body=Schema(**DESCRIPTOR_FIELDS))
    def put(self, project_id, metadata_descriptor_id, body):
        return descriptors.update_one(current_actor(), project_id, metadata_descriptor_id, body)

    @endpoint("Delete a metadata descriptor and the values stored for it")
    def delete(self, project_id, metadata_descriptor_id):
        descriptors.delete_one(current_actor(), project_id, metadata_descriptor_id)
        return Response(status=204)


class ProjectDescriptorsReorder(Resource):
    @endpoint("Order the project's descriptors of one entity type (managers)",
              body=Schema(entity_type=String(required=True),
                          descriptor_ids=List(Uuid(), required=True)))
    def post(self, project_id, body):
        return descriptors.reorder(current_actor(), project_id, body["entity_type"],
                                   body["descriptor_ids"])


class AllProjectsDescriptors(Resource):
    @endpoint("Create a descriptor on every open project the caller manages",
              body=ALL_PROJECTS_DESCRIPTOR)
    def post(self, body):
        return descriptors.create_on_all(current_actor(), body), 201


class AllProjectsDescriptor(Resource):
    @endpoint("Update a descriptor on every open project the caller manages",
              body=Schema(**DESCRIPTOR_FIELDS, entity_type=String(required=True)))
    def put(self, field_name, body):
        return descriptors.update_on_all(current_actor(), field_name, body)

    @endpoint("Delete a descriptor (and its values) from every open project the caller "
              "manages", query=Schema(entity_type=String(required=True)))
    def delete(self, field_name, query):
        return descriptors.delete_on_all(current_actor(), query["entity_type"], field_name)


def routes():
    base = "/data/projects/<project_id>"
    out = [
        ("/data/projects/open", OpenProjects),
        ("/data/projects/all", AllProjects),
        (f"{base}/team", ProjectTeam),
        (f"{base}/team/<person_id>", ProjectTeamMember),
        (f"{base}/settings/task-types", ProjectSettingsTaskTypes),
        (f"{base}/settings/task-status", ProjectSettingsTaskStatus),
        (f"{base}/settings/task-status/<task_status_id>", ProjectSettingTaskStatus),
        (f"{base}/settings/batch", ProjectSettingsBatch),
        (f"{base}/task-types", ProjectTaskTypes),
        (f"{base}/task-type-softwares", ProjectTaskTypeSoftwares),
        (f"{base}/task-types/<task_type_id>/softwares", ProjectTaskTypeSoftware),
        (f"{base}/task-types/<task_type_id>/softwares/<software_id>",
         ProjectTaskTypeSoftwareRemove),
        (f"{base}/metadata-descriptors", ProjectDescriptors),
        (f"{base}/metadata-descriptors/reorder", ProjectDescriptorsReorder),
        (f"{base}/metadata-descriptors/<metadata_descriptor_id>", ProjectDescriptor),
        ("/data/metadata-descriptors/all-projects", AllProjectsDescriptors),
        ("/data/metadata-descriptors/all-projects/<field_name>", AllProjectsDescriptor),
    ]
    for kind, key, label, listing in (
            ("asset-types", "asset_type_id", "asset type", None),
            ("status-automations", "status_automation_id", "status automation", "managers"),
            ("preview-background-files", "preview_background_file_id",
             "preview background file", "team")):
        out += [(f"{base}/settings/{kind}", _setting_list(kind, key, label, listing)),
                (f"{base}/settings/{kind}/<{key}>", _setting_remove(kind, key, label))]
    out.append((f"{base}/settings/task-types/<task_type_id>",
                _setting_remove("task-types", "task_type_id", "task type")))
    return out
