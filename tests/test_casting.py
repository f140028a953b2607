"""Casting (behaviours.md row 12): replace-the-list writes, the bulk and
per-asset writes, what follows from them (counts, episode casting mirrored
from shots, readiness, events) and the breakdown lists."""
import datetime
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.entity import Entity, EntityLink
from app.models.events import ApiEvent
from app.models.project import ProjectTaskTypeLink
from app.models.settings import EntityType
from app.models.task import Task
from tests import factories as f


def _type(name):
    return db.session.scalars(select(EntityType).where(EntityType.name == name)).one()


def temporal(project, kind, parent=None, **values):
    values.setdefault("name", f.unique(kind))
    return f.asset(project, entity_type=_type(kind), parent_id=parent.id if parent else None,
                   **values)


@pytest.fixture
def prod(client):
    """A production with an episode, a sequence, two shots, three assets
    and its manager signed in."""
    project = f.project()
    manager, headers = f.signed_in(client, role="manager")
    f.join_team(project, manager)
    episode = temporal(project, "Episode")
    sequence = temporal(project, "Sequence", episode)
    shots = [temporal(project, "Shot", sequence, name=f"SH{n:03d}") for n in (10, 20)]
    character = f.asset_type(name=f.unique("Character"))
    assets = [f.asset(project, entity_type=character, name=f"asset {n}") for n in "abc"]
    return dict(project=project, headers=headers, episode=episode, sequence=sequence,
                shots=shots, assets=assets, character=character)


def url(prod, entity):
    return f"/data/projects/{prod['project'].id}/entities/{entity.id}/casting"


def links_of(entity):
    return {(str(link.entity_out_id), link.nb_occurences, link.label)
            for link in db.session.scalars(
                select(EntityLink).where(EntityLink.entity_in_id == entity.id))}


def events(name):
    return [e.data for e in db.session.scalars(
        select(ApiEvent).where(ApiEvent.name == name).order_by(ApiEvent.created_at))]


def test_put_replaces_the_whole_casting_and_get_reads_it(client, prod):
    shot, (a, b, c) = prod["shots"][0], prod["assets"]
    body = [{"asset_id": str(a.id), "nb_occurences": 2, "label": "animate"},
            {"asset_id": str(b.id), "nb_occurences": 1},
            {"asset_id": str(c.id)}]  # no count: ignored
    response = client.put(url(prod, shot), json=body, headers=prod["headers"])
    assert response.status_code == 200, response.json
    assert response.json == body
    assert links_of(shot) == {(str(a.id), 2, "animate"), (str(b.id), 1, "")}

    response = client.put(url(prod, shot), json=[
        {"asset_id": str(b.id), "nb_occurences": 3}, {"asset_id": str(c.id), "nb_occurences": 1}],
        headers=prod["headers"])
    assert response.status_code == 200
    assert links_of(shot) == {(str(b.id), 3, ""), (str(c.id), 1, "")}
    db.session.refresh(shot)
    assert shot.nb_entities_out == 2

    got = client.get(url(prod, shot), headers=prod["headers"]).json
    assert [(e["asset_id"], e["asset_name"], e["nb_occurences"]) for e in got] == [
        (str(b.id), "asset b", 3), (str(c.id), "asset c", 1)]
    assert got[0]["asset_type_name"] == prod["character"].name
    assert got[0]["project_id"] == str(prod["project"].id)
    assert got[0]["is_shared"] is False


def test_events_carry_each_link_and_the_diff(client, prod):
    shot, (a, b, c) = prod["shots"][0], prod["assets"]
    client.put(url(prod, shot), json=[{"asset_id": str(a.id), "nb_occurences": 1},
                                      {"asset_id": str(b.id), "nb_occurences": 1}],
               headers=prod["headers"])
    client.put(url(prod, shot), json=[{"asset_id": str(b.id), "nb_occurences": 4},
                                      {"asset_id": str(c.id), "nb_occurences": 1}],
               headers=prod["headers"])
    new = events("entity-link:new")
    assert {e["entity_in_id"] for e in new} == {str(shot.id)}
    assert sorted(e["entity_out_id"] for e in new) == sorted(map(str, (a.id, b.id, c.id)))
    assert [e["nb_occurences"] for e in events("entity-link:update")] == [4]
    updates = [e for e in events("shot:casting-update") if e["shot_id"] == str(shot.id)]
    assert updates[-1] == {"shot_id": str(shot.id), "nb_entities_out": 2,
                           "added_asset_ids": [str(c.id)], "removed_asset_ids": [str(a.id)],
                           "project_id": str(prod["project"].id)}


def test_casting_a_shot_casts_its_episode_until_no_shot_uses_the_asset(client, prod):
    (s1, s2), a = prod["shots"], prod["assets"][0]
    episode = prod["episode"]
    cast = [{"asset_id": str(a.id), "nb_occurences": 1}]
    client.put(url(prod, s1), json=cast, headers=prod["headers"])
    client.put(url(prod, s2), json=cast, headers=prod["headers"])
    link = db.session.scalars(select(EntityLink).where(
        EntityLink.entity_in_id == episode.id)).one()
    assert link.entity_out_id == a.id and link.data == {"auto": True}
    db.session.refresh(episode)
    assert episode.nb_entities_out == 1

    client.put(url(prod, s1), json=[], headers=prod["headers"])
    assert links_of(episode) == {(str(a.id), 1, "")}
    client.put(url(prod, s2), json=[], headers=prod["headers"])
    assert links_of(episode) == set()
    db.session.refresh(episode)
    assert episode.nb_entities_out == 0
    assert events("episode:casting-update")[-1]["removed_asset_ids"] == [str(a.id)]


def test_an_episode_link_set_by_hand_stays(client, prod):
    shot, a = prod["shots"][0], prod["assets"][0]
    cast = [{"asset_id": str(a.id), "nb_occurences": 1}]
    client.put(url(prod, prod["episode"]), json=cast, headers=prod["headers"])
    client.put(url(prod, shot), json=cast, headers=prod["headers"])
    client.put(url(prod, shot), json=[], headers=prod["headers"])
    assert links_of(prod["episode"]) == {(str(a.id), 1, "")}


def test_removing_an_asset_from_an_episode_removes_it_from_its_shots(client, prod):
    (s1, s2), (a, b, _) = prod["shots"], prod["assets"]
    for shot in (s1, s2):
        client.put(url(prod, shot), json=[{"asset_id": str(a.id), "nb_occurences": 1},
                                          {"asset_id": str(b.id), "nb_occurences": 1}],
                   headers=prod["headers"])
    response = client.put(url(prod, prod["episode"]),
                          json=[{"asset_id": str(b.id), "nb_occurences": 1}],
                          headers=prod["headers"])
    assert response.status_code == 200
    assert links_of(s1) == links_of(s2) == {(str(b.id), 1, "")}
    removed = [e for e in events("shot:casting-update") if e["removed_asset_ids"]]
    assert {e["shot_id"] for e in removed} == {str(s1.id), str(s2.id)}
    assert str(b.id) in {e["asset_id"] for e in events("asset:update")}


def test_bulk_put_replaces_several_castings_in_one_request(client, prod):
    (s1, s2), (a, b, c) = prod["shots"], prod["assets"]
    response = client.put(f"/data/projects/{prod['project'].id}/entities/casting", json={
        str(s1.id): [{"asset_id": str(a.id), "nb_occurences": 1}],
        str(s2.id): [{"asset_id": str(b.id), "nb_occurences": 2},
                     {"asset_id": str(c.id), "nb_occurences": 1}]}, headers=prod["headers"])
    assert response.status_code == 200, response.json
    assert set(response.json) == {str(s1.id), str(s2.id)}
    assert links_of(s1) == {(str(a.id), 1, "")}
    assert links_of(s2) == {(str(b.id), 2, ""), (str(c.id), 1, "")}


def test_a_bulk_put_naming_another_projects_entity_changes_nothing(client, prod):
    other = temporal(f.project(), "Shot")
    response = client.put(f"/data/projects/{prod['project'].id}/entities/casting", json={
        str(prod["shots"][0].id): [{"asset_id": str(prod["assets"][0].id), "nb_occurences": 1}],
        str(other.id): []}, headers=prod["headers"])
    assert response.status_code == 403
    assert links_of(prod["shots"][0]) == set()


@pytest.mark.parametrize("body,status", [
    ({"a": 1}, 400),
    ([{"asset_id": "nope", "nb_occurences": 1}], 400),
    ([{"asset_id": str(uuid.uuid4()), "nb_occurences": 1}], 400),
    ([{"asset_id": None, "nb_occurences": "two"}], 400),
])
def test_bad_casting_bodies_are_refused(client, prod, body, status):
    response = client.put(url(prod, prod["shots"][0]), json=body, headers=prod["headers"])
    assert response.status_code == status
    assert response.json["error"] is True


def test_unknown_and_foreign_entities(client, prod):
    base = f"/data/projects/{prod['project'].id}/entities"
    assert client.get(f"{base}/{uuid.uuid4()}/casting",
                      headers=prod["headers"]).status_code == 404
    other = temporal(f.project(), "Shot")
    assert client.get(f"{base}/{other.id}/casting", headers=prod["headers"]).status_code == 403


def test_cast_asset_in_several_entities_keeps_their_other_assets(client, prod):
    (s1, s2), (a, b, _) = prod["shots"], prod["assets"]
    client.put(url(prod, s1), json=[{"asset_id": str(a.id), "nb_occurences": 2,
                                     "label": "keep"}], headers=prod["headers"])
    path = f"/data/projects/{prod['project'].id}/entities/casting/assets/{a.id}"
    response = client.put(path, json={"entity_ids": [str(s1.id), str(s2.id)]},
                          headers=prod["headers"])
    assert response.status_code == 200, response.json
    assert response.json[str(s2.id)][0]["nb_occurences"] == 1
    assert links_of(s1) == {(str(a.id), 2, "keep")}
    client.put(url(prod, s1), json=[{"asset_id": str(a.id), "nb_occurences": 2},
                                    {"asset_id": str(b.id), "nb_occurences": 1}],
               headers=prod["headers"])

    response = client.put(path, json={"entity_ids": [str(s1.id)], "nb_occurences": 0},
                          headers=prod["headers"])
    assert response.json == {str(s1.id): [response.json[str(s1.id)][0]]}
    assert links_of(s1) == {(str(b.id), 1, "")}
    assert client.put(path, json={"entity_ids": []},
                      headers=prod["headers"]).status_code == 400
    assert client.put(path, json={"nb_occurences": 1},
                      headers=prod["headers"]).status_code == 400


def test_readiness_counts_assets_ready_for_each_shot_task(client, prod):
    project, shot = prod["project"], prod["shots"][0]
    layout = f.task_type(name=f.unique("Layout"), for_entity="Shot")
    anim = f.task_type(name=f.unique("Anim"), for_entity="Shot")
    for task_type, priority in ((layout, 1), (anim, 2)):
        db.session.add(ProjectTaskTypeLink(project_id=project.id, task_type_id=task_type.id,
                                           priority=priority))
    db.session.commit()
    a, b, c = prod["assets"]
    a.ready_for = anim.id      # ready for layout and animation
    b.ready_for = layout.id    # ready for layout only
    shared = f.asset(f.project(), entity_type=prod["character"], is_shared=True)
    db.session.commit()
    layout_task = f.task(project, shot, layout)
    anim_task = f.task(project, shot, anim)
    client.put(url(prod, shot), json=[{"asset_id": str(x.id), "nb_occurences": 1}
                                      for x in (a, b, c, shared)], headers=prod["headers"])
    db.session.refresh(layout_task)
    db.session.refresh(anim_task)
    assert (layout_task.nb_assets_ready, anim_task.nb_assets_ready) == (3, 2)
    # Not persisted: a live message only.
    assert events("task:update-casting-stats") == []


def test_canceled_assets_are_not_listed_nor_counted(client, prod):
    shot, (a, b, _) = prod["shots"][0], prod["assets"]
    b.canceled = True
    db.session.commit()
    client.put(url(prod, shot), json=[{"asset_id": str(x.id), "nb_occurences": 1}
                                      for x in (a, b)], headers=prod["headers"])
    assert [e["asset_id"] for e in client.get(url(prod, shot), headers=prod["headers"]).json] \
        == [str(a.id)]
    db.session.refresh(shot)
    assert shot.nb_entities_out == 1


def test_breakdown_lists(client, prod):
    project, (s1, s2), (a, b, c) = prod["project"], prod["shots"], prod["assets"]
    other_sequence = temporal(project, "Sequence")
    s3 = temporal(project, "Shot", other_sequence)
    client.put(f"/data/projects/{project.id}/entities/casting", json={
        str(s1.id): [{"asset_id": str(b.id), "nb_occurences": 1},
                     {"asset_id": str(a.id), "nb_occurences": 2}],
        str(s2.id): [{"asset_id": str(c.id), "nb_occurences": 1}],
        str(s3.id): [{"asset_id": str(c.id), "nb_occurences": 1}],
        str(a.id): [{"asset_id": str(c.id), "nb_occurences": 5}]}, headers=prod["headers"])
    h = prod["headers"]
    base = f"/data/projects/{project.id}"

    by_shot = client.get(f"{base}/sequences/{prod['sequence'].id}/casting", headers=h).json
    assert list(by_shot) == [str(s1.id), str(s2.id)]
    assert [e["asset_id"] for e in by_shot[str(s1.id)]] == [str(a.id), str(b.id)]
    assert by_shot[str(s1.id)][0] == {
        "asset_id": str(a.id), "name": "asset a", "asset_name": "asset a",
        "asset_type_name": prod["character"].name, "sequence_name": prod["sequence"].name,
        "preview_file_id": None, "nb_occurences": 2, "label": "", "is_shared": False,
        "project_id": str(project.id)}

    every = client.get(f"{base}/sequences/all/casting", headers=h).json
    assert set(every) == {str(s1.id), str(s2.id), str(s3.id)}
    in_episode = client.get(f"{base}/episodes/{prod['episode'].id}/sequences/all/casting",
                            headers=h).json
    assert set(in_episode) == {str(s1.id), str(s2.id)}
    assert client.get(f"{base}/episodes/main/sequences/all/casting", headers=h).json == {}

    episodes = client.get(f"{base}/episodes/casting", headers=h).json
    assert list(episodes) == [str(prod["episode"].id)]
    assert {e["asset_id"] for e in episodes[str(prod["episode"].id)]} == \
        {str(a.id), str(b.id), str(c.id)}

    by_asset = client.get(f"{base}/asset-types/{prod['character'].id}/casting", headers=h).json
    assert by_asset == {str(a.id): [{
        "asset_id": str(c.id), "name": "asset c", "asset_name": "asset c",
        "asset_type_name": prod["character"].name, "preview_file_id": None,
        "nb_occurences": 5, "label": ""}]}
    assert client.get(f"{base}/asset-types/{uuid.uuid4()}/casting",
                      headers=h).status_code == 404
    assert client.get(f"{base}/sequences/{uuid.uuid4()}/casting", headers=h).status_code == 404
    assert client.get(f"{base}/sequences/{s1.id}/casting", headers=h).status_code == 404
    assert client.get(f"{base}/sequences/not-an-id/casting", headers=h).status_code == 400


def test_entity_links_list_pages_and_delete(client, prod):
    project, (s1, s2), (a, b, _) = prod["project"], prod["shots"], prod["assets"]
    h, base = prod["headers"], f"/data/projects/{prod['project'].id}/entity-links"
    client.put(f"/data/projects/{project.id}/entities/casting", json={
        str(s1.id): [{"asset_id": str(a.id), "nb_occurences": 1}],
        str(s2.id): [{"asset_id": str(a.id), "nb_occurences": 1},
                     {"asset_id": str(b.id), "nb_occurences": 3}]}, headers=h)
    links = client.get(base, headers=h).json
    # Three shot links and two mirrored on the episode.
    assert len(links) == 5
    assert {link["type"] for link in links} == {"EntityLink"}
    assert len(links[0]["created_at"]) == len("2030-01-01T00:00:00.000000")
    page = client.get(f"{base}?page=2&limit=2", headers=h).json
    assert (page["total"], page["nb_pages"], page["page"], len(page["data"])) == (5, 3, 2, 2)
    assert page["data"] == links[2:4]
    # One request wrote them all: they share their creation time.
    created = db.session.scalars(select(EntityLink.created_at).where(
        EntityLink.id == uuid.UUID(links[0]["id"]))).one()
    cursor = f"{base}?limit=10&cursor_created_at="
    after = client.get(cursor + (created - datetime.timedelta(seconds=1)).isoformat(),
                       headers=h).json
    assert (after["total"], after["limit"], after["data"]) == (5, 10, links)
    assert client.get(cursor + created.isoformat(), headers=h).json["data"] == []
    assert client.get(f"{base}?cursor_created_at=yesterday", headers=h).status_code == 400

    link = next(x for x in links if x["entity_in_id"] == str(s2.id)
                and x["entity_out_id"] == str(b.id))
    response = client.delete(f"{base}/{link['id']}", headers=h)
    assert response.status_code == 200
    assert response.json["id"] == link["id"] and response.json["nb_occurences"] == 3
    assert links_of(s2) == {(str(a.id), 1, "")}
    # b left the episode's last shot: its mirrored link went too.
    assert links_of(prod["episode"]) == {(str(a.id), 1, "")}
    db.session.refresh(s2)
    assert s2.nb_entities_out == 1
    assert client.delete(f"{base}/{link['id']}", headers=h).status_code == 404


def test_deleting_an_episode_link_leaves_its_shots_alone(client, prod):
    shot, a = prod["shots"][0], prod["assets"][0]
    client.put(url(prod, shot), json=[{"asset_id": str(a.id), "nb_occurences": 1}],
               headers=prod["headers"])
    link = db.session.scalars(select(EntityLink).where(
        EntityLink.entity_in_id == prod["episode"].id)).one()
    response = client.delete(f"/data/projects/{prod['project'].id}/entity-links/{link.id}",
                             headers=prod["headers"])
    assert response.status_code == 200
    assert links_of(shot) == {(str(a.id), 1, "")}
    assert links_of(prod["episode"]) == set()


def test_shared_assets_of_another_project_can_be_cast(client, prod):
    shared = f.asset(f.project(), is_shared=True)
    shot = prod["shots"][0]
    response = client.put(url(prod, shot), json=[{"asset_id": str(shared.id),
                                                  "nb_occurences": 1}], headers=prod["headers"])
    assert response.status_code == 200
    got = client.get(url(prod, shot), headers=prod["headers"]).json
    assert got[0]["project_id"] == str(shared.project_id) and got[0]["is_shared"] is True


def test_task_and_entity_counts_use_real_rows(client, prod):
    """The readiness update touches only the shot's tasks."""
    other_task = f.task(prod["project"])
    before = db.session.get(Task, other_task.id).nb_assets_ready
    client.put(url(prod, prod["shots"][0]), json=[
        {"asset_id": str(prod["assets"][0].id), "nb_occurences": 1}], headers=prod["headers"])
    assert db.session.get(Task, other_task.id).nb_assets_ready == before
    assert db.session.get(Entity, prod["shots"][1].id).nb_entities_out == 0


def test_a_bulk_put_with_one_bad_casting_changes_nothing(client, prod):
    (s1, s2), a = prod["shots"], prod["assets"][0]
    response = client.put(f"/data/projects/{prod['project'].id}/entities/casting", json={
        str(s1.id): [{"asset_id": str(a.id), "nb_occurences": 1}],
        str(s2.id): [{"asset_id": str(uuid.uuid4()), "nb_occurences": 1}]},
        headers=prod["headers"])
    assert response.status_code == 400
    assert links_of(s1) == set() and events("entity-link:new") == []
    missing = f"/data/projects/{prod['project'].id}/entities/casting/assets/{uuid.uuid4()}"
    assert client.put(missing, json={"entity_ids": [str(s1.id)]},
                      headers=prod["headers"]).status_code == 404
