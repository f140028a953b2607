"""Saved filters and filter groups (behaviours.md row 23): personal, shared
with a project's team by its managers, grouped by list type and project."""
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.person import DepartmentLink
from app.models.search_filter import SearchFilter
from tests import factories as f

FILTERS, GROUPS = "/data/user/filters", "/data/user/filter-groups"


def new_filter(client, headers, status=201, **body):
    body = {"name": "Heroes", "query": "hero", "list_type": "asset", **body}
    response = client.post(FILTERS, headers=headers, json=body)
    assert response.status_code == status, response.json
    return response.json


def new_group(client, headers, status=201, **body):
    response = client.post(GROUPS, headers=headers, json={"name": "Mine", **body})
    assert response.status_code == status, response.json
    return response.json


def listed(client, headers, url=FILTERS):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return {row["id"] for by_project in response.json.values()
            for rows in by_project.values() for row in rows}


def test_create_and_list_grouped_by_list_type_and_project(client):
    artist, headers = f.signed_in(client, "user")
    project = f.project(team=[artist])
    general = new_filter(client, headers, list_type="todo", project_id=None)
    scoped = new_filter(client, headers, project_id=str(project.id), entity_type="Asset")
    assert scoped["type"] == "SearchFilter"
    assert (scoped["search_query"], scoped["person_id"], scoped["is_shared"],
            scoped["entity_type"]) == ("hero", str(artist.id), False, "Asset")
    response = client.get(FILTERS, headers=headers)
    assert response.json == {"todo": {"all": [general]},
                             "asset": {str(project.id): [scoped]}}
    assert new_filter(client, headers, list_type=None, status=400)
    assert new_group(client, headers)["list_type"] == "todo"


@pytest.mark.parametrize("body,message", [
    ({"query": "x"}, "'name' is required"),
    ({"name": "x"}, "'query' is required"),
    ({"name": "", "query": "x"}, "'name' cannot be empty"),
    ({"name": "x", "query": "x", "project_id": "nope"}, "'project_id'"),
    ({"name": "x", "query": "x", "project_id": str(uuid.uuid4())}, "No project"),
    ({"name": "x", "query": "x", "department_id": str(uuid.uuid4())}, "No department"),
    ({"name": "x", "query": "x", "is_shared": "maybe"}, "'is_shared'"),
])
def test_bad_filters_are_refused(client, body, message):
    _, headers = f.signed_in(client, "user")
    response = client.post(FILTERS, headers=headers, json=body)
    assert response.status_code == 400 and message in response.json["message"]


def test_filters_only_on_projects_of_ones_team(client):
    _, headers = f.signed_in(client, "user")
    response = client.post(FILTERS, headers=headers, json={
        "name": "x", "query": "x", "project_id": str(f.project().id)})
    assert response.status_code == 403


def test_private_filters_stay_private(client):
    artist, headers = f.signed_in(client, "user")
    project = f.project(team=[artist])
    mine = new_filter(client, headers, project_id=str(project.id))
    colleague = f.member(project)
    assert mine["id"] not in listed(client, f.bearer(f.login(client, colleague.email).json[
        "access_token"]))


def test_managers_share_with_their_team_only(client):
    project = f.project()
    manager, headers = f.on_team(client, project, "manager")
    teammate_headers = f.on_team(client, project, "user")[1]
    outsider_headers = f.signed_in(client, "user")[1]
    shared = new_filter(client, headers, project_id=str(project.id), is_shared=True)
    assert shared["is_shared"] is True
    assert shared["id"] in listed(client, teammate_headers)
    assert shared["id"] not in listed(client, outsider_headers)
    # Others see it, but it stays the manager's: they can't change it.
    response = client.put(f"{FILTERS}/{shared['id']}", headers=teammate_headers,
                          json={"name": "Mine now"})
    assert response.status_code == 404


def test_sharing_needs_manager_access_in_the_project(client):
    project = f.project()
    _, artist = f.on_team(client, project, "user")
    kept_private = new_filter(client, artist, project_id=str(project.id), is_shared=True)
    assert kept_private["is_shared"] is False
    no_project = new_filter(client, f.signed_in(client, "manager")[1], is_shared=True)
    assert no_project["is_shared"] is False
    # The same refusal on an update.
    response = client.put(f"{FILTERS}/{kept_private['id']}", headers=artist,
                          json={"is_shared": True})
    assert response.json["is_shared"] is False
    # A per-project manager role is enough.
    person = f.member(project, role="user", project_role="manager")
    headers = f.bearer(f.login(client, person.email).json["access_token"])
    assert new_filter(client, headers, project_id=str(project.id),
                      is_shared=True)["is_shared"] is True
    mine = new_filter(client, headers, project_id=str(project.id))
    response = client.put(f"{FILTERS}/{mine['id']}", headers=headers, json={"is_shared": True})
    assert response.json["is_shared"] is True


def test_department_filters_show_to_the_department_and_managers(client):
    project = f.project()
    department = f.department()
    _, manager = f.on_team(client, project, "manager")
    member, member_headers = f.on_team(client, project, "supervisor")
    db.session.add(DepartmentLink(person_id=member.id, department_id=department.id))
    db.session.commit()
    _, other_headers = f.on_team(client, project, "supervisor")
    shared = new_filter(client, manager, project_id=str(project.id), is_shared=True,
                        department_id=str(department.id))
    assert shared["id"] in listed(client, member_headers)
    assert shared["id"] not in listed(client, other_headers)
    assert shared["id"] in listed(client, manager)


def test_filters_of_closed_projects_are_not_listed(client):
    artist, headers = f.signed_in(client, "user")
    project = f.project(team=[artist])
    mine = new_filter(client, headers, project_id=str(project.id))
    f.close(project)
    assert mine["id"] not in listed(client, headers)


def test_update_and_delete_own_filters_only(client):
    _, headers = f.signed_in(client, "user")
    _, other = f.signed_in(client, "user")
    mine = new_filter(client, headers)
    url = f"{FILTERS}/{mine['id']}"
    response = client.put(url, headers=headers, json={
        **mine, "name": "Villains", "search_query": "villain", "list_type": "shot"})
    assert (response.status_code, response.json["name"], response.json["search_query"],
            response.json["list_type"]) == (200, "Villains", "villain", "asset")
    assert client.put(url, headers=other, json={"name": "x"}).status_code == 404
    assert client.delete(url, headers=other).status_code == 404
    assert client.put(url, headers=headers, json={"name": ""}).status_code == 400
    assert client.put(f"{FILTERS}/nope", headers=headers, json={}).status_code == 400
    assert client.delete(url, headers=headers).status_code == 204
    assert db.session.get(SearchFilter, uuid.UUID(mine["id"])) is None
    assert client.delete(url, headers=headers).status_code == 404


def test_admins_change_anyones_filters(client):
    _, headers = f.signed_in(client, "user")
    _, admin = f.signed_in(client, "admin")
    mine = new_filter(client, headers)
    response = client.put(f"{FILTERS}/{mine['id']}", headers=admin, json={"name": "Fixed"})
    assert response.json["name"] == "Fixed"
    assert client.delete(f"{FILTERS}/{mine['id']}", headers=admin).status_code == 204


def test_moving_a_filter_to_another_project_needs_access_to_it(client):
    artist, headers = f.signed_in(client, "user")
    mine = new_filter(client, headers, project_id=str(f.project(team=[artist]).id))
    response = client.put(f"{FILTERS}/{mine['id']}", headers=headers,
                          json={"project_id": str(f.project().id)})
    assert response.status_code == 403


def test_a_filter_is_shared_exactly_when_its_group_is(client):
    project = f.project()
    _, manager = f.on_team(client, project, "manager")
    _, teammate = f.on_team(client, project, "user")
    group = new_group(client, manager, project_id=str(project.id), is_shared=True,
                      color="#ff0000", list_type="asset")
    assert (group["type"], group["is_shared"], group["color"]) == (
        "SearchFilterGroup", True, "#ff0000")
    response = client.post(FILTERS, headers=manager, json={
        "name": "x", "query": "x", "project_id": str(project.id),
        "search_filter_group_id": group["id"]})
    assert response.status_code == 400 and "is_shared" in response.json["message"]
    filed = new_filter(client, manager, project_id=str(project.id), is_shared=True,
                       search_filter_group_id=group["id"])
    assert filed["id"] in listed(client, teammate)
    assert group["id"] in listed(client, teammate, GROUPS)
    # Unsharing the group unshares its filters.
    response = client.put(f"{GROUPS}/{group['id']}", headers=manager,
                          json={"is_shared": False, "name": "Private"})
    assert (response.json["is_shared"], response.json["name"]) == (False, "Private")
    assert filed["id"] not in listed(client, teammate)
    assert db.session.scalar(select(SearchFilter.is_shared).where(
        SearchFilter.id == uuid.UUID(filed["id"]))) is False
    # A filter leaves its group with a null group id.
    response = client.put(f"{FILTERS}/{filed['id']}", headers=manager,
                          json={"search_filter_group_id": None})
    assert response.json["search_filter_group_id"] is None


def test_unknown_group_is_refused(client):
    _, headers = f.signed_in(client, "user")
    response = client.post(FILTERS, headers=headers, json={
        "name": "x", "query": "x", "search_filter_group_id": str(uuid.uuid4())})
    assert response.status_code == 404


def test_groups_read_by_id_and_deleted_with_their_filters(client):
    project = f.project()
    _, manager = f.on_team(client, project, "manager")
    _, teammate = f.on_team(client, project, "user")
    outsider = f.signed_in(client, "user")[1]
    shared = new_group(client, manager, project_id=str(project.id), is_shared=True)
    private = new_group(client, manager, project_id=str(project.id))
    filed = new_filter(client, manager, search_filter_group_id=private["id"],
                       project_id=str(project.id))
    assert client.get(f"{GROUPS}/{shared['id']}", headers=teammate).json == shared
    assert client.get(f"{GROUPS}/{private['id']}", headers=teammate).status_code == 404
    assert client.get(f"{GROUPS}/{shared['id']}", headers=outsider).status_code == 404
    assert client.get(f"{GROUPS}/{private['id']}", headers=manager).json == private
    assert client.delete(f"{GROUPS}/{shared['id']}", headers=teammate).status_code == 404
    assert client.delete(f"{GROUPS}/{private['id']}", headers=manager).status_code == 204
    assert db.session.get(SearchFilter, uuid.UUID(filed["id"])) is None


def test_groups_list_newest_first(client):
    _, headers = f.signed_in(client, "user")
    first, second = new_group(client, headers), new_group(client, headers)
    assert client.get(GROUPS, headers=headers).json == {"todo": {"all": [second, first]}}


def test_a_shared_filter_moved_to_a_project_one_does_not_manage_is_unshared(client):
    managed, other = f.project(), f.project()
    manager, headers = f.on_team(client, managed, "manager")
    f.join_team(other, manager, "user")
    shared = new_filter(client, headers, project_id=str(managed.id), is_shared=True)
    response = client.put(f"{FILTERS}/{shared['id']}", headers=headers,
                          json={**shared, "name": "Renamed"})
    assert (response.json["name"], response.json["is_shared"]) == ("Renamed", True)
    response = client.put(f"{FILTERS}/{shared['id']}", headers=headers,
                          json={"project_id": str(other.id)})
    assert (response.json["project_id"], response.json["is_shared"]) == (str(other.id), False)


def test_groups_belong_to_their_owner(client):
    _, headers = f.signed_in(client, "user")
    _, other = f.signed_in(client, "supervisor")
    _, admin = f.signed_in(client, "admin")
    group = new_group(client, headers)
    url = f"{GROUPS}/{group['id']}"
    assert client.put(url, headers=other, json={"name": "Mine"}).status_code == 404
    assert client.delete(url, headers=other).status_code == 404
    assert client.get(url, headers=other).status_code == 404
    assert client.get(f"{GROUPS}/nope", headers=headers).status_code == 400
    assert client.put(url, headers=headers, json={"color": "#123456789"}).status_code == 400
    assert client.put(url, headers=admin, json={"name": "Tidied"}).json["name"] == "Tidied"
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert new_group(client, headers, status=400, name="")["message"]
