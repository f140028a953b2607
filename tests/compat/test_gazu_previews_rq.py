"""A movie upload with JOB_QUEUE=rq: the request answers at once with the
preview processing, and a worker process (`python -m app.job_worker`)
makes it ready. The server of this module runs with the job queue."""
import subprocess
import sys

import gazu
import pytest

from tests import settings
from tests.compat.conftest import ADMIN
from tests.live_server import ROOT, LiveServer
from tests.media import movie, needs_ffmpeg

pytestmark = needs_ffmpeg


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(f"atelier_previews_rq{settings.SUFFIX}", redis_db=settings.TEST_REDIS_DB,
                      extra_env={"JOB_QUEUE": "rq",
                                 "JOB_QUEUE_NAME": f"atelier-previews-rq{settings.SUFFIX}",
                                 "FILES_DIR": str(tmp_path_factory.mktemp("rq-files"))})
    live.admin_password = live.setup(ADMIN)
    live.start()
    yield live
    live.stop()


def test_worker_makes_the_movie_ready(server, admin, production, tmp_path):
    wip = gazu.client.fetch_first("task-status", {"name": "Work In Progress"}, client=admin)
    artist, task = production["client"], production["shot_task"]
    comment = gazu.task.add_comment(task, wip, "anim", client=artist)
    path = movie(tmp_path / "anim.mp4", seconds=1, size="320x240")
    preview = gazu.task.add_preview(task, comment, path, client=artist)
    assert (preview["status"], preview["extension"]) == ("processing", "mp4")
    assert gazu.files.get_preview_file(preview["id"], client=admin)["status"] == "processing"
    subprocess.run([sys.executable, "-m", "app.job_worker", "--burst"], cwd=ROOT,
                   env=server.env, check=True, capture_output=True, timeout=300)
    ready = gazu.files.get_preview_file(preview["id"], client=admin)
    assert ready["status"] == "ready"
    assert (ready["height"], ready["duration"] > 0.9) == (1080, True)
    assert gazu.task.get_task(task["id"], client=admin)["last_preview_file_id"] == \
        preview["id"]
