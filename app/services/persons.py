"""Person records as the API shows them."""
from sqlalchemy import select

from app.extensions import db
from app.serialize import serialize_person


def department_ids(person_id):
    from app.models.person import DepartmentLink

    return [
        str(d) for d in db.session.execute(
            select(DepartmentLink.department_id).where(DepartmentLink.person_id == person_id)
        ).scalars()
    ]


def serialize_self(person, departments):
    """A person as they see themselves: every field but the secrets."""
    data = serialize_person(person)
    data["departments"] = list(departments)
    return data
