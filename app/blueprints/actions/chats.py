"""Joining and leaving an entity's chat (behaviours.md row 27)."""
from flask import Response

from app.api import Resource, endpoint
from app.auth import current_actor
from app.services import chats


class JoinChat(Resource):
    @endpoint("Join the entity's chat (not for bots); the chat is returned")
    def post(self, entity_id):
        return chats.join(current_actor(), entity_id)

    @endpoint("Leave the entity's chat (204)")
    def delete(self, entity_id):
        chats.leave(current_actor(), entity_id)
        return Response(status=204)


def routes():
    return [("/actions/user/chats/<entity_id>/join", JoinChat)]
