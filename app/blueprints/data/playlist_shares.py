"""/data/playlists/<id>/share...: the project managers' side of guest
review links (behaviours.md row 19). Rules in app/services/share_links.py."""
from app.api import Boolean, Email, List, Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.services import share_links

CREATE = Schema(
    expiration_date=String(description="YYYY-MM-DD (the link works until the end of that "
                                       "day) or an ISO 8601 date and time (UTC)"),
    can_comment=Boolean(default=True, description="Guests may comment and annotate"),
    password=String(description="Asked of every visitor; stored as a bcrypt hash"),
)

INVITE = Schema(
    emails=List(Email(), default=[], description="Addresses to send the link to"),
    person_ids=List(Uuid(), default=[], description="Persons to send it to (their e-mail)"),
    message=String(description="Added to the mail"),
)


class PlaylistShareLinks(Resource):
    @endpoint("The playlist's active share links (project managers)")
    def get(self, playlist_id):
        return share_links.share_links(current_actor(), playlist_id)

    @endpoint("Share the playlist with people without an account (project managers; 201, "
              "the link: its token goes in /shared/playlists/<token>)", body=CREATE)
    def post(self, playlist_id, body):
        return share_links.create(current_actor(), playlist_id,
                                  expiration_date=body.get("expiration_date"),
                                  can_comment=body["can_comment"],
                                  password=body.get("password")), 201


class PlaylistShareLink(Resource):
    @endpoint("Revoke a share link (project managers): it stops working at once")
    def delete(self, playlist_id, token):
        return share_links.revoke(current_actor(), playlist_id, token)


class PlaylistShareLinkInvite(Resource):
    @endpoint("Mail the link to addresses and persons (project managers); {sent: [e-mails]}",
              body=INVITE)
    def post(self, playlist_id, token, body):
        return share_links.invite(current_actor(), playlist_id, token, emails=body["emails"],
                                  person_ids=body["person_ids"], message=body.get("message"))


def routes():
    return [
        ("/data/playlists/<playlist_id>/share", PlaylistShareLinks),
        ("/data/playlists/<playlist_id>/share/<token>", PlaylistShareLink),
        ("/data/playlists/<playlist_id>/share/<token>/invite", PlaylistShareLinkInvite),
    ]
