"""Avatars of persons, the organisation's logo and productions' pictures: POST a picture
(multipart field `file`), GET the PNG (with or without `.png`)."""
from flask import request, send_file

from app.api import Resource, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import avatars


def _uploaded_file():
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("File not provided (multipart field 'file').")
    return upload.stream


def png_response(picture):
    stream, last_modified = picture
    # Revalidated on each use (If-Modified-Since gives 304): a new avatar
    # shows at once under the same URL.
    return send_file(stream, mimetype="image/png", last_modified=last_modified,
                     conditional=True, max_age=None)


class PersonAvatar(Resource):
    @endpoint("Set a person's avatar (themselves or an admin); stored as a 400x400 PNG",
              responses={"201": {"description": "Created"}})
    def post(self, instance_id):
        return avatars.set_person_avatar(current_actor(), instance_id, _uploaded_file()), 201

    @endpoint("A person's avatar (PNG)")
    def get(self, instance_id):
        return png_response(avatars.person_avatar(instance_id))


class OrganisationLogo(Resource):
    @endpoint("Set the organisation's logo (admin); stored as a 400x400 PNG",
              responses={"201": {"description": "Created"}})
    def post(self, instance_id):
        return avatars.set_organisation_logo(current_actor(), instance_id,
                                             _uploaded_file()), 201

    @endpoint("The organisation's logo (PNG)")
    def get(self, instance_id):
        return png_response(avatars.organisation_logo(instance_id))


class ProjectThumbnail(Resource):
    @endpoint("Set a production's picture (its managers); stored as a 400x400 PNG",
              responses={"201": {"description": "Created"}})
    def post(self, instance_id):
        return avatars.set_project_thumbnail(current_actor(), instance_id,
                                             _uploaded_file()), 201

    @endpoint("A production's picture (PNG; its team)")
    def get(self, instance_id):
        return png_response(avatars.project_thumbnail(current_actor(), instance_id))


def _with_png_twin(rule, resource):
    """The rule and its `.png` spelling; one view class may back a single
    endpoint only, so the twin is a subclass."""
    twin = type(f"{resource.__name__}Png", (resource,), {})
    return [(rule, resource), (f"{rule}.png", twin)]


def routes():
    return [
        *_with_png_twin("/pictures/thumbnails/persons/<instance_id>", PersonAvatar),
        *_with_png_twin("/pictures/thumbnails/organisations/<instance_id>", OrganisationLogo),
        *_with_png_twin("/pictures/thumbnails/projects/<instance_id>", ProjectThumbnail),
    ]
