"""The live event stream: the socket.io server the Kitsu web app connects to
(namespace /events, path /socket.io), beside the API.

- Relay. The API publishes every event through Redis after its commit
  (app/events.py); each events server subscribes to that channel and sends
  each message to its own connected clients. Any number of events servers
  can share one Redis: a client is connected to one of them, so it gets
  every event once.
- Authentication. A connection must carry an access token (the
  access_token_cookie cookie, an Authorization header, or {"token": ...} in
  the socket.io auth payload). It is checked with the API's own code
  (app.auth.require_actor: signature, expiry, revocation, inactive person,
  retired API token, pending 2FA set-up), when connecting and again on each
  message the client sends.
- Review rooms. The preview-room:* messages of a playlist's review are
  relayed to the clients that opened that playlist, after checking the
  sender may see it. The room's state (who is in, what plays) lives in Redis
  so every events server sees the same room.

asyncio and aiohttp, as python-socketio documents for a production server:
one process holds thousands of idle connections. The Flask app is only used
in worker threads, for the checks that read PostgreSQL.

    python events_server.py [--host 127.0.0.1] [--port 5001]
"""
import argparse
import asyncio
import json
import logging
import time
import uuid

import jwt
import redis.asyncio as aioredis
import socketio
from aiohttp import web
from flask_jwt_extended.exceptions import NoAuthorizationError, RevokedTokenError, WrongTokenError

from app import events
from app.errors import ApiError, BadRequest, Forbidden, NotFound
from app.version import APP_NAME

log = logging.getLogger(__name__)
NAMESPACE = events.NAMESPACE
ROOM_PREFIX = "preview-room:"
# Rooms nobody writes to for a day are forgotten.
ROOM_TTL = 24 * 3600
# An events server that stops refreshing its key for this long is gone, and
# the people it had in rooms are dropped from them.
HOST_TTL = 30
MISSING_TOKEN = ('Missing access token: send the access_token_cookie cookie, an Authorization '
                 'header, or {"token": "<access token>"} in the socket.io auth payload.')

# Set from each preview-room:room-updated message, with this default when
# the message leaves it out.
PLAYBACK = {
    "user_id": None, "local_id": None, "is_playing": False, "is_repeating": None,
    "is_laser_mode": None, "is_annotations_displayed": False, "is_zoom_enabled": False,
    "is_waveform_displayed": False, "current_entity_id": None, "current_entity_index": None,
    "current_preview_file_id": None, "current_preview_file_index": None,
    "handle_in": None, "handle_out": None,
}
# Kept as they are until a message carries them.
STICKY = {
    "current_frame": 0,
    "speed": None,
    "comparing": {"enable": False, "task_type": None, "revision": None, "mode": "sidebyside",
                  "comparison_preview_index": 0},
}
# Messages relayed as they are to the room they name.
RELAYED = ("add-annotation", "update-annotation", "remove-annotation", "change-version",
           "panzoom-changed", "comparison-panzoom-changed")


def playback_fields(data):
    """The room fields a room-updated (or first join) message sets."""
    fields = {key: data.get(key, default) for key, default in PLAYBACK.items()}
    if "current_frame" in data:
        fields["current_frame"] = data["current_frame"]
    speed = data.get("speed")
    if isinstance(speed, (int, float)) and not isinstance(speed, bool):
        fields["speed"] = speed
    if isinstance(data.get("comparing"), dict):
        fields["comparing"] = {k: v for k, v in data["comparing"].items()
                               if k in STICKY["comparing"]}
    return fields


def refusal(error):
    """What a refused client is told, without the token's internals."""
    if isinstance(error, ApiError):
        return error.message
    if isinstance(error, NoAuthorizationError):
        return MISSING_TOKEN
    if isinstance(error, jwt.ExpiredSignatureError):
        return "Access token expired."
    if isinstance(error, RevokedTokenError):
        return "Access token revoked."
    if isinstance(error, WrongTokenError):
        return "A refresh token was given: send the access token."
    return "Invalid access token."


def credentials(environ, auth):
    """The headers that carry the connection's token, as the API reads them."""
    headers = {}
    if environ.get("HTTP_COOKIE"):
        headers["Cookie"] = environ["HTTP_COOKIE"]
    if environ.get("HTTP_AUTHORIZATION"):
        headers["Authorization"] = environ["HTTP_AUTHORIZATION"]
    token = auth.get("token") if isinstance(auth, dict) else None
    if isinstance(token, str) and token:
        # A browser's WebSocket cannot send a header: desktop clients
        # without the cookie send the token in the payload.
        headers["Authorization"] = f"Bearer {token}"
    return headers


class Gate:
    """The API's access rules, run in worker threads (they query PostgreSQL
    and Redis synchronously) inside a request context built from the
    connection's credentials."""

    def __init__(self, flask_app):
        self.flask_app = flask_app

    def _run(self, headers, check):
        from app.auth import require_actor

        # The token checks read the request (flask-jwt-extended): give them
        # one made of the connection's headers.
        with self.flask_app.test_request_context(headers=headers):
            return check(require_actor())

    async def user_id(self, headers):
        return await asyncio.to_thread(self._run, headers, lambda actor: actor.id)

    async def room_user_id(self, headers, playlist_id):
        """The caller's id if they may join the playlist's review room: the
        playlist's readers (its production's team but vendors, and clients
        only for playlists shared with clients)."""
        return await asyncio.to_thread(self._run, headers,
                                       lambda actor: _room_access(actor, playlist_id))


def _room_access(actor, playlist_id):
    from app.extensions import db
    from app.models.playlist import Playlist
    from app.permissions import as_uuid, require_project_access

    playlist = db.session.get(Playlist, as_uuid(playlist_id, "playlist id"))
    if playlist is None:
        raise NotFound("Playlist not found.")
    role = require_project_access(actor, playlist.project_id)
    if role == "vendor" or (role == "client" and not playlist.for_client):
        raise Forbidden("You cannot see this playlist.")
    return actor.id


class Rooms:
    """Review room state in Redis, shared by every events server.

    A room is two hashes: its playback state (one JSON value per field) and
    its people (one entry per connection: user id, join time, server), so a
    person with two tabs stays in the room until both leave.
    """

    def __init__(self, redis, host_id):
        self.redis = redis
        self.host_id = host_id

    @staticmethod
    def _keys(playlist_id):
        return f"{ROOM_PREFIX}{playlist_id}:state", f"{ROOM_PREFIX}{playlist_id}:people"

    async def heartbeat(self):
        await self.redis.set(f"events-server:{self.host_id}", "1", ex=HOST_TTL)

    async def people(self, playlist_id):
        """User ids in the room, in joining order, without the connections
        of servers that stopped."""
        _, people_key = self._keys(playlist_id)
        members = {sid: json.loads(raw)
                   for sid, raw in (await self.redis.hgetall(people_key)).items()}
        hosts = sorted({m["host"] for m in members.values()})
        alive = dict(zip(hosts, await self.redis.mget([f"events-server:{h}" for h in hosts])
                         if hosts else []))
        gone = [sid for sid, m in members.items() if alive.get(m["host"]) is None]
        if gone:
            await self.redis.hdel(people_key, *gone)
        ordered = sorted((m for sid, m in members.items() if sid not in gone),
                         key=lambda m: m["at"])
        return list(dict.fromkeys(m["user_id"] for m in ordered))

    async def join(self, playlist_id, sid, user_id, data):
        """Add the connection; the first one in sets the playback state."""
        state_key, people_key = self._keys(playlist_id)
        first = not await self.people(playlist_id)
        member = json.dumps({"user_id": user_id, "at": time.time(), "host": self.host_id})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(people_key, sid, member)
            pipe.expire(people_key, ROOM_TTL)
            await pipe.execute()
        if first:
            await self.update(playlist_id, playback_fields(data))

    async def leave(self, playlist_id, sid):
        state_key, people_key = self._keys(playlist_id)
        await self.redis.hdel(people_key, sid)
        people = await self.people(playlist_id)
        if not people:
            await self.redis.delete(state_key, people_key)
        return people

    async def update(self, playlist_id, fields):
        state_key, _ = self._keys(playlist_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(state_key, mapping={k: json.dumps(v) for k, v in fields.items()})
            pipe.expire(state_key, ROOM_TTL)
            await pipe.execute()

    async def room(self, playlist_id):
        """The whole room, as the clients expect it."""
        state_key, _ = self._keys(playlist_id)
        stored = {k: json.loads(v) for k, v in (await self.redis.hgetall(state_key)).items()}
        return {**PLAYBACK, **STICKY, **stored, "playlist_id": playlist_id,
                "people": await self.people(playlist_id)}


def create_server(flask_app):
    """The aiohttp application serving socket.io under /socket.io."""
    redis_url = flask_app.config.get("EVENTS_REDIS_URL") or flask_app.config["REDIS_URL"]
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        client_manager=socketio.AsyncRedisManager(redis_url, channel=events.CHANNEL),
        namespaces=[NAMESPACE],
    )
    gate = Gate(flask_app)
    rooms = Rooms(aioredis.Redis.from_url(redis_url, decode_responses=True), uuid.uuid4().hex)
    stats = {"nb_connections": 0}

    async def emit_people(playlist_id, people=None):
        if people is None:
            people = await rooms.people(playlist_id)
        await sio.emit("preview-room:room-people-updated",
                       {"people": people, "playlist_id": playlist_id, "id": playlist_id},
                       to=playlist_id, namespace=NAMESPACE)

    async def leave(sid, playlist_id):
        session = await sio.get_session(sid, namespace=NAMESPACE)
        if playlist_id in session["rooms"]:
            session["rooms"].discard(playlist_id)
            await emit_people(playlist_id, await rooms.leave(playlist_id, sid))

    @sio.on("connect", namespace=NAMESPACE)
    async def connect(sid, environ, auth=None):
        headers = credentials(environ, auth)
        try:
            user_id = await gate.user_id(headers)
        except Exception as error:
            log.info("Socket connection refused: %s", refusal(error))
            raise ConnectionRefusedError(refusal(error))
        await sio.save_session(sid, {"user_id": user_id, "headers": headers, "rooms": set()},
                               namespace=NAMESPACE)
        stats["nb_connections"] += 1

    @sio.on("disconnect", namespace=NAMESPACE)
    async def disconnect(sid, *reason):
        stats["nb_connections"] -= 1
        session = await sio.get_session(sid, namespace=NAMESPACE)
        for playlist_id in list(session["rooms"]):
            await leave(sid, playlist_id)

    def room_message(handler, check_access=False):
        """Re-check the sender's token (it may have been revoked since it
        connected), then run the handler for the room the message names.
        With `check_access` (opening, joining), the sender must be allowed to
        see the playlist; otherwise they must have opened it already."""

        async def wrapper(sid, data=None):
            playlist_id = data.get("playlist_id") if isinstance(data, dict) else None
            if not isinstance(playlist_id, str):
                return
            session = await sio.get_session(sid, namespace=NAMESPACE)
            try:
                if check_access:
                    await gate.room_user_id(session["headers"], playlist_id)
                else:
                    await gate.user_id(session["headers"])
            except (BadRequest, Forbidden, NotFound) as error:
                log.info("Review room %s refused: %s", playlist_id, refusal(error))
                return
            except Exception as error:
                log.info("Socket closed: %s", refusal(error))
                await sio.disconnect(sid, namespace=NAMESPACE)
                return
            if check_access or playlist_id in sio.rooms(sid, namespace=NAMESPACE):
                await handler(sid, session, playlist_id, data)

        return wrapper

    async def on_open(sid, session, playlist_id, data):
        await sio.enter_room(sid, playlist_id, namespace=NAMESPACE)
        await emit_people(playlist_id)

    async def on_close(sid, session, playlist_id, data):
        await leave(sid, playlist_id)
        await sio.leave_room(sid, playlist_id, namespace=NAMESPACE)

    async def on_join(sid, session, playlist_id, data):
        await sio.enter_room(sid, playlist_id, namespace=NAMESPACE)
        await rooms.join(playlist_id, sid, session["user_id"], data)
        session["rooms"].add(playlist_id)
        room = await rooms.room(playlist_id)
        await emit_people(playlist_id, room["people"])
        await sio.emit("preview-room:room-updated", room, to=playlist_id, namespace=NAMESPACE)

    async def on_leave(sid, session, playlist_id, data):
        await leave(sid, playlist_id)

    async def on_room_updated(sid, session, playlist_id, data):
        await rooms.update(playlist_id, playback_fields(data))
        room = await rooms.room(playlist_id)
        await sio.emit("preview-room:room-updated", {"only_newcomer": False, **room},
                       to=playlist_id, namespace=NAMESPACE)

    def relay(name):
        async def on_message(sid, session, playlist_id, data):
            await sio.emit(name, data, to=playlist_id, namespace=NAMESPACE)
        return on_message

    handlers = {
        "open-playlist": room_message(on_open, check_access=True),
        "join": room_message(on_join, check_access=True),
        "close-playlist": room_message(on_close),
        "leave": room_message(on_leave),
        "room-updated": room_message(on_room_updated),
        **{name: room_message(relay(f"preview-room:{name}")) for name in RELAYED},
    }
    for name, handler in handlers.items():
        sio.on(f"preview-room:{name}", handler, namespace=NAMESPACE)

    async def index(request):
        return web.json_response({"name": f"{APP_NAME} Event stream"})

    async def server_stats(request):
        return web.json_response(stats)

    async def keep_alive():
        while True:
            await rooms.heartbeat()
            await asyncio.sleep(HOST_TTL / 3)

    async def lifecycle(aio_app):
        await rooms.heartbeat()
        task = asyncio.create_task(keep_alive())
        yield
        task.cancel()
        await rooms.redis.delete(f"events-server:{rooms.host_id}")
        await rooms.redis.aclose()

    aio_app = web.Application()
    sio.attach(aio_app)
    aio_app.router.add_get("/", index)
    aio_app.router.add_get("/stats", server_stats)
    aio_app.cleanup_ctx.append(lifecycle)
    return aio_app


def main(argv=None):
    from app import create_app

    flask_app = create_app()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=flask_app.config["EVENT_STREAM_HOST"])
    parser.add_argument("--port", type=int, default=flask_app.config["EVENT_STREAM_PORT"])
    args = parser.parse_args(argv)
    log.info("Event stream on http://%s:%s (socket.io path /socket.io, namespace %s)",
             args.host, args.port, NAMESPACE)
    web.run_app(create_server(flask_app), host=args.host, port=args.port, access_log=None,
                print=None)


if __name__ == "__main__":
    main()
