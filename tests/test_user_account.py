"""The caller's DCC sign-ins and avatar through /data/user and
/actions/user (behaviours.md rows 3 and 23)."""
import io

import pytest
from PIL import Image

from app.extensions import db
from app.models.person import Person
from app.services import storage
from tests import factories as f

LOGS = "/data/user/desktop-login-logs"


@pytest.fixture(autouse=True)
def files_dir(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))


def test_desktop_login_logs_are_the_callers(client):
    me, headers = f.signed_in(client, "user")
    other, other_headers = f.signed_in(client, "user")
    response = client.post(LOGS, headers=headers, json={"date": "2030-01-02T10:00:00"})
    assert response.status_code == 201
    assert (response.json["person_id"], response.json["date"]) == (
        str(me.id), "2030-01-02T10:00:00")
    client.post(LOGS, headers=headers, json={"date": "2030-01-03T09:00:00"})
    assert client.post(LOGS, headers=other_headers).status_code == 201
    dates = [row["date"] for row in client.get(LOGS, headers=headers).json]
    assert dates == ["2030-01-03T09:00:00", "2030-01-02T10:00:00"]
    assert len(client.get(LOGS, headers=other_headers).json) == 1
    db.session.expire_all()
    assert str(db.session.get(Person, me.id).last_presence) == "2030-01-03"
    assert client.post(LOGS, headers=headers, json={"date": "soon"}).status_code == 400


def _picture():
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 20, 30)).save(out, "PNG")
    return {"file": (io.BytesIO(out.getvalue()), "me.png")}


@pytest.mark.parametrize("who", ["admin", "user"])
def test_clear_ones_own_avatar(client, who):
    me, headers = f.signed_in(client, who)
    client.post(f"/pictures/thumbnails/persons/{me.id}", data=_picture(), headers=headers)
    assert storage.backend().exists("pictures", f"thumbnails-{me.id}")
    assert client.delete("/actions/user/clear-avatar", headers=headers).status_code == 204
    assert not storage.backend().exists("pictures", f"thumbnails-{me.id}")
    db.session.expire_all()
    assert db.session.get(Person, me.id).has_avatar is False
