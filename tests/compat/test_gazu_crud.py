"""gazu 1.3.1's raw client (gazu.client) and the helpers built on it
against the generic /data routes of a real server: what pipeline scripts
do to read reference data, look people up and keep studio lists in sync.

The compat server is shared by the whole session and never rolled back,
so every row made here has a name of its own.
"""
import json
import math
import uuid

import gazu
import pytest
from gazu.exception import NotAllowedException, ParameterException, RouteNotFoundException

from tests.compat.conftest import ADMIN

# Task types and statuses `manage.py setup` seeds (3d domain).
SEEDED_TASK_TYPES = {"Modeling", "Shading", "Rigging", "Layout", "Animation", "Lighting",
                     "Compositing", "Storyboard", "Concept", "Edit", "FX", "Rendering"}
SEEDED_STATUSES = {"Todo", "Work In Progress", "Waiting For Approval", "Retake", "Done"}


def _unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


@pytest.fixture
def admin(server, gazu_client):
    gazu.log_in(ADMIN, server.admin_password, client=gazu_client)
    return gazu_client


def test_fetch_all_task_types(admin):
    task_types = gazu.client.fetch_all("task-types", client=admin)
    assert SEEDED_TASK_TYPES <= {t["name"] for t in task_types}
    assert {t["type"] for t in task_types} == {"TaskType"}
    assert len({t["id"] for t in task_types}) == len(task_types)


@pytest.mark.parametrize("params,names", [
    # name= matches case-insensitively, as Zou's ILIKE does.
    ({"name": "modeling"}, {"Modeling"}),
    ({"name": "MODELING", "for_entity": "Asset"}, {"Modeling"}),
    ({"name": "modeling", "for_entity": "Shot"}, set()),
    ({"for_entity": "Edit"}, {"Edit"}),
])
def test_fetch_all_with_filters(admin, params, names):
    found = gazu.client.fetch_all("task-types", params=params, client=admin)
    assert {t["name"] for t in found} == names
    assert len(found) == len(names)


def test_fetch_all_with_a_json_list_filter(admin):
    every = {t["name"]: t["id"] for t in gazu.client.fetch_all("task-types", client=admin)}
    wanted = [every["Modeling"], every["Rigging"]]
    found = gazu.client.fetch_all("task-types", params={"id": json.dumps(wanted)}, client=admin)
    assert sorted(t["id"] for t in found) == sorted(wanted)


def test_fetch_all_page_by_page_gives_the_whole_list(admin):
    whole = gazu.client.fetch_all("task-types", client=admin)
    paged = gazu.client.fetch_all("task-types", paginated=True, limit=3, client=admin)
    assert len(whole) > 3
    assert sorted(t["id"] for t in paged) == sorted(t["id"] for t in whole)


def test_fetch_all_with_fields(admin):
    found = gazu.client.fetch_all("task-types", params={"name": "modeling"},
                                  fields=["name", "for_entity"], client=admin)
    assert [(set(t), t["name"], t["for_entity"]) for t in found] == [
        ({"id", "type", "name", "for_entity"}, "Modeling", "Asset")]


def test_fetch_first_and_fetch_one(admin):
    first = gazu.client.fetch_first("task-types", {"name": "modeling"}, client=admin)
    assert first["name"] == "Modeling"
    assert gazu.client.fetch_first("task-types", {"name": "no such type"}, client=admin) is None
    one = gazu.client.fetch_one("task-types", first["id"], client=admin)
    assert (one["id"], one["name"], one["type"]) == (first["id"], "Modeling", "TaskType")
    with pytest.raises(RouteNotFoundException):
        gazu.client.fetch_one("task-types", str(uuid.uuid4()), client=admin)
    with pytest.raises(ParameterException):
        gazu.client.fetch_one("task-types", "not-an-id", client=admin)


def test_create_update_delete_a_studio(admin):
    name = _unique("Studio")
    created = gazu.client.create("studios", {"name": name, "color": "#112233"}, client=admin)
    assert (created["name"], created["color"], created["type"]) == (name, "#112233", "Studio")
    studio_id = created["id"]
    updated = gazu.client.update("studios", studio_id, {"color": "#445566"}, client=admin)
    assert (updated["id"], updated["color"]) == (studio_id, "#445566")
    assert gazu.client.fetch_one("studios", studio_id, client=admin)["color"] == "#445566"
    assert gazu.client.delete(f"data/studios/{studio_id}", client=admin) == ""
    with pytest.raises(RouteNotFoundException):
        gazu.client.fetch_one("studios", studio_id, client=admin)


def test_a_duplicate_studio_is_a_parameter_error(admin):
    name = _unique("Studio")
    gazu.client.create("studios", {"name": name, "color": "#112233"}, client=admin)
    with pytest.raises(ParameterException):
        gazu.client.create("studios", {"name": name, "color": "#112233"}, client=admin)


def test_raw_requests_on_data_routes_with_pages(admin):
    names = [_unique("Paged studio") for _ in range(3)]
    made = [gazu.client.post("data/studios", {"name": n, "color": "#000000"}, client=admin)
            for n in names]
    whole = gazu.client.get("data/studios", client=admin)
    total = len(whole)
    page = gazu.client.get("data/studios", params={"page": 2, "limit": 2}, client=admin)
    assert set(page) == {"data", "total", "nb_pages", "limit", "offset", "page"}
    assert (page["total"], page["nb_pages"], page["limit"], page["offset"], page["page"]) == (
        total, math.ceil(total / 2), 2, 2, 2)
    assert len(page["data"]) == min(2, total - 2)
    changed = gazu.client.put(f"data/studios/{made[0]['id']}", {"archived": True},
                              client=admin)
    assert (changed["id"], changed["archived"]) == (made[0]["id"], True)
    archived = gazu.client.get("data/studios", params={"archived": "true", "page": 1},
                               client=admin)
    assert made[0]["id"] in {s["id"] for s in archived["data"]}
    assert archived["total"] == len(archived["data"]) < total
    for studio in made:
        gazu.client.delete(f"data/studios/{studio['id']}", client=admin)
    left = {s["id"] for s in gazu.client.get("data/studios", client=admin)}
    assert not left & {s["id"] for s in made}
    assert len(left) == total - 3


def test_persons_through_gazu(admin):
    everyone = gazu.person.all_persons(client=admin)
    assert [p["email"] for p in everyone].count(ADMIN) == 1
    assert {p["type"] for p in everyone} == {"Person"}
    me = gazu.person.get_person_by_email(ADMIN, client=admin)
    assert (me["email"], me["role"]) == (ADMIN, "admin")
    assert gazu.person.get_person_by_email("nobody@example.com", client=admin) is None

    email = f"{uuid.uuid4().hex[:8]}@studio.example.com"
    created = gazu.person.new_person("Ada", "Lovelace", email, role="supervisor",
                                     desktop_login="ada", client=admin)
    assert (created["email"], created["role"], created["desktop_login"]) == (
        email, "supervisor", "ada")
    # Run again, new_person finds the person by e-mail instead of a duplicate.
    again = gazu.person.new_person("Ada", "Lovelace", email, client=admin)
    assert again["id"] == created["id"]
    assert gazu.person.get_person(created["id"], client=admin)["email"] == email
    assert gazu.person.get_person_by_email(email.upper(), client=admin)["id"] == created["id"]


def test_task_types_and_statuses_through_gazu(admin):
    task_types = gazu.task.all_task_types(client=admin)
    assert SEEDED_TASK_TYPES <= {t["name"] for t in task_types}
    assert [t["name"].lower() for t in task_types] == sorted(t["name"].lower()
                                                             for t in task_types)
    statuses = gazu.task.all_task_statuses(client=admin)
    assert SEEDED_STATUSES <= {s["name"] for s in statuses}
    todo = gazu.task.get_task_status_by_name("todo", client=admin)
    assert (todo["name"], todo["short_name"], todo["type"]) == ("Todo", "todo", "TaskStatus")
    assert gazu.task.get_task_status(todo["id"], client=admin)["id"] == todo["id"]
    modeling = gazu.task.get_task_type_by_name("Modeling", client=admin)
    assert (modeling["name"], modeling["for_entity"]) == ("Modeling", "Asset")


def test_an_artist_reads_reference_data_but_cannot_write_it(server, admin):
    email = f"{uuid.uuid4().hex[:8]}@studio.example.com"
    gazu.person.new_person("Art", "Ist", email, client=admin)
    server.manage("change-password", email, "--password", "artist-password-1")
    artist = gazu.client.create_client(server.url)
    gazu.log_in(email, "artist-password-1", client=artist)
    assert gazu.task.get_task_status_by_name("Todo", client=artist)["short_name"] == "todo"
    with pytest.raises(NotAllowedException):
        gazu.client.create("studios", {"name": _unique("Studio"), "color": "#000000"},
                           client=artist)
    with pytest.raises(NotAllowedException):
        gazu.client.fetch_all("events", client=artist)
