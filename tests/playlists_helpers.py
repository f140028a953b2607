"""A small production to review: a sequence of shots with previews of two
task types, several revisions, and a playlist of them."""
import datetime

import pytest

from app.extensions import db
from app.models.base import utc_now
from app.services import preview_store, storage
from tests import factories as f

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor", "bot", "anonymous")


@pytest.fixture
def files(app, monkeypatch, tmp_path):
    """A storage of the test's own."""
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path / "files"))
    return tmp_path


class Review:
    """project, sequence, shots, the two task types (`layout` ranks above
    `anim`), their tasks per shot, and `previews[(shot index, task type
    name)]` = [revision 1, revision 2, ...] (rows)."""

    def __init__(self, nb_shots=2, revisions=2, **project_values):
        self.project = f.project(fps="25", resolution="320x240", **project_values)
        self.sequence = f.temporal(self.project, "Sequence")
        self.shots = [f.temporal(self.project, "Shot", parent=self.sequence)
                      for _ in range(nb_shots)]
        self.layout = f.task_type(for_entity="Shot", priority=2)
        self.anim = f.task_type(for_entity="Shot", priority=1)
        self.tasks, self.previews = {}, {}
        start = utc_now() - datetime.timedelta(hours=1)
        for index, shot in enumerate(self.shots):
            for task_type in (self.anim, self.layout):
                task = f.task(self.project, shot, task_type)
                self.tasks[(index, task_type.id)] = task
                self.previews[(index, task_type.id)] = [
                    f.preview_file(task, revision=r, status="ready", extension="mp4",
                                   created_at=start + datetime.timedelta(minutes=r))
                    for r in range(1, revisions + 1)]

    def entries(self, task_type=None):
        task_type = task_type or self.layout
        return [{"entity_id": str(s.id),
                 "preview_file_id": str(self.previews[(i, task_type.id)][-1].id)}
                for i, s in enumerate(self.shots)]

    def playlist(self, **values):
        values.setdefault("shots", self.entries())
        return f.playlist(self.project, **values)


def store_movie(tmp_path, preview, seconds=1, size="320x240", fps=25, audio=False):
    """Write a real movie as the preview's normalized movie; returns its bytes."""
    from tests import media

    path = media.movie(tmp_path / f"{preview.id}.mp4", seconds=seconds, fps=fps, size=size,
                       audio=audio)
    storage.backend().put_file(preview_store.MOVIES, preview_store.key("previews", preview.id),
                               path)
    with open(path, "rb") as movie:
        return movie.read()


def store_picture(preview, width=64, height=48):
    from tests import media

    data = media.picture(width, height)
    storage.backend().put(preview_store.PICTURES, preview_store.key("original", preview.id),
                          data)
    return data


def count_queries(app, fn):
    """(fn's result, the SQL statements it ran)."""
    from sqlalchemy import event

    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.session.get_bind()
    engine = getattr(engine, "engine", engine)
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = fn()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, seen
