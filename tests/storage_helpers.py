"""A real S3 server for the storage tests: moto's standalone server in a
process of its own, on a free port."""
import os
import subprocess
import sys
import time

import pytest
import requests

from tests import settings

MOTO = os.path.join(os.path.dirname(sys.executable), "moto_server")


@pytest.fixture(scope="session")
def s3_server():
    port = settings.free_port()
    process = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            requests.get(url, timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError("moto_server did not start")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def s3_settings(url, prefix):
    return {"FS_BACKEND": "s3", "FS_S3_ENDPOINT": url, "FS_S3_REGION": "eu-west-3",
            "FS_S3_ACCESS_KEY": "test-key", "FS_S3_SECRET_KEY": "test-secret",
            "FS_BUCKET_PREFIX": prefix}


@pytest.fixture
def use_s3(app, s3_server, monkeypatch):
    """The app stores its files on the S3 server for this test (buckets of
    a prefix of the test's own)."""
    prefix = f"t{settings.SLOT}-{os.getpid()}-{time.monotonic_ns()}-"
    for name, value in s3_settings(s3_server, prefix).items():
        monkeypatch.setitem(app.config, name, value)
    return prefix
