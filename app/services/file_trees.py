"""Project file trees (behaviours.md row 20): where a production's files
sit on the studio's disks, so every pipeline tool names them alike.

A tree is the JSON of `project.file_tree`: one section per mode
("working", "output", "preview", or any a studio adds), each with a
`mountpoint`, a `root`, and `folder_path` / `file_name` templates per
entity kind (shot, asset, sequence, scene, episode, edit, concept,
instance, instance_asset) plus a `style` ("lowercase", "uppercase" or
""). Templates hold tokens such as `<Sequence>` or `<Asset.short_name>`;
every value put in a path is slugged (ASCII, `_` between words) so paths
are the same as the ones Zou produced for the same data.

A project is given a tree by `PUT /data/projects/<id>` with `file_tree`
(gazu.files.update_project_file_tree), or from a production template. The
built-in trees (app/file_trees/*.json) can be named instead of spelled out:
`{"file_tree": "simple"}`. A project without a tree uses the built-in one
named by the DEFAULT_FILE_TREE setting ("default"), where Zou answered 400.
"""
import functools
import json
import os
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.entity import AssetInstance, Entity
from app.models.project import Project
from app.models.settings import Department, EntityType, OutputType, Software, TaskType
from app.models.task import Task
from app.permissions import as_uuid, require_project_access

BUILT_IN = ("default", "simple")
TEMPLATE_PARTS = ("folder_path", "file_name")
KINDS = ("shot", "asset", "sequence", "scene", "episode", "edit", "concept", "instance",
         "instance_asset")
STYLES = ("lowercase", "uppercase", "")
TOKENS = ("Project", "Task", "TaskType", "Department", "Shot", "TemporalEntity",
          "TemporalEntityType", "AssetType", "Sequence", "Episode", "Asset", "Software",
          "OutputType", "Scene", "Instance", "Representation", "Name", "OutputFile",
          "WorkingFile", "Version", "Revision")
FIELDS = ("name", "short_name", "number", "id")
TOKEN = re.compile(r"<([\w.]*)>")
UUID = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89aAbB][a-f0-9]{3}-[a-f0-9]{12}")
# What a path names when the caller gave no software or output type (the
# names Zou's paths carry in that case).
FALLBACK_SOFTWARE = {"name": "3dsmax", "short_name": "max"}
FALLBACK_OUTPUT_TYPE = {"name": "Geometry", "short_name": ""}
FALLBACK_EPISODE = "e001"
_FOLDER = os.path.join(os.path.dirname(os.path.dirname(__file__)), "file_trees")


# The trees ------------------------------------------------------------------------

@functools.cache
def _built_in(name):
    with open(os.path.join(_FOLDER, f"{name}.json"), encoding="utf-8") as stream:
        return json.load(stream)


def built_in(name):
    """A copy of the built-in tree called `name`, or 400."""
    if name not in BUILT_IN:
        raise BadRequest(f"Unknown file tree {name!r}: use one of {', '.join(BUILT_IN)}, "
                         "or give the tree itself.")
    return json.loads(json.dumps(_built_in(name)))


def of_project(project):
    return project.file_tree or built_in(current_app.config.get("DEFAULT_FILE_TREE", "default"))


def checked(tree):
    """The tree a project or template write sets: a built-in one's name, or
    a tree whose every part is checked (400 naming the first bad one)."""
    if isinstance(tree, str):
        return built_in(tree)
    if not isinstance(tree, dict) or not tree:
        raise BadRequest("file_tree must be an object with at least one section "
                         "(working, output, preview...) or a built-in tree's name.")
    for mode, section in tree.items():
        where = f"file_tree.{mode}"
        if not isinstance(section, dict):
            raise BadRequest(f"{where} must be an object.")
        for key in ("mountpoint", "root"):
            if not isinstance(section.get(key), str):
                raise BadRequest(f"{where}.{key} must be a string.")
        for part in TEMPLATE_PARTS:
            _check_templates(f"{where}.{part}", section.get(part))
    return tree


def check_change(data, row=None):
    """Check the tree a project or template write sets (a built-in tree's
    name becomes the tree). A stored tree sent back unchanged is not checked
    again: gazu's update_project sends the whole project, tree included."""
    tree = data.get("file_tree")
    if tree is not None and tree != getattr(row, "file_tree", None):
        data["file_tree"] = checked(tree)


def _check_templates(where, templates):
    if not isinstance(templates, dict):
        raise BadRequest(f"{where} must be an object of templates by entity kind.")
    for kind, template in templates.items():
        if kind == "style":
            if template not in STYLES and template is not None:
                raise BadRequest(f"{where}.style must be one of: lowercase, uppercase, "
                                 "or empty.")
            continue
        if kind not in KINDS:
            raise BadRequest(f"{where}.{kind}: unknown entity kind (use {', '.join(KINDS)}).")
        if not isinstance(template, str):
            raise BadRequest(f"{where}.{kind} must be a string.")
        for token in TOKEN.findall(template):
            kind_name, _, field = token.partition(".")
            if kind_name not in TOKENS:
                raise BadRequest(f"{where}.{kind}: unknown token <{token}> "
                                 f"(tokens: {', '.join(TOKENS)}).")
            if field and field not in FIELDS:
                raise BadRequest(f"{where}.{kind}: unknown field in <{token}> "
                                 f"(fields: {', '.join(FIELDS)}).")


# Slugs ---------------------------------------------------------------------------

def slug(value):
    """`value` as a path part: ASCII, lowercase, words joined by `_`."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    text = re.sub(r"(?<=\d),(?=\d)", "", text.lower()).replace("'", "")
    text = re.sub(r"[^a-z0-9-]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-").replace("-", "_")


def styled(text, style):
    if style == "uppercase":
        return text.upper()
    if style == "lowercase":
        return text.lower()
    return text


# Rendering -----------------------------------------------------------------------

@dataclass
class Subject:
    """What a path is built for: an entity (the shot or scene of an asset
    instance), maybe a task, and the values the caller gave."""

    project: Project
    entity: Entity
    task: Task | None = None
    task_type: TaskType | None = None
    software: Software | None = None
    output_type: OutputType | None = None
    asset_instance: AssetInstance | None = None
    name: str = ""
    representation: str = ""
    revision: int = 1


def _type_name(entity):
    return db.session.scalar(select(EntityType.name).where(EntityType.id == entity.entity_type_id))


def _kind(subject):
    instance = subject.asset_instance
    if instance is not None:
        return "instance_asset" if instance.target_asset_id is not None else "instance"
    name = _type_name(subject.entity)
    return name.lower() if name in ("Shot", "Sequence", "Scene", "Episode", "Edit",
                                    "Concept") else "asset"


def _template(tree, mode, part, subject):
    section = tree.get(mode)
    if not isinstance(section, dict):
        raise BadRequest(f"The project's file tree has no {mode!r} section.")
    templates = section.get(part)
    templates = templates if isinstance(templates, dict) else {}
    kind = _kind(subject)
    if kind in ("edit", "concept") and kind not in templates:
        kind = "asset"
    if not isinstance(templates.get(kind), str):
        raise BadRequest(f"The project's file tree has no {mode}.{part}.{kind} template.")
    return templates[kind], templates.get("style") or ""


def _root(tree, mode, sep):
    section = tree.get(mode)
    if not isinstance(section, dict) or "mountpoint" not in section or "root" not in section:
        raise BadRequest(f"The project's file tree has no {mode!r} section with a "
                         "mountpoint and a root.")
    mountpoint, root = section["mountpoint"], section["root"]
    return f"{mountpoint}{sep}{root}{sep}" if root else f"{mountpoint}{sep}"


def _field(row, field):
    if row is None:
        return ""
    value = row.get(field) if isinstance(row, dict) else getattr(row, field, None)
    return "" if value is None else str(value)


class _Values:
    """The value of each token for one subject, rows loaded when asked."""

    def __init__(self, subject):
        self.s = subject
        self.kind = _type_name(subject.entity)

    def _parent(self, row):
        return db.session.get(Entity, row.parent_id) if row is not None and row.parent_id \
            else None

    def sequence(self):
        if self.kind in ("Shot", "Scene"):
            return self._parent(self.s.entity)
        return self.s.entity if self.kind == "Sequence" else None

    def episode(self):
        if self.kind == "Episode":
            return self.s.entity
        sequence = self.sequence()
        return self._parent(sequence)

    def task_type(self):
        if self.s.task_type is not None:
            return self.s.task_type
        return db.session.get(TaskType, self.s.task.task_type_id) if self.s.task else None

    def asset(self):
        instance = self.s.asset_instance
        return db.session.get(Entity, instance.asset_id) if instance else self.s.entity

    def value(self, token, field):
        s = self.s
        if token == "Project":
            return _field(s.project, field)
        if token == "Task":
            return _field(s.task, field)
        if token == "TaskType":
            return _field(self.task_type(), field)
        if token == "Department":
            task_type = self.task_type()
            return _field(db.session.get(Department, task_type.department_id)
                          if task_type and task_type.department_id else None, field)
        if token in ("Shot", "Scene", "TemporalEntity"):
            return _field(s.entity, field)
        if token == "TemporalEntityType":
            return _field(db.session.get(EntityType, s.entity.entity_type_id), field).lower()
        if token == "AssetType":
            return _field(db.session.get(EntityType, self.asset().entity_type_id), field)
        if token == "Asset":
            return _field(self.asset(), field)
        if token == "Sequence":
            return _sequence_folder(_field(self.sequence(), field))
        if token == "Episode":
            episode = self.episode()
            return _field(episode, field) if episode is not None else FALLBACK_EPISODE
        if token == "Software":
            return _field(s.software or FALLBACK_SOFTWARE, field)
        if token == "OutputType":
            return _field(s.output_type or FALLBACK_OUTPUT_TYPE, field).lower()
        if token == "Instance":
            return _instance_folder(s.asset_instance, field)
        if token == "Representation":
            return s.representation or ""
        if token in ("Name", "OutputFile", "WorkingFile"):
            return s.name or ""
        if token in ("Version", "Revision"):
            return str(s.revision).zfill(3)
        raise BadRequest(f"The project's file tree uses an unknown token: <{token}>.")


def _sequence_folder(name):
    # Zou's paths write a sequence named "SeqN" as "S00N": studios' folders
    # already on disk follow it.
    if "Seq" in name:
        return f"S{name[3:].zfill(3)}"
    return name


def _instance_folder(instance, field):
    if instance is None:
        return ""
    number = str(instance.number or 0).zfill(4)
    if field == "name":
        return instance.name or number
    return number


def _render(template, values, style):
    out = template
    for token in TOKEN.findall(template):
        kind_name, _, field = token.partition(".")
        field = field if field in FIELDS else "name"
        value = values.value(kind_name, field)
        if field != "id":
            value = styled(slug(value), style)
        out = out.replace(f"<{token}>", value)
    return out


def folder_path(subject, mode, sep="/"):
    tree = of_project(subject.project)
    root = _root(tree, mode, sep)
    template, style = _template(tree, mode, "folder_path", subject)
    return root + _render(template, _Values(subject), style).replace("/", sep)


def file_name(subject, mode, nb_elements=1):
    tree = of_project(subject.project)
    template, style = _template(tree, mode, "file_name", subject)
    name = _render(template, _Values(subject), "lowercase")
    ids = UUID.findall(name)
    name = styled(slug(name), style)
    for found in ids:
        name = name.replace(styled(slug(found), style), found)
    if nb_elements > 1:
        name += f"_[1-{nb_elements}]"
    return name


def default_row(model, name, **values):
    """The reference row called `name` (software, output type, file
    status), created when missing; concurrent callers get the same row."""
    db.session.execute(insert(model).values(name=name, **values)
                       .on_conflict_do_nothing(index_elements=[model.name]))
    return db.session.scalars(select(model).where(model.name == name)).one()


# Guessing ------------------------------------------------------------------------

_ELEMENT = re.compile(r"(?P<prefix>\w*)<(?P<token>\w*)>(?P<suffix>\w*)")


def _values_of(elements, template_elements):
    """{token: value} read from the path's folders against a template's,
    or None when a literal folder differs."""
    found = {}
    for element, template_element in zip(elements, template_elements):
        match = _ELEMENT.search(template_element)
        if match is None:
            if template_element != element:
                return None
            continue
        value = element.replace("_", " ")
        value = value[len(match["prefix"]):len(value) - len(match["suffix"])]
        found.setdefault(match["token"], value)
    return found


def _by_name(model, value, *criteria):
    return db.session.scalars(
        select(model.id).where(model.name.ilike(value.replace("\\", "\\\\")
                                                .replace("%", "\\%").replace("_", "\\_")),
                               *criteria).limit(1)).first()


def _entity_type(name):
    return db.session.scalar(select(EntityType.id).where(EntityType.name == name))


def _child(value, type_name, found, parent_token):
    if not found.get("Project"):
        return None
    criteria = [Entity.entity_type_id == _entity_type(type_name),
                Entity.project_id == found["Project"]]
    if found.get(parent_token):
        criteria.append(Entity.parent_id == found[parent_token])
    return _by_name(Entity, value, *criteria)


def _lookup(token, value, found):
    """What a token's value names, given what the folders before it named:
    an id, a plain value, or None."""
    project = found.get("Project")
    if token == "Project":
        return _by_name(Project, value)
    if token in ("AssetType", "TemporalEntityType"):
        return _by_name(EntityType, value)
    if token == "Department":
        return _by_name(Department, value)
    if token == "TaskType":
        return _by_name(TaskType, value)
    if token == "OutputType":
        return _by_name(OutputType, value)
    if token == "Software":
        return _by_name(Software, value)
    if token in ("Name", "Representation"):
        return value
    if token in ("Version", "Revision"):
        return str(int(value)) if value.isdigit() and int(value) else None
    if token == "Episode":
        return _child(value, "Episode", found, None)
    if token == "Sequence":
        return _child(value, "Sequence", found, "Episode")
    if token == "Scene":
        return _child(value, "Scene", found, "Sequence")
    if token == "Shot":
        return _child(value, "Shot", found, "Sequence") if found.get("Sequence") else None
    if token in ("Asset", "TemporalEntity"):
        type_id = found.get("AssetType" if token == "Asset" else "TemporalEntityType")
        if not project or not type_id:
            return None
        return _by_name(Entity, value, Entity.entity_type_id == type_id,
                        Entity.project_id == project)
    if token == "Task":
        entity = next((found[k] for k in ("Scene", "Asset", "Shot") if found.get(k)), None)
        if not project or not found.get("TaskType") or entity is None:
            return None
        return _by_name(Task, value, Task.task_type_id == found["TaskType"],
                        Task.project_id == project, Task.entity_id == entity)
    return None


def guess_from_path(project, file_path, sep="/"):
    """The templates of the project's tree that `file_path` fits, each as
    {"Template": kind, <token>: id or value...}, read left to right: a
    folder is looked up within what the folders before it named, and the
    reading stops at the first one naming nothing (or another project)."""
    tree = of_project(project)
    matches = []
    for mode, section in tree.items():
        if not isinstance(section, dict) or not isinstance(section.get("folder_path"), dict):
            continue
        templates = section["folder_path"]
        style = templates.get("style") or ""
        try:
            root = styled(_root(tree, mode, sep), style)
        except BadRequest:
            continue
        path = styled(file_path, style)
        if not path.startswith(root):
            continue
        elements = path[len(root):].split(sep)
        for kind, template in templates.items():
            if kind == "style" or not isinstance(template, str):
                continue
            # Templates separate folders with "/" whatever the path's
            # separator (Zou split them by the path's, and read nothing back
            # from a Windows path).
            template_elements = template.split("/")
            tokens = _values_of(elements, template_elements)
            if not tokens:
                continue
            found = {"Template": kind}
            for template_element in template_elements:
                token = next((t for t in tokens if f"<{t}>" in template_element), None)
                if token is None:
                    continue
                value = _lookup(token, tokens[token], found)
                if not value or (token == "Project" and value != project.id):
                    break
                found[token] = str(value)
            if found not in matches:
                matches.append(found)
    return matches



def guess(actor, project_id, file_path, sep="/"):
    """POST /data/entities/guess-from-path: for the project's team (not vendors)."""
    if require_project_access(actor, project_id) == "vendor":
        raise Forbidden("Vendors cannot read the file tree.")
    project = db.session.get(Project, as_uuid(project_id, "project id"))
    if project is None:
        raise NotFound(f"No project has the id {project_id}.")
    return guess_from_path(project, file_path, sep)
