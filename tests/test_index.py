"""/, /status, /status.txt, /config, /stats (behaviours.md row 32)."""

from tests import factories as f


def test_root_gives_api_name_and_version(client):
    body = client.get("/").json
    assert body["api"] == "Atelier"
    assert body["version"] == "1.0.97"


def test_status_probes_database_and_redis(client):
    body = client.get("/status").json
    assert body["database-up"] is True
    assert body["key-value-store-up"] is True
    assert body["version"] == "1.0.97"


def test_status_txt_is_plain_text(client):
    response = client.get("/status.txt")
    assert response.mimetype == "text/plain"
    assert "database-up: up" in response.text.splitlines()
    assert "key-value-store-up: up" in response.text.splitlines()


def test_config_is_public_and_tells_the_login_page_what_it_needs(client):
    body = client.get("/config").json
    assert body["is_self_hosted"] is True
    assert body["saml_enabled"] is False and body["oidc_enabled"] is False
    assert body["default_locale"] == "en_US"
    assert "enforce_2fa" in body and "dark_theme_by_default" in body
    assert (body["movie_highdef_bitrate"], body["movie_lowdef_bitrate"]) == (28, 6)


def test_stats_counts_for_admins(client):
    _, headers = f.signed_in(client, role="admin")
    body = client.get("/stats", headers=headers).json
    assert body == {"number_of_video_previews": 0, "number_of_picture_previews": 0,
                    "number_of_model_previews": 0, "number_of_comments": 0}


def test_status_influx_gives_numbers(client):
    body = client.get("/status/influx").json
    assert body["database-up"] == 1 and body["key-value-store-up"] == 1
    assert body["event-stream-up"] == 0
    assert isinstance(body["time"], float)


def test_status_resources_reports_cpu_and_memory(client):
    body = client.get("/status/resources").json
    assert body["memory"]["total"] > body["memory"]["available"] > 0
    assert isinstance(body["cpu"]["percent"], list) and body["cpu"]["percent"]
    assert set(body["cpu"]["loadavg"]) == {"last 1 min", "last 5 min", "last 10 min"}
