"""CSV exports (behaviours.md row 22): a production's assets, shots, edits,
casting and playlists, and the studio's persons, projects, task types,
tasks and time spent, as Kitsu downloads them for spreadsheets.

Every export checks access and runs its one SELECT before anything is
sent, then streams: the rows come through a server-side cursor BATCH at a
time and leave as CSV bytes, so a 75,000-task file never sits whole in a
worker. PostgreSQL builds the cells (names joined, task statuses pivoted
into one column per task type, descriptor values read from `data`); Python
only escapes and writes them.

The columns and their order are Zou's, so that the CSV import reads back
what was exported (the `Assignations` column after each task type column,
descriptors under their names).
"""
import csv
import datetime
import io
import re
import unicodedata
import uuid
import zoneinfo

import sqlalchemy as sa
from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import UUID, aggregate_order_by

from app.errors import Forbidden
from app.extensions import db
from app.models.comment import Comment
from app.models.entity import Entity, EntityLink
from app.models.files import PreviewFile
from app.models.person import DepartmentLink, Person
from app.models.project import Project
from app.models.settings import Department, EntityType, ProjectStatus, Studio, TaskStatus, \
    TaskType
from app.models.task import Task, TaskPersonLink
from app.models.timesheet import TimeSpent
from app.permissions import as_uuid, project_role, team_project_ids
from app.services import assets, crud, descriptors, entities, projects
from app.services.comment_views import not_by_client
from app.services.news import full_entity_name
from app.services.shots import timezone_of

# Rows per fetch from the server-side cursor, and per chunk sent.
BATCH = 500
DELIMITER = ";"
# A spreadsheet evaluates a cell starting with one of these as a formula
# (CSV injection); a leading quote makes it plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The same test for PostgreSQL's regular expressions (as SQL text: one
# constant rather than bind parameters on every cell).
FORMULA_PATTERN = sa.literal_column(r"'^[-=+@\t\r]'")
E = Entity.__table__
T = Task.__table__
ASSIGNATIONS = "Assignations"
# Minutes in a working day: Zou's "Time Spent" column is in days.
DAY_MINUTES = 8 * 60


# Writing ---------------------------------------------------------------------

def _escaped(row):
    return [f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell
            for cell in row]


def _escaped_in_sql(stmt):
    """The statement with its text cells escaped by PostgreSQL: per cell in
    Python, it was the larger part of a big export's time. Numbers stay
    numbers (a negative duration is a value, not a formula)."""
    def cell(column):
        if isinstance(column.type, (sa.Integer, sa.Float, sa.Numeric, sa.Boolean)):
            return column
        value = sa.cast(column, sa.Text)
        return sa.case((value.op("~")(FORMULA_PATTERN), literal("'") + value), else_=value)
    return stmt.with_only_columns(*map(cell, stmt.selected_columns))


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()


def _chunks(header_rows, stmt):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER)
    writer.writerows(_escaped(row) for row in header_rows)
    yield _drain(buffer)
    result = db.session.connection().execute(
        _escaped_in_sql(stmt), execution_options={"stream_results": True, "yield_per": BATCH})
    for part in result.partitions():
        writer.writerows(part)
        yield _drain(buffer)


def file_name(label):
    """Zou's attachment name: kitsu_ and the label in lower-case ASCII words
    joined by "_" (a header value must be ASCII)."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")
    return f"kitsu_{words or 'export'}.csv"


def _export(label, header_rows, stmt):
    """(file name, CSV byte chunks). Access is checked and the header rows
    built before this returns; the query runs while streaming, inside the
    generator: the request's session is closed once the route returns, and
    a server-side cursor opened before would die with it."""
    return file_name(label), _chunks(header_rows, stmt)


# SQL pieces -------------------------------------------------------------------

def _text(column):
    """C collation: the codepoint order Zou's Python sorts give."""
    return column.collate("C")


def _full_name(person):
    """A person's "First Last" (one part alone when the other is empty)."""
    return func.trim(func.concat_ws(" ", func.nullif(person.c.first_name, ""),
                                    func.nullif(person.c.last_name, "")))


def _assignee_names(task_ids, separator):
    """SQL: (task_id, names) of the tasks among `task_ids` that have
    assignees, names joined in alphabetical order."""
    person = Person.__table__
    link = TaskPersonLink.__table__
    name = _full_name(person)
    return (select(link.c.task_id,
                   func.string_agg(name, aggregate_order_by(literal(separator), name))
                   .label("names"))
            .join(person, person.c.id == link.c.person_id)
            .where(link.c.task_id.in_(task_ids))
            .group_by(link.c.task_id).subquery("assignee_names"))


def _day(column):
    return func.to_char(column, "YYYY-MM-DD")


def _local_time(column, timezone):
    """A naive UTC timestamp as the caller's wall clock, Zou's format."""
    local = func.timezone(timezone, func.timezone("UTC", column))
    return func.to_char(local, 'YYYY-MM-DD"T"HH24:MI:SS')


def _type_id(name):
    return select(EntityType.id).where(EntityType.name == name).scalar_subquery()


def _open_projects(actor):
    """SQL: the open productions a studio-wide export covers: all for an
    admin, those a production manager manages for them."""
    stmt = select(Project.id).where(projects.is_open(Project.project_status_id))
    if not actor.is_admin:
        stmt = stmt.where(Project.id.in_(team_project_ids(actor, roles=("manager",))))
    return stmt


def _require_manager(actor):
    if actor.role not in ("admin", "manager"):
        raise Forbidden("Only admins and production managers can export this.")


def _production(actor, project_id):
    """The project and the caller's role in it: its team exports, but
    vendors never do."""
    row = projects.get_for(actor, project_id)
    role = project_role(actor, row.id)
    if role == "vendor":
        raise Forbidden("Vendors cannot export production data.")
    return row, role


# A production's assets, shots and edits ------------------------------------

# Marks where the entity's time spent (in days) goes among its columns.
TIME_SPENT = object()


def _days(minutes):
    return func.to_char(func.coalesce(minutes, 0) / DAY_MINUTES, "FM999999990.00")


def _descriptor_cell(field_name, data_type):
    value = E.c.data[field_name].astext
    if data_type == "boolean":
        return sa.case((func.lower(value) == "true", "true"), else_="false")
    return func.coalesce(value, "")


def _task_cells(project_id, task_type_ids, blank_people):
    """SQL, one row per entity of the project with tasks: their summed
    duration, and for each task type its task's status short name and
    assignees (none, and no time, for a client, as in the with-tasks
    lists)."""
    status = TaskStatus.__table__
    of_project = select(T.c.id).where(T.c.project_id == project_id)
    names = _assignee_names(of_project, ",")
    columns = [T.c.entity_id,
               (sa.cast(sa.null(), sa.Float) if blank_people else func.sum(T.c.duration))
               .label("duration")]
    for i, task_type_id in enumerate(task_type_ids):
        of_type = T.c.task_type_id == task_type_id
        columns += [func.max(status.c.short_name).filter(of_type).label(f"status_{i}"),
                    (sa.null() if blank_people else func.max(names.c.names).filter(of_type))
                    .label(f"assignees_{i}")]
    return (select(*columns)
            .select_from(T.outerjoin(status, status.c.id == T.c.task_status_id)
                         .outerjoin(names, names.c.task_id == T.c.id))
            .where(T.c.project_id == project_id)
            .group_by(T.c.entity_id).subquery("task_cells"))


def _entity_export(actor, project_id, kind, label, columns, source, criteria, sort):
    """One row per entity of `kind` matching `criteria` (on `source`: the
    entity table joined to what the columns read): Project, `columns`
    ((header, SQL), TIME_SPENT among them), the project's descriptors of
    the kind that the caller may see, then a status and an Assignations
    column per task type the entities have tasks of (by priority, name)."""
    project, role = _production(actor, project_id)
    criteria = [E.c.project_id == project.id, *criteria]
    task_types = db.session.execute(
        select(TaskType.id, TaskType.name).where(TaskType.id.in_(
            select(T.c.task_type_id).select_from(source.join(T, T.c.entity_id == E.c.id))
            .where(*criteria)))
        .order_by(TaskType.priority.nulls_last(), _text(TaskType.name))).all()
    md = descriptors.MD
    described = db.session.execute(
        select(md.c.name, md.c.field_name, md.c.data_type).where(
            md.c.project_id == project.id, md.c.entity_type == kind,
            md.c.task_type_id.is_(None), descriptors.visible(actor, role))
        .order_by(md.c.position, md.c.name)).all()
    cells = _task_cells(project.id, [t.id for t in task_types], blank_people=role == "client")

    columns = [("Project", literal(project.name))] + columns
    headers = [header for header, _ in columns] + [d.name for d in described]
    exprs = [_days(cells.c.duration) if expr is TIME_SPENT else expr for _, expr in columns]
    exprs += [_descriptor_cell(d.field_name, d.data_type) for d in described]
    for i, task_type in enumerate(task_types):
        headers += [task_type.name, ASSIGNATIONS]
        exprs += [cells.c[f"status_{i}"], cells.c[f"assignees_{i}"]]
    stmt = (select(*exprs)
            .select_from(source.outerjoin(cells, cells.c.entity_id == E.c.id))
            .where(*criteria).order_by(*sort, E.c.id))
    return _export(f"{project.name} {label}", [headers], stmt)


def project_assets(actor, project_id, episode_id=None):
    """GET /export/csv/projects/<id>/assets.csv, by type name then name;
    `episode_id` as the asset lists take it (an episode, "main", "all")."""
    asset_type = EntityType.__table__.alias("asset_type")
    return _entity_export(
        actor, project_id, entities.ASSET, "assets",
        [("Type", asset_type.c.name), ("Name", E.c.name), ("Description", E.c.description),
         ("Time Spent", TIME_SPENT)],
        E.join(asset_type, asset_type.c.id == E.c.entity_type_id),
        [entities.is_asset_type(), *assets.in_episode(episode_id)],
        [_text(asset_type.c.name), _text(E.c.name)])


def project_shots(actor, project_id, episode_id=None):
    """GET /export/csv/projects/<id>/shots.csv: shots under a sequence, by
    episode, sequence and name; frames and fps come from `data`."""
    sequence, episode = E.alias("sequence"), E.alias("episode")
    episode_name = func.coalesce(episode.c.name, "")
    return _entity_export(
        actor, project_id, "Shot", "shots",
        [("Episode", episode_name), ("Sequence", sequence.c.name), ("Name", E.c.name),
         ("Description", E.c.description), ("Time Spent", TIME_SPENT),
         ("Frames", E.c.nb_frames)]
        + [(header, func.coalesce(E.c.data[key].astext, ""))
           for header, key in (("Frame In", "frame_in"), ("Frame Out", "frame_out"),
                               ("FPS", "fps"))],
        E.join(sequence, sequence.c.id == E.c.parent_id)
        .outerjoin(episode, episode.c.id == sequence.c.parent_id),
        [E.c.entity_type_id == _type_id("Shot"),
         *entities.episode_criteria(episode_id, sequence.c.parent_id)],
        [_text(episode_name), _text(sequence.c.name), _text(E.c.name)])


def project_edits(actor, project_id):
    """GET /export/csv/projects/<id>/edits.csv, by episode then name."""
    episode = E.alias("episode")
    episode_name = func.coalesce(episode.c.name, "")
    return _entity_export(
        actor, project_id, "Edit", "edits",
        [("Episode", episode_name), ("Name", E.c.name), ("Description", E.c.description),
         ("Time Spent", TIME_SPENT)],
        E.outerjoin(episode, episode.c.id == E.c.parent_id),
        [E.c.entity_type_id == _type_id("Edit")],
        [_text(episode_name), _text(E.c.name)])


# Casting ------------------------------------------------------------------------

CASTING_HEADERS = ["Parent", "Name", "Asset Type", "Asset", "Occurences", "Label"]


def project_casting(actor, project_id, episode_id=None, is_shot_casting=False):
    """GET /export/csv/projects/<id>/casting.csv: one row per casting link,
    after the cast row's parent and name. `episode_id` "main" gives the
    main pack's (assets of no episode), "all" the episodes' own casting;
    otherwise the shots' casting (`is_shot_casting`) or the assets'. A TV
    show's file starts with an Episode column, except for "all"."""
    project, _ = _production(actor, project_id)
    tv_show = project.production_type == "tvshow"
    with_episode = tv_show and episode_id != entities.ALL_EPISODES
    link = EntityLink.__table__
    parent, asset = E.alias("cast_in"), E.alias("asset")
    parent_type = EntityType.__table__.alias("cast_in_type")
    asset_type = EntityType.__table__.alias("asset_type")
    linked = (link.join(parent, parent.c.id == link.c.entity_in_id)
              .join(parent_type, parent_type.c.id == parent.c.entity_type_id)
              .join(asset, asset.c.id == link.c.entity_out_id)
              .join(asset_type, asset_type.c.id == asset.c.entity_type_id))
    tail = [asset_type.c.name, asset.c.name, link.c.nb_occurences,
            func.coalesce(link.c.label, "")]
    order = [asset_type.c.name, asset.c.name]

    def part(rank, lead, source, *criteria):
        lead = lead if with_episode else lead[1:]
        return (select(literal(rank).label("part"), *[c.label(f"c{i}") for i, c in enumerate(
            lead + tail)], *[c.label(f"o{i}") for i, c in enumerate(lead + order)])
            .select_from(source).where(parent.c.project_id == project.id, *criteria))

    def main_pack(rank):
        return part(rank, [literal("MP"), parent_type.c.name, parent.c.name], linked,
                    parent.c.source_id.is_(None),
                    parent_type.c.name.notin_(("Shot", "Episode")))

    episode = E.alias("episode")
    if episode_id == entities.MAIN_PACK:
        parts = [main_pack(0)]
    elif episode_id == entities.ALL_EPISODES:
        parts = [part(0, [None, literal("Episode"), parent.c.name], linked,
                      parent.c.source_id.is_(None), parent_type.c.name == "Episode")]
    elif is_shot_casting:
        sequence = E.alias("sequence")
        source = linked.join(sequence, sequence.c.id == parent.c.parent_id)
        criteria = [parent_type.c.name == "Shot"]
        if tv_show:
            source = source.join(episode, episode.c.id == sequence.c.parent_id)
            criteria += _chosen_episode(episode, episode_id)
        parts = [part(0, [episode.c.name, sequence.c.name, parent.c.name], source, *criteria)]
    elif tv_show:
        parts = [part(0, [episode.c.name, parent_type.c.name, parent.c.name],
                      linked.join(episode, episode.c.id == parent.c.source_id),
                      parent_type.c.name != "Shot", *_chosen_episode(episode, episode_id)),
                 main_pack(1)]
    else:
        parts = [part(0, [None, parent_type.c.name, parent.c.name], linked,
                      parent_type.c.name != "Shot")]
    rows = sa.union_all(*parts).subquery("casting") if len(parts) > 1 else parts[0].subquery(
        "casting")
    width = len(CASTING_HEADERS) + with_episode
    stmt = select(*[rows.c[f"c{i}"] for i in range(width)]).order_by(
        rows.c.part, *[c for c in rows.c if c.name.startswith("o")])
    headers = (["Episode"] if with_episode else []) + CASTING_HEADERS
    return _export(f"{project.name} casting", [headers], stmt)


def _chosen_episode(episode, episode_id):
    return [] if episode_id in (None, "") else [episode.c.id == as_uuid(episode_id, "episode id")]


# Playlists ----------------------------------------------------------------------

PLAYLIST_COLUMNS = ["Entity name", "Nb Frames", "Task Type", "Retake count", "Revision",
                    "Task Status", "Last comment author", "Last comment date", "Last comment"]
# Who downloads a playlist (section 2.3): its managers, supervisors, and
# clients for the playlists shared with them; not artists, not vendors.
PLAYLIST_ROLES = ("admin", "manager", "supervisor", "client")


def _entry_ids(entry):
    """(entity id, preview file id) of a playlist entry; None for what is
    not an id."""
    ids = []
    for key in ("entity_id", "preview_file_id"):
        try:
            ids.append(uuid.UUID(str(entry.get(key))))
        except ValueError:
            ids.append(None)
    return ids


def playlist(actor, playlist_id):
    """GET /export/csv/playlists/<id>: a title row (project, episode, kind
    of entities, name, creation time), a blank row, then one row per entry
    in playlist order: the entity's full name, the previewed task's type,
    status and retakes, the revision, and the task's last comment not
    written by a client (for a client: the last one shared with clients)."""
    coll = crud.collection("playlists")
    row = crud.load(coll, playlist_id)
    coll.policy.read(actor, coll, row)
    role = project_role(actor, row.project_id)
    if role not in PLAYLIST_ROLES:
        raise Forbidden("Only the production's managers, supervisors and clients download "
                        "its playlists.")
    timezone = timezone_of(actor)
    project_name, episode_name, created_at = db.session.execute(
        select(Project.name, select(Entity.name).where(Entity.id == row.episode_id)
               .scalar_subquery(), _local_time(literal(row.created_at, sa.DateTime), timezone))
        .where(Project.id == row.project_id)).one()
    context = project_name + (f" - {episode_name}" if episode_name else "")
    context += " | for shots" if row.for_entity == "shot" else " | for assets"
    header_rows = [["Playlist", context, row.name, created_at, "", "", ""], [""] * 7,
                   PLAYLIST_COLUMNS]

    entries = [(position, *_entry_ids(entry)) for position, entry in enumerate(row.shots or [])
               if isinstance(entry, dict)]
    entries = [entry for entry in entries if entry[1] is not None]
    label = f"{project_name} playlist {row.name}"
    if not entries:
        return _export(label, header_rows, select(literal(None)).where(sa.false()))
    entry = sa.values(sa.column("position", sa.Integer), sa.column("entity_id", UUID),
                      sa.column("preview_file_id", UUID), name="entry").data(entries)
    entity, parent, grand = E.alias("entity"), E.alias("parent"), E.alias("grand")
    entity_type = EntityType.__table__.alias("entity_type")
    comment, author = Comment.__table__, Person.__table__.alias("author")
    shown = [comment.c.object_id == T.c.id, not_by_client(comment)]
    if role == "client":
        shown.append(comment.c.for_client.is_(True))
    last = (select(comment.c.person_id, comment.c.created_at, comment.c.text).where(*shown)
            .order_by(comment.c.created_at.desc()).limit(1).lateral("last_comment"))
    stmt = (
        select(full_entity_name(entity, parent, grand, entity_type)[0], entity.c.nb_frames,
               TaskType.name, T.c.retake_count, PreviewFile.revision, TaskStatus.name,
               _full_name(author), _local_time(last.c.created_at, timezone),
               func.coalesce(last.c.text, ""))
        .select_from(entry)
        .join(entity, entity.c.id == entry.c.entity_id)
        .join(entity_type, entity_type.c.id == entity.c.entity_type_id)
        .outerjoin(parent, parent.c.id == entity.c.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .outerjoin(PreviewFile, PreviewFile.id == entry.c.preview_file_id)
        .outerjoin(T, T.c.id == PreviewFile.task_id)
        .outerjoin(TaskType, TaskType.id == T.c.task_type_id)
        .outerjoin(TaskStatus, TaskStatus.id == T.c.task_status_id)
        .outerjoin(last, sa.true())
        .outerjoin(author, author.c.id == last.c.person_id)
        .order_by(entry.c.position))
    return _export(label, header_rows, stmt)


# Studio-wide exports (production managers) ---------------------------------

def persons(actor):
    """GET /export/csv/persons.csv: people (not bots, guests or preview
    accounts) by first then last name, case-insensitively."""
    _require_manager(actor)
    person = Person.__table__
    departments = (select(func.string_agg(Department.name, aggregate_order_by(
        literal(","), _text(Department.name))))
        .join(DepartmentLink, DepartmentLink.department_id == Department.id)
        .where(DepartmentLink.person_id == person.c.id).scalar_subquery())
    studio = select(Studio.name).where(Studio.id == person.c.studio_id).scalar_subquery()
    stmt = (select(person.c.first_name, person.c.last_name, person.c.email, person.c.phone,
                   person.c.role, func.coalesce(departments, ""), func.coalesce(studio, ""),
                   func.coalesce(person.c.country, ""), person.c.contract_type,
                   func.coalesce(person.c.position, ""), func.coalesce(person.c.seniority, ""),
                   person.c.daily_salary,
                   sa.case((person.c.active.is_(True), "yes"), else_="no"))
            .where(person.c.is_bot.isnot(True), person.c.is_guest.isnot(True),
                   person.c.preview_project_id.is_(None))
            .order_by(func.lower(person.c.first_name), func.lower(person.c.last_name),
                      person.c.id))
    return _export("people_export", [[
        "First Name", "Last Name", "Email", "Phone", "Role", "Departments", "Studio", "Country",
        "Contract Type", "Position", "Seniority", "Daily Salary", "Active"]], stmt)


def project_list(actor):
    """GET /export/csv/projects.csv: name and status of every project (for
    a production manager, those on whose team they are)."""
    _require_manager(actor)
    stmt = (select(Project.name, ProjectStatus.name)
            .join(ProjectStatus, ProjectStatus.id == Project.project_status_id)
            .order_by(Project.name, Project.id))
    if not actor.is_admin:
        stmt = stmt.where(Project.id.in_(team_project_ids(actor, open_only=False)))
    return _export("export", [["Name", "Status"]], stmt)


def task_types(actor):
    """GET /export/csv/task-types.csv: the task types that have a
    department, by department then name."""
    _require_manager(actor)
    stmt = (select(Department.name, TaskType.name)
            .join(Department, Department.id == TaskType.department_id)
            .order_by(Department.name, TaskType.name, TaskType.id))
    return _export("export", [["Department", "Name"]], stmt)


def tasks(actor):
    """GET /export/csv/tasks.csv: every task of the open productions the
    caller manages, by project, task type, task, episode, sequence, entity
    type and entity."""
    _require_manager(actor)
    scope = _open_projects(actor)
    sequence, episode = E.alias("sequence"), E.alias("episode")
    assigner = Person.__table__.alias("assigner")
    names = _assignee_names(select(T.c.id).where(T.c.project_id.in_(scope)), ", ")
    stmt = (
        select(Project.name, TaskType.name, episode.c.name, sequence.c.name, EntityType.name,
               E.c.name, func.concat_ws(" ", assigner.c.first_name, assigner.c.last_name),
               func.coalesce(names.c.names, ""), T.c.duration, T.c.estimation,
               _day(T.c.start_date), _day(T.c.due_date), _day(T.c.real_start_date),
               _day(T.c.end_date), TaskStatus.name)
        .select_from(T)
        .join(Project, Project.id == T.c.project_id)
        .join(TaskType, TaskType.id == T.c.task_type_id)
        .join(TaskStatus, TaskStatus.id == T.c.task_status_id)
        .join(E, E.c.id == T.c.entity_id)
        .join(EntityType, EntityType.id == E.c.entity_type_id)
        .outerjoin(assigner, assigner.c.id == T.c.assigner_id)
        .outerjoin(sequence, sequence.c.id == E.c.parent_id)
        .outerjoin(episode, episode.c.id == sequence.c.parent_id)
        .outerjoin(names, names.c.task_id == T.c.id)
        .where(T.c.project_id.in_(scope))
        .order_by(Project.name, TaskType.name, T.c.name, episode.c.name, sequence.c.name,
                  EntityType.name, E.c.name, T.c.id))
    return _export("tasks_export", [[
        "Project", "Task Type", "Episode", "Sequence", "Entity Type", "Entity", "Assigner",
        "Assignees", "Duration", "Estimation", "Start date", "Due date", "WIP date",
        "Validation date", "Task Status"]], stmt)


def time_spents(actor):
    """GET /export/csv/time-spents.csv: the time logged on the open
    productions the caller manages, by day, person, project and entity;
    shots named with their sequence (and episode)."""
    _require_manager(actor)
    spent = TimeSpent.__table__
    person = Person.__table__
    parent, grand = E.alias("parent"), E.alias("grand")
    entity_type = EntityType.__table__.alias("entity_type")
    entity_name = sa.case((entity_type.c.name == "Shot",
                           full_entity_name(E, parent, grand, entity_type)[0]), else_=E.c.name)
    stmt = (
        select(Project.name, func.trim(func.concat(person.c.first_name, " ", person.c.last_name)),
               entity_type.c.name, entity_name, TaskType.name, _day(spent.c.date),
               spent.c.duration)
        .select_from(spent)
        .join(T, T.c.id == spent.c.task_id)
        .join(E, E.c.id == T.c.entity_id)
        .join(entity_type, entity_type.c.id == E.c.entity_type_id)
        .join(Project, Project.id == T.c.project_id)
        .join(TaskType, TaskType.id == T.c.task_type_id)
        .join(person, person.c.id == spent.c.person_id)
        .outerjoin(parent, parent.c.id == E.c.parent_id)
        .outerjoin(grand, grand.c.id == parent.c.parent_id)
        .where(T.c.project_id.in_(_open_projects(actor)))
        .order_by(spent.c.date, person.c.last_name, Project.name, entity_type.c.name,
                  E.c.name, spent.c.id))
    today = datetime.datetime.now(datetime.timezone.utc).astimezone(
        zoneinfo.ZoneInfo(timezone_of(actor))).date().isoformat()
    return _export(f"{today}_open_projects_time_spents_export", [[
        "Project", "Person", "Entity Type Name", "Entity", "Task Type", "Date", "Time spent"]],
        stmt)
