"""Fixtures of the media tests (a pytest plugin: pytest_plugins =
("tests.media_fixtures",))."""
import pytest

from tests.media_helpers import cast


@pytest.fixture
def crew(client):
    """A production with one signed-in person per role (see cast())."""
    return cast(client)
