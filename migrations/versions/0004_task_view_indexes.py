"""Index for the task read views: a task's comments, newest first

Revision ID: 0004_task_view_indexes
Revises: 0003_search_indexes
Create Date: 2026-12-05 00:00:00

The to-do lists and the tasks to check show each task's last comment: with
(object_id, created_at) a task's newest comment is the first entry read
backwards, so a list of 20,000 tasks costs 20,000 short index probes
instead of fetching and sorting every comment of each task.
"""
from alembic import op

revision = '0004_task_view_indexes'
down_revision = '0003_search_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_comment_object_created', 'comment', ['object_id', 'created_at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_comment_object_created', table_name='comment')
