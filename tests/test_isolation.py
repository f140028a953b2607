"""The per-test rollback really isolates tests: a person committed in one
test is gone in the next (run in file order)."""
from sqlalchemy import func, select

from app.extensions import db
from tests import factories as f

EMAIL = "isolation-check@example.com"


def _count():
    from app.models.person import Person
    return db.session.scalar(select(func.count()).select_from(Person).where(Person.email == EMAIL))


def test_a_commit_inside_a_test(app):
    f.person(email=EMAIL)
    assert _count() == 1


def test_is_rolled_back_before_the_next(app):
    assert _count() == 0
