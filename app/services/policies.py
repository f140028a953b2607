"""Access policies for the generic collections (behaviours.md section 2.4).

A policy answers, for one collection: which rows a list shows to the
actor, which columns they may not see, and whether they may read, create,
update or delete a given row. The default is admins only; each collection
in app/services/collections.py picks the policy its rule calls for.
"""
from sqlalchemy import and_, or_, select

from app.errors import Forbidden
from app.extensions import db
from app.permissions import (
    as_uuid, project_role, require_admin, require_project_role, team_project_ids,
)


class AdminOnly:
    def hidden_columns(self, actor):
        return frozenset()

    def list_scope(self, actor, coll, stmt):
        require_admin(actor)
        return stmt

    def read(self, actor, coll, row):
        require_admin(actor)

    def create(self, actor, coll, data):
        require_admin(actor)

    def update(self, actor, coll, row, data):
        require_admin(actor)

    def delete(self, actor, coll, row):
        require_admin(actor)


class EveryoneReads(AdminOnly):
    """Reference data: every signed-in person reads it, admins write it."""

    def list_scope(self, actor, coll, stmt):
        return stmt

    def read(self, actor, coll, row):
        pass


class ManagersRead(AdminOnly):
    def _check(self, actor):
        if actor.role not in ("admin", "manager"):
            raise Forbidden("Only admins and production managers can read this.")

    def list_scope(self, actor, coll, stmt):
        self._check(actor)
        return stmt

    def read(self, actor, coll, row):
        self._check(actor)


class Own(AdminOnly):
    """Rows that belong to a person (day offs, saved filters): theirs or an admin's."""

    owner = "person_id"

    def list_scope(self, actor, coll, stmt):
        if actor.is_admin:
            return stmt
        return stmt.where(coll.table.c[self.owner] == actor.person.id)

    def _check(self, actor, person_id):
        if not (actor.is_admin or str(person_id) == actor.id):
            raise Forbidden("Only the person themselves or an admin can do this.")

    def read(self, actor, coll, row):
        self._check(actor, getattr(row, self.owner))

    def create(self, actor, coll, data):
        self._check(actor, data.get(self.owner))

    def update(self, actor, coll, row, data):
        self._check(actor, getattr(row, self.owner))
        if self.owner in data:
            self._check(actor, data[self.owner])

    def delete(self, actor, coll, row):
        self._check(actor, getattr(row, self.owner))


class ProjectData(AdminOnly):
    """Rows of one production: its team reads them (open projects only in
    lists), its managers write them.

    `project_of` is the SQL expression giving a row's project from its table
    (the project_id column unless the row hangs off another table); `via`
    maps a create payload to the project (for rows without project_id).
    `row_filters` maps a role to the SQL condition (table, person_id) on the
    rows someone with that role in the project may see or touch: vendors
    only what they work on, clients only what is shared with clients.
    """

    def __init__(self, read_roles=("manager", "supervisor", "user", "client", "vendor"),
                 write_roles=("manager",), create_roles=None, delete_roles=None,
                 project_of=None, via=None, admin_creates=False, admin_deletes=False,
                 row_filters=None):
        self.row_filters = row_filters or {}
        self.read_roles = read_roles
        self.write_roles = write_roles
        self.create_roles = create_roles or write_roles
        self.delete_roles = delete_roles or write_roles
        self.project_of = project_of
        self.via = via
        self.admin_creates = admin_creates
        self.admin_deletes = admin_deletes

    def _expr(self, table):
        return self.project_of(table) if self.project_of else table.c.project_id

    def row_project(self, coll, row):
        if self.project_of is None:
            return row.project_id
        return db.session.scalar(select(self._expr(coll.table)).where(coll.table.c.id == row.id))

    def _data_project(self, data):
        if self.via is None:
            return data.get("project_id")
        return self.via(data)

    def list_scope(self, actor, coll, stmt):
        if actor.is_admin:
            return stmt
        project = self._expr(coll.table)
        unfiltered = tuple(r for r in self.read_roles if r not in self.row_filters)
        allowed = [project.in_(team_project_ids(actor, roles=unfiltered))]
        for role, condition in self.row_filters.items():
            if role in self.read_roles:
                allowed.append(and_(project.in_(team_project_ids(actor, roles=(role,))),
                                    condition(coll.table, actor.person.id)))
        return stmt.where(or_(*allowed))

    def _check_row(self, actor, coll, row, project_id):
        """Refuse a row outside the caller's role filter in its project."""
        condition = self.row_filters.get(project_role(actor, project_id))
        if condition is not None and not db.session.scalar(
                select(condition(coll.table, actor.person.id))
                .where(coll.table.c.id == row.id)):
            raise Forbidden("Your role in this project does not give access to this row.")

    def _require(self, actor, project_id, roles):
        if project_id is None:
            require_admin(actor)
            return
        require_project_role(actor, project_id, roles)

    def read(self, actor, coll, row):
        project_id = self.row_project(coll, row)
        self._require(actor, project_id, self.read_roles)
        if project_id is not None:
            self._check_row(actor, coll, row, project_id)

    def create(self, actor, coll, data):
        if self.admin_creates:
            require_admin(actor)
            return
        self._require(actor, self._data_project(data), self.create_roles)

    def update(self, actor, coll, row, data):
        project_id = self.row_project(coll, row)
        self._require(actor, project_id, self.write_roles)
        if project_id is not None:
            self._check_row(actor, coll, row, project_id)

    def delete(self, actor, coll, row):
        if self.admin_deletes:
            require_admin(actor)
            return
        project_id = self.row_project(coll, row)
        self._require(actor, project_id, self.delete_roles)
        self._check_row(actor, coll, row, project_id)


def project_of_parent(parent_model, column):
    """A row's project through the row it belongs to (e.g. a task's)."""
    return lambda table: (
        select(parent_model.project_id)
        .where(parent_model.id == table.c[column])
        .scalar_subquery()
    )


def project_from_payload(parent_model, column):
    def lookup(data):
        parent_id = data.get(column)
        if parent_id is None:
            return None
        return db.session.scalar(
            select(parent_model.project_id).where(parent_model.id == as_uuid(parent_id)))
    return lookup


def assigned_task(task_id=lambda table: table.c.id):
    """Rows whose task (`task_id(table)`) is assigned to the person."""
    from app.models.task import TaskPersonLink

    return lambda table, person_id: select(TaskPersonLink.task_id).where(
        TaskPersonLink.task_id == task_id(table),
        TaskPersonLink.person_id == person_id).exists()


def attachment_on_assigned_task(table, person_id):
    """Attachments of comments on tasks assigned to the person."""
    from app.models.comment import Comment
    from app.models.task import TaskPersonLink

    return select(TaskPersonLink.task_id).join(
        Comment, Comment.object_id == TaskPersonLink.task_id).where(
        Comment.id == table.c.comment_id, TaskPersonLink.person_id == person_id).exists()


def entity_with_assigned_task(entity_id=lambda table: table.c.id):
    """Rows whose entity (`entity_id(table)`) has a task assigned to the person."""
    from app.models.task import Task, TaskPersonLink

    return lambda table, person_id: select(Task.id).join(
        TaskPersonLink, TaskPersonLink.task_id == Task.id).where(
        Task.entity_id == entity_id(table), TaskPersonLink.person_id == person_id).exists()


def column_is_true(name):
    """Rows flagged for this audience (e.g. playlists for_client)."""
    return lambda table, person_id: table.c[name].is_(True)
