"""Playlists (behaviours.md row 18, section 2.3 and 2.4): the full view a
review opens, the lists of a production, the generic /data/playlists
rules, adding entities, temporary playlists and the notice to clients."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.events import Notification
from app.models.person import DepartmentLink
from app.models.playlist import BuildJob, Playlist, PlaylistShareLink
from app.models.settings import Studio
from tests import factories as f
from tests import playlists_helpers
from tests.playlists_helpers import ROLES, Review, count_queries
from tests.test_schedule import api_events, assert_access

files = playlists_helpers.files  # a storage of the test's own


@pytest.fixture
def review():
    return Review()


def _caller(client, project, role, project_role=None):
    """(person, headers) of a `role` on the team (admins and anonymous need none)."""
    if project_role is not None:
        person, headers = f.signed_in(client, role="user")
        f.join_team(project, person, project_role)
        return person, headers
    return f.on_team(client, project, role)


def _full(client, review, playlist, headers):
    return client.get(f"/data/projects/{review.project.id}/playlists/{playlist.id}",
                      headers=headers)


# The full view -----------------------------------------------------------------------

def test_full_view_enriches_every_entry_with_all_its_revisions_by_task_type(client, review):
    admin = f.caller(client, "admin")[1]
    r = review
    own = r.previews[(0, r.layout.id)][1]
    # A second file of revision 2 (position 2) rides along with its revision.
    extra = f.preview_file(r.tasks[(0, r.layout.id)], revision=2, position=2, status="ready",
                           extension="png")
    foreign = r.previews[(1, r.anim.id)][0]
    playlist = r.playlist(shots=[
        {"entity_id": str(r.shots[0].id), "preview_file_id": str(own.id)},
        {"entity_id": str(r.shots[1].id), "preview_file_id": str(f.preview_file(
            f.task(f.project())).id)},
        {"id": str(r.shots[1].id), "preview_file_id": str(foreign.id)}])
    old = f.row(BuildJob, playlist_id=playlist.id, status="failed", job_type="movie")
    new = f.row(BuildJob, playlist_id=playlist.id, status="succeeded", job_type="movie",
                created_at=old.created_at.replace(year=old.created_at.year + 1))

    body = _full(client, r, playlist, admin).json
    assert (body["id"], body["name"], body["type"]) == (str(playlist.id), playlist.name,
                                                        "Playlist")
    assert [j["id"] for j in body["build_jobs"]] == [str(new.id), str(old.id)]
    assert set(body["build_jobs"][0]) == {"id", "status", "created_at", "message"}
    first, unknown, by_id = body["shots"]
    assert first["id"] == first["entity_id"] == str(r.shots[0].id)
    assert (first["preview_file_id"], first["preview_file_revision"],
            first["preview_file_extension"], first["preview_file_task_id"],
            first["preview_file_status"]) == (str(own.id), 2, "mp4",
                                              str(r.tasks[(0, r.layout.id)].id), "ready")
    assert [p["id"] for p in first["preview_file_previews"]] == [str(extra.id)]
    # Layout ranks above anim; newest revision first; the revision's other file nested.
    assert list(first["preview_files"]) == [str(r.layout.id), str(r.anim.id)]
    layout = first["preview_files"][str(r.layout.id)]
    assert [(p["id"], p["revision"]) for p in layout] == [
        (str(own.id), 2), (str(r.previews[(0, r.layout.id)][0].id), 1)]
    assert [p["id"] for p in layout[0]["previews"]] == [str(extra.id)]
    assert layout[1]["previews"] == []
    assert set(layout[0]) == {"id", "revision", "extension", "width", "height", "duration",
                              "status", "created_at", "task_id", "previews"}
    # A preview that is no revision of the playlist's entities is dropped.
    assert "preview_file_id" not in unknown and unknown["id"] == str(r.shots[1].id)
    # An entry naming its entity by `id` is enriched the same way.
    assert by_id["preview_file_id"] == str(foreign.id)
    assert list(by_id["preview_files"]) == [str(r.layout.id), str(r.anim.id)]


def test_full_view_of_an_empty_playlist(client, review):
    playlist = f.playlist(review.project)
    body = _full(client, review, playlist, f.caller(client, "admin")[1]).json
    assert (body["shots"], body["build_jobs"]) == ([], [])


def test_full_view_runs_the_same_few_queries_whatever_the_playlist_size(app, client):
    sizes = []
    for review in (Review(nb_shots=2, revisions=1), Review(nb_shots=12, revisions=4)):
        manager = _caller(client, review.project, "manager")[1]
        url = f"/data/projects/{review.project.id}/playlists/{review.playlist().id}"
        response, queries = count_queries(app, lambda: client.get(url, headers=manager))
        assert len(response.json["shots"]) == len(review.shots)
        sizes.append(len(queries))
    # The caller, their role, the playlist, its header, its previews.
    assert sizes == [5, 5]


def test_full_view_is_what_the_service_gives_the_shared_links(client, review):
    from app.services import playlists

    playlist = review.playlist()
    assert _full(client, review, playlist, f.caller(client, "admin")[1]).json == \
        playlists.full_view(playlist.id)
    with_notes = playlists.full_view(playlist.id, annotations=True)
    assert "preview_file_annotations" in with_notes["shots"][0]


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_playlist(client, review, role):
    internal, shared = review.playlist(), review.playlist(for_client=True)
    _, headers = _caller(client, review.project, role)
    for playlist, allowed in ((internal, {"admin", "manager", "supervisor", "user", "bot"}),
                              (shared, {"admin", "manager", "supervisor", "user", "bot",
                                        "client"})):
        assert_access(_full(client, review, playlist, headers), role, allowed)


def test_a_per_project_role_decides(client, review):
    _, as_vendor = _caller(client, review.project, "user", project_role="vendor")
    assert _full(client, review, review.playlist(), as_vendor).status_code == 403
    outsider = f.caller(client, "manager")[1]
    assert _full(client, review, review.playlist(), outsider).status_code == 403


def test_a_playlist_of_another_production_is_not_found(client, review):
    admin = f.caller(client, "admin")[1]
    other = f.playlist(f.project())
    assert _full(client, review, other, admin).status_code == 404
    assert client.get(f"/data/projects/{review.project.id}/playlists/nope",
                      headers=admin).status_code == 400


# Lists of a production --------------------------------------------------------------

def test_project_list_pages_by_twenty_newest_change_first(client, review):
    manager = _caller(client, review.project, "manager")[1]
    rows = [f.playlist(review.project, name=f"P{n:02d}", shots=review.entries())
            for n in range(22)]
    for n, row in enumerate(rows):
        row.updated_at = row.updated_at.replace(year=2030, minute=n % 60, second=0)
    db.session.commit()
    url = f"/data/projects/{review.project.id}/playlists"
    first = client.get(url, headers=manager).json
    assert [p["name"] for p in first] == [f"P{n:02d}" for n in range(21, 1, -1)]
    assert "shots" not in first[0]
    assert first[0]["first_preview_file_id"] == review.entries()[0]["preview_file_id"]
    assert first[0]["for_entity"] == "shot" and first[0]["type"] == "Playlist"
    second = client.get(url + "?page=2", headers=manager).json
    assert [p["name"] for p in second] == ["P01", "P00"]
    by_name = client.get(url + "?sort_by=name", headers=manager).json
    assert by_name[0]["name"] == "P00"
    empty = f.playlist(review.project, name="Z empty", task_type_id=review.anim.id)
    only_anim = client.get(f"{url}?task_type_id={review.anim.id}", headers=manager).json
    assert [p["id"] for p in only_anim] == [str(empty.id)]
    assert "first_preview_file_id" not in only_anim[0]


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_a_productions_playlists(client, review, role):
    internal, shared = review.playlist(), review.playlist(for_client=True)
    _, headers = _caller(client, review.project, role)
    response = client.get(f"/data/projects/{review.project.id}/playlists", headers=headers)
    assert_access(response, role, {"admin", "manager", "supervisor", "user", "bot", "client"})
    if response.status_code == 200:
        expected = {str(shared.id)} if role == "client" else {str(internal.id), str(shared.id)}
        assert {p["id"] for p in response.json} == expected


def test_episode_lists_and_their_pseudo_episodes(client):
    review = Review(production_type="tvshow")
    manager = _caller(client, review.project, "manager")[1]
    episode = f.temporal(review.project, "Episode")
    main = f.playlist(review.project)
    everything = f.playlist(review.project, is_for_all=True, for_entity="asset")
    all_shots = f.playlist(review.project, is_for_all=True, for_entity="shot")
    of_episode = f.playlist(review.project, episode_id=episode.id)
    base = f"/data/projects/{review.project.id}/episodes"

    def ids(path):
        response = client.get(f"{base}/{path}", headers=manager)
        assert response.status_code == 200, response.json
        return {p["id"] for p in response.json}

    assert ids("main/playlists") == {str(main.id)}
    assert ids("all/playlists") == {str(everything.id), str(all_shots.id)}
    assert ids("all/playlists?for_entity=asset") == {str(everything.id)}
    assert ids(f"{episode.id}/playlists") == {str(of_episode.id)}
    assert client.get(f"{base}/{review.shots[0].id}/playlists",
                      headers=manager).status_code == 404
    vendor = _caller(client, review.project, "vendor")[1]
    assert client.get(f"{base}/main/playlists", headers=vendor).status_code == 403


def test_all_playlists_of_a_production_are_for_admins(client, review):
    playlist = review.playlist()
    job = f.row(BuildJob, playlist_id=playlist.id, status="running", job_type="movie")
    url = f"/data/projects/{review.project.id}/playlists/all"
    admin = f.caller(client, "admin")[1]
    listed = client.get(url, headers=admin).json
    assert [(p["id"], p["build_jobs"], len(p["shots"])) for p in listed] == [
        (str(playlist.id), [str(job.id)], 2)]
    page = client.get(url + "?page=1&limit=1", headers=admin).json
    assert (page["total"], page["nb_pages"], [p["id"] for p in page["data"]]) == (
        1, 1, [str(playlist.id)])
    manager = _caller(client, review.project, "manager")[1]
    assert client.get(url, headers=manager).status_code == 403
    assert client.get(f"/data/projects/{playlist.id}/playlists/all",
                      headers=admin).status_code == 404


# Generic /data/playlists ----------------------------------------------------------

def _create(client, review, headers, **values):
    return client.post("/data/playlists/", json={
        "name": "Dailies", "project_id": str(review.project.id), **values}, headers=headers)


@pytest.mark.parametrize("role", ROLES)
def test_who_creates_a_playlist(client, review, role):
    person, headers = _caller(client, review.project, role)
    response = _create(client, review, headers)
    assert_access(response, role, {"admin", "manager", "supervisor"})
    if response.status_code == 201:
        assert response.json["created_by"] == str(person.id)
        assert [e["playlist_id"] for e in api_events("playlist:new", review.project.id)] == [
            response.json["id"]]


def test_creation_reads_kitsus_pseudo_ids_and_keeps_names_unique(client, review):
    manager = _caller(client, review.project, "manager")[1]
    created = _create(client, review, manager, episode_id="main", task_type_id="all",
                      created_by=str(f.person().id), shots=[
                          {"id": str(review.shots[0].id), "name": "dropped"}])
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["episode_id"], body["task_type_id"], body["for_entity"]) == (None, None, "shot")
    assert body["shots"] == [{"entity_id": str(review.shots[0].id), "preview_file_id": None}]
    again = _create(client, review, manager, episode_id="all")
    assert again.status_code == 400 and "already exists" in again.json["message"]
    episode = f.temporal(review.project, "Episode")
    assert _create(client, review, manager, episode_id=str(episode.id)).status_code == 201
    assert _create(client, review, manager, name="Other",
                   for_entity="planet").status_code == 400
    renamed = client.put(f"/data/playlists/{body['id']}", json={"name": "Dailies"},
                         headers=manager)
    assert renamed.status_code == 200
    other = _create(client, review, manager, name="Weeklies").json
    clash = client.put(f"/data/playlists/{other['id']}", json={"name": "Dailies"},
                       headers=manager)
    assert clash.status_code == 400


def test_put_normalizes_entries_and_unpins_foreign_previews(client, review):
    manager = _caller(client, review.project, "manager")[1]
    playlist = review.playlist()
    own = review.previews[(0, review.anim.id)][0]
    foreign = review.previews[(1, review.anim.id)][0]
    response = client.put(f"/data/playlists/{playlist.id}", json={"shots": [
        {"entity_id": str(review.shots[0].id), "preview_file_id": str(own.id).upper(),
         "preview_files": {"a": 1}, "name": "SH1"},
        {"id": str(review.shots[0].id), "preview_file_id": str(foreign.id)},
        {"preview_file_id": str(own.id)}]}, headers=manager)
    assert response.status_code == 200, response.json
    assert response.json["shots"] == [
        {"entity_id": str(review.shots[0].id), "preview_file_id": str(own.id)},
        {"entity_id": str(review.shots[0].id), "preview_file_id": None}]
    assert client.put(f"/data/playlists/{playlist.id}", json={"shots": "no"},
                      headers=manager).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_who_updates_and_deletes_a_playlist(client, review, role):
    person, headers = _caller(client, review.project, role)
    mine = review.playlist(created_by=person.id if person is not None else None)
    anyone = review.playlist(created_by=f.member(review.project, role="supervisor").id)
    allowed_own = {"admin", "manager", "supervisor"}
    allowed_other = {"admin", "manager"}
    for row, allowed in ((mine, allowed_own), (anyone, allowed_other)):
        response = client.put(f"/data/playlists/{row.id}", json={"for_client": True},
                              headers=headers)
        assert_access(response, role, allowed)
        response = client.delete(f"/data/playlists/{row.id}", headers=headers)
        assert_access(response, role, allowed)


def test_a_supervisor_edits_a_playlist_with_no_recorded_creator(client, review):
    _, supervisor = _caller(client, review.project, "supervisor")
    playlist = review.playlist(created_by=None)
    assert client.put(f"/data/playlists/{playlist.id}", json={"name": "Mine now"},
                      headers=supervisor).status_code == 200
    _, elsewhere = f.signed_in(client, role="supervisor")
    assert client.put(f"/data/playlists/{playlist.id}", json={"name": "No"},
                      headers=elsewhere).status_code == 403


def test_generic_reads_follow_the_playlist_rules(client, review):
    internal, shared = review.playlist(), review.playlist(for_client=True)
    _, as_client = _caller(client, review.project, "client")
    listed = client.get(f"/data/playlists?project_id={review.project.id}",
                        headers=as_client).json
    assert [p["id"] for p in listed] == [str(shared.id)]
    assert client.get(f"/data/playlists/{internal.id}", headers=as_client).status_code == 403
    assert client.get(f"/data/playlists/{shared.id}", headers=as_client).status_code == 200
    _, vendor = _caller(client, review.project, "vendor")
    assert client.get(f"/data/playlists?project_id={review.project.id}",
                      headers=vendor).json == []
    assert client.get(f"/data/playlists/{shared.id}", headers=vendor).status_code == 403
    job = f.row(BuildJob, playlist_id=internal.id, status="failed", job_type="movie")
    admin = f.caller(client, "admin")[1]
    assert client.get(f"/data/playlists/{internal.id}", headers=admin).json["build_jobs"] == [
        str(job.id)]


def test_deleting_a_playlist_removes_what_hangs_off_it(client, review, files):
    from app.services import playlist_builds, storage

    manager, headers = _caller(client, review.project, "manager")
    playlist = review.playlist()
    playlist_id = playlist.id
    job_id = f.row(BuildJob, playlist_id=playlist.id, status="succeeded", job_type="movie").id
    storage.backend().put(playlist_builds.BUCKET, playlist_builds.movie_key(job_id), b"movie")
    f.row(Notification, person_id=f.person().id, author_id=manager.id,
          playlist_id=playlist_id, type="playlist-ready")
    f.row(PlaylistShareLink, playlist_id=playlist.id, created_by=manager.id,
          token="tok-" + str(playlist.id))
    assert client.delete(f"/data/playlists/{playlist_id}", headers=headers).status_code == 204
    for model, column in ((Playlist, Playlist.id), (BuildJob, BuildJob.playlist_id),
                          (Notification, Notification.playlist_id),
                          (PlaylistShareLink, PlaylistShareLink.playlist_id)):
        assert db.session.scalars(select(model).where(column == playlist_id)).all() == []
    assert not storage.backend().exists(playlist_builds.BUCKET,
                                        playlist_builds.movie_key(job_id))
    assert [e["build_job_id"] for e in api_events("build-job:delete", review.project.id)] == [
        str(job_id)]
    assert [e["playlist_id"] for e in api_events("playlist:delete", review.project.id)] == [
        str(playlist_id)]


# Adding entities ------------------------------------------------------------------

def _add(client, playlist, headers, **body):
    return client.post(f"/actions/playlists/{playlist.id}/add-entity", json=body,
                       headers=headers)


def test_add_entity_picks_the_latest_preview_and_skips_what_is_there(client, review):
    manager = _caller(client, review.project, "manager")[1]
    playlist = review.playlist(shots=[], task_type_id=review.anim.id)
    shot0, shot1 = review.shots
    added = _add(client, playlist, manager, entity_id=str(shot0.id))
    assert added.status_code == 200, added.json
    latest_anim = review.previews[(0, review.anim.id)][-1]
    assert added.json["shots"] == [{"entity_id": str(shot0.id),
                                    "preview_file_id": str(latest_anim.id)}]
    assert added.json["type"] == "Playlist"
    again = _add(client, playlist, manager, entity_id=str(shot0.id),
                 preview_file_id=str(latest_anim.id))
    assert len(again.json["shots"]) == 1
    # Another revision of the same shot is another entry; a preview of
    # another shot is replaced by that shot's latest.
    first_rev = review.previews[(0, review.anim.id)][0]
    _add(client, playlist, manager, entity_id=str(shot0.id), preview_file_id=str(first_rev.id))
    final = _add(client, playlist, manager, entity_id=str(shot1.id),
                 preview_file_id=str(first_rev.id)).json
    assert final["shots"][1:] == [
        {"entity_id": str(shot0.id), "preview_file_id": str(first_rev.id)},
        {"entity_id": str(shot1.id),
         "preview_file_id": str(review.previews[(1, review.anim.id)][-1].id)}]
    assert [(e["entity_id"], e["preview_file_id"])
            for e in api_events("playlist:add_entity", review.project.id)] == [
        (e["entity_id"], e["preview_file_id"]) for e in final["shots"]]
    bare = f.temporal(review.project, "Shot", parent=review.sequence)
    assert _add(client, playlist, manager, entity_id=str(bare.id)).json["shots"][-1] == {
        "entity_id": str(bare.id)}
    elsewhere = f.asset(f.project())
    refused = _add(client, playlist, manager, entity_id=str(elsewhere.id))
    assert refused.status_code == 400
    assert _add(client, playlist, manager).status_code == 400


def test_add_entities_adds_a_batch_in_order_once(client, review):
    manager = _caller(client, review.project, "manager")[1]
    playlist = review.playlist(shots=[])
    entries = review.entries() + review.entries()[:1]
    response = client.post(f"/actions/playlists/{playlist.id}/add-entities",
                           json={"entities": entries}, headers=manager)
    assert response.status_code == 200, response.json
    assert response.json["shots"] == review.entries()
    assert client.post(f"/actions/playlists/{playlist.id}/add-entities",
                       json={"entities": []}, headers=manager).status_code == 400
    assert client.post(f"/actions/playlists/{playlist.id}/add-entities",
                       json={"entities": [{"preview_file_id": None}]},
                       headers=manager).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_who_adds_entities(client, review, role):
    person, headers = _caller(client, review.project, role)
    mine = review.playlist(shots=[], created_by=person.id if person is not None else None)
    other = review.playlist(shots=[], created_by=f.member(review.project, "supervisor").id)
    entity = str(review.shots[0].id)
    assert_access(_add(client, mine, headers, entity_id=entity), role,
                  {"admin", "manager", "supervisor"})
    assert_access(_add(client, other, headers, entity_id=entity), role, {"admin", "manager"})


# Previews of an entity ------------------------------------------------------------

def test_entity_preview_files_by_task_type(client, review):
    r = review
    extra = f.preview_file(r.tasks[(0, r.anim.id)], revision=2, position=2, status="ready",
                           extension="png", data={"original_width": 640})
    user = _caller(client, r.project, "user")[1]
    body = client.get(f"/data/playlists/entities/{r.shots[0].id}/preview-files",
                      headers=user).json
    assert list(body) == [str(r.layout.id), str(r.anim.id)]
    anim = body[str(r.anim.id)]
    assert [p["revision"] for p in anim] == [2, 1]
    assert anim[0]["id"] == str(r.previews[(0, r.anim.id)][1].id)
    child = anim[0]["previews"][0]
    assert (child["id"], child["position"], child["original_width"],
            child["task_type_id"]) == (str(extra.id), 2, 640, str(r.anim.id))
    assert "position" not in anim[0]


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_an_entitys_previews(client, review, role):
    _, headers = _caller(client, review.project, role)
    response = client.get(f"/data/playlists/entities/{review.shots[0].id}/preview-files",
                          headers=headers)
    assert_access(response, role, {"admin", "manager", "supervisor", "user", "bot", "client"})


def test_a_vendor_reads_the_previews_of_an_entity_they_work_on(client, review):
    vendor, headers = _caller(client, review.project, "vendor")
    task = review.tasks[(0, review.anim.id)]
    task.assignees = [vendor]
    db.session.commit()
    url = f"/data/playlists/entities/{review.shots[0].id}/preview-files"
    assert client.get(url, headers=headers).status_code == 200


# Temporary playlists --------------------------------------------------------------

def test_temp_playlist_from_tasks_and_entities(client, review):
    r = review
    manager = _caller(client, r.project, "manager")[1]
    r.tasks[(1, r.layout.id)].last_preview_file_id = r.previews[(1, r.layout.id)][-1].id
    db.session.commit()
    url = f"/data/projects/{r.project.id}/playlists/temp"
    response = client.post(url, json={"task_ids": [str(r.tasks[(0, r.anim.id)].id)],
                                      "entity_ids": [str(r.shots[1].id)]}, headers=manager)
    assert response.status_code == 200, response.json
    first, second = response.json
    assert (first["id"], first["preview_file_task_id"], first["sequence_id"],
            first["parent_name"], first["episode_name"]) == (
        str(r.shots[0].id), str(r.tasks[(0, r.anim.id)].id), str(r.sequence.id),
        r.sequence.name, "")
    assert first["preview_file_id"] == str(r.previews[(0, r.anim.id)][-1].id)
    assert list(first["preview_files"]) == [str(r.layout.id), str(r.anim.id)]
    assert second["preview_file_task_id"] == str(r.tasks[(1, r.layout.id)].id)
    assert client.post(url, json={}, headers=manager).json == []
    stranger = f.task(f.project())
    assert client.post(url, json={"task_ids": [str(stranger.id)]},
                       headers=manager).status_code == 404
    ordered = client.post(url + "?sort=true", json={"task_ids": [
        str(r.tasks[(1, r.anim.id)].id), str(r.tasks[(0, r.anim.id)].id)]},
        headers=manager).json
    assert [e["name"] for e in ordered] == sorted(s.name for s in r.shots)
    outsider = f.caller(client, "manager")[1]
    assert client.post(url, json={}, headers=outsider).status_code == 403


# Telling clients -------------------------------------------------------------------

def test_notify_clients_tells_the_productions_clients_only(client, review):
    manager, headers = _caller(client, review.project, "manager")
    studio = f.row(Studio, name=f.unique("Studio"), color="#123456")
    department = f.department()
    plain = f.member(review.project, "client")
    of_studio = f.member(review.project, "client", studio_id=studio.id)
    of_department = f.member(review.project, "client")
    f.row(DepartmentLink, person_id=of_department.id, department_id=department.id)
    by_project_role = f.member(review.project, "user", project_role="client")
    f.member(review.project, "user")
    f.member(review.project, "client", project_role="user")
    f.person(role="client")  # not on the team
    playlist = review.playlist(for_client=True)
    url = f"/data/playlists/{playlist.id}/notify-clients"

    def notified():
        return set(db.session.scalars(select(Notification.person_id).where(
            Notification.playlist_id == playlist.id, Notification.type == "playlist-ready")))

    assert client.post(url, json={"studio_id": str(studio.id)},
                       headers=headers).json == {"status": "success"}
    assert notified() == {of_studio.id}
    client.post(url, json={"department_id": str(department.id), "studio_id": ""},
                headers=headers)
    assert notified() == {of_studio.id, of_department.id}
    client.post(url, headers=headers)
    assert notified() == {plain.id, of_studio.id, of_department.id, by_project_role.id}
    authors = set(db.session.scalars(select(Notification.author_id).where(
        Notification.playlist_id == playlist.id)))
    assert authors == {manager.id}


@pytest.mark.parametrize("role", ROLES)
def test_who_notifies_clients(client, review, role):
    _, headers = _caller(client, review.project, role)
    playlist = review.playlist(for_client=True)
    response = client.post(f"/data/playlists/{playlist.id}/notify-clients", json={},
                           headers=headers)
    assert_access(response, role, {"admin", "manager"})
