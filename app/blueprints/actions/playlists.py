"""/actions/playlists/<id>/add-entity(-ies): append entries to a playlist
without losing a concurrent addition (app/services/playlists.py)."""
from app.api import Dict, List, Resource, Schema, Uuid, endpoint
from app.auth import current_actor
from app.errors import BadRequest
from app.services import playlists

ENTRY = Schema(
    entity_id=Uuid(required=True, nullable=False),
    preview_file_id=playlists.OptionalId(description=(
        "The revision to play; default: the entity's latest (of the playlist's task type)")),
)


class AddEntity(Resource):
    @endpoint("Add an entity to the playlist (the playlist, with its entries)", body=ENTRY)
    def post(self, playlist_id, body):
        return playlists.add_entities(current_actor(), playlist_id, [body])


class AddEntities(Resource):
    @endpoint("Add several entities to the playlist at once",
              body=Schema(entities=List(Dict(), required=True, description=(
                  "[{entity_id, preview_file_id}]"))))
    def post(self, playlist_id, body):
        if not body["entities"]:
            raise BadRequest("Field 'entities' needs at least one entity.")
        return playlists.add_entities(current_actor(), playlist_id,
                                      [ENTRY.parse(e) for e in body["entities"]])


def routes():
    return [
        ("/actions/playlists/<playlist_id>/add-entity", AddEntity),
        ("/actions/playlists/<playlist_id>/add-entities", AddEntities),
    ]
