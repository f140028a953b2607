"""Outgoing mail. Without MAIL_SERVER the message goes to the log instead,
so a self-hosted trial can still follow a reset link or read a code."""
import logging

from flask import current_app
from flask_mail import Message

from app.extensions import mail

log = logging.getLogger("app.mail")


def send(recipient, subject, body):
    if not current_app.config.get("MAIL_SERVER"):
        log.warning("Mail not sent (no MAIL_SERVER) to %s: %s\n%s", recipient, subject, body)
        return False
    message = Message(subject=subject, recipients=[recipient], body=body)
    try:
        mail.send(message)
    except Exception:
        # A mail outage must not fail the request that triggered the mail.
        log.exception("Mail to %s failed: %s", recipient, subject)
        return False
    return True
