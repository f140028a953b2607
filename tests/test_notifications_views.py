"""The inbox (behaviours.md row 24): what each notification shows, the
filters, read/unread and their events."""
import datetime
import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.models.comment import CommentDepartmentMention, CommentMention, CommentPreviewLink
from app.models.events import ApiEvent, Notification, Subscription
from tests import factories as f

INBOX = "/data/user/notifications"


def notify(person, author, kind="comment", **values):
    return f.row(Notification, person_id=person.id, author_id=author.id, type=kind,
                 read=values.pop("read", False), change=values.pop("change", False), **values)


def inbox(client, headers, status=200, **params):
    response = client.get(INBOX, headers=headers, query_string=params)
    assert response.status_code == status, response.json
    return response.json


def events(name):
    return db.session.scalars(select(ApiEvent).where(ApiEvent.name == name)).all()


def test_a_comment_notification_shows_its_context(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    author = f.member(project, role="supervisor")
    episode = f.temporal(project, "Episode", name="E01")
    sequence = f.temporal(project, "Sequence", parent=episode, name="SQ01")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH010")
    task = f.task(project, shot)
    comment = f.comment(task, author, text="Nice work @someone")
    department = f.department()
    f.row(CommentMention, comment=comment.id, person=artist.id)
    f.row(CommentDepartmentMention, comment=comment.id, department=department.id)
    preview = f.preview_file(task)
    f.row(CommentPreviewLink, comment=comment.id, preview_file=preview.id)
    shot.preview_file_id = preview.id
    db.session.commit()
    row = notify(artist, author, "mention", comment_id=comment.id, task_id=task.id,
                 change=True)
    [entry] = inbox(client, headers)
    assert entry == {
        "id": str(row.id), "type": "Notification", "notification_type": "mention",
        "author_id": str(author.id), "comment_id": str(comment.id), "task_id": str(task.id),
        "task_type_id": str(task.task_type_id), "task_status_id": str(comment.task_status_id),
        "mentions": [str(artist.id)], "department_mentions": [str(department.id)],
        "reply_mentions": [], "reply_department_mentions": [],
        "preview_file_id": str(preview.id), "project_id": str(project.id),
        "project_name": project.name, "comment_text": "Nice work @someone", "reply_text": "",
        "created_at": row.created_at.replace(microsecond=0).isoformat(), "read": False,
        "change": True, "full_entity_name": "E01 / SQ01 / SH010",
        "episode_id": str(episode.id), "entity_preview_file_id": str(preview.id),
        "subscription_id": None, "playlist_id": None, "playlist_name": "",
        "playlist_for_entity": "", "playlist_is_for_all": False,
    }
    assert client.get(f"{INBOX}/{row.id}", headers=headers).json == entry


def test_entity_names_of_assets_and_sequences(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    author = f.person()
    kind = f.asset_type(name=f.unique("Character"))
    hero = f.asset(project, kind, name="Hero")
    sequence = f.temporal(project, "Sequence", name="SQ02")
    for entity in (hero, sequence):
        notify(artist, author, task_id=f.task(project, entity).id,
               comment_id=f.comment(f.task(project, entity), author).id)
    names = {entry["full_entity_name"] for entry in inbox(client, headers)}
    assert names == {f"{kind.name} / Hero", "SQ02"}


def test_replies_show_their_own_text_and_mentions(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    author = f.member(project)
    reply_id = str(uuid.uuid4())
    comment = f.comment(f.task(project), author, text="Main", replies=[
        {"id": str(uuid.uuid4()), "text": "other"},
        {"id": reply_id, "text": "Answer", "mentions": [str(artist.id)],
         "department_mentions": []}])
    notify(artist, author, "reply-mention", comment_id=comment.id, task_id=comment.object_id,
           reply_id=reply_id)
    [entry] = inbox(client, headers)
    assert (entry["comment_text"], entry["reply_text"], entry["reply_mentions"]) == (
        "Main", "Answer", [str(artist.id)])


def test_playlist_notifications(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    episode = f.temporal(project, "Episode")
    playlist = f.playlist(project, episode_id=episode.id, for_entity="shot", is_for_all=True)
    notify(artist, f.person(), "playlist-ready", playlist_id=playlist.id)
    [entry] = inbox(client, headers)
    assert (entry["playlist_id"], entry["playlist_name"], entry["playlist_for_entity"],
            entry["playlist_is_for_all"], entry["project_id"], entry["project_name"],
            entry["episode_id"], entry["full_entity_name"]) == (
        str(playlist.id), playlist.name, "shot", True, str(project.id), project.name,
        str(episode.id), "")


def test_client_comments_are_blank_for_artists(client):
    project = f.project()
    customer = f.member(project, role="client")
    task = f.task(project)
    comment = f.comment(task, customer, text="Make it pop")
    artist, artist_headers = f.on_team(client, project, "user")
    manager, manager_headers = f.on_team(client, project, "manager")
    for person in (artist, manager):
        notify(person, customer, comment_id=comment.id, task_id=task.id)
    assert inbox(client, artist_headers)[0]["comment_text"] == ""
    assert inbox(client, manager_headers)[0]["comment_text"] == "Make it pop"


def test_only_ones_own_notifications(client):
    artist, headers = f.signed_in(client, "user")
    other = f.person()
    theirs = notify(other, artist)
    assert inbox(client, headers) == []
    assert client.get(f"{INBOX}/{theirs.id}", headers=headers).status_code == 404
    response = client.put(f"{INBOX}/{theirs.id}", headers=headers, json={"read": True})
    assert response.status_code == 404
    assert client.get(f"{INBOX}/nope", headers=headers).status_code == 400


def test_filters(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    author = f.person()
    kind = f.task_type()
    watched, other = f.task(project, task_type_=kind), f.task(project)
    f.row(Subscription, person_id=artist.id, task_id=watched.id)
    old = notify(artist, author, task_id=watched.id, read=True,
                 created_at=datetime.datetime(2020, 1, 1))
    new = notify(artist, author, "assignation", task_id=other.id)

    def ids(**params):
        return [entry["id"] for entry in inbox(client, headers, **params)]

    assert ids() == [str(new.id), str(old.id)]
    assert ids(read="false") == [str(new.id)] and ids(read="true") == [str(old.id)]
    assert ids(type="assignation") == [str(new.id)]
    assert ids(watching="true") == [str(old.id)] and ids(watching="false") == [str(new.id)]
    assert ids(task_type_id=str(kind.id)) == [str(old.id)]
    assert ids(task_status_id=str(other.task_status_id)) == [str(new.id)]
    assert ids(after="2021-01-01") == [str(new.id)]
    assert ids(before="2021-01-01T00:00:00") == [str(old.id)]
    assert inbox(client, headers)[1]["subscription_id"] is not None
    for bad in ({"after": "yesterday"}, {"task_type_id": "nope"}, {"read": "maybe"}):
        assert "message" in inbox(client, headers, status=400, **bad)


def test_at_most_the_latest_hundred(client):
    artist, headers = f.signed_in(client, "user")
    author = f.person()
    db.session.execute(Notification.__table__.insert(), [
        {"id": uuid.uuid4(), "person_id": artist.id, "author_id": author.id, "type": "comment",
         "read": False, "change": False, "reply_id": uuid.uuid4(),
         "created_at": datetime.datetime(2030, 1, 1) + datetime.timedelta(minutes=i)}
        for i in range(105)])
    db.session.commit()
    entries = inbox(client, headers)
    assert len(entries) == 100 and entries[0]["created_at"] == "2030-01-01T01:44:00"


def test_read_and_unread_with_their_events(client):
    artist, headers = f.signed_in(client, "user")
    row = notify(artist, f.person())
    url = f"{INBOX}/{row.id}"
    response = client.put(url, headers=headers, json={"read": True})
    assert response.status_code == 200
    assert (response.json["read"], response.json["notification_type"],
            response.json["type"]) == (True, "comment", "Notification")
    [event] = events("notification:read")
    assert event.data == {"person_id": str(artist.id), "notification_id": str(row.id)}
    assert client.get(url, headers=headers).json["read"] is True
    client.put(url, headers=headers, json={"read": False})
    assert len(events("notification:unread")) == 1
    assert client.get(url, headers=headers).json["read"] is False
    for body in ({}, {"read": None}, {"read": "maybe"}):
        assert client.put(url, headers=headers, json=body).status_code == 400


def test_mark_all_as_read(client):
    artist, headers = f.signed_in(client, "user")
    other = f.person()
    for _ in range(3):
        notify(artist, other)
    theirs = notify(other, artist)
    response = client.post("/actions/user/notifications/mark-all-as-read", headers=headers)
    assert (response.status_code, response.json) == (200, {"success": True})
    unread = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.read.is_(False)))
    assert unread == 1
    db.session.refresh(theirs)
    assert theirs.read is False
    [event] = events("notification:all-read")
    assert event.data == {"person_id": str(artist.id)}
    assert client.get("/data/user/context", headers=headers).json["notification_count"] == 0


def test_the_raw_collection_shows_the_kind_as_notification_type(client):
    admin, headers = f.signed_in(client, "admin")
    response = client.post("/data/notifications", headers=headers, json={
        "person_id": str(admin.id), "author_id": str(admin.id), "type": "assignation"})
    assert response.status_code == 201, response.json
    assert (response.json["type"], response.json["notification_type"]) == (
        "Notification", "assignation")
    raw = client.get("/data/notifications", headers=headers).get_data(as_text=True)
    assert raw.count('"type"') == 1 and '"notification_type":"assignation"' in raw
    _, artist = f.signed_in(client, "user")
    assert client.get("/data/notifications", headers=artist).status_code == 403
