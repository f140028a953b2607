"""/actions/working-files/<id>/...: a working file's comment and
modification date (behaviours.md row 20; rules in
app/services/working_files.py)."""
from app.api import Resource, Schema, String, endpoint
from app.auth import current_actor
from app.services import working_files


class WorkingFileComment(Resource):
    @endpoint("Set the working file's comment (a task action)",
              body=Schema(comment=String(required=True, min_length=1)))
    def put(self, working_file_id, body):
        return working_files.set_comment(current_actor(), working_file_id, body["comment"])


class WorkingFileModified(Resource):
    @endpoint("Record that the working file was modified now (a task action)")
    def put(self, working_file_id):
        return working_files.touch(current_actor(), working_file_id)


def routes():
    return [
        ("/actions/working-files/<working_file_id>/comment", WorkingFileComment),
        ("/actions/working-files/<working_file_id>/modified", WorkingFileModified),
    ]
