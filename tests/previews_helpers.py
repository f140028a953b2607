"""A production to publish previews in, with a caller of every role the
task-action rule (behaviours.md 2.3) tells apart."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.person import DepartmentLink
from app.services import preview_store, storage
from tests import factories as f

# Who may act on the task (comment, publish, upload), and who may choose
# the entity's main preview (anyone seeing the entity, but clients).
ACTORS = ("admin", "manager", "supervisor", "other_supervisor", "assignee", "artist",
          "client", "vendor", "outsider")
ACTING = {"admin", "manager", "supervisor", "assignee", "client"}
SETTING_MAIN = {"admin", "manager", "supervisor", "other_supervisor", "assignee", "artist"}


@pytest.fixture
def files(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    return tmp_path


class Production:
    def __init__(self, client):
        self.client = client
        self.project = f.project(resolution="640x360", fps="25")
        self.department = f.department()
        other_department = f.department()
        self.task_type = f.task_type(department_id=self.department.id)
        self.headers = {}
        self.people = {}
        for name, role, department in (
                ("manager", "manager", None), ("supervisor", "supervisor", self.department),
                ("other_supervisor", "supervisor", other_department),
                ("assignee", "user", self.department), ("artist", "user", self.department),
                ("client", "client", None), ("vendor", "vendor", self.department)):
            person, headers = f.on_team(client, self.project, role)
            if department is not None:
                f.row(DepartmentLink, person_id=person.id, department_id=department.id)
            self.people[name], self.headers[name] = person, headers
        self.people["admin"], self.headers["admin"] = f.signed_in(client, "admin")
        self.people["outsider"], self.headers["outsider"] = f.signed_in(client, "user")
        self.status = f.task_status(is_artist_allowed=True, is_client_allowed=True)
        self.asset = f.asset(self.project)
        self.task = f.task(self.project, self.asset, self.task_type,
                           assignees=[self.people["assignee"]], task_status_id=self.status.id)

    def comment(self, who="assignee", task=None):
        task = task or self.task
        response = self.client.post(f"/actions/tasks/{task.id}/comment",
                                    headers=self.headers[who],
                                    json={"task_status_id": str(self.status.id),
                                          "comment": "v"})
        assert response.status_code == 201, response.json
        return response.json

    def add_preview(self, comment, who="assignee", task=None, **body):
        task = task or self.task
        return self.client.post(
            f"/actions/tasks/{task.id}/comments/{comment['id']}/add-preview",
            headers=self.headers[who], json=body)

    def upload(self, preview_id, data, name, who="assignee", query=""):
        return self.client.post(f"/pictures/preview-files/{preview_id}{query}",
                                headers=self.headers[who], content_type="multipart/form-data",
                                data={"file": (io.BytesIO(data), name)})

    def publish(self, data, name, who="assignee", task=None, query=""):
        """A comment, a preview on it and its file: the preview's JSON."""
        comment = self.comment(who, task)
        preview = self.add_preview(comment, who, task)
        assert preview.status_code == 201, preview.json
        response = self.upload(preview.json["id"], data, name, who, query)
        assert response.status_code == 201, response.json
        return response.json


@pytest.fixture
def prod(client, files):
    return Production(client)


def stored(bucket, variant, preview_id):
    backend = storage.backend()
    name = preview_store.key(variant, preview_id)
    if not backend.exists(bucket, name):
        return None
    with backend.open(bucket, name) as handle:
        return handle.read()


def picture_size(data):
    return Image.open(io.BytesIO(data)).size


def events_named(name):
    return [r.data for r in db.session.scalars(
        select(ApiEvent).where(ApiEvent.name == name).order_by(ApiEvent.created_at))]
