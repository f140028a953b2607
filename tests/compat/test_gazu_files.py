"""gazu 1.3.1's file functions (gazu.files, gazu.entity.guess_from_path)
against a real server: what a DCC pipeline does with working files,
publications and the project's file tree."""
import threading

import gazu
import pytest
from gazu.exception import NotAllowedException, ParameterException

from app.services import file_trees
from tests.compat.conftest import unique


def slug(name):
    return file_trees.slug(name)


@pytest.fixture
def pipeline(admin, production):
    """The views' production on the simple file tree, with a software and
    an output type of its own."""
    p = production
    gazu.files.update_project_file_tree(p["project"], file_trees.built_in("simple"),
                                        client=admin)
    software = gazu.files.new_software(unique("Maya"), "ma", ".ma", client=admin)
    cache = gazu.files.new_output_type(unique("Cache"), "cch", client=admin)
    return dict(p, software=software, cache=cache)


def test_working_files(admin, pipeline, tmp_path):
    p, artist = pipeline, pipeline["client"]
    project, modeling = slug(p["project"]["name"]), slug(p["modeling"]["name"])
    folder = (f"/simple/productions/{project}/assets/{slug(p['prop']['name'])}/"
              f"{slug(p['asset']['name'])}/{modeling}/{slug(p['software']['name'])}")
    name = f"{project}_{slug(p['prop']['name'])}_{slug(p['asset']['name'])}_{modeling}_main_v"
    assert gazu.files.build_working_file_path(p["asset_task"], software=p["software"],
                                              revision=2, client=artist) == \
        f"{folder}/{name}002"

    first = gazu.files.new_working_file(p["asset_task"], software=p["software"],
                                        comment="blocking", client=artist)
    second = gazu.files.new_working_file(p["asset_task"], software=p["software"],
                                         client=artist)
    other = gazu.files.new_working_file(p["asset_task"], name="props", client=artist)
    assert (first["revision"], second["revision"], other["revision"]) == (1, 2, 1)
    assert first["path"] == f"{folder}/{name}001"
    assert (first["person_id"], first["comment"]) == (p["artist"]["id"], "blocking")
    with pytest.raises(ParameterException):
        gazu.files.new_working_file(p["asset_task"], revision=2, software=p["software"],
                                    client=artist)

    last = gazu.files.get_last_working_files(p["asset_task"], client=artist)
    assert {k: v["id"] for k, v in last.items()} == {"main": second["id"],
                                                      "props": other["id"]}
    assert gazu.files.get_last_working_file_revision(p["asset_task"], client=artist)["id"] \
        == second["id"]
    assert [w["id"] for w in gazu.files.get_working_files_for_task(
        p["asset_task"], client=admin)][:2] == [second["id"], first["id"]]
    assert {w["id"] for w in gazu.files.get_all_working_files_for_entity(
        p["asset"], client=admin)} == {first["id"], second["id"], other["id"]}
    assert gazu.files.get_working_file(first["id"], client=artist)["path"] == first["path"]

    assert gazu.files.update_comment(first, "fixed", client=artist)["comment"] == "fixed"
    touched = gazu.files.update_modification_date(first, client=artist)
    assert touched["updated_at"] >= first["updated_at"]

    scene = tmp_path / "scene.ma"
    scene.write_bytes(b"//Maya ASCII scene\n" * 50000)
    assert gazu.files.upload_working_file(first, str(scene), client=artist)["id"] == first["id"]
    copy = tmp_path / "copy.ma"
    gazu.files.download_working_file(first, str(copy), client=admin)
    assert copy.read_bytes() == scene.read_bytes()

    # Someone else's task is not the artist's to write on.
    with pytest.raises(NotAllowedException):
        gazu.files.new_working_file(p["spare"], client=artist)


def test_concurrent_revisions_never_collide(admin, pipeline):
    results, errors = [], []

    def make():
        try:
            results.append(gazu.files.new_working_file(pipeline["shot_task"], name="race",
                                                       client=admin)["revision"])
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, 9))


def test_entity_outputs(admin, pipeline):
    p, artist = pipeline, pipeline["client"]
    assert p["cache"]["id"] in {t["id"] for t in gazu.files.all_output_types(client=artist)}
    assert gazu.files.get_output_type_by_name(p["cache"]["name"], client=artist)["id"] == \
        p["cache"]["id"]
    assert gazu.files.get_next_entity_output_revision(p["shot"], p["cache"], p["layout"],
                                                      client=artist) == 1
    working = gazu.files.new_working_file(p["shot_task"], client=artist)
    first = gazu.files.new_entity_output_file(
        p["shot"], p["cache"], p["layout"], "first cache", working_file=working,
        representation="abc", nb_elements=1, client=artist)
    second = gazu.files.new_entity_output_file(p["shot"], p["cache"], p["layout"], "again",
                                               representation="abc", client=artist)
    assert (first["revision"], second["revision"]) == (1, 2)
    assert first["source_file_id"] == working["id"]
    status = gazu.client.fetch_first("file-status", {"name": "To review"}, client=admin)
    assert first["file_status_id"] == status["id"]
    project, layout = slug(p["project"]["name"]), slug(p["layout"]["name"])
    folder = (f"/simple/productions/export/{project}/shots/sq01/sh010/{layout}/"
              f"{slug(p['cache']['name'])}")
    assert (first["folder_path"], first["path"]) == (
        folder, f"{folder}/{project}_sq01_sh010_{layout}_{slug(p['cache']['name'])}_main_v001")
    assert gazu.files.build_entity_output_file_path(
        p["shot"], p["cache"], p["layout"], client=artist) == \
        f"{folder}/{project}_sq01_sh010_{layout}_{slug(p['cache']['name'])}_main_v003"
    assert gazu.files.get_last_entity_output_revision(p["shot"], p["cache"], p["layout"],
                                                      client=artist) == 2

    assert [o["id"] for o in gazu.files.all_output_files_for_entity(
        p["shot"], output_type=p["cache"], client=artist)] == [second["id"], first["id"]]
    assert [o["id"] for o in gazu.files.get_last_output_files_for_entity(
        p["shot"], task_type=p["layout"], client=artist)] == [second["id"]]
    assert [t["id"] for t in gazu.files.all_output_types_for_entity(
        p["shot"], client=artist)] == [p["cache"]["id"]]
    assert gazu.files.get_output_file(first["id"], client=artist)["id"] == first["id"]
    assert gazu.files.get_output_file_by_path(first["path"], client=admin)["id"] == first["id"]
    assert gazu.files.update_output_file(first, {"comment": "checked"}, client=artist)[
        "comment"] == "checked"
    assert {o["id"] for o in gazu.files.all_output_files_for_project(
        p["project"], client=admin)} == {first["id"], second["id"]}
    # Artists publish on the entities they work on only.
    with pytest.raises(NotAllowedException):
        gazu.files.new_entity_output_file(p["sequence"], p["cache"], p["layout"], "no",
                                          client=artist)


def test_asset_instance_outputs(admin, pipeline):
    p, artist = pipeline, pipeline["client"]
    instance = gazu.client.create("asset-instances", {
        "asset_id": p["asset"]["id"], "number": 2, "name": "lamp_b"}, client=admin)
    assert gazu.files.get_next_asset_instance_output_revision(
        instance, p["shot"], p["cache"], p["layout"], client=artist) == 1
    made = gazu.files.new_asset_instance_output_file(
        instance, p["shot"], p["cache"], p["layout"], "anim", representation="abc",
        client=artist)
    project, layout, cache = (slug(p["project"]["name"]), slug(p["layout"]["name"]),
                              slug(p["cache"]["name"]))
    assert made["folder_path"] == (
        f"/simple/productions/export/{project}/shot/sq01/sh010/{layout}/{cache}/"
        f"{slug(p['prop']['name'])}/{slug(p['asset']['name'])}/instance_0002/abc")
    assert made["file_name"] == f"{project}_sq01_sh010_{layout}_{cache}_master_lamp_b_v001"
    assert gazu.files.get_last_asset_instance_output_revision(
        instance, p["shot"], p["cache"], p["layout"], client=artist) == 1
    assert gazu.files.build_asset_instance_output_file_path(
        instance, p["shot"], p["cache"], p["layout"], name="master", representation="abc",
        client=artist) == f"{made['folder_path']}/{made['file_name'][:-1]}2"
    assert [o["id"] for o in gazu.files.all_output_files_for_asset_instance(
        instance, temporal_entity=p["shot"], client=artist)] == [made["id"]]
    assert [o["id"] for o in gazu.files.get_last_output_files_for_asset_instance(
        instance, p["shot"], client=artist)] == [made["id"]]
    assert [t["id"] for t in gazu.files.all_output_types_for_asset_instance(
        instance, p["shot"], client=artist)] == [p["cache"]["id"]]


def test_guess_from_path(admin, pipeline):
    p = pipeline
    path = gazu.files.build_working_file_path(p["shot_task"], software=p["software"],
                                              client=admin)
    assert gazu.entity.guess_from_path(p["project"]["id"], path, client=admin) == [{
        "Template": "shot", "Project": p["project"]["id"], "Sequence": p["sequence"]["id"],
        "Shot": p["shot"]["id"], "TaskType": p["layout"]["id"],
        "Software": p["software"]["id"]}]
