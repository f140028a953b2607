"""Administration commands: each prints a clear result or a clear error."""
import pyotp
import pytest

from tests import factories as f


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_create_admin_then_promote(cli, client):
    result = cli.invoke(args=["create-admin", "boss@example.com", "--password", "long-password"])
    assert result.exit_code == 0, result.output
    assert "Admin boss@example.com created" in result.output
    boss = f.login(client, "boss@example.com", "long-password").json["user"]
    assert (boss["role"], boss["first_name"], boss["last_name"]) == ("admin", "Super", "Admin")
    assert (boss["timezone"], boss["locale"]) == ("Europe/Paris", "en_US")
    artist = f.person(role="user")
    result = cli.invoke(args=["create-admin", artist.email, "--password", "another-pass"])
    assert "promoted" in result.output
    assert f.login(client, artist.email, "another-pass").json["user"]["role"] == "admin"


def test_create_admin_refuses_a_short_password(cli):
    result = cli.invoke(args=["create-admin", "x@example.com", "--password", "short"])
    assert result.exit_code != 0
    assert "Password is too short." in result.output


def test_create_bot_prints_a_working_token(cli, client):
    result = cli.invoke(args=["create-bot", "--name", "Render farm", "--email", "farm@bots.example.com",
                              "--expiration-date", "2999-01-01", "--role", "manager"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    me = client.get("/auth/authenticated", headers=f.bearer(token)).json["user"]
    assert (me["first_name"], me["role"], me["is_bot"]) == ("Render farm", "manager", True)
    assert str(me["expiration_date"]) == "2999-01-01"


def test_create_bot_rejects_a_bad_date_and_role(cli):
    assert "YYYY-MM-DD" in cli.invoke(args=["create-bot", "--name", "b", "--email", "b@x.io",
                                            "--expiration-date", "tomorrow"]).output
    result = cli.invoke(args=["create-bot", "--name", "b", "--email", "b@x.io", "--role", "god"])
    assert result.exit_code != 0 and "Unknown role 'god'" in result.output


def test_change_password_and_unknown_person(cli, client):
    person = f.person()
    result = cli.invoke(args=["change-password", person.email, "--password", "changed-by-cli"])
    assert result.exit_code == 0 and "changed" in result.output
    assert f.login(client, person.email, "changed-by-cli").status_code == 200
    missing = cli.invoke(args=["change-password", "ghost@example.com", "--password", "whatever12"])
    assert missing.exit_code != 0 and "No person has the login" in missing.output


def test_set_person_as_active_and_unactive(cli, client):
    person = f.person()
    assert "inactive" in cli.invoke(args=["set-person-as-active", person.email, "--unactive"]).output
    assert f.login(client, person.email).status_code == 401
    assert "now active" in cli.invoke(args=["set-person-as-active", person.email]).output
    assert f.login(client, person.email).status_code == 200


def test_disable_two_factor_authentication(cli, client):
    person, headers = f.signed_in(client)
    secret = client.put("/auth/totp", headers=headers).json["otp_secret"]
    client.post("/auth/totp", json={"totp": pyotp.TOTP(secret).now()}, headers=headers)
    assert f.login(client, person.email).json.get("missing_OTP") is True
    result = cli.invoke(args=["disable-two-factor-authentication", person.email])
    assert result.exit_code == 0, result.output
    assert f.login(client, person.email).status_code == 200


def test_clear_all_auth_tokens_signs_everybody_out(cli, client):
    _, headers = f.signed_in(client)
    assert client.get("/auth/authenticated", headers=headers).status_code == 200
    result = cli.invoke(args=["clear-all-auth-tokens"])
    assert result.exit_code == 0, result.output
    assert client.get("/auth/authenticated", headers=headers).status_code == 401


def test_init_data_is_idempotent(cli):
    first = cli.invoke(args=["init-data"])
    assert first.exit_code == 0, first.output
    assert first.output.strip().splitlines() == ["Default data is in place."]


@pytest.mark.parametrize("domain,expected", [
    ("3d", 13), ("2d", 9), ("vfx", 16), ("games", 8),
])
def test_init_data_domains_seed_their_task_types(app, domain, expected):
    from app.services.defaults import TASK_TYPES, seed

    assert len(TASK_TYPES[domain]["task_types"]) == expected
    list(seed(domain))
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models.settings import TaskType

    # Every task type of the domain exists once seeded (3d is seeded at start).
    for department, name, _, _, for_entity in TASK_TYPES[domain]["task_types"]:
        assert db.session.scalar(select(func.count()).select_from(TaskType).where(
            TaskType.name == name, TaskType.for_entity == for_entity)) >= 1
