"""Assets: creation, lists, the with-tasks view, cancel or delete, sharing
(behaviours.md row 8), with the values they answer and the events they
write."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.entity import Entity
from app.models.events import ApiEvent
from app.models.task import Task
from app.services import entities
from tests import factories as f


def _events(name):
    return db.session.scalars(select(ApiEvent.data).where(ApiEvent.name == name)).all()


def _temporal(project_, kind, **values):
    return f.row(Entity, name=f.unique(kind), project_id=project_.id,
                 entity_type_id=entities.entity_type_id(kind), **values)


@pytest.fixture
def admin(client):
    return f.signed_in(client, role="admin")[1]


def test_create_answers_the_asset_and_emits_asset_new_with_its_type(client):
    project = f.project()
    manager = f.member(project, "manager")
    headers = f.bearer(f.login(client, manager.email).json["access_token"])
    kind = f.asset_type()
    response = client.post(f"/data/projects/{project.id}/asset-types/{kind.id}/assets/new",
                           json={"name": "Tree", "description": "An oak", "data": {"height": 3},
                                 "is_shared": True}, headers=headers)
    assert response.status_code == 201
    body = response.json
    assert (body["name"], body["description"], body["data"], body["is_shared"], body["type"],
            body["project_id"], body["entity_type_id"], body["created_by"]) == (
        "Tree", "An oak", {"height": 3}, True, "Asset", str(project.id), str(kind.id),
        str(manager.id))
    assert _events("asset:new") == [{"asset_id": body["id"], "asset_type": str(kind.id),
                                     "project_id": str(project.id)}]
    assert db.session.scalar(select(Task.id).where(Task.entity_id == body["id"])) is None


def test_creating_the_same_asset_again_returns_it_and_emits_nothing(client, admin):
    project, kind = f.project(), f.asset_type()
    url = f"/data/projects/{project.id}/asset-types/{kind.id}/assets/new"
    first = client.post(url, json={"name": "Tree"}, headers=admin).json
    again = client.post(url, json={"name": "Tree"}, headers=admin)
    assert again.status_code == 201 and again.json["id"] == first["id"]
    assert len(_events("asset:new")) == 1


def test_create_with_an_episode_keeps_it_in_source_id(client, admin):
    project, kind = f.project(), f.asset_type()
    episode = _temporal(project, "Episode")
    body = client.post(f"/data/projects/{project.id}/asset-types/{kind.id}/assets/new",
                       json={"name": "Hat", "episode_id": str(episode.id)}, headers=admin).json
    assert body["source_id"] == str(episode.id)


@pytest.mark.parametrize("payload, field", [({}, "name"), ({"name": ""}, "name"),
                                            ({"name": "X", "data": [1]}, "data"),
                                            ({"name": "X", "episode_id": "nope"}, "episode_id")])
def test_create_refuses_bad_input_naming_the_field(client, admin, payload, field):
    project, kind = f.project(), f.asset_type()
    response = client.post(f"/data/projects/{project.id}/asset-types/{kind.id}/assets/new",
                           json=payload, headers=admin)
    assert response.status_code == 400 and field in response.json["message"]


def test_create_needs_an_asset_type(client, admin):
    project = f.project()
    shot_type = entities.entity_type_id("Shot")
    for type_id in (shot_type, "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"):
        response = client.post(f"/data/projects/{project.id}/asset-types/{type_id}/assets/new",
                               json={"name": "X"}, headers=admin)
        assert response.status_code == 404


def test_lists_hold_only_assets_and_filter_on_columns(client, admin):
    project, kind, other_kind = f.project(), f.asset_type(), f.asset_type()
    tree = f.asset(project, entity_type=kind, name="Tree")
    rock = f.asset(project, entity_type=other_kind, name="Rock")
    _temporal(project, "Shot")
    elsewhere = f.asset(f.project(), entity_type=kind)

    def ids(url):
        response = client.get(url, headers=admin)
        assert response.status_code == 200
        return {row["id"] for row in response.json}

    assert ids(f"/data/projects/{project.id}/assets") == {str(tree.id), str(rock.id)}
    assert ids(f"/data/assets?project_id={project.id}") == {str(tree.id), str(rock.id)}
    assert ids(f"/data/projects/{project.id}/asset-types/{kind.id}/assets") == {str(tree.id)}
    assert ids(f"/data/assets/all?project_id={project.id}&name=tree") == {str(tree.id)}
    assert {str(tree.id), str(elsewhere.id)} <= ids("/data/assets")
    page = client.get(f"/data/assets?project_id={project.id}&page=1&limit=1",
                      headers=admin).json
    assert (page["total"], page["nb_pages"], len(page["data"])) == (2, 2, 1)
    types = client.get(f"/data/projects/{project.id}/asset-types", headers=admin).json
    assert {t["id"] for t in types} == {str(kind.id), str(other_kind.id)}
    assert {t["type"] for t in types} == {"AssetType"}


def test_a_list_of_a_project_one_is_not_on_is_refused(client):
    project = f.project()
    headers = f.signed_in(client, role="manager")[1]
    assert client.get(f"/data/assets?project_id={project.id}", headers=headers).status_code == 403
    assert client.get(f"/data/assets/with-tasks?project_id={project.id}",
                      headers=headers).status_code == 403


def test_asset_types_leave_out_the_built_in_kinds(client, admin):
    kind = f.asset_type()
    names = {t["name"] for t in client.get("/data/asset-types", headers=admin).json}
    assert kind.name in names and not names & {"Shot", "Sequence", "Episode", "Concept"}
    shot_type = entities.entity_type_id("Shot")
    assert client.get(f"/data/asset-types/{shot_type}", headers=admin).status_code == 404
    one = client.get(f"/data/asset-types/{kind.id}", headers=admin).json
    assert (one["id"], one["type"], one["task_types"]) == (str(kind.id), "AssetType", [])


def test_with_tasks_embeds_tasks_assignees_and_episodes(client, admin):
    project, kind = f.project(), f.asset_type()
    artist = f.member(project)
    episode = _temporal(project, "Episode")
    tree = f.asset(project, entity_type=kind, name="Tree", data={"mood": "calm"},
                   source_id=episode.id)
    rock = f.asset(project, entity_type=kind, name="Rock")
    task = f.task(project, entity=tree, assignees=[artist], priority=None)
    f.entity_link(episode, rock)
    rows = client.get(f"/data/assets/with-tasks?project_id={project.id}", headers=admin).json
    assert [r["name"] for r in rows] == ["Rock", "Tree"]
    rock_row, tree_row = rows
    assert (tree_row["asset_type_name"], tree_row["asset_type_id"], tree_row["episode_id"],
            tree_row["data"], tree_row["preview_file_id"]) == (
        kind.name, str(kind.id), str(episode.id), {"mood": "calm"}, "")
    assert rock_row["casting_episode_ids"] == [str(episode.id)] and rock_row["tasks"] == []
    [embedded] = tree_row["tasks"]
    assert (embedded["id"], embedded["assignees"], embedded["priority"],
            embedded["task_status_id"], embedded["is_subscribed"]) == (
        str(task.id), [str(artist.id)], 0, str(task.task_status_id), False)


def test_with_tasks_episode_sentinels(client, admin):
    project, kind = f.project(), f.asset_type()
    episode = _temporal(project, "Episode")
    own = f.asset(project, entity_type=kind, source_id=episode.id)
    cast = f.asset(project, entity_type=kind)
    f.entity_link(episode, cast)
    main = f.asset(project, entity_type=kind)

    def ids(episode_id):
        url = f"/data/assets/with-tasks?project_id={project.id}&episode_id={episode_id}"
        return {r["id"] for r in client.get(url, headers=admin).json}

    assert ids("all") == {str(own.id), str(cast.id), str(main.id)}
    assert ids("main") == {str(cast.id), str(main.id)}
    assert ids(episode.id) == {str(own.id), str(cast.id)}


def test_vendors_see_their_assets_tasks_and_departments_metadata(client):
    project, kind = f.project(), f.asset_type()
    modeling, rigging = f.department(), f.department()
    vendor = f.member(project, "vendor", departments=[modeling])
    headers = f.bearer(f.login(client, vendor.email).json["access_token"])
    mine = f.metadata_descriptor(project, departments=[modeling])
    theirs = f.metadata_descriptor(project, departments=[rigging])
    data = {mine.field_name: "a", theirs.field_name: "b", "free": 1}
    held = f.asset(project, entity_type=kind, data=data)
    f.asset(project, entity_type=kind, data=data)
    assigned = f.task(project, entity=held, assignees=[vendor])
    f.task(project, entity=held)
    [row] = client.get(f"/data/assets/with-tasks?project_id={project.id}", headers=headers).json
    assert row["id"] == str(held.id)
    assert row["data"] == {mine.field_name: "a", "free": 1}
    assert [t["id"] for t in row["tasks"]] == [str(assigned.id)]
    [listed] = client.get(f"/data/projects/{project.id}/assets", headers=headers).json
    assert listed["data"] == {mine.field_name: "a", "free": 1}
    full = client.get(f"/data/assets/{held.id}", headers=headers).json
    assert full["data"] == {mine.field_name: "a", "free": 1}


def test_clients_see_client_metadata_and_no_planning(client):
    project, kind = f.project(), f.asset_type()
    customer = f.member(project, "client")
    headers = f.bearer(f.login(client, customer.email).json["access_token"])
    shown = f.metadata_descriptor(project, for_client=True)
    internal = f.metadata_descriptor(project)
    asset = f.asset(project, entity_type=kind,
                    data={shown.field_name: "yes", internal.field_name: "no"})
    f.task(project, entity=asset, assignees=[f.member(project)], priority=3, estimation=5)
    [row] = client.get(f"/data/assets/with-tasks?project_id={project.id}", headers=headers).json
    assert row["data"] == {shown.field_name: "yes"}
    [task] = row["tasks"]
    assert (task["assignees"], task["priority"], task["estimation"]) == ([], 0, 0)


def test_get_asset_adds_project_type_and_tasks(client, admin):
    project, kind = f.project(), f.asset_type()
    asset = f.asset(project, entity_type=kind)
    task = f.task(project, entity=asset)
    body = client.get(f"/data/assets/{asset.id}", headers=admin).json
    assert (body["id"], body["type"], body["project_name"], body["asset_type_name"],
            body["asset_type_id"], [t["id"] for t in body["tasks"]]) == (
        str(asset.id), "Asset", project.name, kind.name, str(kind.id), [str(task.id)])
    assert "source_id" not in body and "nb_frames" not in body
    shot = _temporal(project, "Shot")
    assert client.get(f"/data/assets/{shot.id}", headers=admin).status_code == 404
    assert client.get("/data/assets/not-an-id", headers=admin).status_code == 400
    tasks = client.get(f"/data/assets/{asset.id}/tasks", headers=admin).json
    assert [t["id"] for t in tasks] == [str(task.id)]
    types = client.get(f"/data/assets/{asset.id}/task-types", headers=admin).json
    assert [t["id"] for t in types] == [str(task.task_type_id)]


def test_delete_with_tasks_cancels_unless_forced(client, admin):
    project = f.project()
    asset = f.asset(project)
    task = f.task(project, entity=asset)
    f.comment(task, f.person())
    f.preview_file(task)
    f.time_spent(task, f.person())
    f.output_file(asset)
    asset_id, task_id = asset.id, task.id
    assert client.delete(f"/data/assets/{asset.id}", headers=admin).status_code == 204
    db.session.expire_all()
    assert db.session.get(Entity, asset.id).canceled is True
    assert _events("asset:update") == [{"asset_id": str(asset.id), "project_id": str(project.id),
                                        "asset_type": str(asset.entity_type_id)}]
    assert client.delete(f"/data/assets/{asset.id}?force=true", headers=admin).status_code == 204
    db.session.expire_all()
    assert db.session.get(Entity, asset_id) is None
    assert db.session.get(Task, task_id) is None
    [deleted] = _events("asset:delete")
    assert (deleted["asset_id"], deleted["project_id"]) == (str(asset_id), str(project.id))
    assert "asset_type" in deleted


def test_delete_without_tasks_removes_and_updates_casting_size(client, admin):
    project = f.project()
    asset = f.asset(project)
    shot = _temporal(project, "Shot", nb_entities_out=1)
    f.entity_link(shot, asset)
    asset_id = asset.id
    assert client.delete(f"/data/assets/{asset_id}", headers=admin).status_code == 204
    db.session.expire_all()
    assert db.session.get(Entity, asset_id) is None
    assert db.session.get(Entity, shot.id).nb_entities_out == 0


def test_an_artist_deletes_the_asset_they_created_only(client):
    project = f.project()
    artist = f.member(project)
    headers = f.bearer(f.login(client, artist.email).json["access_token"])
    own, other = f.asset(project, created_by=artist.id), f.asset(project)
    assert client.delete(f"/data/assets/{own.id}", headers=headers).status_code == 204
    assert client.delete(f"/data/assets/{other.id}", headers=headers).status_code == 403


def test_unknown_asset_ids_give_404(client, admin):
    missing = "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"
    for method, url in (("GET", f"/data/assets/{missing}"), ("DELETE", f"/data/assets/{missing}"),
                        ("GET", f"/data/asset-types/{missing}"),
                        ("GET", f"/data/assets/{missing}/tasks")):
        assert client.open(url, method=method, headers=admin).status_code == 404, url


def test_delete_entities_cancels_forces_canceled_and_always_drops_concepts(client, admin):
    project = f.project()
    with_tasks, canceled, bare = f.asset(project), f.asset(project, canceled=True), f.asset(project)
    f.task(project, entity=with_tasks)
    f.task(project, entity=canceled)
    concept = _temporal(project, "Concept")
    f.task(project, entity=concept)
    foreign = f.asset(f.project())
    ids = [str(e.id) for e in (with_tasks, canceled, bare, concept, foreign)]
    gone_ids = [canceled.id, bare.id, concept.id]
    response = client.post(f"/actions/projects/{project.id}/delete-entities", json=ids,
                           headers=admin)
    assert response.status_code == 200
    assert set(response.json) == set(ids[:4])
    db.session.expire_all()
    assert db.session.get(Entity, with_tasks.id).canceled is True
    for gone in gone_ids:
        assert db.session.get(Entity, gone) is None
    assert db.session.get(Entity, foreign.id) is not None
    assert len(_events("concept:delete")) == 1
    bad = client.post(f"/actions/projects/{project.id}/delete-entities", json={"ids": []},
                      headers=admin)
    assert bad.status_code == 400


def test_sharing_flags_assets_and_lists_the_ones_used_elsewhere(client, admin):
    owner, user_project, kind = f.project(), f.project(), f.asset_type()
    tree, rock = f.asset(owner, entity_type=kind), f.asset(owner)
    shared = client.post(f"/actions/projects/{owner.id}/asset-types/{kind.id}/assets/share",
                         json={"is_shared": True}, headers=admin).json
    assert [a["id"] for a in shared] == [str(tree.id)] and shared[0]["is_shared"] is True
    db.session.expire_all()
    assert db.session.get(Entity, rock.id).is_shared is False
    assert _events("asset:update") == [{"asset_id": str(tree.id), "project_id": str(owner.id),
                                        "asset_type": str(kind.id)}]
    sequence = _temporal(user_project, "Sequence")
    shot = _temporal(user_project, "Shot", parent_id=sequence.id)
    f.entity_link(shot, tree)
    used = client.get(f"/data/projects/{user_project.id}/assets/shared-used", headers=admin).json
    assert [a["id"] for a in used] == [str(tree.id)]
    client.post("/actions/assets/share", json={"is_shared": False, "asset_ids": [str(tree.id)]},
                headers=admin)
    assert client.get(f"/data/projects/{user_project.id}/assets/shared-used",
                      headers=admin).json == []


def test_asset_types_of_a_shot_are_those_cast_in_it(client, admin):
    project, kind = f.project(), f.asset_type()
    shot = _temporal(project, "Shot")
    f.entity_link(shot, f.asset(project, entity_type=kind))
    f.asset(project)
    types = client.get(f"/data/shots/{shot.id}/asset-types", headers=admin).json
    assert [t["id"] for t in types] == [str(kind.id)]


def test_put_on_the_entity_merges_data(client, admin):
    project = f.project()
    asset = f.asset(project, data={"a": 1})
    response = client.put(f"/data/entities/{asset.id}", json={"data": {"b": 2}}, headers=admin)
    assert response.status_code == 200 and response.json["data"] == {"a": 1, "b": 2}
    assert response.json["type"] == "Asset"


def test_asset_list_of_an_episode_and_of_ones_assignments(client):
    project, kind = f.project(), f.asset_type()
    artist = f.member(project)
    headers = f.bearer(f.login(client, artist.email).json["access_token"])
    episode = _temporal(project, "Episode")
    own = f.asset(project, entity_type=kind, source_id=episode.id)
    cast = f.asset(project, entity_type=kind)
    f.entity_link(episode, cast)
    f.asset(project, entity_type=kind)
    f.task(project, entity=cast, assignees=[artist])

    def ids(query):
        return {a["id"] for a in client.get(f"/data/projects/{project.id}/assets?{query}",
                                            headers=headers).json}

    assert ids(f"episode_id={episode.id}") == {str(own.id), str(cast.id)}
    assert ids("assigned_to=true") == {str(cast.id)}


def test_bulk_delete_writes_one_event_per_entity(client, admin):
    project = f.project()
    assets = [f.asset(project) for _ in range(3)]
    f.task(project, entity=assets[0])
    ids = [str(a.id) for a in assets]
    client.post(f"/actions/projects/{project.id}/delete-entities", json=ids, headers=admin)
    assert {e["asset_id"] for e in _events("asset:delete")} == set(ids[1:])
    assert [e["asset_id"] for e in _events("asset:update")] == ids[:1]
