"""Media work on previews: pictures with Pillow, movies with ffmpeg.

No database here: functions take paths and bytes and give back bytes or
facts, so the upload, the movie job, playlist builds and frame extraction
share them. Every ffmpeg and ffprobe call goes through `ffmpeg()` and
`probe()`, which turn a missing binary or a failed run into MediaError
with a message a studio can act on.
"""
import io
import json
import math
import os
import shutil
import subprocess

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Zou's picture variants: (width, height); a height of 0 follows the ratio.
VARIANT_SIZES = {"thumbnails": (150, 100), "thumbnails-square": (100, 100),
                 "previews": (1200, 0)}
DEFAULT_HEIGHT = 1080
DEFAULT_FPS = 25.0
LOWDEF_WIDTH = 1280
TILE_HEIGHT = 100
TILE_COLUMNS = 8
TILE_MAX_ROWS = 480
ERROR_TAIL = 600  # characters of ffmpeg's error output kept for the reason


class MediaError(Exception):
    """A picture or movie that could not be read or encoded; the message
    is safe to show and to store as the reason a preview is broken."""


# Pictures --------------------------------------------------------------------

def _to_srgb(image):
    """Colours as a browser shows them: an embedded ICC profile (CMYK for
    print, wide-gamut RGB) converted to sRGB; RGB(A) or L out."""
    profile = image.info.get("icc_profile")
    if image.mode in ("I", "I;16"):
        image = image.point(lambda v: v / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if has_alpha else "RGB")
    if profile and image.mode in ("RGB", "RGBA"):
        try:
            image = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"), outputMode=image.mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # A broken profile is no reason to refuse the picture.
    return image


def open_picture(data):
    """The picture in `data` (bytes), upright and in sRGB, or MediaError."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        return _to_srgb(ImageOps.exif_transpose(image))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError,
            SyntaxError):
        raise MediaError("The file is not a picture that can be read.")


def png(image):
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def fit(image, size):
    """The picture scaled (up or down) to fit in `size`, centred on a
    transparent canvas of exactly that size, as Zou builds its variants."""
    width, height = size
    if height == 0:
        height = max(1, math.ceil(width * image.height / image.width))
    return ImageOps.pad(image.convert("RGBA"), (width, height), color=(0, 0, 0, 0))


def picture_variants(image):
    """{variant: PNG bytes} of a picture: the original and its three sizes."""
    out = {name: png(fit(image, size)) for name, size in VARIANT_SIZES.items()}
    out["original"] = png(image)
    return out


# ffmpeg ------------------------------------------------------------------------

def _binary(name):
    path = shutil.which(name)
    if path is None:
        raise MediaError(f"{name} is not installed on the server: "
                         "apt-get install ffmpeg (it brings ffprobe).")
    return path


def ffmpeg(args, timeout=None):
    """Run ffmpeg with `args` (no binary name); MediaError with the tail of
    its error output when it fails."""
    command = [_binary("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
               *map(str, args)]
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MediaError(f"ffmpeg took longer than {timeout} s.")
    if result.returncode != 0:
        tail = result.stderr.decode(errors="replace").strip()[-ERROR_TAIL:]
        raise MediaError(f"ffmpeg failed: {tail or 'exit code ' + str(result.returncode)}")


def _rate(text):
    try:
        num, _, den = str(text).partition("/")
        return float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0


def probe(path):
    """What a movie holds: {width, height, duration, fps, ratio (display
    aspect), has_audio, codec}, or MediaError when it holds no video."""
    result = subprocess.run(
        [_binary("ffprobe"), "-v", "error", "-print_format", "json", "-show_streams",
         "-show_format", str(path)], capture_output=True)
    if result.returncode != 0:
        raise MediaError("The file is not a movie that can be read.")
    info = json.loads(result.stdout or b"{}")
    streams = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise MediaError("The movie has no video track.")
    width, height = int(video["width"]), int(video["height"])
    ratio = width / height
    aspect = video.get("display_aspect_ratio", "")
    if ":" in aspect and _rate(aspect.replace(":", "/")) > 0:
        ratio = _rate(aspect.replace(":", "/"))
    duration = float(video.get("duration") or info.get("format", {}).get("duration") or 0)
    return {"width": width, "height": height, "duration": duration,
            "fps": _rate(video.get("r_frame_rate")) or DEFAULT_FPS, "ratio": ratio,
            "has_audio": any(s.get("codec_type") == "audio" for s in streams),
            "codec": video.get("codec_name")}


# Movies ----------------------------------------------------------------------

def _even(value):
    value = int(value)
    return value + 1 if value % 2 else value


def target_size(resolution, source_ratio):
    """(width, height) of the normalized movie: "WxH" as is, "xH" (or
    nothing: 1080) with the source's ratio; both even, as H.264 needs."""
    width, height = None, DEFAULT_HEIGHT
    text = (resolution or "").strip()
    if "x" in text:
        left, _, right = text.partition("x")
        if right.isdigit():
            height = int(right)
            width = int(left) if left.isdigit() else None
    if width is None:
        width = math.floor(source_ratio * height)
    return _even(width), _even(height)


def lowdef_size(width, height):
    return LOWDEF_WIDTH, _even(math.floor(height / width * LOWDEF_WIDTH))


def _x264(bitrate, preset):
    return ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", preset,
            "-b:v", f"{bitrate}M", "-maxrate", f"{bitrate}M", "-bufsize", f"{bitrate * 2}M",
            "-x264opts", "keyint=2:scenecut=0", "-c:a", "aac", "-movflags", "+faststart",
            "-f", "mp4"]


def normalize(source, outputs, *, fps, width, height, bitrates, preset="medium", info=None,
              timeout=None):
    """Encode `source` into outputs["previews"] (H.264 yuv420p at width x
    height, fitted and padded, at `fps`) and outputs["lowdef"] (the same,
    1280 wide), one decode for both; bitrates = (high, low) in Mbit/s. A
    movie without sound gets a silent track, and the sound of any movie is
    padded to the picture's length (players stall on a short track)."""
    info = info or probe(source)
    low_width, low_height = lowdef_size(width, height)
    audio = "[0:a:0]apad" if info["has_audio"] else "anullsrc=r=48000:cl=stereo"
    graph = (
        "[0:v:0]scale=trunc(iw*sar/2)*2:ih,"
        f"scale={width}:{height}:force_original_aspect_ratio=decrease:force_divisible_by=2,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={fps},split=2[hd][v];"
        f"[v]scale={low_width}:{low_height},setsar=1[ld];"
        f"{audio},asplit=2[a1][a2]")
    # The padded sound never ends by itself: each output stops at the
    # picture's length.
    length = ["-t", f"{info['duration']:.3f}"] if info["duration"] > 0 else ["-shortest"]
    high, low = bitrates
    ffmpeg(["-i", source, "-filter_complex", graph,
            "-map", "[hd]", "-map", "[a1]", *length, *_x264(high, preset), outputs["previews"],
            "-map", "[ld]", "-map", "[a2]", *length, *_x264(low, preset), outputs["lowdef"]],
           timeout=timeout)


def frame(movie, path, seconds=0.0):
    """Write the frame at `seconds` of the movie as a PNG at `path`."""
    ffmpeg(["-ss", f"{max(0.0, seconds):.3f}", "-i", movie, "-frames:v", "1",
            "-update", "1", path])
    if not os.path.isfile(path):
        raise MediaError("The movie has no frame at that time.")


def tile(movie, path, info=None):
    """Write the movie's tile strip at `path`: frames 100 px high, eight a
    row, every frame up to 480 rows (a longer movie is sampled evenly)."""
    info = info or probe(movie)
    frames = max(1, round(info["duration"] * info["fps"]))
    rows = min(math.ceil(frames / TILE_COLUMNS), TILE_MAX_ROWS)
    width = math.ceil(TILE_HEIGHT * info["ratio"])
    sample = ""
    if rows == TILE_MAX_ROWS:
        step = math.ceil(frames / (TILE_COLUMNS * TILE_MAX_ROWS))
        sample = rf"select='not(mod(n\,{step}))',"
    ffmpeg(["-threads", "1", "-i", movie, "-vf",
            f"{sample}scale={width}:{TILE_HEIGHT},tile={TILE_COLUMNS}x{rows}",
            "-frames:v", "1", "-update", "1", path])
