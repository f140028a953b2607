import uuid

import pytest

from tests import settings
from tests.live_server import LiveServer

ADMIN = "admin@studio.example.com"


@pytest.fixture(scope="session")
def server():
    live = LiveServer(f"atelier_compat{settings.SUFFIX}", redis_db=settings.COMPAT_REDIS_DB)
    live.admin_password = live.setup(ADMIN)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def gazu_client(server):
    import gazu

    return gazu.client.create_client(server.url)


@pytest.fixture
def admin(server, gazu_client):
    """A gazu client signed in as the first admin."""
    import gazu

    gazu.log_in(ADMIN, server.admin_password, client=gazu_client)
    return gazu_client


def unique(prefix):
    """A name of its own: the compat server is shared by the whole session
    and never rolled back."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"
