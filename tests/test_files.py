"""Working files and output files (behaviours.md row 20): revisions,
paths, lists, binaries and events."""
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.files import OutputFile, WorkingFile
from app.models.settings import FileStatus, Software
from app.models.task import TaskPersonLink
from app.services import accounts, file_trees, storage
from tests import factories as f
from tests.files_helpers import api_events, build, files_dir, output_type, slug_name

__all__ = ["files_dir"]  # the fixture, used by name


@pytest.fixture
def prod(client):
    return build(client, file_tree=file_trees.built_in("simple"))


def post(client, prod, url, role="admin", **body):
    return client.post(url, json=body, headers=prod.headers(role))


def new_working_file(client, prod, task, role="admin", **body):
    return post(client, prod, f"/data/tasks/{task.id}/working-files/new", role,
                **{"name": "main", **body})


def get(client, prod, url, role="admin"):
    response = client.get(url, headers=prod.headers(role))
    assert response.status_code == 200, response.json
    return response.json


# Working files -----------------------------------------------------------------------

def test_working_file_revisions_count_per_task_and_name(client, prod):
    first = new_working_file(client, prod, prod.shot_task, "assignee", comment="blocking")
    assert first.status_code == 201, first.json
    blender = db.session.scalars(select(Software).where(Software.name == "Blender")).one()
    project, layout = slug_name(prod.project), slug_name(prod.layout)
    assert {k: first.json[k] for k in ("type", "name", "revision", "comment", "task_id",
                                       "entity_id", "person_id", "software_id", "path")} == {
        "type": "WorkingFile", "name": "main", "revision": 1, "comment": "blocking",
        "task_id": str(prod.shot_task.id), "entity_id": str(prod.shot.id),
        "person_id": str(prod.person("assignee").id), "software_id": str(blender.id),
        "path": f"/simple/productions/{project}/shots/sq01/sh010/{layout}/blender/"
                f"{project}_sq01_sh010_{layout}_main_v001"}
    second = new_working_file(client, prod, prod.shot_task, "assignee")
    other_name = new_working_file(client, prod, prod.shot_task, "assignee", name="props")
    other_task = new_working_file(client, prod, prod.asset_task, "assignee")
    assert [r.json["revision"] for r in (second, other_name, other_task)] == [2, 1, 1]
    # An explicit revision is taken as it is; the next ones follow it.
    assert new_working_file(client, prod, prod.shot_task, revision=10).json["revision"] == 10
    assert new_working_file(client, prod, prod.shot_task).json["revision"] == 11
    duplicate = new_working_file(client, prod, prod.shot_task, revision=2)
    assert (duplicate.status_code, duplicate.json["message"]) == (
        400, "The given working file already exists.")
    assert [e.data["working_file_id"] for e in api_events("working-file:new")] == [
        first.json["id"], second.json["id"], other_name.json["id"], other_task.json["id"],
        *[r["id"] for r in get(client, prod, f"/data/tasks/{prod.shot_task.id}/working-files")
          if r["revision"] in (10, 11)][::-1]]
    assert {str(e.project_id) for e in api_events("working-file:new")} == {str(prod.project.id)}


def test_making_a_working_file_assigns_the_caller(client, prod):
    manager = prod.person("manager")
    made = new_working_file(client, prod, prod.shot_task, "manager",
                            software_id=str(f.row(Software, name=f.unique("Maya"),
                                                  short_name="ma", file_extension=".ma").id))
    assert made.status_code == 201
    assert db.session.scalar(select(TaskPersonLink.person_id).where(
        TaskPersonLink.task_id == prod.shot_task.id, TaskPersonLink.person_id == manager.id))
    assert [(e.data["task_id"], e.data["person_id"]) for e in api_events("task:assign")] == [
        (str(prod.shot_task.id), str(manager.id))]
    # Already assigned: no second assignation.
    new_working_file(client, prod, prod.shot_task, "manager")
    new_working_file(client, prod, prod.shot_task, "assignee")
    assert len(api_events("task:assign")) == 1


def test_authors_and_softwares_are_checked(client, prod):
    artist = prod.person("assignee")
    signed = new_working_file(client, prod, prod.shot_task, "manager", person_id=str(artist.id))
    assert signed.json["person_id"] == str(artist.id)
    refused = new_working_file(client, prod, prod.shot_task, "assignee",
                               person_id=str(prod.person("manager").id))
    assert refused.status_code == 403
    for body, message in (
            ({"software_id": "6f1e2d3c-0000-4000-8000-000000000000"},
             "Field 'software_id': no software has the id 6f1e2d3c-0000-4000-8000-000000000000."),
            ({"person_id": "6f1e2d3c-0000-4000-8000-000000000000"}, "Cannot find given person."),
            ({"name": ""}, "Field 'name' cannot be empty."),
            ({"revision": -1}, "Field 'revision' must be at least 0.")):
        response = new_working_file(client, prod, prod.shot_task, "manager", **body)
        assert (response.status_code, response.json["message"]) == (400, message)
    assert db.session.scalar(select(WorkingFile.id).where(
        WorkingFile.person_id == prod.person("manager").id)) is None


def test_working_file_lists(client, prod):
    made = [new_working_file(client, prod, prod.shot_task, name=name).json
            for name in ("main", "main", "props", "main")]
    asset_file = new_working_file(client, prod, prod.asset_task).json
    listed = get(client, prod, f"/data/tasks/{prod.shot_task.id}/working-files", "client")
    assert [(r["name"], r["revision"]) for r in listed][:2] == [("main", 3), ("main", 2)]
    assert sorted(r["id"] for r in listed) == sorted(r["id"] for r in made)
    last = get(client, prod, f"/data/tasks/{prod.shot_task.id}/working-files/last-revisions",
               "artist")
    assert {name: row["id"] for name, row in last.items()} == {
        "main": made[3]["id"], "props": made[2]["id"]}
    by_entity = get(client, prod, f"/data/entities/{prod.shot.id}/working-files")
    assert sorted(r["id"] for r in by_entity) == sorted(r["id"] for r in made)
    narrowed = get(client, prod, f"/data/entities/{prod.shot.id}/working-files?name=props"
                                 f"&task_id={prod.shot_task.id}")
    assert [r["id"] for r in narrowed] == [made[2]["id"]]
    assert [r["id"] for r in get(client, prod, f"/data/entities/{prod.asset.id}/working-files")
            ] == [asset_file["id"]]


def test_comment_and_modification_date(client, prod):
    made = new_working_file(client, prod, prod.shot_task, "assignee").json
    row = db.session.get(WorkingFile, made["id"])
    row.updated_at = row.updated_at.replace(year=2020)
    db.session.commit()
    response = client.put(f"/actions/working-files/{made['id']}/comment",
                          json={"comment": "fixed the rig"}, headers=prod.headers("assignee"))
    assert (response.status_code, response.json["comment"]) == (200, "fixed the rig")
    response = client.put(f"/actions/working-files/{made['id']}/modified",
                          headers=prod.headers("assignee"))
    assert response.status_code == 200
    assert response.json["updated_at"][:4] != "2020"
    db.session.expire_all()
    assert db.session.get(WorkingFile, made["id"]).comment == "fixed the rig"
    missing = client.put(f"/actions/working-files/{made['id']}/comment", json={},
                         headers=prod.headers("assignee"))
    assert (missing.status_code, missing.json["message"]) == (400, "Field 'comment' is required.")
    assert len(api_events("working-file:update")) == 2


def test_binary_upload_and_download(client, prod, files_dir):
    made = new_working_file(client, prod, prod.shot_task, "assignee").json
    url = f"/data/working-files/{made['id']}/file"
    assert client.get(url, headers=prod.headers("assignee")).status_code == 404
    payload = bytes(range(256)) * 8192  # 2 MB
    response = client.post(url, data={"file": (io.BytesIO(payload), "scene.blend")},
                           headers=prod.headers("assignee"))
    assert (response.status_code, response.json["id"]) == (201, made["id"])
    with storage.backend().open("files", f"working-{made['id']}") as stored:
        assert stored.read() == payload
    download = client.get(url, headers=prod.headers("client"))
    assert (download.status_code, download.mimetype) == (200, "application/octet-stream")
    assert download.data == payload
    ranged = client.get(url, headers={**prod.headers("assignee"), "Range": "bytes=0-3"})
    assert (ranged.status_code, ranged.data) == (206, payload[:4])
    assert client.post(url, data={}, headers=prod.headers("assignee")).status_code == 400
    # The binary goes with its row, once the deletion has committed.
    assert client.delete(f"/data/working-files/{made['id']}",
                         headers=prod.headers("admin")).status_code == 204
    assert not storage.backend().exists("files", f"working-{made['id']}")


def test_file_by_id(client, prod):
    working = new_working_file(client, prod, prod.shot_task).json
    cache = output_type()
    output = post(client, prod, f"/data/entities/{prod.shot.id}/output-files/new",
                  output_type_id=str(cache.id), task_type_id=str(prod.layout.id),
                  working_file_id=working["id"]).json
    found = get(client, prod, f"/data/files/{working['id']}", "artist")
    assert (found["type"], found["outputs"]) == ("WorkingFile", [output["id"]])
    found = get(client, prod, f"/data/files/{output['id']}", "artist")
    assert (found["type"], found["source_file_id"]) == ("OutputFile", working["id"])
    missing = client.get("/data/files/6f1e2d3c-0000-4000-8000-000000000000",
                         headers=prod.headers("admin"))
    assert missing.status_code == 404


def test_raw_working_file_updates_are_task_actions(client, prod):
    made = new_working_file(client, prod, prod.shot_task, "assignee").json
    url = f"/data/working-files/{made['id']}"
    assert client.put(url, json={"comment": "ok"}, headers=prod.headers("assignee")) \
        .status_code == 200
    assert client.put(url, json={"comment": "no"}, headers=prod.headers("artist")) \
        .status_code == 403
    assert client.get(url, headers=prod.headers("vendor")).status_code == 403
    assert client.get("/data/working-files", headers=prod.headers("vendor")).status_code == 403


# Output files ------------------------------------------------------------------------

def output_body(cache, task_type, **values):
    return {"output_type_id": str(cache.id), "task_type_id": str(task_type.id), **values}


def test_output_file_revisions_paths_and_default_status(client, prod):
    cache = output_type()
    url = f"/data/entities/{prod.shot.id}/output-files/new"
    first = post(client, prod, url, "assignee", **output_body(
        cache, prod.layout, comment="v1", extension=".abc", representation="abc",
        nb_elements=3))
    assert first.status_code == 201, first.json
    status = db.session.scalars(select(FileStatus).where(FileStatus.name == "To review")).one()
    project, layout, kind = slug_name(prod.project), slug_name(prod.layout), slug_name(cache)
    folder = f"/simple/productions/export/{project}/shots/sq01/sh010/{layout}/{kind}"
    file_name = f"{project}_sq01_sh010_{layout}_{kind}_main_v001_[1-3]"
    assert {k: first.json[k] for k in (
        "type", "revision", "name", "representation", "extension", "nb_elements", "comment",
        "file_status_id", "person_id", "entity_id", "asset_instance_id", "path",
        "folder_path", "file_name")} == {
        "type": "OutputFile", "revision": 1, "name": "main", "representation": "abc",
        "extension": ".abc", "nb_elements": 3, "comment": "v1", "file_status_id": str(status.id),
        "person_id": str(prod.person("assignee").id), "entity_id": str(prod.shot.id),
        "asset_instance_id": None, "path": f"{folder}/{file_name}.abc",
        "folder_path": folder, "file_name": file_name}
    # Revisions count per (entity, output type, task type, name), whatever the
    # representation; a revision is unique with its representation.
    assert post(client, prod, url, **output_body(cache, prod.layout, representation="fbx")) \
        .json["revision"] == 2
    same = post(client, prod, url, **output_body(cache, prod.layout, representation="abc",
                                                 revision=2))
    assert (same.status_code, same.json["revision"]) == (201, 2)
    again = post(client, prod, url, **output_body(cache, prod.layout, representation="abc",
                                                  revision=2))
    assert (again.status_code, again.json["message"]) == (
        400, "The given output file already exists.")
    assert post(client, prod, url, **output_body(cache, prod.layout, name="hair")) \
        .json["revision"] == 1
    next_revision = post(client, prod, f"/data/entities/{prod.shot.id}/output-files/"
                                       "next-revision", **output_body(cache, prod.layout))
    assert next_revision.json == {"next_revision": 3}
    path = post(client, prod, f"/data/entities/{prod.shot.id}/output-file-path",
                **output_body(cache, prod.layout, separator="/"))
    assert path.json == {"folder_path": folder,
                         "file_name": f"{project}_sq01_sh010_{layout}_{kind}_main_v003"}
    assert len(api_events("output-file:new")) == 4
    assert {str(e.project_id) for e in api_events("output-file:new")} == {str(prod.project.id)}


def test_output_file_inputs_are_checked(client, prod):
    cache = output_type()
    url = f"/data/entities/{prod.shot.id}/output-files/new"
    unknown = "6f1e2d3c-0000-4000-8000-000000000000"
    for body, message in (
            ({"task_type_id": str(prod.layout.id)}, "Field 'output_type_id' is required."),
            (output_body(cache, prod.layout, output_type_id=unknown),
             "Cannot find given output type."),
            (output_body(cache, prod.layout, task_type_id=unknown),
             f"Field 'task_type_id': nothing has the id {unknown}."),
            (output_body(cache, prod.layout, working_file_id=unknown),
             f"Field 'working_file_id': nothing has the id {unknown}."),
            (output_body(cache, prod.layout, file_status_id=unknown),
             f"Field 'file_status_id': nothing has the id {unknown}."),
            (output_body(cache, prod.layout, nb_elements=0),
             "Field 'nb_elements' must be at least 1.")):
        response = post(client, prod, url, **body)
        assert (response.status_code, response.json["message"]) == (400, message)
    chosen = f.file_status()
    made = post(client, prod, url, **output_body(cache, prod.layout,
                                                  file_status_id=str(chosen.id)))
    assert made.json["file_status_id"] == str(chosen.id)
    assert db.session.scalar(select(OutputFile.id).where(
        OutputFile.entity_id == prod.shot.id).where(OutputFile.file_status_id != chosen.id)) \
        is None


def test_output_file_lists(client, prod):
    cache, render = output_type(), output_type()
    url = f"/data/entities/{prod.asset.id}/output-files/new"
    made = []
    for output_kind, task_type, values in (
            (cache, prod.modeling, {"representation": "abc"}),
            (cache, prod.modeling, {"representation": "abc"}),
            (cache, prod.modeling, {"representation": "fbx", "revision": 2}),
            (render, prod.modeling, {"name": "turn"}),
            (cache, prod.layout, {})):
        made.append(post(client, prod, url, **output_body(output_kind, task_type, **values)).json)
    instance = f.asset_instance(prod.asset)
    post(client, prod, f"/data/asset-instances/{instance.id}/entities/{prod.shot.id}/"
                       "output-files/new", **output_body(cache, prod.layout))
    ids = [m["id"] for m in made]
    base = f"/data/entities/{prod.asset.id}"
    listed = get(client, prod, f"{base}/output-files", "client")
    assert sorted(r["id"] for r in listed) == sorted(ids)
    assert [r["revision"] for r in listed][:1] == [2]
    assert sorted(r["id"] for r in get(
        client, prod, f"{base}/output-files?output_type_id={cache.id}&representation=abc")) \
        == sorted(ids[:2])
    assert [r["id"] for r in get(client, prod, f"{base}/output-files?name=turn")] == [ids[3]]
    last = get(client, prod, f"{base}/output-files/last-revisions", "artist")
    assert sorted(r["id"] for r in last) == sorted([ids[1], ids[2], ids[3], ids[4]])
    last = get(client, prod, f"{base}/output-files/last-revisions?task_type_id="
                             f"{prod.modeling.id}&representation=abc")
    assert [r["id"] for r in last] == [ids[1]]
    types = get(client, prod, f"{base}/output-types")
    assert [t["id"] for t in types] == sorted([str(cache.id), str(render.id)],
                                              key=lambda i: {str(cache.id): cache.name,
                                                             str(render.id): render.name}[i])
    by_type = get(client, prod, f"{base}/output-types/{cache.id}/output-files?representation=fbx")
    assert [r["id"] for r in by_type] == [ids[2]]
    project_files = get(client, prod, f"/data/projects/{prod.project.id}/output-files",
                        "manager")
    assert sorted(r["id"] for r in project_files) == sorted(ids)
    assert [r["id"] for r in get(client, prod, f"/data/projects/{prod.project.id}/output-files"
                                               f"?task_type_id={prod.layout.id}")] == [ids[4]]
    assert client.get(f"{base}/output-types/6f1e2d3c-0000-4000-8000-000000000000/output-files",
                      headers=prod.headers("admin")).status_code == 404


def test_asset_instance_outputs(client, prod):
    cache = output_type()
    instance = f.asset_instance(prod.asset, name="bob_a", number=3)
    other_shot = f.temporal(prod.project, "Shot", parent=prod.sequence, name="SH020")
    base = f"/data/asset-instances/{instance.id}/entities/{prod.shot.id}"
    first = post(client, prod, f"{base}/output-files/new", "assignee",
                 **output_body(cache, prod.layout, representation="abc", name="anim"))
    assert first.status_code == 201, first.json
    project, layout, kind = slug_name(prod.project), slug_name(prod.layout), slug_name(cache)
    folder = (f"/simple/productions/export/{project}/shot/sq01/sh010/{layout}/{kind}/"
              f"{slug_name(prod.character)}/big_bob/instance_0003/abc")
    assert {k: first.json[k] for k in ("revision", "entity_id", "asset_instance_id",
                                       "temporal_entity_id", "folder_path", "file_name")} == {
        "revision": 1, "entity_id": str(prod.asset.id), "asset_instance_id": str(instance.id),
        "temporal_entity_id": str(prod.shot.id), "folder_path": folder,
        "file_name": f"{project}_sq01_sh010_{layout}_{kind}_anim_bob_a_v001"}
    second = post(client, prod, f"{base}/output-files/new",
                  **output_body(cache, prod.layout, representation="abc", name="anim")).json
    elsewhere = post(client, prod, f"/data/asset-instances/{instance.id}/entities/"
                                   f"{other_shot.id}/output-files/new",
                     **output_body(cache, prod.layout, name="anim")).json
    assert (second["revision"], elsewhere["revision"]) == (2, 1)
    # The asset's own series is apart from its instances'.
    assert post(client, prod, f"/data/entities/{prod.asset.id}/output-files/next-revision",
                **output_body(cache, prod.layout, name="anim")).json == {"next_revision": 1}
    assert post(client, prod, f"{base}/output-files/next-revision",
                **output_body(cache, prod.layout, name="anim")).json == {"next_revision": 3}
    assert [r["id"] for r in get(client, prod, f"{base}/output-files/last-revisions")] == [
        second["id"]]
    assert [t["id"] for t in get(client, prod, f"{base}/output-types")] == [str(cache.id)]
    assert [r["id"] for r in get(client, prod, f"{base}/output-types/{cache.id}/output-files")
            ] == [second["id"], first.json["id"]]
    every = get(client, prod, f"/data/asset-instances/{instance.id}/output-files")
    assert sorted(r["id"] for r in every) == sorted([first.json["id"], second["id"],
                                                     elsewhere["id"]])
    narrowed = get(client, prod, f"/data/asset-instances/{instance.id}/output-files"
                                 f"?temporal_entity_id={other_shot.id}")
    assert [r["id"] for r in narrowed] == [elsewhere["id"]]
    path = post(client, prod, f"{base}/output-file-path",
                **output_body(cache, prod.layout, name="anim", representation="abc"))
    assert path.json == {"folder_path": folder,
                         "file_name": f"{project}_sq01_sh010_{layout}_{kind}_anim_bob_a_v003"}
    assert get(client, prod, f"/data/entities/{prod.asset.id}/output-files") == []


def test_raw_output_file_updates_are_for_people_working_on_the_entity(client, prod):
    cache = output_type()
    made = post(client, prod, f"/data/entities/{prod.shot.id}/output-files/new",
                **output_body(cache, prod.layout)).json
    url = f"/data/output-files/{made['id']}"
    for role, status in (("assignee", 200), ("manager", 200), ("artist", 403),
                         ("client", 403), ("vendor", 200)):
        response = client.put(url, json={"comment": role}, headers=prod.headers(role))
        assert response.status_code == status, role
    assert client.get("/data/output-files", headers=prod.headers("vendor")).status_code == 403


def test_unknown_and_malformed_ids(client, prod):
    unknown = "6f1e2d3c-0000-4000-8000-000000000000"
    cache = output_type()
    for method, url, body in (
            ("get", f"/data/tasks/{unknown}/working-files", None),
            ("post", f"/data/tasks/{unknown}/working-files/new", {}),
            ("get", f"/data/entities/{unknown}/working-files", None),
            ("put", f"/actions/working-files/{unknown}/modified", {}),
            ("get", f"/data/working-files/{unknown}/file", None),
            ("get", f"/data/entities/{unknown}/output-files", None),
            ("post", f"/data/entities/{unknown}/output-files/new", output_body(cache, prod.layout)),
            ("get", f"/data/asset-instances/{unknown}/output-files", None),
            ("get", f"/data/asset-instances/{f.asset_instance(prod.asset).id}/entities/{unknown}"
                    "/output-types", None),
            ("post", "/data/entities/guess-from-path", {"project_id": unknown, "file_path": "/x"})):
        response = getattr(client, method)(url, json=body, headers=prod.headers("admin"))
        assert response.status_code == 404, url
    response = client.get("/data/tasks/not-an-id/working-files", headers=prod.headers("admin"))
    assert (response.status_code, response.json["message"]) == (400, "Malformed task id.")


def test_a_pipeline_bot_is_assigned_only_where_bots_collaborate(client, prod):
    bot, token = accounts.create_bot("Publisher", "publisher@bots.example", role="manager")
    f.join_team(prod.project, bot)
    headers = f.bearer(token)
    url = f"/data/tasks/{prod.shot_task.id}/working-files/new"
    assert client.post(url, json={}, headers=headers).status_code == 201
    assert api_events("task:assign") == []
    prod.project.is_bot_collaboration_enabled = True
    db.session.commit()
    assert client.post(url, json={}, headers=headers).status_code == 201
    assert [e.data["person_id"] for e in api_events("task:assign")] == [str(bot.id)]
