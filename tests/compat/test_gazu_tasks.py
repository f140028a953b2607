"""gazu 1.3.1's gazu.task calls that make, assign and remove tasks, against
a real server: what a pipeline script does to staff a production."""
import gazu
import pytest
from gazu.exception import RouteNotFoundException

from tests.compat.conftest import unique


@pytest.fixture
def production(admin):
    """A project with a sequence of two shots, the Layout task type and an artist."""
    project = gazu.project.new_project(unique("Staffing"), client=admin)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=admin)
    shots = [gazu.shot.new_shot(project, sequence, name, client=admin)
             for name in ("SH010", "SH020")]
    layout = gazu.task.get_task_type_by_name("Layout", client=admin)
    artist = gazu.person.new_person(unique("Art"), "Ist",
                                    f"{unique('t').replace(' ', '')}@studio.example.com",
                                    client=admin)
    return project, shots, layout, artist


def test_statuses_are_found_by_name(admin):
    todo = gazu.task.get_task_status_by_name("Todo", client=admin)
    assert (todo["type"], todo["short_name"]) == ("TaskStatus", "todo")
    assert todo["id"] in {s["id"] for s in gazu.task.all_task_statuses(client=admin)}
    assert gazu.task.get_task_status_by_short_name("todo", client=admin)["id"] == todo["id"]
    assert gazu.task.get_task_status_by_name("No such status", client=admin) is None


def test_new_task_is_made_once_and_found_by_entity(admin, production):
    project, shots, layout, artist = production
    todo = gazu.task.get_task_status_by_name("Todo", client=admin)
    task = gazu.task.new_task(shots[0], layout, task_status=todo, assignees=[artist],
                              client=admin)
    assert (task["type"], task["name"], task["entity_id"], task["task_status_id"]) == (
        "Task", "main", shots[0]["id"], todo["id"])
    assert gazu.task.new_task(shots[0], layout, task_status=todo,
                              client=admin)["id"] == task["id"]
    assert gazu.task.get_task_by_entity(shots[0], layout, client=admin)["id"] == task["id"]
    assert [t["id"] for t in gazu.task.all_tasks_for_shot(shots[0], client=admin)] == [
        task["id"]]


def test_assigning_and_clearing(admin, production):
    project, shots, layout, artist = production
    todo = gazu.task.get_task_status_by_name("Todo", client=admin)
    first, second = (gazu.task.new_task(shot, layout, task_status=todo, client=admin)
                     for shot in shots)
    [assigned] = gazu.task.assign_task(first, artist, client=admin)
    assert (assigned["id"], assigned["assignees"]) == (first["id"], [artist["id"]])
    both = gazu.task.assign_tasks_to_person([first, second], artist, client=admin)
    assert [t["id"] for t in both] == [first["id"], second["id"]]
    team = gazu.project.get_project(project["id"], client=admin)["team"]
    assert artist["id"] in team
    cleared = gazu.task.clear_assignations([first, second], artist, client=admin)
    assert cleared == [first["id"], second["id"]]
    fetched = gazu.client.fetch_one("tasks", first["id"], client=admin)
    assert fetched["assignees"] == []
    assert gazu.task.clear_assignations([], client=admin) == []


def test_removing_tasks(admin, production):
    project, shots, layout, artist = production
    todo = gazu.task.get_task_status_by_name("Todo", client=admin)
    task = gazu.task.new_task(shots[0], layout, task_status=todo, client=admin)
    gazu.task.add_comment(task, todo, "Ready to start", client=admin)
    gazu.task.remove_task(task, client=admin)
    with pytest.raises(RouteNotFoundException):
        gazu.client.fetch_one("tasks", task["id"], client=admin)

    batch = [gazu.task.new_task(shot, layout, task_status=todo, client=admin)
             for shot in shots]
    response = gazu.task.remove_tasks_batch(project, batch, client=admin)
    assert sorted(response) == sorted(t["id"] for t in batch)
    assert gazu.task.all_tasks_for_shot(shots[0], client=admin) == []

    for shot in shots:
        gazu.task.new_task(shot, layout, task_status=todo, client=admin)
    gazu.task.remove_tasks_for_type(project, layout, client=admin)
    assert all(gazu.task.all_tasks_for_shot(shot, client=admin) == [] for shot in shots)


def test_get_task_gives_the_full_task(admin, production):
    _, shots, layout, artist = production
    todo = gazu.task.get_task_status_by_name("Todo", client=admin)
    task = gazu.task.new_task(shots[1], layout, task_status=todo, assignees=[artist],
                              client=admin)
    full = gazu.task.get_task(task, client=admin)
    assert (full["id"], full["entity"]["id"], full["task_type"]["id"]) == (
        task["id"], shots[1]["id"], layout["id"])
