"""What every kind of entity shares (app/services/entities.py): creation
idempotent on (type, parent, project, name), cancel or delete, and the
/data/entities/<id> lists of previews and time logged."""
import datetime

import pytest
from sqlalchemy import select

from app.auth import Actor
from app.errors import NotFound
from app.extensions import db
from app.models.entity import Entity
from app.models.events import ApiEvent
from app.services import entities
from tests import factories as f


def test_entity_type_ids_are_stable_and_made_for_built_in_kinds(app):
    assert entities.entity_type_id("Shot") == entities.entity_type_id("Shot")
    with pytest.raises(NotFound):
        entities.entity_type_id("No such kind")
    assert entities.kind_of("Shot") == "Shot" and entities.kind_of("Character") == "Asset"


def test_previews_and_time_spents_of_an_entity(client):
    project = f.project()
    admin = f.signed_in(client, role="admin")[1]
    asset = f.asset(project)
    first, second = f.task(project, entity=asset), f.task(project, entity=asset)
    old = f.preview_file(first, revision=1)
    new = f.preview_file(second, revision=3)
    f.preview_file(f.task(project))
    previews = client.get(f"/data/entities/{asset.id}/preview-files", headers=admin).json
    assert [p["id"] for p in previews] == [str(new.id), str(old.id)]
    artist = f.member(project)
    early = f.time_spent(first, artist, date=datetime.date(2030, 1, 1), duration=60.0)
    late = f.time_spent(second, artist, date=datetime.date(2030, 2, 1), duration=120.0)
    spent = client.get(f"/data/entities/{asset.id}/time-spents", headers=admin).json
    assert [(t["id"], t["duration"]) for t in spent] == [(str(late.id), 120.0),
                                                         (str(early.id), 60.0)]


def test_a_vendor_sees_the_previews_of_their_tasks_only(client):
    project = f.project()
    vendor = f.member(project, "vendor")
    headers = f.bearer(f.login(client, vendor.email).json["access_token"])
    asset = f.asset(project)
    theirs = f.preview_file(f.task(project, entity=asset, assignees=[vendor]))
    f.preview_file(f.task(project, entity=asset))
    previews = client.get(f"/data/entities/{asset.id}/preview-files", headers=headers).json
    assert [p["id"] for p in previews] == [str(theirs.id)]
    other = f.asset(project)
    assert client.get(f"/data/entities/{other.id}/preview-files",
                      headers=headers).status_code == 403


def test_unknown_entities_give_404(client):
    admin = f.signed_in(client, role="admin")[1]
    missing = "8a0b1a52-31e2-4d1e-9a43-2bb0e1a7c111"
    for tail in ("preview-files", "time-spents", "entities-linked/with-tasks"):
        assert client.get(f"/data/entities/{missing}/{tail}", headers=admin).status_code == 404


def test_create_entity_is_idempotent_under_one_parent(client):
    project = f.project()
    manager = f.member(project, "manager")
    actor = Actor(person=manager, department_ids=())
    sequence_type = entities.entity_type_id("Sequence")
    shot_type = entities.entity_type_id("Shot")
    seq_a = entities.create_entity(actor, project.id, sequence_type, "SQ01")
    seq_b = entities.create_entity(actor, project.id, sequence_type, "SQ02")
    shot = entities.create_entity(actor, project.id, shot_type, "SH010", parent_id=seq_a.id,
                                  data={"frame_in": 1}, nb_frames=24)
    assert entities.create_entity(actor, project.id, shot_type, "SH010",
                                  parent_id=seq_a.id).id == shot.id
    other = entities.create_entity(actor, project.id, shot_type, "SH010", parent_id=seq_b.id)
    assert other.id != shot.id and (shot.data, shot.nb_frames) == ({"frame_in": 1}, 24)
    db.session.commit()
    names = db.session.scalars(select(ApiEvent.name).where(
        ApiEvent.project_id == project.id)).all()
    assert sorted(names) == ["sequence:new", "sequence:new", "shot:new", "shot:new"]
    assert db.session.get(Entity, shot.id).created_by == manager.id
