"""Who may list, read, create, update and delete the rows of every /data
collection (behaviours.md 2.4, as app/services/collections.py implements it).

One table, RULES, says for each collection which callers may do each verb;
the matrix runs every collection x exposed verb x caller against it. Every
signed-in caller is on project A's team with their role as global role, so
a refusal is about the role, never about membership (test_crud_isolation.py
covers other projects' rows). Allowed calls must also have done what they
say (the row listed, read, created, changed or gone); refused ones must
have left the database as it was.

Where the implementation lets someone read or write what the contract
forbids, the table keeps the contract's answer and the case is an xfail
(UNSAFE below), so fixing the rule turns it into a failure to remove.
"""
import datetime
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.services import accounts, tokens
from app.services.collections import COLLECTIONS
from tests import factories as f

ROLES = ("admin", "manager", "supervisor", "user", "client", "vendor")
CALLERS = ROLES + ("bot", "anonymous")
VERBS = ("list", "get", "create", "update", "delete")
# Collections Zou exposes for creation only (project settings links).
POST_ONLY = {"task-type-links", "task-status-links"}

SIGNED_IN = frozenset(CALLERS) - {"anonymous"}
ADMIN = frozenset({"admin"})
MANAGERS = ADMIN | {"manager"}
STAFF = MANAGERS | {"supervisor"}
# The bot is an API account with the artist role: it must get no more than one.
ARTISTS = STAFF | {"user", "bot"}
NOT_VENDORS = ARTISTS | {"client"}
NOBODY = frozenset()


@dataclass
class World:
    """Project A, the caller on its team, and the verb under test."""

    project: object
    caller: object
    verb: str

    def other(self, role="user"):
        """Someone else on project A's team."""
        return f.member(self.project, role)


@dataclass(frozen=True)
class Rule:
    row: object            # World -> the ORM row read, updated and deleted
    payload: object        # World -> a valid POST body
    change: dict           # a PUT body changing one column
    reads: frozenset       # who may GET the row, and sees it in the list
    creates: frozenset
    updates: frozenset
    deletes: frozenset
    # Who gets 403 for the list itself; everyone else gets 200, with the row
    # in it only if they may read it.
    list_refused: frozenset = NOBODY
    # Verbs nobody may do: admins are told why (400), the others refused (403).
    never: frozenset = NOBODY


def reference(row, payload, change):
    """Studio vocabularies: everyone reads, admins write."""
    return Rule(row, payload, change, reads=SIGNED_IN, creates=ADMIN, updates=ADMIN,
                deletes=ADMIN)


def not_for_vendors(row, payload, change):
    return Rule(row, payload, change, reads=NOT_VENDORS, creates=ADMIN, updates=ADMIN,
                deletes=ADMIN, list_refused=frozenset({"vendor"}))


def admin_only(row, payload, change, **overrides):
    return Rule(row, payload, change, **{
        "reads": ADMIN, "creates": ADMIN, "updates": ADMIN, "deletes": ADMIN,
        "list_refused": SIGNED_IN - ADMIN, **overrides})


def _id(row):
    return str(row.id)


def _model(collection, **defaults):
    """Reference rows with no parent: `row` builds one from the table's model."""
    model = COLLECTIONS[collection].model
    return lambda w: f.row(model, **{k: (v() if callable(v) else v) for k, v in defaults.items()})


def _day(offset=0):
    return (datetime.date(2031, 1, 1) + datetime.timedelta(days=offset)).isoformat()


def _project_row(w):
    # Only a closed project can be deleted; any other verb works on project A.
    return f.close(w.project) if w.verb == "delete" else w.project


def _task(w):
    return f.task(w.project)


def _comment(w):
    return f.comment(_task(w), w.other())


def _chat(w):
    return f.chat(f.asset(w.project))


RULES = {
    # A teammate: clients only see the people of their productions.
    "persons": Rule(
        World.other,
        lambda w: {"first_name": "Ada", "last_name": "Lovelace",
                   "email": f"ada-{uuid.uuid4().hex[:8]}@example.com"},
        {"first_name": "Renamed"},
        reads=SIGNED_IN, creates=ADMIN, updates=ADMIN, deletes=ADMIN),
    "projects": Rule(
        _project_row, lambda w: {"name": f.unique("Production")}, {"description": "Changed"},
        reads=SIGNED_IN, creates=ADMIN, updates=MANAGERS, deletes=ADMIN),
    "project-status": reference(
        _model("project-status", name=lambda: f.unique("PS"), color="#112233"),
        lambda w: {"name": f.unique("PS"), "color": "#112233"}, {"color": "#445566"}),
    "project-templates": Rule(
        _model("project-templates", name=lambda: f.unique("Template")),
        lambda w: {"name": f.unique("Template")}, {"fps": "24"},
        reads=MANAGERS, creates=ADMIN, updates=ADMIN, deletes=ADMIN,
        list_refused=SIGNED_IN - MANAGERS),
    "entity-types": reference(
        lambda w: f.asset_type(), lambda w: {"name": f.unique("Type")}, {"short_name": "typ"}),
    "entities": Rule(
        lambda w: f.asset(w.project),
        lambda w: {"name": "Hero", "project_id": _id(w.project),
                   "entity_type_id": _id(f.asset_type())},
        {"description": "Changed"},
        reads=SIGNED_IN - {"vendor"}, creates=MANAGERS, updates=MANAGERS, deletes=MANAGERS),
    "task-types": reference(
        lambda w: f.task_type(), lambda w: {"name": f.unique("Task type"), "for_entity": "Shot"},
        {"color": "#445566"}),
    "task-type-links": Rule(
        None, lambda w: {"project_id": _id(w.project), "task_type_id": _id(f.task_type()),
                         "priority": 3},
        None, reads=NOBODY, creates=MANAGERS, updates=NOBODY, deletes=NOBODY),
    "task-status": reference(
        lambda w: f.task_status(),
        lambda w: {"name": f.unique("Status"), "short_name": f.unique("s").replace(" ", ""),
                   "color": "#112233"},
        {"color": "#445566"}),
    "task-status-links": Rule(
        None, lambda w: {"project_id": _id(w.project), "task_status_id": _id(f.task_status()),
                         "priority": 2},
        None, reads=NOBODY, creates=MANAGERS, updates=NOBODY, deletes=NOBODY),
    "tasks": Rule(
        _task,
        lambda w: {"name": "Layout", "project_id": _id(w.project),
                   "entity_id": _id(f.asset(w.project)), "task_type_id": _id(f.task_type()),
                   "task_status_id": _id(f.task_status())},
        {"description": "Changed"},
        # Zou lets anyone create a task (a gap): only its managers may here.
        reads=SIGNED_IN - {"vendor"}, creates=MANAGERS, updates=MANAGERS, deletes=MANAGERS),
    "departments": reference(
        lambda w: f.department(), lambda w: {"name": f.unique("Dept"), "color": "#112233"},
        {"color": "#445566"}),
    # The one organisation row is updated, never created or deleted.
    "organisations": Rule(
        _model("organisations", name=lambda: f.unique("Organisation")),
        lambda w: {"name": f.unique("Organisation")}, {"hours_by_day": 7.5},
        reads=SIGNED_IN, creates=NOBODY, updates=ADMIN, deletes=NOBODY,
        never=frozenset({"create", "delete"})),
    "file-status": reference(
        lambda w: f.file_status(), lambda w: {"name": f.unique("FS"), "color": "#112233"},
        {"color": "#445566"}),
    "softwares": reference(
        _model("softwares", name=lambda: f.unique("Soft"), short_name="sft",
               file_extension=".sft"),
        lambda w: {"name": f.unique("Soft"), "short_name": "sft", "file_extension": ".sft"},
        {"version": "4.2"}),
    "hardware-items": admin_only(
        _model("hardware-items", name=lambda: f.unique("GPU"), short_name="gpu"),
        lambda w: {"name": f.unique("GPU"), "short_name": "gpu"}, {"monthly_cost": 40}),
    "output-files": Rule(
        lambda w: f.output_file(f.asset(w.project)),
        lambda w: {"name": "publish", "revision": 1, "file_status_id": _id(f.file_status()),
                   "entity_id": _id(f.asset(w.project))},
        {"comment": "Changed"},
        reads=NOT_VENDORS, creates=ADMIN, updates=MANAGERS, deletes=ADMIN,
        list_refused=frozenset({"vendor"})),
    "output-types": reference(
        _model("output-types", name=lambda: f.unique("Cache"), short_name="cch"),
        lambda w: {"name": f.unique("Cache"), "short_name": "cch"}, {"short_name": "abc"}),
    "preview-files": Rule(
        lambda w: f.preview_file(_task(w)),
        lambda w: {"name": "take", "task_id": _id(_task(w)), "revision": 2},
        {"description": "Changed"},
        reads=SIGNED_IN - {"vendor"}, creates=ADMIN, updates=MANAGERS, deletes=MANAGERS),
    "working-files": Rule(
        lambda w: f.working_file(_task(w)),
        lambda w: {"name": "scene", "task_id": _id(_task(w)), "revision": 4},
        {"comment": "Changed"},
        # A task action: the supervisor has no department, so reaches every task.
        reads=NOT_VENDORS, creates=ADMIN, updates=STAFF, deletes=ADMIN,
        list_refused=frozenset({"vendor"})),
    "attachment-files": Rule(
        lambda w: f.attachment_file(_comment(w)),
        lambda w: {"name": "sketch.png", "comment_id": _id(_comment(w))},
        {"name": "renamed.png"},
        # The attachment is on an artist's studio note, which clients do not see.
        reads=SIGNED_IN - {"vendor", "client"}, creates=ADMIN, updates=ADMIN, deletes=ADMIN),
    # The comment is by another artist: its author's own rights are not
    # what this row tests.
    "comments": Rule(
        _comment,
        lambda w: {"object_id": _id(_task(w)), "object_type": "Task",
                   "person_id": _id(w.other()), "text": "Looks good"},
        {"text": "Changed"},
        # Artists read the studio's comments; clients only theirs and those for them.
        reads=ARTISTS, creates=ADMIN, updates=MANAGERS, deletes=MANAGERS),
    "time-spents": admin_only(
        lambda w: f.time_spent(_task(w), w.other()),
        lambda w: {"task_id": _id(_task(w)), "person_id": _id(w.other()),
                   "date": _day(), "duration": 600.0},
        {"duration": 1200.0}),
    # Someone else's day off: only admins may touch it (own ones: see below).
    "day-offs": Rule(
        lambda w: f.day_off(w.other()),
        lambda w: {"person_id": _id(w.other()), "date": _day(), "end_date": _day(2)},
        {"description": "Changed"},
        reads=ADMIN, creates=ADMIN, updates=ADMIN, deletes=ADMIN),
    "custom-actions": not_for_vendors(
        _model("custom-actions", name=lambda: f.unique("Action")),
        lambda w: {"name": f.unique("Action"), "url": "https://farm.example.com/hook"},
        {"url": "https://farm.example.com/other"}),
    "status-automations": not_for_vendors(
        _model("status-automations", entity_type="asset"),
        lambda w: {"entity_type": "shot", "in_task_type_id": _id(f.task_type())},
        {"archived": True}),
    "asset-instances": Rule(
        lambda w: f.asset_instance(f.asset(w.project)),
        lambda w: {"asset_id": _id(f.asset(w.project)), "number": 7},
        {"description": "Changed"},
        reads=SIGNED_IN - {"vendor"}, creates=ADMIN, updates=SIGNED_IN - {"vendor"},
        deletes=ADMIN),
    "playlists": Rule(
        # Made by someone else: a supervisor may change a playlist with no
        # recorded creator (behaviours.md section 2.3).
        lambda w: f.playlist(w.project, created_by=f.person().id),
        lambda w: {"name": "Dailies", "project_id": _id(w.project)}, {"for_entity": "asset"},
        reads=NOT_VENDORS - {"client"}, creates=STAFF, updates=MANAGERS, deletes=MANAGERS),
    "events": admin_only(
        _model("events", name="asset:new"), lambda w: {"name": "asset:update"},
        {"name": "asset:delete"}),
    "notifications": admin_only(
        lambda w: f.row(COLLECTIONS["notifications"].model, type="comment",
                        person_id=w.other().id, author_id=w.other().id),
        lambda w: {"type": "mention", "person_id": _id(w.other()), "author_id": _id(w.other())},
        {"read": True}),
    "search-filters": admin_only(
        lambda w: f.row(COLLECTIONS["search-filters"].model, list_type="asset",
                        person_id=w.other().id),
        lambda w: {"list_type": "asset", "search_query": "hero", "person_id": _id(w.other())},
        {"search_query": "villain"}),
    "search-filter-groups": admin_only(
        lambda w: f.row(COLLECTIONS["search-filter-groups"].model, list_type="asset",
                        person_id=w.other().id),
        lambda w: {"list_type": "asset", "name": "Mine", "person_id": _id(w.other())},
        {"name": "Renamed"}),
    # Read through the project's schedule routes; the raw list is for admins.
    "schedule-items": Rule(
        lambda w: f.schedule_item(w.project),
        lambda w: {"project_id": _id(w.project), "task_type_id": _id(f.task_type())},
        {"man_days": 12},
        reads=ADMIN, creates=ADMIN, updates=STAFF, deletes=ADMIN,
        list_refused=SIGNED_IN - ADMIN),
    "news": admin_only(
        lambda w: f.row(COLLECTIONS["news"].model, author_id=w.other().id,
                        task_id=_task(w).id),
        lambda w: {"author_id": _id(w.other()), "task_id": _id(_task(w))},
        {"change": True}),
    # One milestone is read by the team's non-vendors; lists go through
    # /data/projects/<id>/milestones, the raw one is for admins.
    "milestones": Rule(
        lambda w: f.milestone(w.project),
        lambda w: {"name": "Delivery", "project_id": _id(w.project), "date": _day()},
        {"name": "Renamed"},
        reads=NOT_VENDORS, creates=MANAGERS, updates=MANAGERS, deletes=MANAGERS,
        list_refused=SIGNED_IN - ADMIN),
    "metadata-descriptors": Rule(
        lambda w: f.metadata_descriptor(w.project),
        lambda w: {"project_id": _id(w.project), "entity_type": "Asset", "name": "Look",
                   "field_name": "look"},
        {"for_client": True},
        reads=NOT_VENDORS, creates=ADMIN, updates=ADMIN, deletes=ADMIN),
    "subscriptions": admin_only(
        lambda w: f.row(COLLECTIONS["subscriptions"].model, person_id=w.other().id,
                        task_id=_task(w).id),
        lambda w: {"person_id": _id(w.other()), "task_id": _id(_task(w))},
        {"task_id": None}),
    "entity-links": admin_only(
        lambda w: f.entity_link(f.asset(w.project), f.asset(w.project)),
        lambda w: {"entity_in_id": _id(f.asset(w.project)),
                   "entity_out_id": _id(f.asset(w.project)), "nb_occurences": 2},
        {"nb_occurences": 3}, deletes=MANAGERS),
    "chats": admin_only(
        _chat, lambda w: {"object_id": _id(f.asset(w.project))},
        {"last_message": "2031-01-01T10:00:00"}),
    "chat-messages": admin_only(
        lambda w: f.chat_message(_chat(w), w.other()),
        lambda w: {"chat_id": _id(_chat(w)), "person_id": _id(w.other()), "text": "Hi"},
        {"text": "Changed"}),
    "preview-background-files": reference(
        _model("preview-background-files", name=lambda: f.unique("HDR")),
        lambda w: {"name": f.unique("HDR")}, {"archived": True}),
    "studios": reference(
        _model("studios", name=lambda: f.unique("Studio"), color="#112233"),
        lambda w: {"name": f.unique("Studio"), "color": "#112233"}, {"color": "#445566"}),
    # Salary scales are made by listing them: nobody creates one.
    "salary-scales": admin_only(
        lambda w: f.row(COLLECTIONS["salary-scales"].model, department_id=f.department().id),
        lambda w: {"department_id": _id(f.department())}, {"salary": 250},
        creates=NOBODY, never=frozenset({"create"})),
    "budgets": admin_only(
        lambda w: f.budget(w.project), lambda w: {"name": "Main", "project_id": _id(w.project)},
        {"currency": "USD"}),
    "budget-entries": admin_only(
        lambda w: f.budget_entry(f.budget(w.project)),
        lambda w: {"budget_id": _id(f.budget(w.project)), "department_id": _id(f.department()),
                   "start_date": _day(), "months_duration": 3, "daily_salary": 250.0},
        {"months_duration": 4}),
    "plugins": admin_only(
        lambda w: f.row(COLLECTIONS["plugins"].model, plugin_id=f.unique("plugin"), name="Plugin",
                        version="1.0.0", maintainer_name="Studio", license="MIT"),
        lambda w: {"plugin_id": f.unique("plugin"), "name": "Plugin", "version": "1.0.0",
                   "maintainer_name": "Studio", "license": "MIT"},
        {"version": "1.1.0"}),
    "production-schedule-versions": Rule(
        lambda w: f.schedule_version(w.project),
        lambda w: {"name": "What if", "project_id": _id(w.project)}, {"locked": True},
        reads=ARTISTS, creates=MANAGERS, updates=MANAGERS, deletes=ADMIN),
    "production-schedule-version-task-links": Rule(
        lambda w: f.schedule_version_task_link(f.schedule_version(w.project), _task(w)),
        lambda w: {"production_schedule_version_id": _id(f.schedule_version(w.project)),
                   "task_id": _id(_task(w))},
        {"estimation": 3.5},
        reads=ARTISTS, creates=MANAGERS, updates=MANAGERS, deletes=ADMIN),
}

# Cases where the implementation is less safe than the contract: none left.
# (Vendors see only what hangs off their assigned tasks; clients only the
# playlists shared with clients.)
UNSAFE = {}


def test_every_collection_has_a_rule():
    assert set(RULES) == set(COLLECTIONS)
    assert len(RULES) == 48


def _verbs(name):
    return ("create",) if name in POST_ONLY else VERBS


def _cases():
    for name in RULES:
        for verb in _verbs(name):
            for caller in CALLERS:
                reason = UNSAFE.get((name, verb, caller))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(name, verb, caller, marks=marks,
                                   id=f"{name}-{verb}-{caller}")


def expected_status(rule, verb, caller):
    if caller == "anonymous":
        return 401
    if verb == "list":
        return 403 if caller in rule.list_refused else 200
    allowed = {"get": rule.reads, "create": rule.creates, "update": rule.updates,
               "delete": rule.deletes}[verb]
    if caller in allowed:
        return {"get": 200, "create": 201, "update": 200, "delete": 204}[verb]
    return 400 if verb in rule.never and caller == "admin" else 403


def sign_in(client, project, caller):
    """The caller on project A's team, and the headers of their requests."""
    if caller == "anonymous":
        return None, {}
    if caller == "bot":
        bot, token = accounts.create_bot("Farm", f"farm-{uuid.uuid4().hex[:8]}@bots.example.com")
        f.join_team(project, bot)
        return bot, f.bearer(token)
    person = f.member(project, caller)
    # The session a login would give (test_auth.py covers logging in).
    return person, f.bearer(tokens.issue_session(person)[0])


def row_count(table, **where):
    stmt = select(func.count()).select_from(table)
    for key, value in where.items():
        stmt = stmt.where(table.c[key] == value)
    return db.session.scalar(stmt)


def stored(table, row_id, column):
    db.session.expire_all()
    return db.session.execute(select(table.c[column]).where(table.c.id == row_id)).scalar_one()


def _wire(value):
    return str(value) if isinstance(value, uuid.UUID) else value


@pytest.mark.parametrize("name,verb,caller", list(_cases()))
def test_crud_permission(client, name, verb, caller):
    coll, rule = COLLECTIONS[name], RULES[name]
    project = f.project()
    person, headers = sign_in(client, project, caller)
    world = World(project, person, verb)
    expected = expected_status(rule, verb, caller)
    table = coll.table

    if verb == "create":
        payload = rule.payload(world)
        before = row_count(table)
        response = client.post(f"/data/{name}", json=payload, headers=headers)
        assert response.status_code == expected, response.json
        if expected != 201:
            assert row_count(table) == before
            return
        body = response.json
        assert row_count(table, id=uuid.UUID(body["id"])) == 1
        # A notification's own "type" column is hidden by the wire "type", as in Zou.
        sent = {k: v for k, v in payload.items() if k != "type"}
        assert {k: body[k] for k in sent} == sent
        assert body["type"] in (coll.wire_type, "Asset")
        return

    row = rule.row(world)
    row_id = row.id
    url = f"/data/{name}/{row_id}"
    if verb == "list":
        response = client.get(f"/data/{name}", headers=headers)
        assert response.status_code == expected, response.json
        if expected == 200:
            ids = {item["id"] for item in response.json}
            assert (str(row_id) in ids) == (caller in rule.reads)
    elif verb == "get":
        response = client.get(url, headers=headers)
        assert response.status_code == expected, response.json
        if expected == 200:
            assert response.json["id"] == str(row_id)
    elif verb == "update":
        (column, value), = rule.change.items()
        old = stored(table, row_id, column)
        response = client.put(url, json=rule.change, headers=headers)
        assert response.status_code == expected, response.json
        if expected == 200:
            assert response.json[column] == value
            assert _wire(stored(table, row_id, column)) == _wire(_parse(column, value, table))
        else:
            assert stored(table, row_id, column) == old
    else:
        response = client.delete(url, headers=headers)
        assert response.status_code == expected, response.json
        db.session.expire_all()
        assert row_count(table, id=row_id) == (0 if expected == 204 else 1)
    if expected >= 400:
        assert response.json["error"] is True


def _parse(column, value, table):
    """What the database holds after a PUT of `value`."""
    from app.services.crud import field_for

    return field_for(table.c[column]).parse(column, value)


# Rules the matrix cannot show with one row per collection -------------------

@pytest.mark.parametrize("role", ROLES)
def test_everyone_manages_their_own_day_offs(client, role):
    person, headers = f.signed_in(client, role=role)
    created = client.post("/data/day-offs", headers=headers, json={
        "person_id": str(person.id), "date": _day(10), "end_date": _day(11)})
    assert created.status_code == 201, created.json
    day_off_id = created.json["id"]
    listed = client.get("/data/day-offs", headers=headers).json
    assert [d["id"] for d in listed] == [day_off_id]
    url = f"/data/day-offs/{day_off_id}"
    assert client.get(url, headers=headers).json["person_id"] == str(person.id)
    updated = client.put(url, json={"description": "Holiday"}, headers=headers)
    assert (updated.status_code, updated.json["description"]) == (200, "Holiday")
    # Giving one's day off to someone else would be creating theirs.
    moved = client.put(url, json={"person_id": str(f.person().id)}, headers=headers)
    assert moved.status_code == (200 if role == "admin" else 403)
    if role != "admin":
        assert client.delete(url, headers=headers).status_code == 204
        assert client.get(url, headers=headers).status_code == 404


@pytest.mark.parametrize("project_role,global_role,status", [
    ("manager", "user", 200),   # promoted on this production
    ("user", "manager", 403),   # demoted on this production
    (None, "manager", 200),     # no override: the global role counts
])
def test_the_per_project_role_overrides_the_global_one(client, project_role, global_role,
                                                      status):
    project = f.project()
    person = f.member(project, global_role, project_role=project_role)
    headers = f.bearer(f.login(client, person.email).json["access_token"])
    task = f.task(project)
    response = client.put(f"/data/tasks/{task.id}", json={"description": "New"},
                          headers=headers)
    assert response.status_code == status
    assert stored(task.__table__, task.id, "description") == (
        "New" if status == 200 else None)


def test_supervisor_updates_schedule_items_of_their_department(client):
    project = f.project()
    department = f.department()
    supervisor = f.member(project, "supervisor")
    supervisor.departments = [department]
    db.session.commit()
    headers = f.bearer(f.login(client, supervisor.email).json["access_token"])
    item = f.schedule_item(project, f.task_type(department_id=department.id))
    response = client.put(f"/data/schedule-items/{item.id}", json={"man_days": 4},
                          headers=headers)
    assert (response.status_code, response.json["man_days"]) == (200, 4)


def test_supervisor_cannot_update_schedule_items_of_another_department(client):
    project = f.project()
    supervisor = f.member(project, "supervisor")
    supervisor.departments = [f.department()]
    db.session.commit()
    headers = f.bearer(f.login(client, supervisor.email).json["access_token"])
    item = f.schedule_item(project, f.task_type(department_id=f.department().id))
    response = client.put(f"/data/schedule-items/{item.id}", json={"man_days": 4},
                          headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("change,status", [
    ({"first_name": "Me"}, 200),
    ({"role": "admin"}, 403),
    ({"active": False}, 403),
    ({"departments": "new"}, 403),
    # Kitsu sends the whole form back: a field left as it is is no change.
    ({"first_name": "Me", "role": "user", "active": True}, 200),
])
def test_a_person_edits_only_the_safe_fields_of_their_own_record(client, change, status):
    person, headers = f.signed_in(client, role="user")
    if change.get("departments") == "new":
        change = {"departments": [str(f.department().id)]}
    response = client.put(f"/data/persons/{person.id}", json=change, headers=headers)
    assert response.status_code == status
    db.session.expire_all()
    stored = db.session.get(type(person), person.id)
    assert (stored.first_name == "Me") == (status == 200)
    assert (stored.role, stored.active) == ("user", True)


def test_an_admin_cannot_delete_themself(client):
    admin, headers = f.signed_in(client, role="admin")
    response = client.delete(f"/data/persons/{admin.id}", headers=headers)
    assert response.status_code == 403
    assert row_count(admin.__table__, id=admin.id) == 1


def test_an_open_project_cannot_be_deleted(client):
    _, headers = f.signed_in(client, role="admin")
    project = f.project()
    response = client.delete(f"/data/projects/{project.id}", headers=headers)
    assert response.status_code == 400
    assert "closed" in response.json["message"]
    assert row_count(project.__table__, id=project.id) == 1


@pytest.mark.parametrize("role,sees_all", [
    ("admin", True), ("manager", True), ("supervisor", False), ("user", False),
    ("client", False), ("vendor", False), ("bot", False),
])
def test_person_records_are_minimal_unless_admin_or_manager(client, role, sees_all):
    project = f.project()
    headers = sign_in(client, project, role)[1]
    other = f.member(project, phone="+33 1 23 45 67 89")
    record = client.get(f"/data/persons/{other.id}", headers=headers).json
    assert record["first_name"] == other.first_name
    assert ("email" in record, "phone" in record) == (sees_all, sees_all)
    assert "password" not in record and "totp_secret" not in record
    listed = {p["id"]: p for p in client.get("/data/persons", headers=headers).json}
    assert ("email" in listed[str(other.id)]) == sees_all


@pytest.mark.parametrize("role", ROLES)
def test_organisation_chat_credentials_are_for_admins(client, role):
    _, headers = f.signed_in(client, role=role)
    organisation = client.get("/data/organisations", headers=headers).json[0]
    secrets = {"chat_token_slack", "chat_webhook_mattermost", "chat_token_discord"}
    assert (secrets <= organisation.keys()) == (role == "admin")
    assert not (secrets & organisation.keys()) or role == "admin"
