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


# Breakdown productions -------------------------------------------------------
# Shaped like the productions Kitsu users have: a film of sequences and
# shots with frame ranges, a library of assets, one task per pipeline step,
# every task assigned, and each shot cast with about ten assets.

SHOT_STEPS = ("Storyboard", "Previz", "Layout", "Camera", "Blocking", "Animation", "Spline",
              "Polish", "Lip Sync", "Cloth", "Hair", "Crowd", "FX", "Matte Painting",
              "Lighting", "Rendering", "Roto", "Paint", "Compositing", "Grading")
ASSET_STEPS = ("Concept", "Modeling", "Sculpting", "Retopo", "UV", "Texturing", "Shading",
               "Lookdev", "Grooming", "Rigging", "Blendshapes", "Cloth Setup", "FX Setup",
               "Set Dressing", "Turntable")
ASSET_TYPES = ("Character", "Prop", "Environment", "FX")
_CHARACTER_NAMES = ("Ava", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Greta", "Hugo",
                    "Ines", "Jonas", "Kira", "Leon", "Maya", "Nils", "Olga", "Pavel")
_THINGS = ("Lantern", "Sword", "Chair", "Crate", "Barrel", "Rope", "Map", "Boat", "Forest",
           "Castle", "Harbor", "Market", "Smoke", "Rain", "Sparks", "Dust")


def new_project(name):
    from app.models.project import Project
    from app.services.projects import status_id

    project = Project(name=name, project_status_id=status_id("Open"), fps="24",
                      resolution="1920x1080")
    db.session.add(project)
    db.session.flush()
    return project.id


def steps(project_id, names, for_entity):
    """The task types of a pipeline (created when missing), linked to the
    project with their order as priority."""
    params = {"names": list(names), "for_entity": for_entity, "project_id": project_id}
    db.session.execute(text("""
        INSERT INTO task_type (id, name, for_entity, priority, color, allow_timelog, archived,
                               created_at, updated_at)
        SELECT gen_random_uuid(), n.name, :for_entity, n.position, '#78909C', true, false,
               now(), now()
        FROM unnest(CAST(:names AS text[])) WITH ORDINALITY n(name, position)
        WHERE NOT EXISTS (SELECT 1 FROM task_type t
                          WHERE t.name = n.name AND t.for_entity = :for_entity)"""), params)
    db.session.execute(text("""
        INSERT INTO project_task_type_link (id, project_id, task_type_id, priority,
                                            created_at, updated_at)
        SELECT DISTINCT ON (n.position) gen_random_uuid(), :project_id, t.id, n.position,
               now(), now()
        FROM unnest(CAST(:names AS text[])) WITH ORDINALITY n(name, position)
        JOIN task_type t ON t.name = n.name AND t.for_entity = :for_entity
        ORDER BY n.position, t.created_at"""), params)


def new_team(project_id, size, prefix):
    """`size` artists on the project's team; returns their ids."""
    from app.models.person import Person
    from app.models.project import ProjectPersonLink

    people = [Person(first_name=f"{prefix}{n}", last_name="Artist", role="user",
                     email=f"{prefix.lower()}{n}@bench.example.com", contract_type="open-ended",
                     is_bot=False, is_guest=False, active=True) for n in range(1, size + 1)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(ProjectPersonLink(project_id=project_id, person_id=p.id)
                       for p in people)
    db.session.flush()
    return [p.id for p in people]


def _assets(project_id, nb, ready_for_step=None):
    """`nb` assets spread over the asset types, named like Kitsu libraries
    (Character_Ava_012, Prop_Lantern_003...)."""
    db.session.execute(text("""
        INSERT INTO entity (id, name, description, project_id, entity_type_id, data, status,
                            canceled, nb_entities_out, is_casting_standby, is_shared,
                            ready_for, created_at, updated_at)
        SELECT gen_random_uuid(),
               et.name || '_' || CASE WHEN et.name = 'Character'
                   THEN (CAST(:characters AS text[]))[1 + n % 16]
                   ELSE (CAST(:things AS text[]))[1 + n % 16] END
                   || '_' || lpad((n / 16 + 1)::text, 3, '0'),
               'Generated ' || lower(et.name), :project_id, et.id,
               jsonb_build_object('difficulty', 1 + n % 5, 'vendor', 'internal',
                                  'polycount', 1000 * (n % 97)),
               'running', false, 0, false, false,
               (SELECT id FROM task_type WHERE name = :ready_for AND for_entity = 'Shot'
                LIMIT 1),
               now(), now()
        FROM generate_series(0, :nb - 1) n
        JOIN entity_type et ON et.name = (CAST(:types AS text[]))[1 + n % 4]"""),
        {"project_id": project_id, "nb": nb, "types": list(ASSET_TYPES),
         "characters": list(_CHARACTER_NAMES), "things": list(_THINGS),
         "ready_for": ready_for_step})


def _tasks(project_id, for_entity, team_ids):
    """One task per pipeline step of the project for each of its entities of
    that kind (assets when for_entity is Asset), each with an assignee."""
    kind = ("et.name NOT IN ('Episode', 'Sequence', 'Shot', 'Scene', 'Edit', 'Concept')"
            if for_entity == "Asset" else "et.name = :for_entity")
    db.session.execute(text(f"""
        WITH statuses AS (
            SELECT array_agg(id ORDER BY priority, name) AS ids FROM task_status
            WHERE for_concept IS NOT TRUE AND archived IS NOT TRUE)
        INSERT INTO task (id, name, project_id, entity_id, task_type_id, task_status_id,
                          priority, difficulty, duration, estimation, completion_rate,
                          retake_count, sort_order, nb_assets_ready, nb_drawings, data,
                          start_date, due_date, created_at, updated_at)
        SELECT gen_random_uuid(), 'main', :project_id, e.id, l.task_type_id,
               s.ids[1 + abs(hashtext(e.id::text || l.task_type_id::text))
                     % cardinality(s.ids)],
               0, 1 + l.priority % 5, 0, 28800 * (1 + l.priority % 4), 0, 0, 0, 0, 0,
               jsonb_build_object('bid_days', 1 + l.priority % 4),
               now() + (l.priority || ' days')::interval,
               now() + (l.priority + 5 || ' days')::interval, now(), now()
        FROM entity e
        JOIN entity_type et ON et.id = e.entity_type_id
        JOIN project_task_type_link l ON l.project_id = e.project_id
        JOIN task_type tt ON tt.id = l.task_type_id AND tt.for_entity = :for_entity
        CROSS JOIN statuses s
        WHERE e.project_id = :project_id AND {kind}"""),
        {"project_id": project_id, "for_entity": for_entity})
    db.session.execute(text("""
        INSERT INTO task_person_link (task_id, person_id)
        SELECT t.id, (CAST(:team AS uuid[]))[1 + abs(hashtext(t.id::text)) % :size]
        FROM task t JOIN task_type tt ON tt.id = t.task_type_id
        WHERE t.project_id = :project_id AND tt.for_entity = :for_entity"""),
        {"project_id": project_id, "for_entity": for_entity, "team": [str(i) for i in team_ids],
         "size": len(team_ids)})


def shot_production(name, nb_sequences=40, shots_per_sequence=50, nb_assets=400,
                    cast_per_shot=10, team_size=40):
    """A film: sequences of shots (frame ranges in data), one task per shot
    step (20), a small asset library and each shot cast with
    `cast_per_shot` of its assets. Returns the project id."""
    project_id = new_project(name)
    steps(project_id, SHOT_STEPS, "Shot")
    team = new_team(project_id, team_size, f"Shot{name.replace(' ', '')}")
    params = {"project_id": project_id, "nb_sequences": nb_sequences,
              "per": shots_per_sequence, "cast": cast_per_shot}
    db.session.execute(text("""
        INSERT INTO entity (id, name, project_id, entity_type_id, data, status, canceled,
                            nb_entities_out, is_casting_standby, is_shared, created_at,
                            updated_at)
        SELECT gen_random_uuid(), 'SQ' || lpad((n * 10)::text, 3, '0'), :project_id, et.id,
               '{}'::jsonb, 'running', false, 0, false, false, now(), now()
        FROM generate_series(1, :nb_sequences) n, entity_type et
        WHERE et.name = 'Sequence'"""), params)
    db.session.execute(text("""
        INSERT INTO entity (id, name, description, project_id, entity_type_id, parent_id,
                            nb_frames, data, status, canceled, nb_entities_out,
                            is_casting_standby, is_shared, created_at, updated_at)
        SELECT gen_random_uuid(), 'SH' || lpad((k * 10)::text, 4, '0'),
               seq.name || ' shot ' || k, :project_id, et.id, seq.id, f.frames,
               jsonb_build_object('frame_in', 1001, 'frame_out', 1000 + f.frames, 'fps', '24',
                                  'camera', 'cam_' || k % 5, 'resolution', '1920x1080'),
               'running', false, :cast, false, false, now(), now()
        FROM entity seq
        JOIN entity_type st ON st.id = seq.entity_type_id AND st.name = 'Sequence'
        CROSS JOIN generate_series(1, :per) k
        CROSS JOIN LATERAL (SELECT 24 + abs(hashtext(seq.name || k)) % 200 AS frames) f
        JOIN entity_type et ON et.name = 'Shot'
        WHERE seq.project_id = :project_id"""), params)
    _assets(project_id, nb_assets, ready_for_step="Animation")
    # Shot n gets assets n*7 + k*37 (mod the library): 37 is prime to any
    # library size used here, so a shot's assets are distinct.
    db.session.execute(text("""
        WITH library AS (
            SELECT array_agg(e.id ORDER BY e.name) AS ids FROM entity e
            JOIN entity_type et ON et.id = e.entity_type_id
            WHERE e.project_id = :project_id AND et.name = ANY(CAST(:types AS text[]))),
        shots AS (
            SELECT e.id, row_number() OVER (ORDER BY e.name, e.id) AS n FROM entity e
            JOIN entity_type et ON et.id = e.entity_type_id
            WHERE e.project_id = :project_id AND et.name = 'Shot')
        INSERT INTO entity_link (id, entity_in_id, entity_out_id, nb_occurences, label,
                                 created_at, updated_at)
        SELECT gen_random_uuid(), s.id,
               l.ids[1 + (s.n * 7 + k * 37) % cardinality(l.ids)], 1 + k % 3,
               CASE WHEN k = 1 THEN 'hero' ELSE '' END, now(), now()
        FROM shots s CROSS JOIN library l CROSS JOIN generate_series(1, :cast) k"""),
        {**params, "types": list(ASSET_TYPES)})
    _tasks(project_id, "Shot", team)
    db.session.commit()
    return project_id


def asset_production(name, nb_assets=5000, team_size=60):
    """An asset-heavy production: `nb_assets` assets with one task per asset
    step (15), every task assigned. Returns the project id."""
    project_id = new_project(name)
    steps(project_id, ASSET_STEPS, "Asset")
    team = new_team(project_id, team_size, f"Asset{name.replace(' ', '')}")
    _assets(project_id, nb_assets)
    _tasks(project_id, "Asset", team)
    db.session.commit()
    return project_id
