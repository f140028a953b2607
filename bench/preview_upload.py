"""POST /pictures/preview-files/<id> with a ~50 MB movie, under gunicorn
with JOB_QUEUE=rq and one job worker (`python -m app.job_worker`): the
request must answer at once (the source stored, the normalization queued),
the worker makes the preview ready. Printed: the upload request's time,
the time until ready, and the request's time as a ratio to the floor
(bench/upload_floor_app.py: the same body POSTed to a bare route that
saves the file) measured in the same run.

    .venv/bin/python -m bench.preview_upload [--runs 2] [--megabytes 50]

The movie is made once with ffmpeg (a test pattern with light noise, at a
constant high bitrate, so it stays big) and kept under /tmp.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import requests
from sqlalchemy import text
from urllib3 import encode_multipart_formdata

from bench import seed
from bench.live import ADMIN, live_app
from tests import settings
from tests.live_server import ROOT, LiveServer

SECONDS = 10


def source_movie(megabytes):
    """A 1080p movie of about `megabytes` MB (made once, cached in /tmp)."""
    path = f"/tmp/atelier-bench-preview-cbr-{megabytes}mb.mp4"
    if not os.path.exists(path):
        bitrate = megabytes * 8 // SECONDS
        subprocess.run(
            ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
             f"testsrc2=size=1920x1080:rate=25:duration={SECONDS}", "-vf",
             "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
             "-b:v", f"{bitrate}M", "-minrate", f"{bitrate}M", "-maxrate", f"{bitrate}M",
             "-bufsize", f"{bitrate}M", "-x264-params", "nal-hrd=cbr", "-pix_fmt", "yuv420p",
             path], check=True)
    return path


def wait_ready(url, headers, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = requests.get(url, headers=headers).json()["status"]
        if status != "processing":
            return status
        time.sleep(0.1)
    raise RuntimeError("the preview stayed processing")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()

    path = source_movie(args.megabytes)
    with open(path, "rb") as movie:
        body, content_type = encode_multipart_formdata(
            {"file": ("bench.mp4", movie.read(), "video/mp4")})
    files_dir = tempfile.mkdtemp(prefix="atelier-bench-files-")
    env = {"JOB_QUEUE": "rq", "JOB_QUEUE_NAME": f"atelier-bench-previews{settings.SUFFIX}",
           "FILES_DIR": files_dir}
    api, password, app = live_app("atelier_bench_previews", extra_env=env)
    floor = LiveServer(f"atelier_bench_previews{settings.SUFFIX}", redis_db=15,
                       app="bench.upload_floor_app:app", extra_env=env)
    with app.app_context():
        from app.extensions import db

        seed.production("Bench Previews", 1, 1)
        task_id, status_id = db.session.execute(text(
            "SELECT t.id::text, s.id::text FROM task t, task_status s "
            "WHERE s.short_name = 'wip' LIMIT 1")).one()
    api.start()
    floor.start()
    worker = subprocess.Popen([sys.executable, "-m", "app.job_worker"], cwd=ROOT,
                              env=api.env, stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(api.tmp, "worker.log"), "w"))
    try:
        token = requests.post(f"{api.url}/auth/login", json={
            "email": ADMIN, "password": password}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        upload_headers = {**auth, "Content-Type": content_type}
        uploads, readies, floors = [], [], []
        for _ in range(args.runs):
            comment = requests.post(f"{api.url}/actions/tasks/{task_id}/comment", headers=auth,
                                    json={"task_status_id": status_id}).json()
            preview = requests.post(
                f"{api.url}/actions/tasks/{task_id}/comments/{comment['id']}/add-preview",
                headers=auth, json={}).json()
            start = time.perf_counter()
            answer = requests.post(f"{api.url}/pictures/preview-files/{preview['id']}",
                                   data=body, headers=upload_headers)
            uploads.append(time.perf_counter() - start)
            assert answer.status_code == 201 and answer.json()["status"] == "processing", \
                answer.text
            status = wait_ready(f"{api.url}/data/preview-files/{preview['id']}", auth)
            readies.append(time.perf_counter() - start)
            assert status == "ready", status
            start = time.perf_counter()
            assert requests.post(f"{floor.url}/upload", data=body,
                                 headers={"Content-Type": content_type}).ok
            floors.append(time.perf_counter() - start)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        floor.stop()
        api.stop()
        shutil.rmtree(files_dir, ignore_errors=True)
    upload, ready, low = (statistics.median(v) for v in (uploads, readies, floors))
    print(f"movie: {len(body) / 1e6:.1f} MB body, {SECONDS} s 1920x1080, {args.runs} runs "
          f"(medians); {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"upload request:      {upload * 1000:7.0f} ms  (must be < 1000 ms)")
    print(f"upload until ready:  {ready:7.1f} s   (normalized by the worker)")
    print(f"floor (bare POST):   {low * 1000:7.0f} ms")
    print(f"ratio upload/floor:  {upload / low:7.2f}")


if __name__ == "__main__":
    main()
