"""A production's settings (behaviours.md row 5): the subsets of the
studio's task types (with their order), task statuses (order, board roles,
client override), asset types, status automations and preview backgrounds
it uses, and the software of each of its task types. Every change emits
project:update, on which Kitsu reloads the production.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.project import ProjectAssetTypeLink, ProjectPreviewBackgroundFileLink, \
    ProjectStatusAutomationLink, ProjectTaskStatusLink, ProjectTaskTypeLink, \
    ProjectTaskTypeSoftwareLink
from app.models.settings import EntityType, PreviewBackgroundFile, Software, \
    StatusAutomation, TaskStatus, TaskType
from app.permissions import as_uuid, require_admin, require_project_access
from app.services import crud, projects
from app.services.defaults import TEMPORAL_ENTITY_TYPES


@dataclass(frozen=True)
class Setting:
    """One kind of studio row a production picks: its link table, the link
    column naming the studio row, and the collection serving those rows."""

    link: type
    key: str
    target: type
    collection: str
    sort: tuple

    @property
    def key_column(self):
        return getattr(self.link, self.key)


SETTINGS = {
    "asset-types": Setting(ProjectAssetTypeLink, "asset_type_id", EntityType, "entity-types",
                           ("name",)),
    "task-types": Setting(ProjectTaskTypeLink, "task_type_id", TaskType, "task-types",
                          ("for_entity", "priority", "name")),
    "task-status": Setting(ProjectTaskStatusLink, "task_status_id", TaskStatus, "task-status",
                           ("priority", "name")),
    "status-automations": Setting(ProjectStatusAutomationLink, "status_automation_id",
                                  StatusAutomation, "status-automations", ("created_at",)),
    "preview-background-files": Setting(
        ProjectPreviewBackgroundFileLink, "preview_background_file_id", PreviewBackgroundFile,
        "preview-background-files", ("name",)),
}
LINK_COLLECTIONS = {"task-types": "task-type-links", "task-status": "task-status-links"}


class LinkHooks(crud.Hooks):
    """POST /data/task-type-links and /data/task-status-links: a second
    post for the same pair updates the link (Kitsu sets priorities so)."""

    def __init__(self, kind):
        self.setting = SETTINGS[kind]

    def existing(self, actor, data):
        project_id, target_id = data.get("project_id"), data.get(self.setting.key)
        if project_id is None or target_id is None:
            return None
        link = self.setting.link
        return db.session.scalar(select(link).where(
            link.project_id == as_uuid(project_id), self.setting.key_column == as_uuid(target_id)))

    def after_create(self, actor, row):
        projects.changed(row.project_id)


def set_positions(column, key, positions, *criteria):
    """One UPDATE giving the row of each id of `positions` ({id: n}) its n
    in `column`; ids matching no row are skipped."""
    if not positions:
        return
    ids = list(positions)
    order = func.unnest(
        sa.literal(ids, ARRAY(UUID(as_uuid=True))),
        sa.literal([positions[i] for i in ids], ARRAY(sa.Integer)),
    ).table_valued("id", "position").render_derived()
    db.session.execute(update(column.table).where(key == order.c.id, *criteria)
                       .values({column.name: order.c.position}))


def _in_order(rows, key, ids):
    rank = {str(i): n for n, i in enumerate(ids)}
    return sorted(rows, key=lambda row: rank[row[key]])


def linked(actor, project_id, kind, manage=False):
    """The studio rows of one kind the production uses."""
    setting = SETTINGS[kind]
    project = projects.get_for(actor, project_id, manage)
    coll = crud.collection(setting.collection)
    return crud.select_rows(coll, actor, coll.table.c.id.in_(
        select(setting.key_column).where(setting.link.project_id == project.id)),
        sort=setting.sort)


def _target(setting, target_id):
    row = db.session.get(setting.target, as_uuid(target_id, setting.key))
    if row is None:
        raise BadRequest(f"No {setting.target.__name__} has the id {target_id}.")
    if setting.target is EntityType and row.name in TEMPORAL_ENTITY_TYPES:
        raise BadRequest(f"{row.name} is a built-in entity type, not an asset type.")
    return row


def add(actor, project_id, kind, target_id, **values):
    """Link a studio row to the production; `values` (link columns) are set
    on the link, new or existing."""
    setting = SETTINGS[kind]
    project = projects.get_for(actor, project_id, manage=True)
    target = _target(setting, target_id)
    stmt = pg_insert(setting.link).values(project_id=project.id, **{setting.key: target.id},
                                          **values)
    keys = [setting.link.project_id, setting.key_column]
    db.session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=values) if values
                       else stmt.on_conflict_do_nothing(index_elements=keys))
    projects.changed(project.id)
    db.session.commit()
    return projects.answer(actor, project)


def add_task_type(actor, project_id, task_type_id, values):
    """`values`: priority, is_client_visible and the bitrates the body gave
    (a null priority or visibility leaves the link's as it is)."""
    project = projects.get_for(actor, project_id, manage=True)
    values = {k: v for k, v in values.items()
              if v is not None or k in projects.BITRATES}
    projects.check_bitrates(values, inherited_hd=project.hd_bitrate_compression)
    return add(actor, project_id, "task-types", task_type_id, **values)


def remove(actor, project_id, kind, target_id):
    setting = SETTINGS[kind]
    project = projects.get_for(actor, project_id, manage=True)
    db.session.execute(delete(setting.link).where(
        setting.link.project_id == project.id,
        setting.key_column == as_uuid(target_id, setting.key)))
    projects.changed(project.id)
    db.session.commit()


def set_client_allowed(actor, project_id, task_status_id, allowed):
    """Whether the production's clients may set a status; None falls back
    to the studio status's own flag."""
    project = projects.get_for(actor, project_id, manage=True)
    link = ProjectTaskStatusLink
    found = db.session.execute(
        update(link).where(link.project_id == project.id,
                           link.task_status_id == as_uuid(task_status_id, "task status id"))
        .values(is_client_allowed=allowed).returning(link.id)).first()
    if found is None:
        raise NotFound("The project does not use this task status.")
    projects.changed(project.id)
    db.session.commit()
    coll = crud.collection("task-status-links")
    return crud.select_rows(coll, actor, coll.table.c.id == found.id)[0]


def _require_ids(model, ids, field):
    wanted = {as_uuid(i, f"{field} id") for i in ids}
    rows = db.session.execute(select(model.id, model.name).where(model.id.in_(wanted))).all()
    if len(rows) != len(wanted):
        raise BadRequest(f"Field '{field}' names ids that do not exist.")
    if model is EntityType and any(r.name in TEMPORAL_ENTITY_TYPES for r in rows):
        raise BadRequest(f"Field '{field}' names built-in entity types, not asset types.")
    return wanted


def batch(actor, project_id, task_types=(), task_status_ids=(), asset_type_ids=(),
          replace_task_types=False):
    """Several settings in one write; with replace_task_types, `task_types`
    is the whole wanted set and other task type links go."""
    project = projects.get_for(actor, project_id, manage=True)
    wanted = _require_ids(TaskType, [e["task_type_id"] for e in task_types], "task_types")
    statuses = _require_ids(TaskStatus, task_status_ids, "task_status_ids")
    asset_types = _require_ids(EntityType, asset_type_ids, "asset_type_ids")
    ttl = ProjectTaskTypeLink
    if replace_task_types:
        db.session.execute(delete(ttl).where(ttl.project_id == project.id,
                                             ttl.task_type_id.not_in(wanted)))
    if task_types:
        ids = [as_uuid(e["task_type_id"]) for e in task_types]
        given = func.unnest(
            sa.literal(ids, ARRAY(UUID(as_uuid=True))),
            sa.literal([e.get("priority") for e in task_types], ARRAY(sa.Integer)),
            sa.literal([e.get("is_client_visible") for e in task_types], ARRAY(sa.Boolean)),
        ).table_valued("task_type_id", "priority", "is_client_visible").render_derived()
        # Existing links take what is given; new ones (below) take it too,
        # with the column defaults for what is not.
        db.session.execute(update(ttl).where(
            ttl.project_id == project.id, ttl.task_type_id == given.c.task_type_id).values(
            priority=func.coalesce(given.c.priority, ttl.priority),
            is_client_visible=func.coalesce(given.c.is_client_visible, ttl.is_client_visible)))
        db.session.execute(
            pg_insert(ttl).on_conflict_do_nothing(index_elements=["project_id", "task_type_id"]),
            [{"project_id": project.id, "task_type_id": task_type_id,
              "priority": entry.get("priority"),
              "is_client_visible": entry.get("is_client_visible") is not False}
             for task_type_id, entry in zip(ids, task_types)])
    for link, key, targets in ((ProjectTaskStatusLink, "task_status_id", statuses),
                               (ProjectAssetTypeLink, "asset_type_id", asset_types)):
        if targets:
            db.session.execute(
                pg_insert(link).on_conflict_do_nothing(index_elements=["project_id", key]),
                [{"project_id": project.id, key: target} for target in targets])
    projects.changed(project.id)
    db.session.commit()
    return projects.answer(actor, project)


def reorder_task_types(actor, task_type_ids):
    """The studio's task type order: priority 1, 2, ... in the given order."""
    require_admin(actor)
    ids = [as_uuid(i, "task type id") for i in task_type_ids]
    set_positions(TaskType.priority, TaskType.id, {i: n for n, i in enumerate(ids, start=1)})
    db.session.commit()
    rows = crud.select_rows(crud.collection("task-types"), actor, TaskType.id.in_(ids))
    return _in_order(rows, "id", ids)


def reorder_links(actor, project_id, kind, target_ids):
    """A production's own order of its task types or statuses."""
    setting = SETTINGS[kind]
    project = projects.get_for(actor, project_id, manage=True)
    ids = [as_uuid(i, f"{setting.key}") for i in target_ids]
    set_positions(setting.link.priority, setting.key_column,
                  {i: n for n, i in enumerate(ids, start=1)},
                  setting.link.project_id == project.id)
    projects.changed(project.id)
    db.session.commit()
    coll = crud.collection(LINK_COLLECTIONS[kind])
    rows = crud.select_rows(coll, actor, coll.table.c.project_id == project.id,
                            setting.key_column.in_(ids))
    return _in_order(rows, setting.key, ids)


# Software per task type ---------------------------------------------------------

_SOFTWARE = ProjectTaskTypeSoftwareLink


def task_type_softwares(actor, project_id):
    project = projects.get_for(actor, project_id)
    return [dict(row._mapping) for row in db.session.execute(
        select(_SOFTWARE.project_id, _SOFTWARE.task_type_id, _SOFTWARE.software_id)
        .where(_SOFTWARE.project_id == project.id)
        .order_by(_SOFTWARE.task_type_id, _SOFTWARE.software_id))]


def _task_type_for(actor, project_id, task_type_id):
    """The task type, once the actor may pick its software: a manager, or a
    supervisor of its department (one with no department counts as in all)."""
    role = require_project_access(actor, project_id)
    project = projects.get_for(actor, project_id)
    task_type = db.session.get(TaskType, as_uuid(task_type_id, "task type id"))
    if task_type is None:
        raise NotFound(f"No task type has the id {task_type_id}.")
    if role not in ("admin", "manager") and not (
            role == "supervisor" and (not actor.department_ids
                                      or str(task_type.department_id) in actor.department_ids)):
        raise Forbidden("Only managers, or supervisors of the task type's department, "
                        "can pick its software.")
    return project, task_type


def add_software(actor, project_id, task_type_id, software_id):
    project, task_type = _task_type_for(actor, project_id, task_type_id)
    if not db.session.scalar(select(exists().where(
            ProjectTaskTypeLink.project_id == project.id,
            ProjectTaskTypeLink.task_type_id == task_type.id))):
        raise BadRequest("The task type is not a task type of the project.")
    software = db.session.get(Software, as_uuid(software_id, "software_id"))
    if software is None:
        raise NotFound(f"No software has the id {software_id}.")
    if software.archived:
        raise BadRequest("The software is archived.")
    created = db.session.execute(
        pg_insert(_SOFTWARE).values(project_id=project.id, task_type_id=task_type.id,
                                    software_id=software.id)
        .on_conflict_do_nothing(index_elements=["project_id", "task_type_id", "software_id"])
        .returning(_SOFTWARE.id)).first()
    if created is not None:
        projects.changed(project.id)
    db.session.commit()
    return {"project_id": str(project.id), "task_type_id": str(task_type.id),
            "software_id": str(software.id)}


def remove_software(actor, project_id, task_type_id, software_id):
    project, task_type = _task_type_for(actor, project_id, task_type_id)
    removed = db.session.execute(delete(_SOFTWARE).where(
        _SOFTWARE.project_id == project.id, _SOFTWARE.task_type_id == task_type.id,
        _SOFTWARE.software_id == as_uuid(software_id, "software id")
    ).returning(_SOFTWARE.id)).first()
    if removed is not None:
        projects.changed(project.id)
    db.session.commit()
