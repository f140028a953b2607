"""POST /import/kitsu/*: rows of another instance upserted under their ids."""
import uuid

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.comment import Comment, CommentMention
from app.models.entity import Entity, EntityLink
from app.models.events import ApiEvent, Notification
from app.models.files import PreviewFile
from app.models.person import Person
from app.models.project import Project, ProjectPersonLink, ProjectTaskTypeLink
from app.models.settings import EntityType
from app.models.task import Task, TaskPersonLink
from app.services import passwords
from app.services.entities import entity_type_id
from tests import factories as f


def uid(name):
    """A deterministic id per name: what the other instance gave the row."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kitsu-import/{name}"))


@pytest.fixture
def admin(client):
    return f.signed_in(client, role="admin")[1]


@pytest.fixture
def refs():
    """Settings both instances share (a sync brings them first)."""
    return {"artist": f.person(), "lead": f.person(), "task_type": f.task_type(),
            "status": f.task_status(), "asset_type": f.asset_type(),
            "open": f._project_status_id("Open")}


def project_record(refs, **values):
    return {"id": uid("project"), "type": "Project", "name": "Imported film",
            "project_status_id": str(refs["open"]), "project_status_name": "Open",
            "production_type": "short", "team": [str(refs["artist"].id)],
            "task_types": [str(refs["task_type"].id)],
            "asset_types": [str(refs["asset_type"].id)], **values}


def asset_record(refs, name="Hero", **values):
    return {"id": uid(name), "type": "Asset", "name": name, "project_id": uid("project"),
            "entity_type_id": str(refs["asset_type"].id), "data": {"size": "big"},
            "created_at": "2024-03-01T10:00:00", "updated_at": "2024-03-02T11:00:00", **values}


def task_record(refs, **values):
    return {"id": uid("task"), "type": "Task", "name": "Modeling", "project_id": uid("project"),
            "entity_id": uid("Hero"), "task_type_id": str(refs["task_type"].id),
            "task_status_id": str(refs["status"].id),
            "assignees": [str(refs["artist"].id), str(refs["lead"].id)], **values}


def post(client, headers, name, records, silent=False):
    return client.post(f"/import/kitsu/{name}{'?silent=true' if silent else ''}",
                       json=records, headers=headers)


def seed(client, headers, refs, silent=False):
    for name, records in (("projects", [project_record(refs)]),
                          ("entities", [asset_record(refs)]),
                          ("tasks", [task_record(refs)])):
        response = post(client, headers, name, records, silent)
        assert response.status_code == 200, response.json


def events(prefix):
    return db.session.execute(select(ApiEvent.name, ApiEvent.data).where(
        ApiEvent.name.like(f"{prefix}%")).order_by(ApiEvent.created_at)).all()


def test_rows_keep_their_ids_and_relations(client, admin, refs):
    response = post(client, admin, "projects", [project_record(refs)])
    assert response.status_code == 200
    assert response.json[0]["id"] == uid("project")
    assert response.json[0]["team"] == [str(refs["artist"].id)]
    seed(client, admin, refs)

    asset = db.session.get(Entity, uuid.UUID(uid("Hero")))
    assert (asset.name, asset.data, asset.entity_type_id) == (
        "Hero", {"size": "big"}, refs["asset_type"].id)
    assert asset.created_at.isoformat() == "2024-03-01T10:00:00"
    task = db.session.get(Task, uuid.UUID(uid("task")))
    assert (task.entity_id, task.task_status_id) == (asset.id, refs["status"].id)
    assert set(db.session.scalars(select(TaskPersonLink.person_id).where(
        TaskPersonLink.task_id == task.id))) == {refs["artist"].id, refs["lead"].id}
    assert db.session.scalar(select(ProjectTaskTypeLink.task_type_id).where(
        ProjectTaskTypeLink.project_id == task.project_id)) == refs["task_type"].id


def test_a_second_import_updates_without_duplicates(client, admin, refs):
    seed(client, admin, refs)
    db.session.execute(ProjectTaskTypeLink.__table__.update().values(priority=4))
    db.session.commit()
    task = task_record(refs, name="Modeling v2", assignees=[str(refs["lead"].id)])
    assert post(client, admin, "tasks", [task]).status_code == 200
    assert post(client, admin, "projects", [project_record(refs, name="Renamed")]).json[0][
        "name"] == "Renamed"

    assert db.session.scalar(select(func.count()).select_from(Task).where(
        Task.project_id == uuid.UUID(uid("project")))) == 1
    assert db.session.get(Task, uuid.UUID(uid("task"))).name == "Modeling v2"
    assert list(db.session.scalars(select(TaskPersonLink.person_id).where(
        TaskPersonLink.task_id == uuid.UUID(uid("task"))))) == [refs["lead"].id]
    # A link kept by the new list keeps what the target set on it.
    assert db.session.scalar(select(ProjectTaskTypeLink.priority)) == 4
    assert db.session.scalar(select(func.count()).select_from(Project).where(
        Project.name == "Renamed")) == 1


def test_events_unless_silent(client, admin, refs):
    seed(client, admin, refs, silent=True)
    assert events("task:") == [] and events("project:") == []

    post(client, admin, "tasks", [task_record(refs, name="Changed")])
    post(client, admin, "entities", [asset_record(refs, name="Villain")])
    assert events("task:") == [("task:update", {"task_id": uid("task"),
                                                "project_id": uid("project")})]
    assert events("asset:") == [("asset:new", {"asset_id": uid("Villain"),
                                               "project_id": uid("project")})]


def test_comments_with_mentions_previews_and_their_event(client, admin, refs):
    seed(client, admin, refs, silent=True)
    preview = {"id": uid("preview"), "type": "PreviewFile", "name": "v1", "revision": 1,
               "task_id": uid("task"), "extension": "mp4", "status": None, "data": None}
    assert post(client, admin, "preview-files", [preview], silent=True).status_code == 200
    stored = db.session.get(PreviewFile, uuid.UUID(uid("preview")))
    assert (stored.status, stored.data) == ("ready", {"imported_only": True})

    comment = {"id": uid("comment"), "type": "Comment", "object_id": uid("task"),
               "object_type": "Task", "text": "Looks great", "person_id": str(refs["lead"].id),
               "task_status_id": str(refs["status"].id), "for_client": False,
               "mentions": [str(refs["artist"].id)], "previews": [uid("preview")],
               "attachment_files": []}
    response = post(client, admin, "comments", [comment])
    assert response.status_code == 200
    assert response.json[0]["previews"] == [uid("preview")]
    assert db.session.get(Comment, uuid.UUID(uid("comment"))).text == "Looks great"
    assert list(db.session.scalars(select(CommentMention.person))) == [refs["artist"].id]
    assert events("comment:") == [("comment:new", {
        "comment_id": uid("comment"), "task_id": uid("task"),
        "person_id": str(refs["lead"].id), "for_client": False,
        "project_id": uid("project")})]


def test_zou_shapes_built_in_types_and_casting(client, admin, refs):
    seed(client, admin, refs, silent=True)
    # The other instance's Shot type has an id of its own.
    shot = {"id": uid("shot"), "type": "Shot", "name": "SH010", "project_id": uid("project"),
            "entity_type_id": uid("their shot type"), "frame_in": 1, "frame_out": 48,
            "data": {}, "preview_file_id": uid("preview not sent yet")}
    assert post(client, admin, "entities", [shot]).status_code == 200
    stored = db.session.get(Entity, uuid.UUID(uid("shot")))
    assert stored.entity_type_id == entity_type_id("Shot")
    assert stored.data == {"frame_in": 1, "frame_out": 48}
    assert stored.preview_file_id is None

    link = {"id": uid("link"), "type": "EntityLink", "entity_in_id": uid("shot"),
            "entity_out_id": uid("Hero"), "nb_occurences": 2}
    assert post(client, admin, "entity-links", [link]).status_code == 200
    assert post(client, admin, "entity-links", [{**link, "nb_occurences": 3}]).status_code == 200
    assert db.session.execute(select(EntityLink.id, EntityLink.nb_occurences)).all() == [
        (uuid.UUID(uid("link")), 3)]


def test_notifications_take_their_kind_from_notification_type(client, admin, refs):
    seed(client, admin, refs, silent=True)
    record = {"id": uid("notification"), "type": "Notification",
              "notification_type": "assignation", "person_id": str(refs["artist"].id),
              "author_id": str(refs["lead"].id), "task_id": uid("task"), "read": False}
    assert post(client, admin, "notifications", [record]).status_code == 200
    assert db.session.get(Notification, uuid.UUID(uid("notification"))).type == "assignation"


@pytest.mark.parametrize("body, message", [
    ({"id": uid("x")}, "A list of records is expected."),
    ([{"name": "No id"}], "Field '[0].id' is required: rows keep their ids."),
    (["nope"], "Record 0 is not an object."),
])
def test_bad_bodies(client, admin, body, message):
    response = client.post("/import/kitsu/projects", json=body, headers=admin)
    assert (response.status_code, response.json["message"]) == (400, message)


def test_a_bad_row_writes_nothing(client, admin, refs):
    seed(client, admin, refs, silent=True)
    good = task_record(refs, id=uid("task 2"), name="Rigging")
    dangling = task_record(refs, id=uid("task 3"), name="Shading",
                           entity_id=uid("entity that is not there"))
    response = post(client, admin, "tasks", [good, dangling])
    assert response.status_code == 400
    assert "SELECT" not in response.json["message"]
    assert db.session.get(Task, uuid.UUID(uid("task 2"))) is None

    wrong = post(client, admin, "tasks", [task_record(refs, priority="high")])
    assert (wrong.status_code, wrong.json["message"]) == (
        400, "Field '[0].priority' must be an integer.")


@pytest.mark.parametrize("who", ["manager", "supervisor", "user", "client", "vendor", "bot"])
def test_only_admins_import(client, refs, who):
    _, headers = f.caller(client, who)
    response = post(client, headers, "projects", [project_record(refs)])
    assert response.status_code == 403
    assert db.session.get(Project, uuid.UUID(uid("project"))) is None
    assert client.get("/import/kitsu/counts", headers=headers).status_code == 403


def test_anonymous_is_refused(client, refs):
    assert post(client, {}, "projects", [project_record(refs)]).status_code == 401


def test_every_contract_route_exists(client, admin):
    contract = ("attachment-files", "build-jobs", "comments", "entities", "entity-links",
                "metadata-descriptors", "milestones", "news", "notifications", "playlists",
                "preview-files", "projects", "schedule-items", "subscriptions", "tasks",
                "time-spents")
    for name in contract:
        response = client.post(f"/import/kitsu/{name}/", json=[], headers=admin)
        assert (response.status_code, response.json) == (200, []), name


def test_settings_import_and_counts(client, admin, refs):
    department = {"id": uid("department"), "type": "Department", "name": "Imported dept",
                  "color": "#ffffff"}
    asset_type = {"id": uid("asset type"), "type": "AssetType", "name": "Imported type",
                  "task_types": [str(refs["task_type"].id)]}
    assert post(client, admin, "departments", [department]).status_code == 200
    assert post(client, admin, "entity-types", [asset_type]).json[0]["task_types"] == [
        str(refs["task_type"].id)]
    assert db.session.get(EntityType, uuid.UUID(uid("asset type"))).name == "Imported type"

    seed(client, admin, refs, silent=True)
    counts = client.get(f"/import/kitsu/counts?project_id={uid('project')}", headers=admin).json
    assert (counts["projects"], counts["entities"], counts["tasks"], counts["comments"]) == (
        1, 1, 1, 0)
    assert "departments" not in counts
    assert db.session.scalar(select(func.count()).select_from(ProjectPersonLink).where(
        ProjectPersonLink.project_id == uuid.UUID(uid("project")))) == 1


def test_persons_keep_their_password_hash(client, admin):
    person = {"id": uid("moved person"), "type": "Person", "first_name": "Moved",
              "last_name": "Artist", "email": "moved.artist@example.com", "role": "user",
              "active": True, "password": passwords.hash_secret("moved-password-1").decode()}
    imported = post(client, admin, "persons", [person])
    assert imported.status_code == 200 and "password" not in imported.json[0]
    signed = client.post("/auth/login", json={"email": "moved.artist@example.com",
                                              "password": "moved-password-1"})
    assert signed.status_code == 200, signed.json
    # Never a clear password (nor anything else that is not a bcrypt hash).
    clear = {**person, "id": uid("clear person"), "email": "clear@example.com",
             "password": "moved-password-1"}
    refused = post(client, admin, "persons", [clear])
    assert (refused.status_code, refused.json["message"]) == (
        400, "Field '[0].password' must be a bcrypt hash.")
    assert db.session.get(Person, uuid.UUID(uid("clear person"))) is None


def test_a_row_given_twice_is_written_as_last_given(client, admin, refs):
    seed(client, admin, refs, silent=True)
    first = task_record(refs, name="First")
    last = task_record(refs, name="Last", assignees=[])
    response = post(client, admin, "tasks", [first, last], silent=True)
    assert [t["name"] for t in response.json] == ["Last"]
    assert db.session.get(Task, uuid.UUID(uid("task"))).name == "Last"
    # An empty list unassigns everybody.
    assert db.session.scalar(select(func.count()).select_from(TaskPersonLink)) == 0


def test_zou_asset_payloads_name_the_type_asset_type_id(client, admin, refs):
    seed(client, admin, refs, silent=True)
    other = f.asset_type()
    record = {key: value for key, value in asset_record(refs, name="Prop").items()
              if key != "entity_type_id"}
    record.update(asset_type_id=str(other.id), asset_type_name=other.name)
    assert post(client, admin, "entities", [record]).status_code == 200
    assert db.session.get(Entity, uuid.UUID(uid("Prop"))).entity_type_id == other.id
