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
