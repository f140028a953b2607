"""ShotGrid import (behaviours.md row 21, /import/shotgun/*): each kind of
record upserted by its ShotGrid id (a second import updates, never
doubles), links resolved by ShotGrid id, bad records recorded as import
errors while the others import, and the remove routes."""
import datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.comment import Comment
from app.models.entity import Entity, EntityLink
from app.models.events import ApiEvent, DataImportError
from app.models.files import PreviewFile
from app.models.person import DepartmentLink, Person
from app.models.project import Project, ProjectPersonLink
from app.models.settings import Department, EntityType, ProjectStatus, TaskStatus, TaskType
from app.models.task import Task, TaskPersonLink
from tests import factories as f
from tests import shotgun_helpers as sg


@pytest.fixture
def admin(client):
    return f.signed_in(client, "admin")[1]


def count(model, *criteria):
    return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def by_sg(model, sg_id):
    return db.session.scalars(select(model).where(model.shotgun_id == sg_id)).one()


def check_remove(client, headers, singular, sg_id, model, success=True):
    """Remove by ShotGrid id: the answer names the row, which is gone only
    on success."""
    row_id = by_sg(model, sg_id).id
    assert sg.remove(client, headers, singular, sg_id) == {
        "removed_instance_id": str(row_id), "success": success}
    assert count(model, model.id == row_id) == (0 if success else 1)


def error_messages(client, headers):
    return {(e["event_data"]["type"], e["event_data"]["shotgun_id"]): e["event_data"]["message"]
            for e in sg.errors(client, headers)}


@pytest.fixture
def base(client, admin):
    """A ShotGrid production already imported: project 70, two people,
    steps, statuses."""
    sg.send(client, admin, "projects", [sg.project(70, "Fox Hunt")])
    sg.send(client, admin, "persons", [
        sg.person(801, "Ana", "Lima", "ana@fox.example", department="Animation"),
        sg.person(802, "Bo", "Chen", "bo@fox.example", group="Manager")])
    sg.send(client, admin, "steps", [sg.step(31, "Anim Blocking", "Shot"),
                                     sg.step(32, "Model Hero", "Asset")])
    sg.send(client, admin, "status", [sg.status(41, "In Progress", "ip"),
                                      sg.status(42, "Final", "fin")])
    return {"project": by_sg(Project, 70), "ana": by_sg(Person, 801),
            "bo": by_sg(Person, 802), "anim": by_sg(TaskType, 31),
            "model": by_sg(TaskType, 32), "ip": by_sg(TaskStatus, 41),
            "fin": by_sg(TaskStatus, 42)}


PROJECT = sg.link("Project", 70, "Fox Hunt")


# Projects --------------------------------------------------------------------------

def test_projects_are_upserted_with_their_status_and_studio_fields(client, admin):
    rows = sg.send(client, admin, "projects", [
        sg.project(11, "Moon Base", sg_budget=1200, sg_client="ACME"),
        sg.project(12, "Old Show", status="Archive")])
    assert [r["name"] for r in rows] == ["Moon Base", "Old Show"]
    assert rows[0]["type"] == "Project" and rows[0]["shotgun_id"] == 11
    assert rows[0]["data"] == {"sg_budget": 1200, "sg_client": "ACME"}
    # ShotGrid's Active is Kitsu's Open; other statuses are made by name.
    assert rows[0]["project_status_name"] == "Open"
    assert rows[1]["project_status_name"] == "Archive"
    assert count(ProjectStatus, ProjectStatus.name == "Archive") == 1

    again = sg.send(client, admin, "projects", [
        sg.project(11, "Moon Base II", sg_budget=1500), sg.project(12, "Old Show")])
    assert [r["id"] for r in again] == [r["id"] for r in rows]
    assert again[0]["name"] == "Moon Base II"
    # Studio fields are merged: a key the record no longer has stays.
    assert again[0]["data"] == {"sg_budget": 1500, "sg_client": "ACME"}
    assert count(Project, Project.shotgun_id.in_([11, 12])) == 2
    names = [e.name for e in db.session.scalars(
        select(ApiEvent).where(ApiEvent.project_id == rows[0]["id"]).order_by(
            ApiEvent.created_at))]
    assert names == ["project:new", "project:update"]


def test_a_project_made_in_kitsu_is_adopted_by_name(client, admin):
    existing = f.project(name="Handmade")
    rows = sg.send(client, admin, "projects", [sg.project(13, "Handmade")])
    assert rows[0]["id"] == str(existing.id) and rows[0]["shotgun_id"] == 13
    assert count(Project, Project.name == "Handmade") == 1


# Persons ---------------------------------------------------------------------------

def test_persons_get_role_department_and_are_matched_by_id_then_email(client, admin):
    f.person(email="kim@fox.example", first_name="Kim", last_name="Old")
    rows = sg.send(client, admin, "persons", [
        sg.person(901, "Ana", "Lima", "Ana@Fox.example", department="Animation Dept"),
        sg.person(902, "Bo", "Chen", "bo@fox.example", group="Admin", status="dis"),
        sg.person(903, "Kim", "Park", "kim@fox.example", group="Manager")])
    assert [(r["first_name"], r["email"], r["role"], r["active"]) for r in rows] == [
        ("Ana", "ana@fox.example", "user", True), ("Bo", "bo@fox.example", "admin", False),
        ("Kim", "kim@fox.example", "user", True)]
    assert rows[0]["type"] == "Person" and rows[0]["desktop_login"] == "ana.lima"
    assert "password" not in rows[0]
    # Kim existed: adopted by e-mail, renamed, and keeps the role Kitsu gave.
    assert count(Person, Person.email == "kim@fox.example") == 1
    assert rows[2]["last_name"] == "Park" and rows[2]["shotgun_id"] == 903
    department = db.session.scalars(select(Department).where(
        Department.name == "Animation Dept")).one()
    assert db.session.scalars(select(DepartmentLink.department_id).where(
        DepartmentLink.person_id == rows[0]["id"])).all() == [department.id]

    again = sg.send(client, admin, "persons", [
        sg.person(901, "Ana", "Lima-Ruiz", "ana@fox.example", group="Manager",
                  department="Layout")])
    assert again[0]["id"] == rows[0]["id"] and again[0]["last_name"] == "Lima-Ruiz"
    assert again[0]["role"] == "user"  # roles are given on creation only
    layout = db.session.scalars(select(Department).where(Department.name == "Layout")).one()
    assert db.session.scalars(select(DepartmentLink.department_id).where(
        DepartmentLink.person_id == rows[0]["id"])).all() == [layout.id]
    assert count(Person, Person.shotgun_id.in_([901, 902, 903])) == 3


def test_a_bot_sharing_an_address_is_never_adopted(client, admin):
    from app.services import accounts

    bot, _ = accounts.create_bot("Mailer", "team@fox.example")
    rows = sg.send(client, admin, "persons", [sg.person(910, "Team", "Lead", "team@fox.example")])
    assert rows[0]["id"] != str(bot.id) and rows[0]["is_bot"] is False
    assert db.session.scalar(select(Person.shotgun_id).where(Person.id == bot.id)) is None


def test_shotgrid_placeholder_accounts_are_recorded_not_imported(client, admin):
    rows = sg.send(client, admin, "persons", [
        sg.person(904, "Script", "User", "changeme@email.com"),
        sg.person(905, "Real", "One", "real@fox.example")])
    assert [r["first_name"] for r in rows] == ["Real"]
    assert error_messages(client, admin) == {
        ("HumanUser", 904): "This is ShotGrid's placeholder account, not a real person."}
    assert count(Person, Person.shotgun_id == 904) == 0


def test_new_people_get_the_studio_defaults_within_the_user_limit(app, client, admin,
                                                                 monkeypatch):
    from app.services.accounts import count_licensed_users

    monkeypatch.setitem(app.config, "USER_LIMIT", count_licensed_users() + 1)
    rows = sg.send(client, admin, "persons", [
        sg.person(907, "In", "Time", "in@fox.example"),
        sg.person(908, "Too", "Late", "late@fox.example"),
        sg.person(909, "Left", "Already", "left@fox.example", status="dis")])
    assert [(r["first_name"], r["timezone"], r["locale"]) for r in rows] == [
        ("In", app.config["DEFAULT_TIMEZONE"], app.config["DEFAULT_LOCALE"]),
        ("Left", app.config["DEFAULT_TIMEZONE"], app.config["DEFAULT_LOCALE"])]
    limit = app.config["USER_LIMIT"]
    assert error_messages(client, admin) == {
        ("HumanUser", 908): f"The user limit ({limit}) is reached."}
    # Coming back to ShotGrid's active list counts too.
    sg.send(client, admin, "persons", [sg.person(909, "Left", "Already", "left@fox.example")])
    assert by_sg(Person, 909).active is False


# Steps and statuses -------------------------------------------------------------------

def test_steps_become_task_types_in_departments_named_by_their_first_word(client, admin):
    rows = sg.send(client, admin, "steps", [
        sg.step(51, "Comp Final", "Shot", color="255,0,16", short_name="cmp"),
        sg.step(52, "Comp Prep", "Shot", color="0,0,0"),
        sg.step(53, "Rig", "Asset", color="bad")])
    assert [(r["name"], r["color"], r["for_entity"], r["short_name"], r["type"])
            for r in rows] == [("Comp Final", "#ff0010", "Shot", "cmp", "TaskType"),
                               ("Comp Prep", "#000000", "Shot", "", "TaskType")]
    department = db.session.scalars(select(Department).where(Department.name == "Comp")).one()
    assert {r["department_id"] for r in rows} == {str(department.id)}
    assert department.color == "#ff0010"
    assert error_messages(client, admin) == {
        ("Step", 53): "Field 'color' must be a colour like '120,200,40'."}

    again = sg.send(client, admin, "steps", [sg.step(51, "Comp Final", "Shot", "1,2,3")])
    assert again[0]["id"] == rows[0]["id"] and again[0]["color"] == "#010203"
    assert count(TaskType, TaskType.shotgun_id == 51) == 1


def test_a_step_named_like_a_task_type_updates_it_whatever_the_case(client, admin):
    existing = f.task_type(name="Layout Cam", for_entity="Shot")
    rows = sg.send(client, admin, "steps", [sg.step(54, "layout cam", "Shot", "0,0,255")])
    assert rows[0]["id"] == str(existing.id) and rows[0]["shotgun_id"] == 54
    # Adopted by name, it keeps its spelling; the other values follow ShotGrid.
    assert (rows[0]["name"], rows[0]["color"]) == ("Layout Cam", "#0000ff")


def test_statuses_are_matched_by_code_and_a_too_long_code_is_an_error(client, admin):
    wip = db.session.scalars(select(TaskStatus).where(TaskStatus.short_name == "wip")).one()
    rows = sg.send(client, admin, "status", [
        sg.status(61, "Work In Progress", "wip", "50,115,220"),
        sg.status(62, "Pending Review", "rev", None),
        sg.status(63, "Far Too Long", "waytoolongcode")])
    assert rows[0]["id"] == str(wip.id) and rows[0]["shotgun_id"] == 61
    assert rows[0]["color"] == "#3273dc" and rows[0]["type"] == "TaskStatus"
    assert (rows[1]["name"], rows[1]["short_name"], rows[1]["color"]) == \
        ("Pending Review", "rev", "#000000")
    assert error_messages(client, admin) == {
        ("Status", 63): "'short_name' is longer than 10 characters."}
    again = sg.send(client, admin, "status", [sg.status(62, "Pending Review!", "rev")])
    assert again[0]["id"] == rows[1]["id"] and again[0]["name"] == "Pending Review!"
    assert count(TaskStatus, TaskStatus.short_name == "rev") == 1


# Assets and the breakdown ---------------------------------------------------------------

def test_assets_get_their_type_project_and_parents(client, admin, base):
    rows = sg.send(client, admin, "assets", [
        sg.asset(101, "Fox", PROJECT, "Character", "The hero"),
        sg.asset(102, "Den", PROJECT, "Environment"),
        sg.asset(103, "Tail", PROJECT, "Prop", parents=[101]),
        sg.asset(104, "Ghost", sg.link("Project", 999, "Unknown"), "Prop"),
        sg.asset(105, "Shot?", PROJECT, "Shot")])
    assert [(r["name"], r["type"], r["project_id"], r["description"]) for r in rows] == [
        ("Fox", "Asset", str(base["project"].id), "The hero"),
        ("Den", "Asset", str(base["project"].id), None),
        ("Tail", "Asset", str(base["project"].id), None)]
    types = {r["name"]: r["entity_type_id"] for r in rows}
    environment = db.session.scalars(select(EntityType).where(
        EntityType.name == "Environment")).one()
    assert types["Den"] == str(environment.id)
    # A ShotGrid parent casts its children.
    fox = by_sg(Entity, 101)
    assert db.session.scalars(select(EntityLink.entity_out_id).where(
        EntityLink.entity_in_id == fox.id)).all() == [by_sg(Entity, 103).id]
    assert fox.nb_entities_out == 1
    assert error_messages(client, admin) == {
        ("Asset", 104): "No project matches the ShotGrid id 999.",
        ("Asset", 105): "'Shot' is not an asset type."}
    assert all(r["created_by"] for r in rows)
    assert sorted((e.data for e in db.session.scalars(select(ApiEvent).where(
        ApiEvent.name == "asset:new"))), key=lambda d: d["asset_id"]) == sorted((
            {"asset_id": r["id"], "asset_type": r["entity_type_id"],
             "project_id": str(base["project"].id)} for r in rows), key=lambda d: d["asset_id"])

    again = sg.send(client, admin, "assets", [
        sg.asset(101, "Fox", PROJECT, "Character", "The hero, older")])
    assert again[0]["id"] == rows[0]["id"] and again[0]["description"] == "The hero, older"
    assert count(Entity, Entity.shotgun_id.in_([101, 102, 103])) == 3


def test_the_breakdown_episode_sequence_scene_shot(client, admin, base):
    sg.send(client, admin, "assets", [sg.asset(111, "Fox", PROJECT, "Character"),
                                      sg.asset(112, "Den", PROJECT, "Environment")])
    by_name = sg.link("Project", None, "Fox Hunt")  # Zou's routes find it by name
    episodes = sg.send(client, admin, "episodes", [sg.episode(201, "E01", by_name, "Pilot")])
    assert (episodes[0]["type"], episodes[0]["description"]) == ("Episode", "Pilot")
    sequences = sg.send(client, admin, "sequences", [
        sg.sequence(301, "SQ01", PROJECT, episode_id=201),
        sg.sequence(302, "SQ02", PROJECT, episode_id=299)])
    assert [(s["name"], s["parent_id"]) for s in sequences] == [("SQ01", episodes[0]["id"])]
    scenes = sg.send(client, admin, "scenes", [sg.scene(401, "SC01", PROJECT, 301)])
    assert (scenes[0]["type"], scenes[0]["parent_id"]) == ("Scene", sequences[0]["id"])
    shots = sg.send(client, admin, "shots", [
        sg.shot(501, "SH010", PROJECT, 301, cut_in=101, duration=48, assets=[111, 112],
                scene_id=401, sg_lens="35mm", sg_cut_out=149),
        sg.shot(502, "SH020", PROJECT, 301)])
    first = shots[0]
    assert (first["type"], first["parent_id"], first["source_id"], first["nb_frames"]) == \
        ("Shot", sequences[0]["id"], scenes[0]["id"], 48)
    assert first["data"] == {"frame_in": 101, "frame_out": 149, "sg_lens": "35mm"}
    shot = by_sg(Entity, 501)
    assert set(db.session.scalars(select(EntityLink.entity_out_id).where(
        EntityLink.entity_in_id == shot.id))) == {by_sg(Entity, 111).id, by_sg(Entity, 112).id}
    assert shot.nb_entities_out == 2
    assert error_messages(client, admin) == {
        ("Sequence", 302): "No episode matches the ShotGrid id 299."}
    # Episodes and scenes update in place too.
    [episode] = sg.send(client, admin, "episodes", [sg.episode(201, "E01", PROJECT, "Pilot 2")])
    [scene] = sg.send(client, admin, "scenes", [sg.scene(401, "SC01b", PROJECT, 301)])
    assert (episode["id"], episode["description"]) == (episodes[0]["id"], "Pilot 2")
    assert (scene["id"], scene["name"]) == (scenes[0]["id"], "SC01b")
    assert count(Entity, Entity.shotgun_id.in_([201, 401])) == 2

    # Kitsu's own data keys survive; the casting follows ShotGrid, keeping
    # the occurrence counts of the assets still cast.
    db.session.execute(EntityLink.__table__.update().where(
        EntityLink.entity_in_id == shot.id, EntityLink.entity_out_id == by_sg(Entity, 111).id)
        .values(nb_occurences=3))
    shot.data = {**shot.data, "kitsu_note": "x"}
    db.session.commit()
    again = sg.send(client, admin, "shots", [
        sg.shot(501, "SH010", PROJECT, 301, cut_in=1, duration=10, assets=[111])])
    assert again[0]["id"] == first["id"]
    assert again[0]["data"] == {"frame_in": 1, "frame_out": 11, "sg_lens": "35mm",
                                "kitsu_note": "x"}
    links = db.session.execute(select(EntityLink.entity_out_id, EntityLink.nb_occurences)
                               .where(EntityLink.entity_in_id == shot.id)).all()
    assert links == [(by_sg(Entity, 111).id, 3)]
    db.session.refresh(shot)
    assert shot.nb_entities_out == 1
    assert count(Entity, Entity.shotgun_id.in_([501, 502])) == 2
    assert [e.data["shot_id"] for e in db.session.scalars(select(ApiEvent).where(
        ApiEvent.name == "shot:update"))] == [first["id"]]


def test_a_sequence_made_in_kitsu_is_adopted_not_doubled(client, admin, base):
    existing = f.temporal(base["project"], "Sequence", name="SQ09")
    rows = sg.send(client, admin, "sequences", [sg.sequence(309, "SQ09", PROJECT)])
    assert rows[0]["id"] == str(existing.id)
    assert count(Entity, Entity.name == "SQ09") == 1


# Tasks, notes, versions -------------------------------------------------------------------

@pytest.fixture
def shot_task(client, admin, base):
    sg.send(client, admin, "sequences", [sg.sequence(311, "SQ01", PROJECT)])
    sg.send(client, admin, "shots", [sg.shot(511, "SH010", PROJECT, 311)])
    rows = sg.send(client, admin, "tasks", [sg.task(
        601, "Blocking", 70, sg.link("Shot", 511), 31, "ip", assignees=[801],
        created_by=802, start="2024-03-01", due="2024-03-15", sort_order=2, duration=480)])
    return rows[0]


def test_tasks_resolve_every_link_and_update_on_the_second_import(client, admin, base,
                                                                    shot_task):
    shot = by_sg(Entity, 511)
    assert (shot_task["type"], shot_task["name"], shot_task["entity_id"],
            shot_task["task_type_id"], shot_task["task_status_id"], shot_task["project_id"],
            shot_task["assigner_id"]) == (
        "Task", "Blocking", str(shot.id), str(base["anim"].id), str(base["ip"].id),
        str(base["project"].id), str(base["bo"].id))
    # ShotGrid's planned duration is Kitsu's estimation; time logged stays 0.
    assert (shot_task["start_date"], shot_task["due_date"], shot_task["sort_order"],
            shot_task["estimation"], shot_task["duration"]) == (
        "2024-03-01T00:00:00", "2024-03-15T00:00:00", 2, 480, 0)
    assert db.session.scalars(select(TaskPersonLink.person_id).where(
        TaskPersonLink.task_id == shot_task["id"])).all() == [base["ana"].id]

    again = sg.send(client, admin, "tasks", [sg.task(
        601, "Blocking", 70, sg.link("Shot", 511), 31, "fin", assignees=[802])])
    assert again[0]["id"] == shot_task["id"]
    assert again[0]["task_status_id"] == str(base["fin"].id)
    assert again[0]["due_date"] is None
    assert db.session.scalars(select(TaskPersonLink.person_id).where(
        TaskPersonLink.task_id == shot_task["id"])).all() == [base["bo"].id]
    assert count(Task, Task.shotgun_id == 601) == 1


def test_bad_tasks_are_recorded_and_the_others_imported(client, admin, base, shot_task):
    rows = sg.send(client, admin, "tasks", [
        sg.task(602, "Polish", 70, sg.link("Shot", 511), 31, "ip"),
        sg.task(603, "NoStep", 70, sg.link("Shot", 511), None, "ip"),
        sg.task(604, "Weird", 70, sg.link("CustomEntity01", 1), 31, "ip"),
        sg.task(605, "Lost", 70, sg.link("Shot", 599), 31, "ip"),
        sg.task(606, "Odd", 70, sg.link("Shot", 511), 31, "nope"),
        sg.task(607, "Dated", 70, sg.link("Shot", 511), 31, "ip", due="15/03/2024"),
        # The same task as Polish under another ShotGrid id: a database rule
        # refuses it, and only it.
        sg.task(608, "Polish", 70, sg.link("Shot", 511), 31, "fin"),
        "not a record"])
    assert [r["name"] for r in rows] == ["Polish"]
    messages = error_messages(client, admin)
    assert messages == {
        ("Task", 603): "No step matches the ShotGrid id None.",
        ("Task", 604): "Field 'entity' must link to one of: Asset, Shot, Scene, Sequence, "
                       "Episode.",
        ("Task", 605): "No entity matches the ShotGrid id 599.",
        ("Task", 606): "No status matches the ShotGrid name 'nope'.",
        ("Task", 607): "Field 'due_date' must be a date (YYYY-MM-DD).",
        ("Task", 608): "An object with the same unique values already exists.",
        ("Task", None): "A record must be an object."}
    stored = db.session.scalars(select(DataImportError).where(
        DataImportError.event_data["shotgun_id"].as_integer() == 606)).one()
    assert stored.source == "shotgun" and stored.event_data["data"]["content"] == "Odd"
    assert count(Task, Task.shotgun_id.in_([602, 603, 604, 605, 606, 607, 608])) == 1


def test_rows_refused_by_the_database_are_found_among_many(client, admin, base, shot_task):
    shot = sg.link("Shot", 511)
    records = [sg.task(610 + i, f"T{i}", 70, shot, 31, "ip") for i in range(10)]
    # T3 and T7 twice under other ShotGrid ids: the same tasks for Kitsu.
    records[4:4] = [sg.task(650, "T3", 70, shot, 31, "fin")]
    records.append(sg.task(651, "T7", 70, shot, 31, "fin"))
    rows = sg.send(client, admin, "tasks", records)
    assert [r["name"] for r in rows] == [f"T{i}" for i in range(10)]
    assert {r["task_status_id"] for r in rows} == {str(base["ip"].id)}
    duplicate = "An object with the same unique values already exists."
    assert error_messages(client, admin) == {("Task", 650): duplicate, ("Task", 651): duplicate}


def test_notes_become_comments_on_their_task(client, admin, base, shot_task):
    rows = sg.send(client, admin, "notes", [
        sg.note(701, [601], 802, "Push the pose", "2024-03-04T09:30:00Z"),
        sg.note(702, [], 802, "Floating note"),
        sg.note(703, [601], 899, "Ghost author")])
    assert [(r["type"], r["text"], r["object_id"], r["object_type"], r["person_id"],
             r["task_status_id"], r["created_at"]) for r in rows] == [
        ("Comment", "Push the pose", shot_task["id"], "Task", str(base["bo"].id),
         str(base["ip"].id), "2024-03-04T09:30:00")]
    assert error_messages(client, admin) == {
        ("Note", 702): "The note is linked to no task.",
        ("Note", 703): "No author matches the ShotGrid id 899."}
    task = db.session.get(Task, shot_task["id"])
    assert task.last_comment_date == datetime.datetime(2024, 3, 4, 9, 30)
    again = sg.send(client, admin, "notes", [sg.note(701, [601], 802, "Push it more")])
    assert again[0]["id"] == rows[0]["id"] and again[0]["text"] == "Push it more"
    assert count(Comment, Comment.shotgun_id == 701) == 1
    assert db.session.scalars(select(ApiEvent.project_id).where(
        ApiEvent.name == "comment:new")).all() == [base["project"].id]


def test_versions_become_previews_of_their_task(client, admin, base, shot_task):
    movie = {"url": "https://sg.example/v/1.mp4", "name": "blocking_v001.mp4"}
    rows = sg.send(client, admin, "versions", [
        sg.version(751, "blocking_v001", 601, 801, "First pass", movie),
        sg.version(752, "orphan_v001", None),
        sg.version(753, "bad_movie", 601, movie={"url": 5, "name": "x.mov"})])
    assert [(r["type"], r["name"], r["task_id"], r["person_id"], r["description"],
             r["source"], r["uploaded_movie_url"], r["uploaded_movie_name"]) for r in rows] == [
        ("PreviewFile", "blocking_v001", shot_task["id"], str(base["ana"].id), "First pass",
         "Shotgun", movie["url"], movie["name"])]
    assert error_messages(client, admin) == {
        ("Version", 752): "The version is linked to no task.",
        ("Version", 753): "'uploaded_movie_url' must be str, not int."}
    again = sg.send(client, admin, "versions", [
        sg.version(751, "blocking_v001", 601, 801, "Second look", movie)])
    assert again[0]["id"] == rows[0]["id"] and again[0]["description"] == "Second look"
    assert count(PreviewFile, PreviewFile.shotgun_id == 751) == 1


def test_project_connections_put_people_on_teams_under_both_spellings(client, admin, base):
    project = base["project"]
    rows = sg.send(client, admin, "project-connections", [
        sg.connection(1001, 70, 801), sg.connection(1002, 70, 899)])
    assert [(r["id"], r["type"]) for r in rows] == [(str(project.id), "Project")]
    rows = sg.send(client, admin, "projectconnections", [sg.connection(1003, 70, 802)])
    links = db.session.execute(select(ProjectPersonLink.person_id, ProjectPersonLink.shotgun_id)
                               .where(ProjectPersonLink.project_id == project.id)).all()
    assert sorted(links) == sorted([(base["ana"].id, 1001), (base["bo"].id, 1003)])
    assert error_messages(client, admin) == {
        ("ProjectUserConnection", 1002): "No person matches the ShotGrid id 899."}
    # Again, and the same pair twice under two ShotGrid ids: the last one wins.
    sg.send(client, admin, "project-connections", [sg.connection(1004, 70, 801),
                                                   sg.connection(1001, 70, 801)])
    assert count(ProjectPersonLink, ProjectPersonLink.project_id == project.id) == 2
    assert db.session.scalar(select(ProjectPersonLink.shotgun_id).where(
        ProjectPersonLink.person_id == base["ana"].id)) == 1001

    assert sg.remove(client, admin, "project-connection", 1001) == {"success": True}
    assert sg.remove(client, admin, "projectconnection", 1003) == {"success": True}
    assert count(ProjectPersonLink, ProjectPersonLink.project_id == project.id) == 0


# Requests ------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [{"id": 1}, "text", None])
def test_the_body_must_be_a_list_of_records(client, admin, body):
    response = client.post("/import/shotgun/projects", json=body, headers=admin)
    assert response.status_code == 400
    assert response.json["message"] == "The body must be a JSON list of ShotGrid records."
    broken = client.post("/import/shotgun/projects", data="[{", headers=admin,
                         content_type="application/json")
    assert broken.status_code == 400


def test_a_record_seen_twice_is_imported_once_with_its_last_values(client, admin):
    rows = sg.send(client, admin, "status", [sg.status(64, "Draft", "drf"),
                                             sg.status(64, "Draft 2", "drf")])
    assert [r["name"] for r in rows] == ["Draft 2"]
    assert count(TaskStatus, TaskStatus.shotgun_id == 64) == 1


# Import errors -------------------------------------------------------------------------

def test_import_errors_are_listed_added_and_deleted(client, admin):
    sg.send(client, admin, "status", [sg.status(65, "Bad", "waytoolongcode")])
    created = client.post("/import/shotgun/errors", headers=admin,
                          json={"event_type": "Shotgun_Shot_Change", "entity": {"id": 5}})
    assert created.status_code == 201
    assert (created.json["type"], created.json["source"], created.json["event_data"]) == (
        "DataImportError", "shotgun", {"event_type": "Shotgun_Shot_Change", "entity": {"id": 5}})
    listed = sg.errors(client, admin)
    assert [e["event_data"].get("shotgun_id") for e in listed] == [65, None]
    assert listed[1]["id"] == created.json["id"]
    assert set(listed[0]) == {"id", "created_at", "updated_at", "event_data", "source", "type"}

    gone = client.delete(f"/import/shotgun/errors/{created.json['id']}", headers=admin)
    assert gone.status_code == 204
    assert [e["id"] for e in sg.errors(client, admin)] == [listed[0]["id"]]
    for missing in (created.json["id"], "not-an-id"):
        again = client.delete(f"/import/shotgun/errors/{missing}", headers=admin)
        assert again.status_code == 404


# Removing --------------------------------------------------------------------------------

def test_remove_routes_delete_by_shotgun_id(client, admin, base, shot_task):
    sg.send(client, admin, "notes", [sg.note(711, [601], 802, "Note")])
    sg.send(client, admin, "versions", [sg.version(761, "v001", 601)])
    sg.send(client, admin, "assets", [sg.asset(121, "Rock", PROJECT, "Prop")])
    sg.send(client, admin, "episodes", [sg.episode(221, "E09", PROJECT)])
    sg.send(client, admin, "scenes", [sg.scene(421, "SC09", PROJECT)])
    check_remove(client, admin, "note", 711, Comment)
    check_remove(client, admin, "version", 761, PreviewFile)
    for singular, sg_id in (("asset", 121), ("episode", 221), ("scene", 421)):
        check_remove(client, admin, singular, sg_id, Entity)
    # Unknown ShotGrid ids, or one of another kind: nothing to do.
    assert sg.remove(client, admin, "note", 711) == {"success": True}
    assert sg.remove(client, admin, "sequence", 511) == {"success": True}

    # Still used: a step with tasks, a status on them, a person they are
    # assigned to, a project with production data.
    for singular, sg_id, model in (("step", 31, TaskType), ("status", 41, TaskStatus),
                                   ("person", 802, Person), ("project", 70, Project)):
        check_remove(client, admin, singular, sg_id, model, success=False)

    # A shot with tasks is canceled; the task itself goes with what hangs on it.
    shot_id = by_sg(Entity, 511).id
    assert sg.remove(client, admin, "shot", 511)["success"] is True
    assert db.session.scalar(select(Entity.canceled).where(Entity.id == shot_id)) is True
    assert sg.remove(client, admin, "task", 601)["removed_instance_id"] == shot_task["id"]
    assert count(Task, Task.id == shot_task["id"]) == 0
    assert sg.remove(client, admin, "shot", 511)["success"] is True
    assert count(Entity, Entity.id == shot_id) == 0
    deleted = {e.name for e in db.session.scalars(select(ApiEvent).where(
        ApiEvent.name.like("%:delete")))}
    assert {"comment:delete", "preview-file:delete", "asset:delete", "task:delete",
            "shot:delete"} <= deleted


def test_removing_unused_reference_rows(client, admin):
    sg.send(client, admin, "projects", [sg.project(14, "Empty One")])
    sg.send(client, admin, "persons", [sg.person(906, "Gone", "Soon", "gone@fox.example")])
    sg.send(client, admin, "steps", [sg.step(55, "Unused Step")])
    sg.send(client, admin, "status", [sg.status(66, "Unused", "unu")])
    for singular, sg_id, model in (("project", 14, Project), ("person", 906, Person),
                                   ("step", 55, TaskType), ("status", 66, TaskStatus)):
        check_remove(client, admin, singular, sg_id, model)


def test_an_asset_with_working_files_is_canceled_not_removed(client, admin, base):
    sg.send(client, admin, "assets", [sg.asset(131, "Hero", PROJECT, "Character")])
    sg.send(client, admin, "tasks", [sg.task(631, "Model", 70, sg.link("Asset", 131), 32,
                                             "ip")])
    f.working_file(by_sg(Task, 631))
    assert sg.remove(client, admin, "asset", 131)["success"] is True
    assert db.session.scalar(select(Entity.canceled).where(Entity.shotgun_id == 131)) is True
    assert count(Task, Task.shotgun_id == 631) == 1


def test_remove_needs_an_integer_id(client, admin):
    response = client.post("/import/shotgun/remove/task", json={}, headers=admin)
    assert response.status_code == 400 and "'id'" in response.json["message"]
