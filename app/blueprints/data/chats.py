"""Entity chats (behaviours.md row 27): /data/entities/<id>/chat... and the
caller's chats, /data/user/chats. Joining is in blueprints/actions/chats.py."""
from flask import Response, request

from app.api import Resource, Schema, String, endpoint
from app.auth import current_actor
from app.services import chats


class EntityChat(Resource):
    @endpoint("The entity's chat (made on first visit): participants and messages")
    def get(self, entity_id):
        return chats.get_chat(current_actor(), entity_id)


class ChatMessages(Resource):
    @endpoint("The chat's messages, oldest first")
    def get(self, entity_id):
        return chats.messages(current_actor(), entity_id)

    @endpoint("Post a message as a participant (201); files sent along as multipart "
              "form data become its attachments",
              body=Schema(message=String(required=True, nullable=False)))
    def post(self, entity_id, body):
        return chats.post_message(current_actor(), entity_id, body["message"],
                                  list(request.files.values())), 201


class ChatMessage(Resource):
    @endpoint("One message of the chat")
    def get(self, entity_id, chat_message_id):
        return chats.message(current_actor(), entity_id, chat_message_id)

    @endpoint("Delete a message (its author or an admin) with its attachments (204)")
    def delete(self, entity_id, chat_message_id):
        chats.delete_message(current_actor(), entity_id, chat_message_id)
        return Response(status=204)


class UserChats(Resource):
    @endpoint("The chats the caller joined, in open productions (not for bots)")
    def get(self):
        return chats.user_chats(current_actor())


def routes():
    return [
        ("/data/entities/<entity_id>/chat", EntityChat),
        ("/data/entities/<entity_id>/chat/messages", ChatMessages),
        ("/data/entities/<entity_id>/chat/messages/<chat_message_id>", ChatMessage),
        ("/data/user/chats", UserChats),
    ]
