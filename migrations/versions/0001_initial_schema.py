"""Initial schema: the 80 tables of the Zou 1.0.97 contract

Revision ID: 0001_initial
Revises: 
Create Date: 2026-12-04 20:58:07.405183

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chat',
    sa.Column('object_id', sa.UUID(), nullable=False),
    sa.Column('object_type', sa.String(length=80), nullable=False),
    sa.Column('last_message', sa.DateTime(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('chat_pkey'))
    )
    with op.batch_alter_table('chat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_object_type'), ['object_type'], unique=False)

    op.create_table('custom_action',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('url', sa.String(length=400), nullable=True),
    sa.Column('entity_type', sa.String(length=40), nullable=True),
    sa.Column('is_ajax', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('custom_action_pkey'))
    )
    op.create_table('data_import_error',
    sa.Column('event_data', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('source', sa.Enum('csv', 'shotgun', name='import_source_enum'), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('data_import_error_pkey'))
    )
    op.create_table('department',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('department_pkey')),
    sa.UniqueConstraint('name', name=op.f('department_name_key'))
    )
    op.create_table('entity_type',
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('entity_type_pkey'))
    )
    with op.batch_alter_table('entity_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_type_name'), ['name'], unique=True)

    op.create_table('file_status',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('file_status_pkey')),
    sa.UniqueConstraint('name', name=op.f('file_status_name_key'))
    )
    op.create_table('hardware_item',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('monthly_cost', sa.Integer(), nullable=True),
    sa.Column('inventory_amount', sa.Integer(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('hardware_item_pkey')),
    sa.UniqueConstraint('name', name=op.f('hardware_item_name_key'))
    )
    op.create_table('organisation',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('hours_by_day', sa.Float(), nullable=False),
    sa.Column('has_avatar', sa.Boolean(), nullable=True),
    sa.Column('use_original_file_name', sa.Boolean(), nullable=True),
    sa.Column('timesheets_locked', sa.Boolean(), nullable=True),
    sa.Column('format_duration_in_hours', sa.Boolean(), nullable=True),
    sa.Column('hd_by_default', sa.Boolean(), nullable=True),
    sa.Column('chat_token_slack', sa.String(length=80), nullable=True),
    sa.Column('chat_webhook_mattermost', sa.String(length=80), nullable=True),
    sa.Column('chat_token_discord', sa.String(length=80), nullable=True),
    sa.Column('dark_theme_by_default', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('organisation_pkey')),
    sa.UniqueConstraint('name', name=op.f('organisation_name_key'))
    )
    op.create_table('output_type',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('output_type_pkey'))
    )
    with op.batch_alter_table('output_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_output_type_name'), ['name'], unique=True)

    op.create_table('plugin',
    sa.Column('plugin_id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('maintainer_name', sa.String(length=200), nullable=False),
    sa.Column('maintainer_email', sa.String(length=255), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('license', sa.String(length=80), nullable=False),
    sa.Column('revision', sa.String(length=12), nullable=True),
    sa.Column('frontend_project_enabled', sa.Boolean(), nullable=True),
    sa.Column('frontend_studio_enabled', sa.Boolean(), nullable=True),
    sa.Column('icon', sa.String(length=255), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('plugin_pkey'))
    )
    with op.batch_alter_table('plugin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plugin_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_plugin_plugin_id'), ['plugin_id'], unique=True)

    op.create_table('preview_background_file',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('is_default', sa.Boolean(), nullable=True),
    sa.Column('original_name', sa.String(length=250), nullable=True),
    sa.Column('extension', sa.String(length=6), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('preview_background_file_pkey'))
    )
    with op.batch_alter_table('preview_background_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preview_background_file_is_default'), ['is_default'], unique=False)

    op.create_table('project_status',
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('project_status_pkey'))
    )
    with op.batch_alter_table('project_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_status_name'), ['name'], unique=True)

    op.create_table('software',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('version', sa.String(length=20), nullable=True),
    sa.Column('file_extension', sa.String(length=20), nullable=False),
    sa.Column('secondary_extensions', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('monthly_cost', sa.Integer(), nullable=True),
    sa.Column('inventory_amount', sa.Integer(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('software_pkey')),
    sa.UniqueConstraint('name', name=op.f('software_name_key'))
    )
    op.create_table('stored_file',
    sa.Column('bucket', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('file_id', sa.String(length=200), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('purge_forced', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('purged_at', sa.DateTime(), nullable=True),
    sa.Column('purge_attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('journal', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('stored_file_pkey')),
    sa.UniqueConstraint('bucket', 'key', name='stored_file_uc')
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_file_id'), ['file_id'], unique=False)
        batch_op.create_index('ix_stored_file_to_purge', ['purge_forced', 'deleted_at'], unique=False, postgresql_where=sa.text('deleted_at IS NOT NULL AND purged_at IS NULL'))

    op.create_table('studio',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('studio_pkey')),
    sa.UniqueConstraint('name', name=op.f('studio_name_key'))
    )
    op.create_table('task_status',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('short_name', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('is_done', sa.Boolean(), nullable=True),
    sa.Column('is_artist_allowed', sa.Boolean(), nullable=True),
    sa.Column('is_client_allowed', sa.Boolean(), nullable=True),
    sa.Column('is_retake', sa.Boolean(), nullable=True),
    sa.Column('is_feedback_request', sa.Boolean(), nullable=True),
    sa.Column('is_default', sa.Boolean(), nullable=True),
    sa.Column('is_wip', sa.Boolean(), nullable=True),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('for_concept', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('task_status_pkey'))
    )
    with op.batch_alter_table('task_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_status_is_default'), ['is_default'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_status_is_done'), ['is_done'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_status_is_feedback_request'), ['is_feedback_request'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_status_is_wip'), ['is_wip'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_status_short_name'), ['short_name'], unique=True)

    op.create_table('hardware_item_department_link',
    sa.Column('department_id', sa.UUID(), nullable=False),
    sa.Column('hardware_item_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('hardware_item_department_link_department_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hardware_item_id'], ['hardware_item.id'], name=op.f('hardware_item_department_link_hardware_item_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('department_id', 'hardware_item_id', 'id', name=op.f('hardware_item_department_link_pkey')),
    sa.UniqueConstraint('hardware_item_id', 'department_id', name='hardware_item_department_link_uc')
    )
    with op.batch_alter_table('hardware_item_department_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hardware_item_department_link_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hardware_item_department_link_hardware_item_id'), ['hardware_item_id'], unique=False)

    op.create_table('project',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('file_tree', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('has_avatar', sa.Boolean(), nullable=True),
    sa.Column('fps', sa.String(length=10), nullable=True),
    sa.Column('ratio', sa.String(length=10), nullable=True),
    sa.Column('resolution', sa.String(length=12), nullable=True),
    sa.Column('production_type', sa.String(length=20), nullable=True),
    sa.Column('production_style', sa.String(length=255), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('man_days', sa.Integer(), nullable=True),
    sa.Column('nb_episodes', sa.Integer(), nullable=True),
    sa.Column('episode_span', sa.Integer(), nullable=True),
    sa.Column('max_retakes', sa.Integer(), nullable=True),
    sa.Column('is_clients_isolated', sa.Boolean(), nullable=True),
    sa.Column('is_client_stats_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('is_client_task_list_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('is_client_task_panel_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('is_preview_download_allowed', sa.Boolean(), nullable=True),
    sa.Column('is_set_preview_automated', sa.Boolean(), nullable=True),
    sa.Column('homepage', sa.String(length=80), nullable=True),
    sa.Column('is_publish_default_for_artists', sa.Boolean(), nullable=True),
    sa.Column('is_bot_collaboration_enabled', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('is_single_preview_per_revision', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('is_frame_in_numbering', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('revision_padding', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('hd_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('ld_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('project_status_id', sa.UUID(), nullable=True),
    sa.Column('default_preview_background_file_id', sa.UUID(), nullable=True),
    sa.Column('from_schedule_version_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['default_preview_background_file_id'], ['preview_background_file.id'], name=op.f('project_default_preview_background_file_id_fkey')),
    sa.ForeignKeyConstraint(['from_schedule_version_id'], ['production_schedule_version.id'], name=op.f('project_from_schedule_version_id_fkey'), ondelete='SET NULL', use_alter=True),
    sa.ForeignKeyConstraint(['project_status_id'], ['project_status.id'], name=op.f('project_project_status_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('project_pkey'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_default_preview_background_file_id'), ['default_preview_background_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_from_schedule_version_id'), ['from_schedule_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_name'), ['name'], unique=True)
        batch_op.create_index(batch_op.f('ix_project_project_status_id'), ['project_status_id'], unique=False)

    op.create_table('project_template',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('fps', sa.String(length=10), nullable=True),
    sa.Column('ratio', sa.String(length=10), nullable=True),
    sa.Column('resolution', sa.String(length=12), nullable=True),
    sa.Column('production_type', sa.String(length=20), nullable=True),
    sa.Column('production_style', sa.String(length=255), nullable=False),
    sa.Column('max_retakes', sa.Integer(), nullable=True),
    sa.Column('is_clients_isolated', sa.Boolean(), nullable=True),
    sa.Column('is_client_stats_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('is_client_task_list_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('is_client_task_panel_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('is_preview_download_allowed', sa.Boolean(), nullable=True),
    sa.Column('is_set_preview_automated', sa.Boolean(), nullable=True),
    sa.Column('is_publish_default_for_artists', sa.Boolean(), nullable=True),
    sa.Column('is_single_preview_per_revision', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('is_frame_in_numbering', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('revision_padding', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('homepage', sa.String(length=80), nullable=True),
    sa.Column('hd_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('ld_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('file_tree', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('metadata_descriptors', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('default_preview_background_file_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['default_preview_background_file_id'], ['preview_background_file.id'], name=op.f('project_template_default_preview_background_file_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('project_template_pkey'))
    )
    with op.batch_alter_table('project_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_template_default_preview_background_file_id'), ['default_preview_background_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_template_name'), ['name'], unique=True)

    op.create_table('salary_scale',
    sa.Column('department_id', sa.UUID(), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=True),
    sa.Column('seniority', sa.String(length=255), nullable=True),
    sa.Column('salary', sa.Integer(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('salary_scale_department_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('salary_scale_pkey'))
    )
    with op.batch_alter_table('salary_scale', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_salary_scale_department_id'), ['department_id'], unique=False)

    op.create_table('software_department_link',
    sa.Column('department_id', sa.UUID(), nullable=False),
    sa.Column('software_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('software_department_link_department_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['software_id'], ['software.id'], name=op.f('software_department_link_software_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('department_id', 'software_id', 'id', name=op.f('software_department_link_pkey')),
    sa.UniqueConstraint('department_id', 'software_id', name='software_department_link_uc')
    )
    with op.batch_alter_table('software_department_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_software_department_link_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_software_department_link_software_id'), ['software_id'], unique=False)

    op.create_table('task_type',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('color', sa.String(length=7), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('for_entity', sa.String(length=30), nullable=True),
    sa.Column('allow_timelog', sa.Boolean(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('task_type_department_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('task_type_pkey')),
    sa.UniqueConstraint('name', 'for_entity', 'department_id', name='task_type_uc')
    )
    with op.batch_alter_table('task_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_type_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_type_shotgun_id'), ['shotgun_id'], unique=False)

    op.create_table('budget',
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('budget_project_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('budget_pkey'))
    )
    with op.batch_alter_table('budget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_project_id'), ['project_id'], unique=False)

    op.create_table('metadata_descriptor',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('entity_type', sa.String(length=60), nullable=False),
    sa.Column('task_type_id', sa.UUID(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('data_type', sa.String(length=255), nullable=True),
    sa.Column('field_name', sa.String(length=120), nullable=False),
    sa.Column('choices', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('for_client', sa.Boolean(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('metadata_descriptor_project_id_fkey')),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name='fk_metadata_descriptor_task_type_id'),
    sa.PrimaryKeyConstraint('id', name=op.f('metadata_descriptor_pkey'))
    )
    with op.batch_alter_table('metadata_descriptor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metadata_descriptor_entity_type'), ['entity_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_metadata_descriptor_for_client'), ['for_client'], unique=False)
        batch_op.create_index(batch_op.f('ix_metadata_descriptor_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_metadata_descriptor_task_type_id'), ['task_type_id'], unique=False)
        batch_op.create_index('metadata_descriptor_task_type_uc', ['project_id', 'entity_type', 'task_type_id', 'name'], unique=True, postgresql_where=sa.text('task_type_id IS NOT NULL'))
        batch_op.create_index('metadata_descriptor_task_type_uc2', ['project_id', 'entity_type', 'task_type_id', 'field_name'], unique=True, postgresql_where=sa.text('task_type_id IS NOT NULL'))
        batch_op.create_index('metadata_descriptor_uc', ['project_id', 'entity_type', 'name'], unique=True, postgresql_where=sa.text('task_type_id IS NULL'))
        batch_op.create_index('metadata_descriptor_uc2', ['project_id', 'entity_type', 'field_name'], unique=True, postgresql_where=sa.text('task_type_id IS NULL'))

    op.create_table('milestone',
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('task_type_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('milestone_project_id_fkey')),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('milestone_task_type_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('milestone_pkey'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('person',
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('contract_type', sa.String(length=255), server_default='open-ended', nullable=False),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('last_presence', sa.Date(), nullable=True),
    sa.Column('password', sa.LargeBinary(), nullable=True),
    sa.Column('desktop_login', sa.String(length=80), nullable=True),
    sa.Column('login_failed_attemps', sa.Integer(), nullable=True),
    sa.Column('last_login_failed', sa.DateTime(), nullable=True),
    sa.Column('totp_enabled', sa.Boolean(), nullable=True),
    sa.Column('totp_secret', sa.String(length=32), nullable=True),
    sa.Column('email_otp_enabled', sa.Boolean(), nullable=True),
    sa.Column('email_otp_secret', sa.String(length=32), nullable=True),
    sa.Column('fido_enabled', sa.Boolean(), nullable=True),
    sa.Column('fido_credentials', postgresql.ARRAY(postgresql.JSONB(astext_type=sa.Text())), nullable=True),
    sa.Column('otp_recovery_codes', postgresql.ARRAY(sa.LargeBinary()), nullable=True),
    sa.Column('preferred_two_factor_authentication', sa.String(length=255), nullable=True),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('timezone', sa.String(length=50), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('use_12_hour_clock', sa.Boolean(), nullable=True),
    sa.Column('display_date_format', sa.String(length=20), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('role', sa.String(length=255), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=True),
    sa.Column('seniority', sa.String(length=255), nullable=True),
    sa.Column('daily_salary', sa.Integer(), nullable=True),
    sa.Column('has_avatar', sa.Boolean(), nullable=True),
    sa.Column('notifications_enabled', sa.Boolean(), nullable=True),
    sa.Column('notifications_slack_enabled', sa.Boolean(), nullable=True),
    sa.Column('notifications_slack_userid', sa.String(length=60), nullable=True),
    sa.Column('notifications_mattermost_enabled', sa.Boolean(), nullable=True),
    sa.Column('notifications_mattermost_userid', sa.String(length=60), nullable=True),
    sa.Column('notifications_discord_enabled', sa.Boolean(), nullable=True),
    sa.Column('notifications_discord_userid', sa.String(length=60), nullable=True),
    sa.Column('is_bot', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('is_guest', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('preview_project_id', sa.UUID(), nullable=True),
    sa.Column('preview_opened_at', sa.DateTime(), nullable=True),
    sa.Column('preview_open_until', sa.DateTime(), nullable=True),
    sa.Column('jti', sa.String(length=60), nullable=True),
    sa.Column('expiration_date', sa.Date(), nullable=True),
    sa.Column('is_generated_from_ldap', sa.Boolean(), nullable=True),
    sa.Column('ldap_uid', sa.String(length=60), nullable=True),
    sa.Column('oidc_issuer', sa.Text(), nullable=True),
    sa.Column('oidc_subject', sa.String(length=255), nullable=True),
    sa.Column('saml_issuer', sa.Text(), nullable=True),
    sa.Column('saml_subject', sa.String(length=255), nullable=True),
    sa.Column('studio_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['preview_project_id'], ['project.id'], name=op.f('person_preview_project_id_fkey')),
    sa.ForeignKeyConstraint(['studio_id'], ['studio.id'], name=op.f('person_studio_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('person_pkey')),
    sa.UniqueConstraint('jti', name=op.f('person_jti_key')),
    sa.UniqueConstraint('ldap_uid', name=op.f('person_ldap_uid_key')),
    sa.UniqueConstraint('oidc_issuer', 'oidc_subject', name='person_oidc_identity_uc'),
    sa.UniqueConstraint('saml_issuer', 'saml_subject', name='person_saml_identity_uc'),
    sa.UniqueConstraint('shotgun_id', name=op.f('person_shotgun_id_key'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_preview_project_id'), ['preview_project_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_person_studio_id'), ['studio_id'], unique=False)
        batch_op.create_index('only_one_email_by_person', ['email', 'is_bot'], unique=True, postgresql_where=sa.text('is_bot IS NOT TRUE'))

    op.create_table('production_schedule_version',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('production_schedule_from', sa.UUID(), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=True),
    sa.Column('canceled', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['production_schedule_from'], ['production_schedule_version.id'], name=op.f('production_schedule_version_production_schedule_from_fkey'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('production_schedule_version_project_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('production_schedule_version_pkey')),
    sa.UniqueConstraint('name', 'project_id', name='production_schedule_version_uc')
    )
    with op.batch_alter_table('production_schedule_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_production_schedule_version_production_schedule_from'), ['production_schedule_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_production_schedule_version_project_id'), ['project_id'], unique=False)

    op.create_table('project_asset_type_link',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('asset_type_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['asset_type_id'], ['entity_type.id'], name=op.f('project_asset_type_link_asset_type_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('project_asset_type_link_project_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'asset_type_id', name=op.f('project_asset_type_link_pkey'))
    )
    with op.batch_alter_table('project_asset_type_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_asset_type_link_asset_type_id'), ['asset_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_asset_type_link_project_id'), ['project_id'], unique=False)

    op.create_table('project_preview_background_file_link',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('preview_background_file_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['preview_background_file_id'], ['preview_background_file.id'], name=op.f('project_preview_background_file_link_preview_background_file_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('project_preview_background_file_link_project_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'preview_background_file_id', name=op.f('project_preview_background_file_link_pkey'))
    )
    with op.batch_alter_table('project_preview_background_file_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_preview_background_file_link_preview_background_file_id'), ['preview_background_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_preview_background_file_link_project_id'), ['project_id'], unique=False)

    op.create_table('project_task_status_link',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('task_status_id', sa.UUID(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('roles_for_board', postgresql.ARRAY(sa.String(length=255)), nullable=True),
    sa.Column('is_client_allowed', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('project_task_status_link_project_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_status_id'], ['task_status.id'], name=op.f('project_task_status_link_task_status_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'task_status_id', 'id', name=op.f('project_task_status_link_pkey')),
    sa.UniqueConstraint('project_id', 'task_status_id', name='project_taskstatus_uc')
    )
    with op.batch_alter_table('project_task_status_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_task_status_link_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_task_status_link_task_status_id'), ['task_status_id'], unique=False)

    op.create_table('project_task_type_link',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('task_type_id', sa.UUID(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('hd_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('ld_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('is_client_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('project_task_type_link_project_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('project_task_type_link_task_type_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'task_type_id', 'id', name=op.f('project_task_type_link_pkey')),
    sa.UniqueConstraint('project_id', 'task_type_id', name='project_tasktype_uc')
    )
    with op.batch_alter_table('project_task_type_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_task_type_link_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_task_type_link_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('project_task_type_software_link',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('task_type_id', sa.UUID(), nullable=False),
    sa.Column('software_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('project_task_type_software_link_project_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['software_id'], ['software.id'], name=op.f('project_task_type_software_link_software_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('project_task_type_software_link_task_type_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'task_type_id', 'software_id', 'id', name=op.f('project_task_type_software_link_pkey')),
    sa.UniqueConstraint('project_id', 'task_type_id', 'software_id', name='project_task_type_software_uc')
    )
    with op.batch_alter_table('project_task_type_software_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_task_type_software_link_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_task_type_software_link_software_id'), ['software_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_task_type_software_link_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('project_template_asset_type_link',
    sa.Column('project_template_id', sa.UUID(), nullable=False),
    sa.Column('asset_type_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['asset_type_id'], ['entity_type.id'], name=op.f('project_template_asset_type_link_asset_type_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_template_id'], ['project_template.id'], name=op.f('project_template_asset_type_link_project_template_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_template_id', 'asset_type_id', name=op.f('project_template_asset_type_link_pkey'))
    )
    with op.batch_alter_table('project_template_asset_type_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_template_asset_type_link_asset_type_id'), ['asset_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_template_asset_type_link_project_template_id'), ['project_template_id'], unique=False)

    op.create_table('project_template_preview_background_file_link',
    sa.Column('project_template_id', sa.UUID(), nullable=False),
    sa.Column('preview_background_file_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['preview_background_file_id'], ['preview_background_file.id'], name=op.f('project_template_preview_background_file_link_preview_background_file_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_template_id'], ['project_template.id'], name=op.f('project_template_preview_background_file_link_project_template_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_template_id', 'preview_background_file_id', name=op.f('project_template_preview_background_file_link_pkey'))
    )
    with op.batch_alter_table('project_template_preview_background_file_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_template_preview_background_file_link_preview_background_file_id'), ['preview_background_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_template_preview_background_file_link_project_template_id'), ['project_template_id'], unique=False)

    op.create_table('project_template_task_status_link',
    sa.Column('project_template_id', sa.UUID(), nullable=False),
    sa.Column('task_status_id', sa.UUID(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('roles_for_board', postgresql.ARRAY(sa.String(length=255)), nullable=True),
    sa.Column('is_client_allowed', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_template_id'], ['project_template.id'], name=op.f('project_template_task_status_link_project_template_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_status_id'], ['task_status.id'], name=op.f('project_template_task_status_link_task_status_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_template_id', 'task_status_id', 'id', name=op.f('project_template_task_status_link_pkey')),
    sa.UniqueConstraint('project_template_id', 'task_status_id', name='project_template_taskstatus_uc')
    )
    with op.batch_alter_table('project_template_task_status_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_template_task_status_link_project_template_id'), ['project_template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_template_task_status_link_task_status_id'), ['task_status_id'], unique=False)

    op.create_table('project_template_task_type_link',
    sa.Column('project_template_id', sa.UUID(), nullable=False),
    sa.Column('task_type_id', sa.UUID(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('hd_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('ld_bitrate_compression', sa.Integer(), nullable=True),
    sa.Column('is_client_visible', sa.Boolean(), server_default=sa.text('true'), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_template_id'], ['project_template.id'], name=op.f('project_template_task_type_link_project_template_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('project_template_task_type_link_task_type_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_template_id', 'task_type_id', 'id', name=op.f('project_template_task_type_link_pkey')),
    sa.UniqueConstraint('project_template_id', 'task_type_id', name='project_template_tasktype_uc')
    )
    with op.batch_alter_table('project_template_task_type_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_template_task_type_link_project_template_id'), ['project_template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_template_task_type_link_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('schedule_item',
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('man_days', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('task_type_id', sa.UUID(), nullable=True),
    sa.Column('object_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('schedule_item_project_id_fkey')),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('schedule_item_task_type_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('schedule_item_pkey')),
    sa.UniqueConstraint('project_id', 'task_type_id', 'object_id', name='schedule_item_uc')
    )
    with op.batch_alter_table('schedule_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_item_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_item_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_item_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('status_automation',
    sa.Column('entity_type', sa.String(length=40), nullable=True),
    sa.Column('in_task_type_id', sa.UUID(), nullable=True),
    sa.Column('in_task_status_id', sa.UUID(), nullable=True),
    sa.Column('out_field_type', sa.String(length=255), nullable=False),
    sa.Column('out_task_type_id', sa.UUID(), nullable=True),
    sa.Column('out_task_status_id', sa.UUID(), nullable=True),
    sa.Column('import_last_revision', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('archived', sa.Boolean(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['in_task_status_id'], ['task_status.id'], name=op.f('status_automation_in_task_status_id_fkey')),
    sa.ForeignKeyConstraint(['in_task_type_id'], ['task_type.id'], name=op.f('status_automation_in_task_type_id_fkey')),
    sa.ForeignKeyConstraint(['out_task_status_id'], ['task_status.id'], name=op.f('status_automation_out_task_status_id_fkey')),
    sa.ForeignKeyConstraint(['out_task_type_id'], ['task_type.id'], name=op.f('status_automation_out_task_type_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('status_automation_pkey'))
    )
    with op.batch_alter_table('status_automation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_automation_in_task_status_id'), ['in_task_status_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_automation_in_task_type_id'), ['in_task_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_automation_out_task_status_id'), ['out_task_status_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_automation_out_task_type_id'), ['out_task_type_id'], unique=False)

    op.create_table('task_type_asset_type_link',
    sa.Column('asset_type_id', sa.UUID(), nullable=False),
    sa.Column('task_type_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['asset_type_id'], ['entity_type.id'], name=op.f('task_type_asset_type_link_asset_type_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('task_type_asset_type_link_task_type_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('asset_type_id', 'task_type_id', name=op.f('task_type_asset_type_link_pkey'))
    )
    with op.batch_alter_table('task_type_asset_type_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_type_asset_type_link_asset_type_id'), ['asset_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_type_asset_type_link_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('api_event',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=True),
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('api_event_project_id_fkey')),
    sa.ForeignKeyConstraint(['user_id'], ['person.id'], name=op.f('api_event_user_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('api_event_pkey'))
    )
    with op.batch_alter_table('api_event', schema=None) as batch_op:
        batch_op.create_index('ix_api_event_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_event_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_event_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_api_event_project_id_created_at', ['project_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_event_user_id'), ['user_id'], unique=False)

    op.create_table('budget_entry',
    sa.Column('budget_id', sa.UUID(), nullable=False),
    sa.Column('department_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('months_duration', sa.Integer(), nullable=False),
    sa.Column('daily_salary', sa.Float(), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=True),
    sa.Column('seniority', sa.String(length=255), nullable=True),
    sa.Column('exceptions', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['budget_id'], ['budget.id'], name=op.f('budget_entry_budget_id_fkey')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('budget_entry_department_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('budget_entry_person_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('budget_entry_pkey'))
    )
    with op.batch_alter_table('budget_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_entry_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_entry_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_entry_person_id'), ['person_id'], unique=False)

    op.create_table('chat_message',
    sa.Column('chat_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['chat_id'], ['chat.id'], name=op.f('chat_message_chat_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('chat_message_person_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('chat_message_pkey'))
    )
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_message_chat_id'), ['chat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_message_person_id'), ['person_id'], unique=False)

    op.create_table('chat_participant',
    sa.Column('chat_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['chat_id'], ['chat.id'], name=op.f('chat_participant_chat_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('chat_participant_person_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('chat_id', 'person_id', name=op.f('chat_participant_pkey'))
    )
    op.create_table('day_off',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('date <= end_date', name=op.f('day_off_date_check')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('day_off_person_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('day_off_pkey')),
    sa.UniqueConstraint('person_id', 'date', name='day_off_uc')
    )
    with op.batch_alter_table('day_off', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_day_off_person_id'), ['person_id'], unique=False)

    op.create_table('department_link',
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('department_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('department_link_department_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('department_link_person_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'department_id', name=op.f('department_link_pkey'))
    )
    with op.batch_alter_table('department_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_link_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_department_link_person_id'), ['person_id'], unique=False)

    op.create_table('department_metadata_descriptor_link',
    sa.Column('metadata_descriptor_id', sa.UUID(), nullable=False),
    sa.Column('department_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('department_metadata_descriptor_link_department_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['metadata_descriptor_id'], ['metadata_descriptor.id'], name=op.f('department_metadata_descriptor_link_metadata_descriptor_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('metadata_descriptor_id', 'department_id', name=op.f('department_metadata_descriptor_link_pkey'))
    )
    with op.batch_alter_table('department_metadata_descriptor_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_department_metadata_descriptor_link_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_department_metadata_descriptor_link_metadata_descriptor_id'), ['metadata_descriptor_id'], unique=False)

    op.create_table('desktop_login_log',
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('date', sa.DateTime(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('desktop_login_log_person_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('desktop_login_log_pkey'))
    )
    with op.batch_alter_table('desktop_login_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desktop_login_log_person_id'), ['person_id'], unique=False)

    op.create_table('entity',
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('code', sa.String(length=160), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('canceled', sa.Boolean(), nullable=True),
    sa.Column('nb_frames', sa.Integer(), nullable=True),
    sa.Column('nb_entities_out', sa.Integer(), nullable=True),
    sa.Column('is_casting_standby', sa.Boolean(), nullable=True),
    sa.Column('is_shared', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('status', sa.String(length=255), nullable=False),
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('entity_type_id', sa.UUID(), nullable=False),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('source_id', sa.UUID(), nullable=True),
    sa.Column('preview_file_id', sa.UUID(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('ready_for', sa.UUID(), nullable=True),
    sa.Column('created_by', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], name=op.f('entity_created_by_fkey')),
    sa.ForeignKeyConstraint(['entity_type_id'], ['entity_type.id'], name=op.f('entity_entity_type_id_fkey')),
    sa.ForeignKeyConstraint(['parent_id'], ['entity.id'], name=op.f('entity_parent_id_fkey')),
    sa.ForeignKeyConstraint(['preview_file_id'], ['preview_file.id'], name='fk_main_preview', use_alter=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('entity_project_id_fkey')),
    sa.ForeignKeyConstraint(['ready_for'], ['task_type.id'], name='fk_ready_for'),
    sa.ForeignKeyConstraint(['source_id'], ['entity.id'], name=op.f('entity_source_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('entity_pkey')),
    sa.UniqueConstraint('name', 'project_id', 'entity_type_id', 'parent_id', name='entity_uc')
    )
    with op.batch_alter_table('entity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_created_by'), ['created_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_entity_type_id'), ['entity_type_id'], unique=False)
        batch_op.create_index('ix_entity_entity_type_parent', ['entity_type_id', 'parent_id'], unique=False)
        batch_op.create_index('ix_entity_entity_type_project', ['entity_type_id', 'project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_entity_project_type_status', ['project_id', 'entity_type_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_status'), ['status'], unique=False)

    op.create_table('login_log',
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('ip_address', sa.String(length=50), nullable=True),
    sa.Column('origin', sa.String(length=255), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('login_log_person_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('login_log_pkey'))
    )
    with op.batch_alter_table('login_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_log_person_id'), ['person_id'], unique=False)

    op.create_table('project_person_link',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('project_person_link_person_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('project_person_link_project_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'person_id', name=op.f('project_person_link_pkey'))
    )
    with op.batch_alter_table('project_person_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_person_link_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_person_link_project_id'), ['project_id'], unique=False)

    op.create_table('project_status_automation_link',
    sa.Column('project_id', sa.UUID(), nullable=False),
    sa.Column('status_automation_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('project_status_automation_link_project_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_automation_id'], ['status_automation.id'], name=op.f('project_status_automation_link_status_automation_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'status_automation_id', name=op.f('project_status_automation_link_pkey'))
    )
    with op.batch_alter_table('project_status_automation_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_status_automation_link_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_status_automation_link_status_automation_id'), ['status_automation_id'], unique=False)

    op.create_table('project_template_status_automation_link',
    sa.Column('project_template_id', sa.UUID(), nullable=False),
    sa.Column('status_automation_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['project_template_id'], ['project_template.id'], name=op.f('project_template_status_automation_link_project_template_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_automation_id'], ['status_automation.id'], name=op.f('project_template_status_automation_link_status_automation_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_template_id', 'status_automation_id', name=op.f('project_template_status_automation_link_pkey'))
    )
    with op.batch_alter_table('project_template_status_automation_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_template_status_automation_link_project_template_id'), ['project_template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_template_status_automation_link_status_automation_id'), ['status_automation_id'], unique=False)

    op.create_table('search_filter_group',
    sa.Column('list_type', sa.String(length=80), nullable=False),
    sa.Column('entity_type', sa.String(length=80), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('color', sa.String(length=8), nullable=False),
    sa.Column('is_shared', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('department_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('search_filter_group_department_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('search_filter_group_person_id_fkey')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('search_filter_group_project_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('search_filter_group_pkey'))
    )
    with op.batch_alter_table('search_filter_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_filter_group_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_filter_group_list_type'), ['list_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_filter_group_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_filter_group_project_id'), ['project_id'], unique=False)

    op.create_table('asset_instance',
    sa.Column('asset_id', sa.UUID(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('scene_id', sa.UUID(), nullable=True),
    sa.Column('target_asset_id', sa.UUID(), nullable=True),
    sa.Column('entity_id', sa.UUID(), nullable=True),
    sa.Column('entity_type_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['asset_id'], ['entity.id'], name=op.f('asset_instance_asset_id_fkey')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('asset_instance_entity_id_fkey')),
    sa.ForeignKeyConstraint(['entity_type_id'], ['entity_type.id'], name=op.f('asset_instance_entity_type_id_fkey')),
    sa.ForeignKeyConstraint(['scene_id'], ['entity.id'], name=op.f('asset_instance_scene_id_fkey')),
    sa.ForeignKeyConstraint(['target_asset_id'], ['entity.id'], name=op.f('asset_instance_target_asset_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('asset_instance_pkey')),
    sa.UniqueConstraint('asset_id', 'target_asset_id', 'scene_id', 'number', name='asset_instance_uc')
    )
    with op.batch_alter_table('asset_instance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_asset_instance_asset_id'), ['asset_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_instance_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_instance_entity_type_id'), ['entity_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_instance_scene_id'), ['scene_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_asset_instance_target_asset_id'), ['target_asset_id'], unique=False)

    op.create_table('entity_concept_link',
    sa.Column('entity_in_id', sa.UUID(), nullable=False),
    sa.Column('entity_out_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['entity_in_id'], ['entity.id'], name=op.f('entity_concept_link_entity_in_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_out_id'], ['entity.id'], name=op.f('entity_concept_link_entity_out_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entity_in_id', 'entity_out_id', 'id', name=op.f('entity_concept_link_pkey'))
    )
    op.create_table('entity_link',
    sa.Column('entity_in_id', sa.UUID(), nullable=False),
    sa.Column('entity_out_id', sa.UUID(), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('nb_occurences', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=80), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['entity_in_id'], ['entity.id'], name=op.f('entity_link_entity_in_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_out_id'], ['entity.id'], name=op.f('entity_link_entity_out_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entity_in_id', 'entity_out_id', 'id', name=op.f('entity_link_pkey')),
    sa.UniqueConstraint('entity_in_id', 'entity_out_id', name='entity_link_uc')
    )
    with op.batch_alter_table('entity_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_link_entity_in_id'), ['entity_in_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_link_entity_out_id'), ['entity_out_id'], unique=False)

    op.create_table('entity_version',
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('entity_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('entity_version_entity_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('entity_version_person_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('entity_version_pkey'))
    )
    with op.batch_alter_table('entity_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entity_version_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entity_version_person_id'), ['person_id'], unique=False)

    op.create_table('playlist',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('shots', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('episode_id', sa.UUID(), nullable=True),
    sa.Column('task_type_id', sa.UUID(), nullable=True),
    sa.Column('for_client', sa.Boolean(), nullable=True),
    sa.Column('for_entity', sa.String(length=10), nullable=True),
    sa.Column('is_for_all', sa.Boolean(), nullable=True),
    sa.Column('created_by', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], name=op.f('playlist_created_by_fkey')),
    sa.ForeignKeyConstraint(['episode_id'], ['entity.id'], name=op.f('playlist_episode_id_fkey')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('playlist_project_id_fkey')),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('playlist_task_type_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('playlist_pkey')),
    sa.UniqueConstraint('name', 'project_id', 'episode_id', name='playlist_uc')
    )
    with op.batch_alter_table('playlist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_playlist_created_by'), ['created_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_playlist_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_playlist_for_client'), ['for_client'], unique=False)
        batch_op.create_index(batch_op.f('ix_playlist_for_entity'), ['for_entity'], unique=False)
        batch_op.create_index(batch_op.f('ix_playlist_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_playlist_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('search_filter',
    sa.Column('list_type', sa.String(length=80), nullable=False),
    sa.Column('entity_type', sa.String(length=80), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('search_query', sa.String(length=500), nullable=False),
    sa.Column('is_shared', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('department_id', sa.UUID(), nullable=True),
    sa.Column('search_filter_group_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('search_filter_department_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('search_filter_person_id_fkey')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('search_filter_project_id_fkey')),
    sa.ForeignKeyConstraint(['search_filter_group_id'], ['search_filter_group.id'], name=op.f('search_filter_search_filter_group_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('search_filter_pkey'))
    )
    with op.batch_alter_table('search_filter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_filter_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_filter_list_type'), ['list_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_filter_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_filter_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_filter_search_filter_group_id'), ['search_filter_group_id'], unique=False)

    op.create_table('task',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.Column('difficulty', sa.Integer(), server_default=sa.text('3'), nullable=False),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('estimation', sa.Float(), nullable=True),
    sa.Column('completion_rate', sa.Integer(), nullable=True),
    sa.Column('retake_count', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.DateTime(), nullable=True),
    sa.Column('due_date', sa.DateTime(), nullable=True),
    sa.Column('real_start_date', sa.DateTime(), nullable=True),
    sa.Column('end_date', sa.DateTime(), nullable=True),
    sa.Column('done_date', sa.DateTime(), nullable=True),
    sa.Column('last_comment_date', sa.DateTime(), nullable=True),
    sa.Column('nb_assets_ready', sa.Integer(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('nb_drawings', sa.Integer(), nullable=True),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('last_preview_file_id', sa.UUID(), nullable=True),
    sa.Column('project_id', sa.UUID(), nullable=True),
    sa.Column('task_type_id', sa.UUID(), nullable=True),
    sa.Column('task_status_id', sa.UUID(), nullable=True),
    sa.Column('entity_id', sa.UUID(), nullable=True),
    sa.Column('assigner_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('difficulty > 0 AND difficulty < 6', name=op.f('check_difficulty')),
    sa.ForeignKeyConstraint(['assigner_id'], ['person.id'], name=op.f('task_assigner_id_fkey')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('task_entity_id_fkey')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('task_project_id_fkey')),
    sa.ForeignKeyConstraint(['task_status_id'], ['task_status.id'], name=op.f('task_task_status_id_fkey')),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('task_task_type_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('task_pkey')),
    sa.UniqueConstraint('name', 'project_id', 'task_type_id', 'entity_id', name='task_uc')
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_assigner_id'), ['assigner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index('ix_task_entity_project', ['entity_id', 'project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_task_status_id'), ['task_status_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('asset_instance_link',
    sa.Column('entity_id', sa.UUID(), nullable=False),
    sa.Column('asset_instance_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['asset_instance_id'], ['asset_instance.id'], name=op.f('asset_instance_link_asset_instance_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('asset_instance_link_entity_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entity_id', 'asset_instance_id', name=op.f('asset_instance_link_pkey'))
    )
    op.create_table('build_job',
    sa.Column('status', sa.String(length=255), nullable=False),
    sa.Column('job_type', sa.String(length=255), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('playlist_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['playlist_id'], ['playlist.id'], name=op.f('build_job_playlist_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('build_job_pkey'))
    )
    with op.batch_alter_table('build_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_build_job_playlist_id'), ['playlist_id'], unique=False)

    op.create_table('playlist_share_link',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('playlist_id', sa.UUID(), nullable=False),
    sa.Column('created_by', sa.UUID(), nullable=False),
    sa.Column('expiration_date', sa.DateTime(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('can_comment', sa.Boolean(), nullable=False),
    sa.Column('password', sa.String(length=255), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], name=op.f('playlist_share_link_created_by_fkey')),
    sa.ForeignKeyConstraint(['playlist_id'], ['playlist.id'], name=op.f('playlist_share_link_playlist_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('playlist_share_link_pkey'))
    )
    with op.batch_alter_table('playlist_share_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_playlist_share_link_created_by'), ['created_by'], unique=False)
        batch_op.create_index('ix_playlist_share_link_playlist_active', ['playlist_id', 'is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_playlist_share_link_playlist_id'), ['playlist_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_playlist_share_link_token'), ['token'], unique=True)

    op.create_table('production_schedule_version_task_link',
    sa.Column('production_schedule_version_id', sa.UUID(), nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('start_date', sa.DateTime(), nullable=True),
    sa.Column('due_date', sa.DateTime(), nullable=True),
    sa.Column('estimation', sa.Float(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['production_schedule_version_id'], ['production_schedule_version.id'], name=op.f('production_schedule_version_task_link_production_schedule_version_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('production_schedule_version_task_link_task_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('production_schedule_version_task_link_pkey')),
    sa.UniqueConstraint('production_schedule_version_id', 'task_id', name='production_schedule_version_task_link_uc')
    )
    with op.batch_alter_table('production_schedule_version_task_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_production_schedule_version_task_link_production_schedule_version_id'), ['production_schedule_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_production_schedule_version_task_link_task_id'), ['task_id'], unique=False)

    op.create_table('subscription',
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=True),
    sa.Column('entity_id', sa.UUID(), nullable=True),
    sa.Column('task_type_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('subscription_entity_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('subscription_person_id_fkey')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('subscription_task_id_fkey')),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('subscription_task_type_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('subscription_pkey')),
    sa.UniqueConstraint('person_id', 'task_id', name='subscription_task_uc'),
    sa.UniqueConstraint('person_id', 'task_type_id', 'entity_id', name='subscription_entity_uc')
    )
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subscription_task_type_id'), ['task_type_id'], unique=False)

    op.create_table('task_person_link',
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('task_person_link_person_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('task_person_link_task_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'person_id', name=op.f('task_person_link_pkey'))
    )
    with op.batch_alter_table('task_person_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_person_link_person_id'), ['person_id'], unique=False)

    op.create_table('time_spent',
    sa.Column('duration', sa.Float(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('duration > 0', name=op.f('check_duration_positive')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('time_spent_person_id_fkey')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('time_spent_task_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('time_spent_pkey')),
    sa.UniqueConstraint('person_id', 'task_id', 'date', name='time_spent_uc')
    )
    with op.batch_alter_table('time_spent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_spent_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_spent_task_id'), ['task_id'], unique=False)

    op.create_table('working_file',
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=250), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('checksum', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=400), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('validation_status', sa.String(length=255), server_default='neutral', nullable=False),
    sa.Column('task_id', sa.UUID(), nullable=True),
    sa.Column('entity_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('software_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('working_file_entity_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('working_file_person_id_fkey')),
    sa.ForeignKeyConstraint(['software_id'], ['software.id'], name=op.f('working_file_software_id_fkey')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('working_file_task_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('working_file_pkey')),
    sa.UniqueConstraint('name', 'task_id', 'entity_id', 'revision', name='working_file_uc')
    )
    with op.batch_alter_table('working_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_file_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_working_file_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_working_file_shotgun_id'), ['shotgun_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_working_file_software_id'), ['software_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_working_file_task_id'), ['task_id'], unique=False)

    op.create_table('output_file',
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=250), nullable=False),
    sa.Column('canceled', sa.Boolean(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('checksum', sa.String(length=32), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('extension', sa.String(length=10), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('representation', sa.String(length=20), nullable=True),
    sa.Column('nb_elements', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('path', sa.String(length=400), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('quality', sa.String(length=255), nullable=True),
    sa.Column('file_status_id', sa.UUID(), nullable=False),
    sa.Column('entity_id', sa.UUID(), nullable=True),
    sa.Column('asset_instance_id', sa.UUID(), nullable=True),
    sa.Column('output_type_id', sa.UUID(), nullable=True),
    sa.Column('task_type_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('source_file_id', sa.UUID(), nullable=True),
    sa.Column('temporal_entity_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['asset_instance_id'], ['asset_instance.id'], name=op.f('output_file_asset_instance_id_fkey')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], name=op.f('output_file_entity_id_fkey')),
    sa.ForeignKeyConstraint(['file_status_id'], ['file_status.id'], name=op.f('output_file_file_status_id_fkey')),
    sa.ForeignKeyConstraint(['output_type_id'], ['output_type.id'], name=op.f('output_file_output_type_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('output_file_person_id_fkey')),
    sa.ForeignKeyConstraint(['source_file_id'], ['working_file.id'], name=op.f('output_file_source_file_id_fkey')),
    sa.ForeignKeyConstraint(['task_type_id'], ['task_type.id'], name=op.f('output_file_task_type_id_fkey')),
    sa.ForeignKeyConstraint(['temporal_entity_id'], ['entity.id'], name=op.f('output_file_temporal_entity_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('output_file_pkey')),
    sa.UniqueConstraint('name', 'entity_id', 'asset_instance_id', 'output_type_id', 'task_type_id', 'temporal_entity_id', 'representation', 'revision', name='output_file_uc')
    )
    with op.batch_alter_table('output_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_output_file_asset_instance_id'), ['asset_instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_file_status_id'), ['file_status_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_output_type_id'), ['output_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_representation'), ['representation'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_source_file_id'), ['source_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_task_type_id'), ['task_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_output_file_temporal_entity_id'), ['temporal_entity_id'], unique=False)

    op.create_table('production_schedule_version_task_link_person_link',
    sa.Column('production_schedule_version_task_link_id', sa.UUID(), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('production_schedule_version_task_link_person_link_person_id_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['production_schedule_version_task_link_id'], ['production_schedule_version_task_link.id'], name=op.f('production_schedule_version_task_link_person_link_production_schedule_version_task_link_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('production_schedule_version_task_link_id', 'person_id', name=op.f('production_schedule_version_task_link_person_link_pkey'))
    )
    op.create_table('preview_file',
    sa.Column('name', sa.String(length=250), nullable=True),
    sa.Column('original_name', sa.String(length=250), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('extension', sa.String(length=6), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('path', sa.String(length=400), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('file_size', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=255), nullable=False),
    sa.Column('validation_status', sa.String(length=255), nullable=False),
    sa.Column('annotations', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('token_in', sa.Integer(), nullable=True),
    sa.Column('token_out', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=True),
    sa.Column('source_file_id', sa.UUID(), nullable=True),
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('is_movie', sa.Boolean(), nullable=True),
    sa.Column('url', sa.String(length=600), nullable=True),
    sa.Column('uploaded_movie_url', sa.String(length=600), nullable=True),
    sa.Column('uploaded_movie_name', sa.String(length=150), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('preview_file_person_id_fkey')),
    sa.ForeignKeyConstraint(['source_file_id'], ['output_file.id'], name=op.f('preview_file_source_file_id_fkey')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('preview_file_task_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('preview_file_pkey')),
    sa.UniqueConstraint('name', 'task_id', 'revision', name='preview_uc'),
    sa.UniqueConstraint('shotgun_id', name=op.f('preview_file_shotgun_id_key'))
    )
    with op.batch_alter_table('preview_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preview_file_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preview_file_source_file_id'), ['source_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preview_file_task_id'), ['task_id'], unique=False)

    op.create_table('comment',
    sa.Column('shotgun_id', sa.Integer(), nullable=True),
    sa.Column('object_id', sa.UUID(), nullable=False),
    sa.Column('object_type', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('replies', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('checklist', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=True),
    sa.Column('for_client', sa.Boolean(), server_default=sa.text('false'), nullable=True),
    sa.Column('links', postgresql.ARRAY(sa.String()), nullable=True),
    sa.Column('task_status_id', sa.UUID(), nullable=True),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('editor_id', sa.UUID(), nullable=True),
    sa.Column('preview_file_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['editor_id'], ['person.id'], name=op.f('comment_editor_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('comment_person_id_fkey')),
    sa.ForeignKeyConstraint(['preview_file_id'], ['preview_file.id'], name=op.f('comment_preview_file_id_fkey')),
    sa.ForeignKeyConstraint(['task_status_id'], ['task_status.id'], name=op.f('comment_task_status_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('comment_pkey'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_editor_id'), ['editor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_object_type'), ['object_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_preview_file_id'), ['preview_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_task_status_id'), ['task_status_id'], unique=False)

    op.create_table('preview_file_storage_state',
    sa.Column('preview_file_id', sa.UUID(), nullable=False),
    sa.Column('bucket', sa.String(length=20), nullable=False),
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=255), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['preview_file_id'], ['preview_file.id'], name=op.f('preview_file_storage_state_preview_file_id_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('preview_file_storage_state_pkey')),
    sa.UniqueConstraint('preview_file_id', 'bucket', 'prefix', name='preview_file_storage_state_uc')
    )
    with op.batch_alter_table('preview_file_storage_state', schema=None) as batch_op:
        batch_op.create_index('ix_preview_file_storage_state_bucket_prefix_state', ['bucket', 'prefix', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_preview_file_storage_state_preview_file_id'), ['preview_file_id'], unique=False)

    op.create_table('attachment_file',
    sa.Column('name', sa.String(length=250), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('extension', sa.String(length=6), nullable=True),
    sa.Column('mimetype', sa.String(length=255), nullable=True),
    sa.Column('comment_id', sa.UUID(), nullable=True),
    sa.Column('reply_id', sa.UUID(), nullable=True),
    sa.Column('chat_message_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['chat_message_id'], ['chat_message.id'], name=op.f('attachment_file_chat_message_id_fkey')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('attachment_file_comment_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('attachment_file_pkey'))
    )
    with op.batch_alter_table('attachment_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_file_chat_message_id'), ['chat_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_file_comment_id'), ['comment_id'], unique=False)

    op.create_table('comment_acknoledgments',
    sa.Column('comment', sa.UUID(), nullable=False),
    sa.Column('person', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['comment'], ['comment.id'], name=op.f('comment_acknoledgments_comment_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person'], ['person.id'], name=op.f('comment_acknoledgments_person_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment', 'person', name=op.f('comment_acknoledgments_pkey'))
    )
    op.create_table('comment_department_mentions',
    sa.Column('comment', sa.UUID(), nullable=False),
    sa.Column('department', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['comment'], ['comment.id'], name=op.f('comment_department_mentions_comment_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department'], ['department.id'], name=op.f('comment_department_mentions_department_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment', 'department', name=op.f('comment_department_mentions_pkey'))
    )
    op.create_table('comment_mentions',
    sa.Column('comment', sa.UUID(), nullable=False),
    sa.Column('person', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['comment'], ['comment.id'], name=op.f('comment_mentions_comment_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person'], ['person.id'], name=op.f('comment_mentions_person_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment', 'person', name=op.f('comment_mentions_pkey'))
    )
    op.create_table('comment_preview_link',
    sa.Column('comment', sa.UUID(), nullable=False),
    sa.Column('preview_file', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['comment'], ['comment.id'], name=op.f('comment_preview_link_comment_fkey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['preview_file'], ['preview_file.id'], name=op.f('comment_preview_link_preview_file_fkey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment', 'preview_file', name=op.f('comment_preview_link_pkey'))
    )
    with op.batch_alter_table('comment_preview_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_preview_link_comment'), ['comment'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_preview_link_preview_file'), ['preview_file'], unique=False)

    op.create_table('news',
    sa.Column('change', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.UUID(), nullable=False),
    sa.Column('comment_id', sa.UUID(), nullable=True),
    sa.Column('task_id', sa.UUID(), nullable=False),
    sa.Column('preview_file_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('news_author_id_fkey')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('news_comment_id_fkey')),
    sa.ForeignKeyConstraint(['preview_file_id'], ['preview_file.id'], name=op.f('news_preview_file_id_fkey')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('news_task_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('news_pkey'))
    )
    with op.batch_alter_table('news', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_preview_file_id'), ['preview_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_task_id'), ['task_id'], unique=False)

    op.create_table('notification',
    sa.Column('read', sa.Boolean(), nullable=False),
    sa.Column('change', sa.Boolean(), nullable=False),
    sa.Column('type', sa.String(length=255), nullable=False),
    sa.Column('person_id', sa.UUID(), nullable=False),
    sa.Column('author_id', sa.UUID(), nullable=False),
    sa.Column('comment_id', sa.UUID(), nullable=True),
    sa.Column('task_id', sa.UUID(), nullable=True),
    sa.Column('playlist_id', sa.UUID(), nullable=True),
    sa.Column('reply_id', sa.UUID(), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('notification_author_id_fkey')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('notification_comment_id_fkey')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('notification_person_id_fkey')),
    sa.ForeignKeyConstraint(['playlist_id'], ['playlist.id'], name=op.f('notification_playlist_id_fkey')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('notification_task_id_fkey')),
    sa.PrimaryKeyConstraint('id', name=op.f('notification_pkey')),
    sa.UniqueConstraint('person_id', 'author_id', 'comment_id', 'reply_id', 'playlist_id', 'type', name='notification_uc')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_playlist_id'), ['playlist_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_reply_id'), ['reply_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_task_id'), ['task_id'], unique=False)
    # The two foreign keys that close a cycle between tables are added once
    # both ends exist.
    op.create_foreign_key('fk_main_preview', 'entity', 'preview_file',
                          ['preview_file_id'], ['id'])
    op.create_foreign_key('project_from_schedule_version_id_fkey', 'project',
                          'production_schedule_version', ['from_schedule_version_id'], ['id'],
                          ondelete='SET NULL')


def downgrade():
    op.drop_constraint('project_from_schedule_version_id_fkey', 'project', type_='foreignkey')
    op.drop_constraint('fk_main_preview', 'entity', type_='foreignkey')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_task_id'))
        batch_op.drop_index(batch_op.f('ix_notification_reply_id'))
        batch_op.drop_index(batch_op.f('ix_notification_playlist_id'))
        batch_op.drop_index(batch_op.f('ix_notification_person_id'))
        batch_op.drop_index(batch_op.f('ix_notification_comment_id'))
        batch_op.drop_index(batch_op.f('ix_notification_author_id'))

    op.drop_table('notification')
    with op.batch_alter_table('news', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_task_id'))
        batch_op.drop_index(batch_op.f('ix_news_preview_file_id'))
        batch_op.drop_index(batch_op.f('ix_news_comment_id'))
        batch_op.drop_index(batch_op.f('ix_news_author_id'))

    op.drop_table('news')
    with op.batch_alter_table('comment_preview_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_preview_link_preview_file'))
        batch_op.drop_index(batch_op.f('ix_comment_preview_link_comment'))

    op.drop_table('comment_preview_link')
    op.drop_table('comment_mentions')
    op.drop_table('comment_department_mentions')
    op.drop_table('comment_acknoledgments')
    with op.batch_alter_table('attachment_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_file_comment_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_file_chat_message_id'))

    op.drop_table('attachment_file')
    with op.batch_alter_table('preview_file_storage_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preview_file_storage_state_preview_file_id'))
        batch_op.drop_index('ix_preview_file_storage_state_bucket_prefix_state')

    op.drop_table('preview_file_storage_state')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_task_status_id'))
        batch_op.drop_index(batch_op.f('ix_comment_preview_file_id'))
        batch_op.drop_index(batch_op.f('ix_comment_person_id'))
        batch_op.drop_index(batch_op.f('ix_comment_object_type'))
        batch_op.drop_index(batch_op.f('ix_comment_object_id'))
        batch_op.drop_index(batch_op.f('ix_comment_editor_id'))

    op.drop_table('comment')
    with op.batch_alter_table('preview_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preview_file_task_id'))
        batch_op.drop_index(batch_op.f('ix_preview_file_source_file_id'))
        batch_op.drop_index(batch_op.f('ix_preview_file_person_id'))

    op.drop_table('preview_file')
    op.drop_table('production_schedule_version_task_link_person_link')
    with op.batch_alter_table('output_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_output_file_temporal_entity_id'))
        batch_op.drop_index(batch_op.f('ix_output_file_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_output_file_source_file_id'))
        batch_op.drop_index(batch_op.f('ix_output_file_representation'))
        batch_op.drop_index(batch_op.f('ix_output_file_person_id'))
        batch_op.drop_index(batch_op.f('ix_output_file_output_type_id'))
        batch_op.drop_index(batch_op.f('ix_output_file_file_status_id'))
        batch_op.drop_index(batch_op.f('ix_output_file_entity_id'))
        batch_op.drop_index(batch_op.f('ix_output_file_asset_instance_id'))

    op.drop_table('output_file')
    with op.batch_alter_table('working_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_file_task_id'))
        batch_op.drop_index(batch_op.f('ix_working_file_software_id'))
        batch_op.drop_index(batch_op.f('ix_working_file_shotgun_id'))
        batch_op.drop_index(batch_op.f('ix_working_file_person_id'))
        batch_op.drop_index(batch_op.f('ix_working_file_entity_id'))

    op.drop_table('working_file')
    with op.batch_alter_table('time_spent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_spent_task_id'))
        batch_op.drop_index(batch_op.f('ix_time_spent_person_id'))

    op.drop_table('time_spent')
    with op.batch_alter_table('task_person_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_person_link_person_id'))

    op.drop_table('task_person_link')
    with op.batch_alter_table('subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_task_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_person_id'))
        batch_op.drop_index(batch_op.f('ix_subscription_entity_id'))

    op.drop_table('subscription')
    with op.batch_alter_table('production_schedule_version_task_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_production_schedule_version_task_link_task_id'))
        batch_op.drop_index(batch_op.f('ix_production_schedule_version_task_link_production_schedule_version_id'))

    op.drop_table('production_schedule_version_task_link')
    with op.batch_alter_table('playlist_share_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_playlist_share_link_token'))
        batch_op.drop_index(batch_op.f('ix_playlist_share_link_playlist_id'))
        batch_op.drop_index('ix_playlist_share_link_playlist_active')
        batch_op.drop_index(batch_op.f('ix_playlist_share_link_created_by'))

    op.drop_table('playlist_share_link')
    with op.batch_alter_table('build_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_build_job_playlist_id'))

    op.drop_table('build_job')
    op.drop_table('asset_instance_link')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_task_task_status_id'))
        batch_op.drop_index(batch_op.f('ix_task_project_id'))
        batch_op.drop_index('ix_task_entity_project')
        batch_op.drop_index(batch_op.f('ix_task_entity_id'))
        batch_op.drop_index(batch_op.f('ix_task_assigner_id'))

    op.drop_table('task')
    with op.batch_alter_table('search_filter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_filter_search_filter_group_id'))
        batch_op.drop_index(batch_op.f('ix_search_filter_project_id'))
        batch_op.drop_index(batch_op.f('ix_search_filter_person_id'))
        batch_op.drop_index(batch_op.f('ix_search_filter_list_type'))
        batch_op.drop_index(batch_op.f('ix_search_filter_department_id'))

    op.drop_table('search_filter')
    with op.batch_alter_table('playlist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_playlist_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_playlist_project_id'))
        batch_op.drop_index(batch_op.f('ix_playlist_for_entity'))
        batch_op.drop_index(batch_op.f('ix_playlist_for_client'))
        batch_op.drop_index(batch_op.f('ix_playlist_episode_id'))
        batch_op.drop_index(batch_op.f('ix_playlist_created_by'))

    op.drop_table('playlist')
    with op.batch_alter_table('entity_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_version_person_id'))
        batch_op.drop_index(batch_op.f('ix_entity_version_entity_id'))

    op.drop_table('entity_version')
    with op.batch_alter_table('entity_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_link_entity_out_id'))
        batch_op.drop_index(batch_op.f('ix_entity_link_entity_in_id'))

    op.drop_table('entity_link')
    op.drop_table('entity_concept_link')
    with op.batch_alter_table('asset_instance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_asset_instance_target_asset_id'))
        batch_op.drop_index(batch_op.f('ix_asset_instance_scene_id'))
        batch_op.drop_index(batch_op.f('ix_asset_instance_entity_type_id'))
        batch_op.drop_index(batch_op.f('ix_asset_instance_entity_id'))
        batch_op.drop_index(batch_op.f('ix_asset_instance_asset_id'))

    op.drop_table('asset_instance')
    with op.batch_alter_table('search_filter_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_filter_group_project_id'))
        batch_op.drop_index(batch_op.f('ix_search_filter_group_person_id'))
        batch_op.drop_index(batch_op.f('ix_search_filter_group_list_type'))
        batch_op.drop_index(batch_op.f('ix_search_filter_group_department_id'))

    op.drop_table('search_filter_group')
    with op.batch_alter_table('project_template_status_automation_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_template_status_automation_link_status_automation_id'))
        batch_op.drop_index(batch_op.f('ix_project_template_status_automation_link_project_template_id'))

    op.drop_table('project_template_status_automation_link')
    with op.batch_alter_table('project_status_automation_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_status_automation_link_status_automation_id'))
        batch_op.drop_index(batch_op.f('ix_project_status_automation_link_project_id'))

    op.drop_table('project_status_automation_link')
    with op.batch_alter_table('project_person_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_person_link_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_person_link_person_id'))

    op.drop_table('project_person_link')
    with op.batch_alter_table('login_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_log_person_id'))

    op.drop_table('login_log')
    with op.batch_alter_table('entity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_status'))
        batch_op.drop_index(batch_op.f('ix_entity_source_id'))
        batch_op.drop_index('ix_entity_project_type_status')
        batch_op.drop_index(batch_op.f('ix_entity_project_id'))
        batch_op.drop_index(batch_op.f('ix_entity_parent_id'))
        batch_op.drop_index('ix_entity_entity_type_project')
        batch_op.drop_index('ix_entity_entity_type_parent')
        batch_op.drop_index(batch_op.f('ix_entity_entity_type_id'))
        batch_op.drop_index(batch_op.f('ix_entity_created_by'))

    op.drop_table('entity')
    with op.batch_alter_table('desktop_login_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desktop_login_log_person_id'))

    op.drop_table('desktop_login_log')
    with op.batch_alter_table('department_metadata_descriptor_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_metadata_descriptor_link_metadata_descriptor_id'))
        batch_op.drop_index(batch_op.f('ix_department_metadata_descriptor_link_department_id'))

    op.drop_table('department_metadata_descriptor_link')
    with op.batch_alter_table('department_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_department_link_person_id'))
        batch_op.drop_index(batch_op.f('ix_department_link_department_id'))

    op.drop_table('department_link')
    with op.batch_alter_table('day_off', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_day_off_person_id'))

    op.drop_table('day_off')
    op.drop_table('chat_participant')
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_message_person_id'))
        batch_op.drop_index(batch_op.f('ix_chat_message_chat_id'))

    op.drop_table('chat_message')
    with op.batch_alter_table('budget_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_entry_person_id'))
        batch_op.drop_index(batch_op.f('ix_budget_entry_department_id'))
        batch_op.drop_index(batch_op.f('ix_budget_entry_budget_id'))

    op.drop_table('budget_entry')
    with op.batch_alter_table('api_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_event_user_id'))
        batch_op.drop_index('ix_api_event_project_id_created_at')
        batch_op.drop_index(batch_op.f('ix_api_event_project_id'))
        batch_op.drop_index(batch_op.f('ix_api_event_name'))
        batch_op.drop_index('ix_api_event_created_at')

    op.drop_table('api_event')
    with op.batch_alter_table('task_type_asset_type_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_type_asset_type_link_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_task_type_asset_type_link_asset_type_id'))

    op.drop_table('task_type_asset_type_link')
    with op.batch_alter_table('status_automation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_automation_out_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_status_automation_out_task_status_id'))
        batch_op.drop_index(batch_op.f('ix_status_automation_in_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_status_automation_in_task_status_id'))

    op.drop_table('status_automation')
    with op.batch_alter_table('schedule_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_item_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_item_project_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_item_object_id'))

    op.drop_table('schedule_item')
    with op.batch_alter_table('project_template_task_type_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_template_task_type_link_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_project_template_task_type_link_project_template_id'))

    op.drop_table('project_template_task_type_link')
    with op.batch_alter_table('project_template_task_status_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_template_task_status_link_task_status_id'))
        batch_op.drop_index(batch_op.f('ix_project_template_task_status_link_project_template_id'))

    op.drop_table('project_template_task_status_link')
    with op.batch_alter_table('project_template_preview_background_file_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_template_preview_background_file_link_project_template_id'))
        batch_op.drop_index(batch_op.f('ix_project_template_preview_background_file_link_preview_background_file_id'))

    op.drop_table('project_template_preview_background_file_link')
    with op.batch_alter_table('project_template_asset_type_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_template_asset_type_link_project_template_id'))
        batch_op.drop_index(batch_op.f('ix_project_template_asset_type_link_asset_type_id'))

    op.drop_table('project_template_asset_type_link')
    with op.batch_alter_table('project_task_type_software_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_task_type_software_link_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_project_task_type_software_link_software_id'))
        batch_op.drop_index(batch_op.f('ix_project_task_type_software_link_project_id'))

    op.drop_table('project_task_type_software_link')
    with op.batch_alter_table('project_task_type_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_task_type_link_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_project_task_type_link_project_id'))

    op.drop_table('project_task_type_link')
    with op.batch_alter_table('project_task_status_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_task_status_link_task_status_id'))
        batch_op.drop_index(batch_op.f('ix_project_task_status_link_project_id'))

    op.drop_table('project_task_status_link')
    with op.batch_alter_table('project_preview_background_file_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_preview_background_file_link_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_preview_background_file_link_preview_background_file_id'))

    op.drop_table('project_preview_background_file_link')
    with op.batch_alter_table('project_asset_type_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_asset_type_link_project_id'))
        batch_op.drop_index(batch_op.f('ix_project_asset_type_link_asset_type_id'))

    op.drop_table('project_asset_type_link')
    with op.batch_alter_table('production_schedule_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_production_schedule_version_project_id'))
        batch_op.drop_index(batch_op.f('ix_production_schedule_version_production_schedule_from'))

    op.drop_table('production_schedule_version')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('only_one_email_by_person', postgresql_where=sa.text('is_bot IS NOT TRUE'))
        batch_op.drop_index(batch_op.f('ix_person_studio_id'))
        batch_op.drop_index(batch_op.f('ix_person_preview_project_id'))

    op.drop_table('person')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_project_id'))

    op.drop_table('milestone')
    with op.batch_alter_table('metadata_descriptor', schema=None) as batch_op:
        batch_op.drop_index('metadata_descriptor_uc2', postgresql_where=sa.text('task_type_id IS NULL'))
        batch_op.drop_index('metadata_descriptor_uc', postgresql_where=sa.text('task_type_id IS NULL'))
        batch_op.drop_index('metadata_descriptor_task_type_uc2', postgresql_where=sa.text('task_type_id IS NOT NULL'))
        batch_op.drop_index('metadata_descriptor_task_type_uc', postgresql_where=sa.text('task_type_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_metadata_descriptor_task_type_id'))
        batch_op.drop_index(batch_op.f('ix_metadata_descriptor_project_id'))
        batch_op.drop_index(batch_op.f('ix_metadata_descriptor_for_client'))
        batch_op.drop_index(batch_op.f('ix_metadata_descriptor_entity_type'))

    op.drop_table('metadata_descriptor')
    with op.batch_alter_table('budget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_project_id'))

    op.drop_table('budget')
    with op.batch_alter_table('task_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_type_shotgun_id'))
        batch_op.drop_index(batch_op.f('ix_task_type_department_id'))

    op.drop_table('task_type')
    with op.batch_alter_table('software_department_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_software_department_link_software_id'))
        batch_op.drop_index(batch_op.f('ix_software_department_link_department_id'))

    op.drop_table('software_department_link')
    with op.batch_alter_table('salary_scale', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_salary_scale_department_id'))

    op.drop_table('salary_scale')
    with op.batch_alter_table('project_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_template_name'))
        batch_op.drop_index(batch_op.f('ix_project_template_default_preview_background_file_id'))

    op.drop_table('project_template')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_project_status_id'))
        batch_op.drop_index(batch_op.f('ix_project_name'))
        batch_op.drop_index(batch_op.f('ix_project_from_schedule_version_id'))
        batch_op.drop_index(batch_op.f('ix_project_default_preview_background_file_id'))

    op.drop_table('project')
    with op.batch_alter_table('hardware_item_department_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hardware_item_department_link_hardware_item_id'))
        batch_op.drop_index(batch_op.f('ix_hardware_item_department_link_department_id'))

    op.drop_table('hardware_item_department_link')
    with op.batch_alter_table('task_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_status_short_name'))
        batch_op.drop_index(batch_op.f('ix_task_status_is_wip'))
        batch_op.drop_index(batch_op.f('ix_task_status_is_feedback_request'))
        batch_op.drop_index(batch_op.f('ix_task_status_is_done'))
        batch_op.drop_index(batch_op.f('ix_task_status_is_default'))

    op.drop_table('task_status')
    op.drop_table('studio')
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index('ix_stored_file_to_purge', postgresql_where=sa.text('deleted_at IS NOT NULL AND purged_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_stored_file_file_id'))

    op.drop_table('stored_file')
    op.drop_table('software')
    with op.batch_alter_table('project_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_status_name'))

    op.drop_table('project_status')
    with op.batch_alter_table('preview_background_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preview_background_file_is_default'))

    op.drop_table('preview_background_file')
    with op.batch_alter_table('plugin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plugin_plugin_id'))
        batch_op.drop_index(batch_op.f('ix_plugin_name'))

    op.drop_table('plugin')
    with op.batch_alter_table('output_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_output_type_name'))

    op.drop_table('output_type')
    op.drop_table('organisation')
    op.drop_table('hardware_item')
    op.drop_table('file_status')
    with op.batch_alter_table('entity_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entity_type_name'))

    op.drop_table('entity_type')
    op.drop_table('department')
    op.drop_table('data_import_error')
    op.drop_table('custom_action')
    with op.batch_alter_table('chat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_object_type'))
        batch_op.drop_index(batch_op.f('ix_chat_object_id'))

    op.drop_table('chat')
    sa.Enum(name='import_source_enum').drop(op.get_bind(), checkfirst=True)
