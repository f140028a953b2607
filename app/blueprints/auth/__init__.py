from flask import Blueprint

from app.api import add_routes
from app.blueprints.auth import resources as r

blueprint = Blueprint("auth", __name__)

add_routes(blueprint, [
    ("/auth/login", r.Login),
    ("/auth/logout", r.Logout),
    ("/auth/refresh-token", r.RefreshToken),
    ("/auth/authenticated", r.Authenticated),
    ("/auth/change-password", r.ChangePassword),
    ("/auth/reset-password", r.ResetPassword),
    ("/auth/totp", r.Totp),
    ("/auth/email-otp", r.EmailOtp),
    ("/auth/recovery-codes", r.RecoveryCodes),
])
