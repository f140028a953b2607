"""Files of preview backgrounds (HDR environment maps of the 3D viewer)."""
from flask import request

from app.api import Resource, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import backgrounds


class BackgroundFileUpload(Resource):
    @endpoint("Upload a preview background's HDR file (admins); a thumbnail is made",
              responses={"201": {"description": "Created"}})
    def post(self, instance_id):
        upload = request.files.get("file")
        if upload is None:
            raise BadRequest("File not provided (multipart field 'file').")
        return backgrounds.upload(current_actor(), instance_id, upload.filename,
                                  upload.read()), 201


class BackgroundFile(Resource):
    @endpoint("A preview background's file, named as uploaded")
    def get(self, instance_id, extension):
        return backgrounds.send_file(instance_id, extension)


class BackgroundThumbnail(Resource):
    @endpoint("A preview background's thumbnail (PNG)")
    def get(self, instance_id):
        return backgrounds.send_thumbnail(instance_id)

    @endpoint("Not here: upload on /pictures/preview-background-files/<id>",
              responses={"405": {"description": "Method not allowed"}})
    def post(self, instance_id):
        return {"error": True, "message": "Preview backgrounds are uploaded through "
                "/pictures/preview-background-files/<preview_background_file_id>."}, 405


def routes():
    return [
        ("/pictures/preview-background-files/<instance_id>", BackgroundFileUpload),
        ("/pictures/preview-background-files/<instance_id>.<extension>", BackgroundFile),
        ("/pictures/thumbnails/preview-background-files/<instance_id>.png",
         BackgroundThumbnail),
    ]
