"""gazu 1.3.1's share-link functions (gazu.playlist) against a real server,
then the link opened over plain HTTP the way a guest's browser does: no
JWT, a password once, a cookie afterwards."""
import gazu
import requests

from tests.compat.conftest import unique


def test_share_links_from_gazu_and_a_guest_over_http(server, admin, production):
    playlist = gazu.playlist.new_playlist(production["project"], unique("Review"),
                                          client=admin)
    open_link = gazu.playlist.new_share_link(playlist, can_comment=False, client=admin)
    locked = gazu.playlist.new_share_link(playlist, expiration_date="2099-01-31",
                                          password="s3cret", client=admin)
    assert open_link["can_comment"] is False and open_link["has_password"] is False
    assert locked["has_password"] is True and "password" not in locked
    assert locked["expiration_date"] == "2099-01-31T23:59:59"
    listed = gazu.playlist.all_share_links_for_playlist(playlist, client=admin)
    assert [li["token"] for li in listed] == [open_link["token"], locked["token"]]

    browser = requests.Session()
    base = f"{server.url}/shared/playlists/{locked['token']}"
    assert browser.get(base).status_code == 404
    assert browser.get(base, params={"password": "wrong"}).status_code == 404
    first = browser.get(base, params={"password": "s3cret"})
    assert first.status_code == 200 and first.json()["id"] == playlist["id"]
    assert browser.get(f"{base}/context").json()["project"]["id"] == production["project"]["id"]
    guest = browser.post(f"{base}/guest", json={"first_name": "Zoe"})
    assert guest.status_code == 201 and guest.json()["is_guest"] is True
    again = browser.post(f"{base}/guest", json={"guest_id": guest.json()["id"]})
    assert again.status_code == 200 and again.json()["id"] == guest.json()["id"]
    assert browser.get(f"{base}/comments").json() == []
    # The guest's session opens nothing of the API.
    token = guest.json()["guest_token"]
    assert requests.get(f"{server.url}/data/projects",
                        headers={"Authorization": f"Bearer {token}"}).status_code == 401

    gazu.playlist.remove_share_link(playlist, locked["token"], client=admin)
    assert browser.get(base).status_code == 404
    assert [li["token"] for li in gazu.playlist.all_share_links_for_playlist(
        playlist, client=admin)] == [open_link["token"]]
