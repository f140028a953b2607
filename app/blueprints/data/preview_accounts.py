"""/data/projects/<id>/preview-account: the production's sign-in for
outside reviewers (app/services/preview_accounts.py), managed by its
managers."""
from flask import Response

from app.api import Boolean, Resource, Schema, endpoint
from app.auth import current_actor
from app.services import preview_accounts


class PreviewAccount(Resource):
    @endpoint("The production's preview account, or null (project managers)")
    def get(self, project_id):
        return preview_accounts.get(current_actor(), project_id)

    @endpoint("Make the preview account, or give it a new password (shown once); the "
              "access window is closed", responses={"201": {"description": "Created"}})
    def post(self, project_id):
        return preview_accounts.create_or_reset(current_actor(), project_id), 201

    @endpoint("Open the access window for an hour, or close it",
              body=Schema(is_open=Boolean(required=True, nullable=False)))
    def put(self, project_id, body):
        return preview_accounts.set_open(current_actor(), project_id, body["is_open"])

    @endpoint("Remove the preview account", responses={"204": {"description": "Deleted"}})
    def delete(self, project_id):
        preview_accounts.delete(current_actor(), project_id)
        return Response(status=204)


def routes():
    return [("/data/projects/<project_id>/preview-account", PreviewAccount)]
