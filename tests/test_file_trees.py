"""Project file trees (behaviours.md row 20): the built-in trees give the
paths Zou gave, custom trees are checked when set, paths read back into
ids (guess-from-path)."""
import json
import os

import pytest

from app.extensions import db
from app.models.project import Project
from app.models.settings import Department, OutputType, Software
from app.services import file_trees
from tests import factories as f
from tests.files_helpers import build, slug_name

ZOU_TREES = "/work/ref/zouenv/lib/python3.11/site-packages/zou/app/file_trees"


def working_path(client, prod, task, **body):
    response = client.post(f"/data/tasks/{task.id}/working-file-path",
                           json={"name": "main", **body}, headers=prod.headers("admin"))
    assert response.status_code == 200, response.json
    return response.json


def set_tree(client, prod, tree):
    return client.put(f"/data/projects/{prod.project.id}", json={"file_tree": tree},
                      headers=prod.headers("admin"))


@pytest.mark.skipif(not os.path.isdir(ZOU_TREES), reason="the reference Zou is not installed")
@pytest.mark.parametrize("name", file_trees.BUILT_IN)
def test_built_in_trees_mean_what_zous_do(name):
    with open(os.path.join(ZOU_TREES, f"{name}.json")) as stream:
        zou = json.load(stream)
    ours = file_trees.built_in(name)
    # Zou's default tree misspells one token (<OuputType>, an error on use).
    typo = zou["output"]["file_name"]["sequence"]
    zou["output"]["file_name"]["sequence"] = typo.replace("<OuputType>", "<OutputType>")
    assert ours == zou
    assert file_trees.checked(ours) == ours


def test_simple_tree_paths_for_a_shot_and_an_asset(client):
    prod = build(client, file_tree=file_trees.built_in("simple"))
    project = slug_name(prod.project)
    shot = working_path(client, prod, prod.shot_task, revision=3)
    assert shot == {
        "path": f"/simple/productions/{project}/shots/sq01/sh010/{slug_name(prod.layout)}/"
                "3ds_max",
        "name": f"{project}_sq01_sh010_{slug_name(prod.layout)}_main_v003"}
    asset = working_path(client, prod, prod.asset_task, name="Sculpt Pass", separator="\\")
    assert asset == {
        "path": f"/simple\\productions\\{project}\\assets\\{slug_name(prod.character)}\\"
                f"big_bob\\{slug_name(prod.modeling)}\\3ds_max",
        "name": f"{project}_{slug_name(prod.character)}_big_bob_{slug_name(prod.modeling)}"
                "_sculpt_pass_v001"}


def test_a_project_without_tree_uses_the_default_one(client):
    prod = build(client)
    assert prod.project.file_tree is None
    project = slug_name(prod.project)
    assert working_path(client, prod, prod.shot_task) == {
        "path": f"/simple/productions/{project}/shots/sq01/sh010/{slug_name(prod.layout)}",
        "name": f"{project}_sh010_{slug_name(prod.layout)}"}


def test_a_built_in_tree_is_set_by_its_name_and_custom_ones_are_checked(client):
    prod = build(client)
    response = set_tree(client, prod, "simple")
    assert response.status_code == 200
    assert response.json["file_tree"] == file_trees.built_in("simple")
    db.session.expire_all()
    assert db.session.get(Project, prod.project.id).file_tree == file_trees.built_in("simple")

    good = {"working": {"mountpoint": "/mnt", "root": "", "folder_path": {
        "shot": "<Project>/<Sequence>/<Shot>/<Task.id>", "style": "uppercase"},
        "file_name": {"shot": "<Shot>_<Task.id>_v<Revision>", "style": "uppercase"}}}
    assert set_tree(client, prod, good).status_code == 200
    task_id = str(prod.shot_task.id)
    assert working_path(client, prod, prod.shot_task) == {
        "path": f"/mnt/{slug_name(prod.project).upper()}/SQ01/SH010/{task_id}",
        "name": f"SH010_{task_id}_V001"}

    for tree, message in (
            ({}, "file_tree must be an object"),
            ([1], "file_tree must be an object"),
            ("fancy", "Unknown file tree 'fancy'"),
            ({"working": []}, "file_tree.working must be an object"),
            ({"working": {"root": "", "folder_path": {}, "file_name": {}}},
             "file_tree.working.mountpoint must be a string"),
            ({"working": {**good["working"], "folder_path": {"shot": "<Shots>"}}},
             "file_tree.working.folder_path.shot: unknown token <Shots>"),
            ({"working": {**good["working"], "file_name": {"shot": "<Shot.code>"}}},
             "file_tree.working.file_name.shot: unknown field in <Shot.code>"),
            ({"working": {**good["working"], "file_name": {"shots": "<Shot>"}}},
             "file_tree.working.file_name.shots: unknown entity kind"),
            ({"working": {**good["working"], "file_name": {"style": "camel"}}},
             "file_tree.working.file_name.style must be one of"),
            ({"working": {**good["working"], "file_name": {"shot": 3}}},
             "file_tree.working.file_name.shot must be a string")):
        response = set_tree(client, prod, tree)
        assert response.status_code == 400, tree
        assert response.json["message"].startswith(message), response.json
    db.session.expire_all()
    assert db.session.get(Project, prod.project.id).file_tree == good


def test_a_tree_without_the_section_or_template_asked_is_a_400(client):
    prod = build(client, file_tree={"working": {"mountpoint": "/m", "root": "r", "folder_path":
                                                {"asset": "<Asset>"}, "file_name": {}}})
    response = client.post(f"/data/tasks/{prod.shot_task.id}/working-file-path",
                           json={}, headers=prod.headers("admin"))
    assert response.status_code == 400
    assert response.json["message"] == \
        "The project's file tree has no working.folder_path.shot template."
    response = client.post(f"/data/tasks/{prod.shot_task.id}/working-file-path",
                           json={"mode": "publish"}, headers=prod.headers("admin"))
    assert response.status_code == 400
    assert "no 'publish' section" in response.json["message"]


@pytest.mark.parametrize("value, expected", [
    ("Big Bob", "big_bob"), ("Élan d'or-2", "elan_dor_2"), ("  SH 010 !!", "sh_010"),
    ("1,000 frames", "1000_frames"), ("a--b__c", "a_b_c"), ("", "")])
def test_slugs(value, expected):
    assert file_trees.slug(value) == expected


def test_episodes_sequences_and_instances_in_paths(client):
    tree = {"output": {"mountpoint": "/o", "root": "", "folder_path": {
        "shot": "<Episode>/<Sequence>/<Shot>/<OutputType>/<Department>",
        "asset": "<Episode>/<AssetType>/<Asset>/<TaskType>/<Software>",
        "instance": "<TemporalEntityType>/<Asset>/<Instance>/<Instance.number>/"
                    "<Representation>"},
        "file_name": {"shot": "<Shot>_<Name>", "asset": "<Asset>_<OutputType>",
                      "instance": "<TemporalEntity>_<Instance>_v<Version>"}}}
    prod = build(client, file_tree=tree)
    episode = f.temporal(prod.project, "Episode", name="EP02")
    sequence = f.temporal(prod.project, "Sequence", parent=episode, name="Seq7")
    shot = f.temporal(prod.project, "Shot", parent=sequence, name="SH020")
    cache = f.row(OutputType,
                  name=f.unique("Cache"), short_name="c")
    department_name = file_trees.slug(db.session.get(
        Department, prod.layout.department_id).name)
    body = {"output_type_id": str(cache.id), "task_type_id": str(prod.layout.id),
            "name": "Anim Cache"}
    response = client.post(f"/data/entities/{shot.id}/output-file-path", json=body,
                           headers=prod.headers("admin"))
    assert response.json == {
        # A "SeqN" sequence is written S00N, as Zou's trees did.
        "folder_path": f"/o/ep02/s007/sh020/{file_trees.slug(cache.name)}/{department_name}",
        "file_name": "sh020_anim_cache"}
    response = client.post(f"/data/entities/{prod.asset.id}/output-file-path", json=body,
                           headers=prod.headers("admin"))
    # No episode: Zou's e001; no software: Zou's 3dsmax.
    assert response.json["folder_path"] == (
        f"/o/e001/{slug_name(prod.character)}/big_bob/{slug_name(prod.layout)}/3dsmax")
    instance = f.asset_instance(prod.asset, name=None, number=7)
    response = client.post(
        f"/data/asset-instances/{instance.id}/entities/{shot.id}/output-file-path",
        json={**body, "representation": "ABC", "revision": 4}, headers=prod.headers("admin"))
    assert response.json == {"folder_path": "/o/shot/big_bob/0007/0007/abc",
                             "file_name": "sh020_0007_v004"}


def guess(client, prod, path, **body):
    response = client.post("/data/entities/guess_from_path",
                           json={"project_id": str(prod.project.id), "file_path": path, **body},
                           headers=prod.headers("admin"))
    assert response.status_code == 200, response.json
    return response.json


def test_guess_from_path_reads_the_ids_back(client):
    prod = build(client, file_tree=file_trees.built_in("simple"))
    blender = file_trees.default_row(Software, name="Blender",
        short_name="blender", file_extension=".blend")
    shot_path = working_path(client, prod, prod.shot_task,
                             software_id=str(blender.id))["path"]
    assert guess(client, prod, shot_path + "/scene_v001.blend") == [{
        "Template": "shot", "Project": str(prod.project.id), "Sequence": str(prod.sequence.id),
        "Shot": str(prod.shot.id), "TaskType": str(prod.layout.id),
        "Software": str(blender.id)}]
    asset_path = working_path(client, prod, prod.asset_task, separator="\\")["path"]
    assert guess(client, prod, asset_path, sep="\\") == [{
        "Template": "asset", "Project": str(prod.project.id),
        "AssetType": str(prod.character.id), "Asset": str(prod.asset.id),
        "TaskType": str(prod.modeling.id),
        # The software working-file-path names when none is given (Zou's 3ds Max).
        "Software": str(file_trees.default_row(Software, name="3ds Max", short_name="max",
                                               file_extension=".max").id)}]
    # Reading stops at a folder naming nothing in the project.
    assert guess(client, prod, f"/simple/productions/{slug_name(prod.project)}/shots/sq99/"
                               "sh010/layout") == [
        {"Template": "shot", "Project": str(prod.project.id)}]
    # Another production's path gives none of its ids.
    other = f.project(name=f.unique("Other Film"))
    assert guess(client, prod, f"/simple/productions/{slug_name(other)}/shots/sq01/sh010") == [
        {"Template": "shot"}]
    assert guess(client, prod, "/elsewhere/file.ma") == []
    response = client.post("/data/entities/guess-from-path", json={
        "project_id": str(prod.project.id)}, headers=prod.headers("admin"))
    assert (response.status_code, response.json["message"]) == (
        400, "Field 'file_path' is required.")


def test_a_stored_tree_sent_back_unchanged_is_not_checked_again(client):
    """gazu's update_project sends the whole project, tree included: a tree
    stored before (Zou's default, misspelt token and all) must not block it."""
    legacy = file_trees.built_in("default")
    legacy["output"]["file_name"]["sequence"] = "<Project>_<Sequence>_<OuputType>_<OutputFile>"
    prod = build(client, file_tree=legacy)
    project = client.get(f"/data/projects/{prod.project.id}", headers=prod.headers("admin")).json
    response = client.put(f"/data/projects/{prod.project.id}",
                          json={**project, "description": "Season 2"},
                          headers=prod.headers("admin"))
    assert (response.status_code, response.json["description"]) == (200, "Season 2")
    changed = {**legacy, "working": {**legacy["working"], "root": "other"}}
    response = set_tree(client, prod, changed)
    assert response.status_code == 400
    assert "unknown token <OuputType>" in response.json["message"]
