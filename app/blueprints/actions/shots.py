"""Actions on a production's shots (behaviours.md row 9)."""
from app.api import Resource, Schema, String, endpoint
from app.auth import current_actor
from app.services import shots


class SetShotNbFrames(Resource):
    @endpoint("Set shot frame counts from their newest previews",
              query=Schema(episode_id=String(description="Only the shots of this episode.")),
              description="Project managers. Each shot's nb_frames becomes the duration of "
                          "the newest preview of its task of this type, at the production's "
                          "fps.")
    def post(self, project_id, task_type_id, query):
        return shots.set_nb_frames_from_previews(current_actor(), project_id, task_type_id,
                                                 query.get("episode_id"))


def routes():
    return [("/actions/projects/<project_id>/task-types/<task_type_id>/set-shot-nb-frames",
             SetShotNbFrames)]
