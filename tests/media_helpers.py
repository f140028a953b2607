"""A production with one person per role and previews whose files are
really stored, for the media, annotation and background tests."""
import types

from app.services import preview_store, storage
from tests import factories as f
from tests.media import movie, picture

# Who reads a preview of the assignee's task (team members; vendors only
# when assigned), and who is refused.
READERS = ("admin", "manager", "supervisor", "assignee", "artist", "client", "vendor_assigned")
REFUSED = ("vendor", "outsider")


def cast(client):
    """The project, its task, and a signed-in header per role: `assignee`
    (artist on the task), `artist` (another artist), `vendor` (not
    assigned), `vendor_assigned`, `outsider` (not on the team)."""
    project = f.project()
    people, headers = {}, {}
    roles = {"admin": "admin", "manager": "manager", "supervisor": "supervisor",
             "assignee": "user", "artist": "user", "client": "client", "vendor": "vendor",
             "vendor_assigned": "vendor", "outsider": "user"}
    for name, role in roles.items():
        people[name], headers[name] = f.signed_in(client, role=role)
        if name not in ("admin", "outsider"):
            f.join_team(project, people[name])
    asset = f.asset(project)
    task = f.task(project, entity=asset,
                  assignees=[people["assignee"], people["vendor_assigned"]])
    return types.SimpleNamespace(project=project, asset=asset, task=task, people=people,
                                 headers=headers)


def ready_picture(task, width=640, height=360, **values):
    """A ready picture preview with its PNG variants in the storage."""
    row = f.preview_file(task, status="ready", extension="png", width=width, height=height,
                         **values)
    store = storage.backend()
    sizes = {"original": (width, height), "previews": (width, height),
             "thumbnails": (150, 100), "thumbnails-square": (100, 100)}
    for variant, (w, h) in sizes.items():
        store.put(preview_store.PICTURES, preview_store.key(variant, row.id), picture(w, h))
    return row


_MOVIES = {}


def _movie_file(tmp_path, size):
    """A one-second test movie of that size, made once per test run (the
    tests only read it)."""
    if size not in _MOVIES:
        _MOVIES[size] = movie(tmp_path / f"movie-{size}.mp4", seconds=1, fps=24, size=size)
    return _MOVIES[size]


def ready_movie(task, tmp_path, variants=("previews", "lowdef", "source"), **values):
    """A ready movie preview with real movies (each variant of its own
    size) under the given variants; returns (row, {variant: bytes})."""
    row = f.preview_file(task, status="ready", extension="mp4", is_movie=True, **values)
    store = storage.backend()
    stored = {}
    for n, variant in enumerate(variants):
        path = _movie_file(tmp_path, f"{160 + 16 * n}x120")
        store.put_file(preview_store.MOVIES, preview_store.key(variant, row.id), path)
        with open(path, "rb") as source:
            stored[variant] = source.read()
    store.put(preview_store.PICTURES, preview_store.key("tiles", row.id), picture(480, 60))
    return row, stored
