"""Avatars and the organisation's logo under /pictures/thumbnails/ (and
the storage behind them): 400x400 PNGs, has_avatar, events, who may set."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from app.models.events import ApiEvent
from app.models.person import Person
from app.models.settings import Organisation
from app.services import storage
from tests import factories as f


@pytest.fixture(autouse=True)
def files_dir(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    return tmp_path


def picture(size=(800, 200), color=(200, 30, 30), fmt="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def upload(data, name="me.jpg"):
    return {"file": (io.BytesIO(data), name)}


def _events(name):
    return db.session.scalars(select(ApiEvent.data).where(ApiEvent.name == name)).all()


def _stored(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _organisation():
    return db.session.scalars(select(Organisation)).one()


@pytest.mark.parametrize("suffix", ["", ".png"])
def test_an_avatar_becomes_a_400_square_png(client, suffix):
    me, headers = f.signed_in(client)
    response = client.post(f"/pictures/thumbnails/persons/{me.id}{suffix}",
                           data=upload(picture()), headers=headers)
    assert response.status_code == 201, response.json
    assert response.json == {"thumbnail_path": f"pictures/thumbnails/persons/{me.id}.png"}
    assert _stored(Person, me.id).has_avatar is True
    assert _events("person:set-thumbnail") == [{"person_id": str(me.id)}]

    served = client.get(f"/pictures/thumbnails/persons/{me.id}{suffix}", headers=headers)
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    image = Image.open(io.BytesIO(served.data))
    assert (image.format, image.size, image.mode) == ("PNG", (400, 400), "RGBA")
    # 800x200 fits as 400x100, centred on transparency.
    red, green, blue, alpha = image.getpixel((200, 200))
    assert alpha == 255 and red > 180 and green < 50  # JPEG is lossy
    assert image.getpixel((200, 10))[3] == 0


def test_a_small_picture_is_scaled_up_keeping_its_ratio(client):
    me, headers = f.signed_in(client)
    client.post(f"/pictures/thumbnails/persons/{me.id}", data=upload(picture((50, 100), fmt="PNG"),
                                                                     "me.png"), headers=headers)
    image = Image.open(io.BytesIO(
        client.get(f"/pictures/thumbnails/persons/{me.id}.png", headers=headers).data))
    assert image.size == (400, 400)
    assert image.getpixel((110, 200))[3] == 255 and image.getpixel((90, 200))[3] == 0


def test_an_unchanged_avatar_answers_304(client):
    me, headers = f.signed_in(client)
    client.post(f"/pictures/thumbnails/persons/{me.id}", data=upload(picture()),
                headers=headers)
    first = client.get(f"/pictures/thumbnails/persons/{me.id}.png", headers=headers)
    again = client.get(f"/pictures/thumbnails/persons/{me.id}.png",
                       headers={**headers, "If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_sets_someone_elses_avatar(client, who):
    _, headers = f.caller(client, who)
    other = f.person()
    response = client.post(f"/pictures/thumbnails/persons/{other.id}", data=upload(picture()),
                           headers=headers)
    if who == "admin":
        assert response.status_code == 201
        assert _stored(Person, other.id).has_avatar is True
    else:
        assert response.status_code == (401 if who == "anonymous" else 403)
        assert _stored(Person, other.id).has_avatar is False
        assert _events("person:set-thumbnail") == []


@pytest.mark.parametrize("who", sorted(set(f.CALLERS) - {"anonymous"}))
def test_everyone_signed_in_sets_their_own_and_sees_others(client, who):
    me, headers = f.caller(client, who)
    response = client.post(f"/pictures/thumbnails/persons/{me.id}", data=upload(picture()),
                           headers=headers)
    assert response.status_code == 201
    viewer = f.signed_in(client, role="vendor")[1]
    assert client.get(f"/pictures/thumbnails/persons/{me.id}.png",
                      headers=viewer).status_code == 200


def test_anonymous_callers_see_no_avatar(client):
    me, headers = f.signed_in(client)
    client.post(f"/pictures/thumbnails/persons/{me.id}", data=upload(picture()),
                headers=headers)
    assert client.get(f"/pictures/thumbnails/persons/{me.id}.png").status_code == 401


def test_no_avatar_is_404(client):
    me, headers = f.signed_in(client)
    assert client.get(f"/pictures/thumbnails/persons/{me.id}.png",
                      headers=headers).status_code == 404
    unknown = "/pictures/thumbnails/persons/00000000-0000-4000-8000-000000000000.png"
    assert client.get(unknown, headers=headers).status_code == 404


@pytest.mark.parametrize("data,message", [
    (None, "file"),
    (upload(b"not a picture at all", "notes.txt"), "picture"),
])
def test_a_missing_or_unreadable_file_changes_nothing(client, data, message):
    me, headers = f.signed_in(client)
    response = client.post(f"/pictures/thumbnails/persons/{me.id}", data=data or {},
                           headers=headers)
    assert response.status_code == 400
    assert message in response.json["message"]
    assert _stored(Person, me.id).has_avatar is False
    assert not storage.backend().exists("pictures", f"thumbnails-{me.id}")


def test_clearing_an_avatar_removes_the_file(client):
    me, headers = f.signed_in(client)
    admin = f.signed_in(client, role="admin")[1]
    client.post(f"/pictures/thumbnails/persons/{me.id}", data=upload(picture()),
                headers=headers)
    assert storage.backend().exists("pictures", f"thumbnails-{me.id}")
    assert client.delete(f"/actions/persons/{me.id}/clear-avatar",
                         headers=admin).status_code == 204
    assert not storage.backend().exists("pictures", f"thumbnails-{me.id}")
    assert client.get(f"/pictures/thumbnails/persons/{me.id}.png",
                      headers=headers).status_code == 404


# The organisation's logo ---------------------------------------------------

@pytest.mark.parametrize("who", f.CALLERS)
def test_only_admins_set_the_organisation_logo(client, who):
    _, headers = f.caller(client, who)
    organisation = _organisation()
    response = client.post(f"/pictures/thumbnails/organisations/{organisation.id}",
                           data=upload(picture()), headers=headers)
    if who == "admin":
        assert response.status_code == 201
        assert response.json == {
            "thumbnail_path": f"pictures/thumbnails/organisations/{organisation.id}.png"}
        assert _stored(Organisation, organisation.id).has_avatar is True
        assert _events("organisation:set-thumbnail") == [
            {"organisation_id": str(organisation.id)}]
    else:
        assert response.status_code == (401 if who == "anonymous" else 403)
        assert _stored(Organisation, organisation.id).has_avatar is False


@pytest.mark.parametrize("suffix", ["", ".png"])
def test_everyone_signed_in_sees_the_logo(client, suffix):
    admin = f.signed_in(client, role="admin")[1]
    organisation = _organisation()
    url = f"/pictures/thumbnails/organisations/{organisation.id}"
    assert client.get(url + suffix, headers=admin).status_code == 404
    client.post(url + suffix, data=upload(picture()), headers=admin)
    _, headers = f.caller(client, "client")
    served = client.get(url + suffix, headers=headers)
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.data)).size == (400, 400)
    assert client.get(url + suffix).status_code == 401


def test_the_logo_is_only_under_the_organisation_id(client):
    admin = f.signed_in(client, role="admin")[1]
    url = "/pictures/thumbnails/organisations/00000000-0000-4000-8000-000000000000"
    assert client.post(url, data=upload(picture()), headers=admin).status_code == 404
    assert client.get(url, headers=admin).status_code == 404
    assert _organisation().has_avatar is False


# Storage -------------------------------------------------------------------

def test_storage_round_trip_and_refuses_paths(app, files_dir):
    backend = storage.backend()
    backend.put("files", "attachments-1", b"one")
    backend.put("files", "attachments-1", b"two")
    assert backend.exists("files", "attachments-1")
    with backend.open("files", "attachments-1") as stored:
        assert stored.read() == b"two"
    assert not any(p.name.startswith(".tmp-") for p in files_dir.rglob("*"))
    backend.delete("files", "attachments-1")
    backend.delete("files", "attachments-1")
    assert not backend.exists("files", "attachments-1")
    with pytest.raises(NotFound):
        backend.open("files", "attachments-1")
    for bucket, name in (("files", "../secret"), ("..", "x"), ("files", ".hidden")):
        with pytest.raises(ValueError):
            backend.put(bucket, name, b"")
