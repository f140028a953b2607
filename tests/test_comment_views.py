"""Reading comments: a task's thread per role (section 2.3), one comment,
a production's comments, and the comments collection's read rule."""
import datetime

import pytest

from app.extensions import db
from app.models.comment import CommentAcknowledgement, CommentMention, CommentPreviewLink
from app.models.files import AttachmentFile
from app.models.person import DepartmentLink
from tests import factories as f


@pytest.fixture
def thread(client):
    """A task with comments by a manager, an artist and a client, one manager
    comment on a revision, one shared with clients."""
    project = f.project()
    department = f.department()
    task_type = f.task_type(department_id=department.id)
    manager, manager_h = f.on_team(client, project, "manager")
    artist, artist_h = f.on_team(client, project, "user")
    customer, customer_h = f.on_team(client, project, "client")
    task = f.task(project, f.asset(project), task_type, assignees=[artist])
    base = datetime.datetime(2024, 1, 1, 10, 0, 0)

    def at(minutes):
        return base + datetime.timedelta(minutes=minutes)

    by_manager = f.comment(task, manager, text="internal", created_at=at(1))
    by_artist = f.comment(task, artist, text="wip", created_at=at(2),
                          replies=[{"id": "r1", "person_id": str(manager.id), "text": "ok"}])
    by_client = f.comment(task, customer, text="client says", created_at=at(3))
    on_revision = f.comment(task, manager, text="secret note", created_at=at(4),
                            checklist=[{"text": "x", "checked": False}])
    preview = f.preview_file(task, validation_status="neutral")
    rejected = f.preview_file(task, revision=2, validation_status="rejected")
    f.row(CommentPreviewLink, comment=on_revision.id, preview_file=preview.id)
    f.row(CommentPreviewLink, comment=on_revision.id, preview_file=rejected.id)
    shared = f.comment(task, manager, text="for you", created_at=at(5), for_client=True)
    f.attachment_file(on_revision)
    f.row(CommentMention, comment=by_artist.id, person=manager.id)
    f.row(CommentAcknowledgement, comment=by_manager.id, person=artist.id)
    return type("Thread", (), dict(
        project=project, department=department, task=task, manager=manager,
        manager_h=manager_h, artist=artist, artist_h=artist_h, customer=customer,
        customer_h=customer_h, by_manager=by_manager, by_artist=by_artist,
        by_client=by_client, on_revision=on_revision, shared=shared, preview=preview))


def listing(client, headers, task):
    return client.get(f"/data/tasks/{task.id}/comments", headers=headers)


def test_manager_sees_everything_newest_first(client, thread):
    response = listing(client, thread.manager_h, thread.task)
    assert response.status_code == 200, response.json
    body = response.json
    assert [c["id"] for c in body] == [str(c.id) for c in (
        thread.shared, thread.on_revision, thread.by_client, thread.by_artist,
        thread.by_manager)]
    by_id = {c["id"]: c for c in body}
    revision = by_id[str(thread.on_revision.id)]
    assert len(revision["previews"]) == 2
    assert {p["id"] for p in revision["previews"]} >= {str(thread.preview.id)}
    assert revision["previews"][0]["revision"] == 1
    assert [a["name"] for a in revision["attachment_files"]] and \
        set(revision["attachment_files"][0]) == {"id", "name", "extension", "reply_id", "size"}
    assert revision["text"] == "secret note"
    artist_comment = by_id[str(thread.by_artist.id)]
    assert artist_comment["mentions"] == [str(thread.manager.id)]
    assert artist_comment["person"]["id"] == str(thread.artist.id)
    assert artist_comment["person"]["full_name"] == \
        f"{thread.artist.first_name} {thread.artist.last_name}"
    assert artist_comment["replies"][0]["person"]["id"] == str(thread.manager.id)
    assert by_id[str(thread.by_manager.id)]["acknowledgements"] == [str(thread.artist.id)]
    assert artist_comment["task_status"]["id"] == str(thread.task.task_status_id)
    assert "author_role" not in artist_comment


def test_supervisor_sees_everything(client, thread):
    _, headers = f.on_team(client, thread.project, "supervisor")
    assert len(listing(client, headers, thread.task).json) == 5


def test_artist_does_not_see_client_comments(client, thread):
    body = listing(client, thread.artist_h, thread.task).json
    assert str(thread.by_client.id) not in {c["id"] for c in body}
    assert len(body) == 4


def test_client_role_from_the_team_counts(client, thread):
    # A studio artist who is a client on this production writes as a client.
    other = f.member(thread.project, project_role="client")
    comment = f.comment(thread.task, other, text="from a client seat")
    body = listing(client, thread.artist_h, thread.task).json
    assert str(comment.id) not in {c["id"] for c in body}


def test_client_view(client, thread):
    body = listing(client, thread.customer_h, thread.task).json
    by_id = {c["id"]: c for c in body}
    assert set(by_id) == {str(thread.shared.id), str(thread.on_revision.id),
                          str(thread.by_client.id)}
    revision = by_id[str(thread.on_revision.id)]
    assert revision["text"] == "" and revision["checklist"] == [] and \
        revision["attachment_files"] == [] and revision["replies"] == []
    # Rejected revisions are not shown to clients.
    assert [p["id"] for p in revision["previews"]] == [str(thread.preview.id)]
    assert revision["person"] is None and revision["person_id"] is None
    assert by_id[str(thread.shared.id)]["text"] == "for you"
    assert by_id[str(thread.shared.id)]["person"] is None
    assert by_id[str(thread.by_client.id)]["person"]["id"] == str(thread.customer.id)


def test_isolated_clients_see_only_their_own(client, thread):
    thread.project.is_clients_isolated = True
    db.session.commit()
    other, other_h = f.on_team(client, thread.project, "client")
    ids = {c["id"] for c in listing(client, other_h, thread.task).json}
    assert ids == {str(thread.shared.id), str(thread.on_revision.id)}
    ids = {c["id"] for c in listing(client, thread.customer_h, thread.task).json}
    assert str(thread.by_client.id) in ids


def test_vendor_needs_the_assignment(client, thread):
    vendor, headers = f.on_team(client, thread.project, "vendor")
    assert listing(client, headers, thread.task).status_code == 403
    thread.task.assignees.append(vendor)
    db.session.commit()
    body = listing(client, headers, thread.task).json
    assert len(body) == 4


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_outsiders_refused(client, thread, who):
    if who == "outsider":
        _, headers = f.signed_in(client, "manager")
        assert listing(client, headers, thread.task).status_code == 403
    else:
        assert listing(client, {}, thread.task).status_code == 401


def test_bot_on_team_reads(client, thread):
    _, headers = f.on_team(client, thread.project, "bot")
    assert len(listing(client, headers, thread.task).json) == 4


def test_unknown_and_malformed_task(client, thread):
    assert client.get("/data/tasks/not-an-id/comments",
                      headers=thread.manager_h).status_code == 400
    assert client.get("/data/tasks/00000000-0000-4000-8000-000000000000/comments",
                      headers=thread.manager_h).status_code == 404


def one(client, headers, task, comment):
    return client.get(f"/data/tasks/{task.id}/comments/{comment.id}", headers=headers)


def test_single_comment_rules(client, thread):
    response = one(client, thread.manager_h, thread.task, thread.on_revision)
    assert response.status_code == 200
    assert response.json["previews"] and response.json["attachment_files"][0]["name"]
    assert response.json["person"]["id"] == str(thread.manager.id)
    assert one(client, thread.artist_h, thread.task, thread.by_client).status_code == 403
    assert one(client, thread.artist_h, thread.task, thread.by_manager).status_code == 200
    assert one(client, thread.customer_h, thread.task, thread.by_manager).status_code == 403
    assert one(client, thread.customer_h, thread.task, thread.shared).status_code == 200
    other_task = f.task(thread.project)
    assert one(client, thread.manager_h, other_task, thread.by_manager).status_code == 404


def test_crud_read_follows_the_same_rule(client, thread):
    url = f"/data/comments/{thread.by_client.id}"
    assert client.get(url, headers=thread.artist_h).status_code == 403
    assert client.get(url, headers=thread.customer_h).status_code == 200
    response = client.get(url, headers=thread.manager_h)
    assert response.json["person"]["id"] == str(thread.customer.id)
    isolated_other, headers = f.on_team(client, thread.project, "client")
    thread.project.is_clients_isolated = True
    db.session.commit()
    assert client.get(url, headers=headers).status_code == 403


def test_project_comments(client, thread):
    url = f"/data/projects/{thread.project.id}/comments"
    body = client.get(url, headers=thread.manager_h).json
    assert len(body) == 5
    row = next(c for c in body if c["id"] == str(thread.on_revision.id))
    assert len(row["previews"]) == 2 and len(row["attachment_files"]) == 1
    assert isinstance(row["attachment_files"][0], str)
    page = client.get(url + "?page=1&limit=2", headers=thread.manager_h).json
    assert page["total"] == 5 and len(page["data"]) == 2 and page["nb_pages"] == 3
    artist = client.get(url, headers=thread.artist_h).json
    assert str(thread.by_client.id) not in {c["id"] for c in artist} and len(artist) == 4
    assert client.get(url, headers=thread.customer_h).status_code == 403
    _, vendor_h = f.on_team(client, thread.project, "vendor")
    assert client.get(url, headers=vendor_h).status_code == 403
    _, outsider_h = f.signed_in(client, "manager")
    assert client.get(url, headers=outsider_h).status_code == 403
    missing = "/data/projects/00000000-0000-4000-8000-000000000000/comments"
    assert client.get(missing, headers=thread.manager_h).status_code == 404


def test_supervisor_department_does_not_limit_reading(client, thread):
    supervisor, headers = f.on_team(client, thread.project, "supervisor")
    f.row(DepartmentLink, person_id=supervisor.id, department_id=f.department().id)
    assert one(client, headers, thread.task, thread.by_client).status_code == 200


def test_single_comment_hides_studio_authors_from_clients(client, thread):
    shared = one(client, thread.customer_h, thread.task, thread.shared).json
    assert shared["text"] == "for you" and shared["person"] is None \
        and shared["person_id"] is None
    own = one(client, thread.customer_h, thread.task, thread.by_client).json
    assert own["person"]["id"] == str(thread.customer.id)


def test_attachments_follow_their_comment(client, thread):
    on_client_comment = f.attachment_file(thread.by_client)
    internal = db.session.scalars(db.select(AttachmentFile).where(
        AttachmentFile.comment_id == thread.on_revision.id)).one()
    # The studio note on a revision is blanked for clients: its files too.
    assert client.get(f"/data/attachment-files/{internal.id}",
                      headers=thread.customer_h).status_code == 403
    assert client.get(f"/data/attachment-files/{on_client_comment.id}",
                      headers=thread.customer_h).status_code == 200
    assert client.get(f"/data/attachment-files/{on_client_comment.id}",
                      headers=thread.artist_h).status_code == 403
    assert client.get(f"/data/attachment-files/{internal.id}",
                      headers=thread.artist_h).status_code == 200

    def listed(headers):
        return {a["id"] for a in client.get("/data/attachment-files", headers=headers).json}

    assert listed(thread.customer_h) == {str(on_client_comment.id)}
    assert listed(thread.artist_h) == {str(internal.id)}
    assert listed(thread.manager_h) == {str(internal.id), str(on_client_comment.id)}
