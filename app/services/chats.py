"""Chats (behaviours.md row 27): one chat room per entity, made when first
asked for, whose participants post messages (with attachments).

Whoever may see the entity (its production's team; vendors: an entity they
hold a task on) may read its chat and join it; only participants post;
a message is deleted by its author or an admin. Chat events are live only
(persist=False), as in Zou.
"""

import orjson
import sqlalchemy as sa
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from app import events
from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import db
from app.models.base import utc_now
from app.models.chat import Chat, ChatMessage, ChatParticipant
from app.models.entity import Entity
from app.models.files import AttachmentFile
from app.models.settings import EntityType
from app.permissions import as_uuid, require_person
from app.services import attachments, crud, entities, news, search

CHAT, MESSAGE = Chat.__table__, ChatMessage.__table__
PARTICIPANT, ATTACHMENT = ChatParticipant.__table__, AttachmentFile.__table__
ENTITY = Entity.__table__
# Reading ----------------------------------------------------------------------

def _chat_json(actor, chat_id):
    """The chat as the chats collection shows it, participants' ids included."""
    return crud.serialize(crud.collection("chats"), actor, db.session.get(Chat, chat_id))


def _messages(*criteria):
    """Messages in the wire format, oldest first, each with its attachments."""
    files = func.coalesce(select(func.json_agg(sa.dialects.postgresql.aggregate_order_by(
        func.json_build_object("id", ATTACHMENT.c.id, "name", ATTACHMENT.c.name,
                               "extension", ATTACHMENT.c.extension, "size", ATTACHMENT.c.size),
        ATTACHMENT.c.created_at))).where(ATTACHMENT.c.chat_message_id == MESSAGE.c.id)
        .scalar_subquery(), sa.text("'[]'::json"))
    stmt = select(*[crud.wire_column(c) for c in MESSAGE.c],
                  sa.literal("ChatMessage").label("type"), files.label("attachment_files")) \
        .where(*criteria)
    return search.ordered_rows(stmt, (MESSAGE.c.created_at, MESSAGE.c.id))


def _chat_of(actor, entity_id):
    """The entity's chat once the actor may see the entity, made (and
    committed) when it has none yet."""
    entity = entities.get_for(actor, entity_id)
    found = db.session.scalar(select(CHAT.c.id).where(CHAT.c.object_id == entity.id)
                              .order_by(CHAT.c.created_at).limit(1))
    if found is None:
        # Two first visitors at once must not make two chats.
        db.session.execute(select(func.pg_advisory_xact_lock(
            func.hashtext(sa.literal(f"chat:{entity.id}")))))
        found = db.session.scalar(select(CHAT.c.id).where(CHAT.c.object_id == entity.id))
        if found is None:
            chat = Chat(object_id=entity.id, object_type="entity")
            db.session.add(chat)
            db.session.flush()
            found = chat.id
        db.session.commit()
    return entity, found


def get_chat(actor, entity_id):
    """GET /data/entities/<id>/chat: the chat, its participants' ids and
    its messages."""
    _, chat_id = _chat_of(actor, entity_id)
    chat = _chat_json(actor, chat_id)
    chat["messages"] = _messages(MESSAGE.c.chat_id == chat_id)
    return chat


def messages(actor, entity_id):
    _, chat_id = _chat_of(actor, entity_id)
    return _messages(MESSAGE.c.chat_id == chat_id)


def _message_row(chat_id, message_id):
    row = db.session.get(ChatMessage, as_uuid(message_id, "chat message id"))
    if row is None or row.chat_id != chat_id:
        raise NotFound(f"No message of this chat has the id {message_id}.")
    return row


def message(actor, entity_id, message_id):
    _, chat_id = _chat_of(actor, entity_id)
    return _messages(MESSAGE.c.id == _message_row(chat_id, message_id).id)[0]


def user_chats(actor):
    """GET /data/user/chats: the chats the caller joined, on entities of
    open productions they may still see."""
    require_person(actor)
    parent, grand = ENTITY.alias("chat_parent"), ENTITY.alias("chat_grandparent")
    entity_type = EntityType.__table__.alias("chat_entity_type")
    name, _ = news.full_entity_name(ENTITY, parent, grand, entity_type)
    stmt = (select(CHAT.c.id, CHAT.c.object_id, crud.wire_column(CHAT.c.last_message),
                   name.label("entity_name"), ENTITY.c.project_id, ENTITY.c.preview_file_id)
            .select_from(CHAT).join(PARTICIPANT, PARTICIPANT.c.chat_id == CHAT.c.id)
            .join(ENTITY, ENTITY.c.id == CHAT.c.object_id)
            .join(entity_type, entity_type.c.id == ENTITY.c.entity_type_id)
            .outerjoin(parent, parent.c.id == ENTITY.c.parent_id)
            .outerjoin(grand, grand.c.id == parent.c.parent_id)
            .where(PARTICIPANT.c.person_id == actor.person.id, *search.entity_scope(actor)))
    return orjson.loads(crud.json_rows(stmt, sort=("entity_name", "id")))


# Writing ----------------------------------------------------------------------

def _joined_entity(entity_id):
    """The entity whose chat to join or leave. gazu's join_chat and
    leave_chat send the id of the dict they are given: an entity's, or a
    chat's as all_chats() lists them (Zou answers 404 to the latter)."""
    given = as_uuid(entity_id, "entity id")
    if db.session.get(Entity, given) is None:
        return db.session.scalar(select(CHAT.c.object_id).where(CHAT.c.id == given)) or given
    return given


def join(actor, entity_id):
    """POST /actions/user/chats/<entity_id>/join (joining twice is a no-op)."""
    require_person(actor)
    entity, chat_id = _chat_of(actor, _joined_entity(entity_id))
    db.session.execute(insert(PARTICIPANT).values(chat_id=chat_id, person_id=actor.person.id)
                       .on_conflict_do_nothing())
    events.emit("chat:joined", {"chat_id": chat_id, "person_id": actor.person.id},
                project_id=entity.project_id, persist=False)
    db.session.commit()
    return _chat_json(actor, chat_id)


def leave(actor, entity_id):
    """DELETE /actions/user/chats/<entity_id>/join."""
    require_person(actor)
    entity, chat_id = _chat_of(actor, _joined_entity(entity_id))
    db.session.execute(delete(PARTICIPANT).where(PARTICIPANT.c.chat_id == chat_id,
                                                 PARTICIPANT.c.person_id == actor.person.id))
    events.emit("chat:left", {"chat_id": chat_id, "person_id": actor.person.id},
                project_id=entity.project_id, persist=False)
    db.session.commit()


def post_message(actor, entity_id, text, uploads=()):
    """POST /data/entities/<id>/chat/messages: a participant's message
    (201), with its attachments; the chat's last_message moves to it."""
    entity, chat_id = _chat_of(actor, entity_id)
    is_participant = db.session.scalar(select(PARTICIPANT.c.person_id).where(
        PARTICIPANT.c.chat_id == chat_id, PARTICIPANT.c.person_id == actor.person.id))
    if is_participant is None:
        raise BadRequest("You are not a participant of this chat: join it first.")
    now = utc_now()
    row = ChatMessage(chat_id=chat_id, person_id=actor.person.id, text=text,
                      created_at=now, updated_at=now)
    db.session.add(row)
    db.session.flush()
    attachments.store(uploads, chat_message_id=row.id)
    db.session.execute(update(CHAT).where(CHAT.c.id == chat_id).values(last_message=now))
    events.emit("chat:new-message", {"chat_id": chat_id, "chat_message_id": row.id,
                                     "last_message": now.replace(microsecond=0).isoformat()},
                project_id=entity.project_id, persist=False)
    db.session.commit()
    return _messages(MESSAGE.c.id == row.id)[0]


def delete_message(actor, entity_id, message_id):
    """DELETE /data/entities/<id>/chat/messages/<id>: by its author or an
    admin, with its attachments' files; last_message goes back to the
    latest message left."""
    entity, chat_id = _chat_of(actor, entity_id)
    row = _message_row(chat_id, message_id)
    if str(row.person_id) != actor.id and not actor.is_admin:
        raise Forbidden("Only the author of a message (or an admin) can delete it.")
    attachments.remove(ATTACHMENT.c.chat_message_id == row.id)
    db.session.execute(delete(MESSAGE).where(MESSAGE.c.id == row.id))
    db.session.expunge(row)
    db.session.execute(update(CHAT).where(CHAT.c.id == chat_id).values(
        last_message=select(func.max(MESSAGE.c.created_at))
        .where(MESSAGE.c.chat_id == chat_id).scalar_subquery()))
    events.emit("chat:deleted-message", {"chat_id": chat_id, "chat_message_id": row.id},
                project_id=entity.project_id, persist=False)
    db.session.commit()
