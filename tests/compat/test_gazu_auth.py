"""gazu 1.3.1 against a real server process: a pipeline script's sign-in."""

import gazu
import pytest
from gazu.exception import AuthFailedException, NotAuthenticatedException

from tests.compat.conftest import ADMIN


def test_log_in_get_current_user_log_out(server, gazu_client):
    tokens = gazu.log_in(ADMIN, server.admin_password, client=gazu_client)
    assert tokens["login"] is True
    user = gazu.client.get_current_user(client=gazu_client)
    assert user["email"] == ADMIN
    assert user["role"] == "admin"
    assert user["type"] == "Person"
    access = gazu_client.tokens["access_token"]
    gazu.log_out(client=gazu_client)
    # The token the client held is dead server-side, not just forgotten.
    gazu.set_token(access, client=gazu_client)
    with pytest.raises(NotAuthenticatedException):
        gazu.client.get_current_user(client=gazu_client)


def test_wrong_password_raises_auth_failed(server, gazu_client):
    with pytest.raises(AuthFailedException, match="Wrong email or password"):
        gazu.log_in(ADMIN, "not-the-password", client=gazu_client)


def test_bot_token_through_set_token(server, gazu_client):
    output = server.manage("create-bot", "--name", "Farm", "--email", "farm@bots.example.com")
    token = output.strip().splitlines()[-1]
    gazu.set_token(token, client=gazu_client)
    user = gazu.client.get_current_user(client=gazu_client)
    assert (user["first_name"], user["is_bot"]) == ("Farm", True)


def test_api_version_and_host_check(server, gazu_client):
    assert gazu.client.host_is_valid(client=gazu_client)
    assert gazu.client.get_api_version(client=gazu_client) == "1.0.97"
