"""Acknowledgements, replies, attachments, moving and deleting comments,
the comments collection's edit rules, and batches of comments."""
import datetime
import io
import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.comment import Comment, CommentAcknowledgement, CommentMention, \
    CommentPreviewLink
from app.models.events import ApiEvent, News, Notification
from app.models.files import AttachmentFile
from app.models.person import DepartmentLink
from app.models.task import Task
from app.services import storage
from tests import factories as f


@pytest.fixture
def files(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def flow(client):
    project = f.project()
    department = f.department()
    modeling = f.task_type(department_id=department.id)
    rigging = f.task_type()
    manager, manager_h = f.on_team(client, project, "manager")
    artist, artist_h = f.on_team(client, project, "user")
    f.row(DepartmentLink, person_id=artist.id, department_id=department.id)
    todo = f.task_status()
    wip = f.task_status(is_wip=True, is_artist_allowed=True)
    done = f.task_status(is_done=True, is_artist_allowed=False)
    asset = f.asset(project)
    task = f.task(project, asset, modeling, assignees=[artist], task_status_id=todo.id)
    sibling = f.task(project, asset, rigging, task_status_id=todo.id)
    return type("Flow", (), dict(
        project=project, department=department, manager=manager, manager_h=manager_h,
        artist=artist, artist_h=artist_h, todo=todo, wip=wip, done=done, asset=asset,
        task=task, sibling=sibling))


def post(client, headers, task, status, text="", **extra):
    response = client.post(f"/actions/tasks/{task.id}/comment", headers=headers,
                           json={"task_status_id": str(status.id), "comment": text, **extra})
    assert response.status_code == 201, response.json
    return response.json


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def events_named(name):
    return db.session.scalars(select(ApiEvent).where(ApiEvent.name == name)).all()


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# Acknowledgements ------------------------------------------------------------------

def test_ack_toggles(client, flow):
    comment = post(client, flow.manager_h, flow.task, flow.wip, "look")
    url = f"/data/tasks/{flow.task.id}/comments/{comment['id']}/ack"
    response = client.post(url, headers=flow.artist_h)
    assert response.status_code == 200, response.json
    assert response.json["acknowledgements"] == [str(flow.artist.id)]
    assert count(CommentAcknowledgement, CommentAcknowledgement.comment == comment["id"]) == 1
    response = client.post(url, headers=flow.artist_h)
    assert response.json["acknowledgements"] == []
    assert count(CommentAcknowledgement, CommentAcknowledgement.comment == comment["id"]) == 0
    # Not persisted: a live signal only.
    assert not events_named("comment:acknowledge")


def test_ack_refused(client, flow):
    customer, customer_h = f.on_team(client, flow.project, "client")
    by_client = post(client, customer_h, flow.task, flow.todo, "hmm")
    url = f"/data/tasks/{flow.task.id}/comments/{by_client['id']}/ack"
    assert client.post(url, headers=flow.artist_h).status_code == 403
    _, vendor_h = f.on_team(client, flow.project, "vendor")
    assert client.post(url, headers=vendor_h).status_code == 403
    _, outsider_h = f.signed_in(client, "user")
    assert client.post(url, headers=outsider_h).status_code == 403
    assert client.post(f"/data/tasks/{flow.sibling.id}/comments/{by_client['id']}/ack",
                       headers=flow.manager_h).status_code == 404
    assert client.post(url, headers=flow.manager_h).status_code == 200


# Replies ---------------------------------------------------------------------------------

def test_reply_notifies_the_thread(client, flow):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "done?")
    supervisor, supervisor_h = f.on_team(client, flow.project, "supervisor")
    url = f"/data/tasks/{flow.task.id}/comments/{comment['id']}/reply"
    name = f"{supervisor.first_name} {supervisor.last_name}"
    response = client.post(url, headers=flow.manager_h, json={"text": f"@{name} check"})
    assert response.status_code == 200, response.json
    first = response.json
    assert first["person_id"] == str(flow.manager.id)
    assert first["person"]["id"] == str(flow.manager.id)
    assert first["mentions"] == [str(supervisor.id)]
    kinds = {(n.person_id, n.type) for n in db.session.scalars(
        select(Notification).where(Notification.reply_id == first["id"]))}
    assert kinds == {(flow.artist.id, "reply"), (supervisor.id, "reply-mention")}
    # The supervisor's department supervises modeling: they may answer.
    f.row(DepartmentLink, person_id=supervisor.id, department_id=flow.department.id)
    second = client.post(url, headers=supervisor_h, json={"text": "fine"}).json
    notified = {n.person_id for n in db.session.scalars(
        select(Notification).where(Notification.reply_id == second["id"]))}
    assert notified == {flow.artist.id, flow.manager.id}
    replies = fresh(Comment, comment["id"]).replies
    assert [r["id"] for r in replies] == [first["id"], second["id"]]
    assert events_named("comment:reply")
    listed = client.get(f"/data/tasks/{flow.task.id}/comments", headers=flow.artist_h).json
    assert [r["person"]["id"] for r in listed[0]["replies"]] == \
        [str(flow.manager.id), str(supervisor.id)]


def test_replies_append_atomically(client, flow):
    """Each reply is appended by the database: a stale copy of the comment
    in the session cannot drop another reply."""
    comment = post(client, flow.artist_h, flow.task, flow.wip, "x")
    row = db.session.get(Comment, comment["id"])
    assert row.replies == []
    url = f"/data/tasks/{flow.task.id}/comments/{comment['id']}/reply"
    for text in ("one", "two", "three"):
        assert client.post(url, headers=flow.manager_h, json={"text": text}).status_code == 200
    assert [r["text"] for r in fresh(Comment, comment["id"]).replies] == ["one", "two", "three"]


def test_reply_with_file(client, flow, files):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "x")
    response = client.post(
        f"/data/tasks/{flow.task.id}/comments/{comment['id']}/reply", headers=flow.manager_h,
        data={"text": "see", "file": (io.BytesIO(b"abc"), "a.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.json
    attached = response.json["attachment_files"]
    assert [a["name"] for a in attached] == ["a.txt"]
    row = db.session.get(AttachmentFile, attached[0]["id"])
    assert str(row.reply_id) == response.json["id"] and str(row.comment_id) == comment["id"]


def test_reply_refusals(client, flow):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "x")
    url = f"/data/tasks/{flow.task.id}/comments/{comment['id']}/reply"
    _, other_artist_h = f.on_team(client, flow.project, "user")
    assert client.post(url, headers=other_artist_h, json={"text": "a"}).status_code == 403
    _, vendor_h = f.on_team(client, flow.project, "vendor")
    assert client.post(url, headers=vendor_h, json={"text": "a"}).status_code == 403
    _, outsider_h = f.signed_in(client, "manager")
    assert client.post(url, headers=outsider_h, json={"text": "a"}).status_code == 403
    # A comment shared with clients is answered by the managers.
    shared = post(client, flow.manager_h, flow.task, flow.wip, "for you", for_client=True)
    assert client.post(f"/data/tasks/{flow.task.id}/comments/{shared['id']}/reply",
                       headers=flow.artist_h, json={"text": "a"}).status_code == 403
    assert client.post(url, headers=flow.artist_h, json=["a"]).status_code == 400
    assert fresh(Comment, comment["id"]).replies == []


def test_delete_reply(client, flow):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "x")
    url = f"/data/tasks/{flow.task.id}/comments/{comment['id']}/reply"
    mine = client.post(url, headers=flow.manager_h, json={"text": "a"}).json
    theirs = client.post(url, headers=flow.artist_h, json={"text": "b"}).json
    assert count(Notification, Notification.reply_id == mine["id"]) == 1
    assert client.delete(f"{url}/{mine['id']}", headers=flow.artist_h).status_code == 403
    response = client.delete(f"{url}/{mine['id']}", headers=flow.manager_h)
    assert response.status_code == 200, response.json
    assert [r["id"] for r in response.json["replies"]] == [theirs["id"]]
    assert count(Notification, Notification.reply_id == mine["id"]) == 0
    admin, admin_h = f.signed_in(client, "admin")
    assert client.delete(f"{url}/{theirs['id']}", headers=admin_h).status_code == 200
    assert fresh(Comment, comment["id"]).replies == []
    assert client.delete(f"{url}/{theirs['id']}", headers=admin_h).status_code == 404
    assert client.delete(f"{url}/nope", headers=admin_h).status_code == 400


# Attachments -----------------------------------------------------------------------------

def test_attachments_add_download_remove(client, flow, files):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "x")
    url = f"/actions/tasks/{flow.task.id}/comments/{comment['id']}/add-attachment"
    response = client.post(url, headers=flow.artist_h, content_type="multipart/form-data",
                           data={"a": (io.BytesIO(b"PNGDATA"), "pic.png", "image/png"),
                                 "b": (io.BytesIO(b"<svg/>"), "x.svg", "image/svg+xml")})
    assert response.status_code == 201, response.json
    by_name = {a["name"]: a for a in response.json}
    assert set(by_name) == {"pic.png", "x.svg"}
    png, svg = by_name["pic.png"], by_name["x.svg"]
    download = client.get(f"/data/attachment-files/{png['id']}/file/pic.png",
                          headers=flow.artist_h)
    assert download.status_code == 200 and download.data == b"PNGDATA"
    assert "attachment" not in download.headers.get("Content-Disposition", "")
    download = client.get(f"/data/attachment-files/{svg['id']}/file/x.svg",
                          headers=flow.manager_h)
    assert download.headers["Content-Disposition"].startswith("attachment")
    _, vendor_h = f.on_team(client, flow.project, "vendor")
    assert client.get(f"/data/attachment-files/{png['id']}/file/pic.png",
                      headers=vendor_h).status_code == 403
    # Listing (admins: sync routes).
    admin, admin_h = f.signed_in(client, "admin")
    listed = client.get(f"/data/tasks/{flow.task.id}/attachment-files", headers=admin_h).json
    assert {a["id"] for a in listed} == {png["id"], svg["id"]}
    listed = client.get(f"/data/projects/{flow.project.id}/attachment-files",
                        headers=admin_h).json
    assert {a["id"] for a in listed} == {png["id"], svg["id"]}
    assert client.get(f"/data/tasks/{flow.task.id}/attachment-files",
                      headers=flow.manager_h).status_code == 403
    # Removing: the author or a manager, and only the comment's own files.
    other = post(client, flow.manager_h, flow.task, flow.wip, "y")
    remove = f"/data/tasks/{flow.task.id}/comments/{other['id']}/attachments/{png['id']}"
    assert client.delete(remove, headers=flow.manager_h).status_code == 404
    remove = f"/data/tasks/{flow.task.id}/comments/{comment['id']}/attachments/{png['id']}"
    _, other_artist_h = f.on_team(client, flow.project, "user")
    assert client.delete(remove, headers=other_artist_h).status_code == 403
    assert client.delete(remove, headers=flow.artist_h).status_code == 204
    assert db.session.get(AttachmentFile, png["id"]) is None
    assert not storage.backend().exists("files", f"attachments-{png['id']}")
    assert client.post(url, headers=other_artist_h, content_type="multipart/form-data",
                       data={"a": (io.BytesIO(b"x"), "x.txt")}).status_code == 403
    assert client.post(url, headers=flow.manager_h, content_type="multipart/form-data",
                       data={}).status_code == 400


def test_chat_attachment_follows_the_entity(client, flow, files):
    chat = f.chat(flow.asset)
    message = f.chat_message(chat, flow.manager)
    row = _chat_attachment(message)
    url = f"/data/attachment-files/{row.id}/file/{row.name}"
    assert client.get(url, headers=flow.artist_h).status_code == 200
    _, outsider_h = f.signed_in(client, "user")
    assert client.get(url, headers=outsider_h).status_code == 403


def _chat_attachment(message):
    row = f.row(AttachmentFile, name="c.txt", extension="txt", mimetype="text/plain",
                chat_message_id=message.id, size=2)
    storage.backend().put("files", f"attachments-{row.id}", b"hi")
    return row


# Deleting a comment -----------------------------------------------------------------------

def test_delete_reverts_the_task(client, flow, files):
    first = post(client, flow.artist_h, flow.task, flow.wip, "started")
    second = post(client, flow.manager_h, flow.task, flow.done, "done")
    attached = client.post(
        f"/actions/tasks/{flow.task.id}/comments/{second['id']}/add-attachment",
        headers=flow.manager_h, content_type="multipart/form-data",
        data={"a": (io.BytesIO(b"x"), "x.txt")}).json[0]
    assert fresh(Task, flow.task.id).task_status_id == flow.done.id
    url = f"/data/tasks/{flow.task.id}/comments/{second['id']}"
    assert client.delete(url, headers=flow.artist_h).status_code == 403
    assert client.delete(url, headers=flow.manager_h).status_code == 204
    task = fresh(Task, flow.task.id)
    assert task.task_status_id == flow.wip.id and task.done_date is None
    assert count(News, News.comment_id == second["id"]) == 0
    assert count(AttachmentFile, AttachmentFile.id == attached["id"]) == 0
    assert not storage.backend().exists("files", f"attachments-{attached['id']}")
    assert [e.data["task_id"] for e in events_named("comment:delete")] == [str(flow.task.id)]
    # The artist deletes their own: back to the default status.
    assert client.delete(f"/data/tasks/{flow.task.id}/comments/{first['id']}",
                         headers=flow.artist_h).status_code == 204
    from app.services.entity_tasks import default_status
    assert fresh(Task, flow.task.id).task_status_id == default_status(False).id
    assert client.delete(url, headers=flow.manager_h).status_code == 404


def test_crud_delete_reverts_the_task(client, flow):
    post(client, flow.artist_h, flow.task, flow.wip, "started")
    second = post(client, flow.artist_h, flow.task, flow.todo, "paused")
    notified = count(Notification, Notification.comment_id == second["id"])
    _, outsider_h = f.signed_in(client, "manager")
    assert client.delete(f"/data/comments/{second['id']}", headers=outsider_h).status_code \
        == 403
    _, supervisor_h = f.on_team(client, flow.project, "supervisor")
    assert client.delete(f"/data/comments/{second['id']}",
                         headers=supervisor_h).status_code == 403
    assert client.delete(f"/data/comments/{second['id']}",
                         headers=flow.artist_h).status_code == 204
    assert fresh(Task, flow.task.id).task_status_id == flow.wip.id
    assert notified >= 0 and count(Notification, Notification.comment_id == second["id"]) == 0
    assert count(Comment, Comment.id == second["id"]) == 0


# Editing through the collection ----------------------------------------------------------

def put(client, headers, comment_id, **data):
    return client.put(f"/data/comments/{comment_id}", headers=headers, json=data)


def test_author_edits_and_mentions_follow(client, flow):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "hello")
    manager_name = f"{flow.manager.first_name} {flow.manager.last_name}"
    response = put(client, flow.artist_h, comment["id"], text=f"@{manager_name} look")
    assert response.status_code == 200, response.json
    assert response.json["editor_id"] == str(flow.artist.id)
    assert response.json["mentions"] == [str(flow.manager.id)]
    assert {(n.person_id, n.type) for n in db.session.scalars(select(Notification).where(
        Notification.comment_id == comment["id"], Notification.type == "mention"))} == \
        {(flow.manager.id, "mention")}
    response = put(client, flow.artist_h, comment["id"], text="nobody")
    assert response.json["mentions"] == []
    assert count(Notification, Notification.comment_id == comment["id"],
                 Notification.type == "mention") == 0
    assert count(CommentMention, CommentMention.comment == comment["id"]) == 0


def test_others_only_pin_and_tick(client, flow):
    comment = post(client, flow.manager_h, flow.task, flow.wip, "todo",
                   checklist=[{"text": "a", "checked": False}])
    ticked = [{"text": "a", "checked": True}]
    # The assignee ticks, may not pin nor edit the text.
    assert put(client, flow.artist_h, comment["id"], checklist=ticked).status_code == 200
    assert put(client, flow.artist_h, comment["id"], pinned=True).status_code == 403
    assert put(client, flow.artist_h, comment["id"], text="x").status_code == 403
    # Unchanged values are not edits.
    assert put(client, flow.artist_h, comment["id"], text="todo",
               checklist=ticked).status_code == 200
    supervisor, supervisor_h = f.on_team(client, flow.project, "supervisor")
    f.row(DepartmentLink, person_id=supervisor.id, department_id=flow.department.id)
    assert put(client, supervisor_h, comment["id"], pinned=True).status_code == 200
    assert fresh(Comment, comment["id"]).pinned is True
    outside, outside_h = f.on_team(client, flow.project, "supervisor")
    f.row(DepartmentLink, person_id=outside.id, department_id=f.department().id)
    assert put(client, outside_h, comment["id"], pinned=False).status_code == 403
    assert put(client, outside_h, comment["id"], checklist=[]).status_code == 403
    _, other_artist_h = f.on_team(client, flow.project, "user")
    assert put(client, other_artist_h, comment["id"], checklist=[]).status_code == 403
    _, outsider_h = f.signed_in(client, "manager")
    assert put(client, outsider_h, comment["id"], text="x").status_code == 403
    assert fresh(Comment, comment["id"]).text == "todo"


def test_for_client_is_for_managers(client, flow):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "mine")
    assert put(client, flow.artist_h, comment["id"], for_client=True).status_code == 403
    assert put(client, flow.manager_h, comment["id"], for_client=True).status_code == 200
    assert put(client, flow.manager_h, comment["id"],
               object_id=str(flow.sibling.id)).status_code == 400


def test_status_edit_refolds_the_task(client, flow):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "go")
    assert put(client, flow.artist_h, comment["id"],
               task_status_id=str(flow.done.id)).status_code == 403
    response = put(client, flow.manager_h, comment["id"], task_status_id=str(flow.done.id))
    assert response.status_code == 200, response.json
    task = fresh(Task, flow.task.id)
    assert task.task_status_id == flow.done.id and task.done_date is not None
    assert put(client, flow.manager_h, comment["id"],
               task_status_id="nope").status_code == 400


# Moving a comment ------------------------------------------------------------------------

def test_move_between_sibling_tasks(client, flow):
    comment = post(client, flow.artist_h, flow.task, flow.wip, "wrong task")
    url = f"/actions/tasks/{flow.task.id}/comments/{comment['id']}/move"
    assert client.post(url, headers=flow.artist_h,
                       json={"target_task_id": str(flow.sibling.id)}).status_code == 403
    response = client.post(url, headers=flow.manager_h,
                           json={"target_task_id": str(flow.sibling.id)})
    assert response.status_code == 200, response.json
    assert response.json["object_id"] == str(flow.sibling.id)
    assert fresh(Task, flow.task.id).task_status_id != flow.wip.id
    assert fresh(Task, flow.sibling.id).task_status_id == flow.wip.id
    assert [n.task_id for n in db.session.scalars(
        select(News).where(News.comment_id == comment["id"]))] == [flow.sibling.id]
    back = f"/actions/tasks/{flow.sibling.id}/comments/{comment['id']}/move"
    elsewhere = f.task(flow.project)
    assert client.post(back, headers=flow.manager_h,
                       json={"task_id": str(elsewhere.id)}).status_code == 400
    assert client.post(back, headers=flow.manager_h,
                       json={"task_id": str(flow.sibling.id)}).status_code == 400
    assert client.post(back, headers=flow.manager_h, json={}).status_code == 400
    preview = f.preview_file(flow.sibling)
    f.row(CommentPreviewLink, comment=comment["id"], preview_file=preview.id)
    assert client.post(back, headers=flow.manager_h,
                       json={"task_id": str(flow.task.id)}).status_code == 400


# Batches ---------------------------------------------------------------------------------

def test_comment_many(client, flow):
    url = f"/actions/projects/{flow.project.id}/tasks/comment-many"
    items = [{"object_id": str(t.id), "task_status_id": str(flow.wip.id), "comment": "batch"}
             for t in (flow.task, flow.sibling)]
    response = client.post(url, headers=flow.manager_h, json=items)
    assert response.status_code == 201, response.json
    assert {c["object_id"] for c in response.json} == {str(flow.task.id), str(flow.sibling.id)}
    # An artist: their assigned task only, the rest skipped.
    response = client.post(url, headers=flow.artist_h, json=items)
    assert [c["object_id"] for c in response.json] == [str(flow.task.id)]
    # A status they may not use fails the whole batch.
    bad = [{**items[0], "task_status_id": str(flow.done.id)}]
    before = count(Comment, Comment.object_id == flow.task.id)
    assert client.post(url, headers=flow.artist_h, json=bad).status_code == 403
    db.session.rollback()
    assert count(Comment, Comment.object_id == flow.task.id) == before
    _, outsider_h = f.signed_in(client, "manager")
    assert client.post(url, headers=outsider_h, json=items).status_code == 403
    assert client.post(url, headers=flow.manager_h, json={"a": 1}).status_code == 400


def test_batch_comment_is_one_transaction(client, flow, files):
    url = "/actions/tasks/batch-comment"
    comments = [{"task_id": str(flow.task.id), "task_status_id": str(flow.wip.id),
                 "text": "one"},
                {"task_id": str(flow.sibling.id), "task_status_id": str(flow.wip.id),
                 "text": "two"}]
    # The artist may not comment the sibling: nothing is written.
    assert client.post(url, headers=flow.artist_h, json={"comments": comments}).status_code \
        == 403
    db.session.rollback()
    assert count(Comment, Comment.object_id == flow.task.id) == 0
    response = client.post(url, headers=flow.manager_h, content_type="multipart/form-data",
                           data={"comments": json.dumps(comments),
                                 "attachment_file-1": (io.BytesIO(b"x"), "x.txt")})
    assert response.status_code == 201, response.json
    assert [c["text"] for c in response.json] == ["one", "two"]
    assert response.json[0]["preview_files"] == []
    assert response.json[1]["attachment_files"] and not response.json[0]["attachment_files"]
    assert fresh(Task, flow.sibling.id).task_status_id == flow.wip.id
    before = count(Comment, Comment.object_id == flow.task.id)
    response = client.post(url, headers=flow.manager_h, content_type="multipart/form-data",
                           data={"comments": json.dumps(comments[:1]),
                                 "preview_file-0": (io.BytesIO(b"x"), "x.png")})
    # Previews are published here (tests/test_previews.py); bytes that are
    # no picture are refused, with nothing written.
    assert response.status_code == 400
    assert "picture" in response.json["message"]
    db.session.rollback()
    assert count(Comment, Comment.object_id == flow.task.id) == before
    assert client.post(url, headers=flow.manager_h, json={}).status_code == 400
    assert client.post(url, headers=flow.manager_h,
                       json={"comments": [{"text": "x"}]}).status_code == 400


def test_copy_client_comments(client, flow):
    customer, customer_h = f.on_team(client, flow.project, "client")
    post(client, customer_h, flow.task, flow.todo, "older")
    db.session.execute(Comment.__table__.update().values(
        created_at=datetime.datetime(2020, 1, 1)))
    db.session.commit()
    post(client, customer_h, flow.task, flow.todo, "latest")
    url = f"/actions/projects/{flow.project.id}/tasks/copy-client-comments"
    body = {"task_ids": [str(flow.task.id), str(flow.sibling.id)], "prefix": "Client:"}
    assert client.post(url, headers=flow.artist_h, json=body).status_code == 403
    response = client.post(url, headers=flow.manager_h, json=body)
    assert response.status_code == 201, response.json
    assert [(c["object_id"], c["text"], c["person_id"]) for c in response.json] == \
        [(str(flow.task.id), "Client:\n\nlatest", str(flow.manager.id))]
    assert fresh(Task, flow.task.id).task_status_id == flow.todo.id
    listed = client.get(f"/data/tasks/{flow.task.id}/comments", headers=flow.artist_h).json
    assert [c["text"] for c in listed] == ["Client:\n\nlatest"]
    assert client.post(url, headers=flow.manager_h, json={"task_ids": []}).status_code == 400


MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("method,path", [
    ("post", "/data/tasks/{task}/comments/{comment}/ack"),
    ("post", "/data/tasks/{task}/comments/{comment}/reply"),
    ("get", "/data/tasks/{task}/comments/{comment}"),
    ("delete", "/data/tasks/{task}/comments/{comment}"),
    ("post", "/actions/tasks/{task}/comments/{comment}/add-attachment"),
    ("delete", "/data/tasks/{task}/comments/{comment}/attachments/" + MISSING),
    ("get", "/data/attachment-files/{comment}/file/x.txt"),
])
def test_unknown_and_malformed_ids(client, flow, method, path):
    call = getattr(client, method)
    url = path.format(task=flow.task.id, comment=MISSING)
    assert call(url, headers=flow.manager_h).status_code == 404
    url = path.format(task=flow.task.id, comment="not-an-id")
    assert call(url, headers=flow.manager_h).status_code == 400


def test_move_to_unknown_task(client, flow):
    comment = post(client, flow.manager_h, flow.task, flow.wip, "x")
    url = f"/actions/tasks/{flow.task.id}/comments/{comment['id']}/move"
    assert client.post(url, headers=flow.manager_h,
                       json={"target_task_id": MISSING}).status_code == 404
    assert client.post(url, headers=flow.manager_h,
                       json={"target_task_id": "nope"}).status_code == 400


def test_batch_comment_on_one_task(client, flow):
    url = f"/actions/tasks/{flow.task.id}/batch-comment"
    comments = [{"task_status_id": str(flow.wip.id), "text": "a"},
                {"task_status_id": str(flow.wip.id), "text": "b"}]
    response = client.post(url, headers=flow.artist_h, json={"comments": comments})
    assert response.status_code == 201, response.json
    assert [c["object_id"] for c in response.json] == [str(flow.task.id)] * 2
    assert client.post(f"/actions/tasks/{flow.sibling.id}/batch-comment",
                       headers=flow.artist_h, json={"comments": comments}).status_code == 403
