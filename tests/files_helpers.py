"""A small production for the file routes' tests: a shot and an asset with
tasks, people of every role around them, and the names the built-in file
trees turn them into."""
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.events import ApiEvent
from app.models.settings import OutputType
from tests import factories as f

# Callers of the permission tests, by what they are to the shot's task.
ROLES = ("admin", "manager", "supervisor", "other_supervisor", "assignee", "artist", "client",
         "vendor", "outsider")


@dataclass
class Production:
    project: object
    sequence: object
    shot: object
    character: object
    asset: object
    layout: object
    modeling: object
    shot_task: object
    asset_task: object
    people: dict = field(default_factory=dict)

    def headers(self, role):
        return self.people[role][1]

    def person(self, role):
        return self.people[role][0]


def build(client, file_tree=None):
    """Project "My Film" (its file tree given, else none), sequence SQ01,
    shot SH010 with a Layout task, asset "Big Bob" (a Character) with a
    Modeling task; `people` holds a signed-in caller of each of ROLES."""
    department = f.department()
    project = f.project(name=f.unique("My Film"), file_tree=file_tree)
    sequence = f.temporal(project, "Sequence", name="SQ01")
    shot = f.temporal(project, "Shot", parent=sequence, name="SH010")
    character = f.asset_type(name=f.unique("Character"))
    asset = f.asset(project, character, name="Big Bob")
    layout = f.task_type(name=f.unique("Layout"), for_entity="Shot", department_id=department.id)
    modeling = f.task_type(name=f.unique("Modeling"), department_id=department.id)
    prod = Production(project, sequence, shot, character, asset, layout, modeling,
                      f.task(project, shot, layout), f.task(project, asset, modeling))
    for role in ROLES:
        global_role = {"other_supervisor": "supervisor", "assignee": "user", "artist": "user",
                       "outsider": "user"}.get(role, role)
        person, headers = f.signed_in(client, global_role)
        if role != "outsider" and role != "admin":
            f.join_team(project, person)
        if role == "supervisor":
            person.departments = [department]
        elif role == "other_supervisor":
            person.departments = [f.department()]
        if role in ("assignee", "vendor"):
            prod.shot_task.assignees = [*prod.shot_task.assignees, person]
            prod.asset_task.assignees = [*prod.asset_task.assignees, person]
        db.session.commit()
        prod.people[role] = (person, headers)
    return prod


def slug_name(row):
    """How the trees write a name made by f.unique ("My Film 12": my_film_12)."""
    return row.name.lower().replace(" ", "_")


def output_type(name=None):
    return f.row(OutputType, name=name or f.unique("Cache"), short_name="cch")


def api_events(name):
    return db.session.scalars(select(ApiEvent).where(ApiEvent.name == name)
                              .order_by(ApiEvent.created_at)).all()


@pytest.fixture
def files_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "FILES_DIR", str(tmp_path))
    return tmp_path
