"""The 48 collections of /data/<name>, each with the rule that guards it.

Read this file to know who may list, read, create, update or delete rows
of any collection (behaviours.md section 2.4); the machinery is in
app/services/crud.py and the policies in app/services/policies.py.
"""
from sqlalchemy import case, literal, select

from app.extensions import db
from app.models.budget import Budget, BudgetEntry, SalaryScale
from app.models.chat import Chat, ChatMessage
from app.models.comment import Comment
from app.models.entity import AssetInstance, Entity, EntityLink
from app.models.events import ApiEvent, News, Notification, Subscription
from app.models.files import AttachmentFile, OutputFile, PreviewFile, WorkingFile
from app.models.person import Person
from app.models.playlist import Playlist
from app.models.project import Project, ProjectTaskStatusLink, ProjectTaskTypeLink
from app.models.project_template import ProjectTemplate
from app.models.schedule import (
    Milestone, ProductionScheduleVersion, ProductionScheduleVersionTaskLink, ScheduleItem,
)
from app.models.search_filter import SearchFilter, SearchFilterGroup
from app.models.settings import (
    CustomAction, Department, EntityType, FileStatus, HardwareItem, MetadataDescriptor,
    Organisation, OutputType, Plugin, PreviewBackgroundFile, ProjectStatus, Software,
    StatusAutomation, Studio, TaskStatus, TaskType,
)
from app.models.task import Task
from app.models.timesheet import DayOff, TimeSpent
from app.serialize import PERSON_SECRETS
from app.services import budgets, descriptors, notification_views, organisation, persons, \
    projects, schedule, settings, templates, timesheets
from app.services import backgrounds, comment_actions, comment_views, output_files, playlists, \
    previews, working_files
from app.services.crud import Collection, Hooks
from app.services.defaults import TEMPORAL_ENTITY_TYPES
from app.services.policies import (
    AdminOnly, EveryoneReads, ManagersRead, Own, ProjectData, assigned_task,
    attachment_on_assigned_task,
    entity_with_assigned_task, project_from_payload, project_of_parent,
)

EVERY_ROLE = ("manager", "supervisor", "user", "client", "vendor")
NOT_VENDORS = ("manager", "supervisor", "user", "client")
STAFF = ("manager", "supervisor")


class NonVendorsRead(EveryoneReads):
    """Studio-wide settings everybody but outsourcers may see."""

    def list_scope(self, actor, coll, stmt):
        self.read(actor, coll, None)
        return stmt

    def read(self, actor, coll, row):
        if actor.role == "vendor":
            from app.errors import Forbidden
            raise Forbidden("Vendors cannot see this.")


class Organisations(EveryoneReads):
    """The studio has one organisation, made by init-data (or when first
    needed): it is updated, never created or deleted through the API."""

    def hidden_columns(self, actor):
        return frozenset() if actor.is_admin else organisation.SECRET_FIELDS

    def create(self, actor, coll, data):
        super().create(actor, coll, data)
        from app.errors import BadRequest
        raise BadRequest("There is only one organisation: update it instead.")

    def delete(self, actor, coll, row):
        super().delete(actor, coll, row)
        from app.errors import BadRequest
        raise BadRequest("The organisation cannot be deleted.")


class NoCreate(AdminOnly):
    """Rows the server makes itself (salary scales come from listing them)."""

    def create(self, actor, coll, data):
        # Others are refused as for any admin-only write (403), not told why.
        super().create(actor, coll, data)
        from app.errors import BadRequest
        raise BadRequest("These rows cannot be created: they are made by the server.")


class MergeData(Hooks):
    """PUT on entities and tasks merges `data` into the stored dict rather
    than replacing it (what the Kitsu app relies on for metadata columns)."""

    def before_update(self, actor, row, data):
        if isinstance(data.get("data"), dict) and isinstance(row.data, dict):
            data["data"] = {**row.data, **data["data"]}
        return data


class TaskPolicy(ProjectData):
    """Managers update their projects' tasks; supervisors some fields of
    their departments' tasks (app/services/tasks.py check_update)."""

    def update(self, actor, coll, row, data):
        from app.services.tasks import check_update
        check_update(actor, row, data)


class TaskHooks(MergeData):
    def before_update(self, actor, row, data):
        from app.services.assignments import replace_assignees
        from app.services.tasks import status_update
        if "assignees" in data:
            replace_assignees(actor, row, data["assignees"])
        return status_update(actor, row, super().before_update(actor, row, data))

    def before_delete(self, actor, row, force):
        from app.services.tasks import before_delete
        before_delete(row, force)


class EntityHooks(MergeData):
    def before_create(self, actor, data):
        data["created_by"] = actor.id
        return data

    def before_update(self, actor, row, data):
        from app.services.shots import record_version
        data = super().before_update(actor, row, data)
        record_version(actor, row, data)
        return data


class EntityLinks(AdminOnly):
    """Casting links are read and written through the casting routes; the
    raw collection is for admins, except that a project's managers may
    delete a link (gazu's delete_entity_link)."""

    def delete(self, actor, coll, row):
        from app.permissions import require_project_manager

        require_project_manager(actor, db.session.scalar(
            select(Entity.project_id).where(Entity.id == row.entity_in_id)))


class EntityLinkHooks(Hooks):
    def before_delete(self, actor, row, force):
        # gazu's delete_entity_link: counts, readiness and episode links follow.
        from app.services import casting
        casting.before_link_delete(actor, row)


def _entity_type_name():
    # Assets are every entity whose type is not a built-in temporal one.
    name = select(EntityType.name).where(EntityType.id == Entity.entity_type_id) \
        .scalar_subquery()
    return case((name.in_(TEMPORAL_ENTITY_TYPES), name), else_=literal("Asset"))


_task_project = project_of_parent(Task, "task_id")
_comment_project = lambda table: (  # noqa: E731  (a comment's task is in object_id)
    select(Task.project_id).where(Task.id == table.c.object_id).scalar_subquery())

COLLECTIONS = {c.name: c for c in (
    Collection("persons", Person, persons.Policy(), hidden=PERSON_SECRETS,
               read_only=persons.READ_ONLY, hooks=persons.Hooks(),
               extra_columns=persons.extra_columns),
    Collection("projects", Project, projects.Policy(), hooks=projects.Hooks(),
               extra_columns=projects.extra_columns),
    Collection("project-status", ProjectStatus, EveryoneReads()),
    Collection("project-templates", ProjectTemplate, ManagersRead(), hooks=templates.Hooks()),
    Collection("entity-types", EntityType, EveryoneReads()),
    Collection("entities", Entity, ProjectData(
        read_roles=EVERY_ROLE, row_filters={"vendor": entity_with_assigned_task()}),
               read_only=frozenset({"created_by"}), type_expr=_entity_type_name(),
               hooks=EntityHooks()),
    Collection("task-types", TaskType, EveryoneReads()),
    Collection("task-type-links", ProjectTaskTypeLink, ProjectData(),
               hooks=settings.LinkHooks("task-types")),
    Collection("task-status", TaskStatus, EveryoneReads()),
    Collection("task-status-links", ProjectTaskStatusLink, ProjectData(),
               hooks=settings.LinkHooks("task-status")),
    Collection("tasks", Task, TaskPolicy(
        read_roles=EVERY_ROLE, row_filters={"vendor": assigned_task()}),
               hooks=TaskHooks()),
    Collection("departments", Department, EveryoneReads()),
    Collection("organisations", Organisation, Organisations()),
    Collection("file-status", FileStatus, EveryoneReads()),
    Collection("softwares", Software, EveryoneReads()),
    Collection("hardware-items", HardwareItem, AdminOnly()),
    Collection("output-files", OutputFile, output_files.Policy(
        read_roles=NOT_VENDORS, project_of=project_of_parent(Entity, "entity_id"),
        via=project_from_payload(Entity, "entity_id"), admin_creates=True,
        admin_deletes=True)),
    Collection("output-types", OutputType, EveryoneReads()),
    Collection("preview-files", PreviewFile, ProjectData(
        read_roles=EVERY_ROLE, project_of=_task_project,
        via=project_from_payload(Task, "task_id"), admin_creates=True,
        row_filters={"vendor": assigned_task(lambda table: table.c.task_id)}),
               hooks=previews.PreviewHooks()),
    Collection("working-files", WorkingFile, working_files.Policy(
        read_roles=NOT_VENDORS, project_of=_task_project,
        via=project_from_payload(Task, "task_id"), admin_creates=True,
        admin_deletes=True), hooks=working_files.Hooks()),
    Collection("attachment-files", AttachmentFile, comment_actions.AttachmentPolicy(
        read_roles=EVERY_ROLE,
        project_of=lambda table: select(Task.project_id)
        .join(Comment, Comment.object_id == Task.id)
        .where(Comment.id == table.c.comment_id).scalar_subquery(),
        admin_creates=True, admin_deletes=True, write_roles=(),
        row_filters={"vendor": attachment_on_assigned_task,
                     "user": comment_views.attachment_not_by_client,
                     "client": comment_views.attachment_for_client}),
               hooks=comment_actions.AttachmentHooks()),
    Collection("comments", Comment, comment_actions.CommentPolicy(
        read_roles=STAFF + ("user",), project_of=_comment_project, admin_creates=True,
        row_filters={"user": comment_views.not_by_client}),
               hooks=comment_actions.CommentHooks(), read_only=frozenset({"editor_id"})),
    Collection("time-spents", TimeSpent, timesheets.TimeSpentPolicy(),
               hooks=timesheets.TimeSpentHooks()),
    Collection("day-offs", DayOff, Own(), hooks=timesheets.DayOffHooks()),
    Collection("custom-actions", CustomAction, NonVendorsRead()),
    Collection("status-automations", StatusAutomation, NonVendorsRead()),
    Collection("asset-instances", AssetInstance, ProjectData(
        read_roles=EVERY_ROLE, write_roles=EVERY_ROLE,
        project_of=project_of_parent(Entity, "asset_id"),
        via=project_from_payload(Entity, "asset_id"), admin_creates=True,
        admin_deletes=True,
        row_filters={"vendor": entity_with_assigned_task(lambda table: table.c.asset_id)})),
    playlists.PlaylistCollection("playlists", Playlist, playlists.Policy(),
                                 hooks=playlists.Hooks(), read_only=frozenset({"created_by"})),
    Collection("events", ApiEvent, AdminOnly()),
    Collection("notifications", Notification, notification_views.Policy(),
               extra_columns=notification_views.extra_columns),
    Collection("search-filters", SearchFilter, AdminOnly()),
    Collection("search-filter-groups", SearchFilterGroup, AdminOnly()),
    Collection("schedule-items", ScheduleItem, schedule.ItemPolicy()),
    Collection("news", News, AdminOnly()),
    Collection("milestones", Milestone, schedule.ListedPerProject(read_roles=NOT_VENDORS)),
    Collection("metadata-descriptors", MetadataDescriptor, ProjectData(
        read_roles=NOT_VENDORS, write_roles=(), admin_creates=True, admin_deletes=True),
        hooks=descriptors.Hooks()),
    Collection("subscriptions", Subscription, AdminOnly()),
    Collection("entity-links", EntityLink, EntityLinks(), hooks=EntityLinkHooks()),
    Collection("chats", Chat, AdminOnly()),
    Collection("chat-messages", ChatMessage, AdminOnly()),
    Collection("preview-background-files", PreviewBackgroundFile, EveryoneReads(),
               hooks=backgrounds.Hooks()),
    Collection("studios", Studio, EveryoneReads()),
    Collection("salary-scales", SalaryScale, NoCreate(), hooks=budgets.SalaryScaleHooks(),
               read_only=frozenset({"department_id"})),
    Collection("budgets", Budget, AdminOnly(), hooks=budgets.BudgetHooks(),
               read_only=frozenset({"revision"})),
    Collection("budget-entries", BudgetEntry, AdminOnly()),
    Collection("plugins", Plugin, AdminOnly()),
    Collection("production-schedule-versions", ProductionScheduleVersion, ProjectData(
        read_roles=STAFF + ("user",), admin_deletes=True)),
    Collection("production-schedule-version-task-links", ProductionScheduleVersionTaskLink,
               ProjectData(
                   read_roles=STAFF + ("user",),
                   project_of=project_of_parent(ProductionScheduleVersion,
                                                "production_schedule_version_id"),
                   via=project_from_payload(ProductionScheduleVersion,
                                            "production_schedule_version_id"),
                   admin_deletes=True)),
)}
