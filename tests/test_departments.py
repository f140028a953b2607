"""/data/departments/* (software licences, hardware items, members) and
the organisation's single row (behaviours.md row 30)."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.settings import (
    HardwareItem, HardwareItemDepartmentLink, Organisation, Software, SoftwareDepartmentLink,
)
from tests import factories as f

MISSING = "00000000-0000-4000-8000-000000000000"
KINDS = [
    # (url segment, body field, link model, item factory)
    ("software-licenses", "software_id", SoftwareDepartmentLink,
     lambda: f.row(Software, name=f.unique("Soft"), short_name="sft", file_extension=".sft")),
    ("hardware-items", "hardware_item_id", HardwareItemDepartmentLink,
     lambda: f.row(HardwareItem, name=f.unique("GPU"), short_name="gpu")),
]
KIND_IDS = [k[0] for k in KINDS]


def _links(link, department):
    return db.session.scalar(select(func.count()).select_from(link).where(
        link.department_id == department.id))


@pytest.mark.parametrize("who", f.CALLERS)
@pytest.mark.parametrize("url_name,field,link,new_item", KINDS, ids=KIND_IDS)
def test_only_admins_manage_department_inventories(client, who, url_name, field, link,
                                                   new_item):
    _, headers = f.caller(client, who)
    department, item = f.department(), new_item()
    base = f"/data/departments/{department.id}/{url_name}"
    added = client.post(base, json={field: str(item.id)}, headers=headers)
    listed = client.get(f"/data/departments/{url_name}", headers=headers)
    one = client.get(f"{base}/{item.id}", headers=headers)
    removed = client.delete(f"{base}/{item.id}", headers=headers)
    statuses = [r.status_code for r in (added, listed, one, removed)]
    if who == "admin":
        assert statuses == [201, 200, 200, 204]
        assert _links(link, department) == 0
    else:
        refused = 401 if who == "anonymous" else 403
        assert statuses == [refused] * 4
        assert added.json["error"] is True


@pytest.mark.parametrize("url_name,field,link,new_item", KINDS, ids=KIND_IDS)
def test_an_inventory_round_trip(client, url_name, field, link, new_item):
    _, headers = f.signed_in(client, role="admin")
    lighting, comp = f.department(), f.department()
    first, second, unlinked = new_item(), new_item(), new_item()
    for department, item in ((lighting, first), (lighting, second), (comp, first)):
        response = client.post(f"/data/departments/{department.id}/{url_name}",
                               json={field: str(item.id)}, headers=headers)
        assert response.status_code == 201
        assert response.json["department_id"] == str(department.id)
        assert response.json[field] == str(item.id)
    again = client.post(f"/data/departments/{lighting.id}/{url_name}",
                        json={field: str(first.id)}, headers=headers)
    assert again.status_code == 201
    assert _links(link, lighting) == 2

    by_department = client.get(f"/data/departments/{url_name}", headers=headers).json
    assert {d: sorted(i["id"] for i in items) for d, items in by_department.items()} == {
        str(lighting.id): sorted([str(first.id), str(second.id)]),
        str(comp.id): [str(first.id)],
    }
    one = client.get(f"/data/departments/{lighting.id}/{url_name}/{second.id}",
                     headers=headers).json
    assert (one["id"], one["name"], one["type"]) == (str(second.id), second.name,
                                                     type(second).__name__)
    assert client.get(f"/data/departments/{comp.id}/{url_name}/{second.id}",
                      headers=headers).status_code == 404
    assert client.get(f"/data/departments/{lighting.id}/{url_name}/{unlinked.id}",
                      headers=headers).status_code == 404

    removed = client.delete(f"/data/departments/{lighting.id}/{url_name}/{first.id}",
                            headers=headers)
    assert removed.status_code == 204
    assert _links(link, lighting) == 1 and _links(link, comp) == 1
    # Removing what is not linked is no error.
    assert client.delete(f"/data/departments/{lighting.id}/{url_name}/{unlinked.id}",
                         headers=headers).status_code == 204


@pytest.mark.parametrize("url_name,field,link,new_item", KINDS, ids=KIND_IDS)
def test_unknown_departments_and_items(client, url_name, field, link, new_item):
    _, headers = f.signed_in(client, role="admin")
    department, item = f.department(), new_item()
    assert client.post(f"/data/departments/{MISSING}/{url_name}", json={field: str(item.id)},
                       headers=headers).status_code == 404
    assert client.post(f"/data/departments/{department.id}/{url_name}", json={field: MISSING},
                       headers=headers).status_code == 404
    assert client.delete(f"/data/departments/{department.id}/{url_name}/{MISSING}",
                         headers=headers).status_code == 404
    missing_field = client.post(f"/data/departments/{department.id}/{url_name}", json={},
                                headers=headers)
    assert missing_field.status_code == 400
    assert field in missing_field.json["message"]
    assert client.get(f"/data/departments/not-an-id/{url_name}/{item.id}",
                      headers=headers).status_code == 400


def test_hardware_items_of_a_department_are_readable_one_by_one(client):
    # Zou 1.0.97 answers 500 on this route (its handler misses the item id).
    _, headers = f.signed_in(client, role="admin")
    department = f.department()
    item = KINDS[1][3]()
    client.post(f"/data/departments/{department.id}/hardware-items",
                json={"hardware_item_id": str(item.id)}, headers=headers)
    response = client.get(f"/data/departments/{department.id}/hardware-items/{item.id}",
                          headers=headers)
    assert response.status_code == 200
    assert response.json["id"] == str(item.id)


# Members -------------------------------------------------------------------

@pytest.mark.parametrize("who", f.CALLERS)
def test_department_members_are_listed_by_name_to_everyone_signed_in(client, who):
    _, headers = f.caller(client, who)
    department = f.department()
    zoe, adam = f.person(first_name="Zoe"), f.person(first_name="Adam")
    f.person()  # not in the department
    for person in (zoe, adam):
        person.departments = [department]
    db.session.commit()
    response = client.get(f"/data/departments/{department.id}/persons", headers=headers)
    if who == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    if who == "client":
        assert response.json == []  # clients only see their productions' people
        return
    assert [p["id"] for p in response.json] == [str(adam.id), str(zoe.id)]
    assert response.json[0]["departments"] == [str(department.id)]
    assert ("email" in response.json[0]) == (who in ("admin", "manager"))


def test_members_of_an_unknown_department(client):
    _, headers = f.signed_in(client)
    assert client.get(f"/data/departments/{MISSING}/persons", headers=headers).status_code == 404


# The organisation ----------------------------------------------------------

def _organisations():
    return db.session.scalar(select(func.count()).select_from(Organisation))


@pytest.mark.parametrize("who", f.CALLERS)
def test_there_is_only_ever_one_organisation(client, who):
    _, headers = f.caller(client, who)
    listed = client.get("/data/organisations", headers=headers)
    created = client.post("/data/organisations", json={"name": "Second studio"},
                          headers=headers)
    if who == "anonymous":
        assert (listed.status_code, created.status_code) == (401, 401)
    else:
        assert listed.status_code == 200
        assert len(listed.json) == 1
        assert created.status_code == (400 if who == "admin" else 403)
        organisation_id = listed.json[0]["id"]
        deleted = client.delete(f"/data/organisations/{organisation_id}", headers=headers)
        assert deleted.status_code == (400 if who == "admin" else 403)
    assert _organisations() == 1


@pytest.mark.parametrize("who", f.CALLERS)
def test_only_admins_update_the_organisation(client, who):
    _, headers = f.caller(client, who)
    organisation = db.session.scalars(select(Organisation)).one()
    response = client.put(f"/data/organisations/{organisation.id}",
                          json={"hours_by_day": 7.5, "chat_token_slack": "xoxb-1"},
                          headers=headers)
    db.session.expire_all()
    stored = db.session.get(Organisation, organisation.id)
    if who == "admin":
        assert response.status_code == 200
        assert (response.json["hours_by_day"], response.json["chat_token_slack"]) == (
            7.5, "xoxb-1")
        assert (stored.hours_by_day, stored.chat_token_slack) == (7.5, "xoxb-1")
    else:
        assert response.status_code == (401 if who == "anonymous" else 403)
        assert stored.hours_by_day == organisation.hours_by_day


def test_non_admins_never_see_chat_tokens(client):
    organisation = db.session.scalars(select(Organisation)).one()
    organisation.chat_token_slack = "xoxb-secret"
    db.session.commit()
    _, headers = f.signed_in(client, role="manager")
    listed = client.get("/data/organisations", headers=headers).json[0]
    one = client.get(f"/data/organisations/{organisation.id}", headers=headers).json
    for body in (listed, one):
        assert body["name"] == organisation.name
        assert "chat_token_slack" not in body and "chat_webhook_mattermost" not in body
    filtered = client.get("/data/organisations?chat_token_slack=xoxb-secret", headers=headers)
    assert filtered.status_code == 400
