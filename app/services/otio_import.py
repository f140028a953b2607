"""Edit timeline imports (behaviours.md row 21, POST /import/otio/...):
an OpenTimelineIO file (.otio), a CMX 3600 EDL (.edl) or a Final Cut Pro
XML (.xml) becomes the project's shots. Each clip of the video tracks is
named after a template ("${project_name}_${sequence_name}-${shot_name}"):
a clip naming a known shot updates its frame range, any other one creates
its sequence and shot (with the project's shot workflow tasks).

Differences from Zou, on purpose:
- the whole timeline is checked before anything is written; a clip that
  does not follow the template, or has no duration, gives a 400 that names
  every bad clip, and nothing is written (Zou stops at the bad clip with
  the shots before it saved);
- a clip's sequence is found by its name (Zou's lookup by name into a map
  keyed by id never finds one, so it made a new sequence per clip);
- the template's literal text is matched literally (Zou treats it as a
  regular expression: a "." matched any character), and a placeholder
  must match at least one character;
- frames are counted at the project's frame rate, the timeline's times
  rescaled to it (the same numbers as Zou when both rates agree).
"""
import os
import re
import string

import opentimelineio as otio

from app.errors import BadRequest
from app.extensions import db
from app.models.entity import Entity
from app.services import crud, entities
from app.services.csv_import import RowError, any_uuid, check_size, load_project, sized
from app.services.csv_import_entities import NAME_LENGTH, Plan, named, write_plan

ADAPTERS = {".otio": "otio_json", ".edl": "cmx_3600", ".xml": "fcp_xml"}
PLACEHOLDERS = ("project_name", "episode_name", "sequence_name", "shot_name")
DEFAULT_TEMPLATE = "${project_name}_${sequence_name}-${shot_name}"
EPISODE_TEMPLATE = "${project_name}_${episode_name}-${sequence_name}-${shot_name}"
MAX_REPORTED = 20  # bad clips named in the message; all are in `errors`


def default_template(episode_id):
    return EPISODE_TEMPLATE if episode_id else DEFAULT_TEMPLATE


class Convention:
    """A naming template: the key of an existing shot, and the names a new
    clip's name holds."""

    def __init__(self, template, in_episode):
        names = string.Template(template).get_identifiers()
        valid = string.Template(template).is_valid()
        if not valid:
            raise BadRequest(f"Field 'naming_convention' is not a valid template: {template!r} "
                             "(write placeholders as ${shot_name}, a $ sign as $$).")
        unknown = [n for n in names if n not in PLACEHOLDERS]
        if unknown:
            raise BadRequest(f"Field 'naming_convention' has unknown placeholders: "
                             f"{', '.join(unknown)}; use {', '.join(PLACEHOLDERS)}.")
        missing = [n for n in ("sequence_name", "shot_name") if n not in names]
        if missing:
            raise BadRequest(f"Field 'naming_convention' must contain "
                             f"{' and '.join('${' + n + '}' for n in missing)}.")
        if "episode_name" in names and not in_episode:
            raise BadRequest("Field 'naming_convention' names an episode but the "
                             "import is not into an episode.")
        self.template = string.Template(template)
        pattern, end, seen = [], 0, set()
        for match in self.template.pattern.finditer(template):
            pattern.append(re.escape(template[end:match.start()]))
            end = match.end()
            name = match.group("named") or match.group("braced")
            if name is None:  # "$$"
                pattern.append(re.escape("$"))
            elif name in seen:  # written twice: the same text twice
                pattern.append(f"(?P={name})")
            else:
                pattern.append(f"(?P<{name}>\\w+)")
                seen.add(name)
        pattern.append(re.escape(template[end:]))
        self.regex = re.compile("".join(pattern))

    def key(self, **names):
        return self.template.substitute(names)

    def parse(self, clip_name):
        """{placeholder: value} of a clip's name, or None."""
        found = self.regex.match(clip_name)
        return found.groupdict() if found else None


# Reading ----------------------------------------------------------------------

def read_timeline(stream, filename, fps):
    """The timeline of an upload, its adapter chosen by the file extension;
    400 on anything that is not one."""
    extension = os.path.splitext(filename or "")[1].lower()
    adapter = ADAPTERS.get(extension)
    if adapter is None:
        raise BadRequest(f"Unsupported file type {extension or '(no extension)'!r}: "
                         f"use {', '.join(ADAPTERS)}.")
    raw = stream.read()
    check_size(len(raw))
    if not raw.strip():
        raise BadRequest("The file is empty.")
    if b"\x00" in raw:
        raise BadRequest(f"The file is not a {extension} timeline (it contains binary data).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    options = {"rate": fps, "ignore_timecode_mismatch": True} if adapter == "cmx_3600" else {}
    try:
        timeline = otio.adapters.read_from_string(text, adapter_name=adapter, **options)
    except Exception as exc:  # each adapter raises its own kinds of errors
        raise BadRequest(f"The {extension} file cannot be read: {type(exc).__name__}: "
                         f"{str(exc)[:300]}")
    if not isinstance(timeline, otio.schema.Timeline):
        raise BadRequest(f"The {extension} file holds a {type(timeline).__name__}, "
                         "not a timeline.")
    return timeline


def clip_name(clip):
    """The clip's name without extension, else its media's."""
    name = os.path.splitext(clip.name or "")[0]
    media = clip.media_reference
    for fallback in ("name_prefix", "name", "target_url"):
        if name:
            break
        value = getattr(media, fallback, None) or ""
        name = os.path.splitext(os.path.basename(value))[0]
    return name


def frames(time, fps):
    return round(time.value_rescaled_to(fps)) if fps else round(time.value)


def clip_frames(clip, fps):
    """(frame in, frame out, nb frames): where the clip sits in its track,
    and its length."""
    frame_in = frames(clip.range_in_parent().start_time, fps)
    length = frames(clip.trimmed_range().duration, fps)
    return frame_in, frame_in + length - 1, length


def clips(timeline):
    """(position, clip) of the clips of the video tracks, in track order."""
    position = 0
    for track in timeline.video_tracks():
        for item in track:
            if isinstance(item, otio.schema.Clip):
                position += 1
                yield position, item


def project_fps(project):
    try:
        value = float(str(project.fps or "").replace(",", "."))
    except ValueError:
        return None
    return value if value > 0 else None


# Import ---------------------------------------------------------------------------

def import_timeline(actor, project_id, upload, episode_id=None):
    """POST /import/otio/projects/<id>[/episodes/<id>]: {created_shots,
    updated_shots}. `upload()` gives (stream, file name, naming convention
    or None, match case), taken once the actor's rights are checked."""
    project, _ = load_project(actor, project_id)
    episode = None
    if episode_id is not None:
        episode = entities.load(episode_id, "Episode")
        if episode.project_id != project.id:
            raise BadRequest(f"The episode {episode_id} is not in this project.")
    elif project.production_type == "tvshow":
        raise BadRequest("The production is a TV show: import the timeline into one of its "
                         "episodes (/import/otio/projects/<id>/episodes/<episode_id>).")
    stream, filename, naming_convention, match_case = upload()
    convention = Convention(naming_convention or default_template(episode_id),
                            episode is not None)
    fps = project_fps(project)
    timeline = read_timeline(stream, filename, fps)

    parent = episode.id if episode else None
    fold = (lambda name: name) if match_case else str.lower
    sequences = {row.id: name for (parent_id, name), row
                 in named(project.id, "Sequence").items() if parent_id == parent}
    sequence_ids = {fold(name): sequence_id for sequence_id, name in sequences.items()}
    by_key, by_name = {}, {}
    for (sequence_id, name), row in named(project.id, "Shot").items():
        if sequence_id in sequences:
            key = (fold(sequences[sequence_id]), fold(name))
            by_name[key] = row.id
            by_key[fold(convention.key(
                project_name=project.name, sequence_name=sequences[sequence_id],
                shot_name=name, episode_name=episode.name if episode else ""))] = key
    new_sequences = {}
    plan, errors = Plan(update_mode=True), []
    for position, clip in clips(timeline):
        name = clip_name(clip)
        try:
            frame_in, frame_out, nb_frames = clip_frames(clip, fps)
        except Exception as exc:  # a clip without range raises from the C++ core
            errors.append({"clip": position, "name": name,
                           "message": f"its frame range cannot be read ({exc})"})
            continue
        key = by_key.get(fold(name))
        values = {"nb_frames": nb_frames}
        if key is None:
            try:
                key = _new_shot(convention, name, fold, new_sequences, values)
            except RowError as exc:
                errors.append({"clip": position, "name": name, "message": str(exc)})
                continue
        plan.add(key, by_name.get(key), values, {"frame_in": frame_in, "frame_out": frame_out},
                 ())
    _raise_if_any(errors)
    if not len(plan):
        raise BadRequest("The timeline has no clip on its video tracks.")

    sequence_type = entities.entity_type_id("Sequence")
    shot_type = entities.entity_type_id("Shot")
    new_ids, updated_ids = [], []

    def place(key, entry):
        sequence_key = key[0]
        if sequence_key not in sequence_ids:
            sequence_ids[sequence_key] = entities.create_entity(
                actor, project.id, sequence_type, new_sequences[sequence_key], parent).id
        entry.values.update(parent_id=sequence_ids[sequence_key], entity_type_id=shot_type)
        (new_ids if entry.new else updated_ids).append(entry.id)

    plan.change_each(place)
    write_plan(actor, project, plan, "Shot", None, ["nb_frames"])
    db.session.commit()
    return {"created_shots": _shots(actor, new_ids), "updated_shots": _shots(actor, updated_ids)}


def _new_shot(convention, name, fold, new_sequences, values):
    """The plan key of a clip naming no known shot, from its name; the
    shot's name goes to `values`."""
    parts = convention.parse(name)
    if parts is None:
        raise RowError("its name does not follow the naming convention "
                       f"{convention.template.template!r}")
    sequence_name = sized(parts["sequence_name"], "the sequence name", NAME_LENGTH)
    values["name"] = sized(parts["shot_name"], "the shot name", NAME_LENGTH)
    new_sequences.setdefault(fold(sequence_name), sequence_name)
    return fold(sequence_name), fold(values["name"])


def _raise_if_any(errors):
    if not errors:
        return
    listed = "; ".join(f"clip {e['clip']} ({e['name'] or 'no name'}): {e['message']}"
                       for e in errors[:MAX_REPORTED])
    more = f" and {len(errors) - MAX_REPORTED} more" if len(errors) > MAX_REPORTED else ""
    count = "1 clip is invalid" if len(errors) == 1 else f"{len(errors)} clips are invalid"
    raise BadRequest(f"{count}, nothing was imported: {listed}{more}.", errors=errors)


def _shots(actor, ids):
    if not ids:
        return []
    return crud.select_rows(crud.collection("entities"), actor, Entity.id == any_uuid(ids),
                            sort=("name",))
