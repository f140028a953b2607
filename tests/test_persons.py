"""GET,POST /data/persons and GET,PUT,DELETE /data/persons/<id>
(behaviours.md row 3): projections, validation, the user limit, protected
accounts, API tokens, events, and deletion with and without force."""
import datetime

import pytest
from flask_jwt_extended import decode_token
from sqlalchemy import func, select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.person import Person
from app.services import passwords
from tests import factories as f

TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def admin(client):
    return f.signed_in(client, role="admin")


def _events(name):
    return db.session.scalars(select(ApiEvent.data).where(ApiEvent.name == name)).all()


def _stored(person_id):
    db.session.expire_all()
    return db.session.get(Person, person_id)


def _count(model, *criteria):
    return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


# Who may do what --------------------------------------------------------------

@pytest.mark.parametrize("who", f.CALLERS)
def test_only_admins_create_people(client, who):
    _, headers = f.caller(client, who)
    response = client.post("/data/persons", json={"first_name": "Ada", "last_name": "L",
                                                  "email": "ada@example.com"}, headers=headers)
    if who == "admin":
        assert response.status_code == 201
        assert _events("person:new") == [{"person_id": response.json["id"]}]
    else:
        assert response.status_code == (401 if who == "anonymous" else 403)
        assert _count(Person, Person.email == "ada@example.com") == 0


@pytest.mark.parametrize("who", f.CALLERS)
def test_only_admins_change_or_delete_someone_else(client, who):
    _, headers = f.caller(client, who)
    other = f.person()
    changed = client.put(f"/data/persons/{other.id}", json={"first_name": "Changed"},
                         headers=headers)
    deleted = client.delete(f"/data/persons/{other.id}", headers=headers)
    if who == "admin":
        assert (changed.status_code, deleted.status_code) == (200, 204)
        assert changed.json["first_name"] == "Changed"
        assert _events("person:update") == [{"person_id": str(other.id)}]
        assert _events("person:delete") == [{"person_id": str(other.id)}]
        assert _stored(other.id) is None
    else:
        refused = 401 if who == "anonymous" else 403
        assert (changed.status_code, deleted.status_code) == (refused, refused)
        assert _stored(other.id).first_name == other.first_name


@pytest.mark.parametrize("who", sorted(set(f.CALLERS) - {"anonymous"}))
def test_everyone_signed_in_reads_people(client, who):
    me, headers = f.caller(client, who)
    listed = client.get("/data/persons", headers=headers)
    assert listed.status_code == 200
    assert str(me.id) in {p["id"] for p in listed.json}
    assert client.get(f"/data/persons/{me.id}", headers=headers).json["id"] == str(me.id)


def test_anonymous_callers_read_nobody(client):
    person = f.person()
    assert client.get("/data/persons").status_code == 401
    assert client.get(f"/data/persons/{person.id}").status_code == 401


# Projections and filters ----------------------------------------------------

def test_a_user_sees_the_minimal_projection(client):
    _, headers = f.signed_in(client, role="user")
    other = f.person(desktop_login="ada", phone="123")
    record = client.get(f"/data/persons/{other.id}", headers=headers).json
    assert set(record) == {"id", "first_name", "last_name", "full_name", "has_avatar",
                           "active", "studio_id", "role", "desktop_login", "is_bot",
                           "departments", "type"}
    assert record["full_name"] == f"{other.first_name} {other.last_name}"
    assert record["desktop_login"] == "ada"


def test_clients_see_names_of_their_productions_people_only(client):
    me, headers = f.signed_in(client, role="client")
    project = f.project(team=[me])
    teammate, stranger = f.member(project), f.person()
    listed = {p["id"]: p for p in client.get("/data/persons", headers=headers).json}
    assert set(listed) == {str(me.id), str(teammate.id)}
    assert set(listed[str(teammate.id)]) == {"id", "first_name", "last_name", "full_name",
                                             "has_avatar", "active", "role", "is_bot", "type"}
    assert client.get(f"/data/persons/{stranger.id}", headers=headers).status_code == 403
    assert client.get(f"/data/persons/{teammate.id}", headers=headers).status_code == 200


def test_finding_a_person_by_email_is_for_those_who_see_emails(client):
    """gazu.person.get_person_by_email filters on email: admins and managers
    (and bots with those roles) may; others would learn who owns an address."""
    other = f.person(email="Find.Me@example.com")
    for role in ("admin", "manager"):
        _, headers = f.signed_in(client, role=role)
        found = client.get("/data/persons?email=find.me@example.com&is_bot=False",
                           headers=headers).json
        assert [p["id"] for p in found] == [str(other.id)]
    _, artist = f.signed_in(client, role="user")
    refused = client.get("/data/persons?email=find.me@example.com", headers=artist)
    assert refused.status_code == 400 and "email" in refused.json["message"]


def test_other_hidden_columns_cannot_be_filtered_on(client):
    _, headers = f.signed_in(client, role="user")
    response = client.get("/data/persons?daily_salary=300", headers=headers)
    assert response.status_code == 400
    assert "daily_salary" in response.json["message"]


def test_admins_get_the_password_hash_only_when_asking(client, admin):
    person = f.person()
    listed = {p["id"]: p for p in client.get("/data/persons?with_pass_hash=true",
                                             headers=admin[1]).json}
    stored_hash = listed[str(person.id)]["password"]
    assert passwords.check_password(f.PASSWORD, stored_hash.encode())
    assert "totp_secret" not in listed[str(person.id)]
    plain = client.get("/data/persons", headers=admin[1]).json
    assert all("password" not in p for p in plain)


def test_others_never_get_the_password_hash(client):
    _, headers = f.signed_in(client, role="manager")
    listed = client.get("/data/persons?with_pass_hash=true", headers=headers).json
    assert listed and all("password" not in p for p in listed)


# Creation ------------------------------------------------------------------

def test_a_created_person_gets_the_studio_defaults_and_a_usable_password(app, client, admin):
    department = f.department()
    response = client.post("/data/persons", json={
        "first_name": "Ada", "last_name": "Lovelace", "email": "Ada@Example.com",
        "password": "first-password", "departments": [str(department.id)],
        "country": "fr", "locale": "fr_FR", "role": "supervisor"}, headers=admin[1])
    assert response.status_code == 201, response.json
    body = response.json
    assert body["email"] == "ada@example.com"
    assert body["country"] == "FR"
    assert body["departments"] == [str(department.id)]
    assert body["timezone"] == app.config["DEFAULT_TIMEZONE"]
    assert "password" not in body and "access_token" not in body
    assert f.login(client, "ada@example.com", "first-password").status_code == 200


def test_a_created_bot_gets_a_token_that_works(client, admin):
    response = client.post("/data/persons", json={
        "first_name": "Farm", "last_name": "", "email": "farm@example.com", "is_bot": True,
        "expiration_date": TOMORROW}, headers=admin[1])
    assert response.status_code == 201
    token = response.json["access_token"]
    assert decode_token(token)["identity_type"] == "bot"
    assert client.get("/auth/authenticated", headers=f.bearer(token)).status_code == 200


@pytest.mark.parametrize("change,field", [
    ({"email": "not-an-email"}, "mail"),
    ({"country": "France"}, "country"),
    ({"locale": "xx_YY_ZZ"}, "locale"),
    ({"display_date_format": "DD.MM.YYYY"}, "display_date_format"),
    ({"role": "superuser"}, "role"),
    ({"contract_type": "forever"}, "contract_type"),
    ({"seniority": "ancient"}, "seniority"),
    ({"expiration_date": YESTERDAY}, "past"),
    ({"expiration_date": "31/01/2030"}, "expiration_date"),
    ({"password": "short"}, "short"),
])
def test_bad_values_are_refused_on_create(client, admin, change, field):
    before = _count(Person)
    response = client.post("/data/persons", json={
        "first_name": "Ada", "last_name": "L", "email": "ada@example.com", **change},
        headers=admin[1])
    assert response.status_code == 400
    assert field in response.json["message"].lower()
    assert _count(Person) == before


def test_a_dotless_studio_domain_is_a_valid_email(client, admin):
    response = client.post("/data/persons", json={
        "first_name": "J", "last_name": "Doe", "email": "jdoe@studio"}, headers=admin[1])
    assert response.status_code == 201
    assert response.json["email"] == "jdoe@studio"


def test_emails_are_unique_among_people_but_not_bots(client, admin):
    f.person(email="taken@example.com")
    person = client.post("/data/persons", json={
        "first_name": "A", "last_name": "B", "email": "TAKEN@example.com"}, headers=admin[1])
    assert person.status_code == 400
    assert "already" in person.json["message"]
    bot = client.post("/data/persons", json={
        "first_name": "Bot", "last_name": "", "email": "taken@example.com", "is_bot": True},
        headers=admin[1])
    assert bot.status_code == 201


def test_the_user_limit_counts_active_people_but_not_bots_or_guests(app, client, monkeypatch,
                                                                     admin):
    from app.services import accounts

    monkeypatch.setitem(app.config, "USER_LIMIT", accounts.count_licensed_users())
    refused = client.post("/data/persons", json={
        "first_name": "One", "last_name": "Too many", "email": "more@example.com"},
        headers=admin[1])
    assert refused.status_code == 400
    assert "limit" in refused.json["message"]
    for extra in ({"is_bot": True}, {"is_guest": True}, {"active": False}):
        response = client.post("/data/persons", json={
            "first_name": "Ok", "last_name": "", "email": f.unique("ok").replace(" ", "") +
            "@example.com", **extra}, headers=admin[1])
        assert response.status_code == 201, extra


def test_reactivation_is_checked_against_the_user_limit(app, client, monkeypatch, admin):
    from app.services import accounts

    sleeper = f.person(active=False)
    monkeypatch.setitem(app.config, "USER_LIMIT", accounts.count_licensed_users())
    response = client.put(f"/data/persons/{sleeper.id}", json={"active": True},
                          headers=admin[1])
    assert response.status_code == 400
    assert _stored(sleeper.id).active is False
    monkeypatch.setitem(app.config, "USER_LIMIT", accounts.count_licensed_users() + 1)
    assert client.put(f"/data/persons/{sleeper.id}", json={"active": True},
                      headers=admin[1]).status_code == 200


# Updates -------------------------------------------------------------------

def test_a_new_expiration_date_retires_the_previous_bot_token(client, admin):
    created = client.post("/data/persons", json={
        "first_name": "Farm", "last_name": "", "email": "farm@example.com", "is_bot": True},
        headers=admin[1]).json
    old = f.bearer(created["access_token"])
    response = client.put(f"/data/persons/{created['id']}", json={"expiration_date": TOMORROW},
                          headers=admin[1])
    new = f.bearer(response.json["access_token"])
    assert client.get("/auth/authenticated", headers=old).status_code == 401
    assert client.get("/auth/authenticated", headers=new).status_code == 200


def test_an_expired_date_sent_back_unchanged_is_accepted_without_token(client, admin):
    bot, _ = f.caller(client, "bot")
    bot.expiration_date = datetime.date.today() - datetime.timedelta(days=3)
    db.session.commit()
    response = client.put(f"/data/persons/{bot.id}", json={
        "expiration_date": bot.expiration_date.isoformat(), "first_name": "Old"},
        headers=admin[1])
    assert response.status_code == 200, response.json
    assert "access_token" not in response.json
    moved = client.put(f"/data/persons/{bot.id}", json={"expiration_date": YESTERDAY},
                       headers=admin[1])
    assert moved.status_code == 400


def test_a_person_gets_a_personal_api_token_by_setting_their_expiration_date(client):
    me, headers = f.signed_in(client)
    response = client.put(f"/data/persons/{me.id}", json={"expiration_date": TOMORROW},
                          headers=headers)
    assert response.status_code == 200
    token = response.json["access_token"]
    assert decode_token(token)["identity_type"] == "person_api"
    assert client.get("/auth/authenticated", headers=f.bearer(token)).status_code == 200


def test_a_bot_cannot_extend_its_own_life(client):
    bot, headers = f.caller(client, "bot")
    response = client.put(f"/data/persons/{bot.id}", json={"expiration_date": TOMORROW},
                          headers=headers)
    assert response.status_code == 403
    assert _stored(bot.id).expiration_date is None


def test_update_validates_like_create(client, admin):
    person = f.person()
    response = client.put(f"/data/persons/{person.id}", json={"locale": "klingon"},
                          headers=admin[1])
    assert response.status_code == 400
    taken = f.person()
    response = client.put(f"/data/persons/{person.id}", json={"email": taken.email},
                          headers=admin[1])
    assert response.status_code == 400
    assert _stored(person.id).email == person.email


@pytest.fixture
def protected(app, monkeypatch):
    monkeypatch.setitem(app.config, "PROTECTED_ACCOUNTS", ["boss@example.com"])
    return f.person(role="admin", email="boss@example.com")


@pytest.mark.parametrize("change", [{"active": False}, {"role": "user"}])
def test_protected_accounts_keep_their_role_and_stay_active(client, admin, protected, change):
    response = client.put(f"/data/persons/{protected.id}", json=change, headers=admin[1])
    assert response.status_code == 403
    assert "protected" in response.json["message"]
    stored = _stored(protected.id)
    assert (stored.role, stored.active) == ("admin", True)


def test_protected_accounts_take_other_changes_and_are_not_deleted(client, admin, protected):
    renamed = client.put(f"/data/persons/{protected.id}", json={"first_name": "Boss",
                                                                 "role": "admin"},
                         headers=admin[1])
    assert renamed.status_code == 200
    response = client.delete(f"/data/persons/{protected.id}?force=true", headers=admin[1])
    assert response.status_code == 403
    assert _stored(protected.id) is not None


def test_a_protected_account_may_change_itself(client, protected):
    headers = f.bearer(f.login(client, protected.email).json["access_token"])
    response = client.put(f"/data/persons/{protected.id}", json={"role": "manager"},
                          headers=headers)
    assert response.status_code == 200


# Deletion ------------------------------------------------------------------

def _busy_person():
    """Someone with a trace in most of the production's tables."""
    from app.models.events import LoginLog, Notification, Subscription
    from app.models.search_filter import SearchFilter, SearchFilterGroup

    person = f.person()
    project = f.project(team=[person])
    task = f.task(project, assignees=[person], assigner_id=person.id)
    colleague = f.person()
    f.time_spent(task, person, duration=60.0)
    f.time_spent(task, colleague, duration=30.0)
    task.duration = 90.0
    comment = f.comment(task, person)
    f.attachment_file(comment)
    others_comment = f.comment(task, colleague, editor_id=person.id)
    preview = f.preview_file(task, person_id=person.id)
    comment.previews = [preview]
    group = f.row(SearchFilterGroup, list_type="asset", person_id=person.id)
    f.row(SearchFilter, list_type="asset", person_id=colleague.id,
          search_filter_group_id=group.id)
    f.row(SearchFilter, list_type="asset", person_id=person.id)
    f.row(Notification, person_id=colleague.id, author_id=person.id, comment_id=comment.id,
          task_id=task.id, type="comment")
    f.row(Notification, person_id=person.id, author_id=colleague.id,
          comment_id=others_comment.id, task_id=task.id, type="comment")
    f.row(Subscription, person_id=person.id, task_id=task.id)
    f.row(LoginLog, person_id=person.id, origin="web")
    f.row(ApiEvent, name="task:update", user_id=person.id, data={})
    f.day_off(person)
    f.chat_message(f.chat(f.asset(project)), person)
    f.working_file(task, person_id=person.id)
    f.output_file(f.asset(project), person_id=person.id)
    return person, project, task, comment, others_comment, preview


def test_without_force_a_person_with_history_is_kept_with_a_400(client, admin):
    person, _, task, *_ = _busy_person()
    response = client.delete(f"/data/persons/{person.id}", headers=admin[1])
    assert response.status_code == 400
    assert "SELECT" not in response.json["message"]
    assert _stored(person.id) is not None
    assert _events("person:delete") == []


def test_force_removes_what_belongs_to_the_person_and_detaches_the_rest(client, admin):
    from app.models.comment import Comment
    from app.models.events import Notification
    from app.models.files import AttachmentFile, OutputFile, PreviewFile, WorkingFile
    from app.models.project import ProjectPersonLink
    from app.models.search_filter import SearchFilter, SearchFilterGroup
    from app.models.task import Task, TaskPersonLink
    from app.models.timesheet import DayOff, TimeSpent

    person, project, task, comment, others_comment, preview = _busy_person()
    pid = person.id
    response = client.delete(f"/data/persons/{pid}?force=true", headers=admin[1])
    assert response.status_code == 204, response.json
    db.session.expire_all()
    assert db.session.get(Person, pid) is None
    for model, column in ((Comment, Comment.person_id), (TimeSpent, TimeSpent.person_id),
                          (DayOff, DayOff.person_id), (SearchFilter, SearchFilter.person_id),
                          (SearchFilterGroup, SearchFilterGroup.person_id),
                          (ApiEvent, ApiEvent.user_id), (ProjectPersonLink,
                                                          ProjectPersonLink.person_id),
                          (TaskPersonLink, TaskPersonLink.person_id)):
        assert _count(model, column == pid) == 0, model
    assert _count(Notification) == 0
    assert _count(AttachmentFile) == 0
    assert _count(Comment, Comment.id == others_comment.id) == 1
    assert db.session.get(Comment, others_comment.id).editor_id is None
    stored_task = db.session.get(Task, task.id)
    assert (stored_task.assigner_id, stored_task.duration) == (None, 30.0)
    assert db.session.get(PreviewFile, preview.id).person_id is None
    assert _count(WorkingFile, WorkingFile.person_id.is_not(None)) == 0
    assert _count(OutputFile, OutputFile.person_id.is_not(None)) == 0
    assert _count(SearchFilter, SearchFilter.search_filter_group_id.is_not(None)) == 0
    assert _events("person:delete") == [{"person_id": str(pid)}]


def test_a_person_without_history_goes_without_force(client, admin):
    person = f.person()
    person.departments = [f.department()]
    f.project(team=[person])
    response = client.delete(f"/data/persons/{person.id}", headers=admin[1])
    assert response.status_code == 204
    assert _stored(person.id) is None


def test_unknown_and_malformed_ids(client, admin):
    missing = "/data/persons/00000000-0000-4000-8000-000000000000"
    assert client.get(missing, headers=admin[1]).status_code == 404
    assert client.delete(missing, headers=admin[1]).status_code == 404
    assert client.get("/data/persons/not-an-id", headers=admin[1]).status_code == 400


def test_force_handles_every_reference_to_a_person(app):
    """A new table naming a person must be added to what force removes (or
    cascade on its own), or forced deletions start failing."""
    import uuid

    from app.models.base import Base
    from app.services import persons

    deleted, nulled = persons._belongings(uuid.uuid4())
    handled = {model.__table__.name for model, _ in deleted}
    handled |= {f"{column.table.name}.{column.name}" for column, _ in nulled}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "person" and fk.ondelete is None:
                assert {table.name, f"{table.name}.{fk.parent.name}"} & handled, fk.parent
