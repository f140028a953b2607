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
