"""The studio's single organisation row, created as "Kitsu" when missing."""
from sqlalchemy import select

from app.extensions import db
from app.serialize import serialize

# Chat credentials are for admins only.
SECRET_FIELDS = frozenset({"chat_token_slack", "chat_webhook_mattermost", "chat_token_discord"})


def get_row():
    from app.models.settings import Organisation

    row = db.session.execute(
        select(Organisation).order_by(Organisation.created_at).limit(1)
    ).scalar_one_or_none()
    if row is None:
        row = Organisation(name="Kitsu", hours_by_day=8.0)
        db.session.add(row)
        db.session.flush()
    return row


def get_organisation(full=False):
    return serialize(get_row(), exclude=frozenset() if full else SECRET_FIELDS)
