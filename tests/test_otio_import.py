"""Edit timeline imports (behaviours.md row 21): POST /import/otio/...
with real .otio, .edl (CMX 3600) and .xml (FCP) files written by
OpenTimelineIO's adapters. The whole timeline is checked first: a bad clip
gives a 400 naming it and nothing is written (Zou keeps the shots made
before the bad clip)."""
import io

import opentimelineio as otio
import pytest
from opentimelineio.opentime import RationalTime, TimeRange
from sqlalchemy import func, select

from app.extensions import db
from app.models.entity import Entity
from app.models.events import ApiEvent
from app.models.project import ProjectTaskTypeLink
from app.models.task import Task
from app.services.entities import entity_type_id
from tests import factories as f

ADAPTERS = {".otio": "otio_json", ".edl": "cmx_3600", ".xml": "fcp_xml"}


def timeline(*clips, rate=24):
    """A one-track timeline of (name, frames) clips, a 10-frame gap after
    the first one; each clip's media starts at frame 1001."""
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    for index, (name, length) in enumerate(clips):
        media = otio.schema.ExternalReference(
            target_url=f"/editorial/{name}.mov",
            available_range=TimeRange(RationalTime(1001, rate), RationalTime(500, rate)))
        track.append(otio.schema.Clip(name=name, media_reference=media, source_range=TimeRange(
            RationalTime(1001, rate), RationalTime(length, rate))))
        if index == 0:
            track.append(otio.schema.Gap(source_range=TimeRange(
                RationalTime(0, rate), RationalTime(10, rate))))
    result = otio.schema.Timeline(name="Cut")
    result.tracks.append(track)
    return result


def written(value, extension):
    return otio.adapters.write_to_string(value, adapter_name=ADAPTERS[extension]).encode()


def post(client, url, body, headers, filename="cut.otio", **form):
    return client.post(url, headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), filename), **form})


def shot_rows(project):
    return list(db.session.scalars(select(Entity).where(
        Entity.project_id == project.id, Entity.entity_type_id == entity_type_id("Shot"))))


def shots(project):
    return {e.name: e for e in shot_rows(project)}


def sequences(project):
    return {e.name: e for e in db.session.scalars(select(Entity).where(
        Entity.project_id == project.id, Entity.entity_type_id == entity_type_id("Sequence")))}


def event_names(project):
    return sorted(db.session.scalars(select(ApiEvent.name).where(
        ApiEvent.project_id == project.id)))


def entity_count():
    return db.session.scalar(select(func.count()).select_from(Entity))


@pytest.fixture
def admin(client):
    return f.signed_in(client, "admin")[1]


@pytest.fixture
def project():
    """A feature film named with word characters only (the template's
    placeholders match \\w), 24 fps, one shot task type."""
    row = f.project(name=f.unique("PRJ").replace(" ", ""), fps="24")
    layout = f.task_type(for_entity="Shot")
    f.row(ProjectTaskTypeLink, project_id=row.id, task_type_id=layout.id)
    return row


@pytest.mark.parametrize("extension", list(ADAPTERS))
def test_each_format_creates_sequences_shots_and_tasks(client, admin, project, extension):
    p = project.name
    body = written(timeline((f"{p}_SQ01-SH010", 48), (f"{p}_SQ01-SH020", 30),
                            (f"{p}_SQ02-SH010", 24)), extension)
    response = post(client, f"/import/otio/projects/{project.id}", body, admin,
                    filename=f"cut{extension}")
    assert response.status_code == 201, response.json
    assert response.json["updated_shots"] == []
    created = response.json["created_shots"]
    assert sorted(s["name"] for s in created) == ["SH010", "SH010", "SH020"]
    seqs = sequences(project)
    assert sorted(seqs) == ["SQ01", "SQ02"]
    found = {(seqs_name, e.name): e for seqs_name, seq in seqs.items()
             for e in shot_rows(project) if e.parent_id == seq.id}
    # The gap of 10 frames after the first clip moves the others.
    assert found[("SQ01", "SH010")].data == {"frame_in": 0, "frame_out": 47}
    assert found[("SQ01", "SH020")].data == {"frame_in": 58, "frame_out": 87}
    assert found[("SQ02", "SH010")].data == {"frame_in": 88, "frame_out": 111}
    assert [found[k].nb_frames for k in sorted(found)] == [48, 30, 24]
    assert {s["id"] for s in created} == {str(e.id) for e in found.values()}
    assert db.session.scalar(select(func.count()).select_from(Task).where(
        Task.project_id == project.id)) == 3
    assert event_names(project) == ["sequence:new"] * 2 + ["shot:new"] * 3 + ["task:new"] * 3


def test_known_shots_are_updated_and_keep_their_data(client, admin, project):
    sequence = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH010", nb_frames=10,
                      data={"fps": "24", "frame_in": 5})
    body = written(timeline((f"{project.name}_SQ01-SH010", 40),
                            (f"{project.name}_SQ01-SH030", 12)), ".otio")
    response = post(client, f"/import/otio/projects/{project.id}", body, admin)
    assert response.status_code == 201, response.json
    assert [s["id"] for s in response.json["updated_shots"]] == [str(shot.id)]
    assert [s["name"] for s in response.json["created_shots"]] == ["SH030"]
    db.session.refresh(shot)
    assert shot.data == {"fps": "24", "frame_in": 0, "frame_out": 39}
    assert shot.nb_frames == 40
    assert sorted(shots(project)) == ["SH010", "SH030"]
    assert list(sequences(project)) == ["SQ01"]
    assert event_names(project) == ["shot:new", "shot:update", "task:new"]


@pytest.mark.parametrize("match_case,created", [("false", 0), ("true", 1)])
def test_match_case(client, admin, project, match_case, created):
    sequence = f.temporal(project, "Sequence", name="sq01")
    f.temporal(project, "Shot", parent=sequence, name="sh010")
    body = written(timeline((f"{project.name}_SQ01-SH010", 20)), ".otio")
    response = post(client, f"/import/otio/projects/{project.id}", body, admin,
                    match_case=match_case)
    assert response.status_code == 201, response.json
    assert len(response.json["created_shots"]) == created
    assert len(response.json["updated_shots"]) == 1 - created


def test_naming_convention_from_the_form(client, admin, project):
    body = written(timeline(("SQ7-SH100", 20)), ".edl")
    response = post(client, f"/import/otio/projects/{project.id}", body, admin,
                    filename="cut.edl", naming_convention="${sequence_name}-${shot_name}")
    assert response.status_code == 201, response.json
    assert [s["name"] for s in response.json["created_shots"]] == ["SH100"]
    assert list(sequences(project)) == ["SQ7"]


def test_episode_route_makes_sequences_in_the_episode(client, admin):
    project = f.project(name=f.unique("SHOW").replace(" ", ""), production_type="tvshow",
                        fps="25")
    episode = f.temporal(project, "Episode", name="E01")
    body = written(timeline((f"{project.name}_E01-SQ01-SH010", 50), rate=25), ".xml")
    url = f"/import/otio/projects/{project.id}/episodes/{episode.id}"
    response = post(client, url, body, admin, filename="cut.xml")
    assert response.status_code == 201, response.json
    assert sequences(project)["SQ01"].parent_id == episode.id
    assert shots(project)["SH010"].nb_frames == 50
    # A TV show's timeline goes into one of its episodes.
    response = post(client, f"/import/otio/projects/{project.id}", body, admin,
                    filename="cut.xml")
    assert response.status_code == 400
    assert "episode" in response.json["message"]


def test_frames_are_counted_at_the_project_rate(client, admin, project):
    body = written(timeline((f"{project.name}_SQ01-SH010", 50)), ".otio")
    project.fps = "48"
    db.session.commit()
    response = post(client, f"/import/otio/projects/{project.id}", body, admin)
    assert response.status_code == 201, response.json
    shot = response.json["created_shots"][0]
    assert (shot["nb_frames"], shot["data"]) == (100, {"frame_in": 0, "frame_out": 99})


def _clip_only(project):
    return otio.adapters.write_to_string(otio.schema.Clip(name="x"), "otio_json").encode()


BAD_FILES = [
    ("cut.txt", lambda p: b"hello", {}, "Unsupported file type '.txt'"),
    ("cut.otio", lambda p: b"", {}, "The file is empty"),
    ("cut.edl", lambda p: b"  \n", {}, "The file is empty"),
    ("cut.otio", lambda p: bytes(range(256)) * 40, {}, "binary data"),
    ("cut.xml", lambda p: b"<xmeml><sequence>", {}, "The .xml file cannot be read"),
    ("cut.edl", lambda p: b"001 what is this\n", {}, "The .edl file cannot be read"),
    ("cut.otio", _clip_only, {}, "holds a Clip, not a timeline"),
    ("cut.otio", lambda p: written(timeline(), ".otio"), {}, "no clip"),
    ("cut.otio", lambda p: written(timeline((f"{p.name}_SQ01-SH010", 20), ("Intro", 5),
                                            ("Bad name", 5)), ".otio"), {},
     "2 clips are invalid, nothing was imported: clip 2 (Intro): its name does not follow"),
    ("cut.otio", lambda p: written(timeline(("A_B-C", 5)), ".otio"),
     {"naming_convention": "${sequence_name}-${shot}"}, "unknown placeholders: shot"),
    ("cut.otio", lambda p: written(timeline(("A_B-C", 5)), ".otio"),
     {"naming_convention": "${sequence_name}"}, "must contain ${shot_name}"),
    ("cut.otio", lambda p: written(timeline(("A_B-C", 5)), ".otio"),
     {"naming_convention": "${project_name}_${episode_name}-${sequence_name}-${shot_name}"},
     "names an episode"),
    ("cut.otio", lambda p: written(timeline(("A_B-C", 5)), ".otio"),
     {"match_case": "maybe"}, "Field 'match_case' must be a boolean"),
]


@pytest.mark.parametrize("filename,make,form,message", BAD_FILES)
def test_bad_input_is_refused_and_nothing_written(client, admin, project, filename, make, form,
                                                  message):
    before = entity_count()
    response = post(client, f"/import/otio/projects/{project.id}", make(project), admin,
                    filename=filename, **form)
    assert response.status_code == 400, response.json
    assert message in response.json["message"]
    assert entity_count() == before
    assert event_names(project) == []


def test_bad_clips_are_all_listed(client, admin, project):
    body = written(timeline(("Intro", 5), (f"{project.name}_SQ01-SH010", 20), ("Outro", 5)),
                   ".otio")
    response = post(client, f"/import/otio/projects/{project.id}", body, admin)
    assert response.status_code == 400
    assert [(e["clip"], e["name"]) for e in response.json["errors"]] == [(1, "Intro"),
                                                                        (3, "Outro")]
    assert shots(project) == {}


def test_a_file_over_the_limit_is_refused(client, app, admin, project, monkeypatch):
    monkeypatch.setitem(app.config, "CSV_IMPORT_MAX_BYTES", 4096)
    body = written(timeline(*[(f"{project.name}_SQ01-SH{n:03d}", 5) for n in range(40)]),
                   ".otio")
    response = post(client, f"/import/otio/projects/{project.id}", body, admin)
    assert response.status_code == 400
    assert "too large" in response.json["message"]
    assert shots(project) == {}


def test_an_episode_of_another_project_is_refused(client, admin, project):
    other = f.project()
    episode = f.temporal(other, "Episode", name="E01")
    body = written(timeline((f"{project.name}_E01-SQ01-SH010", 5)), ".otio")
    response = post(client, f"/import/otio/projects/{project.id}/episodes/{episode.id}", body,
                    admin)
    assert response.status_code == 400
    assert "not in this project" in response.json["message"]
    assert shots(project) == {}


@pytest.mark.parametrize("episode", [False, True])
@pytest.mark.parametrize("who,status", [
    ("admin", 201), ("manager", 201), ("supervisor", 403), ("user", 403), ("client", 403),
    ("vendor", 403), ("bot", 403), ("anonymous", 401)])
def test_only_managers_of_the_project_import(client, project, who, status, episode):
    url = f"/import/otio/projects/{project.id}"
    name = f"{project.name}_SQ01-SH010"
    if episode:
        url += f"/episodes/{f.temporal(project, 'Episode', name='E01').id}"
        name = f"{project.name}_E01-SQ01-SH010"
    _, headers = f.on_team(client, project, who)
    before = entity_count()
    response = post(client, url, written(timeline((name, 5)), ".otio"), headers)
    assert response.status_code == status, response.json
    assert entity_count() == before + (2 if status == 201 else 0)


def test_managers_of_another_project_are_refused(client, project):
    other = f.project()
    _, headers = f.on_team(client, other, "manager")
    body = written(timeline((f"{project.name}_SQ01-SH010", 5)), ".otio")
    response = post(client, f"/import/otio/projects/{project.id}", body, headers)
    assert response.status_code in (403, 404)
    assert shots(project) == {}
