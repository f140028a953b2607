"""Real media made in the test: pictures with Pillow, movies with ffmpeg."""
import io
import os
import shutil
import subprocess

import pytest
from PIL import Image

FFMPEG = shutil.which("ffmpeg")
needs_ffmpeg = pytest.mark.skipif(
    FFMPEG is None and not os.environ.get("CI"),
    reason="ffmpeg is not installed (apt-get install ffmpeg)")


def picture(width=640, height=360, color=(200, 40, 40), fmt="PNG"):
    """Bytes of a picture of that size: a coloured field with a white band,
    so a resize that loses the content shows."""
    image = Image.new("RGB", (width, height), color)
    band = Image.new("RGB", (max(1, width // 4), height), (255, 255, 255))
    image.paste(band, (0, 0))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def movie(path, seconds=1, fps=24, size="320x240", audio=False, codec="libx264",
          extra=()):
    """Write a test-pattern movie to `path` (its extension picks the
    container) and return the path."""
    args = [FFMPEG or "ffmpeg", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate={fps}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", codec, "-pix_fmt", "yuv420p", *extra, str(path)]
    subprocess.run(args, check=True)
    return str(path)


def probe(path):
    """(width, height, duration seconds, codec name, has_audio) of a movie."""
    import json

    result = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
         "-show_format", str(path)],
        check=True, capture_output=True, text=True)
    info = json.loads(result.stdout)
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    has_audio = any(s["codec_type"] == "audio" for s in info["streams"])
    return (video["width"], video["height"], float(info["format"]["duration"]),
            video["codec_name"], has_audio)
