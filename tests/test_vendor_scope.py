"""Vendors (outsourcers) see only the tasks they are assigned to and the
entities those tasks are on (behaviours.md 2.1-2.2)."""
from sqlalchemy import select

from app.extensions import db
from tests import factories as f


def _setup(client):
    from app.models.entity import Entity
    from app.models.project import Project, ProjectPersonLink
    from app.models.settings import EntityType, TaskStatus, TaskType
    from app.models.task import Task, TaskPersonLink
    from app.services.projects import status_id

    vendor, headers = f.signed_in(client, role="vendor")
    project = Project(name="Outsourced", project_status_id=status_id("Open"))
    db.session.add(project)
    db.session.flush()
    db.session.add(ProjectPersonLink(project_id=project.id, person_id=vendor.id))
    prop = db.session.scalar(select(EntityType.id).where(EntityType.name == "Prop"))
    modeling = db.session.scalar(select(TaskType.id).where(TaskType.name == "Modeling"))
    todo = db.session.scalar(select(TaskStatus.id).where(TaskStatus.short_name == "todo"))
    entities, tasks = [], []
    for name in ("Mine", "Theirs"):
        entity = Entity(name=name, project_id=project.id, entity_type_id=prop)
        db.session.add(entity)
        db.session.flush()
        task = Task(name="main", project_id=project.id, entity_id=entity.id,
                    task_type_id=modeling, task_status_id=todo)
        db.session.add(task)
        db.session.flush()
        entities.append(entity)
        tasks.append(task)
    db.session.add(TaskPersonLink(task_id=tasks[0].id, person_id=vendor.id))
    db.session.commit()
    return headers, entities, tasks


def test_vendor_lists_only_assigned_tasks_and_their_entities(client):
    headers, entities, tasks = _setup(client)
    listed_tasks = client.get("/data/tasks", headers=headers).json
    assert [t["id"] for t in listed_tasks] == [str(tasks[0].id)]
    listed_entities = client.get("/data/entities", headers=headers).json
    assert [e["name"] for e in listed_entities] == ["Mine"]
    paged = client.get("/data/tasks?page=1&relations=true", headers=headers).json
    assert paged["total"] == 1


def test_vendor_cannot_read_other_tasks_or_entities_directly(client):
    headers, entities, tasks = _setup(client)
    assert client.get(f"/data/tasks/{tasks[0].id}", headers=headers).status_code == 200
    assert client.get(f"/data/tasks/{tasks[1].id}", headers=headers).status_code == 403
    assert client.get(f"/data/entities/{entities[0].id}", headers=headers).status_code == 200
    assert client.get(f"/data/entities/{entities[1].id}", headers=headers).status_code == 403
