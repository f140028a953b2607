"""Frames taken out of previews: one frame of a movie, its tile strip, and
frames with their annotations drawn on (one PNG, a zip, or a PDF).

Drawing covers what reviewers mostly leave on a frame: free-hand paths
(fabric.js "path" objects, M/L/Q/C commands), lines and polylines, and
text. Left out: rectangles, ellipses, arrows, the eraser, and object
transforms (rotation, skew, scaleX/scaleY): objects are drawn at their
canvas coordinates, scaled from the drawing canvas to the frame.
"""
import io
import os
import tempfile
import zipfile

from flask import Response
from PIL import Image, ImageColor, ImageDraw, ImageFont

from app.errors import BadRequest, NotFound
from app.extensions import db
from app.models.task import Task
from app.permissions import require_project_manager
from app.services import media, preview_media, preview_store, previews, storage
from app.services.preview_processing import MediaError, frame, tile

CURVE_STEPS = 12


# Access -------------------------------------------------------------------------------

def _for_manager(actor, preview_file_id):
    row = previews.load(preview_file_id)
    task = db.session.get(Task, row.task_id) if row.task_id else None
    if task is None:
        raise NotFound("This preview file belongs to no task.")
    require_project_manager(actor, task.project_id)
    return row, task


def _png_response(data):
    response = Response(data, mimetype="image/png")
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


# Frames of movies ------------------------------------------------------------------------

def _fps(task):
    return float(previews.encoding_parameters(task)[0])


def _movie_frame(row, task, frame_number):
    """PNG bytes of the frame (counted from 1) of the preview's movie."""
    if not preview_media.is_movie(row):
        raise NotFound("This preview file is not a movie.")
    seconds = max(frame_number - 1, 0) / _fps(task)
    with tempfile.TemporaryDirectory(prefix="atelier-frame-") as folder:
        target = os.path.join(folder, "frame.png")
        with storage.backend().local_copy(*previews.movie_path_key(row)) as movie:
            try:
                frame(movie, target, seconds)
            except MediaError as error:
                raise NotFound(str(error))
        with open(target, "rb") as result:
            return result.read()


def extract_frame(actor, preview_file_id, frame_number):
    """GET /actions/preview-files/<id>/extract-frame?frame_number=N."""
    row, task = _for_manager(actor, preview_file_id)
    return _png_response(_movie_frame(row, task, frame_number))


def extract_tile(actor, preview_file_id):
    """GET .../extract-tile: build the movie's tile strip again (anyone who
    sees the task), store it, and send it."""
    row = preview_media.get_for(actor, preview_file_id)
    if not preview_media.is_movie(row):
        raise NotFound("This preview file is not a movie.")
    with tempfile.TemporaryDirectory(prefix="atelier-tile-") as folder:
        target = os.path.join(folder, "tile.png")
        with storage.backend().local_copy(*previews.movie_path_key(row)) as movie:
            try:
                tile(movie, target)
            except MediaError as error:
                raise NotFound(str(error))
        with open(target, "rb") as result:
            data = result.read()
    storage.backend().put(preview_store.PICTURES, preview_store.key("tiles", row.id), data)
    return _png_response(data)


# Annotated frames -----------------------------------------------------------------------------

def _picture(row):
    if (row.extension or "").lower() not in previews.PICTURE_EXTENSIONS:
        raise BadRequest(f"Annotated frames come from movies and pictures, not from "
                         f".{row.extension} files.")
    with storage.backend().open(preview_store.PICTURES,
                                preview_store.key("original", row.id)) as source:
        return source.read()


def _annotated_frames(row, task):
    """[(frame number, annotated PNG bytes)] of every annotated time of the
    preview, in time order (a picture's annotations are numbered 1, 2...)."""
    annotations = sorted((a for a in row.annotations or [] if a.get("time") is not None),
                         key=lambda a: float(a["time"]))
    if not annotations:
        raise NotFound("This preview file has no annotations.")
    if not preview_media.is_movie(row):
        base = _picture(row)
        return [(n, draw(base, a)) for n, a in enumerate(annotations, 1)]
    fps = _fps(task)
    frames = []
    for annotation in annotations:
        number = round(float(annotation["time"]) * fps) + 1
        frames.append((number, draw(_movie_frame(row, task, number), annotation)))
    return frames


def extract_annotated_frame(actor, preview_file_id, frame_number=None):
    """GET .../extract-annotated-frame: a movie's frame `frame_number`, or
    the picture, with the annotation of that time drawn on."""
    row, task = _for_manager(actor, preview_file_id)
    annotations = row.annotations or []
    if not preview_media.is_movie(row):
        if not annotations:
            raise NotFound("This preview file has no annotations.")
        return _png_response(draw(_picture(row), annotations[0]))
    if frame_number is None:
        raise BadRequest("Field 'frame_number' is required for a movie.")
    fps = _fps(task)
    time = (frame_number - 1) / fps
    annotation = next((a for a in annotations if a.get("time") is not None
                       and abs(float(a["time"]) - time) <= 1 / (2 * fps)), None)
    if annotation is None:
        raise NotFound(f"Frame {frame_number} has no annotation.")
    return _png_response(draw(_movie_frame(row, task, frame_number), annotation))


def _bundle_name(row, extension):
    return os.path.splitext(preview_media.download_name(row, "png"))[0] + \
        f"_annotated_frames.{extension}"


def extract_annotated_frames_zip(actor, preview_file_id):
    row, task = _for_manager(actor, preview_file_id)
    base = os.path.splitext(preview_media.download_name(row, "png"))[0]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for number, data in _annotated_frames(row, task):
            archive.writestr(f"{base}_frame_{number}.png", data)
    response = Response(out.getvalue(), mimetype="application/zip")
    media.attachment(response, _bundle_name(row, "zip"))
    return response


def extract_annotated_frames_pdf(actor, preview_file_id):
    row, task = _for_manager(actor, preview_file_id)
    pages = [Image.open(io.BytesIO(data)).convert("RGB")
             for _, data in _annotated_frames(row, task)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:])
    response = Response(out.getvalue(), mimetype="application/pdf")
    media.attachment(response, _bundle_name(row, "pdf"))
    return response


# Drawing ---------------------------------------------------------------------------------------

def _color(value, default="#ff3b30"):
    try:
        return ImageColor.getrgb(value) if value and value != "transparent" else \
            ImageColor.getrgb(default)
    except ValueError:
        return ImageColor.getrgb(default)


def _curve(start, points, steps=CURVE_STEPS):
    """Points along a quadratic (2 control points) or cubic (3) curve."""
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        if len(points) == 2:
            (cx, cy), (ex, ey) = points
            x = (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * cx + t * t * ex
            y = (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * cy + t * t * ey
        else:
            (ax, ay), (bx, by), (ex, ey) = points
            x = ((1 - t) ** 3 * start[0] + 3 * (1 - t) ** 2 * t * ax
                 + 3 * (1 - t) * t * t * bx + t ** 3 * ex)
            y = ((1 - t) ** 3 * start[1] + 3 * (1 - t) ** 2 * t * ay
                 + 3 * (1 - t) * t * t * by + t ** 3 * ey)
        out.append((x, y))
    return out


def _path_segments(commands):
    """Polylines (canvas coordinates) of an SVG-like command list."""
    segments, current = [], None
    for command in commands or []:
        if not isinstance(command, (list, tuple)) or not command:
            continue
        op, args = str(command[0]).upper(), [float(v) for v in command[1:]]
        pairs = list(zip(args[0::2], args[1::2]))
        if op == "M" and pairs:
            current = pairs[0]
            segments.append([current])
        elif op == "L" and pairs and segments:
            current = pairs[0]
            segments[-1].append(current)
        elif op in ("Q", "C") and len(pairs) == (2 if op == "Q" else 3) and segments:
            segments[-1].extend(_curve(current, pairs))
            current = pairs[-1]
        elif op == "Z" and segments:
            segments[-1].append(segments[-1][0])
    return [s for s in segments if len(s) >= 2]


def _polylines(item):
    kind = str(item.get("type", "")).lower()
    if kind == "path":
        return _path_segments(item.get("path"))
    if kind == "line":
        coords = [item.get(k) for k in ("x1", "y1", "x2", "y2")]
        if None in coords:
            return []
        left, top = float(item.get("left", 0)), float(item.get("top", 0))
        # fabric keeps a line's points relative to its centre.
        width, height = abs(coords[2] - coords[0]), abs(coords[3] - coords[1])
        cx, cy = left + width / 2, top + height / 2
        return [[(cx + coords[0], cy + coords[1]), (cx + coords[2], cy + coords[3])]]
    if kind == "polyline":
        points = [(float(p["x"]), float(p["y"])) for p in item.get("points") or []
                  if isinstance(p, dict) and "x" in p and "y" in p]
        return [points] if len(points) >= 2 else []
    return []


def draw(picture, annotation):
    """PNG bytes of `picture` (PNG bytes) with the annotation's paths,
    lines and texts drawn on."""
    image = Image.open(io.BytesIO(picture)).convert("RGBA")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(overlay)
    for item in (annotation.get("drawing") or {}).get("objects") or []:
        if not isinstance(item, dict):
            continue
        scale_x = image.width / float(item.get("canvasWidth") or image.width)
        scale_y = image.height / float(item.get("canvasHeight") or image.height)
        width = max(1, round(float(item.get("strokeWidth") or 1) * scale_x))
        for points in _polylines(item):
            pen.line([(x * scale_x, y * scale_y) for x, y in points],
                     fill=_color(item.get("stroke")), width=width, joint="curve")
        if str(item.get("type", "")).lower() in ("text", "i-text", "textbox") and item.get("text"):
            size = max(8, round(float(item.get("fontSize") or 20) * scale_y))
            pen.text((float(item.get("left", 0)) * scale_x, float(item.get("top", 0)) * scale_y),
                     str(item["text"]), fill=_color(item.get("fill")),
                     font=ImageFont.load_default(size=size))
    out = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(out, "PNG")
    return out.getvalue()
