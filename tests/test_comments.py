"""POST /actions/tasks/<id>/comment: who may comment with which status, and
everything a comment does to its task, in one transaction."""
import datetime
import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.comment import Comment, CommentMention
from app.models.events import ApiEvent, News, Notification, Subscription
from app.models.files import AttachmentFile
from app.models.person import DepartmentLink
from app.models.project import (
    ProjectStatusAutomationLink, ProjectTaskStatusLink, ProjectTaskTypeLink,
)
from app.models.settings import StatusAutomation
from app.models.task import Task
from tests import factories as f


@pytest.fixture
def flow(client):
    """A project, an asset with a modeling task assigned to an artist, and
    the usual statuses."""
    project = f.project()
    department = f.department()
    modeling = f.task_type(department_id=department.id, priority=1)
    artist, artist_headers = f.on_team(client, project, "user")
    f.row(DepartmentLink, person_id=artist.id, department_id=department.id)
    asset = f.asset(project)
    todo = f.task_status(is_default=False)
    wip = f.task_status(is_wip=True, is_client_allowed=False)
    wfa = f.task_status(is_feedback_request=True, is_artist_allowed=True, is_client_allowed=True)
    retake = f.task_status(is_retake=True, is_client_allowed=True)
    done = f.task_status(is_done=True, is_artist_allowed=False)
    task = f.task(project, asset, modeling, assignees=[artist], task_status_id=todo.id)
    return type("Flow", (), dict(
        project=project, department=department, modeling=modeling, artist=artist,
        headers=artist_headers, asset=asset, todo=todo, wip=wip, wfa=wfa, retake=retake,
        done=done, task=task))


def post(client, headers, task, status, text="", **extra):
    return client.post(f"/actions/tasks/{task.id}/comment", headers=headers,
                       json={"task_status_id": str(status.id), "comment": text, **extra})


def fresh(task):
    db.session.expire_all()
    return db.session.get(Task, task.id)


def events_named(name, **data):
    rows = db.session.scalars(select(ApiEvent).where(ApiEvent.name == name)).all()
    return [r for r in rows if all(r.data.get(k) == str(v) for k, v in data.items())]


def test_assignee_comment_moves_the_task(client, flow):
    other = f.member(flow.project)
    flow.task.assignees.append(other)
    watcher = f.member(flow.project)
    f.row(Subscription, person_id=watcher.id, task_id=flow.task.id)
    db.session.commit()

    response = post(client, flow.headers, flow.task, flow.wip, "Started")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["object_id"] == str(flow.task.id)
    assert body["task_status_id"] == str(flow.wip.id)
    assert body["person_id"] == str(flow.artist.id)
    assert body["task_status"]["id"] == str(flow.wip.id)
    assert body["person"]["id"] == str(flow.artist.id)
    assert body["text"] == "Started"

    task = fresh(flow.task)
    assert task.task_status_id == flow.wip.id
    assert task.real_start_date is not None
    assert task.last_comment_date is not None
    assert task.retake_count == 0
    news = db.session.scalars(select(News).where(News.task_id == task.id)).all()
    assert [(n.change, str(n.comment_id)) for n in news] == [(True, body["id"])]
    notified = {(n.person_id, n.type, n.change) for n in db.session.scalars(
        select(Notification).where(Notification.comment_id == news[0].comment_id))}
    assert notified == {(other.id, "comment", True), (watcher.id, "comment", True)}
    assert events_named("comment:new", comment_id=body["id"])
    changed = events_named("task:status-changed", task_id=task.id)
    assert changed and changed[0].data["new_task_status_id"] == str(flow.wip.id)
    assert changed[0].data["previous_task_status_id"] == str(flow.todo.id)


def test_status_rules_feedback_retake_done(client, flow):
    manager, headers = f.on_team(client, flow.project, "manager")
    assert post(client, flow.headers, flow.task, flow.wfa).status_code == 201
    task = fresh(flow.task)
    assert task.end_date is not None and task.done_date is None
    assert events_named("task:to-review", task_id=task.id)
    assert post(client, headers, flow.task, flow.retake).status_code == 201
    task = fresh(flow.task)
    assert task.retake_count == 1 and task.end_date is None
    assert post(client, headers, flow.task, flow.done).status_code == 201
    task = fresh(flow.task)
    assert task.done_date is not None
    # The same status again changes nothing but the last comment date.
    assert post(client, headers, flow.task, flow.done, "again").status_code == 201
    assert fresh(flow.task).retake_count == 1
    assert db.session.scalars(select(News.change).where(News.task_id == task.id)
                              .order_by(News.created_at)).all()[-1] is False


@pytest.mark.parametrize("who", ["supervisor", "user", "vendor"])
def test_non_assignees_are_refused(client, flow, who):
    person, headers = f.on_team(client, flow.project, who)
    # A supervisor of another department (one without any reaches them all).
    f.row(DepartmentLink, person_id=person.id, department_id=f.department().id)
    response = post(client, headers, flow.task, flow.wip)
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Comment)
                             .where(Comment.object_id == flow.task.id)) == 0


def test_outsiders_and_bots_are_refused(client, flow):
    _, headers = f.signed_in(client, "manager")
    assert post(client, headers, flow.task, flow.wip).status_code == 403
    assert client.post(f"/actions/tasks/{flow.task.id}/comment",
                       json={"task_status_id": str(flow.wip.id)}).status_code == 401


def test_supervisor_of_the_department_comments(client, flow):
    supervisor, headers = f.on_team(client, flow.project, "supervisor")
    f.row(DepartmentLink, person_id=supervisor.id, department_id=flow.department.id)
    assert post(client, headers, flow.task, flow.retake).status_code == 201
    assert fresh(flow.task).task_status_id == flow.retake.id


def test_artist_and_client_status_limits(client, flow):
    assert post(client, flow.headers, flow.task, flow.done).status_code == 403
    _, client_headers = f.on_team(client, flow.project, "client")
    assert post(client, client_headers, flow.task, flow.wip).status_code == 403
    assert post(client, client_headers, flow.task, flow.retake).status_code == 201
    # A project may withdraw a status from its clients.
    f.row(ProjectTaskStatusLink,
          project_id=flow.project.id, task_status_id=flow.wfa.id, is_client_allowed=False)
    assert post(client, client_headers, flow.task, flow.wfa).status_code == 403
    assert fresh(flow.task).task_status_id == flow.retake.id


def test_mentioned_person_answers_without_changing_status(client, flow):
    manager, manager_headers = f.on_team(client, flow.project, "manager")
    mentioned, headers = f.on_team(client, flow.project, "user")
    name = f"{mentioned.first_name} {mentioned.last_name}"
    response = post(client, manager_headers, flow.task, flow.todo, f"@{name} have a look")
    assert response.status_code == 201
    assert response.json["mentions"] == [str(mentioned.id)]
    assert db.session.scalar(select(Notification.type).where(
        Notification.person_id == mentioned.id)) == "mention"
    assert post(client, headers, flow.task, flow.todo, "ok").status_code == 201
    assert post(client, headers, flow.task, flow.wip, "starting").status_code == 403
    assert fresh(flow.task).task_status_id == flow.todo.id


def test_department_mention_notifies_its_team_members(client, flow):
    manager, headers = f.on_team(client, flow.project, "manager")
    response = post(client, headers, flow.task, flow.todo, f"@{flow.department.name} ping")
    assert response.json["department_mentions"] == [str(flow.department.id)]
    kinds = set(db.session.execute(select(Notification.person_id, Notification.type).where(
        Notification.comment_id == response.json["id"])).all())
    assert kinds == {(flow.artist.id, "comment"), (flow.artist.id, "mention")}


def test_retake_cap(client, flow):
    flow.project.max_retakes = 1
    db.session.commit()
    _, headers = f.on_team(client, flow.project, "manager")
    assert post(client, headers, flow.task, flow.retake).status_code == 201
    assert post(client, headers, flow.task, flow.wip).status_code == 201
    response = post(client, headers, flow.task, flow.retake)
    assert response.status_code == 400 and "retake" in response.json["message"]
    # The entity's own cap wins over the project's.
    flow.asset.data = {"max_retakes": 3}
    db.session.commit()
    assert post(client, headers, flow.task, flow.retake).status_code == 201
    assert fresh(flow.task).retake_count == 2


def test_only_managers_set_author_date_and_for_client(client, flow):
    someone = f.member(flow.project)
    response = post(client, flow.headers, flow.task, flow.wip, person_id=str(someone.id),
                    created_at="2020-01-01 10:00:00", for_client=True)
    assert response.json["person_id"] == str(flow.artist.id)
    assert response.json["for_client"] is False
    assert not response.json["created_at"].startswith("2020")
    _, headers = f.on_team(client, flow.project, "manager")
    response = post(client, headers, flow.task, flow.wip, person_id=str(someone.id),
                    for_client=True)
    assert response.json["person_id"] == str(someone.id)
    assert response.json["for_client"] is True


def test_back_dated_comment_folds_the_history(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    assert post(client, headers, flow.task, flow.wip, created_at="2024-01-02T10:00:00") \
        .status_code == 201
    assert post(client, headers, flow.task, flow.wfa, created_at="2024-01-05T10:00:00") \
        .status_code == 201
    # Older than the newest: the task keeps the newest status, and the
    # retake between them counts.
    assert post(client, headers, flow.task, flow.retake, created_at="2024-01-03T10:00:00") \
        .status_code == 201
    task = fresh(flow.task)
    assert task.task_status_id == flow.wfa.id
    assert task.retake_count == 1
    assert task.real_start_date == datetime.datetime(2024, 1, 2, 10)
    assert task.end_date == datetime.datetime(2024, 1, 5, 10)
    assert task.last_comment_date == datetime.datetime(2024, 1, 5, 10)


def test_bad_input(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    response = client.post(f"/actions/tasks/{flow.task.id}/comment", headers=headers, json={})
    assert response.status_code == 400 and "task_status_id" in response.json["message"]
    response = post(client, headers, flow.task, flow.wip, created_at="yesterday")
    assert response.status_code == 400 and "created_at" in response.json["message"]
    response = client.post("/actions/tasks/not-an-id/comment", headers=headers,
                           json={"task_status_id": str(flow.wip.id)})
    assert response.status_code == 400
    response = client.post(f"/actions/tasks/{flow.project.id}/comment", headers=headers,
                           json={"task_status_id": str(flow.wip.id)})
    assert response.status_code == 404


def test_hashtags_copy_to_sibling_tasks(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    # Hashtags are letters only: names made unique by their department.
    rigging = f.task_type(name="Rigging", department_id=f.department().id)
    shading = f.task_type(name="Shading", department_id=f.department().id)
    rig_task = f.task(flow.project, flow.asset, rigging, task_status_id=flow.wip.id)
    shade_task = f.task(flow.project, flow.asset, shading, task_status_id=flow.todo.id)
    response = post(client, headers, flow.task, flow.retake, "fix this #rigging")
    assert response.status_code == 201
    copies = db.session.scalars(select(Comment).where(Comment.object_id == rig_task.id)).all()
    assert len(copies) == 1 and copies[0].task_status_id == flow.wip.id
    assert "From" in copies[0].text
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.object_id == shade_task.id)) == 0
    post(client, headers, flow.task, flow.retake, "everyone #all")
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.object_id == shade_task.id)) == 1


def _automation(project, **values):
    row = f.row(StatusAutomation, **values)
    f.row(ProjectStatusAutomationLink, project_id=project.id, status_automation_id=row.id)
    return row


def test_status_automation_cascades_and_never_goes_back(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    rigging = f.task_type(priority=2)
    for tt, priority in ((flow.modeling, 1), (rigging, 2)):
        f.row(ProjectTaskTypeLink, project_id=flow.project.id, task_type_id=tt.id,
              priority=priority)
    rig_task = f.task(flow.project, flow.asset, rigging, task_status_id=flow.todo.id)
    _automation(flow.project, entity_type="asset", in_task_type_id=flow.modeling.id,
                in_task_status_id=flow.done.id, out_field_type="status",
                out_task_type_id=rigging.id, out_task_status_id=flow.wip.id)
    # Backwards (rigging -> modeling): skipped.
    _automation(flow.project, entity_type="asset", in_task_type_id=rigging.id,
                in_task_status_id=flow.wip.id, out_field_type="status",
                out_task_type_id=flow.modeling.id, out_task_status_id=flow.retake.id)
    assert post(client, headers, flow.task, flow.done).status_code == 201
    assert fresh(rig_task).task_status_id == flow.wip.id
    assert fresh(flow.task).task_status_id == flow.done.id
    text = db.session.scalar(select(Comment.text).where(Comment.object_id == rig_task.id))
    assert text.startswith("Change triggered by")


def test_status_automation_loop_ends(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    other = f.task_type()
    other_task = f.task(flow.project, flow.asset, other, task_status_id=flow.todo.id)
    for source, target in ((flow.modeling, other), (other, flow.modeling)):
        _automation(flow.project, entity_type="asset", in_task_type_id=source.id,
                    in_task_status_id=flow.done.id, out_task_type_id=target.id,
                    out_task_status_id=flow.done.id, out_field_type="status")
    assert post(client, headers, flow.task, flow.done).status_code == 201
    assert fresh(other_task).task_status_id == flow.done.id
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.object_id == flow.task.id)) == 1


def test_ready_for_automation(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    layout = f.task_type(for_entity="Shot")
    _automation(flow.project, entity_type="asset", in_task_type_id=flow.modeling.id,
                in_task_status_id=flow.done.id, out_field_type="ready_for",
                out_task_type_id=layout.id)
    assert post(client, headers, flow.task, flow.done).status_code == 201
    db.session.expire_all()
    assert flow.asset.ready_for == layout.id


def test_a_failing_notification_step_leaves_nothing_written(client, flow, monkeypatch,
                                                            tmp_path):
    from app.services import notifications

    monkeypatch.setitem(client.application.config, "FILES_DIR", str(tmp_path))

    other = f.member(flow.project)
    flow.task.assignees.append(other)
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(ApiEvent))

    def broken(*args, **kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(notifications, "_queue_mails", broken)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.post(
            f"/actions/tasks/{flow.task.id}/comment", headers=flow.headers,
            data={"task_status_id": str(flow.wip.id), "comment": "lost",
                  "file": (io.BytesIO(b"notes"), "notes.txt")},
            content_type="multipart/form-data")
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    db.session.rollback()
    task = fresh(flow.task)
    assert task.task_status_id == flow.todo.id and task.last_comment_date is None
    for model, column in ((Comment, Comment.object_id), (News, News.task_id),
                          (Notification, Notification.task_id)):
        assert db.session.scalar(select(func.count()).select_from(model)
                                 .where(column == flow.task.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(ApiEvent)) == before
    assert db.session.scalar(select(func.count()).select_from(AttachmentFile)) == 0
    # The attachment's file, written before the failure, went with the rollback.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_multipart_comment_with_attachment(client, flow):
    response = client.post(
        f"/actions/tasks/{flow.task.id}/comment", headers=flow.headers,
        data={"task_status_id": str(flow.wip.id), "comment": "see file",
              "checklist": '[{"text": "fix ears", "checked": false}]',
              "file": (io.BytesIO(b"notes"), "notes.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert response.json["checklist"] == [{"text": "fix ears", "checked": False}]
    rows = db.session.scalars(select(AttachmentFile).where(
        AttachmentFile.comment_id == response.json["id"])).all()
    assert [(r.name, r.size, r.extension) for r in rows] == [("notes.txt", 5, "txt")]
    assert response.json["attachment_files"] == [str(rows[0].id)]


def test_mails_follow_preferences_after_commit(client, flow):
    from app.extensions import mail

    keen = f.member(flow.project, notifications_enabled=True)
    quiet = f.member(flow.project)
    flow.task.assignees.extend([keen, quiet])
    db.session.commit()
    config = client.application.config
    saved = config.get("MAIL_SERVER"), config.get("MAIL_SUPPRESS_SEND")
    config.update(MAIL_SERVER="localhost", MAIL_SUPPRESS_SEND=True)
    state = client.application.extensions["mail"]
    mail.init_app(client.application)
    try:
        with mail.record_messages() as outbox:
            assert post(client, flow.headers, flow.task, flow.wfa, "please review") \
                .status_code == 201
    finally:
        config.update(MAIL_SERVER=saved[0], MAIL_SUPPRESS_SEND=saved[1])
        client.application.extensions["mail"] = state
    assert [m.recipients for m in outbox] == [[keen.email]]
    assert "please review" in outbox[0].body


def test_raw_status_update_applies_the_date_rules(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    response = client.put(f"/data/tasks/{flow.task.id}", headers=headers,
                          json={"task_status_id": str(flow.wfa.id)})
    assert response.status_code == 200, response.json
    task = fresh(flow.task)
    assert task.end_date is not None
    client.put(f"/data/tasks/{flow.task.id}", headers=headers,
               json={"task_status_id": str(flow.retake.id)})
    task = fresh(flow.task)
    assert task.end_date is None and task.retake_count == 1
    assert events_named("task:status-changed", task_id=task.id)


def test_mentions_are_stored(client, flow):
    _, headers = f.on_team(client, flow.project, "manager")
    name = f"{flow.artist.first_name} {flow.artist.last_name}"
    response = post(client, headers, flow.task, flow.todo, f"hello @{name}")
    assert db.session.scalars(select(CommentMention.person).where(
        CommentMention.comment == response.json["id"])).all() == [flow.artist.id]
