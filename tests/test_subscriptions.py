"""Following tasks and sequences (behaviours.md row 24): who may, what is
stored, and that a comment then reaches the follower."""
import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.models.events import Subscription
from app.services.notifications import comment_recipients
from tests import factories as f

ACTIONS, DATA = "/actions/user", "/data/user"


def count(person, **criteria):
    return db.session.scalar(select(func.count()).select_from(Subscription).where(
        Subscription.person_id == person.id,
        *(getattr(Subscription, k) == v for k, v in criteria.items())))


def subscribed(client, headers, task):
    response = client.get(f"{DATA}/tasks/{task.id}/subscribed", headers=headers)
    assert response.status_code == 200
    return response.json


def test_follow_and_leave_a_task(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    task = f.task(project)
    assert subscribed(client, headers, task) is False
    response = client.post(f"{ACTIONS}/tasks/{task.id}/subscribe", headers=headers)
    assert response.status_code == 201
    assert (response.json["type"], response.json["task_id"], response.json["person_id"]) == (
        "Subscription", str(task.id), str(artist.id))
    again = client.post(f"{ACTIONS}/tasks/{task.id}/subscribe", headers=headers)
    assert again.json["id"] == response.json["id"] and count(artist) == 1
    assert subscribed(client, headers, task) is True
    db.session.expire_all()
    assert artist.id in comment_recipients(task, uuid.uuid4())
    response = client.delete(f"{ACTIONS}/tasks/{task.id}/unsubscribe", headers=headers)
    assert response.status_code == 204
    assert subscribed(client, headers, task) is False and count(artist) == 0


def test_only_those_who_see_the_task_follow_it(client):
    project = f.project()
    task = f.task(project)
    for who in ("admin", "manager", "supervisor", "user", "client"):
        _, headers = f.on_team(client, project, who)
        response = client.post(f"{ACTIONS}/tasks/{task.id}/subscribe", headers=headers)
        assert response.status_code == 201, who
    _, outsider = f.signed_in(client, "user")
    assert client.post(f"{ACTIONS}/tasks/{task.id}/subscribe",
                       headers=outsider).status_code == 403
    vendor, vendor_headers = f.on_team(client, project, "vendor")
    assert client.post(f"{ACTIONS}/tasks/{task.id}/subscribe",
                       headers=vendor_headers).status_code == 403
    mine = f.task(project, assignees=[vendor])
    assert client.post(f"{ACTIONS}/tasks/{mine.id}/subscribe",
                       headers=vendor_headers).status_code == 201


def test_unknown_and_malformed_task_ids(client):
    _, headers = f.signed_in(client, "user")
    assert client.post(f"{ACTIONS}/tasks/{uuid.uuid4()}/subscribe",
                       headers=headers).status_code == 404
    assert client.post(f"{ACTIONS}/tasks/nope/subscribe", headers=headers).status_code == 400
    assert client.get(f"{DATA}/tasks/nope/subscribed", headers=headers).status_code == 400
    assert client.delete(f"{ACTIONS}/tasks/nope/unsubscribe",
                         headers=headers).status_code == 400


def test_follow_several_tasks_all_or_none(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    first, second = f.task(project), f.task(project)
    hidden = f.task(f.project())
    response = client.post(f"{ACTIONS}/tasks/subscribe", headers=headers,
                           json={"task_ids": [str(first.id), str(hidden.id)]})
    assert response.status_code == 403 and count(artist) == 0
    ids = [str(second.id), str(first.id)]
    response = client.post(f"{ACTIONS}/tasks/subscribe", headers=headers, json={"task_ids": ids})
    assert response.status_code == 201
    assert [row["task_id"] for row in response.json] == ids and count(artist) == 2
    response = client.post(f"{ACTIONS}/tasks/unsubscribe", headers=headers,
                           json={"task_ids": [str(first.id)]})
    assert (response.status_code, response.json) == (200, [str(first.id)])
    assert count(artist) == 1 and count(artist, task_id=second.id) == 1


def test_batch_input_is_checked(client):
    _, headers = f.signed_in(client, "user")
    for url in (f"{ACTIONS}/tasks/subscribe", f"{ACTIONS}/tasks/unsubscribe"):
        assert client.post(url, headers=headers, json={}).status_code == 400
        assert client.post(url, headers=headers, json={"task_ids": []}).status_code == 400
        response = client.post(url, headers=headers, json={"task_ids": ["nope"]})
        assert response.status_code == 400 and "task_ids[0]" in response.json["message"]


def test_follow_a_sequence_for_a_task_type(client):
    project = f.project()
    artist, headers = f.on_team(client, project, "user")
    sequence = f.temporal(project, "Sequence")
    shot = f.temporal(project, "Shot", parent=sequence)
    animation = f.task_type(for_entity="Shot")
    path = f"sequences/{sequence.id}/task-types/{animation.id}"
    response = client.post(f"{ACTIONS}/{path}/subscribe", headers=headers)
    assert response.status_code == 201
    assert (response.json["entity_id"], response.json["task_type_id"],
            response.json["task_id"]) == (str(sequence.id), str(animation.id), None)
    assert client.post(f"{ACTIONS}/{path}/subscribe", headers=headers).json["id"] == \
        response.json["id"]
    for alias in (f"{DATA}/{path}/subscribed",
                  f"{DATA}/entities/{sequence.id}/task-types/{animation.id}/subscribed"):
        assert client.get(alias, headers=headers).json is True
    task = f.task(project, shot, animation)
    assert artist.id in comment_recipients(task, uuid.uuid4())
    assert client.delete(f"{ACTIONS}/{path}/unsubscribe", headers=headers).status_code == 204
    assert client.get(f"{DATA}/{path}/subscribed", headers=headers).json is False


def test_sequence_subscription_checks(client):
    project = f.project()
    _, headers = f.on_team(client, project, "user")
    sequence = f.temporal(project, "Sequence")
    shot = f.temporal(project, "Shot", parent=sequence)
    kind = f.task_type()
    url = "/actions/user/sequences/{}/task-types/{}/subscribe"
    assert client.post(url.format(shot.id, kind.id), headers=headers).status_code == 404
    response = client.post(url.format(sequence.id, uuid.uuid4()), headers=headers)
    assert response.status_code == 400 and "task type" in response.json["message"]
    assert client.post(url.format(sequence.id, "nope"), headers=headers).status_code == 400
    _, outsider = f.signed_in(client, "user")
    assert client.post(url.format(sequence.id, kind.id), headers=outsider).status_code == 403
    vendor, vendor_headers = f.on_team(client, project, "vendor")
    f.task(project, sequence, assignees=[vendor])
    response = client.post(url.format(sequence.id, kind.id), headers=vendor_headers)
    assert response.status_code == 403 and "Vendors" in response.json["message"]
