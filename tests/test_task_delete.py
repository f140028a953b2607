"""Deleting tasks (behaviours.md row 13): one through the CRUD route (with
or without force), a batch, or every task of a type in a production."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.comment import Comment
from app.models.entity import Entity
from app.models.events import ApiEvent, News, Notification, Subscription
from app.models.files import AttachmentFile, OutputFile, PreviewFile, WorkingFile
from app.models.task import Task, TaskPersonLink
from app.models.timesheet import TimeSpent
from tests import factories as f

DEPENDANTS = (Comment, AttachmentFile, Notification, News, Subscription, PreviewFile,
              WorkingFile, OutputFile, TimeSpent)


def count(model, *criteria):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def events(name, project_id):
    return db.session.scalars(select(ApiEvent.data).where(
        ApiEvent.name == name, ApiEvent.project_id == project_id)).all()


def loaded(project, entity=None, task_type=None):
    """A task with one of everything that hangs off it."""
    artist = f.member(project)
    task = f.task(project, entity, task_type, assignees=[artist])
    note = f.comment(task, artist)
    f.attachment_file(note)
    preview = f.preview_file(task)
    f.row(Notification, person_id=artist.id, author_id=artist.id, type="comment",
          task_id=task.id, comment_id=note.id)
    f.row(News, author_id=artist.id, task_id=task.id, comment_id=note.id,
          preview_file_id=preview.id)
    f.row(Subscription, person_id=artist.id, task_id=task.id)
    f.time_spent(task, artist)
    working = f.working_file(task)
    f.output_file(f.asset(project), source_file_id=working.id)
    return task


def dependants_of(task):
    return {
        Comment: count(Comment, Comment.object_id == task.id),
        PreviewFile: count(PreviewFile, PreviewFile.task_id == task.id),
        TimeSpent: count(TimeSpent, TimeSpent.task_id == task.id),
        Notification: count(Notification, Notification.task_id == task.id),
        News: count(News, News.task_id == task.id),
        Subscription: count(Subscription, Subscription.task_id == task.id),
        WorkingFile: count(WorkingFile, WorkingFile.task_id == task.id),
        TaskPersonLink: count(TaskPersonLink, TaskPersonLink.task_id == task.id),
    }


# DELETE /data/tasks/<id> ------------------------------------------------------------

def test_without_force_a_task_with_comments_or_files_stays(client):
    project = f.project()
    _, headers = f.on_team(client, project, "manager")
    task = loaded(project)
    response = client.delete(f"/data/tasks/{task.id}", headers=headers)
    assert response.status_code == 400
    assert "comments" in response.json["message"] and "force" in response.json["message"]
    assert count(Task, Task.id == task.id) == 1
    assert all(n == 1 for n in dependants_of(task).values())


def test_without_force_a_bare_task_is_deleted(client):
    project = f.project()
    _, headers = f.on_team(client, project, "manager")
    task = f.task(project, assignees=[f.person()])
    assert client.delete(f"/data/tasks/{task.id}", headers=headers).status_code == 204
    assert count(Task, Task.id == task.id) == 0
    assert count(TaskPersonLink, TaskPersonLink.task_id == task.id) == 0


def test_force_removes_everything_hanging_off_the_task_and_nothing_else(client):
    project = f.project()
    _, headers = f.on_team(client, project, "manager")
    task, kept = loaded(project), loaded(project)
    before = {model: count(model) for model in DEPENDANTS}
    response = client.delete(f"/data/tasks/{task.id}?force=true", headers=headers)
    assert response.status_code == 204
    assert count(Task, Task.id == task.id) == 0
    assert set(dependants_of(task).values()) == {0}
    assert all(n == 1 for n in dependants_of(kept).values())
    assert {model: before[model] - count(model) for model in DEPENDANTS} == {
        model: 1 for model in DEPENDANTS}
    assert [e["task_id"] for e in events("task:delete", project.id)] == [str(task.id)]


@pytest.mark.parametrize("role", ["supervisor", "user", "client", "vendor"])
def test_only_managers_delete_a_task(client, role):
    project = f.project()
    person, headers = f.on_team(client, project, role)
    task = f.task(project, assignees=[person])
    assert client.delete(f"/data/tasks/{task.id}?force=true",
                         headers=headers).status_code == 403
    assert count(Task, Task.id == task.id) == 1


def test_an_entity_showing_a_deleted_preview_falls_back_to_its_newest_other_one(client):
    automated = f.project(is_set_preview_automated=True)
    manual = f.project()
    _, headers = f.signed_in(client, "admin")
    for project, expected in ((automated, "other"), (manual, None)):
        asset = f.asset(project)
        kept = f.task(project, asset)
        older = f.preview_file(kept)
        doomed = f.task(project, asset)
        shown = f.preview_file(doomed)
        asset.preview_file_id = shown.id
        db.session.commit()
        assert client.delete(f"/data/tasks/{doomed.id}?force=true",
                             headers=headers).status_code == 204
        db.session.expire_all()
        assert db.session.get(Entity, asset.id).preview_file_id == (
            older.id if expected else None)


# Batches ----------------------------------------------------------------------------

def test_managers_delete_a_batch_of_their_project_tasks(client):
    project, other = f.project(), f.project()
    _, headers = f.on_team(client, project, "manager")
    doomed = [loaded(project), f.task(project)]
    kept = f.task(project)
    foreign = f.task(other)
    ids = [str(doomed[1].id), str(foreign.id), str(uuid.uuid4()), str(doomed[0].id)]
    response = client.post(f"/actions/projects/{project.id}/delete-tasks", headers=headers,
                           json=ids)
    assert (response.status_code, response.json) == (
        200, [str(doomed[1].id), str(doomed[0].id)])
    assert count(Task, Task.id.in_([t.id for t in doomed])) == 0
    assert count(Task, Task.id.in_([kept.id, foreign.id])) == 2
    assert set(dependants_of(doomed[0]).values()) == {0}
    deleted = events("task:delete", project.id)
    assert sorted(e["task_id"] for e in deleted) == sorted(str(t.id) for t in doomed)
    assert {(e["entity_id"], e["task_type_id"]) for e in deleted} == {
        (str(t.entity_id), str(t.task_type_id)) for t in doomed}


@pytest.mark.parametrize("role", ["supervisor", "user", "client", "vendor", "outsider"])
def test_batch_delete_is_for_managers(client, role):
    project = f.project()
    if role == "outsider":
        _, headers = f.signed_in(client, "manager")
    else:
        _, headers = f.on_team(client, project, role)
    task = f.task(project)
    response = client.post(f"/actions/projects/{project.id}/delete-tasks", headers=headers,
                           json=[str(task.id)])
    assert response.status_code == 403
    assert count(Task, Task.id == task.id) == 1


@pytest.mark.parametrize("body", [{"task_ids": []}, ["nope"], "x"])
def test_batch_delete_refuses_bad_input(client, body):
    project = f.project()
    _, headers = f.on_team(client, project, "manager")
    response = client.post(f"/actions/projects/{project.id}/delete-tasks", headers=headers,
                           json=body)
    assert response.status_code == 400


def test_admins_delete_every_task_of_a_type_in_a_project(client):
    project, other = f.project(), f.project()
    layout, animation = f.task_type(), f.task_type()
    doomed = [loaded(project, task_type=layout), f.task(project, task_type_=layout)]
    kept = [f.task(project, task_type_=animation), f.task(other, task_type_=layout)]
    doomed, kept = [t.id for t in doomed], [t.id for t in kept]
    url = f"/actions/projects/{project.id}/task-types/{layout.id}/delete-tasks"
    _, manager = f.on_team(client, project, "manager")
    assert client.delete(url, headers=manager).status_code == 403
    _, admin = f.signed_in(client, "admin")
    assert client.delete(url, headers=admin).status_code == 204
    assert count(Task, Task.id.in_(doomed)) == 0
    assert count(Task, Task.id.in_(kept)) == 2
    assert len(events("task:delete", project.id)) == 2
    missing = f"/actions/projects/{uuid.uuid4()}/task-types/{layout.id}/delete-tasks"
    assert client.delete(missing, headers=admin).status_code == 404
