"""Event log positions (a durable cursor) and webhooks

Revision ID: 0002_event_log_and_webhooks
Revises: 0001_initial
Create Date: 2026-12-06 10:00:00

Each api_event row gets a position in the log: (tx_id, seq), the id of the
transaction that wrote it and an insertion counter. app/services/event_log.py
explains why both are needed. They are not mapped on the ApiEvent model on
purpose: they are not part of the Zou wire object (/data/events rows stay as
Zou sends them), so `db migrate` autogeneration must not be trusted to keep
them: review its output for api_event.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002_event_log_and_webhooks'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    # Rows written before this migration share one old position ('0'), and
    # keep their creation order through seq. A constant default fills the
    # column without rewriting the table; new rows then get their own id.
    op.execute("ALTER TABLE api_event ADD COLUMN tx_id xid8 NOT NULL DEFAULT '0'")
    op.execute("ALTER TABLE api_event ALTER COLUMN tx_id SET DEFAULT pg_current_xact_id()")
    op.execute("CREATE SEQUENCE api_event_seq_seq AS bigint")
    op.execute("ALTER TABLE api_event ADD COLUMN seq bigint")
    op.execute("ALTER SEQUENCE api_event_seq_seq OWNED BY api_event.seq")
    op.execute("""
        UPDATE api_event SET seq = ordered.n
        FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM api_event) ordered
        WHERE api_event.id = ordered.id
    """)
    op.execute("SELECT setval('api_event_seq_seq', COALESCE((SELECT max(seq) FROM api_event), 0) + 1, false)")
    op.execute("ALTER TABLE api_event ALTER COLUMN seq SET DEFAULT nextval('api_event_seq_seq')")
    op.execute("ALTER TABLE api_event ALTER COLUMN seq SET NOT NULL")
    op.create_index('ix_api_event_position', 'api_event', ['tx_id', 'seq'], unique=True)

    op.create_table('webhook',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False),
    sa.Column('secret', sa.String(length=255), nullable=False),
    sa.Column('event_names', postgresql.ARRAY(sa.String(length=80)), nullable=False),
    sa.Column('project_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('disabled_reason', sa.Text(), nullable=True),
    sa.Column('disabled_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], name=op.f('webhook_created_by_fkey'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('webhook_pkey'))
    )
    op.create_index(op.f('ix_webhook_created_by'), 'webhook', ['created_by'], unique=False)

    op.create_table('webhook_delivery',
    sa.Column('webhook_id', sa.UUID(), nullable=False),
    sa.Column('event_id', sa.UUID(), nullable=False),
    sa.Column('event_name', sa.String(length=80), nullable=False),
    sa.Column('body', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')",
                       name='webhook_delivery_status_check'),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhook.id'], name=op.f('webhook_delivery_webhook_id_fkey'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('webhook_delivery_pkey')),
    sa.UniqueConstraint('webhook_id', 'event_id', name='webhook_delivery_uc')
    )
    op.create_index(op.f('ix_webhook_delivery_webhook_id'), 'webhook_delivery', ['webhook_id'],
                    unique=False)
    op.create_index('ix_webhook_delivery_due', 'webhook_delivery', ['next_attempt_at'],
                    unique=False, postgresql_where=sa.text("status = 'pending'"))

    op.create_table('webhook_attempt',
    sa.Column('delivery_id', sa.UUID(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['webhook_delivery.id'],
                            name=op.f('webhook_attempt_delivery_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('webhook_attempt_pkey'))
    )
    op.create_index(op.f('ix_webhook_attempt_delivery_id'), 'webhook_attempt', ['delivery_id'],
                    unique=False)

    # The worker starts at the end of the log: hooks only get events written
    # after they were registered.
    op.execute("""
        CREATE TABLE webhook_cursor (
            name varchar(40) CONSTRAINT webhook_cursor_pkey PRIMARY KEY,
            tx_id xid8 NOT NULL,
            seq bigint NOT NULL
        )
    """)
    op.execute("""
        INSERT INTO webhook_cursor (name, tx_id, seq)
        SELECT 'webhooks', COALESCE(max(tx_id), '0'), COALESCE(max(seq), 0) FROM api_event
    """)


def downgrade():
    op.drop_table('webhook_cursor')
    op.drop_table('webhook_attempt')
    op.drop_table('webhook_delivery')
    op.drop_table('webhook')
    op.drop_index('ix_api_event_position', table_name='api_event')
    op.execute("ALTER TABLE api_event DROP COLUMN seq")
    op.execute("ALTER TABLE api_event DROP COLUMN tx_id")
