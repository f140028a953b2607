"""No route of the generic CRUD lets a team member of project A reach the
rows of project B (whose team they are not on), and no list shows a
non-admin the rows of a closed project, even one whose team they are on.

The rows come from the builders of test_crud_permissions.RULES, so every
project-scoped collection is covered as soon as it has a rule there.
"""
import json
import uuid

import pytest

from app.services.collections import COLLECTIONS
from app.services.policies import ProjectData
from tests import factories as f
from tests.test_crud_permissions import (
    POST_ONLY, RULES, World, row_count, sign_in, stored,
)

TEAM_ROLES = ("manager", "supervisor", "user", "client", "vendor")
PROJECT_SCOPED = sorted(name for name, coll in COLLECTIONS.items()
                        if name == "projects" or isinstance(coll.policy, ProjectData))


def test_project_scoped_collections_are_the_expected_ones():
    # A collection that becomes project-scoped must come under these tests.
    assert set(PROJECT_SCOPED) == {
        "projects", "entities", "task-type-links", "task-status-links", "tasks",
        "output-files", "preview-files", "working-files", "attachment-files", "comments",
        "asset-instances", "playlists", "schedule-items", "milestones",
        "metadata-descriptors", "production-schedule-versions",
        "production-schedule-version-task-links",
    }


def _headers(client, project, role):
    return sign_in(client, project, role)[1]


def _refused(response):
    # 404 would do as well as 403: neither says anything about the row.
    assert response.status_code in (403, 404), response.json
    assert response.json["error"] is True


@pytest.mark.parametrize("role", TEAM_ROLES)
@pytest.mark.parametrize("name", [n for n in PROJECT_SCOPED if n not in POST_ONLY])
@pytest.mark.parametrize("verb", ("get", "put", "delete"))
def test_another_projects_row_cannot_be_read_or_written(client, name, role, verb):
    rule, table = RULES[name], COLLECTIONS[name].table
    mine, theirs = f.project(), f.project()
    headers = _headers(client, mine, role)
    row_id = rule.row(World(theirs, None, "delete" if verb == "delete" else "get")).id
    url = f"/data/{name}/{row_id}"
    if verb == "get":
        _refused(client.get(url, headers=headers))
        _refused(client.get(url + "?relations=false", headers=headers))
    elif verb == "put":
        column, = rule.change
        before = stored(table, row_id, column)
        _refused(client.put(url, json=rule.change, headers=headers))
        assert stored(table, row_id, column) == before
    else:
        _refused(client.delete(url, headers=headers))
        assert row_count(table, id=row_id) == 1


@pytest.mark.parametrize("role", TEAM_ROLES)
@pytest.mark.parametrize("name", [n for n in PROJECT_SCOPED if n != "projects"])
def test_rows_cannot_be_created_in_another_project(client, name, role):
    table = COLLECTIONS[name].table
    mine, theirs = f.project(), f.project()
    headers = _headers(client, mine, role)
    payload = RULES[name].payload(World(theirs, None, "create"))
    before = row_count(table)
    _refused(client.post(f"/data/{name}", json=payload, headers=headers))
    assert row_count(table) == before


def _list_queries(name, row_a, row_b, row_closed, world):
    """Every shape of list request, each with whether its filter keeps A's row."""
    b, c = str(row_b.id), str(row_closed.id)
    queries = [
        ("", True),
        (f"id={b}", False),
        (f"id={c}", False),
        ("id=" + json.dumps([b, c, str(row_a.id)]), True),
        ("relations=true", True),
        ("fields=id", True),
        ("page=1&limit=2", True),
        ("page=2&limit=1", True),
        (f"page=1&id={b}", False),
        ("page=-1", True),
    ]
    if "project_id" in COLLECTIONS[name].table.c:
        other = [str(world["theirs"].id), str(world["closed"].id)]
        queries += [(f"project_id={p}", False) for p in other]
        queries.append(("project_id=" + json.dumps([str(world["mine"].id)] + other), True))
    return queries


@pytest.mark.parametrize("role", TEAM_ROLES)
@pytest.mark.parametrize("name", [n for n in PROJECT_SCOPED if n not in POST_ONLY])
def test_lists_show_neither_other_projects_nor_closed_ones(client, name, role):
    rule = RULES[name]
    world = {"mine": f.project(), "theirs": f.project(), "closed": f.project()}
    caller, headers = sign_in(client, world["mine"], role)
    # On the closed production's team too: membership is not what hides it.
    f.join_team(world["closed"], caller)
    row_a = rule.row(World(world["mine"], caller, "list"))
    row_b = rule.row(World(world["theirs"], None, "list"))
    row_closed = rule.row(World(world["closed"], caller, "list"))
    f.close(world["closed"])
    a = str(row_a.id)
    visible_a = None
    for query, keeps_a in _list_queries(name, row_a, row_b, row_closed, world):
        response = client.get(f"/data/{name}?{query}", headers=headers)
        if role in rule.list_refused:
            assert response.status_code == 403, query
            continue
        assert response.status_code == 200, (query, response.json)
        body = response.json
        paged = isinstance(body, dict)
        ids = {r["id"] for r in (body["data"] if paged else body)}
        if visible_a is None:
            # The plain list tells whether the role reads A's row at all
            # (test_crud_permissions says who should); B's and C's never.
            visible_a = a in ids
            assert visible_a or role != "manager"
        shown = visible_a and keeps_a
        assert ids == ({a} if shown and "page=2" not in query else set()), query
        if paged:
            # Counted over what the caller may see: the total is no side channel.
            assert (body["total"], body["nb_pages"]) == (int(shown), int(shown)), query


def test_admins_list_every_project_open_or_closed(client):
    _, headers = f.signed_in(client, role="admin")
    open_, closed = f.project(), f.close(f.project())
    rows = [f.task(open_), f.task(closed)]
    listed = {t["id"] for t in client.get("/data/tasks", headers=headers).json}
    assert {str(t.id) for t in rows} <= listed
    projects = {p["id"] for p in client.get("/data/projects", headers=headers).json}
    assert {str(open_.id), str(closed.id)} <= projects


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_a_closed_projects_team_does_not_list_it(client, role):
    project = f.project()
    headers = _headers(client, project, role)
    f.close(project)
    assert client.get("/data/projects", headers=headers).json == []
    assert client.get(f"/data/projects?id={project.id}", headers=headers).json == []


# Person columns a non-admin does not see cannot be filtered on: a filter
# would tell them the hidden value one guess at a time.


@pytest.mark.parametrize("role,column,value,status", [
    ("supervisor", "email", "{email}", 400),
    ("user", "email", "{email}", 400),
    ("client", "email", "{email}", 400),
    ("vendor", "email", "{email}", 400),
    ("bot", "email", "{email}", 400),
    ("user", "phone", "+3312345", 400),
    ("user", "daily_salary", "300", 400),
    ("vendor", "contract_type", "freelance", 400),
    ("client", "desktop_login", "jdoe", 400),
    ("client", "studio_id", str(uuid.UUID(int=1)), 400),
    ("manager", "email", "{email}", 200),
    ("admin", "email", "{email}", 200),
    ("admin", "daily_salary", "300", 200),
    # Secrets are hidden from everyone, admins included.
    ("admin", "password", "x", 400),
    ("admin", "totp_secret", "x", 400),
])
def test_person_filters_on_hidden_columns_are_refused(client, role, column, value, status):
    project = f.project()
    headers = _headers(client, project, role)
    target = f.member(project, daily_salary=300, phone="+3312345", contract_type="freelance",
                      desktop_login="jdoe")
    value = value.format(email=target.email)
    response = client.get(f"/data/persons?{column}={value}", headers=headers)
    assert response.status_code == status, response.json
    if status == 200:
        assert [p["id"] for p in response.json] == [str(target.id)]
    else:
        assert column in response.json["message"]
