"""Annotations of previews and frames taken out of them. (set-main-preview
and update-position live in actions/previews.py.)"""
from app.api import Integer, List, Resource, Schema, endpoint
from app.auth import current_actor
from app.services import annotations, preview_frames


class UpdateAnnotations(Resource):
    @endpoint("Merge drawing changes into a preview's annotations (managers, clients, "
              "supervisors of the task's department)",
              body=Schema(additions=List(default=[], nullable=False),
                          updates=List(default=[], nullable=False),
                          deletions=List(default=[], nullable=False)))
    def put(self, preview_file_id, body):
        return annotations.update(current_actor(), preview_file_id, **body)


class ExtractFrame(Resource):
    @endpoint("One frame of a movie preview as PNG (project managers)",
              query=Schema(frame_number=Integer(default=0, minimum=0)))
    def get(self, preview_file_id, query):
        return preview_frames.extract_frame(current_actor(), preview_file_id,
                                            query["frame_number"])


class ExtractTile(Resource):
    @endpoint("Build a movie preview's tile strip again, store and send it")
    def get(self, preview_file_id):
        return preview_frames.extract_tile(current_actor(), preview_file_id)


class ExtractAnnotatedFrame(Resource):
    @endpoint("A movie frame (frame_number, from 1) or the picture, with its annotation "
              "drawn on (project managers)",
              query=Schema(frame_number=Integer(minimum=1)))
    def get(self, preview_file_id, query):
        return preview_frames.extract_annotated_frame(current_actor(), preview_file_id,
                                                      query.get("frame_number"))


class ExtractAnnotatedFrames(Resource):
    @endpoint("Every annotated frame of a preview, drawn on, as a zip (project managers)")
    def get(self, preview_file_id):
        return preview_frames.extract_annotated_frames_zip(current_actor(), preview_file_id)


class ExtractAnnotatedFramesPdf(Resource):
    @endpoint("Every annotated frame of a preview, drawn on, as a PDF (project managers)")
    def get(self, preview_file_id):
        return preview_frames.extract_annotated_frames_pdf(current_actor(), preview_file_id)


def routes():
    base = "/actions/preview-files/<preview_file_id>"
    return [
        (f"{base}/update-annotations", UpdateAnnotations),
        (f"{base}/extract-frame", ExtractFrame),
        (f"{base}/extract-tile", ExtractTile),
        (f"{base}/extract-annotated-frame", ExtractAnnotatedFrame),
        (f"{base}/extract-annotated-frames", ExtractAnnotatedFrames),
        (f"{base}/extract-annotated-frames-pdf", ExtractAnnotatedFramesPdf),
    ]
