"""GET /data/user/context (behaviours.md row 23): what the web app loads at
start-up, narrowed to the caller's role."""
from app.extensions import db
from app.models.events import Notification
from app.models.person import DepartmentLink
from app.models.settings import CustomAction, Plugin, StatusAutomation
from tests import factories as f
from tests.test_descriptors import statements

KEYS = {"asset_types", "custom_actions", "status_automations", "departments", "studios",
        "notification_count", "persons", "project_status", "project_roles", "projects",
        "task_types", "task_status", "search_filters", "search_filter_groups",
        "preview_background_files", "plugins"}


def context(client, headers):
    response = client.get("/data/user/context", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def by_id(rows):
    return {row["id"]: row for row in rows}


def notify(person, author, read=False):
    return f.row(Notification, person_id=person.id, author_id=author.id, type="comment",
                 read=read, change=False)


def test_admin_gets_everything_and_the_user_limit(client, app):
    admin, headers = f.signed_in(client, "admin")
    open_project, closed = f.project(), f.close(f.project())
    custom = f.row(CustomAction, name=f.unique("Action"), url="http://hook.example")
    plugin = f.row(Plugin, plugin_id=f.unique("plugin"), name="Board", version="1.0.0",
                   maintainer_name="Studio", license="MIT")
    data = context(client, headers)
    assert set(data) == KEYS | {"user_limit"}
    assert data["user_limit"] == app.config["USER_LIMIT"]
    projects = by_id(data["projects"])
    assert str(open_project.id) in projects and str(closed.id) not in projects
    project = projects[str(open_project.id)]
    assert {"descriptors", "task_type_links", "task_statuses_link", "team",
            "task_types"} <= set(project)
    assert data["project_roles"] == {}
    me = by_id(data["persons"])[str(admin.id)]
    assert me["email"] == admin.email and me["full_name"] == f"{admin.first_name} " \
        f"{admin.last_name}" and me["departments"] == []
    assert "password" not in me
    assert str(custom.id) in by_id(data["custom_actions"])
    assert data["plugins"] == [{
        "id": str(plugin.id), "plugin_id": plugin.plugin_id, "name": "Board",
        "description": None, "version": "1.0.0", "maintainer_name": "Studio",
        "maintainer_email": None, "frontend_project_enabled": False,
        "frontend_studio_enabled": False, "icon": None}]
    names = {row["name"] for row in data["task_status"]}
    assert "Todo" in names
    assert {row["type"] for row in data["asset_types"]} == {"AssetType"}
    assert {row["name"] for row in data["project_status"]} >= {"Open", "Closed"}


def test_artist_sees_team_projects_minimal_persons_and_unread_count(client):
    artist, headers = f.signed_in(client, "user")
    department = f.department()
    db.session.add(DepartmentLink(person_id=artist.id, department_id=department.id))
    db.session.commit()
    mine, other = f.project(team=[artist]), f.project()
    author = f.person()
    notify(artist, author), notify(artist, author), notify(artist, author, read=True)
    notify(author, artist)
    data = context(client, headers)
    assert set(data) == KEYS
    assert [p["id"] for p in data["projects"]] == [str(mine.id)]
    assert data["notification_count"] == 2
    persons = by_id(data["persons"])
    assert set(persons[str(artist.id)]) == {
        "id", "type", "first_name", "last_name", "full_name", "has_avatar", "active",
        "departments", "studio_id", "role", "desktop_login", "is_bot"}
    assert persons[str(artist.id)]["departments"] == [str(department.id)]
    assert str(author.id) in persons and str(other.id) not in persons


def test_manager_sees_person_records(client):
    _, headers = f.signed_in(client, "manager")
    someone = f.person()
    person = by_id(context(client, headers)["persons"])[str(someone.id)]
    assert person["email"] == someone.email and person["contract_type"] == "open-ended"


def test_guests_and_preview_accounts_are_not_listed(client):
    _, headers = f.signed_in(client, "admin")
    guest = f.person(role="client", is_guest=True)
    project = f.project()
    preview = f.person(role="client", preview_project_id=project.id)
    ids = set(by_id(context(client, headers)["persons"]))
    assert str(guest.id) not in ids and str(preview.id) not in ids


def test_client_meets_only_their_productions_people(client):
    customer, headers = f.signed_in(client, "client")
    colleague, stranger = f.person(), f.person()
    project = f.project(team=[customer, colleague])
    public = f.metadata_descriptor(project, for_client=True)
    internal = f.metadata_descriptor(project)
    data = context(client, headers)
    persons = by_id(data["persons"])
    assert set(persons) == {str(customer.id), str(colleague.id)}
    assert set(persons[str(colleague.id)]) == {
        "id", "type", "first_name", "last_name", "full_name", "has_avatar", "active",
        "role", "is_bot"}
    descriptors = {d["id"] for d in data["projects"][0]["descriptors"]}
    assert descriptors == {str(public.id)} and str(internal.id) not in descriptors


def test_vendor_gets_their_departments_descriptors_and_no_custom_actions(client):
    vendor, headers = f.signed_in(client, "vendor")
    own, foreign = f.department(), f.department()
    db.session.add(DepartmentLink(person_id=vendor.id, department_id=own.id))
    db.session.commit()
    project = f.project(team=[vendor])
    theirs = f.metadata_descriptor(project, departments=[own])
    others = f.metadata_descriptor(project, departments=[foreign])
    anyone = f.metadata_descriptor(project)
    f.row(CustomAction, name=f.unique("Action"), url="http://hook.example")
    f.row(StatusAutomation, entity_type="asset", out_field_type="status")
    data = context(client, headers)
    descriptors = {d["id"] for d in data["projects"][0]["descriptors"]}
    assert descriptors == {str(theirs.id), str(anyone.id)}
    assert str(others.id) not in descriptors
    assert data["custom_actions"] == [] and data["status_automations"] == []


def test_per_project_role_is_listed_and_narrows_that_project(client):
    artist, headers = f.signed_in(client, "user")
    as_client = f.project(team=[(artist, "client")])
    as_artist = f.project(team=[artist])
    internal = f.metadata_descriptor(as_client)
    kept = f.metadata_descriptor(as_artist)
    closed = f.close(f.project(team=[(artist, "supervisor")]))
    data = context(client, headers)
    assert data["project_roles"] == {str(as_client.id): "client",
                                     str(closed.id): "supervisor"}
    projects = by_id(data["projects"])
    assert projects[str(as_client.id)]["descriptors"] == []
    assert [d["id"] for d in projects[str(as_artist.id)]["descriptors"]] == [str(kept.id)]


def test_filters_are_the_callers_own(client):
    artist, headers = f.signed_in(client, "user")
    project = f.project(team=[artist])
    response = client.post("/data/user/filters", headers=headers, json={
        "name": "Heroes", "query": "hero", "list_type": "asset",
        "project_id": str(project.id)})
    assert response.status_code == 201
    group = client.post("/data/user/filter-groups", headers=headers,
                        json={"name": "Mine"}).json
    data = context(client, headers)
    assert data["search_filters"] == {"asset": {str(project.id): [response.json]}}
    assert data["search_filter_groups"] == {"todo": {"all": [group]}}


def test_query_count_does_not_grow_with_projects(client):
    manager, headers = f.signed_in(client, "manager")

    def count():
        with statements() as sent:
            context(client, headers)
        return len(sent)

    for _ in range(2):
        project = f.project(team=[manager])
        f.metadata_descriptor(project)
    few = count()
    for _ in range(5):
        project = f.project(team=[manager])
        f.metadata_descriptor(project)
    assert count() == few
