"""OpenAPI 3.1 document built from the registered routes and their
@endpoint declarations: it describes exactly what the code validates."""
import re

from flask import current_app

from app.version import API_VERSION, APP_NAME, __version__

_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _operation(rule, method, spec):
    op = {
        "summary": spec.summary,
        "operationId": f"{rule.endpoint}.{method}",
        "tags": [rule.endpoint.split(".")[0]],
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _PARAM.findall(rule.rule)
        ],
        "responses": {
            "200": {"description": "Success", "content": {"application/json": {}}},
            "400": _ERROR,
            **spec.responses,
        },
    }
    if spec.description:
        op["description"] = spec.description
    if spec.query is not None:
        schema = spec.query.json_schema()
        required = set(schema.get("required", ()))
        op["parameters"] += [
            {"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema["properties"].items()
        ]
    if spec.body is not None:
        schema = spec.body.json_schema()
        op["requestBody"] = {
            "required": bool(schema.get("required")),
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    if spec.public:
        op["security"] = []
    else:
        op["responses"]["401"] = _ERROR
        op["responses"]["403"] = _ERROR
    return op


def build_spec():
    paths = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        view = current_app.view_functions.get(rule.endpoint)
        resource = getattr(view, "view_class", None)
        if resource is None:
            continue
        path = _PARAM.sub(r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            handler = getattr(resource, method.lower())
            paths.setdefault(path, {})[method.lower()] = _operation(
                rule, method.lower(), handler.endpoint_spec
            )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{APP_NAME} API",
            "version": __version__,
            "description": f"Production-tracking API, wire-compatible with Zou {API_VERSION}.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "access_token_cookie"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "boolean"}, "message": {"type": "string"}},
                    "required": ["error", "message"],
                }
            },
        },
        "security": [{"bearer": []}, {"cookie": []}],
    }
