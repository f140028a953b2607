"""POST /data/entities/<id>/tasks and GET /data/entities/<id>/news
(app/services/entity_tasks.py), against every kind of caller."""
import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.events import ApiEvent, News
from app.models.project import ProjectTaskTypeLink
from app.models.settings import TaskTypeAssetTypeLink
from app.models.task import Task
from app.services.entity_tasks import default_status
from tests import factories as f

MISSING = "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"


def _on_team(client, project, who, vendor_task_on=None):
    """(person, headers) for a caller of CALLERS on the project's team
    (anonymous: nobody); a vendor gets a task on `vendor_task_on`."""
    person, headers = f.on_team(client, project, who)
    if who == "vendor" and vendor_task_on is not None:
        f.task(project, entity=vendor_task_on, assignees=[person])
    return person, headers


def _enabled(project, *task_types):
    for task_type in task_types:
        f.row(ProjectTaskTypeLink, project_id=project.id, task_type_id=task_type.id)


def _tasks_of(entity):
    return db.session.scalars(select(Task).where(Task.entity_id == entity.id)).all()


# Creating tasks ---------------------------------------------------------------

CREATE_STATUS = {"admin": 201, "manager": 201, "supervisor": 403, "user": 403, "client": 403,
                 "vendor": 403, "bot": 403, "anonymous": 401}


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_may_create_an_entitys_tasks(client, who):
    project = f.project()
    asset = f.asset(project)
    layout, modeling = f.task_type(priority=1), f.task_type(priority=2)
    _enabled(project, layout, modeling)
    person, headers = _on_team(client, project, who, vendor_task_on=asset)
    before = {t.id for t in _tasks_of(asset)}
    response = client.post(f"/data/entities/{asset.id}/tasks", headers=headers,
                           json={"task_type_ids": [str(modeling.id), str(layout.id)]})
    assert response.status_code == CREATE_STATUS[who], response.json
    made = [t for t in _tasks_of(asset) if t.id not in before]
    if response.status_code != 201:
        assert made == []
        return
    todo = default_status(False)
    body = response.json
    assert [(t["task_type_id"], t["name"], t["task_status_id"], t["task_status_name"],
             t["task_type_name"], t["assignees"], t["entity_id"], t["project_id"],
             t["assigner_id"]) for t in body] == [
        (str(tt.id), "main", str(todo.id), todo.name, tt.name, [], str(asset.id),
         str(project.id), str(person.id)) for tt in (layout, modeling)]
    assert {str(t.id) for t in made} == {t["id"] for t in body}
    db.session.expire_all()
    events = db.session.scalars(select(ApiEvent).where(
        ApiEvent.project_id == project.id, ApiEvent.name == "task:new")).all()
    assert sorted(e.data["task_id"] for e in events) == sorted(t["id"] for t in body)
    assert all(e.data["project_id"] == str(project.id) for e in events)


def test_a_supervisor_creates_tasks_of_their_departments_only(client):
    project = f.project()
    asset = f.asset(project)
    mine, other = f.department(), f.department()
    theirs, foreign = f.task_type(department_id=mine.id), f.task_type(department_id=other.id)
    _enabled(project, theirs, foreign)
    supervisor = f.member(project, "supervisor")
    supervisor.departments = [mine]
    db.session.commit()
    headers = f.bearer(f.login(client, supervisor.email).json["access_token"])
    url = f"/data/entities/{asset.id}/tasks"
    assert client.post(url, headers=headers,
                       json={"task_type_ids": [str(theirs.id), str(foreign.id)]}
                       ).status_code == 403
    assert _tasks_of(asset) == []
    response = client.post(url, headers=headers, json={"task_type_ids": [str(theirs.id)]})
    assert response.status_code == 201
    assert [(t["task_type_id"], t["assigner_id"]) for t in response.json] == [
        (str(theirs.id), str(supervisor.id))]


def test_existing_tasks_are_skipped_and_concepts_start_on_their_status(client):
    project = f.project()
    admin = f.signed_in(client, role="admin")[1]
    asset = f.asset(project)
    layout, modeling = f.task_type(), f.task_type()
    _enabled(project, layout, modeling)
    old = f.task(project, entity=asset, task_type_=layout, name="main")
    response = client.post(f"/data/entities/{asset.id}/tasks", headers=admin,
                           json={"task_type_ids": [str(layout.id), str(modeling.id)]})
    assert response.status_code == 201
    assert [t["task_type_id"] for t in response.json] == [str(modeling.id)]
    assert sorted((t.task_type_id, t.name) for t in _tasks_of(asset)) == sorted(
        [(layout.id, "main"), (modeling.id, "main")])
    again = client.post(f"/data/entities/{asset.id}/tasks", headers=admin,
                        json={"task_type_ids": [str(layout.id), str(modeling.id)]})
    assert (again.status_code, again.json) == (201, [])
    assert old.id in {t.id for t in _tasks_of(asset)}

    concept = f.temporal(project, "Concept")
    sketch = f.task_type(for_entity="Concept")
    _enabled(project, sketch)
    response = client.post(f"/data/entities/{concept.id}/tasks", headers=admin,
                           json={"task_type_ids": [str(sketch.id)]})
    neutral = default_status(True)
    assert neutral.for_concept and neutral.is_default
    assert [(t["task_type_id"], t["task_status_id"]) for t in response.json] == [
        (str(sketch.id), str(neutral.id))]


def test_task_types_are_checked_and_default_to_every_valid_one(client):
    project = f.project()
    admin = f.signed_in(client, role="admin")[1]
    kind = f.asset_type()
    asset = f.asset(project, entity_type=kind)
    in_flow, out_of_flow, for_shots, not_enabled = (
        f.task_type(), f.task_type(), f.task_type(for_entity="Shot"), f.task_type())
    _enabled(project, in_flow, out_of_flow, for_shots)
    f.row(TaskTypeAssetTypeLink, asset_type_id=kind.id, task_type_id=in_flow.id)
    url = f"/data/entities/{asset.id}/tasks"
    for bad in (out_of_flow, for_shots, not_enabled):
        assert client.post(url, headers=admin,
                           json={"task_type_ids": [str(bad.id)]}).status_code == 400
    assert client.post(url, headers=admin,
                       json={"task_type_ids": [MISSING]}).status_code == 404
    assert client.post(url, headers=admin,
                       json={"task_type_ids": ["nope"]}).status_code == 400
    assert _tasks_of(asset) == []
    response = client.post(url, headers=admin, json={})
    assert [t["task_type_id"] for t in response.json] == [str(in_flow.id)]
    assert client.post(f"/data/entities/{MISSING}/tasks", headers=admin,
                       json={}).status_code == 404


def test_outsiders_cannot_create_tasks(client):
    project = f.project()
    asset = f.asset(project)
    layout = f.task_type()
    _enabled(project, layout)
    headers = f.signed_in(client, role="manager")[1]  # not on the team
    assert client.post(f"/data/entities/{asset.id}/tasks", headers=headers,
                       json={"task_type_ids": [str(layout.id)]}).status_code == 403
    assert _tasks_of(asset) == []


# News -------------------------------------------------------------------------

NEWS_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 200, "client": 200,
               "vendor": 200, "bot": 200, "anonymous": 401}


def _news(task, author, when, **values):
    comment = f.comment(task, author)
    return f.row(News, task_id=task.id, author_id=author.id, comment_id=comment.id,
                 created_at=when, updated_at=when, **values)


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_reads_an_entitys_news(client, who):
    project = f.project()
    sequence = f.temporal(project, "Sequence")
    shot = f.temporal(project, "Shot", parent=sequence)
    person, headers = _on_team(client, project, who)
    author = f.member(project, first_name="Ann", last_name="Lee")
    first, second = f.task(project, entity=shot), f.task(project, entity=shot)
    if who == "vendor":
        second.assignees = [person]
        db.session.commit()
    old = _news(first, author, datetime.datetime(2030, 1, 1, 10, 0, 0, 123456))
    preview = f.preview_file(second, revision=4, extension="mp4")
    new = _news(second, author, datetime.datetime(2030, 1, 2, 9, 30),
                change=True, preview_file_id=preview.id)
    _news(f.task(project), author, datetime.datetime(2030, 1, 3))  # another entity's
    response = client.get(f"/data/entities/{shot.id}/news", headers=headers)
    assert response.status_code == NEWS_STATUS[who]
    if response.status_code != 200:
        return
    body = response.json
    expected = [new] if who == "vendor" else [new, old]
    assert [n["id"] for n in body["data"]] == [str(n.id) for n in expected]
    assert (body["total"], body["nb_pages"], body["limit"], body["offset"], body["page"]) == (
        len(expected), 1, 2000, 0, 1)
    top = body["data"][0]
    assert top == {
        "id": str(new.id), "type": "News", "author_id": str(author.id),
        "comment_id": str(new.comment_id), "task_id": str(second.id),
        "task_type_id": str(second.task_type_id),
        "task_status_id": str(second.task_status_id), "task_entity_id": str(shot.id),
        "preview_file_id": str(preview.id), "preview_file_extension": "mp4",
        "preview_file_revision": 4, "project_id": str(project.id),
        "project_name": project.name, "created_at": "2030-01-02T09:30:00", "change": True,
        "full_entity_name": f"{sequence.name} / {shot.name}", "episode_id": None,
        "entity_preview_file_id": None,
        "person": {"id": str(author.id), "first_name": "Ann", "last_name": "Lee",
                   "full_name": "Ann Lee", "has_avatar": False, "role": "user"},
    }
    if who != "vendor":
        assert body["data"][1]["created_at"] == "2030-01-01T10:00:00"
        assert body["data"][1]["preview_file_id"] is None


def test_news_access_and_asset_names(client):
    project = f.project()
    kind = f.asset_type()
    asset = f.asset(project, entity_type=kind)
    outsider = f.signed_in(client, role="user")[1]
    assert client.get(f"/data/entities/{asset.id}/news", headers=outsider).status_code == 403
    vendor = f.member(project, "vendor")
    vendor_headers = f.bearer(f.login(client, vendor.email).json["access_token"])
    assert client.get(f"/data/entities/{asset.id}/news",
                      headers=vendor_headers).status_code == 403
    admin = f.signed_in(client, role="admin")[1]
    assert client.get(f"/data/entities/{MISSING}/news", headers=admin).status_code == 404
    empty = client.get(f"/data/entities/{asset.id}/news", headers=admin).json
    assert empty == {"data": [], "total": 0, "nb_pages": 0, "limit": 2000, "offset": 0,
                     "page": 1}
    author = f.member(project)
    _news(f.task(project, entity=asset), author, datetime.datetime(2030, 1, 1))
    data = client.get(f"/data/entities/{asset.id}/news", headers=admin).json["data"]
    assert [n["full_entity_name"] for n in data] == [f"{kind.name} / {asset.name}"]
