"""Movies of previews: normalized, low definition, as uploaded, and the
tile strips players show while scrubbing."""
from app.api import Resource, endpoint
from app.auth import current_actor
from app.blueprints.pictures.preview_media import picture_route
from app.services import preview_media


def movie_route(variant, summary, download=False):
    class PreviewMovie(Resource):
        @endpoint(summary)
        def get(self, instance_id):
            return preview_media.movie_for(current_actor(), instance_id, variant,
                                           download=download)

    PreviewMovie.__name__ = f"PreviewMovie{variant.title()}{'Download' if download else ''}"
    return PreviewMovie


def routes():
    base = "/movies/{}/preview-files/<instance_id>"
    return [
        (base.format("originals") + ".mp4",
         movie_route("movie", "A movie preview (normalized H.264; else its low-definition "
                     "copy, else the upload)")),
        (base.format("low") + ".mp4",
         movie_route("lowdef", "A movie preview's low-definition copy (else the "
                     "normalized movie, else the upload)")),
        (base.format("source") + ".mp4",
         movie_route("source", "A movie preview as it was uploaded")),
        (base.format("originals") + "/download",
         movie_route("movie", "A movie preview as a download", download=True)),
        (base.format("tiles") + ".png",
         picture_route("tiles", "A movie preview's tile strip (PNG)")),
    ]
