"""Pictures of previews (thumbnails, resized previews, originals, files as
published) and the thumbnails of comment attachments."""
from app.api import Resource, endpoint
from app.auth import current_actor
from app.services import preview_media


def picture_route(variant, summary):
    """A GET resource sending one picture variant of a preview."""

    class PreviewPicture(Resource):
        @endpoint(summary)
        def get(self, instance_id):
            return preview_media.picture_for(current_actor(), instance_id, variant)

    PreviewPicture.__name__ = "PreviewPicture" + variant.title().replace("-", "")
    return PreviewPicture


class PreviewFileAsPublished(Resource):
    @endpoint("A preview as published: .png gives the PNG original, its own extension "
              "the stored file")
    def get(self, instance_id, extension):
        return preview_media.file_for(current_actor(), instance_id, extension)


class PreviewFileDownload(Resource):
    @endpoint("A preview as published, as a download named after the project, entity, "
              "task type and revision")
    def get(self, instance_id):
        return preview_media.download_for(current_actor(), instance_id)


class AttachmentThumbnail(Resource):
    @endpoint("The 150 px thumbnail of a picture attached to a comment or chat message")
    def get(self, attachment_file_id):
        return preview_media.attachment_thumbnail_for(current_actor(), attachment_file_id)


def routes():
    base = "/pictures/{}/preview-files/<instance_id>"
    return [
        (base.format("thumbnails") + ".png",
         picture_route("thumbnails", "A preview's thumbnail (150x100 PNG)")),
        (base.format("thumbnails-square") + ".png",
         picture_route("thumbnails-square", "A preview's square thumbnail (100x100 PNG)")),
        (base.format("previews") + ".png",
         picture_route("previews", "A picture preview, 1200 px wide (PNG)")),
        (base.format("originals") + ".png",
         picture_route("original", "A picture preview at full size (PNG)")),
        (base.format("originals") + ".<extension>", PreviewFileAsPublished),
        (base.format("originals") + "/download", PreviewFileDownload),
        ("/pictures/thumbnails/attachment-files/<attachment_file_id>.png",
         AttachmentThumbnail),
    ]
