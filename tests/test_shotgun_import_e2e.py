"""A small ShotGrid production brought across in dependency order, then
read back through the API Kitsu uses: what a studio leaving ShotGrid
gets on its first morning."""
from tests import factories as f
from tests import shotgun_helpers as sg

PROJECT = sg.link("Project", 1, "Night Train")


def _import(client, admin):
    """The routes in the order ShotGrid's data depends on itself."""
    def send(kind, records):
        return sg.send(client, admin, kind, records)

    send("projects", [sg.project(1, "Night Train", sg_delivery="2025-06")])
    send("persons", [sg.person(11, "Ana", "Lima", "ana@train.example", department="Anim"),
                     sg.person(12, "Bo", "Chen", "bo@train.example", group="Manager")])
    send("steps", [sg.step(21, "Model", "Asset"), sg.step(22, "Anim", "Shot")])
    send("status", [sg.status(31, "Waiting", "wtg"), sg.status(32, "In Progress", "ip"),
                    sg.status(33, "Final", "fin")])
    send("assets", [sg.asset(41, "Conductor", PROJECT, "Character", "Grumpy"),
                    sg.asset(42, "Lamp", PROJECT, "Prop"),
                    sg.asset(43, "Carriage", PROJECT, "Set")])
    send("sequences", [sg.sequence(51, "SQ010", PROJECT)])
    send("shots", [sg.shot(61, "SH0010", PROJECT, 51, cut_in=1001, duration=24, assets=[41, 42]),
                   sg.shot(62, "SH0020", PROJECT, 51, cut_in=1001, duration=36, assets=[43]),
                   sg.shot(63, "SH0030", PROJECT, 51, cut_in=1001, duration=12)])
    send("tasks", [
        sg.task(71, "Model", 1, sg.link("Asset", 41), 21, "fin", assignees=[11]),
        sg.task(72, "Anim", 1, sg.link("Shot", 61), 22, "ip", assignees=[11, 12],
                due="2025-02-28"),
        sg.task(73, "Anim", 1, sg.link("Shot", 62), 22, "wtg")])
    send("notes", [sg.note(81, [72], 12, "Slower on the turn", "2025-02-10T16:00:00Z")])
    send("versions", [sg.version(91, "sh0010_anim_v001", 72, 11, "Blocking",
                                 {"url": "https://sg.example/sh0010.mov",
                                  "name": "sh0010_anim_v001.mov"})])
    send("project-connections", [sg.connection(101, 1, 11), sg.connection(102, 1, 12)])


def test_a_shotgrid_production_reads_back_through_the_kitsu_api(client):
    _, admin = f.signed_in(client, "admin")
    _import(client, admin)
    assert sg.errors(client, admin) == []

    def get(url):
        response = client.get(url, headers=admin)
        assert response.status_code == 200, (url, response.json)
        return response.json

    project = next(p for p in get("/data/projects/open") if p["name"] == "Night Train")
    assert project["data"] == {"sg_delivery": "2025-06"}
    # The production's settings switch on what its tasks and assets use.
    names = {t["id"]: t["name"] for t in get("/data/task-types")} | \
        {s["id"]: s["short_name"] for s in get("/data/task-status")} | \
        {t["id"]: t["name"] for t in get("/data/entity-types")}
    assert sorted(names[i] for i in project["task_types"]) == ["Anim", "Model"]
    assert sorted(names[i] for i in project["task_statuses"]) == ["fin", "ip", "wtg"]
    assert sorted(names[i] for i in project["asset_types"]) == ["Character", "Prop", "Set"]
    persons = {p["email"]: p for p in get("/data/persons")}
    ana, bo = persons["ana@train.example"], persons["bo@train.example"]
    assert (ana["full_name"], ana["role"], bo["role"]) == ("Ana Lima", "user", "manager")
    assert set(project["team"]) == {ana["id"], bo["id"]}

    assets = {a["name"]: a for a in get(f"/data/projects/{project['id']}/assets")}
    assert sorted(assets) == ["Carriage", "Conductor", "Lamp"]
    types = {t["id"]: t["name"] for t in get("/data/asset-types")}
    assert {n: types[a["entity_type_id"]] for n, a in assets.items()} == {
        "Carriage": "Set", "Conductor": "Character", "Lamp": "Prop"}
    assert assets["Conductor"]["description"] == "Grumpy"

    shots = {s["name"]: s for s in get(f"/data/projects/{project['id']}/shots")}
    assert sorted(shots) == ["SH0010", "SH0020", "SH0030"]
    assert {(s["sequence_name"], s["nb_frames"], s["data"]["frame_in"], s["data"]["frame_out"])
            for s in shots.values()} == {("SQ010", 24, 1001, 1025), ("SQ010", 36, 1001, 1037),
                                         ("SQ010", 12, 1001, 1013)}
    cast = get(f"/data/shots/{shots['SH0010']['id']}/assets")
    assert sorted((a["asset_name"], a["asset_type_name"], a["nb_occurences"]) for a in cast) \
        == [("Conductor", "Character", 1), ("Lamp", "Prop", 1)]

    statuses = {s["id"]: s["short_name"] for s in get("/data/task-status")}
    task_types = {t["id"]: t["name"] for t in get("/data/task-types")}
    [anim] = get(f"/data/shots/{shots['SH0010']['id']}/tasks?relations=true")
    assert (task_types[anim["task_type_id"]], statuses[anim["task_status_id"]],
            sorted(anim["assignees"]), anim["due_date"]) == (
        "Anim", "ip", sorted([ana["id"], bo["id"]]), "2025-02-28T00:00:00")
    [waiting] = get(f"/data/shots/{shots['SH0020']['id']}/tasks?relations=true")
    assert statuses[waiting["task_status_id"]] == "wtg" and waiting["assignees"] == []
    [model] = get(f"/data/assets/{assets['Conductor']['id']}/tasks?relations=true")
    assert (statuses[model["task_status_id"]], model["assignees"]) == ("fin", [ana["id"]])

    [comment] = get(f"/data/tasks/{anim['id']}/comments")
    assert (comment["text"], comment["person_id"], comment["created_at"],
            statuses[comment["task_status_id"]]) == (
        "Slower on the turn", bo["id"], "2025-02-10T16:00:00", "ip")
    task = get(f"/data/tasks/{anim['id']}")
    assert task["last_comment_date"] == "2025-02-10T16:00:00"

    # Grouped by task type, as Kitsu's shot page reads them.
    [[listed]] = get(f"/data/shots/{shots['SH0010']['id']}/preview-files").values()
    assert (listed["task_id"], listed["task_type_id"], listed["revision"]) == (
        anim["id"], anim["task_type_id"], 1)
    version = get(f"/data/preview-files/{listed['id']}")
    assert (version["name"], version["person_id"], version["description"],
            version["uploaded_movie_url"]) == (
        "sh0010_anim_v001", ana["id"], "Blocking", "https://sg.example/sh0010.mov")

    # The same export imported again changes nothing and doubles nothing.
    _import(client, admin)
    assert len(get(f"/data/projects/{project['id']}/shots")) == 3
    assert len(get(f"/data/projects/{project['id']}/assets")) == 3
    assert len(get(f"/data/tasks/{anim['id']}/comments")) == 1
    assert sg.errors(client, admin) == []
