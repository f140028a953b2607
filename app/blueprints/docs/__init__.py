"""/openapi.json and /apidocs (a page rendered here, without any CDN)."""
import html

from flask import Blueprint, Response

from app.api import Resource, add_routes, endpoint
from app.openapi import build_spec

blueprint = Blueprint("docs", __name__)


class OpenApi(Resource):
    @endpoint("This API described as OpenAPI 3.1", public=True)
    def get(self):
        return build_spec()


def _render(spec):
    esc = html.escape
    rows = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            fields = []
            for p in op.get("parameters", []):
                fields.append(f"{p['name']} ({p['in']}{', required' if p.get('required') else ''})")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = body.get("schema", {})
            required = set(schema.get("required", ()))
            for name, prop in schema.get("properties", {}).items():
                fields.append(f"{name}: {prop.get('type', 'any')}{' (required)' if name in required else ''}")
            access = "public" if op.get("security") == [] else "signed in"
            rows.append(
                f"<tr><td class=m>{method.upper()}</td><td><code>{esc(path)}</code></td>"
                f"<td>{esc(op['summary'])}<br><small>{esc(op.get('description', ''))}</small></td>"
                f"<td><small>{esc('; '.join(fields))}</small></td><td>{access}</td></tr>"
            )
    title = esc(spec["info"]["title"])
    return (
        "<!doctype html><html><head><meta charset=utf-8>"
        f"<title>{title}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "td{border-top:1px solid #ddd;padding:4px 8px;vertical-align:top}"
        ".m{font-weight:bold}</style></head><body>"
        f"<h1>{title} {esc(spec['info']['version'])}</h1>"
        f"<p>{esc(spec['info']['description'])} Machine-readable: "
        "<a href=openapi.json>openapi.json</a>.</p><table>"
        "<tr><th>Method</th><th>Path</th><th>What</th><th>Input</th><th>Access</th></tr>"
        + "".join(rows) + "</table></body></html>"
    )


class ApiDocs(Resource):
    @endpoint("This API described for people (HTML)", public=True)
    def get(self):
        return Response(_render(build_spec()), mimetype="text/html")


add_routes(blueprint, [("/openapi.json", OpenApi), ("/apidocs", ApiDocs)])
