"""Data generators for the benchmarks: big productions built with a few
INSERT ... SELECT statements (generate_series), not row by row."""
from sqlalchemy import text

from app.extensions import db


def production(name, nb_entities, tasks_per_entity, asset_type="Character"):
    """A project with `nb_entities` assets, each with `tasks_per_entity`
    tasks (one per asset task type, cycling), all assigned to a team member.
    Returns the project id."""
    from app.models.project import Project
    from app.services.projects import status_id

    project = Project(name=name, project_status_id=status_id("Open"))
    db.session.add(project)
    db.session.flush()
    project_id = project.id
    params = {"project_id": project_id, "nb": nb_entities, "per": tasks_per_entity,
              "asset_type": asset_type}
    db.session.execute(text("""
        INSERT INTO entity (id, name, project_id, entity_type_id, data, status,
                            canceled, nb_entities_out, is_casting_standby, is_shared,
                            created_at, updated_at)
        SELECT gen_random_uuid(), 'asset_' || lpad(n::text, 6, '0'), :project_id, et.id,
               jsonb_build_object('difficulty', n % 5, 'notes', 'generated'),
               'running', false, 0, false, false, now(), now()
        FROM generate_series(1, :nb) n, entity_type et WHERE et.name = :asset_type"""),
        params)
    db.session.execute(text("""
        INSERT INTO task (id, name, project_id, entity_id, task_type_id, task_status_id,
                          priority, difficulty, duration, estimation, completion_rate,
                          retake_count, sort_order, nb_assets_ready, nb_drawings, data,
                          created_at, updated_at)
        SELECT gen_random_uuid(), 'main', :project_id, e.id, tt.id, ts.id, 0, 3, 0, 0, 0,
               0, 0, 0, 0, '{}'::jsonb, now(), now()
        FROM entity e
        CROSS JOIN LATERAL (
            SELECT id FROM task_type WHERE for_entity = 'Asset' ORDER BY priority, name
            LIMIT :per) tt
        CROSS JOIN (SELECT id FROM task_status WHERE short_name = 'todo') ts
        WHERE e.project_id = :project_id"""), params)
    db.session.commit()
    return project_id
