"""Route declarations: one declaration per route validates its input and
documents it, so /openapi.json is generated from the code that runs.

    class Login(Resource):
        @endpoint("Log in", public=True, body=Schema(email=String(required=True)))
        def post(self, body):
            ...

Every HTTP method of a Resource must be declared with @endpoint (checked when
the route is registered), and is authenticated unless it says public=True:
a route cannot forget to require a login.
"""
import datetime
import functools
import re
import uuid

import orjson
from flask import Response, request
from flask.views import MethodView

from app.errors import BadRequest
from app.http import json_response
from app.serialize import parse_datetime

MISSING = object()
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off", "")


class Field:
    json_type = {}

    def __init__(self, *, required=False, default=MISSING, nullable=True,
                 description="", choices=None):
        self.required = required
        self.default = default
        self.nullable = nullable
        self.description = description
        self.choices = tuple(choices) if choices else None

    def parse(self, name, value):
        if value is None:
            if not self.nullable:
                raise BadRequest(f"Field '{name}' cannot be null.")
            return None
        value = self.convert(name, value)
        if self.choices is not None and value not in self.choices:
            raise BadRequest(
                f"Field '{name}' must be one of: {', '.join(map(str, self.choices))}."
            )
        return value

    def convert(self, name, value):
        return value

    def schema(self):
        out = dict(self.json_type)
        if self.description:
            out["description"] = self.description
        if self.choices:
            out["enum"] = list(self.choices)
        if self.default is not MISSING and self.default is not None:
            out["default"] = self.default
        return out


class String(Field):
    json_type = {"type": "string"}

    def __init__(self, *, min_length=0, max_length=None, **kw):
        super().__init__(**kw)
        self.min_length = min_length
        self.max_length = max_length

    def convert(self, name, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise BadRequest(f"Field '{name}' must be a string.")
        if len(value) < self.min_length:
            raise BadRequest(f"Field '{name}' cannot be empty.")
        if self.max_length and len(value) > self.max_length:
            raise BadRequest(f"Field '{name}' is longer than {self.max_length} characters.")
        return value

    def schema(self):
        out = super().schema()
        if self.min_length:
            out["minLength"] = self.min_length
        if self.max_length:
            out["maxLength"] = self.max_length
        return out


class Integer(Field):
    json_type = {"type": "integer"}

    def __init__(self, *, minimum=None, maximum=None, **kw):
        super().__init__(**kw)
        self.minimum = minimum
        self.maximum = maximum

    def convert(self, name, value):
        if isinstance(value, bool):
            raise BadRequest(f"Field '{name}' must be an integer.")
        try:
            number = int(value)
            if isinstance(value, float) and number != value:
                raise ValueError
        except (TypeError, ValueError):
            raise BadRequest(f"Field '{name}' must be an integer.")
        if self.minimum is not None and number < self.minimum:
            raise BadRequest(f"Field '{name}' must be at least {self.minimum}.")
        if self.maximum is not None and number > self.maximum:
            raise BadRequest(f"Field '{name}' must be at most {self.maximum}.")
        return number


class Number(Field):
    json_type = {"type": "number"}

    def convert(self, name, value):
        if isinstance(value, bool):
            raise BadRequest(f"Field '{name}' must be a number.")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise BadRequest(f"Field '{name}' must be a number.")


class Boolean(Field):
    json_type = {"type": "boolean"}

    def convert(self, name, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
            return value.lower() in _TRUE
        raise BadRequest(f"Field '{name}' must be a boolean.")


class Uuid(Field):
    json_type = {"type": "string", "format": "uuid"}

    def convert(self, name, value):
        if isinstance(value, dict) and "id" in value:
            value = value["id"]
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise BadRequest(f"Field '{name}' must be a valid id (UUID).")


class Date(Field):
    json_type = {"type": "string", "format": "date"}

    def convert(self, name, value):
        try:
            return datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            raise BadRequest(f"Field '{name}' must be a date (YYYY-MM-DD).")


class DateTime(Field):
    json_type = {"type": "string", "format": "date-time"}

    def convert(self, name, value):
        try:
            return parse_datetime(value)
        except ValueError:
            raise BadRequest(f"Field '{name}' must be a date and time (ISO 8601).")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class Email(String):
    json_type = {"type": "string", "format": "email"}

    def convert(self, name, value):
        value = super().convert(name, value).strip()
        if not _EMAIL.match(value):
            raise BadRequest(f"Field '{name}' must be an e-mail address.")
        return value


class Dict(Field):
    json_type = {"type": "object"}

    def convert(self, name, value):
        if not isinstance(value, dict):
            raise BadRequest(f"Field '{name}' must be an object.")
        return value


class List(Field):
    def __init__(self, items=None, **kw):
        super().__init__(**kw)
        self.items = items

    def convert(self, name, value):
        if isinstance(value, str) and value.startswith("["):
            try:
                value = orjson.loads(value)
            except orjson.JSONDecodeError:
                pass
        if not isinstance(value, list):
            raise BadRequest(f"Field '{name}' must be a list.")
        if self.items is None:
            return value
        return [self.items.parse(f"{name}[{i}]", v) for i, v in enumerate(value)]

    def schema(self):
        out = {"type": "array", "items": self.items.schema() if self.items else {}}
        if self.description:
            out["description"] = self.description
        return out


class Schema:
    """A set of named fields. Unknown keys are dropped, as Zou does (the
    Kitsu app sends extra ones)."""

    def __init__(self, **fields):
        self.fields = fields

    def parse(self, data):
        out = {}
        for name, field in self.fields.items():
            if name in data:
                out[name] = field.parse(name, data[name])
            elif field.required:
                raise BadRequest(f"Field '{name}' is required.")
            elif field.default is not MISSING:
                out[name] = field.default
        return out

    def json_schema(self):
        schema = {
            "type": "object",
            "properties": {n: f.schema() for n, f in self.fields.items()},
        }
        required = [n for n, f in self.fields.items() if f.required]
        if required:
            schema["required"] = required
        return schema


def request_body():
    """The body as a dict, from a form or JSON, or 400 naming the problem."""
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return request.form.to_dict()
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadRequest("The request body is not valid JSON.")
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data


class EndpointSpec:
    def __init__(self, summary, body, query, public, token, during_2fa_setup,
                 description, responses):
        self.summary = summary
        self.body = body
        self.query = query
        self.public = public
        self.token = token
        self.during_2fa_setup = during_2fa_setup
        self.description = description
        self.responses = responses or {}


def endpoint(summary, *, body=None, query=None, public=False, token="access",
             during_2fa_setup=False, description="", responses=None):
    """Declare a route method. `token="refresh"` asks for a refresh token;
    `during_2fa_setup` lets a session restricted by ENFORCE_2FA through."""
    spec = EndpointSpec(summary, body, query, public, token, during_2fa_setup,
                        description, responses)

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if not spec.public:
                from app.auth import require_actor
                require_actor(refresh=spec.token == "refresh",
                              during_2fa_setup=spec.during_2fa_setup)
            if spec.body is not None:
                kwargs["body"] = spec.body.parse(request_body())
            if spec.query is not None:
                kwargs["query"] = spec.query.parse(request.args)
            return fn(*args, **kwargs)

        wrapper.endpoint_spec = spec
        return wrapper

    return decorate


class Resource(MethodView):
    """A URL's handlers; returns are dicts/lists, `(data, status)` or a Response."""

    def dispatch_request(self, **kwargs):
        result = super().dispatch_request(**kwargs)
        if isinstance(result, Response):
            return result
        if isinstance(result, tuple):
            return json_response(*result)
        return json_response(result)


def add_routes(blueprint, routes):
    """Register (rule, Resource) pairs; every method must carry @endpoint."""
    for rule, resource in routes:
        for method in resource.methods:
            handler = getattr(resource, method.lower())
            if not hasattr(handler, "endpoint_spec"):
                raise TypeError(
                    f"{resource.__name__}.{method.lower()} lacks @endpoint"
                )
        blueprint.add_url_rule(
            rule, view_func=resource.as_view(resource.__name__), strict_slashes=False
        )
