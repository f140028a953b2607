import uuid

import gazu
import pytest

from tests import settings
from tests.live_server import LiveServer

ADMIN = "admin@studio.example.com"
PASSWORD = "artist-password-1"


@pytest.fixture(scope="session")
def server():
    live = LiveServer(f"atelier_compat{settings.SUFFIX}", redis_db=settings.COMPAT_REDIS_DB)
    live.admin_password = live.setup(ADMIN)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def gazu_client(server):
    return gazu.client.create_client(server.url)


@pytest.fixture
def admin(server, gazu_client):
    """A gazu client signed in as the first admin."""
    gazu.log_in(ADMIN, server.admin_password, client=gazu_client)
    return gazu_client


def unique(prefix):
    """A name of its own: the compat server is shared by the whole session
    and never rolled back."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def named(kind, name, client):
    return gazu.client.fetch_first(kind, {"name": name}, client=client)


@pytest.fixture
def production(server, admin):
    """A project with an asset and a shot, each with a task assigned to a
    signed-in artist, and one more task assigned to nobody."""
    project = gazu.project.new_project(unique("Views"), client=admin)
    artist = gazu.person.new_person(unique("Artist"), "Views",
                                    f"{uuid.uuid4().hex[:10]}@studio.example.com",
                                    client=admin)
    gazu.project.add_person_to_team(project, artist, client=admin)
    server.manage("change-password", artist["email"], "--password", PASSWORD)
    artist_client = gazu.client.create_client(server.url)
    gazu.log_in(artist["email"], PASSWORD, client=artist_client)
    prop = named("entity-types", "Prop", admin)
    modeling = named("task-types", "Modeling", admin)
    layout = named("task-types", "Layout", admin)
    todo = named("task-status", "Todo", admin)
    asset = gazu.asset.new_asset(project, prop, unique("Lamp"), client=admin)
    sequence = gazu.shot.new_sequence(project, "SQ01", client=admin)
    shot = gazu.shot.new_shot(project, sequence, "SH010", client=admin)
    asset_task = gazu.task.new_task(asset, modeling, task_status=todo, assignees=[artist],
                                    client=admin)
    shot_task = gazu.task.new_task(shot, layout, task_status=todo, assignees=[artist],
                                   client=admin)
    spare = gazu.task.new_task(asset, layout, task_status=todo, client=admin)
    return dict(project=project, artist=artist, client=artist_client, prop=prop,
                asset=asset, sequence=sequence, shot=shot, modeling=modeling, layout=layout,
                asset_task=asset_task, shot_task=shot_task, spare=spare)
