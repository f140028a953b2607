"""/shared/playlists/<token>/*: guest review through a share link, reached
without a JWT by whoever holds the token (behaviours.md row 19). Most of
these tests play the hostile outsider."""
import datetime
import io

import pytest
from sqlalchemy import func, select

from app.auth import Actor
from app.extensions import db
from app.models.base import utc_now
from app.models.comment import Comment
from app.models.events import ApiEvent
from app.models.files import AttachmentFile, PreviewFile
from app.models.person import Person
from app.models.playlist import BuildJob, PlaylistShareLink
from app.models.project import ProjectTaskStatusLink, ProjectTaskTypeLink
from app.models.task import Task
from app.services import accounts, avatars, preview_store, shared_review, storage, tokens
from tests import factories as f
from tests.media import picture

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def files(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    return tmp_path


def _picture_preview(task, **values):
    row = f.preview_file(task, status="ready", **values)
    for variant, size in (("thumbnails", (150, 100)), ("original", (640, 360)),
                          ("tiles", (300, 100))):
        storage.backend().put(preview_store.PICTURES, preview_store.key(variant, row.id),
                              picture(*size))
    return row


@pytest.fixture
def review(client, files):
    """A production with a playlist of two entries: asset one at revision 2
    of its task (two files: positions 1 and 2), asset two at its only
    revision; asset three is in the production but not in the playlist."""
    project = f.project(name=f.unique("Show"))
    manager, manager_h = f.on_team(client, project, "manager")
    modeling = f.task_type(name=f.unique("Modeling"), color="#abcdef")
    f.row(ProjectTaskTypeLink, project_id=project.id, task_type_id=modeling.id, priority=1)
    todo = f.task_status(color="#111111")
    retake = f.task_status(name=f.unique("Retake"), is_client_allowed=True)
    internal = f.task_status(is_client_allowed=False)
    for status in (todo, retake, internal):
        f.row(ProjectTaskStatusLink, project_id=project.id, task_status_id=status.id)
    sequence = f.temporal(project, "Sequence", name="SQ01")
    one, two, three = (f.temporal(project, "Shot", parent=sequence, name=name)
                       for name in ("SH010", "SH020", "SH030"))
    task_one, task_two, task_three = (f.task(project, entity, modeling, task_status_id=todo.id)
                                      for entity in (one, two, three))
    old = _picture_preview(task_one, revision=1)
    current = _picture_preview(task_one, revision=2)
    second_file = _picture_preview(task_one, revision=2, position=2)
    only = _picture_preview(task_two, revision=1)
    outside = _picture_preview(task_three, revision=1)
    playlist = f.playlist(project, name="Client review", shots=[
        {"entity_id": str(one.id), "preview_file_id": str(current.id)},
        {"entity_id": str(two.id), "preview_file_id": str(only.id)}])
    token = client.post(f"/data/playlists/{playlist.id}/share", headers=manager_h,
                        json={}).json["token"]
    return type("Review", (), dict(
        project=project, manager=manager, manager_h=manager_h, modeling=modeling, todo=todo,
        retake=retake, internal=internal, shots=(one, two, three),
        tasks=(task_one, task_two, task_three), old=old, current=current,
        second_file=second_file, only=only, outside=outside, playlist=playlist, token=token,
        base=f"/shared/playlists/{token}"))


def share(client, review, **body):
    response = client.post(f"/data/playlists/{review.playlist.id}/share",
                           headers=review.manager_h, json=body)
    assert response.status_code == 201, response.json
    return response.json["token"]


def join(client, base, **body):
    response = client.post(f"{base}/guest", json={"first_name": "Ada", "last_name": "Client",
                                                  **body})
    assert response.status_code == 201, response.json
    return response.json


def guest_comment(client, review, task=None, status=None, text="Looks good", headers=None):
    return client.post(f"{review.base}/comments", headers=headers or {}, json={
        "task_id": str((task or review.tasks[0]).id),
        "task_status_id": str((status or review.retake).id), "text": text})


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


# The playlist and its context --------------------------------------------------------------

def test_the_playlist_is_read_without_a_jwt_with_its_positioned_revisions_only(client,
                                                                                 review):
    f.row(BuildJob, playlist_id=review.playlist.id, status="failed", job_type="movie",
          message="ffmpeg failed on /srv/private/path")
    response = client.get(review.base)
    assert response.status_code == 200, response.json
    data = response.json
    assert data["id"] == str(review.playlist.id) and data["name"] == "Client review"
    assert data["project_name"] == review.project.name and data["project_fps"] == "25"
    one, two = data["shots"]
    assert one["id"] == str(review.shots[0].id) and two["id"] == str(review.shots[1].id)
    assert one["preview_file_id"] == str(review.current.id)
    assert one["preview_file_revision"] == 2
    assert one["preview_file_task_id"] == str(review.tasks[0].id)
    assert [p["id"] for p in one["preview_file_previews"]] == [str(review.second_file.id)]
    # Other revisions (revision 1 of the first shot) are not listed.
    assert one["preview_files"] == {} and two["preview_files"] == {}
    assert str(review.old.id) not in response.get_data(as_text=True)
    assert one["name"] == "SH010" and one["parent_name"] == "SQ01"
    assert one["preview_file_task_type"] == {
        "id": str(review.modeling.id), "name": review.modeling.name, "color": "#abcdef",
        "for_entity": "Asset"}
    assert one["preview_file_task_type_name"] == review.modeling.name
    assert one["task_status_color"] == "#111111"
    assert data["build_jobs"] == [] and b"/srv/private" not in response.data


def test_an_entry_pointing_outside_the_project_shows_nothing(client, review):
    other = f.project()
    foreign_task = f.task(other, f.temporal(other, "Shot"))
    foreign = _picture_preview(foreign_task)
    review.playlist.shots = review.playlist.shots + [
        {"entity_id": str(foreign_task.entity_id), "preview_file_id": str(foreign.id)},
        # An entry whose preview is another entity's.
        {"entity_id": str(review.shots[1].id), "preview_file_id": str(review.outside.id)}]
    db.session.commit()
    shots = client.get(review.base).json["shots"]
    # The foreign entry is dropped; the other one keeps its entity, without a preview.
    assert [(s["id"], s.get("preview_file_id")) for s in shots] == [
        (str(review.shots[0].id), str(review.current.id)),
        (str(review.shots[1].id), str(review.only.id)), (str(review.shots[1].id), None)]
    for preview in (foreign, review.outside):
        assert client.get(f"{review.base}/preview-files/{preview.id}").status_code == 404
        assert client.get(f"{review.base}/pictures/thumbnails/preview-files/{preview.id}.png") \
            .status_code == 404


def test_the_context_gives_the_production_task_types_and_statuses(client, review):
    project = review.project
    db.session.execute(ProjectTaskStatusLink.__table__.update().where(
        ProjectTaskStatusLink.project_id == project.id,
        ProjectTaskStatusLink.task_status_id == review.todo.id).values(is_client_allowed=True))
    db.session.commit()
    response = client.get(f"{review.base}/context")
    assert response.status_code == 200
    assert response.json["project"] == {
        "id": str(project.id), "name": project.name, "fps": "25", "ratio": "16:9",
        "resolution": project.resolution, "team": []}
    assert response.json["task_types"] == [{"id": str(review.modeling.id),
                                            "name": review.modeling.name, "color": "#abcdef",
                                            "for_entity": "Asset"}]
    statuses = {s["id"]: s for s in response.json["task_statuses"]}
    assert set(statuses) == {str(s.id) for s in (review.todo, review.retake, review.internal)}
    assert statuses[str(review.retake.id)]["is_client_allowed"] is True
    assert statuses[str(review.internal.id)]["is_client_allowed"] is False
    # The project's setting wins over the studio's.
    assert statuses[str(review.todo.id)]["is_client_allowed"] is True


# Opening a link ----------------------------------------------------------------------------

ALL_READS = ("", "/context", "/comments", "/preview-files/{current}",
             "/pictures/thumbnails/preview-files/{current}.png")


def _paths(review):
    return [review.base + p.format(current=review.current.id) for p in ALL_READS]


def test_unknown_revoked_and_expired_links_are_not_found(client, review):
    for path in _paths(review):
        assert client.get(path).status_code == 200, path
    for token in (MISSING, "x" * 200, "not-a-token"):
        response = client.get(f"/shared/playlists/{token}")
        assert response.status_code == 404 and response.json["error"] is True
    expired = share(client, review, expiration_date=(
        utc_now() - datetime.timedelta(days=1)).date().isoformat())
    assert client.get(f"/shared/playlists/{expired}").status_code == 404
    today = share(client, review, expiration_date=utc_now().date().isoformat())
    assert client.get(f"/shared/playlists/{today}").status_code == 200
    client.delete(f"/data/playlists/{review.playlist.id}/share/{review.token}",
                  headers=review.manager_h)
    for path in _paths(review):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{review.base}/guest", json={}).status_code == 404


def test_a_link_stops_at_its_expiry_time(client, review):
    link = db.session.scalar(select(PlaylistShareLink).where(
        PlaylistShareLink.token == review.token))
    link.expiration_date = utc_now() - datetime.timedelta(seconds=1)
    db.session.commit()
    for path in _paths(review):
        assert client.get(path).status_code == 404, path


def test_a_password_is_needed_on_every_route_until_a_session_proves_it(client, review):
    token = share(client, review, password="open sesame")
    base = f"/shared/playlists/{token}"
    paths = [base + p.format(current=review.current.id) for p in ALL_READS]
    for path in paths:
        assert client.get(path).status_code == 404, path
        assert client.get(path + "?password=wrong").status_code == 404, path
    assert client.post(f"{base}/guest", json={}).status_code == 404
    response = client.get(f"{base}?password=open%20sesame")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(shared_review.cookie_name(token) + "=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and token not in cookie
    # The browser now holds the session: no password needed any more.
    for path in paths:
        assert client.get(path).status_code == 200, path
    client.delete_cookie(shared_review.cookie_name(token))
    assert client.get(base).status_code == 404


def test_a_session_of_one_link_opens_no_other(client, review):
    first = share(client, review, password="one")
    second = share(client, review, password="two")
    session = client.get(f"/shared/playlists/{first}?password=one").headers["Set-Cookie"] \
        .split(";")[0].split("=", 1)[1]
    client.delete_cookie(shared_review.cookie_name(first))
    assert client.get(f"/shared/playlists/{second}",
                      headers={"X-Guest-Token": session}).status_code == 404
    assert client.get(f"/shared/playlists/{first}",
                      headers={"X-Guest-Token": session}).status_code == 200
    forged = session[:-2] + ("AA" if not session.endswith("AA") else "BB")
    assert client.get(f"/shared/playlists/{first}",
                      headers={"X-Guest-Token": forged}).status_code == 404


def test_password_guessing_is_cut_short(client, review, app, monkeypatch):
    monkeypatch.setitem(app.config, "SHARE_PASSWORD_MAX_FAILURES", 3)
    token = share(client, review, password="right")
    for n in range(3):
        assert client.get(f"/shared/playlists/{token}?password=guess{n}").status_code == 404
    # Even the right password waits for the minute to pass.
    assert client.get(f"/shared/playlists/{token}?password=right").status_code == 404
    other = share(client, review, password="right")
    assert client.get(f"/shared/playlists/{other}?password=right").status_code == 200


# Guests --------------------------------------------------------------------------------------

def test_joining_creates_a_guest_person_outside_the_user_limit(client, review):
    licensed = accounts.count_licensed_users()
    guest = join(client, review.base)
    assert guest["type"] == "Person" and guest["is_guest"] is True
    assert guest["role"] == "client" and guest["active"] is True
    assert guest["first_name"] == "Ada" and guest["full_name"] == "Ada Client"
    assert guest["email"].endswith("@guest.invalid") and "password" not in guest
    assert guest["guest_token"]
    row = fresh(Person, guest["id"])
    assert row.password is None and row.data["share_link_id"] is not None
    assert accounts.count_licensed_users() == licensed
    assert db.session.scalar(select(func.count()).select_from(ApiEvent).where(
        ApiEvent.name == "person:new", ApiEvent.data["person_id"].astext == guest["id"])) == 1
    # The browser's session names the guest: joining again gives it back.
    again = client.post(f"{review.base}/guest", json={"first_name": "Ada",
                                                      "guest_id": guest["id"]})
    assert again.status_code == 200 and again.json["id"] == guest["id"]


def test_a_guest_id_or_a_name_alone_never_gives_an_existing_guest(client, review):
    guest = join(client, review.base)
    for body in ({"guest_id": guest["id"]}, {"first_name": "Ada", "last_name": "Client"}):
        response = client.application.test_client().post(f"{review.base}/guest", json=body)
        assert response.status_code == 201 and response.json["id"] != guest["id"]
    # Nor does a guest token of another link.
    other_link = share(client, review)
    response = client.post(f"/shared/playlists/{other_link}/guest", json={
        "guest_id": guest["id"]}, headers={"X-Guest-Token": guest["guest_token"]})
    assert response.status_code == 201 and response.json["id"] != guest["id"]


def test_a_link_has_a_limited_number_of_guests(client, review, app, monkeypatch):
    monkeypatch.setitem(app.config, "SHARE_LINK_MAX_GUESTS", 2)
    for _ in range(2):
        client.application.test_client().post(f"{review.base}/guest", json={})
    response = client.application.test_client().post(f"{review.base}/guest", json={})
    assert response.status_code == 400


def test_a_guest_reaches_nothing_outside_shared(client, review):
    guest = join(client, review.base)
    for headers in (f.bearer(guest["guest_token"]), {"X-Guest-Token": guest["guest_token"]}):
        for path in ("/data/projects", f"/data/playlists/{review.playlist.id}",
                     "/data/user/context", f"/data/tasks/{review.tasks[0].id}/comments"):
            assert client.get(path, headers=headers).status_code == 401, path
    # Even a real JWT minted for the guest person is refused.
    row = fresh(Person, guest["id"])
    access, _ = tokens.issue_session(row)
    assert client.get("/data/projects", headers=f.bearer(access)).status_code == 401
    # And a guest has no password to sign in with.
    assert f.login(client, row.email, "").status_code == 400


# Comments ----------------------------------------------------------------------------------

def test_a_guest_comments_a_shown_task_with_a_client_status(client, review):
    guest = join(client, review.base)
    response = guest_comment(client, review, text="Warmer please @All #all")
    assert response.status_code == 201, response.json
    comment = response.json
    assert comment["person_id"] == guest["id"] and comment["object_id"] == str(
        review.tasks[0].id)
    assert comment["text"] == "Warmer please @All #all"
    assert comment["task_status_id"] == str(review.retake.id)
    assert fresh(Task, review.tasks[0].id).task_status_id == review.retake.id
    # No #hashtag copy: it would land on tasks the link does not show.
    assert db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.person_id == guest["id"])) == 1
    assert db.session.scalar(select(func.count()).select_from(ApiEvent).where(
        ApiEvent.name == "comment:new",
        ApiEvent.data["comment_id"].astext == comment["id"])) == 1


def test_guest_comments_are_refused_outside_the_rules(client, review):
    guest = join(client, review.base)
    refusals = [
        dict(task=review.tasks[2]),                       # not in the playlist
        dict(status=review.internal),                     # not client-allowed
    ]
    for kwargs in refusals:
        assert guest_comment(client, review, **kwargs).status_code == 403
    other_project_task = f.task(f.project())
    assert guest_comment(client, review, task=other_project_task).status_code == 403
    # Acting as another guest than the session's.
    other = client.application.test_client()
    other_guest = join(other, review.base)
    response = client.post(f"{review.base}/comments", json={
        "guest_id": other_guest["id"], "task_id": str(review.tasks[0].id),
        "task_status_id": str(review.retake.id)})
    assert response.status_code == 403
    # No guest session at all.
    nobody = client.application.test_client()
    response = nobody.post(f"{review.base}/comments", json={
        "guest_id": guest["id"], "task_id": str(review.tasks[0].id),
        "task_status_id": str(review.retake.id)})
    assert response.status_code == 403
    # A link that does not allow comments.
    readonly = share(client, review, can_comment=False)
    reader = client.application.test_client()
    join(reader, f"/shared/playlists/{readonly}")
    response = reader.post(f"/shared/playlists/{readonly}/comments", json={
        "task_id": str(review.tasks[0].id), "task_status_id": str(review.retake.id)})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
    response = client.post(f"{review.base}/comments", json={"task_id": "nope",
                                                            "task_status_id": MISSING})
    assert response.status_code == 400 and "task_id" in response.json["message"]


def test_the_list_shows_client_and_guest_comments_only(client, review):
    task = review.tasks[0]
    shared = f.comment(task, review.manager, text="For the client", for_client=True)
    f.comment(task, review.manager, text="Internal note")
    f.comment(review.tasks[2], review.manager, text="Elsewhere", for_client=True)
    guest = join(client, review.base)
    mine = guest_comment(client, review).json
    response = client.get(f"{review.base}/comments")
    assert response.status_code == 200
    by_id = {c["id"]: c for c in response.json}
    assert set(by_id) == {shared.id.__str__(), mine["id"]}
    assert by_id[mine["id"]]["person"]["is_guest"] is True
    assert by_id[mine["id"]]["person"]["id"] == guest["id"]
    assert by_id[str(shared.id)]["person"]["is_guest"] is False
    assert b"Internal note" not in response.data and b"Elsewhere" not in response.data


def test_a_guest_edits_and_deletes_its_own_comments_only(client, review):
    guest = join(client, review.base)
    mine = guest_comment(client, review).json
    response = client.put(f"{review.base}/comments/{mine['id']}",
                          json={"text": "Actually fine", "checklist": [{"text": "a"}]})
    assert response.status_code == 200, response.json
    assert response.json["text"] == "Actually fine"
    row = fresh(Comment, mine["id"])
    assert row.text == "Actually fine" and str(row.editor_id) == guest["id"]
    assert client.put(f"{review.base}/comments/{mine['id']}", json={
        "task_status_id": str(review.internal.id)}).status_code == 403
    assert fresh(Comment, mine["id"]).task_status_id == review.retake.id

    other = client.application.test_client()
    other_guest = join(other, review.base)
    theirs = guest_comment(other, review, task=review.tasks[1]).json
    studio = f.comment(review.tasks[0], review.manager, for_client=True)
    for comment_id in (theirs["id"], str(studio.id)):
        assert client.put(f"{review.base}/comments/{comment_id}",
                          json={"text": "hijacked"}).status_code == 403
        assert client.delete(f"{review.base}/comments/{comment_id}").status_code == 403
    # Claiming to be the other guest does not help.
    assert client.delete(f"{review.base}/comments/{theirs['id']}",
                         json={"guest_id": other_guest["id"]}).status_code == 403
    outside = f.comment(review.tasks[2], review.manager)
    assert client.delete(f"{review.base}/comments/{outside.id}").status_code == 404
    assert fresh(Comment, theirs["id"]).text == "Looks good"

    assert client.delete(f"{review.base}/comments/{mine['id']}").status_code == 204
    assert fresh(Comment, mine["id"]) is None
    # The task falls back on its remaining comment's status.
    studio_status = db.session.get(Comment, studio.id).task_status_id
    assert fresh(Task, review.tasks[0].id).task_status_id == studio_status


def test_guest_attachments(client, review):
    join(client, review.base)
    mine = guest_comment(client, review).json
    response = client.post(f"{review.base}/comments/{mine['id']}/attachments",
                           data={"file": (io.BytesIO(picture(20, 10)), "notes.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    attachment = response.json["attachment_files"][0]
    assert attachment["name"] == "notes.png"
    got = client.get(f"{review.base}/attachment-files/{attachment['id']}/file/notes.png")
    assert got.status_code == 200 and got.data == picture(20, 10)

    internal = f.comment(review.tasks[0], review.manager)
    hidden = f.attachment_file(internal, name="secret.png")
    assert client.get(f"{review.base}/attachment-files/{hidden.id}/file/secret.png") \
        .status_code == 404
    assert client.post(f"{review.base}/comments/{internal.id}/attachments",
                       data={"file": (io.BytesIO(b"x"), "x.txt")},
                       content_type="multipart/form-data").status_code == 403
    assert client.delete(f"{review.base}/comments/{internal.id}/attachments/{hidden.id}") \
        .status_code == 403
    assert client.delete(
        f"{review.base}/comments/{mine['id']}/attachments/{attachment['id']}").status_code == 204
    assert fresh(AttachmentFile, attachment["id"]) is None
    assert fresh(AttachmentFile, hidden.id) is not None


# Media ----------------------------------------------------------------------------------------

def test_previews_of_the_playlist_are_served_and_nothing_else(client, review):
    shown = (review.current, review.second_file, review.only)
    refused = (review.old, review.outside)
    for preview in shown:
        meta = client.get(f"{review.base}/preview-files/{preview.id}")
        assert meta.status_code == 200 and meta.json["id"] == str(preview.id)
        thumb = client.get(f"{review.base}/pictures/thumbnails/preview-files/{preview.id}.png")
        assert thumb.status_code == 200 and thumb.data == picture(150, 100)
        original = client.get(
            f"{review.base}/pictures/originals/preview-files/{preview.id}.png")
        assert original.data == picture(640, 360)
        tiles = client.get(f"{review.base}/movies/tiles/preview-files/{preview.id}.png")
        assert tiles.data == picture(300, 100)
        download = client.get(f"{review.base}/preview-files/{preview.id}/download")
        assert download.status_code == 200 and download.data == picture(640, 360)
        assert "attachment" in download.headers["Content-Disposition"]
    for preview in refused:
        for path in (f"/preview-files/{preview.id}",
                     f"/pictures/thumbnails/preview-files/{preview.id}.png",
                     f"/pictures/originals/preview-files/{preview.id}.png",
                     f"/pictures/originals/preview-files/{preview.id}.pdf",
                     f"/movies/originals/preview-files/{preview.id}.mp4",
                     f"/movies/tiles/preview-files/{preview.id}.png",
                     f"/preview-files/{preview.id}/download"):
            assert client.get(review.base + path).status_code == 404, path
    for bad in (MISSING, "not-an-id"):
        assert client.get(f"{review.base}/preview-files/{bad}").status_code == 404
    # Under another extension than its own, a shown preview is not found either.
    assert client.get(f"{review.base}/pictures/originals/preview-files/{review.current.id}"
                      ".pdf").status_code == 404


def test_avatars_of_shown_authors_only(client, review):
    storage_png = picture(50, 50)
    author = review.manager
    stranger = f.member(review.project, "supervisor")
    for person in (author, stranger):
        avatars.set_person_avatar(Actor(person, ()), person.id, io.BytesIO(storage_png))
    f.comment(review.tasks[0], author, for_client=True)
    f.comment(review.tasks[0], stranger, text="internal")
    got = client.get(f"{review.base}/pictures/thumbnails/persons/{author.id}.png")
    assert got.status_code == 200 and got.mimetype == "image/png"
    assert client.get(f"{review.base}/pictures/thumbnails/persons/{stranger.id}.png") \
        .status_code == 404
    assert client.get(f"{review.base}/pictures/thumbnails/persons/{MISSING}.png") \
        .status_code == 404


def test_guests_annotate_shown_previews_only(client, review):
    guest = join(client, review.base)
    drawing = {"time": 0, "drawing": {"objects": [{"id": "stroke-1", "type": "path"}]}}
    response = client.put(f"{review.base}/annotations", json={
        "preview_file_id": str(review.current.id), "additions": [drawing]})
    assert response.status_code == 200, response.json
    assert fresh(PreviewFile, review.current.id).annotations == [drawing]
    event = db.session.scalar(select(ApiEvent).where(
        ApiEvent.name == "preview-file:annotation-update"))
    assert event.data["person_id"] == guest["id"]
    for preview in (review.old, review.outside):
        assert client.put(f"{review.base}/annotations", json={
            "preview_file_id": str(preview.id), "additions": [drawing]}).status_code == 404
        assert fresh(PreviewFile, preview.id).annotations in (None, [])
    nobody = client.application.test_client()
    assert nobody.put(f"{review.base}/annotations", json={
        "preview_file_id": str(review.current.id), "additions": [drawing]}).status_code == 403


def test_movies_and_published_files_of_shown_previews(client, review):
    movie = f.preview_file(review.tasks[1], revision=2, extension="mp4", status="ready")
    document = f.preview_file(review.tasks[1], revision=2, position=2, extension="pdf",
                              status="ready")
    storage.backend().put(preview_store.MOVIES, preview_store.key("previews", movie.id),
                          b"not really an mp4")
    storage.backend().put(preview_store.FILES, preview_store.key("previews", document.id),
                          b"%PDF-1.4 notes")
    review.playlist.shots = [{"entity_id": str(review.shots[1].id),
                              "preview_file_id": str(movie.id)}]
    db.session.commit()
    got = client.get(f"{review.base}/movies/originals/preview-files/{movie.id}.mp4")
    assert got.status_code == 200 and got.mimetype == "video/mp4"
    assert got.data == b"not really an mp4"
    ranged = client.get(f"{review.base}/movies/originals/preview-files/{movie.id}.mp4",
                        headers={"Range": "bytes=4-9"})
    assert ranged.status_code == 206 and ranged.data == b"really"
    pdf = client.get(f"{review.base}/pictures/originals/preview-files/{document.id}.pdf")
    assert pdf.status_code == 200 and pdf.data == b"%PDF-1.4 notes"
    download = client.get(f"{review.base}/preview-files/{document.id}/download")
    assert download.data == b"%PDF-1.4 notes"
    assert "attachment" in download.headers["Content-Disposition"]
    # The entry now plays revision 2: revision 1 of that task is not shown any more.
    assert client.get(f"{review.base}/preview-files/{review.only.id}").status_code == 404


def test_scripts_act_as_their_guest_with_the_guest_token(client, review):
    guest = join(client, review.base)
    script = client.application.test_client()
    headers = {"X-Guest-Token": guest["guest_token"]}
    response = guest_comment(script, review, headers=headers)
    assert response.status_code == 201 and response.json["person_id"] == guest["id"]
    second = f.task_status(is_client_allowed=True)
    edited = script.put(f"{review.base}/comments/{response.json['id']}", headers=headers,
                        json={"guest_id": guest["id"], "task_status_id": str(second.id)})
    assert edited.status_code == 200 and edited.json["task_status_id"] == str(second.id)
    assert fresh(Task, review.tasks[0].id).task_status_id == second.id


def test_a_password_link_lets_a_guest_join_once_the_password_was_given(client, review):
    token = share(client, review, password="pw")
    base = f"/shared/playlists/{token}"
    assert client.post(f"{base}/guest", json={}).status_code == 404
    assert client.post(f"{base}/guest?password=nope", json={}).status_code == 404
    response = client.post(f"{base}/guest?password=pw", json={"first_name": "Bo"})
    assert response.status_code == 201
    guest = response.json
    # The cookie now carries the guest: comments go through without the password.
    assert guest_comment(client, type("R", (), {**vars(review), "base": base})) \
        .status_code == 201
    script = client.application.test_client()
    assert script.get(base, headers={"X-Guest-Token": guest["guest_token"]}).status_code == 200


def test_malformed_ids_are_not_found(client, review):
    join(client, review.base)
    for path in ("/comments/not-an-id", "/comments/not-an-id/attachments/also-not"):
        assert client.delete(review.base + path).status_code == 404, path
    assert client.put(f"{review.base}/comments/not-an-id", json={}).status_code == 404
    assert client.get(f"{review.base}/attachment-files/nope/file/x.png").status_code == 404
    assert client.get(f"{review.base}/pictures/thumbnails/persons/nope.png").status_code == 404


def test_each_link_shows_its_own_playlist_only(client, review):
    other_playlist = f.playlist(review.project, shots=[
        {"entity_id": str(review.shots[2].id), "preview_file_id": str(review.outside.id)}])
    other_token = client.post(f"/data/playlists/{other_playlist.id}/share",
                              headers=review.manager_h, json={}).json["token"]
    other_base = f"/shared/playlists/{other_token}"
    thumb = "/pictures/thumbnails/preview-files/{}.png"
    assert client.get(other_base + thumb.format(review.outside.id)).status_code == 200
    assert client.get(other_base + thumb.format(review.current.id)).status_code == 404
    assert client.get(review.base + thumb.format(review.outside.id)).status_code == 404
    # A guest of one link comments nothing through the other.
    join(client, other_base)
    other = type("R", (), {**vars(review), "base": other_base})
    assert guest_comment(client, other).status_code == 403
    assert guest_comment(client, other, task=review.tasks[2]).status_code == 201
    assert client.post(f"{review.base}/comments", json={
        "task_id": str(review.tasks[0].id),
        "task_status_id": str(review.retake.id)}).status_code == 403


def test_share_sessions_expire_after_their_days(client, review, monkeypatch):
    from itsdangerous import TimestampSigner

    token = share(client, review, password="pw")
    base = f"/shared/playlists/{token}"
    month_ago = int(datetime.datetime.now().timestamp()) - 31 * 86400
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: month_ago)
        guest = client.post(f"{base}/guest?password=pw", json={}).json
    script = client.application.test_client()
    headers = {"X-Guest-Token": guest["guest_token"]}
    assert script.get(base, headers=headers).status_code == 404
    assert script.get(f"{base}?password=pw", headers=headers).status_code == 200
    # The password's session (a cookie now) opens the link, but names no guest.
    stale = type("R", (), {**vars(review), "base": base})
    assert guest_comment(script, stale, headers=headers).status_code == 403
    assert guest_comment(script, stale).status_code == 403
