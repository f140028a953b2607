"""A production's schedule (behaviours.md row 28): items created on first
read, per task type and per entity group, milestones, and who may read or
move them."""
import datetime
import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.base import utc_now
from app.models.events import ApiEvent
from app.models.project import ProjectTaskTypeLink
from app.models.schedule import ScheduleItem
from app.models.settings import EntityType
from tests import factories as f

CALLERS = ("admin", "manager", "supervisor", "user", "client", "vendor", "bot", "anonymous")


def headers_for(client, caller, project=None):
    """A caller's headers; on the project's team when one is given."""
    if project is None:
        return f.caller(client, caller)[1]
    return f.on_team(client, project, caller)[1]


def assert_access(response, caller, allowed):
    if caller in allowed:
        assert response.status_code < 300, (caller, response.json)
    else:
        assert response.status_code == (401 if caller == "anonymous" else 403), \
            (caller, response.status_code)
        assert response.json["error"] is True


def api_events(name, project_id=None):
    stmt = select(ApiEvent.data).where(ApiEvent.name == name)
    if project_id is not None:
        stmt = stmt.where(ApiEvent.project_id == project_id)
    return db.session.scalars(stmt).all()


def entity_type(name):
    return db.session.scalar(select(EntityType).where(EntityType.name == name))


def in_settings(project, *task_types):
    for task_type in task_types:
        f.row(ProjectTaskTypeLink, project_id=project.id, task_type_id=task_type.id)


@pytest.fixture
def admin(client):
    return headers_for(client, "admin")


def test_task_type_items_are_created_once_for_the_settings_task_types(client, admin):
    project = f.project()
    shot_type, asset_type_ = f.task_type(for_entity="Shot"), f.task_type(for_entity="Asset")
    in_settings(project, shot_type, asset_type_, f.task_type(for_entity="Concept"))
    f.task(project, task_type_=f.task_type())  # not in the settings: left out

    first = client.get(f"/data/projects/{project.id}/schedule-items/task-types", headers=admin)
    assert first.status_code == 200
    today = utc_now().date()
    assert {i["task_type_id"] for i in first.json} == {str(shot_type.id), str(asset_type_.id)}
    for item in first.json:
        assert item["type"] == "ScheduleItem" and item["object_id"] is None
        assert item["start_date"] == today.isoformat()
        assert item["end_date"] == (today + datetime.timedelta(days=1)).isoformat()
    announced = api_events("schedule-item:new", project.id)
    assert sorted(e["schedule_item_id"] for e in announced) == sorted(i["id"] for i in first.json)

    again = client.get(f"/data/projects/{project.id}/schedule-items/task-types/", headers=admin)
    assert sorted(i["id"] for i in again.json) == sorted(i["id"] for i in first.json)
    assert len(api_events("schedule-item:new", project.id)) == 2


def test_without_settings_the_task_types_of_the_tasks_are_scheduled(client, admin):
    project = f.project()
    used = f.task_type(for_entity="Shot")
    f.task(project, task_type_=used)
    items = client.get(f"/data/projects/{project.id}/schedule-items/task-types",
                       headers=admin).json
    assert [i["task_type_id"] for i in items] == [str(used.id)]


def test_items_keep_their_dates_and_come_by_start_date(client, admin):
    project = f.project()
    early, late = f.task_type(for_entity="Shot"), f.task_type(for_entity="Shot")
    in_settings(project, early, late)
    f.schedule_item(project, late, start_date=datetime.date(2031, 5, 1))
    f.schedule_item(project, early, start_date=datetime.date(2020, 1, 1),
                    end_date=datetime.date(2020, 3, 1))
    items = client.get(f"/data/projects/{project.id}/schedule-items/task-types",
                       headers=admin).json
    assert [(i["task_type_id"], i["start_date"]) for i in items] == [
        (str(early.id), "2020-01-01"), (str(late.id), "2031-05-01")]
    assert api_events("schedule-item:new", project.id) == []


def test_asset_type_items_name_the_asset_types_and_follow_the_episode(client, admin):
    project = f.project()
    task_type = f.task_type()
    props, sets = f.asset_type(name=f.unique("Props")), f.asset_type(name=f.unique("Sets"))
    episode = f.asset(project, entity_type=entity_type("Episode"), name="E01")
    f.asset(project, entity_type=sets, source_id=episode.id)
    f.asset(project, entity_type=props)
    f.asset(project, entity_type=props)

    url = f"/data/projects/{project.id}/schedule-items/{task_type.id}/asset-types"
    items = client.get(url, headers=admin).json
    assert [(i["object_id"], i["name"]) for i in items] == [
        (str(props.id), props.name), (str(sets.id), sets.name)]
    assert {i["task_type_id"] for i in items} == {str(task_type.id)}
    in_episode = client.get(f"{url}?episode_id={episode.id}", headers=admin).json
    assert [i["object_id"] for i in in_episode] == [str(sets.id)]
    assert len(api_events("schedule-item:new", project.id)) == 2


@pytest.mark.parametrize("group,type_name", [
    ("episodes", "Episode"), ("sequences", "Sequence"), ("edits", "Edit")])
def test_entity_group_items_are_created_per_group(client, admin, group, type_name):
    project = f.project()
    task_type = f.task_type(for_entity="Shot")
    episode = f.asset(project, entity_type=entity_type("Episode"), name="E01")
    parent = {"parent_id": episode.id} if group != "episodes" else {}
    second = f.asset(project, entity_type=entity_type(type_name), name="B", **parent)
    first = f.asset(project, entity_type=entity_type(type_name), name="A")
    f.asset(project, entity_type=entity_type(type_name), name="C", canceled=True)

    url = f"/data/projects/{project.id}/schedule-items/{task_type.id}/{group}"
    names = [i["name"] for i in client.get(url, headers=admin).json]
    expected = {"episodes": ["A", "B", "C", "E01"], "sequences": ["A", "B", "C"],
                "edits": ["A", "B"]}[group]
    assert names == expected
    narrowed = client.get(f"{url}?episode_id={episode.id}", headers=admin).json
    wanted = episode if group == "episodes" else second
    assert [i["object_id"] for i in narrowed] == [str(wanted.id)]
    assert str(first.id) in {i["object_id"] for i in client.get(url, headers=admin).json}


def test_group_items_need_an_existing_task_type_and_valid_ids(client, admin):
    project = f.project()
    base = f"/data/projects/{project.id}/schedule-items"
    assert client.get(f"{base}/{uuid.uuid4()}/sequences", headers=admin).status_code == 404
    assert client.get(f"{base}/nope/sequences", headers=admin).status_code == 400
    response = client.get(f"{base}/{f.task_type().id}/sequences?episode_id=nope", headers=admin)
    assert response.status_code == 400 and "episode_id" in response.json["message"]
    assert client.get(f"/data/projects/{uuid.uuid4()}/schedule-items",
                      headers=admin).status_code == 404


def test_all_items_and_milestones_of_a_production(client, admin):
    project, other = f.project(), f.project()
    item = f.schedule_item(project, start_date=datetime.date(2030, 1, 1))
    f.schedule_item(other)
    late = f.milestone(project, date=datetime.date(2030, 6, 1), name="Delivery")
    early = f.milestone(project, date=datetime.date(2030, 2, 1), name="Animatic")
    f.milestone(other)
    items = client.get(f"/data/projects/{project.id}/schedule-items", headers=admin).json
    assert [i["id"] for i in items] == [str(item.id)]
    milestones = client.get(f"/data/projects/{project.id}/milestones", headers=admin).json
    assert [(m["id"], m["name"], m["date"]) for m in milestones] == [
        (str(early.id), "Animatic", "2030-02-01"), (str(late.id), "Delivery", "2030-06-01")]
    assert milestones[0]["type"] == "Milestone"


STAFF = {"admin", "manager", "supervisor", "user", "bot"}
READS = {
    "/data/projects/{p}/schedule-items": STAFF,
    "/data/projects/{p}/schedule-items/task-types": STAFF | {"client"},
    "/data/projects/{p}/schedule-items/{tt}/asset-types": STAFF | {"client"},
    "/data/projects/{p}/schedule-items/{tt}/episodes": STAFF | {"client"},
    "/data/projects/{p}/schedule-items/{tt}/sequences": STAFF | {"client"},
    "/data/projects/{p}/schedule-items/{tt}/edits": STAFF | {"client"},
    "/data/projects/{p}/milestones": STAFF,
    "/data/milestones/{milestone}": STAFF | {"client"},
    "/data/production-schedule-versions/{version}/task-links": STAFF,
}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("path", READS)
def test_who_reads_a_schedule(client, caller, path):
    project = f.project()
    url = path.format(p=project.id, tt=f.task_type().id, milestone=f.milestone(project).id,
                      version=f.schedule_version(project).id)
    assert_access(client.get(url, headers=headers_for(client, caller, project)), caller,
                  READS[path])


@pytest.mark.parametrize("caller", ("manager", "supervisor", "user", "client"))
def test_outsiders_of_the_team_do_not_read_the_schedule(client, caller):
    project = f.project()
    response = client.get(f"/data/projects/{project.id}/schedule-items/task-types",
                          headers=headers_for(client, caller))
    assert response.status_code == 403


def _supervisor(client, project, departments=()):
    person, headers = f.signed_in(client, role="supervisor", departments=list(departments))
    f.join_team(project, person)
    return headers


def test_supervisors_move_the_items_of_their_departments_only(client):
    project = f.project()
    mine, theirs = f.department(), f.department()
    item = f.schedule_item(project, f.task_type(department_id=mine.id))
    other = f.schedule_item(project, f.task_type(department_id=theirs.id))
    headers = _supervisor(client, project, [mine])
    body = {"start_date": "2030-01-02", "end_date": "2030-02-03", "man_days": 12}

    moved = client.put(f"/data/schedule-items/{item.id}", json=body, headers=headers)
    assert moved.status_code == 200
    assert (moved.json["start_date"], moved.json["end_date"], moved.json["man_days"]) == (
        "2030-01-02", "2030-02-03", 12)
    assert [e["schedule_item_id"] for e in api_events("schedule-item:update", project.id)] == [
        str(item.id)]
    refused = client.put(f"/data/schedule-items/{other.id}", json=body, headers=headers)
    assert refused.status_code == 403
    assert db.session.get(ScheduleItem, other.id).man_days is None
    handed_over = client.put(f"/data/schedule-items/{item.id}",
                             json={"task_type_id": str(other.task_type_id)}, headers=headers)
    assert handed_over.status_code == 403


def test_a_supervisor_without_department_moves_any_item(client):
    project = f.project()
    item = f.schedule_item(project, f.task_type(department_id=f.department().id))
    response = client.put(f"/data/schedule-items/{item.id}", json={"man_days": 3},
                          headers=_supervisor(client, project))
    assert response.status_code == 200 and response.json["man_days"] == 3


@pytest.mark.parametrize("caller", CALLERS)
def test_who_moves_a_schedule_item(client, caller):
    project = f.project()
    item = f.schedule_item(project)
    response = client.put(f"/data/schedule-items/{item.id}", json={"man_days": 4},
                          headers=headers_for(client, caller, project))
    assert_access(response, caller, {"admin", "manager", "supervisor"})


@pytest.mark.parametrize("collection", ("schedule-items", "milestones"))
@pytest.mark.parametrize("caller", CALLERS)
def test_the_raw_lists_are_for_admins(client, caller, collection):
    project = f.project()
    f.milestone(project)
    f.schedule_item(project)
    response = client.get(f"/data/{collection}", headers=headers_for(client, caller, project))
    assert_access(response, caller, {"admin"})

