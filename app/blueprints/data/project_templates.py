"""A project template's settings, templates made from productions, and
templates applied to productions (behaviours.md row 6). The template rows
themselves are the generic /data/project-templates collection."""
from flask import Response, request

from app.api import Boolean, Dict, Integer, List, Resource, Schema, String, Uuid, endpoint, \
    request_body
from app.auth import current_actor
from app.permissions import ROLES
from app.services import templates

RANKED_BODIES = {
    "task-types": Schema(
        task_type_id=Uuid(required=True, nullable=False),
        priority=Integer(),
        hd_bitrate_compression=Integer(minimum=1, description="Mbit/s; empty: the template's."),
        ld_bitrate_compression=Integer(minimum=1, description="Mbit/s; empty: the template's."),
        is_client_visible=Boolean(),
    ),
    "task-statuses": Schema(
        task_status_id=Uuid(required=True, nullable=False),
        priority=Integer(),
        roles_for_board=List(String(choices=ROLES), nullable=False),
        is_client_allowed=Boolean(description="Empty: the studio status's own value."),
    ),
}
PLAIN_BODIES = {
    "asset-types": Schema(asset_type_id=Uuid(required=True, nullable=False)),
    "status-automations": Schema(status_automation_id=Uuid(required=True, nullable=False)),
    "preview-background-files": Schema(
        preview_background_file_id=Uuid(required=True, nullable=False)),
}
ITEM_KEYS = {"task-types": "task_type_id", "task-statuses": "task_status_id",
             "asset-types": "asset_type_id", "status-automations": "status_automation_id",
             "preview-background-files": "preview_background_file_id"}
DEFAULT_BACKGROUND = Schema(default_preview_background_file_id=Uuid(
    description="One of the template's backgrounds; empty for none."))
DESCRIPTORS = Schema(metadata_descriptors=List(Dict(), nullable=True))
FROM_PROJECT = Schema(name=String(required=True, nullable=False, min_length=1, max_length=80),
                      description=String())


def _label(kind):
    return kind.replace("-", " ")


def _name(kind, suffix):
    return "Template" + "".join(w.title() for w in kind.split("-")) + suffix


def _collection_resource(kind):
    """GET (managers) and POST (admins) /data/project-templates/<id>/<kind>."""
    ranked = kind in RANKED_BODIES
    body_schema = RANKED_BODIES.get(kind) or PLAIN_BODIES[kind]

    class TemplateLinks(Resource):
        @endpoint(f"List a project template's {_label(kind)}")
        def get(self, project_template_id):
            if ranked:
                return templates.ranked(current_actor(), project_template_id, kind)
            return templates.linked(current_actor(), project_template_id, kind)

        @endpoint(f"Add one of the {_label(kind)} to a project template", body=body_schema,
                  description="Adding a linked one again updates the values given.")
        def post(self, project_template_id, body):
            if ranked:
                return templates.rank(current_actor(), project_template_id, kind, [body])[0], 201
            return templates.link(current_actor(), project_template_id, kind,
                                  body[ITEM_KEYS[kind]]), 201

    TemplateLinks.__name__ = _name(kind, "")
    return TemplateLinks


def _item_resource(kind):
    class TemplateLink(Resource):
        @endpoint(f"Remove one of the {_label(kind)} from a project template")
        def delete(self, project_template_id, item_id):
            templates.unlink(current_actor(), project_template_id, kind, item_id)
            return Response(status=204)

    TemplateLink.__name__ = _name(kind, "Item")
    return TemplateLink


class TemplateDefaultBackground(Resource):
    @endpoint("Set a project template's default preview background", body=DEFAULT_BACKGROUND)
    def put(self, project_template_id, body):
        return templates.set_default_background(
            current_actor(), project_template_id, body.get("default_preview_background_file_id"))


class TemplateMetadataDescriptors(Resource):
    @endpoint("Replace a project template's metadata descriptor snapshots",
              description="The body is {metadata_descriptors: [...]} or the bare list.")
    def put(self, project_template_id):
        data = request.get_json(silent=True)
        if not isinstance(data, list):
            data = DESCRIPTORS.parse(request_body()).get("metadata_descriptors")
        return templates.set_descriptors(current_actor(), project_template_id, data)


class TemplateFromProject(Resource):
    @endpoint("Create a project template from a production", body=FROM_PROJECT)
    def post(self, project_id, body):
        return templates.from_project(current_actor(), project_id, body["name"],
                                      body.get("description")), 201


class ApplyTemplate(Resource):
    @endpoint("Apply a project template to a production",
              description="Flags, file tree and data are merged; missing task types, "
                          "statuses, asset types, automations, backgrounds and descriptors "
                          "are added.")
    def post(self, project_id, project_template_id):
        return templates.apply_to_project(current_actor(), project_id, project_template_id)


def routes():
    base = "/data/project-templates/<project_template_id>"
    out = []
    for kind in ITEM_KEYS:
        out.append((f"{base}/{kind}", _collection_resource(kind)))
        out.append((f"{base}/{kind}/<item_id>", _item_resource(kind)))
    return out + [
        (f"{base}/default-preview-background-file", TemplateDefaultBackground),
        (f"{base}/metadata-descriptors", TemplateMetadataDescriptors),
        ("/data/project-templates/from-project/<project_id>", TemplateFromProject),
        ("/data/projects/<project_id>/apply-template/<project_template_id>", ApplyTemplate),
    ]
