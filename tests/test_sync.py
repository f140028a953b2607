"""sync-push and sync-full between live instances (gunicorn), each on a
database of its own; the project is made on A through the API (gazu)."""
import subprocess
import sys

import gazu
import psycopg2
import pytest
import requests
from sqlalchemy.engine import make_url

from tests import settings
from tests.live_server import ROOT, LiveServer

ADMIN = "admin@sync.example.com"
PASSWORD = "artist-password-1"
# A and B each made their own defaults: the same admin e-mail and the same
# task type and status names, under different ids.
PROJECT = "Sync Film"


def live(name):
    # Both instances share the slot's own Redis database: a neighbour
    # number belongs to another test slot, which flushing it would break.
    server = LiveServer(f"atelier_sync_{name}{settings.SUFFIX}",
                        redis_db=settings.COMPAT_REDIS_DB)
    server.admin_password = server.setup(ADMIN)
    return server.start()


@pytest.fixture(scope="module")
def instances():
    a = live("a")
    try:
        b = live("b")
    except Exception:
        a.stop()
        raise
    yield a, b
    a.stop()
    b.stop()


def client_of(server):
    client = gazu.client.create_client(server.url)
    gazu.log_in(ADMIN, server.admin_password, client=client)
    return client


def named(kind, name, client):
    return gazu.client.fetch_first(kind, {"name": name}, client=client)


@pytest.fixture(scope="module")
def film(instances):
    """On A: new settings, two artists, assets, shots, casting, tasks with
    assignees, comments and time spents."""
    a, _ = instances
    c = client_of(a)
    review = gazu.task.new_task_status("Sync Review", "syncrv", "#00FF00", client=c)
    todo = named("task-status", "Todo", c)
    lighting = gazu.client.post("data/task-types", {"name": "Sync Lighting",
                                                    "for_entity": "Shot"}, client=c)
    modeling = named("task-types", "Modeling", c)
    vehicle = gazu.asset.new_asset_type("Sync Vehicle", client=c)
    artists = [gazu.person.new_person(f"Artist{i}", "Sync", f"artist{i}@sync.example.com",
                                      password=PASSWORD, client=c) for i in (1, 2)]
    project = gazu.project.new_project(PROJECT, client=c)
    for artist in artists:
        gazu.project.add_person_to_team(project, artist, client=c)
    for position, task_type in enumerate((modeling, lighting), 1):
        gazu.project.add_task_type(project, task_type, position, client=c)
    gazu.project.add_task_status(project, review, client=c)
    gazu.project.add_task_status(project, todo, client=c)
    gazu.project.add_asset_type(project, vehicle, client=c)
    car = gazu.asset.new_asset(project, vehicle, "Car", client=c)
    bike = gazu.asset.new_asset(project, vehicle, "Bike", client=c)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=c)
    shots = [gazu.shot.new_shot(project, sequence, f"SH0{i}0", client=c) for i in (1, 2)]
    gazu.casting.update_shot_casting(project, shots[0], [
        {"asset_id": car["id"], "nb_occurences": 2}, {"asset_id": bike["id"],
                                                      "nb_occurences": 1}], client=c)
    tasks = [gazu.task.new_task(car, modeling, task_status=todo, assignees=artists, client=c)]
    tasks += [gazu.task.new_task(shot, lighting, task_status=review, assignees=[artists[1]],
                                 client=c) for shot in shots]
    comments = [gazu.task.add_comment(task, review, f"Note on {task['id'][:8]}", client=c)
                for task in tasks]
    gazu.task.set_time_spent(tasks[0], artists[0], "2024-05-02", 90, client=c)
    gazu.task.set_time_spent(tasks[1], artists[1], "2024-05-03", 30, client=c)
    return dict(client=c, project=project, review=review, todo=todo, lighting=lighting,
                modeling=modeling, vehicle=vehicle, artists=artists, car=car, bike=bike,
                sequence=sequence, shots=shots, tasks=tasks, comments=comments)


def manage(server, *args, **env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**server.env, **env}, timeout=600)


def push(a, b):
    return manage(a, "sync-push", "--target", b.url, "--project", PROJECT, "--batch-size", "2",
                  SYNC_LOGIN=ADMIN, SYNC_PASSWORD=b.admin_password)


def table(output):
    """The count table: collection -> (here, there, check)."""
    rows = [line.split() for line in output.splitlines()[1:] if line.strip()]
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


@pytest.fixture(scope="module")
def pushed(instances, film):
    a, b = instances
    return push(a, b)


def test_push_copies_the_project_with_its_ids(instances, film, pushed):
    a, b = instances
    assert pushed.returncode == 0, pushed.stderr
    counts = table(pushed.stdout)
    assert {name: check for name, (*_, check) in counts.items()} == {
        name: "OK" for name in counts}
    assert counts["tasks"] == ("3", "3", "OK")
    assert counts["comments"] == ("3", "3", "OK")
    assert counts["time-spents"] == ("2", "2", "OK")
    assert counts["entity-links"] == ("2", "2", "OK")
    assert counts["entities"] == ("5", "5", "OK")  # 2 assets, 1 sequence, 2 shots
    # Progress, per collection, on stderr; the settings B had are named.
    assert "tasks: 3 rows" in pushed.stderr and "entities (Sequence): 1 rows" in pushed.stderr
    assert "task-status: 1 copied, 9 already on the target" in pushed.stderr

    b_client = client_of(b)
    project = gazu.project.get_project(film["project"]["id"], client=b_client)
    assert project["name"] == PROJECT
    assert sorted(project["team"]) == sorted(p["id"] for p in film["artists"])
    b_todo = named("task-status", "Todo", b_client)
    assert b_todo["id"] != film["todo"]["id"]
    assert sorted(project["task_statuses"]) == sorted([film["review"]["id"], b_todo["id"]])

    b_tasks = {t["id"]: t for t in gazu.task.all_tasks_for_project(project, client=b_client)}
    assert set(b_tasks) == {t["id"] for t in film["tasks"]}
    car_task, shot_task, _ = film["tasks"]
    assert sorted(b_tasks[car_task["id"]]["assignees"]) == sorted(p["id"] for p in film["artists"])
    assert b_tasks[shot_task["id"]]["assignees"] == [film["artists"][1]["id"]]
    # Commenting set the statuses: the review status kept its id; Modeling
    # is B's own task type of that name.
    assert {t["task_status_id"] for t in b_tasks.values()} == {film["review"]["id"]}
    assert b_tasks[car_task["id"]]["task_type_id"] == named("task-types", "Modeling",
                                                            b_client)["id"]
    assert b_tasks[shot_task["id"]]["task_type_id"] == film["lighting"]["id"]

    comments = gazu.task.all_comments_for_task(car_task, client=b_client)
    assert [(c["id"], c["text"]) for c in comments] == [
        (film["comments"][0]["id"], f"Note on {car_task['id'][:8]}")]
    # A's admin is B's admin (same e-mail): the comment is theirs on B.
    b_admin = gazu.client.get_current_user(client=b_client)
    assert comments[0]["person_id"] == b_admin["id"]

    # People copied across sign in on B with the password they had on A.
    signed = requests.post(f"{b.url}/auth/login", json={
        "email": "artist1@sync.example.com", "password": PASSWORD}, timeout=30)
    assert signed.status_code == 200, signed.text

    casting = gazu.casting.get_shot_casting(film["shots"][0], client=b_client)
    assert sorted((c["asset_id"], c["nb_occurences"]) for c in casting) == sorted(
        [(film["car"]["id"], 2), (film["bike"]["id"], 1)])
    spent = gazu.client.fetch_all("time-spents", {"task_id": car_task["id"]}, client=b_client)
    assert [(s["person_id"], s["date"], s["duration"]) for s in spent] == [
        (film["artists"][0]["id"], "2024-05-02", 90)]
    shot = gazu.shot.get_shot(film["shots"][1]["id"], client=b_client)
    assert (shot["name"], shot["parent_id"]) == ("SH020", film["sequence"]["id"])


def test_a_second_push_updates_without_duplicates(instances, film, pushed):
    a, b = instances
    c = film["client"]
    car_task = film["tasks"][0]
    gazu.task.add_comment(car_task, film["todo"], "Back to work", client=c)
    gazu.client.put(f"data/tasks/{car_task['id']}",
                    {"assignees": [film["artists"][1]["id"]]}, client=c)
    gazu.client.put(f"data/entities/{film['car']['id']}", {"description": "Red"}, client=c)

    again = push(a, b)
    assert again.returncode == 0, again.stderr
    counts = table(again.stdout)
    assert counts["comments"] == ("4", "4", "OK")
    assert counts["tasks"] == ("3", "3", "OK")

    b_client = client_of(b)
    task = gazu.task.get_task(car_task["id"], client=b_client)
    assert task["assignees"] == [film["artists"][1]["id"]]
    assert task["task_status_id"] == named("task-status", "Todo", b_client)["id"]
    texts = [x["text"] for x in gazu.task.all_comments_for_task(car_task, client=b_client)]
    assert sorted(texts) == sorted(["Back to work", f"Note on {car_task['id'][:8]}"])
    assert gazu.asset.get_asset(film["car"]["id"], client=b_client)["description"] == "Red"


def test_full_sync_into_an_empty_database(instances, film, pushed):
    a, _ = instances
    empty = LiveServer(f"atelier_sync_c{settings.SUFFIX}", redis_db=settings.COMPAT_REDIS_DB)
    settings.reset_schema(empty.database_url)
    empty.manage("init-db")

    result = manage(empty, "sync-full", "--source", a.url, "--batch-size", "3",
                    SYNC_LOGIN=ADMIN, SYNC_PASSWORD=a.admin_password)
    assert result.returncode == 0, result.stderr
    counts = table(result.stdout)
    assert all(check == "OK" for *_, check in counts.values()), result.stdout
    assert counts["persons"] == ("3", "3", "OK")
    assert counts["tasks"] == ("3", "3", "OK")

    url = make_url(empty.database_url).set(drivername="postgresql")
    with psycopg2.connect(url.render_as_string(hide_password=False)) as conn, \
            conn.cursor() as cur:
        cur.execute("SELECT id::text, name FROM task ORDER BY id")
        assert cur.fetchall() == sorted((t["id"], t["name"]) for t in film["tasks"])
        cur.execute("SELECT count(*) FROM comment")
        assert cur.fetchone() == (4,)
        cur.execute("SELECT name FROM project")
        assert cur.fetchall() == [(PROJECT,)]


def test_a_wrong_password_stops_before_anything(instances, film):
    a, b = instances
    result = manage(a, "sync-push", "--target", b.url, "--project", PROJECT,
                    SYNC_LOGIN=ADMIN, SYNC_PASSWORD="not-the-password")
    assert result.returncode == 1
    assert "POST /auth/login: 400" in result.stderr or "POST /auth/login: 401" in result.stderr
    missing = manage(a, "sync-push", "--target", b.url, "--project", "No such film",
                     SYNC_LOGIN=ADMIN, SYNC_PASSWORD=b.admin_password)
    assert missing.returncode == 1
    assert "No project is named or has the id 'No such film' here." in missing.stderr
