"""ShotGrid records as ShotGrid's API returns them (the fields Zou's
importer reads), and a client for the /import/shotgun routes."""


def link(kind, sg_id, name=None):
    out = {"type": kind, "id": sg_id}
    if name is not None:
        out["name"] = name
    return out


def project(sg_id, name, status="Active", **extra):
    return {"type": "Project", "id": sg_id, "name": name, "sg_status": status, **extra}


def person(sg_id, first, last, email, group="Artist", department=None, status="act"):
    return {"type": "HumanUser", "id": sg_id, "firstname": first, "lastname": last,
            "email": email, "login": f"{first.lower()}.{last.lower()}",
            "sg_status_list": status,
            "permission_rule_set": {"type": "PermissionRuleSet", "id": 1, "name": group},
            "department": {"type": "Department", "id": 9, "name": department}
            if department else None}


def step(sg_id, code, entity_type="Shot", color="255,128,0", short_name=""):
    return {"type": "Step", "id": sg_id, "code": code, "short_name": short_name,
            "color": color, "entity_type": entity_type}


def status(sg_id, name, code, bg_color="0,128,255"):
    return {"type": "Status", "id": sg_id, "name": name, "code": code, "bg_color": bg_color}


def asset(sg_id, code, project_, asset_type, description=None, parents=()):
    return {"type": "Asset", "id": sg_id, "code": code, "description": description,
            "sg_asset_type": asset_type, "project": project_,
            "parents": [link("Asset", p) for p in parents]}


def episode(sg_id, code, project_, description=None):
    return {"type": "Episode", "id": sg_id, "code": code, "description": description,
            "project": project_}


def sequence(sg_id, code, project_, episode_id=None, description=None):
    return {"type": "Sequence", "id": sg_id, "code": code, "description": description,
            "project": project_,
            "episode": link("Episode", episode_id) if episode_id else None}


def scene(sg_id, code, project_, sequence_id=None):
    return {"type": "Scene", "id": sg_id, "code": code, "project": project_,
            "sequence_sg_scenes_1_sequences": [link("Sequence", sequence_id)]
            if sequence_id else []}


def shot(sg_id, code, project_, sequence_id, cut_in=None, duration=None, assets=None,
         scene_id=None, **extra):
    out = {"type": "Shot", "id": sg_id, "code": code, "description": None,
           "project": project_, "sg_sequence": link("Sequence", sequence_id),
           "sg_scene": link("Scene", scene_id) if scene_id else None,
           "sg_cut_in": cut_in, "sg_cut_duration": duration, **extra}
    if assets is not None:
        out["assets"] = [link("Asset", a) for a in assets]
    return out


def task(sg_id, name, project_id, entity, step_id, status_code, assignees=(),
         created_by=None, start=None, due=None, sort_order=None, duration=None):
    return {"type": "Task", "id": sg_id, "cached_display_name": name, "content": name,
            "project": link("Project", project_id), "entity": entity,
            "step": link("Step", step_id) if step_id else None,
            "sg_status_list": status_code,
            "task_assignees": [link("HumanUser", p) for p in assignees],
            "created_by": link("HumanUser", created_by) if created_by else None,
            "start_date": start, "due_date": due, "sg_sort_order": sort_order,
            "duration": duration}


def note(sg_id, task_ids, user_id, content, created_at="2024-03-04T09:30:00Z"):
    return {"type": "Note", "id": sg_id, "content": content,
            "tasks": [link("Task", t) for t in task_ids], "user": link("HumanUser", user_id),
            "created_at": created_at}


def version(sg_id, code, task_id, user_id=None, description=None, movie=None):
    return {"type": "Version", "id": sg_id, "code": code, "description": description,
            "sg_task": link("Task", task_id) if task_id else None,
            "user": link("HumanUser", user_id) if user_id else None,
            "sg_uploaded_movie": movie}


def connection(sg_id, project_id, person_id):
    return {"type": "ProjectUserConnection", "id": sg_id,
            "project": link("Project", project_id), "user": link("HumanUser", person_id)}


def send(client, headers, kind, records):
    """POST /import/shotgun/<kind>; the answer's rows."""
    response = client.post(f"/import/shotgun/{kind}", json=records, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def remove(client, headers, singular, sg_id):
    response = client.post(f"/import/shotgun/remove/{singular}", json={"id": sg_id},
                           headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def errors(client, headers):
    response = client.get("/import/shotgun/errors", headers=headers)
    assert response.status_code == 200, response.json
    return response.json
