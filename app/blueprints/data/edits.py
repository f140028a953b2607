"""Edits (behaviours.md row 10): editorial cuts tracked like shots, under
an optional episode; the shots blueprint's resources with kind "Edit"."""
from app.api import Dict, Schema, String, Uuid
from app.blueprints.data.shots import (
    children_resource, instance_resource, list_resource, previews_resource, project_resource,
    task_types_resource, tasks_resource, versions_resource, with_tasks_resource,
)

NEW_EDIT = Schema(name=String(required=True, min_length=1), description=String(),
                  data=Dict(), episode_id=Uuid(), parent_id=Uuid(description="Same as episode_id."))


def routes():
    return [
        ("/data/edits", list_resource("Edit")),
        ("/data/edits/all", list_resource("Edit", "All")),
        ("/data/edits/with-tasks", with_tasks_resource("Edit")),
        ("/data/edits/<instance_id>", instance_resource("Edit")),
        ("/data/edits/<instance_id>/versions", versions_resource("Edit")),
        ("/data/edits/<instance_id>/tasks", tasks_resource("Edit")),
        ("/data/edits/<instance_id>/preview-files", previews_resource("Edit")),
        ("/data/edits/<instance_id>/task-types", task_types_resource("Edit")),
        ("/data/episodes/<instance_id>/edit-tasks", tasks_resource("Episode", "Edit")),
        ("/data/episodes/<instance_id>/edits", children_resource("Episode", "Edit")),
        ("/data/projects/<project_id>/edits", project_resource("Edit", NEW_EDIT)),
    ]
