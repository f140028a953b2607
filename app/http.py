"""JSON encoding for every response (orjson: UUIDs, dates and datetimes in
the wire format of behaviours.md section 0, without per-row conversion)."""
import decimal

import orjson
from flask import Response, stream_with_context
from flask.json.provider import JSONProvider

_OPTIONS = orjson.OPT_OMIT_MICROSECONDS | orjson.OPT_NON_STR_KEYS


def _default(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(data):
    return orjson.dumps(data, default=_default, option=_OPTIONS)


def json_response(data, status=200, headers=None):
    return Response(dumps(data), status=status, headers=headers, mimetype="application/json")


class OrjsonProvider(JSONProvider):
    def dumps(self, obj, **kwargs):
        return dumps(obj).decode()

    def loads(self, s, **kwargs):
        return orjson.loads(s)

    def response(self, *args, **kwargs):
        return json_response(self._prepare_response_obj(args, kwargs))


def json_body_response(body):
    """A response for JSON already encoded: bytes, or an iterator of chunks
    (streamed, with the request context kept open until the last one)."""
    if isinstance(body, (bytes, str)):
        return Response(body, mimetype="application/json")
    return Response(stream_with_context(body), mimetype="application/json")
