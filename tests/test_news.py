"""Production news feeds: /data/projects/<id>/news (filters, pages, stats),
one entry, /data/projects/news across the caller's productions."""
import datetime

import pytest

from app.extensions import db
from app.models.events import News
from tests import factories as f

MISSING = "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"
LIST_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 200, "client": 403,
               "vendor": 200, "bot": 200, "anonymous": 401}
ONE_STATUS = {**LIST_STATUS, "vendor": 403}


def _news(task, author, when, status=None, **values):
    comment = f.comment(task, author, **({"task_status_id": status.id} if status else {}))
    return f.row(News, task_id=task.id, author_id=author.id, comment_id=comment.id,
                 created_at=when, updated_at=when, **values)


def _day(n, hour=12):
    return datetime.datetime(2030, 1, n, hour)


class Feed:
    """A tv show: episode ep1 > sq1 > sh1 (animation, done by Ann), an
    asset (modeling), and news over three days."""

    def __init__(self):
        self.project = f.project(production_type="tvshow")
        self.episode = f.temporal(self.project, "Episode", name="ep1")
        self.sequence = f.temporal(self.project, "Sequence", parent=self.episode, name="sq1")
        self.shot = f.temporal(self.project, "Shot", parent=self.sequence, name="sh1")
        self.asset = f.asset(self.project, name="Lamp")
        self.ann = f.member(self.project, first_name="Ann", last_name="Lee")
        self.bob = f.member(self.project, first_name="Bob", last_name="")
        self.wip, self.done = f.task_status(), f.task_status()
        self.animation = f.task(self.project, entity=self.shot)
        self.modeling = f.task(self.project, entity=self.asset)
        preview = f.preview_file(self.animation, revision=2, extension="mp4", position=1)
        f.preview_file(self.animation, revision=2, extension="png", position=2)
        self.preview = preview
        self.oldest = _news(self.modeling, self.bob, _day(1), status=self.wip, change=True)
        self.middle = _news(self.animation, self.ann, _day(2), status=self.wip, change=True,
                            preview_file_id=preview.id)
        self.newest = _news(self.animation, self.ann, _day(3), status=self.done, change=False)


def _get(client, url, headers, **params):
    return client.get(url, headers=headers, query_string=params)


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_reads_the_project_feed(client, who):
    feed = Feed()
    person, headers = f.on_team(client, feed.project, who)
    if who == "vendor":
        feed.modeling.assignees = [person]
        db.session.commit()
    response = _get(client, f"/data/projects/{feed.project.id}/news", headers)
    assert response.status_code == LIST_STATUS[who]
    if response.status_code != 200:
        return
    body = response.json
    expected = [feed.oldest] if who == "vendor" else [feed.newest, feed.middle, feed.oldest]
    assert [n["id"] for n in body["data"]] == [str(n.id) for n in expected]
    assert (body["total"], body["nb_pages"], body["limit"], body["offset"], body["page"]) == (
        len(expected), 1, 50, 0, 1)
    if who == "vendor":
        assert body["stats"] == {str(feed.wip.id): 1}
        return
    assert body["stats"] == {str(feed.wip.id): 2}
    middle = body["data"][1]
    assert middle == {
        "id": str(feed.middle.id), "type": "News", "author_id": str(feed.ann.id),
        "comment_id": str(feed.middle.comment_id), "task_id": str(feed.animation.id),
        "task_type_id": str(feed.animation.task_type_id), "task_status_id": str(feed.wip.id),
        "task_entity_id": str(feed.shot.id), "preview_file_id": str(feed.preview.id),
        "preview_file_extension": "mp4", "preview_file_revision": 2,
        "project_id": str(feed.project.id), "project_name": feed.project.name,
        "created_at": "2030-01-02T12:00:00", "change": True,
        "full_entity_name": "ep1 / sq1 / sh1", "episode_id": str(feed.episode.id),
        "entity_preview_file_id": None,
        "person": {"id": str(feed.ann.id), "first_name": "Ann", "last_name": "Lee",
                   "full_name": "Ann Lee", "has_avatar": False, "role": "user"},
    }
    oldest = body["data"][2]
    assert oldest["person"]["full_name"] == "Bob"
    assert oldest["full_entity_name"].endswith(" / Lamp") and oldest["episode_id"] is None


def test_outsiders_and_missing_projects(client):
    feed = Feed()
    outsider = f.signed_in(client, role="manager")[1]
    url = f"/data/projects/{feed.project.id}/news"
    assert _get(client, url, outsider).status_code == 403
    assert _get(client, f"{url}/{feed.oldest.id}", outsider).status_code == 403
    admin = f.signed_in(client, role="admin")[1]
    assert _get(client, f"/data/projects/{MISSING}/news", admin).status_code == 404
    assert _get(client, f"{url}/{MISSING}", admin).status_code == 404
    assert _get(client, f"{url}/not-an-id", admin).status_code == 400
    # An entry of another production is not found through this one.
    other = Feed()
    assert _get(client, f"{url}/{other.oldest.id}", admin).status_code == 404


def test_filters_and_pages(client):
    feed = Feed()
    headers = f.on_team(client, feed.project, "manager")[1]
    url = f"/data/projects/{feed.project.id}/news"

    def ids(**params):
        response = _get(client, url, headers, **params)
        assert response.status_code == 200, response.json
        return [n["id"] for n in response.json["data"]]

    oldest, middle, newest = str(feed.oldest.id), str(feed.middle.id), str(feed.newest.id)
    assert ids(task_type_id=str(feed.modeling.task_type_id)) == [oldest]
    assert ids(task_status_id=str(feed.done.id)) == [newest]
    assert ids(person_id=str(feed.ann.id)) == [newest, middle]
    assert ids(episode_id=str(feed.episode.id)) == [newest, middle]
    assert ids(after="2030-01-01T12:00:00") == [newest, middle]
    assert ids(before="2030-01-03") == [middle, oldest]
    assert ids(after="2030-01-01", before="2030-01-02T13:00:00") == [middle, oldest]
    page = _get(client, url, headers, page=2, limit=2).json
    assert [n["id"] for n in page["data"]] == [oldest]
    assert (page["total"], page["nb_pages"], page["limit"], page["offset"], page["page"]) == (
        3, 2, 2, 2, 2)
    # The stats follow the filters.
    assert _get(client, url, headers, person_id=str(feed.bob.id)).json["stats"] == {
        str(feed.wip.id): 1}
    previews = _get(client, url, headers, only_preview="true").json
    assert [n["id"] for n in previews["data"]] == [middle]
    assert [(p["extension"], p["position"]) for p in previews["data"][0]["preview_files"]] == [
        ("mp4", 1), ("png", 2)]
    assert set(previews["data"][0]["preview_files"][0]) == {
        "id", "name", "extension", "revision", "position", "status"}
    for bad in ({"after": "yesterday"}, {"page": "0"}, {"limit": "x"},
                {"task_type_id": "nope"}, {"only_preview": "maybe"}):
        response = _get(client, url, headers, **bad)
        assert response.status_code == 400, bad


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_reads_one_entry(client, who):
    feed = Feed()
    person, headers = f.on_team(client, feed.project, who)
    response = _get(client, f"/data/projects/{feed.project.id}/news/{feed.middle.id}", headers)
    assert response.status_code == ONE_STATUS[who]
    if response.status_code == 200:
        assert response.json["id"] == str(feed.middle.id)
        assert response.json["full_entity_name"] == "ep1 / sq1 / sh1"
        assert response.json["person"]["id"] == str(feed.ann.id)


def test_news_across_productions(client):
    feed, other, closed = Feed(), Feed(), Feed()
    f.close(closed.project)
    person, headers = f.on_team(client, feed.project, "user")
    f.join_team(closed.project, person)
    vendor, vendor_headers = f.on_team(client, other.project, "vendor")
    other.animation.assignees = [vendor]
    db.session.commit()
    client_person, client_headers = f.on_team(client, other.project, "client")
    f.join_team(feed.project, client_person, role="user")  # an artist there

    def ids(headers, **params):
        response = client.get("/data/projects/news", headers=headers, query_string=params)
        assert response.status_code == 200, response.json
        return [n["id"] for n in response.json["data"]]

    mine = [str(n.id) for n in (feed.newest, feed.middle, feed.oldest)]
    # Closed productions and those one is not on are left out.
    assert ids(headers) == mine
    assert ids(headers, project_id=str(feed.project.id)) == mine
    assert ids(headers, project_id=str(other.project.id)) == []
    # Vendors: their tasks; clients: not the productions where they are clients.
    assert ids(vendor_headers) == [str(other.newest.id), str(other.middle.id)]
    assert ids(client_headers) == mine
    admin = f.signed_in(client, role="admin")[1]
    everything = ids(admin, limit=1000)
    assert set(mine) | {str(other.oldest.id)} <= set(everything)
    assert str(closed.oldest.id) not in everything
    stats = client.get("/data/projects/news", headers=headers).json["stats"]
    assert stats == {str(feed.wip.id): 2}
    assert client.get("/data/projects/news").status_code == 401
