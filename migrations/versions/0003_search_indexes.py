"""Full-text search indexes for POST /data/search

Revision ID: 0003_search_indexes
Revises: 0002_event_log_and_webhooks
Create Date: 2026-12-04 23:40:00

Search runs on PostgreSQL's own full-text search (no Meilisearch to run and
keep in sync). These are expression indexes: app/services/search.py must
build exactly the same expressions, or the planner cannot use them.
"""
from alembic import op

revision = '0003_search_indexes'
down_revision = '0002_event_log_and_webhooks'
branch_labels = None
depends_on = None

# The name weighs most, then the description, then the metadata values
# (frame ranges and rates are numbers nobody searches for).
ENTITY_DOCUMENT = """(
    setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')
    || setweight(jsonb_to_tsvector('simple'::regconfig,
        coalesce(data, '{}'::jsonb) - '{frame_in,frame_out,fps,handle_in,handle_out}'::text[],
        '["string", "numeric"]'::jsonb), 'C'))"""
ENTITY_NAME = "(to_tsvector('simple'::regconfig, coalesce(name, '')))"
PERSON_NAME = ("(to_tsvector('simple'::regconfig, coalesce(first_name, '') || ' ' "
               "|| coalesce(last_name, '')))")


def upgrade():
    op.execute(f"CREATE INDEX ix_entity_search_document ON entity USING gin ({ENTITY_DOCUMENT})")
    # Parents are matched on their name alone (a shot is found by its sequence's name).
    op.execute(f"CREATE INDEX ix_entity_search_name ON entity USING gin {ENTITY_NAME}")
    op.execute(f"CREATE INDEX ix_person_search_name ON person USING gin {PERSON_NAME}")


def downgrade():
    op.drop_index('ix_person_search_name', table_name='person')
    op.drop_index('ix_entity_search_name', table_name='entity')
    op.drop_index('ix_entity_search_document', table_name='entity')
