"""CSV exports (behaviours.md row 22): who may download each file, and what
it holds: Zou's columns in Zou's order, descriptor and task type columns,
assignees, formula cells escaped, `;`-separated with proper quoting."""
import csv
import datetime
import io
import uuid

import pytest

from app.extensions import db
from app.models.settings import EntityType, Studio
from app.services import accounts
from tests import factories as f

PROJECT_ROUTES = ("assets.csv", "shots.csv", "casting.csv", "edits.csv")
GLOBAL_ROUTES = ("persons.csv", "projects.csv", "tasks.csv", "time-spents.csv",
                 "task-types.csv")
CALLERS = ("admin", "manager", "supervisor", "user", "client", "vendor", "bot")


def _rows(response):
    assert response.status_code == 200, response.data
    assert response.content_type.startswith("text/csv")
    assert response.is_streamed
    return list(csv.reader(io.StringIO(response.get_data(as_text=True)), delimiter=";"))


def _caller(client, project, who, on_team=True):
    """Headers of a caller of role `who`, on the project's team or not."""
    if on_team:
        return f.on_team(client, project, who)[1]
    return f.caller(client, who)[1]


# Access ----------------------------------------------------------------------

@pytest.mark.parametrize("route", PROJECT_ROUTES)
@pytest.mark.parametrize("who,status", [
    ("admin", 200), ("manager", 200), ("supervisor", 200), ("user", 200), ("client", 200),
    ("vendor", 403), ("bot", 200)])
def test_project_exports_for_each_role_on_the_team(client, route, who, status):
    project = f.project()
    headers = _caller(client, project, who)
    response = client.get(f"/export/csv/projects/{project.id}/{route}", headers=headers)
    assert response.status_code == status, response.data
    if status == 403:
        assert response.json["error"] is True


@pytest.mark.parametrize("route", PROJECT_ROUTES)
@pytest.mark.parametrize("who", ("manager", "supervisor", "user", "client", "bot"))
def test_project_exports_refuse_people_off_the_team(client, route, who):
    project, other = f.project(), f.project()
    headers = _caller(client, other, who)
    response = client.get(f"/export/csv/projects/{project.id}/{route}", headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("route", PROJECT_ROUTES)
def test_project_exports_of_an_unknown_project(client, route):
    _, headers = f.signed_in(client, "admin")
    response = client.get(f"/export/csv/projects/{uuid.UUID(int=1)}/{route}",
                          headers=headers)
    assert response.status_code == 404
    assert client.get(f"/export/csv/projects/not-an-id/{route}",
                      headers=headers).status_code == 400
    assert client.get(f"/export/csv/projects/{f.project().id}/{route}").status_code == 401


@pytest.mark.parametrize("route", GLOBAL_ROUTES)
@pytest.mark.parametrize("who,status", [
    ("admin", 200), ("manager", 200), ("supervisor", 403), ("user", 403), ("client", 403),
    ("vendor", 403), ("bot", 403)])
def test_studio_exports_are_for_production_managers(client, route, who, status):
    _, headers = f.caller(client, who)
    assert client.get(f"/export/csv/{route}", headers=headers).status_code == status
    assert client.get(f"/export/csv/{route}").status_code == 401


def test_a_manager_bot_exports_the_studio_files(client):
    _, token = accounts.create_bot("Pipeline", f.unique("pipe").replace(" ", "") + "@x.example",
                                     role="manager")
    assert client.get("/export/csv/task-types.csv", headers=f.bearer(token)).status_code == 200


# Assets ------------------------------------------------------------------------

def _asset_world():
    project = f.project(name=f.unique("Projet Été"))
    props, chars = f.asset_type(name=f.unique("Props")), f.asset_type(name=f.unique("Chars"))
    layout = f.task_type(name=f.unique("Layout"), priority=2)
    model = f.task_type(name=f.unique("Modeling"), priority=1)
    wip, done = f.task_status(), f.task_status()
    zoe = f.person(first_name="Zoë", last_name="Ñandú")
    bob = f.person(first_name="Bob", last_name="Abel")
    style = f.metadata_descriptor(project, name="Style", field_name="style", position=1)
    ready = f.metadata_descriptor(project, name="Ready", field_name="ready",
                                  data_type="boolean", position=2, for_client=True)
    f.metadata_descriptor(project, entity_type="Shot", name="Shot only", field_name="shot_only")
    chair = f.asset(project, entity_type=props, name="Chair; big", description="-2",
                    data={"style": "=1+1", "ready": True})
    cup = f.asset(project, entity_type=props, name="Cup \"tall\"\nnew",
                  description="@cmd", data={"style": "Ünïcode"})
    hero = f.asset(project, entity_type=chars, name="Héros", description="\tTab",
                   data={"ready": "false"})
    f.task(project, entity=chair, task_type_=model, task_status_id=done.id, duration=480.0,
           assignees=[zoe, bob])
    f.task(project, entity=chair, task_type_=layout, task_status_id=wip.id, duration=240.0)
    f.task(project, entity=hero, task_type_=model, task_status_id=wip.id, duration=None,
           assignees=[bob])
    return locals()


def test_assets_export_columns_values_and_escaping(client):
    w = _asset_world()
    _, headers = f.signed_in(client, "admin")
    response = client.get(f"/export/csv/projects/{w['project'].id}/assets.csv", headers=headers)
    rows = _rows(response)
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=kitsu_{w['project'].name.lower().replace(' ', '_')}_assets.csv"
        .replace("é", "e"))
    assert rows[0] == ["Project", "Type", "Name", "Description", "Time Spent", "Style", "Ready",
                       w["model"].name, "Assignations", w["layout"].name, "Assignations"]
    name = w["project"].name
    wip, done = w["wip"].short_name, w["done"].short_name
    # By type name, then name (codepoint order).
    assert rows[1:] == [
        [name, w["chars"].name, "Héros", "'\tTab", "0.00", "", "false", wip, "Bob Abel", "",
         ""],
        [name, w["props"].name, "Chair; big", "'-2", "1.50", "'=1+1", "true", done,
         "Bob Abel,Zoë Ñandú", wip, ""],
        [name, w["props"].name, "Cup \"tall\"\nnew", "'@cmd", "0.00", "Ünïcode", "false", "",
         "", "", ""],
    ]
    raw = response.get_data(as_text=True)
    assert '"Chair; big"' in raw and '"Cup ""tall""\nnew"' in raw
    assert raw.splitlines()[0].count(";") == 10


def test_client_gets_their_descriptors_and_no_assignees(client):
    w = _asset_world()
    headers = _caller(client, w["project"], "client")
    rows = _rows(client.get(f"/export/csv/projects/{w['project'].id}/assets.csv",
                            headers=headers))
    assert rows[0] == ["Project", "Type", "Name", "Description", "Time Spent", "Ready",
                       w["model"].name, "Assignations", w["layout"].name, "Assignations"]
    chair = rows[2]
    assert chair[2] == "Chair; big"
    assert chair[4:] == ["0.00", "true", w["done"].short_name, "", w["wip"].short_name, ""]


def test_assets_export_by_episode(client):
    project = f.project(production_type="tvshow")
    episode = f.temporal(project, "Episode", name="E01")
    made = f.asset(project, name="Made for E01", source_id=episode.id)
    cast = f.asset(project, name="Cast in E01")
    f.asset(project, name="Elsewhere", source_id=f.temporal(project, "Episode").id)
    main = f.asset(project, name="Main pack")
    f.entity_link(episode, cast)
    _, headers = f.signed_in(client, "admin")
    url = f"/export/csv/projects/{project.id}/assets.csv"
    names = sorted(r[2] for r in _rows(client.get(f"{url}?episode_id={episode.id}",
                                                  headers=headers))[1:])
    assert names == [cast.name, made.name]
    names = [r[2] for r in _rows(client.get(f"{url}?episode_id=main", headers=headers))[1:]]
    assert set(names) == {cast.name, main.name}
    assert client.get(f"{url}?episode_id=nope", headers=headers).status_code == 400


# Shots and edits ------------------------------------------------------------------

def test_shots_export(client):
    project = f.project(name="Série")
    episode = f.temporal(project, "Episode", name="E01")
    seq = f.temporal(project, "Sequence", parent=episode, name="SQ01")
    seq2 = f.temporal(project, "Sequence", name="SQ00")
    sh2 = f.temporal(project, "Shot", parent=seq, name="SH020", nb_frames=48,
                     data={"frame_in": 101, "frame_out": 148, "fps": "24", "mood": "+sad"})
    sh1 = f.temporal(project, "Shot", parent=seq, name="SH010", description="Opening; wide")
    lone = f.temporal(project, "Shot", parent=seq2, name="SH001")
    f.metadata_descriptor(project, entity_type="Shot", name="Mood", field_name="mood")
    anim = f.task_type(name=f.unique("Animation"), for_entity="Shot")
    artist = f.person(first_name="Åsa", last_name="Öberg")
    retake = f.task_status()
    f.task(project, entity=sh2, task_type_=anim, task_status_id=retake.id, assignees=[artist],
           duration=960.0)
    _, headers = f.signed_in(client, "admin")
    response = client.get(f"/export/csv/projects/{project.id}/shots.csv", headers=headers)
    rows = _rows(response)
    assert response.headers["Content-Disposition"] == \
        "attachment; filename=kitsu_serie_shots.csv"
    assert rows[0] == ["Project", "Episode", "Sequence", "Name", "Description", "Time Spent",
                       "Frames", "Frame In", "Frame Out", "FPS", "Mood", anim.name,
                       "Assignations"]
    assert rows[1:] == [
        ["Série", "", "SQ00", "SH001", "", "0.00", "", "", "", "", "", "", ""],
        ["Série", "E01", "SQ01", "SH010", "Opening; wide", "0.00", "", "", "", "", "", "", ""],
        ["Série", "E01", "SQ01", "SH020", "", "2.00", "48", "101", "148", "24", "'+sad", retake.short_name,
         "Åsa Öberg"],
    ]
    only = _rows(client.get(f"/export/csv/projects/{project.id}/shots.csv?episode_id="
                            f"{episode.id}", headers=headers))
    assert [r[3] for r in only[1:]] == [sh1.name, sh2.name]
    assert lone.name not in {r[3] for r in only}


def test_edits_export(client):
    project = f.project()
    episode = f.temporal(project, "Episode", name="E02")
    f.temporal(project, "Edit", parent=episode, name="Cut B", description="v2")
    f.temporal(project, "Edit", name="Cut A")
    _, headers = f.signed_in(client, "admin")
    rows = _rows(client.get(f"/export/csv/projects/{project.id}/edits.csv", headers=headers))
    assert rows == [["Project", "Episode", "Name", "Description", "Time Spent"],
                    [project.name, "", "Cut A", "", "0.00"],
                    [project.name, "E02", "Cut B", "v2", "0.00"]]


# Casting ----------------------------------------------------------------------

def test_casting_export_of_a_feature(client):
    project = f.project()
    chars = f.asset_type(name=f.unique("Chars"))
    hero = f.asset(project, entity_type=chars, name="Hero")
    sword = f.asset(project, entity_type=f.asset_type(name=f.unique("Props")), name="=Sword")
    seq = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=seq, name="SH010")
    f.entity_link(shot, hero, nb_occurences=2, label="fixed")
    f.entity_link(hero, sword, nb_occurences=1)
    _, headers = f.signed_in(client, "admin")
    url = f"/export/csv/projects/{project.id}/casting.csv"
    response = client.get(url, headers=headers)
    assert _rows(response) == [
        ["Parent", "Name", "Asset Type", "Asset", "Occurences", "Label"],
        [chars.name, "Hero", sword_type(sword), "'=Sword", "1", ""]]
    assert response.headers["Content-Disposition"].endswith("_casting.csv")
    assert _rows(client.get(url + "?is_shot_casting=true", headers=headers)) == [
        ["Parent", "Name", "Asset Type", "Asset", "Occurences", "Label"],
        ["SQ01", "SH010", chars.name, "Hero", "2", "fixed"]]


def sword_type(sword):
    return db.session.get(EntityType, sword.entity_type_id).name


def test_casting_export_of_a_tv_show(client):
    project = f.project(production_type="tvshow")
    ep1, ep2 = f.temporal(project, "Episode", name="E01"), f.temporal(project, "Episode",
                                                                        name="E02")
    seq1 = f.temporal(project, "Sequence", parent=ep1, name="SQ01")
    seq2 = f.temporal(project, "Sequence", parent=ep2, name="SQ02")
    sh1 = f.temporal(project, "Shot", parent=seq1, name="SH010")
    sh2 = f.temporal(project, "Shot", parent=seq2, name="SH020")
    kind = f.asset_type(name=f.unique("Set"))
    room = f.asset(project, entity_type=kind, name="Room")
    f.entity_link(sh1, room)
    f.entity_link(sh2, room, nb_occurences=3)
    f.entity_link(ep1, room)
    _, headers = f.signed_in(client, "admin")
    url = f"/export/csv/projects/{project.id}/casting.csv"
    header = ["Episode", "Parent", "Name", "Asset Type", "Asset", "Occurences", "Label"]
    assert _rows(client.get(url + "?is_shot_casting=true", headers=headers)) == [
        header, ["E01", "SQ01", "SH010", kind.name, "Room", "1", ""],
        ["E02", "SQ02", "SH020", kind.name, "Room", "3", ""]]
    assert _rows(client.get(f"{url}?is_shot_casting=true&episode_id={ep2.id}",
                            headers=headers)) == [
        header, ["E02", "SQ02", "SH020", kind.name, "Room", "3", ""]]
    assert _rows(client.get(url + "?episode_id=all", headers=headers)) == [
        header[1:], ["Episode", "E01", kind.name, "Room", "1", ""]]
    lamp = f.asset(project, entity_type=kind, name="Lamp", source_id=ep1.id)
    f.entity_link(lamp, room, nb_occurences=4)
    f.entity_link(f.asset(project, entity_type=kind, name="Hall"), room)
    assert _rows(client.get(url, headers=headers)) == [
        header, ["E01", kind.name, "Lamp", kind.name, "Room", "4", ""],
        ["MP", kind.name, "Hall", kind.name, "Room", "1", ""]]
    assert _rows(client.get(url + "?episode_id=main", headers=headers)) == [
        header, ["MP", kind.name, "Hall", kind.name, "Room", "1", ""]]


# Playlists ----------------------------------------------------------------------

def _playlist_world(for_client=False):
    project = f.project(name="Film")
    seq = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=seq, name="SH010", nb_frames=24)
    comp = f.task_type(name=f.unique("Compositing"))
    status = f.task_status(name=f.unique("Retake"))
    task = f.task(project, entity=shot, task_type_=comp, task_status_id=status.id,
                  retake_count=2)
    preview = f.preview_file(task, revision=3)
    supervisor = f.member(project, "supervisor", first_name="Léa", last_name="Roux")
    client_person = f.member(project, "client")
    f.comment(task, supervisor, text="=HYPERLINK(\"x\"); go",
              created_at=datetime.datetime(2030, 1, 2, 10, 0, 0))
    f.comment(task, client_person, text="client note",
              created_at=datetime.datetime(2030, 1, 3, 10, 0, 0))
    playlist = f.playlist(project, for_entity="shot", for_client=for_client,
                          created_at=datetime.datetime(2030, 1, 1, 9, 30, 0),
                          shots=[{"entity_id": str(shot.id), "preview_file_id": str(preview.id)}])
    return locals()


@pytest.mark.parametrize("who,status", [
    ("admin", 200), ("manager", 200), ("supervisor", 200), ("user", 403), ("client", 403),
    ("vendor", 403), ("bot", 403)])
def test_playlist_export_access(client, who, status):
    w = _playlist_world()
    headers = _caller(client, w["project"], who)
    response = client.get(f"/export/csv/playlists/{w['playlist'].id}", headers=headers)
    assert response.status_code == status


def test_playlist_export_access_off_the_team_and_for_clients(client):
    w = _playlist_world(for_client=True)
    url = f"/export/csv/playlists/{w['playlist'].id}"
    assert client.get(url, headers=_caller(client, f.project(), "manager")).status_code == 403
    headers = _caller(client, w["project"], "client")
    rows = _rows(client.get(url, headers=headers))
    # The client sees no internal comment (not shared with clients).
    assert rows[3][6:] == ["", "", ""]
    _, admin = f.signed_in(client, "admin")
    assert client.get(f"/export/csv/playlists/{w['project'].id}", headers=admin) \
        .status_code == 404


def test_playlist_export_content(client):
    w = _playlist_world()
    _, headers = f.signed_in(client, "manager", timezone="Europe/Paris")
    f.join_team(w["project"], _)
    response = client.get(f"/export/csv/playlists/{w['playlist'].id}", headers=headers)
    rows = _rows(response)
    assert rows == [
        ["Playlist", "Film | for shots", w["playlist"].name, "2030-01-01T10:30:00", "", "", ""],
        [""] * 7,
        ["Entity name", "Nb Frames", "Task Type", "Retake count", "Revision", "Task Status",
         "Last comment author", "Last comment date", "Last comment"],
        ["SQ01 / SH010", "24", w["comp"].name, "2", "3", w["status"].name, "Léa Roux",
         "2030-01-02T11:00:00", "'=HYPERLINK(\"x\"); go"],
    ]
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=kitsu_film_playlist_{w['playlist'].name.lower().replace(' ', '_')}"
        ".csv")


# Studio-wide exports ---------------------------------------------------------------

def test_tasks_export(client):
    project = f.project(name=f.unique("Tâches"))
    f.close(closed := f.project())
    f.task(closed)
    seq = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=seq, name="SH010")
    anim = f.task_type(name=f.unique("Anim"))
    boss = f.person(first_name="Ana", last_name="Boss")
    zoe, bob = f.person(first_name="Zoë", last_name="Z"), f.person(first_name="Bob",
                                                                   last_name="B")
    status = f.task_status()
    f.task(project, entity=shot, task_type_=anim, task_status_id=status.id, assigner_id=boss.id,
           assignees=[zoe, bob], duration=60.0, estimation=2.5,
           start_date=datetime.datetime(2030, 1, 2), due_date=datetime.datetime(2030, 1, 9, 8),
           end_date=datetime.datetime(2030, 1, 8, 18))
    manager, headers = f.signed_in(client, "manager")
    assert _rows(client.get("/export/csv/tasks.csv", headers=headers))[1:] == []
    f.join_team(project, manager)
    response = client.get("/export/csv/tasks.csv", headers=headers)
    rows = _rows(response)
    assert response.headers["Content-Disposition"] == \
        "attachment; filename=kitsu_tasks_export.csv"
    assert rows == [
        ["Project", "Task Type", "Episode", "Sequence", "Entity Type", "Entity", "Assigner",
         "Assignees", "Duration", "Estimation", "Start date", "Due date", "WIP date",
         "Validation date", "Task Status"],
        [project.name, anim.name, "", "SQ01", "Shot", "SH010", "Ana Boss", "Bob B, Zoë Z",
         "60.0", "2.5", "2030-01-02", "2030-01-09", "", "2030-01-08", status.name]]
    _, admin = f.signed_in(client, "admin")
    exported = {r[0] for r in _rows(client.get("/export/csv/tasks.csv", headers=admin))}
    assert project.name in exported and closed.name not in exported


def test_time_spents_export(client):
    project = f.project()
    ep = f.temporal(project, "Episode", name="E01")
    seq = f.temporal(project, "Sequence", parent=ep, name="SQ01")
    shot = f.temporal(project, "Shot", parent=seq, name="SH010")
    kind = f.asset_type(name=f.unique("Props"))
    prop = f.asset(project, entity_type=kind, name="Lamp")
    person = f.person(first_name="Noé", last_name="Ballard")
    tt = f.task_type(name=f.unique("Anim"))
    f.time_spent(f.task(project, entity=shot, task_type_=tt), person, duration=120.0,
                 date=datetime.date(2030, 1, 2))
    f.time_spent(f.task(project, entity=prop, task_type_=tt), person, duration=60.0,
                 date=datetime.date(2030, 1, 1))
    _, headers = f.signed_in(client, "admin")
    response = client.get("/export/csv/time-spents.csv", headers=headers)
    rows = [r for r in _rows(response) if r[0] in ("Project", project.name)]
    assert rows == [
        ["Project", "Person", "Entity Type Name", "Entity", "Task Type", "Date", "Time spent"],
        [project.name, "Noé Ballard", kind.name, "Lamp", tt.name, "2030-01-01", "60.0"],
        [project.name, "Noé Ballard", "Shot", "E01 / SQ01 / SH010", tt.name, "2030-01-02",
         "120.0"]]
    assert response.headers["Content-Disposition"].startswith("attachment; filename=kitsu_20")
    assert response.headers["Content-Disposition"].endswith(
        "_open_projects_time_spents_export.csv")


def test_persons_export(client):
    studio = f.row(Studio,
                   name=f.unique("Studio"), color="#000000")
    dep_b, dep_a = f.department(name=f.unique("B dep")), f.department(name=f.unique("A dep"))
    person = f.person(first_name="@Émile", last_name="Zola", phone="+33 1", role="supervisor",
                      studio_id=studio.id, country="FR", position="lead", seniority="senior",
                      daily_salary=300, active=False)
    person.departments = [dep_b, dep_a]
    db.session.commit()
    accounts.create_bot("Bot", f.unique("bot").replace(" ", "") + "@bots.example")
    _, headers = f.signed_in(client, "manager")
    rows = _rows(client.get("/export/csv/persons.csv", headers=headers))
    assert rows[0] == ["First Name", "Last Name", "Email", "Phone", "Role", "Departments",
                       "Studio", "Country", "Contract Type", "Position", "Seniority",
                       "Daily Salary", "Active"]
    mine = [r for r in rows if r[1] == "Zola"]
    assert mine == [["'@Émile", "Zola", person.email, "'+33 1", "supervisor",
                     f"{dep_a.name},{dep_b.name}", studio.name, "FR", "open-ended", "lead",
                     "senior", "300", "no"]]
    assert not any(r[0] == "Bot" for r in rows)


def test_projects_and_task_types_exports(client):
    mine = f.project(name=f.unique("Mine"))
    other = f.project(name=f.unique("Other"))
    f.close(other)
    manager, headers = f.signed_in(client, "manager")
    f.join_team(mine, manager)
    assert _rows(client.get("/export/csv/projects.csv", headers=headers)) == [
        ["Name", "Status"], [mine.name, "Open"]]
    _, admin = f.signed_in(client, "admin")
    rows = _rows(client.get("/export/csv/projects.csv", headers=admin))
    assert [other.name, "Closed"] in rows and [mine.name, "Open"] in rows
    dep = f.department(name=f.unique("Ànim"))
    tt = f.task_type(name="=Blocking", department_id=dep.id)
    loose = f.task_type(name=f.unique("No department"))
    rows = _rows(client.get("/export/csv/task-types.csv", headers=headers))
    assert rows[0] == ["Department", "Name"]
    assert [dep.name, "'=Blocking"] in rows and tt.name not in {r[1] for r in rows}
    assert loose.name not in {r[1] for r in rows}


def test_the_role_held_in_the_project_decides(client):
    project = f.project()
    f.task(project)
    outsourcer, headers = f.signed_in(client, "user")
    f.join_team(project, outsourcer, role="vendor")
    for route in PROJECT_ROUTES:
        assert client.get(f"/export/csv/projects/{project.id}/{route}",
                          headers=headers).status_code == 403
    # A production manager exports the tasks of the productions they manage,
    # not those where they work as an artist.
    manager, headers = f.signed_in(client, "manager")
    f.join_team(project, manager, role="user")
    assert _rows(client.get("/export/csv/tasks.csv", headers=headers)) == [
        _rows(client.get("/export/csv/tasks.csv", headers=headers))[0]]
