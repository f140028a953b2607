"""Shots, sequences, episodes and scenes (behaviours.md row 9)."""
import datetime

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models.base import utc_now
from app.models.entity import Entity, EntityVersion
from app.models.events import ApiEvent
from tests import factories as f


@pytest.fixture
def admin(client):
    return f.signed_in(client, "admin")[1]


@pytest.fixture
def prod():
    """A production: episode E01 > sequence SQ01 > shots SH010, SH020."""
    project = f.project()
    episode = f.temporal(project, "Episode", name="E01")
    sequence = f.temporal(project, "Sequence", episode, name="SQ01")
    shots = [f.temporal(project, "Shot", sequence, name=name, data={"frame_in": 1})
             for name in ("SH020", "SH010")]
    return {"project": project, "episode": episode, "sequence": sequence, "shots": shots}


def events(project, name):
    return [e.data for e in db.session.scalars(
        select(ApiEvent).where(ApiEvent.name == name, ApiEvent.project_id == project.id)
        .order_by(ApiEvent.created_at))]


def ids(rows):
    return [row["id"] for row in rows]


def test_the_breakdown_chains_episode_sequence_shot_and_creation_is_idempotent(client, admin):
    project = f.project()
    base = f"/data/projects/{project.id}"
    episode = client.post(f"{base}/episodes", json={"name": "E01"}, headers=admin)
    assert episode.status_code == 201 and episode.json["type"] == "Episode"
    sequence = client.post(f"{base}/sequences", headers=admin,
                           json={"name": "SQ01", "episode_id": episode.json["id"]})
    assert sequence.json["parent_id"] == episode.json["id"]
    body = {"name": "SH010", "sequence_id": sequence.json["id"], "nb_frames": 48,
            "data": {"frame_in": 101, "frame_out": 148, "fps": 24}, "description": "Wide"}
    shot = client.post(f"{base}/shots", json=body, headers=admin)
    assert shot.status_code == 201
    assert shot.json["type"] == "Shot" and shot.json["parent_id"] == sequence.json["id"]
    assert shot.json["nb_frames"] == 48 and shot.json["description"] == "Wide"
    assert (shot.json["frame_in"], shot.json["frame_out"], shot.json["fps"]) == (101, 148, 24)
    assert shot.json["sequence_name"] == "SQ01" and shot.json["episode_name"] == "E01"
    again = client.post(f"{base}/shots", json={**body, "nb_frames": 1}, headers=admin)
    assert again.status_code == 201 and again.json["id"] == shot.json["id"]
    assert again.json["nb_frames"] == 48
    # The same name under another sequence is another shot.
    other = client.post(f"{base}/sequences", json={"name": "SQ02"}, headers=admin).json
    elsewhere = client.post(f"{base}/shots", headers=admin,
                            json={"name": "SH010", "sequence_id": other["id"]})
    assert elsewhere.json["id"] != shot.json["id"]
    assert [e["shot_id"] for e in events(project, "shot:new")] == [
        shot.json["id"], elsewhere.json["id"]]
    assert [e["episode_id"] for e in events(project, "episode:new")] == [episode.json["id"]]
    assert len(events(project, "sequence:new")) == 2


def test_scenes_hang_from_sequences_and_shots_point_to_them(client, admin, prod):
    project, shot = prod["project"], prod["shots"][0]
    scene = client.post(f"/data/projects/{project.id}/scenes", headers=admin,
                        json={"name": "SC01", "sequence_id": str(prod["sequence"].id)})
    assert scene.status_code == 201 and scene.json["type"] == "Scene"
    assert scene.json["parent_id"] == str(prod["sequence"].id)
    scene_id = scene.json["id"]
    added = client.post(f"/data/scenes/{scene_id}/shots", json={"shot_id": str(shot.id)},
                        headers=admin)
    assert added.status_code == 201 and added.json["source_id"] == scene_id
    assert ids(client.get(f"/data/scenes/{scene_id}/shots", headers=admin).json) == [
        str(shot.id)]
    assert ids(client.get(f"/data/sequences/{prod['sequence'].id}/scenes",
                          headers=admin).json) == [scene_id]
    assert events(project, "shot:add-to-scene") == [
        {"scene_id": scene_id, "shot_id": str(shot.id), "project_id": str(project.id)}]
    gone = client.delete(f"/data/scenes/{scene_id}/shots/{shot.id}", headers=admin)
    assert gone.status_code == 204
    assert db.session.get(Entity, shot.id).source_id is None
    assert len(events(project, "shot:remove-from-scene")) == 1
    assert client.get(f"/data/scenes/{scene_id}", headers=admin).json["sequence_name"] == "SQ01"
    assert client.delete(f"/data/scenes/{scene_id}", headers=admin).status_code == 204
    assert events(project, "scene:delete")[0]["scene_id"] == scene_id


def test_lists_by_project_parent_and_name(client, admin, prod):
    project, sequence, episode = prod["project"], prod["sequence"], prod["episode"]
    other_project = f.project()
    f.temporal(other_project, "Shot", f.temporal(other_project, "Sequence"))
    sh020, sh010 = (str(s.id) for s in prod["shots"])
    listed = client.get(f"/data/projects/{project.id}/shots", headers=admin).json
    assert ids(listed) == [sh010, sh020]
    assert {(r["project_name"], r["sequence_name"], r["episode_name"], r["episode_id"])
            for r in listed} == {(project.name, "SQ01", "E01", str(episode.id))}
    assert ids(client.get(f"/data/shots?sequence_id={sequence.id}", headers=admin).json) == [
        sh010, sh020]
    assert ids(client.get(f"/data/shots/all?sequence_id={sequence.id}&name=sh010",
                          headers=admin).json) == [sh010]
    assert ids(client.get(f"/data/sequences/{sequence.id}/shots", headers=admin).json) == [
        sh010, sh020]
    assert ids(client.get(f"/data/episodes/{episode.id}/shots", headers=admin).json) == [
        sh010, sh020]
    assert ids(client.get(f"/data/episodes/{episode.id}/sequences", headers=admin).json) == [
        str(sequence.id)]
    assert ids(client.get(f"/data/projects/{project.id}/sequences", headers=admin).json) == [
        str(sequence.id)]
    assert ids(client.get(f"/data/projects/{project.id}/episodes", headers=admin).json) == [
        str(episode.id)]
    assert ids(client.get(f"/data/sequences?episode_id={episode.id}", headers=admin).json) == [
        str(sequence.id)]
    assert ids(client.get(f"/data/episodes?project_id={project.id}", headers=admin).json) == [
        str(episode.id)]
    assert all(r["type"] == "Shot" for r in client.get("/data/shots", headers=admin).json)


def test_with_tasks_lists_carry_tasks_and_follow_the_episode(client, admin, prod):
    project, sh020 = prod["project"], prod["shots"][0]
    artist = f.member(project)
    task = f.task(project, sh020, assignees=[artist])
    loose = f.temporal(project, "Shot", f.temporal(project, "Sequence", name="NOEP"))
    url = f"/data/shots/with-tasks?project_id={project.id}"
    rows = {r["id"]: r for r in client.get(url, headers=admin).json}
    assert set(rows) == {str(s.id) for s in prod["shots"]} | {str(loose.id)}
    shot = rows[str(sh020.id)]
    assert [t["id"] for t in shot["tasks"]] == [str(task.id)]
    assert shot["tasks"][0]["assignees"] == [str(artist.id)]
    assert (shot["sequence_name"], shot["episode_name"], shot["frame_in"]) == ("SQ01", "E01", 1)
    in_episode = client.get(f"{url}&episode_id={prod['episode'].id}", headers=admin).json
    assert {r["id"] for r in in_episode} == {str(s.id) for s in prod["shots"]}
    assert ids(client.get(f"{url}&episode_id=main", headers=admin).json) == [str(loose.id)]
    sequences = client.get(f"/data/sequences/with-tasks?project_id={project.id}",
                           headers=admin).json
    assert {r["name"] for r in sequences} == {"SQ01", "NOEP"}
    episodes = client.get(f"/data/episodes/with-tasks?project_id={project.id}",
                          headers=admin).json
    assert ids(episodes) == [str(prod["episode"].id)] and episodes[0]["tasks"] == []


def test_get_one_and_unknown_ids(client, admin, prod):
    shot, sequence = prod["shots"][0], prod["sequence"]
    got = client.get(f"/data/shots/{shot.id}", headers=admin).json
    assert got["id"] == str(shot.id) and got["entities_out"] == [] and got["frame_in"] == 1
    assert client.get(f"/data/sequences/{sequence.id}", headers=admin).json[
        "episode_name"] == "E01"
    assert client.get(f"/data/episodes/{prod['episode'].id}", headers=admin).json[
        "type"] == "Episode"
    # A sequence is not a shot, and the reverse.
    assert client.get(f"/data/shots/{sequence.id}", headers=admin).status_code == 404
    assert client.get(f"/data/sequences/{shot.id}", headers=admin).status_code == 404
    assert client.get("/data/shots/3f0e4a43-1111-4a1a-9a1a-000000000000",
                      headers=admin).status_code == 404
    assert client.get("/data/episodes/not-an-id", headers=admin).status_code == 400
    assert client.get("/data/sequences/3f0e4a43-1111-4a1a-9a1a-000000000000/shots",
                      headers=admin).status_code == 404


def test_parents_must_be_of_the_right_kind_and_project(client, admin, prod):
    project = prod["project"]
    foreign = f.temporal(f.project(), "Sequence")
    base = f"/data/projects/{project.id}"
    assert client.post(f"{base}/shots", json={"name": "X", "sequence_id": str(foreign.id)},
                       headers=admin).status_code == 404
    assert client.post(f"{base}/shots", headers=admin, json={
        "name": "X", "sequence_id": str(prod["episode"].id)}).status_code == 404
    assert client.post(f"{base}/sequences", headers=admin, json={
        "name": "X", "episode_id": str(prod["sequence"].id)}).status_code == 404
    assert client.post(f"{base}/shots", json={"sequence_id": str(prod["sequence"].id)},
                       headers=admin).status_code == 400
    assert client.post(f"{base}/shots", json={"name": "X", "nb_frames": "many"},
                       headers=admin).json["message"] == "Field 'nb_frames' must be an integer."
    assert client.post("/data/projects/3f0e4a43-1111-4a1a-9a1a-000000000000/shots",
                       json={"name": "X"}, headers=admin).status_code == 404


def test_put_replaces_data_where_the_entity_put_merges_it(client, admin, prod):
    shot = prod["shots"][0]
    merged = client.put(f"/data/entities/{shot.id}", json={"data": {"frame_out": 50}},
                        headers=admin)
    assert merged.json["data"] == {"frame_in": 1, "frame_out": 50}
    replaced = client.put(f"/data/shots/{shot.id}", headers=admin,
                          json={"data": {"fps": 25}, "nb_frames": 12, "name": "SH021"})
    assert replaced.status_code == 200
    assert replaced.json["data"] == {"fps": 25}
    assert (replaced.json["nb_frames"], replaced.json["name"]) == (12, "SH021")
    assert events(prod["project"], "shot:update")[-1]["shot_id"] == str(shot.id)
    assert client.put(f"/data/shots/{shot.id}", json={"name": ""},
                      headers=admin).status_code == 400
    assert client.put(f"/data/shots/{shot.id}", json={"nb_frames": "x"},
                      headers=admin).status_code == 400
    foreign = f.temporal(f.project(), "Sequence")
    assert client.put(f"/data/shots/{shot.id}", json={"parent_id": str(foreign.id)},
                      headers=admin).status_code == 404
    # project_id is not among what this PUT changes.
    client.put(f"/data/shots/{shot.id}", json={"project_id": str(f.project().id)},
               headers=admin)
    assert db.session.get(Entity, shot.id).project_id == prod["project"].id


def _age(entity, seconds):
    db.session.execute(update(Entity).where(Entity.id == entity.id).values(
        updated_at=utc_now() - datetime.timedelta(seconds=seconds)))
    db.session.commit()


def test_a_version_is_kept_when_name_or_frame_in_changes_after_a_quiet_minute(
        client, admin, prod):
    shot = prod["shots"][0]
    url = f"/data/shots/{shot.id}"
    # A change right after the previous one is folded into it: no version.
    client.put(url, json={"data": {"frame_in": 2}}, headers=admin)
    assert client.get(f"{url}/versions", headers=admin).json == []
    _age(shot, 61)
    client.put(url, json={"data": {"frame_in": 10, "frame_out": 20}}, headers=admin)
    _age(shot, 61)
    # frame_out alone is not a reason for a version.
    client.put(url, json={"data": {"frame_in": 10, "frame_out": 30}}, headers=admin)
    _age(shot, 120)
    client.put(url, json={"name": "SH099"}, headers=admin)
    versions = client.get(f"{url}/versions", headers=admin).json
    assert [(v["name"], v["data"]) for v in versions] == [
        ("SH020", {"frame_in": 10, "frame_out": 30}),
        ("SH020", {"frame_in": 10, "frame_out": 20})]
    assert {v["type"] for v in versions} == {"ShotVersion"}
    assert db.session.scalar(select(EntityVersion.person_id).limit(1).where(
        EntityVersion.entity_id == shot.id)) is not None


def test_delete_cancels_shots_with_tasks_unless_forced(client, admin, prod):
    project, (with_task, bare) = prod["project"], prod["shots"]
    f.task(project, with_task)
    gone = {str(with_task.id), str(bare.id)}
    assert client.delete(f"/data/shots/{with_task.id}", headers=admin).status_code == 204
    assert db.session.get(Entity, with_task.id).canceled is True
    assert events(project, "shot:update")[-1]["shot_id"] == str(with_task.id)
    assert client.delete(f"/data/shots/{with_task.id}?force=true",
                         headers=admin).status_code == 204
    assert client.delete(f"/data/shots/{bare.id}", headers=admin).status_code == 204
    assert {e["shot_id"] for e in events(project, "shot:delete")} == gone
    assert all(client.get(f"/data/shots/{shot_id}", headers=admin).status_code == 404
               for shot_id in gone)
    assert client.delete(f"/data/sequences/{prod['sequence'].id}",
                         headers=admin).status_code == 204
    assert client.delete(f"/data/episodes/{prod['episode'].id}",
                         headers=admin).status_code == 204
    assert len(events(project, "sequence:delete")) == len(events(project, "episode:delete")) == 1
    assert client.get(f"/data/projects/{project.id}/episodes", headers=admin).json == []


def test_tasks_and_task_types_of_each_level(client, admin, prod):
    project, (sh020, sh010) = prod["project"], prod["shots"]
    layout = f.task_type(for_entity="Shot")
    anim = f.task_type(for_entity="Shot")
    on_020 = f.task(project, sh020, layout, name="Layout")
    on_010 = f.task(project, sh010, anim, name="Anim")
    on_sequence = f.task(project, prod["sequence"], layout)
    on_episode = f.task(project, prod["episode"], anim)
    asset = f.asset(project, source_id=prod["episode"].id)
    on_asset = f.task(project, asset)
    shot_tasks = client.get(f"/data/shots/{sh020.id}/tasks", headers=admin).json
    assert ids(shot_tasks) == [str(on_020.id)]
    assert (shot_tasks[0]["task_type_name"], shot_tasks[0]["entity_name"]) == (
        layout.name, "SH020")
    assert ids(client.get(f"/data/sequences/{prod['sequence'].id}/tasks",
                          headers=admin).json) == [str(on_sequence.id)]
    assert ids(client.get(f"/data/episodes/{prod['episode'].id}/tasks",
                          headers=admin).json) == [str(on_episode.id)]
    assert ids(client.get(f"/data/sequences/{prod['sequence'].id}/shot-tasks",
                          headers=admin).json) == [str(on_010.id), str(on_020.id)]
    assert ids(client.get(f"/data/episodes/{prod['episode'].id}/shot-tasks",
                          headers=admin).json) == [str(on_010.id), str(on_020.id)]
    assert ids(client.get(f"/data/episodes/{prod['episode'].id}/asset-tasks",
                          headers=admin).json) == [str(on_asset.id)]
    with_assignees = client.get(f"/data/shots/{sh020.id}/tasks?relations=true",
                                headers=admin).json
    assert with_assignees[0]["assignees"] == []
    assert ids(client.get(f"/data/shots/{sh010.id}/task-types", headers=admin).json) == [
        str(anim.id)]
    assert set(ids(client.get(f"/data/sequences/{prod['sequence'].id}/task-types",
                              headers=admin).json)) == {str(layout.id), str(anim.id)}
    assert set(ids(client.get(f"/data/episodes/{prod['episode'].id}/task-types",
                              headers=admin).json)) == {str(layout.id), str(anim.id)}


def test_shot_assets_are_its_casting(client, admin, prod):
    shot = prod["shots"][0]
    asset = f.asset(prod["project"])
    f.entity_link(shot, asset, nb_occurences=2)
    cast = client.get(f"/data/shots/{shot.id}/assets", headers=admin).json
    assert [(c.get("asset_id") or c.get("id"), c["nb_occurences"]) for c in cast] == [
        (str(asset.id), 2)]


def test_set_shot_nb_frames_takes_the_newest_preview_of_the_task_type(client, admin, prod):
    project, (sh020, sh010) = prod["project"], prod["shots"]
    project.fps = "24"
    other_episode_shot = f.temporal(project, "Shot", f.temporal(
        project, "Sequence", f.temporal(project, "Episode")))
    layout, anim = f.task_type(for_entity="Shot"), f.task_type(for_entity="Shot")
    layout_task = f.task(project, sh020, layout)
    f.preview_file(layout_task, duration=1.0,
                   created_at=utc_now() - datetime.timedelta(hours=1))
    f.preview_file(layout_task, duration=2.5, revision=2)
    f.preview_file(f.task(project, sh010, anim), duration=9.0)
    f.preview_file(f.task(project, other_episode_shot, layout), duration=1.0)
    url = f"/actions/projects/{project.id}/task-types/{layout.id}/set-shot-nb-frames"
    done = client.post(f"{url}?episode_id={prod['episode'].id}", headers=admin)
    assert done.status_code == 200
    assert done.json == [{"id": str(sh020.id), "nb_frames": 60}]
    db.session.expire_all()
    assert (db.session.get(Entity, sh020.id).nb_frames,
            db.session.get(Entity, sh010.id).nb_frames) == (60, None)
    assert events(project, "shot:update") == [
        {"shot_id": str(sh020.id), "project_id": str(project.id)}]
    assert len(client.post(url, headers=admin).json) == 2


@pytest.mark.parametrize("who", ("supervisor", "user", "client", "vendor", "bot", "anonymous"))
def test_set_shot_nb_frames_needs_a_project_manager(client, prod, who):
    from tests.test_shots_permissions import expected
    _, headers = f.on_team(client, prod["project"], who)
    url = (f"/actions/projects/{prod['project'].id}/task-types/{f.task_type().id}"
           "/set-shot-nb-frames")
    assert client.post(url, headers=headers).status_code == expected(who, ())


def test_episode_stats_count_shot_tasks_per_type_and_status(client, admin, prod):
    project, (sh020, sh010) = prod["project"], prod["shots"]
    sh020.nb_frames, sh010.nb_frames = 10, 30
    layout = f.task_type(for_entity="Shot")
    wip, done = f.task_status(), f.task_status()
    f.task(project, sh020, layout, task_status_id=wip.id, nb_drawings=2)
    f.task(project, sh010, layout, task_status_id=wip.id, nb_drawings=3)
    f.task(project, sh010, task_status_id=done.id)
    stats = client.get(f"/data/projects/{project.id}/episodes/stats", headers=admin).json
    episode = str(prod["episode"].id)
    assert set(stats) == {episode, "all"}
    assert stats[episode][str(layout.id)] == {str(wip.id): {
        "name": wip.short_name, "color": "#123456", "count": 2, "frames": 40, "drawings": 5}}
    assert stats[episode]["all"][str(done.id)]["count"] == 1
    assert stats["all"]["all"][str(wip.id)]["count"] == 2
    assert stats["all"][str(layout.id)][str(wip.id)]["frames"] == 40
    client_person, headers = f.signed_in(client, "client")
    f.join_team(project, client_person)
    assert client.get(f"/data/projects/{project.id}/episodes/stats",
                      headers=headers).status_code == 200
    project.is_client_stats_visible = False
    db.session.commit()
    assert client.get(f"/data/projects/{project.id}/episodes/stats",
                      headers=headers).status_code == 403
    _, outsider = f.signed_in(client, "manager")
    assert client.get(f"/data/projects/{project.id}/episodes/stats",
                      headers=outsider).status_code == 403


def test_the_entity_put_keeps_versions_too(client, admin, prod):
    shot, sequence = prod["shots"][0], prod["sequence"]
    _age(shot, 61)
    _age(sequence, 61)
    client.put(f"/data/entities/{shot.id}", json={"data": {"frame_in": 7}}, headers=admin)
    client.put(f"/data/entities/{sequence.id}", json={"name": "SQ09"}, headers=admin)
    versions = client.get(f"/data/shots/{shot.id}/versions", headers=admin).json
    assert [(v["name"], v["data"]) for v in versions] == [("SH020", {"frame_in": 7})]
    assert db.session.scalars(select(EntityVersion).where(
        EntityVersion.entity_id == sequence.id)).all() == []


def test_retake_stats_count_current_states_and_their_evolution(client, admin, prod):
    project, (sh020, sh010) = prod["project"], prod["shots"]
    sh020.nb_frames, sh010.nb_frames = 10, 30
    layout = f.task_type(for_entity="Shot")
    retake, done = f.task_status(is_retake=True), f.task_status(is_done=True)
    f.task(project, sh020, layout, task_status_id=retake.id, retake_count=2)
    f.task(project, sh010, layout, task_status_id=done.id, retake_count=1)
    stats = client.get(f"/data/projects/{project.id}/episodes/retake-stats",
                       headers=admin).json
    episode = str(prod["episode"].id)
    entry = stats[episode][str(layout.id)]
    assert entry["max_retake_count"] == 2
    assert (entry["done"]["count"], entry["retake"]["count"], entry["other"]["count"]) == (
        1, 1, 0)
    assert entry["retake"]["frames"] == 10 and entry["done"]["frames"] == 30
    assert entry["evolution"]["1"]["retake"]["count"] == 2
    assert entry["evolution"]["2"]["retake"]["count"] == 1
    assert entry["evolution"]["2"]["done"]["count"] == 1
    assert stats["all"]["all"]["max_retake_count"] == 2
    assert stats["all"]["all"]["evolution"] == {}
    viewer, headers = f.signed_in(client, "client")
    f.join_team(project, viewer)
    assert client.get(f"/data/projects/{project.id}/episodes/retake-stats",
                      headers=headers).status_code == 403


def test_previews_per_task_type_nest_the_files_of_one_revision(client, admin, prod):
    project, shot = prod["project"], prod["shots"][0]
    layout = f.task_type(for_entity="Shot")
    task = f.task(project, shot, layout)
    first = f.preview_file(task, revision=1, data={"original_width": 1920})
    second = f.preview_file(task, revision=2, duration=2.5)
    extra = f.preview_file(task, revision=2)
    previews = client.get(f"/data/shots/{shot.id}/preview-files", headers=admin).json
    assert list(previews) == [str(layout.id)]
    assert [p["id"] for p in previews[str(layout.id)]] == [str(second.id), str(first.id)]
    newest = previews[str(layout.id)][0]
    assert [p["id"] for p in newest["previews"]] == [str(extra.id)]
    assert newest["duration"] == 2.5 and newest["task_id"] == str(task.id)
    assert previews[str(layout.id)][1]["original_width"] == 1920
    assert client.get(f"/data/edits/{shot.id}/preview-files", headers=admin).status_code == 404
