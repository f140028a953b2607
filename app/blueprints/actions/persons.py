"""/actions/persons/<person_id>/*: account administration by admins
(passwords, second factors, invitations, departments, avatar)."""
from flask import Response, request

from app.api import Resource, Schema, String, Uuid, endpoint
from app.auth import current_actor
from app.services import avatars, persons

PASSWORD_BODY = Schema(
    password=String(required=True, nullable=False, min_length=1),
    password_2=String(required=True, nullable=False, min_length=1,
                      description="The same password again."),
)


class ChangePassword(Resource):
    @endpoint("Set a person's password (admin); they are told by mail", body=PASSWORD_BODY,
              description="Refused for bots, protected accounts and other admins who "
                          "have a password.")
    def post(self, person_id, body):
        return persons.change_password(current_actor(), person_id, **body,
                                       ip_address=request.remote_addr)


class DisableTwoFactor(Resource):
    @endpoint("Remove every second factor of a person (admin, not for other admins)")
    def delete(self, person_id):
        return persons.disable_two_factor(current_actor(), person_id,
                                          ip_address=request.remote_addr)


class ClearAvatar(Resource):
    @endpoint("Remove a person's avatar (admin)")
    def delete(self, person_id):
        avatars.clear_person_avatar(current_actor(), person_id)
        return Response(status=204)


class AddToDepartment(Resource):
    @endpoint("Add a person to a department (admin)",
              body=Schema(department_id=Uuid(required=True, nullable=False)))
    def post(self, person_id, body):
        return persons.add_to_department(current_actor(), person_id, body["department_id"]), 201


class RemoveFromDepartment(Resource):
    @endpoint("Remove a person from a department (admin)")
    def delete(self, person_id, department_id):
        persons.remove_from_department(current_actor(), person_id, department_id)
        return Response(status=204)


class Invite(Resource):
    @endpoint("Mail a person a link to choose their password (admin)")
    def get(self, person_id):
        return persons.invite(current_actor(), person_id)


class ResetPasswordLink(Resource):
    @endpoint("Get a person's password reset link (admin)")
    def post(self, person_id):
        return persons.reset_password_link(current_actor(), person_id)


def routes():
    base = "/actions/persons/<person_id>"
    return [
        (f"{base}/change-password", ChangePassword),
        (f"{base}/disable-two-factor-authentication", DisableTwoFactor),
        (f"{base}/clear-avatar", ClearAvatar),
        (f"{base}/departments/add", AddToDepartment),
        (f"{base}/departments/<department_id>", RemoveFromDepartment),
        (f"{base}/invite", Invite),
        (f"{base}/reset-password-link", ResetPasswordLink),
    ]
