"""/export/csv/*: a production's assets, shots, edits, casting and
playlists, and the studio's persons, projects, task types, tasks and time
spent, as `;`-separated CSV files streamed to the browser."""
from flask import Response, stream_with_context

from app.api import Boolean, Resource, Schema, String, endpoint
from app.auth import current_actor
from app.services import exports

EPISODE = String(description='An episode id, "main" (no episode) or "all".')


def _download(export):
    name, chunks = export
    return Response(stream_with_context(chunks), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def _file(name, summary, export, query=None):
    """The Resource of one file: `export(actor, *path ids, **query)` makes it."""
    @endpoint(summary, query=query or Schema())
    def get(self, query, **ids):
        return _download(export(current_actor(), *ids.values(), **query))

    return type(name, (Resource,), {"get": get})


AssetsCsv = _file("AssetsCsv", "The project's assets, descriptors and task statuses (CSV)",
                  exports.project_assets, Schema(episode_id=EPISODE))
ShotsCsv = _file("ShotsCsv", "The project's shots, frames, descriptors and task statuses "
                 "(CSV)", exports.project_shots, Schema(episode_id=EPISODE))
EditsCsv = _file("EditsCsv", "The project's edits, descriptors and task statuses (CSV)",
                 exports.project_edits)
CastingCsv = _file("CastingCsv", "The project's casting (CSV)", exports.project_casting,
                   Schema(episode_id=EPISODE, is_shot_casting=Boolean(
                       default=False, description="The shots' casting, not the assets'.")))
PlaylistCsv = _file("PlaylistCsv", "The playlist's entries, their task status and last "
                    "comment (CSV; managers, supervisors, clients)", exports.playlist)
PersonsCsv = _file("PersonsCsv", "The studio's people (CSV; production managers)",
                   exports.persons)
ProjectsCsv = _file("ProjectsCsv", "Projects and their status (CSV; production managers)",
                    exports.project_list)
TasksCsv = _file("TasksCsv", "The tasks of the open productions the caller manages (CSV)",
                 exports.tasks)
TimeSpentsCsv = _file("TimeSpentsCsv", "The time logged on the open productions the caller "
                      "manages (CSV)", exports.time_spents)
TaskTypesCsv = _file("TaskTypesCsv", "Task types by department (CSV; production managers)",
                     exports.task_types)


def routes():
    return [
        ("/export/csv/projects/<project_id>/assets.csv", AssetsCsv),
        ("/export/csv/projects/<project_id>/shots.csv", ShotsCsv),
        ("/export/csv/projects/<project_id>/casting.csv", CastingCsv),
        ("/export/csv/projects/<project_id>/edits.csv", EditsCsv),
        ("/export/csv/playlists/<playlist_id>", PlaylistCsv),
        ("/export/csv/persons.csv", PersonsCsv),
        ("/export/csv/projects.csv", ProjectsCsv),
        ("/export/csv/tasks.csv", TasksCsv),
        ("/export/csv/time-spents.csv", TimeSpentsCsv),
        ("/export/csv/task-types.csv", TaskTypesCsv),
    ]
