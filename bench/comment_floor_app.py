"""The floor of POST /actions/tasks/<id>/comment: the rows a comment with a
status change must write (the comment, the task's new status and dates,
the news entry, three api_event rows) in one transaction of plain SQL, and
the comment returned as JSON. No authentication, no checks, no ORM: what
is left of the route's cost is ours.

Served by the same gunicorn settings as the API (DATABASE_URL of the run)."""
import os

import psycopg2
from flask import Flask, Response, request

app = Flask(__name__)
_connection = None

WRITE = """
WITH c AS (
    INSERT INTO comment (id, object_id, object_type, task_status_id, person_id, text,
                         checklist, replies, links, for_client, created_at, updated_at)
    VALUES (gen_random_uuid(), %(task)s, 'Task', %(status)s, %(person)s, %(text)s,
            '[]', '[]', '{}', false, now(), now())
    RETURNING *),
t AS (
    UPDATE task SET task_status_id = %(status)s, last_comment_date = now(),
                    real_start_date = coalesce(real_start_date, now()), updated_at = now()
    WHERE id = %(task)s RETURNING project_id),
n AS (
    INSERT INTO news (id, change, author_id, comment_id, task_id, created_at, updated_at)
    SELECT gen_random_uuid(), true, %(person)s, c.id, %(task)s, now(), now() FROM c),
e AS (
    INSERT INTO api_event (id, name, user_id, project_id, data, created_at, updated_at)
    SELECT gen_random_uuid(), name, %(person)s, t.project_id,
           jsonb_build_object('task_id', %(task)s, 'comment_id', c.id), now(), now()
    FROM c, t, unnest(ARRAY['comment:new', 'task:status-changed', 'task:update']) name)
SELECT row_to_json(c)::text FROM c"""


@app.post("/comment/<task_id>")
def comment(task_id):
    global _connection
    if _connection is None:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
    body = request.get_json()
    with _connection, _connection.cursor() as cursor:
        cursor.execute(WRITE, {"task": task_id, "status": body["task_status_id"],
                               "person": body["person_id"], "text": body["comment"]})
        return Response(cursor.fetchone()[0], status=201, mimetype="application/json")
