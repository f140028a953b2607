"""Project templates (behaviours.md row 6): a production's configuration
without its data, saved to start new productions from.

A template holds the production flags (fps, ratio, resolution, client
isolation...), the file tree, `data`, links to the studio's task types
(with priority), task statuses (with board roles), asset types, status
automations and preview backgrounds (with a default one), and snapshots
of metadata descriptors as JSON. Managers read templates, admins write
them. `apply_template` merges one into a production.
"""
import uuid

import sqlalchemy as sa
from sqlalchemy import delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert

from app import events
from app.errors import BadRequest
from app.extensions import db
from app.models.base import utc_now
from app.models.project import (
    Project, ProjectAssetTypeLink, ProjectPreviewBackgroundFileLink, ProjectStatusAutomationLink,
    ProjectTaskStatusLink, ProjectTaskTypeLink,
)
from app.models.project_template import (
    ProjectTemplate, ProjectTemplateAssetTypeLink, ProjectTemplatePreviewBackgroundFileLink,
    ProjectTemplateStatusAutomationLink, ProjectTemplateTaskStatusLink,
    ProjectTemplateTaskTypeLink,
)
from app.models.settings import (
    Department, DepartmentMetadataDescriptorLink, EntityType, MetadataDescriptor,
    PreviewBackgroundFile, StatusAutomation, TaskStatus, TaskType,
)
from app.permissions import as_uuid
from app.services import crud, descriptors, file_trees, projects

# The flags a template carries for a production: what both tables have,
# except what is copied on its own terms or names the row.
_OWN_TERMS = {"id", "created_at", "updated_at", "name", "description", "file_tree", "data",
              "default_preview_background_file_id"}
SETTINGS = tuple(c.name for c in ProjectTemplate.__table__.c
                 if c.name in Project.__table__.c and c.name not in _OWN_TERMS)
# (template link, project link) pairs: the same rows, owned by either.
LINK_PAIRS = (
    (ProjectTemplateTaskTypeLink, ProjectTaskTypeLink),
    (ProjectTemplateTaskStatusLink, ProjectTaskStatusLink),
    (ProjectTemplateAssetTypeLink, ProjectAssetTypeLink),
    (ProjectTemplateStatusAutomationLink, ProjectStatusAutomationLink),
    (ProjectTemplatePreviewBackgroundFileLink, ProjectPreviewBackgroundFileLink),
)
_AUDIT = ("id", "created_at", "updated_at")


# Descriptor snapshots ---------------------------------------------------------

def clean_descriptors(snapshots):
    """Descriptor snapshots in one shape whatever the sender gave."""
    if not isinstance(snapshots, list) or not all(isinstance(d, dict) for d in snapshots):
        raise BadRequest("metadata_descriptors must be a list of objects.")
    return [{
        "name": str(d.get("name") or ""),
        "field_name": d.get("field_name") or descriptors.slug(str(d.get("name") or "")),
        "entity_type": d.get("entity_type"),
        "task_type_id": (str(as_uuid(d["task_type_id"], "task_type_id"))
                         if d.get("task_type_id") else None),
        "data_type": d.get("data_type"),
        "choices": d.get("choices") or [],
        "for_client": bool(d.get("for_client", False)),
        "departments": [str(as_uuid(i, "department id"))
                        for i in d.get("departments") or () if i is not None],
        "position": d.get("position"),
    } for d in snapshots]


def _snapshot_descriptors(project_id):
    departments = select(func.array_agg(DepartmentMetadataDescriptorLink.department_id)).where(
        DepartmentMetadataDescriptorLink.metadata_descriptor_id == MetadataDescriptor.id
    ).scalar_subquery()
    rows = db.session.execute(select(
        MetadataDescriptor.name, MetadataDescriptor.field_name, MetadataDescriptor.entity_type,
        MetadataDescriptor.task_type_id, MetadataDescriptor.data_type,
        MetadataDescriptor.choices, MetadataDescriptor.for_client,
        departments.label("departments"), MetadataDescriptor.position,
    ).where(MetadataDescriptor.project_id == project_id)
        .order_by(MetadataDescriptor.position, MetadataDescriptor.name))
    return clean_descriptors([dict(row._mapping) for row in rows])


def _create_descriptors(project, snapshots):
    """Create the snapshots' descriptors the production lacks (same name or
    field name for the same kind of row), in one statement."""
    task_types = {str(i) for i in db.session.scalars(select(TaskType.id).where(TaskType.id.in_(
        [s["task_type_id"] for s in snapshots if s["task_type_id"]])))}
    usable = [s for s in snapshots
              if s["name"] and (s["entity_type"] in descriptors.ENTITY_TYPES
                                or s["entity_type"] == descriptors.TASK and s["task_type_id"])
              and (s["task_type_id"] is None or s["task_type_id"] in task_types)]
    if not usable:
        return
    now = utc_now()
    rows = [{
        "id": uuid.uuid4(), "project_id": project.id, "entity_type": s["entity_type"],
        "task_type_id": s["task_type_id"], "name": s["name"], "field_name": s["field_name"],
        "data_type": s["data_type"] or "string", "choices": s["choices"],
        "for_client": s["for_client"],
        "position": s["position"], "created_at": now, "updated_at": now,
    } for s in usable]
    table = MetadataDescriptor.__table__
    created = set(db.session.scalars(
        insert(table).values(rows).on_conflict_do_nothing().returning(table.c.id)))
    pairs = [(row["id"], uuid.UUID(department))
             for row, snapshot in zip(rows, usable) if row["id"] in created
             for department in snapshot["departments"]]
    if pairs:
        wanted = sa.values(sa.column("descriptor_id", sa.UUID),
                           sa.column("department_id", sa.UUID), name="wanted").data(pairs)
        db.session.execute(insert(DepartmentMetadataDescriptorLink).from_select(
            ["metadata_descriptor_id", "department_id"],
            select(wanted.c.descriptor_id, Department.id).join(
                Department, Department.id == wanted.c.department_id)))
    events.emit_many("metadata-descriptor:new",
                     [{"metadata_descriptor_id": row["id"]} for row in rows
                      if row["id"] in created], project_id=project.id)


# Copies between templates and productions -----------------------------------

def _copy_links(source, source_key, source_id, target, target_key, target_id):
    """Link `target_id` to every row `source_id` links to, with the link's
    values; links the target has already are kept as they are."""
    source, target = source.__table__, target.__table__
    columns = [c.name for c in source.c if c.name != source_key and c.name not in _AUDIT]
    now = utc_now()
    audit = [func.gen_random_uuid(), literal(now), literal(now)] if "id" in target.c else []
    db.session.execute(insert(target).from_select(
        [target_key, *columns, *(_AUDIT if audit else ())],
        select(literal(target_id, sa.UUID), *(source.c[c] for c in columns), *audit)
        .where(source.c[source_key] == source_id),
    ).on_conflict_do_nothing())


def apply_template(project, template, keep=frozenset()):
    """Merge the template into the production: its flags, file tree and
    `data` keys, the task types, statuses, asset types, automations and
    backgrounds the production lacks, a default background when it has
    none, and its descriptors. Fields named in `keep` (those a creation
    request set explicitly) are left as they are. The caller commits."""
    for name in SETTINGS:
        value = getattr(template, name)
        if value is not None and name not in keep:
            setattr(project, name, value)
    if template.file_tree and "file_tree" not in keep:
        project.file_tree = dict(template.file_tree)
    if template.data and "data" not in keep:
        project.data = {**(project.data or {}), **template.data}
    if (template.default_preview_background_file_id and project.default_preview_background_file_id
            is None and "default_preview_background_file_id" not in keep):
        project.default_preview_background_file_id = template.default_preview_background_file_id
    db.session.flush()
    for template_link, project_link in LINK_PAIRS:
        _copy_links(template_link, "project_template_id", template.id,
                    project_link, "project_id", project.id)
    _create_descriptors(project, clean_descriptors(template.metadata_descriptors or []))


def apply_to_project(actor, project_id, template_id):
    """POST /data/projects/<id>/apply-template/<template_id> (admins)."""
    template = _template(actor, template_id, write=True)
    project = projects.get_for(actor, project_id)
    apply_template(project, template)
    projects.ensure_first_episode(project, actor.person.id)
    projects.changed(project.id)
    db.session.commit()
    return projects.answer(actor, project)


def from_project(actor, project_id, name, description=None):
    """A new template holding a production's configuration (admins)."""
    coll = crud.collection("project-templates")
    coll.policy.create(actor, coll, {})
    project = projects.get_for(actor, project_id)
    _check_name_free(name)
    template = ProjectTemplate(
        name=name, description=description,
        file_tree=dict(project.file_tree) if project.file_tree else None,
        data=dict(project.data) if project.data else None,
        metadata_descriptors=_snapshot_descriptors(project.id),
        default_preview_background_file_id=project.default_preview_background_file_id,
        **{setting: getattr(project, setting) for setting in SETTINGS})
    db.session.add(template)
    db.session.flush()
    for template_link, project_link in LINK_PAIRS:
        _copy_links(project_link, "project_id", project.id,
                    template_link, "project_template_id", template.id)
    events.emit("project-template:new", {"project_template_id": template.id})
    db.session.commit()
    return _answer(actor, template)


def _check_name_free(name, template_id=None):
    taken = select(ProjectTemplate.id).where(ProjectTemplate.name == name)
    if template_id is not None:
        taken = taken.where(ProjectTemplate.id != template_id)
    if db.session.scalar(taken.limit(1)) is not None:
        raise BadRequest("A project template with this name already exists.")


class Hooks(crud.Hooks):
    """Writes through /data/project-templates."""

    def before_create(self, actor, data):
        _check_name_free(data.get("name"))
        return _cleaned(data)

    def before_update(self, actor, row, data):
        if "name" in data:
            _check_name_free(data["name"], row.id)
        return _cleaned(data, row)


def _cleaned(data, row=None):
    projects.check_bitrates(data, getattr(row, "hd_bitrate_compression", None))
    file_trees.check_change(data, row)
    if data.get("metadata_descriptors") is not None:
        data["metadata_descriptors"] = clean_descriptors(data["metadata_descriptors"])
    return data


# The template's own routes --------------------------------------------------

def _template(actor, template_id, write=False):
    """The template, once the actor may read it (managers) or change it (admins)."""
    coll = crud.collection("project-templates")
    template = crud.load(coll, template_id)
    if write:
        coll.policy.update(actor, coll, template, {})
    else:
        coll.policy.read(actor, coll, template)
    return template


def _answer(actor, template):
    return crud.serialize(crud.collection("project-templates"), actor, template, relations=False)


def _changed(template):
    events.emit("project-template:update", {"project_template_id": template.id})


def _require_rows(model, ids, field):
    """400 naming the first id of `ids` with no row."""
    found = {str(i) for i in db.session.scalars(select(model.id).where(model.id.in_(ids)))}
    for row_id in ids:
        if str(row_id) not in found:
            raise BadRequest(f"Field '{field}': {row_id} does not exist.")


# Task types and task statuses: links with values (priority...).
_RANKED = {
    "task-types": (ProjectTemplateTaskTypeLink, TaskType, "task_type_id",
                   ("priority", "hd_bitrate_compression", "ld_bitrate_compression",
                    "is_client_visible")),
    "task-statuses": (ProjectTemplateTaskStatusLink, TaskStatus, "task_status_id",
                      ("priority", "roles_for_board", "is_client_allowed")),
}
# What each ranked link adds to the row it links to, under which name.
_LINK_FIELDS = {"is_client_allowed": "link_is_client_allowed"}


def ranked(actor, template_id, kind):
    """The template's task types or statuses, each with its link's values,
    by priority then name."""
    template = _template(actor, template_id)
    link_model, target, key, fields = _RANKED[kind]
    table = link_model.__table__
    links = {str(row[key]): row for row in db.session.execute(
        select(table).where(table.c.project_template_id == template.id)).mappings()}
    rows = crud.select_rows(crud.collection("task-types" if target is TaskType else "task-status"),
                            actor, target.id.in_(list(links)))
    for row in rows:
        row.update({_LINK_FIELDS.get(f, f): links[row["id"]][f] for f in fields})
    return sorted(rows, key=lambda r: (r["priority"] or 0, r["name"]))


def rank(actor, template_id, kind, entries):
    """Link task types or statuses, or change the values of their links:
    `entries` are dicts of the target id and the link values to set.
    Returns the links."""
    template = _template(actor, template_id, write=True)
    link_model, target, key, _ = _RANKED[kind]
    ids = [e[key] for e in entries]
    if len(set(ids)) < len(ids):
        raise BadRequest(f"Field '{key}': an id is given twice.")
    _require_rows(target, ids, key)
    for entry in entries:
        projects.check_bitrates(entry, template.hd_bitrate_compression)
    if not entries:
        return []
    table = link_model.__table__
    now = utc_now()
    stmt = insert(table).values([{**e, "project_template_id": template.id, "id": uuid.uuid4(),
                                  "created_at": now, "updated_at": now} for e in entries])
    changed = set(entries[0]) - {key}
    stmt = stmt.on_conflict_do_update(
        index_elements=["project_template_id", key],
        set_={**{c: stmt.excluded[c] for c in changed}, "updated_at": now},
    ).returning(*table.c)
    links = [{**row._mapping, "type": link_model.__name__}
             for row in db.session.execute(stmt)]
    _changed(template)
    db.session.commit()
    return links


def reorder(actor, template_id, kind, ids):
    """Priorities from the order of `ids` (1 first)."""
    key = _RANKED[kind][2]
    return rank(actor, template_id, kind,
                [{key: i, "priority": position} for position, i in enumerate(ids, start=1)])


# Asset types, status automations, backgrounds: plain links.
_PLAIN = {
    "asset-types": (ProjectTemplateAssetTypeLink, EntityType, "asset_type_id"),
    "status-automations": (ProjectTemplateStatusAutomationLink, StatusAutomation,
                           "status_automation_id"),
    "preview-background-files": (ProjectTemplatePreviewBackgroundFileLink,
                                 PreviewBackgroundFile, "preview_background_file_id"),
}


def _plain_answer(actor, kind, criterion):
    """How Zou shows each kind: asset types by id and name, backgrounds
    with their default flag, automations whole."""
    if kind == "status-automations":
        return crud.select_rows(crud.collection("status-automations"), actor, criterion,
                                sort=("created_at", "id"))
    target = _PLAIN[kind][1]
    columns = [target.id, target.name]
    if target is PreviewBackgroundFile:
        columns.append(func.coalesce(target.is_default, False).label("is_default"))
    return [dict(row._mapping) for row in db.session.execute(
        select(*columns).where(criterion).order_by(target.name, target.id))]


def linked(actor, template_id, kind):
    template = _template(actor, template_id)
    link_model, target, key = _PLAIN[kind]
    return _plain_answer(actor, kind, target.id.in_(select(getattr(link_model, key)).where(
        link_model.project_template_id == template.id)))


def link(actor, template_id, kind, target_id):
    template = _template(actor, template_id, write=True)
    link_model, target, key = _PLAIN[kind]
    _require_rows(target, [target_id], key)
    db.session.execute(insert(link_model).values(
        project_template_id=template.id, **{key: target_id}).on_conflict_do_nothing())
    _changed(template)
    db.session.commit()
    return _plain_answer(actor, kind, target.id == target_id)[0]


def unlink(actor, template_id, kind, target_id):
    """Detach a row (a no-op when not linked); ranked kinds included. A
    removed background stops being the template's default."""
    template = _template(actor, template_id, write=True)
    link_model, _, key = (_PLAIN.get(kind) or _RANKED[kind])[:3]
    target_id = as_uuid(target_id)
    db.session.execute(delete(link_model).where(link_model.project_template_id == template.id,
                                                getattr(link_model, key) == target_id))
    if kind == "preview-background-files" and \
            template.default_preview_background_file_id == target_id:
        template.default_preview_background_file_id = None
    _changed(template)
    db.session.commit()


def set_default_background(actor, template_id, background_id):
    template = _template(actor, template_id, write=True)
    if background_id is not None and db.session.scalar(
            select(ProjectTemplatePreviewBackgroundFileLink.project_template_id).where(
                ProjectTemplatePreviewBackgroundFileLink.project_template_id == template.id,
                ProjectTemplatePreviewBackgroundFileLink.preview_background_file_id
                == background_id)) is None:
        raise BadRequest("Preview background file is not linked to this template.")
    template.default_preview_background_file_id = background_id
    _changed(template)
    db.session.commit()
    return _answer(actor, template)


def set_descriptors(actor, template_id, snapshots):
    """Replace the template's descriptor snapshots."""
    template = _template(actor, template_id, write=True)
    template.metadata_descriptors = clean_descriptors(snapshots or [])
    _changed(template)
    db.session.commit()
    return _answer(actor, template)
