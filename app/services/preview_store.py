"""Where a preview's files live in the storage (app/services/storage.py).

One place names them, so the upload, the media routes, shared links,
playlist builds and deletions agree. Zou's layout, so a studio can move its
storage folders across:

- bucket "pictures": "original-<id>" (the picture as PNG), "previews-<id>"
  (1200 px wide), "thumbnails-<id>" (150x100), "thumbnails-square-<id>"
  (100x100), "tiles-<id>" (a movie's tile strip);
- bucket "movies": "source-<id>" (the upload as it came), "previews-<id>"
  (normalized H.264), "lowdef-<id>" (1280 px wide copy);
- bucket "files": "previews-<id>" (any other file, stored as it came).
"""
PICTURES = "pictures"
MOVIES = "movies"
FILES = "files"

PICTURE_VARIANTS = ("original", "previews", "thumbnails", "thumbnails-square", "tiles")
MOVIE_VARIANTS = ("source", "previews", "lowdef")


def key(variant, preview_id):
    return f"{variant}-{preview_id}"


def all_keys(preview_id):
    """Every (bucket, key) a preview may own, for deletions."""
    return ([(PICTURES, key(v, preview_id)) for v in PICTURE_VARIANTS]
            + [(MOVIES, key(v, preview_id)) for v in MOVIE_VARIANTS]
            + [(FILES, key("previews", preview_id))])
