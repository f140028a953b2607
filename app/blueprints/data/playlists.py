"""A production's playlists, the full view a review opens, temporary
playlists, the playlist-ready notice to clients, and builds (behaviours.md
row 18). Rules in app/services/playlists.py and playlist_builds.py; the
generic /data/playlists routes are the playlists collection's."""
from flask import Response, request, send_file

from app.api import Boolean, Integer, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.http import json_body_response
from app.services import playlist_builds, playlists

PAGE_QUERY = dict(
    page=Integer(default=1, description="Page of 20 playlists (1 when absent or below)"),
    sort_by=String(description="Column to sort by (dates newest first); default updated_at"),
    task_type_id=String(description="Only the playlists of this task type"),
)


class ProjectPlaylists(Resource):
    @endpoint("A page of the production's playlists, without their entries (clients: "
              "those shared with them; vendors refused)", query=Schema(**PAGE_QUERY))
    def get(self, project_id, query):
        return playlists.project_playlists(current_actor(), project_id, query["page"],
                                           query.get("sort_by"), query.get("task_type_id"))


class ProjectAllPlaylists(Resource):
    @endpoint("Every playlist of the production with its entries and build job ids "
              "(admins); `page` gives the page envelope",
              query=Schema(page=Integer(minimum=-1), limit=Integer(minimum=1)))
    def get(self, project_id, query):
        return json_body_response(
            playlists.all_project_playlists(current_actor(), project_id, request.args))


class EpisodePlaylists(Resource):
    @endpoint("A page of an episode's playlists; `main` gives the production-wide ones, "
              "`all` those for all entities",
              query=Schema(**PAGE_QUERY, for_entity=String(description="shot, asset...")))
    def get(self, project_id, episode_id, query):
        return playlists.episode_playlists(
            current_actor(), project_id, episode_id, query["page"], query.get("sort_by"),
            query.get("task_type_id"), query.get("for_entity"))


class ProjectPlaylist(Resource):
    @endpoint("The playlist with every entry's preview revisions by task type, and its "
              "build jobs")
    def get(self, project_id, playlist_id):
        return json_body_response(
            playlists.project_playlist_json(current_actor(), project_id, playlist_id))


class PlaylistEntityPreviews(Resource):
    @endpoint("The entity's preview revisions by task type, newest first")
    def get(self, entity_id):
        return playlists.entity_preview_files(current_actor(), entity_id)


class TempPlaylist(Resource):
    @endpoint("The entries a playlist of these tasks would have (nothing is saved)",
              body=Schema(task_ids=List(Uuid(), default=[]),
                          entity_ids=List(Uuid(), default=[], description=(
                              "Each entity adds its last reviewed task with a preview"))),
              query=Schema(sort=Boolean(default=False, description=(
                  "Order by episode, sequence, asset type and name"))))
    def post(self, project_id, body, query):
        return playlists.temp_playlist(current_actor(), project_id, body["task_ids"],
                                       body["entity_ids"], query["sort"])


class NotifyClients(Resource):
    @endpoint("Tell the production's clients the playlist is ready (managers)",
              body=Schema(studio_id=playlists.OptionalId(description="Only this studio's"),
                          department_id=playlists.OptionalId(
                              description="Only this department's")))
    def post(self, playlist_id, body):
        playlists.notify_clients(current_actor(), playlist_id, body.get("studio_id"),
                                 body.get("department_id"))
        return {"status": "success"}


class BuildMovie(Resource):
    @endpoint("Build the playlist's movie (managers): a build job, 409 while another runs",
              query=Schema(full=Boolean(default=False, description=(
                  "Re-encode every preview rather than joining them as they are"))))
    def get(self, playlist_id, query):
        return playlist_builds.start_movie(current_actor(), playlist_id, query["full"])


class PlaylistBuildJob(Resource):
    @endpoint("A build job of the playlist")
    def get(self, playlist_id, build_job_id):
        return playlist_builds.get_job(current_actor(), playlist_id, build_job_id)

    @endpoint("Delete a build job and its movie")
    def delete(self, playlist_id, build_job_id):
        playlist_builds.delete_job(current_actor(), playlist_id, build_job_id)
        return Response(status=204)


class BuildJobMovie(Resource):
    @endpoint("Download a finished build's movie")
    def get(self, playlist_id, build_job_id):
        stream, name = playlist_builds.movie_download(current_actor(), playlist_id,
                                                      build_job_id)
        return send_file(stream, mimetype="video/mp4", as_attachment=True,
                         download_name=name, conditional=True)


class ProjectBuildJobs(Resource):
    @endpoint("Every build job of the production's playlists (admins)")
    def get(self, project_id):
        return playlist_builds.project_jobs(current_actor(), project_id)


class PlaylistZip(Resource):
    @endpoint("Download a zip of the original files the playlist plays")
    def get(self, playlist_id):
        archive, name = playlist_builds.zip_download(current_actor(), playlist_id)
        return send_file(archive, mimetype="application/zip", as_attachment=True,
                         download_name=name)


def routes():
    return [
        ("/data/projects/<project_id>/playlists", ProjectPlaylists),
        ("/data/projects/<project_id>/playlists/all", ProjectAllPlaylists),
        ("/data/projects/<project_id>/playlists/temp", TempPlaylist),
        ("/data/projects/<project_id>/playlists/<playlist_id>", ProjectPlaylist),
        ("/data/projects/<project_id>/episodes/<episode_id>/playlists", EpisodePlaylists),
        ("/data/projects/<project_id>/build-jobs", ProjectBuildJobs),
        ("/data/playlists/entities/<entity_id>/preview-files", PlaylistEntityPreviews),
        ("/data/playlists/<playlist_id>/notify-clients", NotifyClients),
        ("/data/playlists/<playlist_id>/build/mp4", BuildMovie),
        ("/data/playlists/<playlist_id>/jobs/<build_job_id>", PlaylistBuildJob),
        ("/data/playlists/<playlist_id>/jobs/<build_job_id>/build/mp4", BuildJobMovie),
        ("/data/playlists/<playlist_id>/download/zip", PlaylistZip),
    ]
