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
    `vendor_rows(table, person_id)` is the SQL condition on the rows a
    vendor of the project may see (those they work on); without it,
    vendors see what their role allows like anyone else.
    """

    def __init__(self, read_roles=("manager", "supervisor", "user", "client", "vendor"),
                 write_roles=("manager",), create_roles=None, delete_roles=None,
                 project_of=None, via=None, admin_creates=False, admin_deletes=False,
                 vendor_rows=None):
        self.vendor_rows = vendor_rows
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
        if self.vendor_rows is None or "vendor" not in self.read_roles:
            return stmt.where(project.in_(team_project_ids(actor, roles=self.read_roles)))
        others = tuple(r for r in self.read_roles if r != "vendor")
        return stmt.where(or_(
            project.in_(team_project_ids(actor, roles=others)),
            and_(project.in_(team_project_ids(actor, roles=("vendor",))),
                 self.vendor_rows(coll.table, actor.person.id)),
        ))

    def _require(self, actor, project_id, roles):
        if project_id is None:
            require_admin(actor)
            return
        require_project_role(actor, project_id, roles)

    def read(self, actor, coll, row):
        project_id = self.row_project(coll, row)
        self._require(actor, project_id, self.read_roles)
        if (self.vendor_rows is not None and project_id is not None
                and project_role(actor, project_id) == "vendor"
                and not db.session.scalar(select(self.vendor_rows(coll.table, actor.person.id))
                                          .where(coll.table.c.id == row.id))):
            raise Forbidden("Vendors only see what they are assigned to.")

    def create(self, actor, coll, data):
        if self.admin_creates:
            require_admin(actor)
            return
        self._require(actor, self._data_project(data), self.create_roles)

    def update(self, actor, coll, row, data):
        self._require(actor, self.row_project(coll, row), self.write_roles)

    def delete(self, actor, coll, row):
        if self.admin_deletes:
            require_admin(actor)
            return
        self._require(actor, self.row_project(coll, row), self.delete_roles)


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


def assigned_task(table, person_id):
    """Vendors see the tasks they are assigned to."""
    from app.models.task import TaskPersonLink

    return select(TaskPersonLink.task_id).where(
        TaskPersonLink.task_id == table.c.id, TaskPersonLink.person_id == person_id).exists()


def entity_with_assigned_task(table, person_id):
    """Vendors see the entities they have at least one task on."""
    from app.models.task import Task, TaskPersonLink

    return select(Task.id).join(TaskPersonLink, TaskPersonLink.task_id == Task.id).where(
        Task.entity_id == table.c.id, TaskPersonLink.person_id == person_id).exists()
