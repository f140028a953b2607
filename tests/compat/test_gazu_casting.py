"""gazu 1.3.1's casting helpers against a real server: a pipeline script
sets a shot's casting, reads it back per shot, per asset, per sequence and
for the whole production, and casts or uncasts one asset in several shots.

Entities are made through the generic /data/entities route so these tests
depend only on the casting routes."""
import gazu
import pytest

from tests.compat.conftest import unique


def _type_id(name, client):
    return next(t["id"] for t in gazu.client.fetch_all("entity-types", client=client)
                if t["name"] == name)


def _entity(project, type_name, client, parent=None, name=None):
    return gazu.client.post("data/entities", {
        "name": name or unique(type_name), "project_id": project["id"],
        "entity_type_id": _type_id(type_name, client),
        "parent_id": parent["id"] if parent else None}, client=client)


@pytest.fixture
def breakdown(admin):
    project = gazu.project.new_project(unique("Casting"), client=admin)
    episode = _entity(project, "Episode", admin)
    sequence = _entity(project, "Sequence", admin, episode, name="SQ01")
    shots = [_entity(project, "Shot", admin, sequence, name=f"SH{n}") for n in ("010", "020")]
    assets = [_entity(project, "Character", admin, name=name) for name in ("Ann", "Bob")]
    return dict(project=project, episode=episode, sequence=sequence, shots=shots,
                assets=assets)


def test_shot_casting_round_trips(admin, breakdown):
    project, (shot, _), (ann, bob) = breakdown["project"], breakdown["shots"], \
        breakdown["assets"]
    casting = [{"asset_id": ann["id"], "nb_occurences": 2, "label": "fixed"},
               {"asset_id": bob["id"], "nb_occurences": 1}]
    assert gazu.casting.update_shot_casting(project, shot, casting, client=admin) == casting
    got = gazu.casting.get_shot_casting(shot, client=admin)
    assert [(c["asset_id"], c["asset_name"], c["nb_occurences"], c["label"]) for c in got] == [
        (ann["id"], "Ann", 2, "fixed"), (bob["id"], "Bob", 1, "")]
    # Replacing the list drops what it no longer names.
    gazu.casting.update_shot_casting(project, shot, casting[1:], client=admin)
    assert [c["asset_id"] for c in gazu.casting.get_shot_casting(shot, client=admin)] == [
        bob["id"]]
    assert gazu.client.fetch_one("entities", shot["id"], client=admin)["nb_entities_out"] == 1


def test_sequence_episode_and_project_castings(admin, breakdown):
    b = breakdown
    (s1, s2), (ann, bob) = b["shots"], b["assets"]
    gazu.casting.update_shot_casting(b["project"], s1, [
        {"asset_id": ann["id"], "nb_occurences": 1}], client=admin)
    gazu.casting.update_shot_casting(b["project"], s2, [
        {"asset_id": bob["id"], "nb_occurences": 3}], client=admin)

    by_shot = gazu.casting.get_sequence_casting(b["sequence"], client=admin)
    assert list(by_shot) == [s1["id"], s2["id"]]
    assert by_shot[s2["id"]][0]["sequence_name"] == "SQ01"
    assert by_shot[s2["id"]][0]["nb_occurences"] == 3
    assert gazu.casting.get_project_shots_casting(b["project"], client=admin) == by_shot
    assert gazu.casting.get_episode_shots_casting(b["project"], b["episode"],
                                                  client=admin) == by_shot
    # Casting the shots cast their episode.
    episode = gazu.casting.get_episode_casting(b["episode"], client=admin)
    assert sorted(c["asset_id"] for c in episode) == sorted([ann["id"], bob["id"]])
    assert set(gazu.casting.get_episodes_casting(b["project"], client=admin)) == {
        b["episode"]["id"]}


def test_asset_casting_and_cast_asset(admin, breakdown):
    b = breakdown
    (s1, s2), (ann, bob) = b["shots"], b["assets"]
    gazu.casting.update_asset_casting(b["project"], ann, [
        {"asset_id": bob["id"], "nb_occurences": 1}], client=admin)
    assert [c["asset_id"] for c in gazu.casting.get_asset_casting(ann, client=admin)] == [
        bob["id"]]

    result = gazu.casting.cast_asset(b["project"], [s1, s2], ann, nb_occurences=2,
                                     client=admin)
    assert {k: [(c["asset_id"], c["nb_occurences"]) for c in v] for k, v in result.items()} == {
        s1["id"]: [(ann["id"], 2)], s2["id"]: [(ann["id"], 2)]}
    gazu.casting.uncast_asset(b["project"], [s1], ann, client=admin)
    assert gazu.casting.get_shot_casting(s1, client=admin) == []
    assert len(gazu.casting.get_shot_casting(s2, client=admin)) == 1


def test_entity_links_of_a_project(admin, breakdown):
    b = breakdown
    gazu.casting.update_shot_casting(b["project"], b["shots"][0], [
        {"asset_id": b["assets"][0]["id"], "nb_occurences": 1}], client=admin)
    links = gazu.casting.all_entity_links_for_project(b["project"], client=admin)
    # The shot's link and the one mirrored on its episode.
    assert {(link["entity_in_id"], link["entity_out_id"]) for link in links} == {
        (b["shots"][0]["id"], b["assets"][0]["id"]), (b["episode"]["id"], b["assets"][0]["id"])}
    page = gazu.casting.all_entity_links_for_project(b["project"], page=1, limit=1,
                                                     client=admin)
    assert (page["total"], len(page["data"])) == (2, 1)
