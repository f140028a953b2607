"""Entity chats: the chat made on demand, joining and leaving, messages with
attachments, deletion, the caller's chats; who may do each."""
import io

import orjson
import pytest
from PIL import Image
from sqlalchemy import func, select

from app import events
from app.extensions import db
from app.models.events import ApiEvent
from app.models.files import AttachmentFile
from app.models.settings import EntityType
from app.services import attachments, storage
from tests import factories as f

MISSING = "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"
# A vendor on the team holds a task on the entity unless said otherwise.
READ_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 200, "client": 200,
               "vendor": 200, "bot": 200, "anonymous": 401}
JOIN_STATUS = {**READ_STATUS, "bot": 403}


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr(events.publisher, "publish_all", lambda items: sent.extend(
        (name, orjson.loads(payload)) for name, payload in items))
    return sent


@pytest.fixture
def files_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    return tmp_path


def _caller(client, project, entity, who):
    person, headers = f.on_team(client, project, who)
    if who == "vendor":
        f.task(project, entity=entity, assignees=[person])
    return person, headers


def _shot():
    project = f.project()
    sequence = f.temporal(project, "Sequence", name="sq01")
    return project, f.temporal(project, "Shot", parent=sequence, name="sh010")


def _join(client, entity, headers):
    return client.post(f"/actions/user/chats/{entity.id}/join", headers=headers)


def _post(client, entity, headers, text="Hello", **extra):
    return client.post(f"/data/entities/{entity.id}/chat/messages", headers=headers,
                       json={"message": text, **extra})


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_reads_and_joins_a_chat(client, who, published):
    project, shot = _shot()
    person, headers = _caller(client, project, shot, who)
    response = client.get(f"/data/entities/{shot.id}/chat", headers=headers)
    assert response.status_code == READ_STATUS[who]
    if response.status_code != 200:
        return
    chat = response.json
    assert (chat["type"], chat["object_id"], chat["object_type"]) == ("Chat", str(shot.id),
                                                                      "entity")
    assert (chat["participants"], chat["messages"], chat["last_message"]) == ([], [], None)
    # Made once: a second visit gets the same chat.
    assert client.get(f"/data/entities/{shot.id}/chat", headers=headers).json["id"] == chat["id"]
    joined = _join(client, shot, headers)
    assert joined.status_code == JOIN_STATUS[who]
    if joined.status_code != 200:
        assert client.get("/data/user/chats", headers=headers).status_code == 403
        return
    assert joined.json["participants"] == [str(person.id)]
    assert _join(client, shot, headers).json["participants"] == [str(person.id)]  # no-op
    mine = client.get("/data/user/chats", headers=headers).json
    assert mine == [{"id": chat["id"], "object_id": str(shot.id), "last_message": None,
                     "entity_name": "sq01 / sh010", "project_id": str(project.id),
                     "preview_file_id": None}]
    left = client.delete(f"/actions/user/chats/{shot.id}/join", headers=headers)
    assert left.status_code == 204
    assert client.get(f"/data/entities/{shot.id}/chat", headers=headers).json[
        "participants"] == []
    assert client.get("/data/user/chats", headers=headers).json == []
    names = [name for name, data in published if name.startswith("chat:")]
    assert names == ["chat:joined", "chat:joined", "chat:left"]
    assert published[-1][1]["person_id"] == str(person.id)
    assert published[-1][1]["chat_id"] == chat["id"]
    # Live only: no api_event row.
    assert db.session.scalar(select(func.count()).select_from(ApiEvent).where(
        ApiEvent.name.like("chat:%"))) == 0


@pytest.mark.parametrize("route", ["chat", "chat/messages"])
def test_outsiders_and_unassigned_vendors_are_refused(client, route):
    project, shot = _shot()
    outsider = f.signed_in(client, role="manager")[1]
    vendor = f.on_team(client, project, "vendor")[1]  # no task on the shot
    for headers in (outsider, vendor):
        assert client.get(f"/data/entities/{shot.id}/{route}", headers=headers) \
            .status_code == 403
        assert _join(client, shot, headers).status_code == 403
    admin = f.signed_in(client, role="admin")[1]
    assert client.get(f"/data/entities/{MISSING}/{route}", headers=admin).status_code == 404
    assert client.get(f"/data/entities/not-an-id/{route}", headers=admin).status_code == 400


def test_participants_post_messages(client, published):
    project, shot = _shot()
    artist, artist_headers = f.on_team(client, project, "user")
    client_person, client_headers = f.on_team(client, project, "client")
    # Not a participant yet.
    refused = _post(client, shot, artist_headers)
    assert refused.status_code == 400 and "participant" in refused.json["message"]
    assert _post(client, shot, artist_headers, text=None).status_code == 400
    assert client.post(f"/data/entities/{shot.id}/chat/messages", headers=artist_headers,
                       json={}).status_code == 400
    _join(client, shot, artist_headers)
    _join(client, shot, client_headers)
    first = _post(client, shot, artist_headers, "First!")
    assert first.status_code == 201
    second = _post(client, shot, client_headers, "Second").json
    message = first.json
    assert (message["type"], message["text"], message["person_id"], message["attachment_files"]) \
        == ("ChatMessage", "First!", str(artist.id), [])
    chat = client.get(f"/data/entities/{shot.id}/chat", headers=client_headers).json
    assert message["chat_id"] == chat["id"]
    assert sorted(chat["participants"]) == sorted([str(artist.id), str(client_person.id)])
    assert [m["text"] for m in chat["messages"]] == ["First!", "Second"]
    assert chat["last_message"] == second["created_at"]
    listed = client.get(f"/data/entities/{shot.id}/chat/messages", headers=artist_headers).json
    assert [m["id"] for m in listed] == [message["id"], second["id"]]
    one = client.get(f"/data/entities/{shot.id}/chat/messages/{message['id']}",
                     headers=client_headers)
    assert one.status_code == 200 and one.json == message
    new = [data for name, data in published if name == "chat:new-message"]
    assert [d["chat_message_id"] for d in new] == [message["id"], second["id"]]
    assert new[0]["chat_id"] == chat["id"] and new[0]["last_message"] == message["created_at"]


def _png():
    out = io.BytesIO()
    Image.new("RGB", (400, 200), "red").save(out, "PNG")
    return out.getvalue()


def test_attachments_are_stored_and_deleted_with_their_message(client, files_dir, published):
    project, shot = _shot()
    author, headers = f.on_team(client, project, "user")
    _join(client, shot, headers)
    response = client.post(f"/data/entities/{shot.id}/chat/messages", headers=headers,
                           content_type="multipart/form-data", data={
                               "message": "See attached",
                               "file": (io.BytesIO(_png()), "frame.png", "image/png"),
                               "notes": (io.BytesIO(b"some notes"), "notes.txt", "text/plain")})
    assert response.status_code == 201, response.json
    message = response.json
    files = {a["name"]: a for a in message["attachment_files"]}
    assert set(files) == {"frame.png", "notes.txt"}
    assert (files["notes.txt"]["extension"], files["notes.txt"]["size"]) == ("txt", 10)
    rows = db.session.scalars(select(AttachmentFile).where(
        AttachmentFile.chat_message_id == message["id"])).all()
    assert {r.mimetype for r in rows} == {"image/png", "text/plain"}
    backend = storage.backend()
    notes_id, frame_id = files["notes.txt"]["id"], files["frame.png"]["id"]
    assert backend.open(attachments.FILES, attachments.file_key(notes_id)).read() == b"some notes"
    with backend.open(attachments.PICTURES, attachments.thumbnail_key(frame_id)) as thumbnail:
        assert Image.open(thumbnail).size == (150, 75)
    assert not backend.exists(attachments.PICTURES, attachments.thumbnail_key(notes_id))

    url = f"/data/entities/{shot.id}/chat/messages/{message['id']}"
    other, other_headers = f.on_team(client, project, "manager")
    assert client.delete(url, headers=other_headers).status_code == 403
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(AttachmentFile).where(
        AttachmentFile.chat_message_id == message["id"])) == 0
    assert not backend.exists(attachments.FILES, attachments.file_key(notes_id))
    assert not backend.exists(attachments.PICTURES, attachments.thumbnail_key(frame_id))
    chat = client.get(f"/data/entities/{shot.id}/chat", headers=headers).json
    assert (chat["messages"], chat["last_message"]) == ([], None)
    deleted = [data for name, data in published if name == "chat:deleted-message"]
    assert deleted == [{"chat_id": chat["id"], "chat_message_id": message["id"],
                        "project_id": str(project.id)}]


def test_admins_delete_any_message_of_the_chat_only(client):
    project, shot = _shot()
    author, headers = f.on_team(client, project, "user")
    _join(client, shot, headers)
    message = _post(client, shot, headers, "Oops").json
    other_shot = f.temporal(project, "Shot", name="sh020")
    admin = f.signed_in(client, role="admin")[1]
    # The message is not in that entity's chat.
    assert client.delete(f"/data/entities/{other_shot.id}/chat/messages/{message['id']}",
                         headers=admin).status_code == 404
    assert client.get(f"/data/entities/{other_shot.id}/chat/messages/{message['id']}",
                      headers=headers).status_code == 404
    assert client.delete(f"/data/entities/{shot.id}/chat/messages/{MISSING}",
                         headers=admin).status_code == 404
    assert client.delete(f"/data/entities/{shot.id}/chat/messages/{message['id']}",
                         headers=admin).status_code == 204
    assert client.get(f"/data/entities/{shot.id}/chat/messages", headers=headers).json == []


def test_user_chats_leave_out_closed_and_lost_productions(client):
    project, shot = _shot()
    asset = f.asset(project, name="Lamp")
    artist, headers = f.on_team(client, project, "user")
    _join(client, shot, headers)
    _join(client, asset, headers)
    _post(client, asset, headers, "Latest")
    listed = client.get("/data/user/chats", headers=headers).json
    asset_type = db.session.get(EntityType, asset.entity_type_id)
    # By name: "Asset type N / Lamp" before "sq01 / sh010".
    assert [(c["object_id"], c["entity_name"]) for c in listed] == [
        (str(asset.id), f"{asset_type.name} / Lamp"), (str(shot.id), "sq01 / sh010")]
    assert listed[0]["last_message"] is not None and listed[1]["last_message"] is None
    # Removed from the team: the chat goes from the list.
    stranger = f.on_team(client, f.project(), "user")[1]
    assert client.get("/data/user/chats", headers=stranger).json == []
    f.close(project)
    assert client.get("/data/user/chats", headers=headers).json == []


def test_joining_by_chat_id_as_gazu_does(client):
    """gazu.user.join_chat(chat) / leave_chat(chat) with a chat of
    all_chats() send the chat's id where the route names an entity."""
    project, shot = _shot()
    person, headers = f.on_team(client, project, "supervisor")
    chat = _join(client, shot, headers).json
    assert client.delete(f"/actions/user/chats/{chat['id']}/join",
                         headers=headers).status_code == 204
    assert client.post(f"/actions/user/chats/{chat['id']}/join",
                       headers=headers).json["participants"] == [str(person.id)]
    # The entity's access rules still apply.
    outsider = f.signed_in(client, role="supervisor")[1]
    assert client.post(f"/actions/user/chats/{chat['id']}/join",
                       headers=outsider).status_code == 403
    assert client.post(f"/actions/user/chats/{MISSING}/join",
                       headers=headers).status_code == 404
