"""POST /data/search: PostgreSQL full-text search over people, assets and
shots, with Zou's scoping per role."""
import pytest

from app.extensions import db
from tests import factories as f


def _search(client, headers, query, **body):
    return client.post("/data/search", headers=headers, json={"query": query, **body})


def _names(rows):
    return [r["name"] for r in rows]


def _production(status="Open", **values):
    """A production with a character, a prop and a shot in sq_quokka."""
    project = f.project(status=status, **values)
    character = f.asset_type(name=f.unique("Quarkcharacter"))
    hero = f.asset(project, entity_type=character, name="quokka_hero",
                   description="The main quokka", data={"mood": "grumpy", "frames": 12})
    prop = f.asset(project, name="Lamp", description="Quokka lamp, a prop")
    sequence = f.temporal(project, "Sequence", name="sq_quokka")
    shot = f.temporal(project, "Shot", parent=sequence, name="sh010",
                      data={"frame_in": 1001, "camera": "wide"})
    return project, hero, prop, sequence, shot


def test_prefix_ranking_and_shapes(client):
    project, hero, prop, sequence, shot = _production()
    _, headers = f.signed_in(client, role="admin")
    body = _search(client, headers, "quok", limit=10).json
    assert set(body) == {"persons", "assets", "shots"}
    # Name matches rank above description matches.
    assert _names(body["assets"]) == ["quokka_hero", "Lamp"]
    top = body["assets"][0]
    assert top["id"] == str(hero.id) and top["type"] == "Asset"
    assert top["project_name"] == project.name
    assert top["asset_type_name"].startswith("Quarkcharacter")
    assert top["matched_terms"] == ["name", "description"]
    assert top["data"] == {"mood": "grumpy", "frames": 12}
    assert top["preview_file_extension"] is None
    assert body["assets"][1]["matched_terms"] == ["description"]
    # A shot is found through its sequence's name.
    assert [s["id"] for s in body["shots"]] == [str(shot.id)]
    assert body["shots"][0]["sequence_name"] == "sq_quokka"
    assert body["shots"][0]["matched_terms"] == ["name"]


@pytest.mark.parametrize("index, expression", [
    ("ix_entity_search_document", lambda s: s._document(s.ENTITY)),
    ("ix_entity_search_name", lambda s: s._vector(s.ENTITY.c.name)),
    ("ix_person_search_name", lambda s: s._person_name()),
])
def test_queries_use_the_migration_indexes(app, index, expression):
    """The service's expressions are those indexed by migration 0003."""
    import sqlalchemy as sa

    from app.services import search

    where = expression(search).op("@@")(search._prefixes(["quok"], "&"))
    stmt = sa.select(sa.func.count()).where(where)
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    sql = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.session.scalars(sa.text(f"EXPLAIN {sql}")))
    assert index in plan


SEARCH_STATUS = {"admin": 200, "manager": 200, "supervisor": 200, "user": 200, "client": 200,
                 "vendor": 200, "bot": 200, "anonymous": 401}


@pytest.mark.parametrize("who", f.CALLERS)
def test_who_finds_what(client, who):
    project, hero, prop, sequence, shot = _production()
    person, headers = f.on_team(client, project, who)
    if who == "vendor":
        f.task(project, entity=prop, assignees=[person])
    f.person(first_name="Quokkaline", last_name="Smith")  # on no team
    mate = f.member(project, first_name="Quokkamate", last_name="Jones")
    response = _search(client, headers, "quokka", limit=10)
    assert response.status_code == SEARCH_STATUS[who]
    if response.status_code != 200:
        return
    body = response.json
    if who == "vendor":
        # Only the entities they hold a task on.
        assert (_names(body["assets"]), body["shots"]) == (["Lamp"], [])
    else:
        assert _names(body["assets"]) == ["quokka_hero", "Lamp"]
        assert [s["id"] for s in body["shots"]] == [str(shot.id)]
    people = body["persons"]
    # Clients only find the people of their productions.
    expected = ["Quokkamate"] if who == "client" else ["Quokkaline", "Quokkamate"]
    assert [p["first_name"] for p in people] == expected
    found = next(p for p in people if p["id"] == str(mate.id))
    assert found["type"] == "Person" and found["matched_terms"] == ["name"]
    assert found["full_name"] == "Quokkamate Jones"
    if who in ("admin", "manager"):
        assert found["email"] == mate.email
    else:
        assert "email" not in found and "password" not in found
    assert "password" not in found


def test_closed_and_foreign_productions_are_not_searched(client):
    project, *_ = _production()
    closed, *_ = _production(status="Closed")
    other, *_ = _production()
    artist, headers = f.on_team(client, project, "user")
    f.join_team(closed, artist)
    projects = {a["project_id"] for a in _search(client, headers, "quokka", limit=50)
                .json["assets"]}
    assert projects == {str(project.id)}
    admin = f.signed_in(client, role="admin")[1]
    seen = {a["project_id"] for a in _search(client, admin, "quokka_hero", limit=50)
            .json["assets"]}
    assert {str(project.id), str(other.id)} <= seen and str(closed.id) not in seen
    # A production asked for: only it, and nothing from one the caller is not on.
    assert {a["project_id"] for a in _search(
        client, admin, "quokka", limit=50, project_id=str(other.id)).json["assets"]} == {
        str(other.id)}
    assert _search(client, headers, "quokka", project_id=str(other.id)).json["assets"] == []
    outsider = f.signed_in(client, role="manager")[1]
    body = _search(client, outsider, "quokka").json
    assert (body["assets"], body["shots"]) == ([], [])


def test_words_prefixes_and_fields(client):
    project, hero, prop, sequence, shot = _production()
    headers = f.on_team(client, project, "manager")[1]

    def assets(query, **body):
        response = _search(client, headers, query, index_names=["assets"],
                           **{"limit": 10, **body})
        assert response.status_code == 200, response.json
        assert set(response.json) == {"assets"}
        return _names(response.json["assets"])

    # Every word must match, each in any field (the asset type's name too).
    assert assets("quarkchar hero") == ["quokka_hero"]
    assert assets("quokka grumpy") == ["quokka_hero"]
    assert assets("quokka absent") == []
    assert assets("GRUMP") == ["quokka_hero"]
    matched = _search(client, headers, "grumpy", index_names=["assets"]).json["assets"][0]
    assert matched["matched_terms"] == ["mood"]
    # Numbers in metadata are searched, a shot's frame range is not.
    assert _names(_search(client, headers, "wide", index_names=["shots"]).json["shots"]) == [
        "sh010"]
    assert _search(client, headers, "1001", index_names=["shots"]).json["shots"] == []
    # Paging.
    assert assets("quokka", limit=1) == ["quokka_hero"]
    assert assets("quokka", limit=1, offset=1) == ["Lamp"]
    # Punctuation is no syntax.
    assert assets("quokka & | ! :* ' (") == ["quokka_hero", "Lamp"]
    assert assets("&&&") == []


def test_short_queries_and_bad_input(client):
    headers = f.signed_in(client, role="user")[1]
    assert _search(client, headers, "ab").json == {}
    assert client.post("/data/search", headers=headers, json={}).status_code == 400
    for bad in ({"query": None}, {"query": "abc", "limit": 0}, {"query": "abc", "offset": -1},
                {"query": "abc", "project_id": "nope"}, {"query": "abc", "index_names": "x"},
                {"query": "abc", "limit": "many"}):
        response = client.post("/data/search", headers=headers, json=bad)
        assert response.status_code == 400, bad
    assert _search(client, headers, "abc", index_names=["unknown"]).json == {}


def test_vendors_do_not_find_or_see_other_departments_metadata(client):
    from app.models.settings import MetadataDescriptor

    project, hero, prop, sequence, shot = _production()
    mine, theirs = f.department(), f.department()
    vendor, headers = f.on_team(client, project, "vendor")
    vendor.departments = [mine]
    db.session.commit()
    f.task(project, entity=hero, assignees=[vendor])
    kept = f.metadata_descriptor(project, field_name="mood")
    hidden = f.metadata_descriptor(project, field_name="secret")
    db.session.get(MetadataDescriptor, kept.id).departments = [mine]
    db.session.get(MetadataDescriptor, hidden.id).departments = [theirs]
    hero.data = {"mood": "grumpy", "secret": "zanzibar"}
    db.session.commit()
    headers = f.bearer(f.login(client, vendor.email).json["access_token"])
    found = _search(client, headers, "quokka", index_names=["assets"]).json["assets"]
    assert [a["id"] for a in found] == [str(hero.id)]
    assert found[0]["data"] == {"mood": "grumpy"}
    assert _search(client, headers, "zanzibar").json["assets"] == []
    assert _names(_search(client, headers, "grumpy").json["assets"]) == ["quokka_hero"]
    manager = f.on_team(client, project, "manager")[1]
    found = _search(client, manager, "zanzibar").json["assets"]
    assert found[0]["matched_terms"] == ["secret"]


def test_shots_are_found_by_their_episode_in_a_tv_show(client):
    project = f.project(production_type="tvshow")
    episode = f.temporal(project, "Episode", name="ep_wombat")
    sequence = f.temporal(project, "Sequence", parent=episode, name="sq_one")
    shot = f.temporal(project, "Shot", parent=sequence, name="sh_one")
    f.temporal(project, "Shot", parent=f.temporal(project, "Sequence", name="sq_two"),
               name="sh_two")
    headers = f.on_team(client, project, "supervisor")[1]
    found = _search(client, headers, "womb one", index_names=["shots"]).json["shots"]
    assert [s["id"] for s in found] == [str(shot.id)]
    assert (found[0]["episode_id"], found[0]["episode"], found[0]["sequence_name"]) == (
        str(episode.id), "ep_wombat", "sq_one")
    assert found[0]["matched_terms"] == ["name"]
    assert found[0]["type"] == "Shot" and found[0]["project_name"] == project.name
    assert _names(_search(client, headers, "sh_t", index_names=["shots"]).json["shots"]) == [
        "sh_two"]
