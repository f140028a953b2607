"""CSV imports (behaviours.md row 21): shots, assets, edits, casting,
estimations, persons. The whole file is checked first: every bad row is
reported with its line number and nothing is written (Zou keeps the rows
before the first bad one: a deliberate improvement)."""
import io

import orjson
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.comment import Comment
from app.models.entity import Entity, EntityLink
from app.models.person import Person
from app.models.project import ProjectTaskTypeLink
from app.models.settings import EntityType
from app.models.task import Task, TaskPersonLink
from app.services.entities import entity_type_id
from tests import factories as f


def upload(client, url, text, headers, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    response = client.post(url, headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(data), "import.csv")})
    response.get_data()  # a streamed answer holds the request context until read
    return response


def counts():
    """Rows of every table an import writes."""
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Entity, Task, EntityLink, Comment, Person, TaskPersonLink))


def of_kind(project, kind):
    return {e.name: e for e in db.session.scalars(select(Entity).where(
        Entity.project_id == project.id, Entity.entity_type_id == entity_type_id(kind)))}


def enable(project, task_type):
    f.row(ProjectTaskTypeLink, project_id=project.id, task_type_id=task_type.id)
    return task_type


def task_of(entity, task_type):
    return db.session.scalar(select(Task).where(Task.entity_id == entity.id,
                                                Task.task_type_id == task_type.id))


@pytest.fixture
def admin(client):
    return f.signed_in(client, "admin")


# Permissions -------------------------------------------------------------------

def _shots_file(project):
    return "Sequence,Name\nSQ01,SH01\n"


def _assets_file(project):
    return "Type,Name\nProps,Cup\n"


def _edits_file(project):
    return "Name\nEdit 1\n"


def _casting_file(project):
    kind = f.asset_type(name=f.unique("Chars"))
    f.asset(project, entity_type=kind, name="Bob")
    sequence = f.temporal(project, "Sequence", name="SQ9")
    f.temporal(project, "Shot", parent=sequence, name="SH9")
    return f"Parent,Name,Asset Type,Asset,Occurences\nSQ9,SH9,{kind.name},Bob,2\n"


def _estimations_file(project, task_type):
    sequence = f.temporal(project, "Sequence", name="SQ7")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH7")
    f.task(project, shot, task_type)
    return "Parent,Entity,Estimation\nSQ7,SH7,2\n"


PROJECT_ROUTES = ("shots", "assets", "edits", "casting", "estimations")


def _route(project, name):
    if name == "estimations":
        task_type = enable(project, f.task_type(for_entity="Shot"))
        return (f"/import/csv/projects/{project.id}/task-types/{task_type.id}/estimations",
                _estimations_file(project, task_type))
    files = {"shots": _shots_file, "assets": _assets_file, "edits": _edits_file,
             "casting": _casting_file}
    return f"/import/csv/projects/{project.id}/{name}", files[name](project)


@pytest.mark.parametrize("route", PROJECT_ROUTES)
@pytest.mark.parametrize("who,status", [
    ("admin", 201), ("manager", 201), ("supervisor", 403), ("user", 403), ("client", 403),
    ("vendor", 403), ("bot", 403), ("anonymous", 401)])
def test_project_imports_need_a_manager_of_the_project(client, route, who, status):
    if route == "estimations" and who == "supervisor":
        status = 201  # a supervisor without department reaches every task type
    project = f.project()
    url, text = _route(project, route)
    before = counts()
    _, headers = f.on_team(client, project, who)
    response = upload(client, url, text, headers)
    assert response.status_code == status, response.json
    if status != 201:
        assert counts()[:3] == before[:3]


@pytest.mark.parametrize("departments,status", [("none", 201), ("same", 201), ("other", 403)])
def test_supervisors_import_estimations_of_their_departments(client, departments, status):
    project = f.project()
    department = f.department()
    task_type = enable(project, f.task_type(for_entity="Shot", department_id=department.id))
    text = _estimations_file(project, task_type)
    person, headers = f.on_team(client, project, "supervisor")
    if departments != "none":
        from app.models.person import DepartmentLink

        f.row(DepartmentLink, person_id=person.id,
              department_id=department.id if departments == "same" else f.department().id)
    response = upload(client, f"/import/csv/projects/{project.id}/task-types/{task_type.id}/"
                      "estimations", text, headers)
    assert response.status_code == status, response.json


@pytest.mark.parametrize("route", PROJECT_ROUTES)
def test_manager_of_another_project_is_refused(client, route):
    project, other = f.project(), f.project()
    url, text = _route(project, route)
    _, headers = f.on_team(client, other, "manager")
    assert upload(client, url, text, headers).status_code == 403


def test_per_project_manager_role_is_enough(client):
    project = f.project()
    person, headers = f.signed_in(client, "user")
    f.join_team(project, person, "manager")
    response = upload(client, f"/import/csv/projects/{project.id}/shots",
                      "Sequence,Name\nSQ1,SH1\n", headers)
    assert response.status_code == 201


@pytest.mark.parametrize("who,status", [
    ("admin", 201), ("manager", 403), ("supervisor", 403), ("user", 403), ("client", 403),
    ("vendor", 403), ("bot", 403), ("anonymous", 401)])
def test_persons_import_is_admin_only(client, who, status):
    _, headers = f.caller(client, who)
    email = f"{f.unique('p').replace(' ', '')}@example.com"
    response = upload(client, "/import/csv/persons",
                      f"First Name,Last Name,Email\nAnn,Lee,{email}\n", headers)
    assert response.status_code == status
    found = db.session.scalar(select(Person).where(Person.email == email))
    assert (found is not None) == (status == 201)


# Shots ----------------------------------------------------------------------------

def test_shots_import_writes_entities_frames_metadata_and_tasks(client, admin):
    person, headers = admin
    project = f.project()
    anim = enable(project, f.task_type(for_entity="Shot", name=f.unique("Anim")))
    layout = enable(project, f.task_type(for_entity="Shot", name=f.unique("Layout")))
    wip = f.task_status(name=f.unique("Work"), short_name=f.unique("wip").replace(" ", ""))
    f.metadata_descriptor(project, entity_type="Shot", name="Camera Lens", field_name="lens")
    artist = f.member(project, "user")
    text = (f"Sequence,Name,Description,Frame In,Frame Out,FPS,Camera Lens,{anim.name},"
            f"{anim.name} comment,{layout.name} assignations\n"
            f"SQ01,SH01,First,1001,1048,24,35mm,{wip.short_name.upper()},Go on,"
            f"{artist.first_name} {artist.last_name}\n"
            "SQ01,SH02,,1,10,,,,,\n"
            "SQ02,SH01,Other,,,,,,,\n")
    response = upload(client, f"/import/csv/projects/{project.id}/shots", text, headers)
    assert response.status_code == 201, response.json
    assert sorted(r["name"] for r in response.json) == ["SH01", "SH01", "SH02"]
    assert {r["type"] for r in response.json} == {"Shot"}
    sequences = of_kind(project, "Sequence")
    assert set(sequences) == {"SQ01", "SQ02"}
    shots = {(e.parent_id, e.name): e for e in of_kind(project, "Shot").values()} | {
        (e.parent_id, e.name): e for e in db.session.scalars(select(Entity).where(
            Entity.project_id == project.id,
            Entity.entity_type_id == entity_type_id("Shot")))}
    sh01 = shots[(sequences["SQ01"].id, "SH01")]
    assert sh01.description == "First"
    assert sh01.nb_frames == 48
    assert sh01.data == {"frame_in": 1001, "frame_out": 1048, "fps": "24", "lens": "35mm"}
    assert sh01.created_by == person.id
    assert shots[(sequences["SQ01"].id, "SH02")].nb_frames == 10
    assert shots[(sequences["SQ02"].id, "SH01")].nb_frames == 0
    # Every shot gets the project's shot tasks; the status column moved one.
    assert db.session.scalar(select(func.count()).select_from(Task).where(
        Task.project_id == project.id)) == 6
    anim_task = task_of(sh01, anim)
    assert anim_task.task_status_id == wip.id
    posted = db.session.scalars(select(Comment).where(Comment.object_id == anim_task.id)).all()
    assert [(c.text, c.task_status_id, c.person_id) for c in posted] == [
        ("Go on", wip.id, person.id)]
    assert [link.person_id for link in db.session.scalars(select(TaskPersonLink).where(
        TaskPersonLink.task_id == task_of(sh01, layout).id))] == [artist.id]


def test_shots_without_update_leave_existing_ones_alone(client, admin):
    _, headers = admin
    project = f.project()
    sequence = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH01", nb_frames=5,
                      description="Kept", data={"frame_in": 1, "keep": "me"})
    text = "Sequence,Name,Description,Nb Frames,Frame In\nSQ01,SH01,New,99,7\nSQ01,SH02,,3,\n"
    url = f"/import/csv/projects/{project.id}/shots"
    assert upload(client, url, text, headers).status_code == 201
    db.session.refresh(shot)
    assert (shot.description, shot.nb_frames, shot.data) == ("Kept", 5, {"frame_in": 1,
                                                                         "keep": "me"})
    assert set(of_kind(project, "Shot")) == {"SH01", "SH02"}

    response = upload(client, url + "?update=true", text, headers)
    assert response.status_code == 201
    db.session.refresh(shot)
    assert (shot.description, shot.nb_frames) == ("New", 99)
    assert shot.data == {"frame_in": 7, "keep": "me"}
    assert len(of_kind(project, "Shot")) == 2


def test_update_keeps_columns_whose_cells_are_empty(client, admin):
    _, headers = admin
    project = f.project()
    sequence = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH01", nb_frames=12)
    response = upload(client, f"/import/csv/projects/{project.id}/shots?update=true",
                      "Sequence,Name,Nb Frames,Description\nSQ01,SH01,,Hello\n", headers)
    assert response.status_code == 201
    db.session.refresh(shot)
    assert (shot.nb_frames, shot.description) == (12, "Hello")


def test_tv_show_shots_create_episodes(client, admin):
    _, headers = admin
    project = f.project(production_type="tvshow")
    text = "Episode,Sequence,Name\nE01,SQ01,SH01\nE02,SQ01,SH01\n"
    response = upload(client, f"/import/csv/projects/{project.id}/shots", text, headers)
    assert response.status_code == 201, response.json
    episodes = of_kind(project, "Episode")
    assert {"E01", "E02"} <= set(episodes)
    parents = {e.parent_id for e in db.session.scalars(select(Entity).where(
        Entity.project_id == project.id, Entity.entity_type_id == entity_type_id("Sequence")))}
    assert parents == {episodes["E01"].id, episodes["E02"].id}
    missing = upload(client, f"/import/csv/projects/{project.id}/shots",
                     "Sequence,Name\nSQ01,SH01\n", headers)
    assert missing.status_code == 400 and "Episode" in missing.json["message"]


# Accepted file shapes -----------------------------------------------------------------

@pytest.mark.parametrize("text,encoding", [
    ("\ufeffSequence;Name;Description\nSQ01;Éléphant;\"a; b\"\n", "utf-8"),
    ("Sequence,Name,Description\r\n\"SQ01\",\"Éléphant\",\"a; b\"\r\n", "utf-8"),
    ("Sequence\tName\tDescription\nSQ01\tÉléphant\ta; b\n", "utf-8"),
    ("Sequence;Name;Description\nSQ01;Éléphant;a; b\n".replace("a; b", '"a; b"'), "cp1252"),
])
def test_bom_separators_quotes_and_accents_are_accepted(client, admin, text, encoding):
    _, headers = admin
    project = f.project()
    response = upload(client, f"/import/csv/projects/{project.id}/shots", text, headers,
                      encoding)
    assert response.status_code == 201, response.json
    shot = of_kind(project, "Shot")["Éléphant"]
    assert shot.description == "a; b"


def test_blank_lines_are_skipped_and_quoted_newlines_kept(client, admin):
    _, headers = admin
    project = f.project()
    text = 'Sequence,Name,Description\n\n,,\nSQ01,SH01,"two\nlines"\n'
    response = upload(client, f"/import/csv/projects/{project.id}/shots", text, headers)
    assert response.status_code == 201
    assert of_kind(project, "Shot")["SH01"].description == "two\nlines"


# Malformed files ------------------------------------------------------------------

def _refused(client, url, data, headers, expected):
    before = counts()
    response = upload(client, url, data, headers)
    assert response.status_code == 400, response.json
    assert response.json["error"] is True
    assert response.json["imported_rows"] == 0
    assert expected in response.json["message"], response.json["message"]
    assert counts() == before
    return response.json


def test_every_bad_row_is_reported_and_nothing_written(client, admin):
    _, headers = admin
    project = f.project()
    shot_type = enable(project, f.task_type(for_entity="Shot", name=f.unique("Comp")))
    text = ("Sequence,Name,Nb Frames,Frame In," + shot_type.name + "\n"
            "SQ01,SH01,10,1,\n"
            "SQ01,SH02,ten,1,\n"
            "SQ01,,3,1,\n"
            "SQ01,SH04,3,x,\n"
            "SQ01,SH05,3,1,Nope\n"
            "SQ01,SH06,3,1,,extra\n")
    body = _refused(client, f"/import/csv/projects/{project.id}/shots", text, headers,
                    "5 rows are invalid")
    assert body["line_number"] == 3
    assert [e["line_number"] for e in body["errors"]] == [3, 4, 5, 6, 7]
    messages = [e["message"] for e in body["errors"]]
    assert "Nb Frames" in messages[0] and "Name cannot be empty" == messages[1]
    assert "Frame In" in messages[2] and "Nope" in messages[3] and "cells" in messages[4]
    assert not of_kind(project, "Sequence")


def test_malformed_files_get_a_clear_400(client, admin):
    _, headers = admin
    project = f.project()
    url = f"/import/csv/projects/{project.id}/shots"
    _refused(client, url, "", headers, "empty")
    _refused(client, url, "\ufeff\n\n", headers, "empty")
    _refused(client, url, "Sequence,Name\n", headers, "no row")
    _refused(client, url, "Seq,Shot\nSQ01,SH01\n", headers, "Missing columns: Sequence, Name")
    _refused(client, url, bytes(range(256)) * 40, headers, "binary")
    garbage = bytes((i * 7919) % 251 + 1 for i in range(5000))
    _refused(client, url, garbage, headers, "neither UTF-8 nor Windows-1252")
    _refused(client, url, "Sequence,Name\nSQ01," + "x" * 161 + "\n", headers, "longer than 160")
    _refused(client, url, "Sequence,Name,Ghost comment\nSQ01,SH01,hi\n", headers,
             "Unknown task types")
    assert upload(client, url, "Sequence,Name\nSQ01,SH01\n", {**headers}).status_code == 201


def test_a_too_large_file_is_refused_before_reading(client, admin):
    _, headers = admin
    project = f.project()
    body = "Sequence,Name\n" + "SQ01,SH0000000001\n" * (20 * 1024 * 1024 // 18 + 1)
    _refused(client, f"/import/csv/projects/{project.id}/shots", body, headers, "too large")


def test_missing_file_field(client, admin):
    _, headers = admin
    project = f.project()
    response = client.post(f"/import/csv/projects/{project.id}/shots", headers=headers,
                           data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 400 and "file" in response.json["message"]


# Assets -------------------------------------------------------------------------------

def test_assets_import(client, admin):
    _, headers = admin
    project = f.project(production_type="tvshow")
    props = f.asset_type(name=f.unique("Props"))
    new_kind = f.unique("Kind")
    modeling = enable(project, f.task_type(for_entity="Asset", name=f.unique("Modeling")))
    rigging = enable(project, f.task_type(for_entity="Asset", name=f.unique("Rigging")))
    anim = enable(project, f.task_type(for_entity="Shot", name=f.unique("Anim")))
    done = f.task_status(name=f.unique("Done"), short_name=f.unique("dn").replace(" ", ""))
    f.metadata_descriptor(project, entity_type="Asset", name="Is Hero", field_name="is_hero",
                          data_type="boolean")
    text = (f"Episode,Type,Name,Description,Ready for,Is Hero,{rigging.name}\n"
            f"E01,{props.name},Cup,A cup,{anim.name},yes,{done.name}\n"
            f"MP,{new_kind},Chair,,,no,\n")
    response = upload(client, f"/import/csv/projects/{project.id}/assets", text, headers)
    assert response.status_code == 201, response.json
    assert {r["type"] for r in response.json} == {"Asset"}
    cup = db.session.scalar(select(Entity).where(Entity.project_id == project.id,
                                                Entity.name == "Cup"))
    chair = db.session.scalar(select(Entity).where(Entity.project_id == project.id,
                                                  Entity.name == "Chair"))
    assert cup.entity_type_id == props.id and cup.description == "A cup"
    assert cup.ready_for == anim.id and cup.data == {"is_hero": "true"}
    assert cup.source_id == of_kind(project, "Episode")["E01"].id
    assert chair.source_id is None and chair.data == {"is_hero": "false"}
    assert db.session.get(EntityType, chair.entity_type_id).name == new_kind
    assert task_of(cup, modeling) is not None and task_of(chair, modeling) is not None
    assert task_of(cup, rigging).task_status_id == done.id


def test_assets_without_update_still_get_missing_tasks(client, admin):
    _, headers = admin
    project = f.project()
    props = f.asset_type(name=f.unique("Props"))
    cup = f.asset(project, entity_type=props, name="Cup", description="Old")
    modeling = enable(project, f.task_type(for_entity="Asset"))
    url = f"/import/csv/projects/{project.id}/assets"
    text = f"Type,Name,Description\n{props.name},Cup,New\n"
    assert upload(client, url, text, headers).status_code == 201
    db.session.refresh(cup)
    assert cup.description == "Old" and task_of(cup, modeling) is not None
    assert upload(client, url + "?update=true", text, headers).status_code == 201
    db.session.refresh(cup)
    assert cup.description == "New"


def test_assets_bad_rows(client, admin):
    _, headers = admin
    project = f.project()
    body = _refused(client, f"/import/csv/projects/{project.id}/assets",
                    "Type,Name,Ready for,Episode\n,Cup,,\nProps,Cup,Unknown,\nProps,X,,E01\n",
                    headers, "3 rows are invalid")
    assert [e["line_number"] for e in body["errors"]] == [2, 3, 4]


# Edits -----------------------------------------------------------------------------------

def test_edits_import(client, admin):
    _, headers = admin
    project = f.project()
    edit_type = enable(project, f.task_type(for_entity="Edit", name=f.unique("Cut")))
    url = f"/import/csv/projects/{project.id}/edits"
    response = upload(client, url, "Name,Description\nTrailer,v1\n", headers)
    assert response.status_code == 201 and response.json[0]["type"] == "Edit"
    edit = of_kind(project, "Edit")["Trailer"]
    assert edit.description == "v1" and task_of(edit, edit_type) is not None
    upload(client, url + "?update=true", "Name,Description\nTrailer,v2\n", headers)
    db.session.refresh(edit)
    assert edit.description == "v2"


# Casting ----------------------------------------------------------------------------------

def test_casting_import(client, admin):
    _, headers = admin
    project = f.project()
    chars = f.asset_type(name=f.unique("Chars"))
    bob = f.asset(project, entity_type=chars, name="Bob")
    set_ = f.asset(project, entity_type=chars, name="Street")
    sequence = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH01")
    text = (f"Parent,Name,Asset Type,Asset,Occurences,Label\n"
            f"SQ01,SH01,{chars.name},Bob,3,Animate\n"
            f"{chars.name},Street,{chars.name},bob,,\n")
    response = upload(client, f"/import/csv/projects/{project.id}/casting", text, headers)
    assert response.status_code == 201, response.json
    links = {(l.entity_in_id, l.entity_out_id): (l.nb_occurences, l.label)
             for l in db.session.scalars(select(EntityLink))}
    assert links[(shot.id, bob.id)] == (3, "animate")
    assert links[(set_.id, bob.id)] == (1, "fixed")
    db.session.refresh(shot)
    assert shot.nb_entities_out == 1
    _refused(client, f"/import/csv/projects/{project.id}/casting",
             f"Parent,Name,Asset Type,Asset\nSQ01,SH99,{chars.name},Bob\n", headers,
             "Nothing to cast into")


# Estimations ----------------------------------------------------------------------------

def test_estimations_import(client, admin):
    _, headers = admin
    project = f.project()
    anim = enable(project, f.task_type(for_entity="Shot"))
    sequence = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH01")
    task = f.task(project, shot, anim)
    url = f"/import/csv/projects/{project.id}/task-types/{anim.id}/estimations"
    text = "Parent,Entity,Estimation,Start date,Due date,Difficulty\nSQ01,SH01,2,2026-01-05,2026-01-09,4\n"
    response = upload(client, url, text, headers)
    assert response.status_code == 201, response.json
    db.session.refresh(task)
    assert (task.estimation, str(task.start_date)[:10], str(task.due_date)[:10],
            task.difficulty) == (2 * 8 * 60, "2026-01-05", "2026-01-09", 4)
    _refused(client, url, "Parent,Entity,Start date\nSQ01,SH01,05/01/2026\nSQ01,SH02,\n",
             headers, "2 rows are invalid")
    unknown = upload(client, f"/import/csv/projects/{project.id}/task-types/"
                     "00000000-0000-0000-0000-000000000000/estimations", text, headers)
    assert unknown.status_code == 404


def test_episode_estimations_route(client, admin):
    _, headers = admin
    project = f.project(production_type="tvshow")
    layout = enable(project, f.task_type(for_entity="Shot"))
    episode = f.temporal(project, "Episode", name="E01")
    sequence = f.temporal(project, "Sequence", parent=episode, name="SQ01")
    task = f.task(project, f.temporal(project, "Shot", parent=sequence, name="SH01"), layout)
    response = upload(client, f"/import/csv/projects/{project.id}/episodes/{episode.id}/"
                      f"task-types/{layout.id}/estimations",
                      "Parent,Entity,Drawings\nSQ01,SH01,12\n", headers)
    assert response.status_code == 201, response.json
    db.session.refresh(task)
    assert task.nb_drawings == 12


# Persons -----------------------------------------------------------------------------------

def test_persons_import_and_update(client, admin):
    _, headers = admin
    department = f.department(name=f.unique("Lighting"))
    existing = f.person(first_name="Old", last_name="Name")
    text = ("First Name;Last Name;Email;Role;Departments;Country\n"
            f"Zoé;Lefèvre;zoe.{department.id}@example.com;Supervisor;{department.name};fr\n"
            f"New;Name;{existing.email};Production Manager;;\n")
    response = upload(client, "/import/csv/persons", text, headers)
    assert response.status_code == 201, response.json
    zoe = db.session.scalar(select(Person).where(Person.email == f"zoe.{department.id}@example.com"))
    assert (zoe.first_name, zoe.last_name, zoe.role, zoe.country) == (
        "Zoé", "Lefèvre", "supervisor", "FR")
    assert [d.id for d in zoe.departments] == [department.id]
    db.session.refresh(existing)
    assert (existing.first_name, existing.role) == ("Old", "user")
    assert upload(client, "/import/csv/persons?update=true", text, headers).status_code == 201
    db.session.refresh(existing)
    assert (existing.first_name, existing.role) == ("New", "manager")


def test_persons_bad_rows(client, admin):
    _, headers = admin
    body = _refused(client, "/import/csv/persons",
                    "First Name,Last Name,Email,Role,Departments\n"
                    "A,B,not-an-email,,\nC,D,c@example.com,Wizard,\nE,F,e@example.com,,Nowhere\n",
                    headers, "3 rows are invalid")
    assert [e["line_number"] for e in body["errors"]] == [2, 3, 4]


# Round trip with the CSV exports --------------------------------------------------------

def _exported(client, project, name, headers):
    response = client.get(f"/export/csv/projects/{project.id}/{name}.csv", headers=headers)
    assert response.status_code == 200, response.data[:200]
    return response.data


def _shot_rows(project):
    sequences = {e.id: e.name for e in of_kind(project, "Sequence").values()}
    return sorted((sequences[s.parent_id], s.name, s.description, s.nb_frames,
                   {k: v for k, v in (s.data or {}).items() if v != ""})
                  for s in db.session.scalars(select(Entity).where(
                      Entity.project_id == project.id,
                      Entity.entity_type_id == entity_type_id("Shot"))))


def _statuses(project):
    return sorted((e.name, t.task_type_id, t.task_status_id) for t, e in db.session.execute(
        select(Task, Entity).join(Entity, Entity.id == Task.entity_id)
        .where(Task.project_id == project.id)))


def test_exported_shots_and_assets_import_into_an_empty_project(client, admin):
    _, headers = admin
    source, target = f.project(), f.project()
    anim = f.task_type(for_entity="Shot", name=f.unique("Anim"))
    model = f.task_type(for_entity="Asset", name=f.unique("Model"))
    wip = f.task_status(name=f.unique("Wip"), short_name=f.unique("wip").replace(" ", ""))
    for project in (source, target):
        enable(project, anim)
        enable(project, model)
        f.metadata_descriptor(project, entity_type="Shot", name="Lens", field_name="lens")
    sequence = f.temporal(source, "Sequence", name="SQ01")
    for name, frames in (("SH01", 48), ("SH02", 12)):
        shot = f.temporal(source, "Shot", parent=sequence, name=name, nb_frames=frames,
                          description=f"Shot {name} — été",
                          data={"frame_in": 1, "frame_out": frames, "fps": "25",
                                "lens": "50mm"})
        f.task(source, shot, anim, task_status_id=wip.id)
    props = f.asset_type(name=f.unique("Props"))
    # Text a spreadsheet would run as a formula: exported quoted, imported back as is.
    cup = f.asset(source, entity_type=props, name="Cup", description="=A1+1, \"quoted\" cup")
    f.task(source, cup, model, task_status_id=wip.id)

    for name in ("shots", "assets"):
        response = upload(client, f"/import/csv/projects/{target.id}/{name}",
                          _exported(client, source, name, headers), headers)
        assert response.status_code == 201, response.json

    assert _shot_rows(target) == _shot_rows(source)
    target_cup = db.session.scalar(select(Entity).where(Entity.project_id == target.id,
                                                        Entity.name == "Cup"))
    assert (target_cup.entity_type_id, target_cup.description) == (props.id, cup.description)
    assert [(n, tt, st) for n, tt, st in _statuses(target)] == _statuses(source)


def test_a_too_large_body_without_content_length_is_refused(client, admin):
    _, headers = admin
    project = f.project()
    before = counts()
    body = ("Sequence,Name\n" + "SQ01,SH0000000001\n" * (20 * 1024 * 1024 // 18 + 1)).encode()
    boundary = "csvboundary"
    payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode() + body + \
        f"\r\n--{boundary}--\r\n".encode()
    response = client.post(f"/import/csv/projects/{project.id}/shots", headers=headers,
                           input_stream=io.BytesIO(payload),
                           content_type=f"multipart/form-data; boundary={boundary}",
                           environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""})
    assert response.status_code == 400 and "too large" in response.json["message"]
    assert counts() == before


def test_import_events(client, admin):
    from app.models.events import ApiEvent

    _, headers = admin
    project = f.project()
    enable(project, f.task_type(for_entity="Shot"))
    sequence = f.temporal(project, "Sequence", name="SQ01")
    f.temporal(project, "Shot", parent=sequence, name="SH01")
    response = upload(client, f"/import/csv/projects/{project.id}/shots?update=true",
                      "Sequence,Name\nSQ01,SH01\nSQ02,SH02\n", headers)
    assert response.status_code == 201
    names = [e.name for e in db.session.scalars(select(ApiEvent).where(
        ApiEvent.project_id == project.id))]
    assert sorted(names) == ["sequence:new", "shot:new", "shot:update", "task:new"]
    shot_new = db.session.scalar(select(ApiEvent).where(ApiEvent.project_id == project.id,
                                                        ApiEvent.name == "shot:new"))
    assert shot_new.data["shot_id"] == str(of_kind(project, "Shot")["SH02"].id)


@pytest.mark.parametrize("update,expected", [("false", "first"), ("true", "second")])
def test_a_shot_twice_in_one_file_is_one_shot(client, admin, update, expected):
    _, headers = admin
    project = f.project()
    response = upload(client, f"/import/csv/projects/{project.id}/shots?update={update}",
                      "Sequence,Name,Description\nSQ01,SH01,first\nSQ01,SH01,second\n", headers)
    assert response.status_code == 201
    assert len(response.json) == 1
    assert of_kind(project, "Shot")["SH01"].description == expected


def test_bad_update_flag(client, admin):
    _, headers = admin
    project = f.project()
    response = upload(client, f"/import/csv/projects/{project.id}/shots?update=maybe",
                      "Sequence,Name\nSQ01,SH01\n", headers)
    assert response.status_code == 400 and "update" in response.json["message"]


def test_a_bulk_import_keeps_every_event_in_order(client, admin, monkeypatch):
    """A bulk write's events wait for the commit packed in compressed
    chunks: a small chunk size makes this import span several, and both
    the api_event rows and the published messages must come out whole
    and in emission order."""
    from app import events
    from app.models.events import ApiEvent

    monkeypatch.setattr(events, "ROWS_BATCH", 7)
    published = []
    monkeypatch.setattr(events.publisher, "publish_all", lambda items: published.extend(
        (name, orjson.loads(payload)) for name, payload in items))
    _, headers = admin
    project = f.project()
    enable(project, f.task_type(for_entity="Shot"))
    text = "Sequence,Name\n" + "".join(f"SQ{n // 20},SH{n:02d}\n" for n in range(50))
    response = upload(client, f"/import/csv/projects/{project.id}/shots", text, headers)
    assert response.status_code == 201
    shots = of_kind(project, "Shot")
    mine = [(name, data) for name, data in published if data.get("project_id") == str(project.id)]
    assert [name for name, _ in mine] == ["sequence:new"] * 3 + ["shot:new"] * 50 \
        + ["task:new"] * 50
    assert [data["shot_id"] for name, data in mine if name == "shot:new"] == \
        [str(shots[f"SH{n:02d}"].id) for n in range(50)]
    stored = db.session.execute(select(ApiEvent.name, func.count()).where(
        ApiEvent.project_id == project.id).group_by(ApiEvent.name)).all()
    assert sorted(stored) == [("sequence:new", 3), ("shot:new", 50), ("task:new", 50)]
    assert {e.data["task_id"] for e in db.session.scalars(select(ApiEvent).where(
        ApiEvent.project_id == project.id, ApiEvent.name == "task:new"))} == \
        {str(t.id) for t in db.session.scalars(select(Task).where(Task.project_id == project.id))}
