"""The HTTP conventions every route shares: one error shape, input
validation, trailing slashes, security headers, the OpenAPI description."""
import re

import pytest

from tests import factories as f


def test_unknown_route_is_a_json_404(client):
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json == {"error": True, "message": "Resource not found."}


def test_wrong_method_is_a_json_405(client):
    response = client.delete("/auth/login")
    assert response.status_code == 405
    assert response.json["error"] is True


def test_malformed_json_is_a_400_that_says_so(client):
    response = client.post("/auth/login", data="{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json == {"error": True, "message": "The request body is not valid JSON."}


def test_json_must_be_an_object(client):
    response = client.post("/auth/login", json=["a"])
    assert response.status_code == 400
    assert response.json["message"] == "The request body must be a JSON object."


@pytest.mark.parametrize("body,message", [
    ({}, "Field 'email' is required."),
    ({"email": ""}, "Field 'email' cannot be empty."),
    ({"email": "a@b.c", "password": {"x": 1}}, "Field 'password' must be a string."),
    ({"email": "a@b.c", "password": "x", "fido_authentication_response": "no"},
     "Field 'fido_authentication_response' must be an object."),
])
def test_bad_fields_are_named(client, body, message):
    response = client.post("/auth/login", json=body)
    assert response.status_code == 400
    assert response.json["message"] == message


def test_form_bodies_are_accepted_and_unknown_fields_ignored(client):
    person = f.person()
    response = client.post("/auth/login", data={
        "email": person.email, "password": f.PASSWORD, "isTrusted": "true", "_vts": "1"})
    assert response.status_code == 200


def test_trailing_slash_answers_without_redirect(client):
    _, headers = f.signed_in(client)
    response = client.get("/auth/authenticated/", headers=headers)
    assert response.status_code == 200
    assert response.json["authenticated"] is True


def test_security_headers_on_every_response(client):
    for response in (client.get("/"), client.get("/nope")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"]


def test_openapi_describes_every_route_from_its_declaration(app, client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    login = spec["paths"]["/auth/login"]["post"]
    schema = login["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["email"]
    assert {"email", "password", "totp", "recovery_code"} <= schema["properties"].keys()
    assert login["security"] == []
    assert "security" not in spec["paths"]["/auth/authenticated"]["get"]
    assert spec["paths"]["/auth/email-otp"]["get"]["parameters"][0]["name"] == "email"
    declared = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert declared == documented


def test_apidocs_page_lists_the_routes(client):
    page = client.get("/apidocs")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert b"/auth/login" in page.data and b"Sign in with an e-mail" in page.data


def test_a_resource_without_declaration_cannot_be_registered():
    from flask import Blueprint

    from app.api import Resource, add_routes

    class Undeclared(Resource):
        def get(self):
            return {}

    with pytest.raises(TypeError, match="lacks @endpoint"):
        add_routes(Blueprint("x", __name__), [("/x", Undeclared)])
