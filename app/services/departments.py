"""What departments hold: software licences, hardware items (the inventory
budgets are forecast from) and members (behaviours.md row 30)."""
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert

from app.errors import NotFound
from app.extensions import db
from app.permissions import as_uuid, require_admin
from app.serialize import serialize
from app.services import crud, persons


def _inventory(kind):
    """(collection of the items, link model, link column naming the item)."""
    from app.models.settings import HardwareItemDepartmentLink, SoftwareDepartmentLink

    name, link, column = {
        "software": ("softwares", SoftwareDepartmentLink, "software_id"),
        "hardware": ("hardware-items", HardwareItemDepartmentLink, "hardware_item_id"),
    }[kind]
    return crud.collection(name), link, link.__table__.c[column]


def _department(department_id):
    return crud.load(crud.collection("departments"), department_id)


def items_by_department(actor, kind):
    """{department id: [items]} over every department that has some."""
    require_admin(actor)
    coll, link, item_column = _inventory(kind)
    rows = crud.select_rows(coll, actor, coll.table.c.id == item_column,
                            columns=[link.department_id.label("department_id")], sort=("name",))
    out = {}
    for row in rows:
        out.setdefault(row.pop("department_id"), []).append(row)
    return out


def department_items(actor, kind, department_id, *criteria):
    require_admin(actor)
    coll, link, item_column = _inventory(kind)
    department = _department(department_id)
    linked = select(item_column).where(link.department_id == department.id)
    return crud.select_rows(coll, actor, coll.table.c.id.in_(linked), *criteria, sort=("name",))


def department_item(actor, kind, department_id, item_id):
    """One item of the department, or 404 when it is not linked to it.
    (Zou answers 500 on the hardware route: its handler lacks the item id.)"""
    coll, _, _ = _inventory(kind)
    found = department_items(actor, kind, department_id,
                             coll.table.c.id == as_uuid(item_id, "ID"))
    if not found:
        raise NotFound(f"This {coll.wire_type} is not linked to the department.")
    return found[0]


def _link(actor, kind, department_id, item_id):
    """(link model, its values) for an existing department and item."""
    require_admin(actor)
    coll, link, item_column = _inventory(kind)
    department = _department(department_id)
    item = crud.load(coll, item_id)
    return link, {"department_id": department.id, item_column.name: item.id}


def add_item(actor, kind, department_id, item_id):
    """Link an item to a department (linking twice is no error); returns the link."""
    link, values = _link(actor, kind, department_id, item_id)
    db.session.execute(insert(link).values(values).on_conflict_do_nothing())
    row = db.session.scalars(select(link).filter_by(**values)).one()
    db.session.commit()
    return serialize(row)


def remove_item(actor, kind, department_id, item_id):
    link, values = _link(actor, kind, department_id, item_id)
    db.session.execute(delete(link).filter_by(**values))
    db.session.commit()


def members(actor, department_id):
    """The department's people with their departments, by name, shown as
    /data/persons shows them to the caller."""
    from app.models.person import DepartmentLink, Person

    department = _department(department_id)
    members_ = select(DepartmentLink.person_id).where(
        DepartmentLink.department_id == department.id)
    return crud.select_rows(
        crud.collection("persons"), actor, Person.id.in_(members_),
        *persons.visible_to(actor), relations=True, sort=("first_name", "last_name"))
