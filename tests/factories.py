"""Test data built through the models, inside the test's transaction."""
import itertools

from app.extensions import db
from app.services import passwords

PASSWORD = "secret-password-1"
_counter = itertools.count(1)


def person(role="user", password=PASSWORD, active=True, **values):
    from app.models.person import Person

    n = next(_counter)
    row = Person(**{
        "first_name": f"First{n}", "last_name": f"Last{n}",
        "email": f"person{n}@example.com", "contract_type": "open-ended",
        "is_bot": False, "is_guest": False, **values,
        "role": role, "active": active,
        "password": passwords.hash_secret(password) if password else None,
    })
    db.session.add(row)
    db.session.commit()
    return row


def login(client, email, password=PASSWORD, **extra):
    return client.post("/auth/login", json={"email": email, "password": password, **extra})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def signed_in(client, role="user", **values):
    """A person and an Authorization header for them."""
    row = person(role=role, **values)
    response = login(client, row.email)
    assert response.status_code == 200, response.json
    return row, bearer(response.json["access_token"])


# Production data ------------------------------------------------------------
# Each factory commits (a savepoint under the test's transaction) and returns
# the ORM row; names carry a counter so rows never collide with the seed data.

def _add(row):
    db.session.add(row)
    db.session.commit()
    return row


def _project_status_id(name):
    from app.services.projects import status_id

    return status_id(name)


def project(status="Open", team=(), **values):
    """A production; `team` holds persons, or (person, per-project role) pairs."""
    from app.models.project import Project, ProjectPersonLink

    n = next(_counter)
    row = _add(Project(**{"name": f"Project {n}", "project_status_id": _project_status_id(status),
                          **values}))
    for member in team:
        person_, role_ = member if isinstance(member, tuple) else (member, None)
        db.session.add(ProjectPersonLink(project_id=row.id, person_id=person_.id, role=role_))
    db.session.commit()
    return row


def join_team(project_, person_, role=None):
    from app.models.project import ProjectPersonLink

    return _add(ProjectPersonLink(project_id=project_.id, person_id=person_.id, role=role))


def close(project_):
    project_.project_status_id = _project_status_id("Closed")
    db.session.commit()
    return project_


def member(project_, role="user", project_role=None, **values):
    """A person with a global role, on the project's team."""
    row = person(role=role, **values)
    join_team(project_, row, project_role)
    return row


def department(**values):
    from app.models.settings import Department

    n = next(_counter)
    return _add(Department(**{"name": f"Department {n}", "color": "#123456", **values}))


def task_type(**values):
    from app.models.settings import TaskType

    n = next(_counter)
    return _add(TaskType(**{"name": f"Task type {n}", "for_entity": "Asset", **values}))


def task_status(**values):
    from app.models.settings import TaskStatus

    n = next(_counter)
    return _add(TaskStatus(**{"name": f"Status {n}", "short_name": f"st{n}", "color": "#123456",
                              **values}))


def asset_type(**values):
    from app.models.settings import EntityType

    n = next(_counter)
    return _add(EntityType(**{"name": f"Asset type {n}", **values}))


def asset(project_, entity_type=None, **values):
    """An entity of an asset type (any type that is not a temporal one)."""
    from app.models.entity import Entity

    n = next(_counter)
    entity_type = entity_type or asset_type()
    return _add(Entity(**{"name": f"Asset {n}", "project_id": project_.id,
                          "entity_type_id": entity_type.id, **values}))


def temporal(project_, kind, parent=None, **values):
    """An episode, sequence, shot, scene or edit (under `parent`)."""
    from app.models.settings import EntityType
    from app.services.entities import entity_type_id

    values.setdefault("name", unique(kind))
    return asset(project_, entity_type=db.session.get(EntityType, entity_type_id(kind)),
                 parent_id=parent.id if parent else None, **values)


def task(project_, entity=None, task_type_=None, assignees=(), **values):
    from app.models.task import Task

    n = next(_counter)
    entity = entity or asset(project_)
    row = Task(**{"name": f"Task {n}", "project_id": project_.id, "entity_id": entity.id,
                  "task_type_id": (task_type_ or task_type()).id,
                  "task_status_id": task_status().id, **values})
    row.assignees = list(assignees)
    return _add(row)


def comment(task_, author, **values):
    from app.models.comment import Comment

    return _add(Comment(**{"object_id": task_.id, "object_type": "Task", "person_id": author.id,
                           "task_status_id": task_.task_status_id, "text": "A note",
                           **values}))


def preview_file(task_, **values):
    from app.models.files import PreviewFile

    n = next(_counter)
    return _add(PreviewFile(**{"name": f"preview {n}", "task_id": task_.id, "revision": 1,
                               "extension": "png", **values}))


def working_file(task_, **values):
    from app.models.files import WorkingFile

    n = next(_counter)
    return _add(WorkingFile(**{"name": f"work {n}", "task_id": task_.id,
                               "entity_id": task_.entity_id, "revision": 1, **values}))


def file_status(**values):
    from app.models.settings import FileStatus

    n = next(_counter)
    return _add(FileStatus(**{"name": f"File status {n}", "color": "#123456", **values}))


def output_file(entity, **values):
    from app.models.files import OutputFile

    n = next(_counter)
    return _add(OutputFile(**{"name": f"output {n}", "revision": 1, "entity_id": entity.id,
                              "file_status_id": file_status().id, **values}))


def attachment_file(comment_, **values):
    from app.models.files import AttachmentFile

    n = next(_counter)
    return _add(AttachmentFile(**{"name": f"attachment {n}.png", "extension": "png",
                                  "mimetype": "image/png", "comment_id": comment_.id,
                                  **values}))


def asset_instance(asset_, **values):
    from app.models.entity import AssetInstance

    return _add(AssetInstance(**{"asset_id": asset_.id, "number": next(_counter), **values}))


def playlist(project_, **values):
    from app.models.playlist import Playlist

    n = next(_counter)
    return _add(Playlist(**{"name": f"Playlist {n}", "project_id": project_.id, **values}))


def milestone(project_, **values):
    from app.models.schedule import Milestone

    n = next(_counter)
    return _add(Milestone(**{"name": f"Milestone {n}", "project_id": project_.id, **values}))


def schedule_item(project_, task_type_=None, **values):
    from app.models.schedule import ScheduleItem

    return _add(ScheduleItem(**{"project_id": project_.id,
                                "task_type_id": (task_type_ or task_type()).id, **values}))


def metadata_descriptor(project_, **values):
    from app.models.settings import MetadataDescriptor

    n = next(_counter)
    return _add(MetadataDescriptor(**{"project_id": project_.id, "entity_type": "Asset",
                                      "name": f"Field {n}", "field_name": f"field_{n}",
                                      "data_type": "string", **values}))


def day_off(person_, **values):
    import datetime

    from app.models.timesheet import DayOff

    day = datetime.date(2030, 1, 1) + datetime.timedelta(days=next(_counter))
    return _add(DayOff(**{"person_id": person_.id, "date": day, "end_date": day, **values}))


def time_spent(task_, person_, **values):
    import datetime

    from app.models.timesheet import TimeSpent

    return _add(TimeSpent(**{"task_id": task_.id, "person_id": person_.id,
                             "date": datetime.date(2030, 1, 1), "duration": 3600.0, **values}))


def schedule_version(project_, **values):
    from app.models.schedule import ProductionScheduleVersion

    n = next(_counter)
    return _add(ProductionScheduleVersion(**{"name": f"Version {n}", "project_id": project_.id,
                                             **values}))


def schedule_version_task_link(version, task_, **values):
    from app.models.schedule import ProductionScheduleVersionTaskLink

    return _add(ProductionScheduleVersionTaskLink(**{
        "production_schedule_version_id": version.id, "task_id": task_.id, **values}))


def budget(project_, **values):
    from app.models.budget import Budget

    n = next(_counter)
    return _add(Budget(**{"name": f"Budget {n}", "project_id": project_.id, "currency": "EUR",
                          **values}))


def budget_entry(budget_, department_=None, **values):
    import datetime

    from app.models.budget import BudgetEntry

    return _add(BudgetEntry(**{"budget_id": budget_.id,
                               "department_id": (department_ or department()).id,
                               "start_date": datetime.date(2030, 1, 1), "months_duration": 2,
                               "daily_salary": 300.0, **values}))


def chat(entity, **values):
    from app.models.chat import Chat

    return _add(Chat(**{"object_id": entity.id, "object_type": "entity", **values}))


def chat_message(chat_, person_, **values):
    from app.models.chat import ChatMessage

    return _add(ChatMessage(**{"chat_id": chat_.id, "person_id": person_.id, "text": "Hello",
                               **values}))


def entity_link(entity_in, entity_out, **values):
    from app.models.entity import EntityLink

    return _add(EntityLink(**{"entity_in_id": entity_in.id, "entity_out_id": entity_out.id,
                              **values}))


def row(model, **values):
    """Any other table's row: reference data whose columns are all given."""
    return _add(model(**values))


def unique(prefix):
    """A name no other row of the run has (reference tables are unique by name)."""
    return f"{prefix} {next(_counter)}"


CALLERS = ("admin", "manager", "supervisor", "user", "client", "vendor", "bot", "anonymous")


def on_team(client, project, who):
    """(person or None, headers) for a caller of this role on the project's
    team (admins need not be on it; anonymous has no headers)."""
    person, headers = caller(client, who)
    if person is not None and who != "admin":
        join_team(project, person)
    return person, headers


def caller(client, who):
    """(person or None, headers) for one of CALLERS: a signed-in person of
    that role, a bot (role user) with its API token, or nobody."""
    if who == "anonymous":
        return None, {}
    if who == "bot":
        from app.services import accounts

        bot, token = accounts.create_bot("Bot", unique("bot").replace(" ", "") + "@bots.example")
        return bot, bearer(token)
    return signed_in(client, role=who)


def task_views_shot_tasks(project_, sequence, count, task_type_=None, task_status_=None,
                          assignees=(), **values):
    """`count` shots under the sequence (named SH000, SH001...), each with a
    task, added in one flush: big lists without a commit per row."""
    from app.models.entity import Entity
    from app.models.settings import EntityType
    from app.models.task import Task
    from app.services.entities import entity_type_id

    shot_type = db.session.get(EntityType, entity_type_id("Shot"))
    task_type_ = task_type_ or task_type()
    task_status_ = task_status_ or task_status()
    shots = [Entity(name=f"SH{n:03d}", project_id=project_.id, entity_type_id=shot_type.id,
                    parent_id=sequence.id) for n in range(count)]
    db.session.add_all(shots)
    db.session.flush()
    tasks = [Task(name="main", project_id=project_.id, entity_id=shot.id,
                  task_type_id=task_type_.id, task_status_id=task_status_.id,
                  assignees=list(assignees), **values) for shot in shots]
    db.session.add_all(tasks)
    db.session.commit()
    return tasks
