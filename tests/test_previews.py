"""Publishing previews: add-preview revisions, picture and file uploads,
main previews, positions, deletions, batch comments and automations."""
import io
import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.comment import CommentPreviewLink
from app.models.entity import Entity
from app.models.events import News
from app.models.files import PreviewFile
from app.models.project import ProjectStatusAutomationLink
from app.models.settings import StatusAutomation
from app.models.task import Task
from app.services import preview_store as store
from tests import factories as f
from tests.media import picture
pytest.register_assert_rewrite("tests.previews_helpers")
from tests.previews_helpers import ACTING, ACTORS, SETTING_MAIN, events_named, picture_size, stored

# The `prod` and `files` fixtures.
pytest_plugins = ["tests.previews_helpers"]


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


# add-preview ---------------------------------------------------------------------------

def test_add_preview_makes_a_processing_revision_on_the_comment(prod):
    comment = prod.comment()
    response = prod.add_preview(comment)
    assert response.status_code == 201, response.json
    preview = response.json
    assert (preview["status"], preview["revision"], preview["position"]) == \
        ("processing", 1, 1)
    assert preview["task_id"] == str(prod.task.id)
    assert preview["person_id"] == str(prod.people["assignee"].id)
    assert preview["comments"] == [comment["id"]]
    news = db.session.scalar(select(News).where(News.comment_id == comment["id"]))
    assert str(news.preview_file_id) == preview["id"]
    assert events_named("preview-file:new")[-1]["preview_file_id"] == preview["id"]
    assert events_named("comment:update")[-1]["comment_id"] == comment["id"]
    # The same comment: same revision, next position; a new comment: next revision.
    second = prod.add_preview(comment).json
    assert (second["revision"], second["position"]) == (1, 2)
    third = prod.add_preview(prod.comment()).json
    assert (third["revision"], third["position"]) == (2, 1)


def test_explicit_revision_must_be_free(prod):
    assert prod.add_preview(prod.comment(), revision=7).json["revision"] == 7
    response = prod.add_preview(prod.comment(), revision=7)
    assert response.status_code == 400 and "Revision 7" in response.json["message"]
    assert prod.add_preview(prod.comment(), revision=-1).status_code == 400
    assert prod.add_preview(prod.comment()).json["revision"] == 8


def test_single_preview_per_revision_forbids_a_second_position(prod):
    prod.project.is_single_preview_per_revision = True
    db.session.commit()
    comment = prod.comment()
    assert prod.add_preview(comment).status_code == 201
    response = prod.add_preview(comment)
    assert response.status_code == 400 and "one preview per revision" in \
        response.json["message"]


def test_comment_of_another_task_is_not_found(prod):
    other = f.task(prod.project, prod.asset, assignees=[prod.people["assignee"]])
    comment = prod.comment(task=other)
    assert prod.add_preview(comment).status_code == 404


@pytest.mark.parametrize("who", ACTORS)
def test_who_may_add_a_preview(prod, who):
    comment = prod.comment("manager")
    response = prod.add_preview(comment, who)
    assert response.status_code == (201 if who in ACTING else 403), response.json


@pytest.mark.parametrize("who", ACTORS)
def test_who_may_upload(prod, who):
    preview = prod.add_preview(prod.comment("manager"), "manager").json
    response = prod.upload(preview["id"], picture(64, 48), "a.png", who)
    assert response.status_code == (201 if who in ACTING else 403), response.json
    expected = "ready" if who in ACTING else "processing"
    assert fresh(PreviewFile, preview["id"]).status == expected


def test_anonymous_is_refused(prod, client):
    preview = prod.add_preview(prod.comment()).json
    assert client.post(f"/pictures/preview-files/{preview['id']}").status_code == 401


# Pictures ------------------------------------------------------------------------------

def test_picture_upload_builds_its_variants(prod):
    preview = prod.publish(picture(640, 360, fmt="JPEG"), "shot_v1.JPG")
    assert preview["status"] == "ready"
    assert (preview["extension"], preview["original_name"]) == ("png", "shot_v1")
    assert (preview["width"], preview["height"]) == (640, 360)
    original = stored(store.PICTURES, "original", preview["id"])
    assert preview["file_size"] == len(original) and picture_size(original) == (640, 360)
    assert picture_size(stored(store.PICTURES, "thumbnails", preview["id"])) == (150, 100)
    assert picture_size(stored(store.PICTURES, "thumbnails-square", preview["id"])) == \
        (100, 100)
    # 1200 wide, the ratio kept (a small picture is scaled up, as in Zou).
    assert picture_size(stored(store.PICTURES, "previews", preview["id"])) == (1200, 675)
    task = fresh(Task, prod.task.id)
    assert str(task.last_preview_file_id) == preview["id"]
    added = events_named("preview-file:add-file")[-1]
    assert (added["preview_file_id"], added["status"], added["extension"]) == \
        (preview["id"], "ready", "png")
    # Not automated here: the entity keeps no main preview.
    assert fresh(Entity, prod.asset.id).preview_file_id is None


def test_upload_happens_once(prod):
    preview = prod.publish(picture(32, 32), "a.png")
    again = prod.upload(preview["id"], picture(32, 32), "b.png")
    assert again.status_code == 400 and "already has its file" in again.json["message"]


def test_unreadable_picture_is_refused_and_can_be_sent_again(prod):
    preview = prod.add_preview(prod.comment()).json
    response = prod.upload(preview["id"], b"not a picture", "a.png")
    assert response.status_code == 400 and "picture" in response.json["message"]
    assert prod.upload(preview["id"], picture(20, 20), "a.png").status_code == 201


def test_unknown_extension_deletes_the_preview(prod):
    comment = prod.comment()
    preview = prod.add_preview(comment).json
    response = prod.upload(preview["id"], b"MZ...", "tool.exe")
    assert response.status_code == 400 and "exe" in response.json["message"]
    assert fresh(PreviewFile, preview["id"]) is None
    assert db.session.scalar(select(News.preview_file_id).where(
        News.comment_id == comment["id"])) is None


def test_other_files_are_kept_as_they_came(prod):
    data = b"%PDF-1.4 storyboard"
    preview = prod.publish(data, "board.pdf")
    assert (preview["status"], preview["extension"], preview["file_size"]) == \
        ("ready", "pdf", len(data))
    assert stored(store.FILES, "previews", preview["id"]) == data


def test_automated_project_sets_the_entity_main_preview(prod):
    prod.project.is_set_preview_automated = True
    db.session.commit()
    preview = prod.publish(picture(64, 64), "a.png")
    assert str(fresh(Entity, prod.asset.id).preview_file_id) == preview["id"]
    set_main = events_named("preview-file:set-main")[-1]
    assert set_main["preview_file_id"] == preview["id"] and \
        set_main["entity_id"] == str(prod.asset.id)
    assert events_named("asset:update")[-1]["asset_id"] == str(prod.asset.id)
    # A second position of the revision moves neither the task nor the entity.
    comment_id = db.session.scalar(select(CommentPreviewLink.comment).where(
        CommentPreviewLink.preview_file == preview["id"]))
    second = prod.add_preview({"id": str(comment_id)}).json
    assert prod.upload(second["id"], picture(8, 8), "b.png").status_code == 201
    assert str(fresh(Task, prod.task.id).last_preview_file_id) == preview["id"]
    assert str(fresh(Entity, prod.asset.id).preview_file_id) == preview["id"]


# Positions -------------------------------------------------------------------------------

def test_update_position_reorders_the_revision(prod):
    comment = prod.comment()
    first, second, third = (prod.add_preview(comment).json for _ in range(3))
    url = f"/actions/preview-files/{third['id']}/update-position"
    response = prod.client.put(url, headers=prod.headers["assignee"], json={"position": 1})
    assert response.status_code == 200, response.json
    assert [p["id"] for p in response.json] == [third["id"], first["id"], second["id"]]
    assert [p["position"] for p in response.json] == [1, 2, 3]
    assert prod.client.put(url, headers=prod.headers["artist"],
                           json={"position": 2}).status_code == 403
    # Out of range: nothing moves.
    response = prod.client.put(url, headers=prod.headers["assignee"], json={"position": 9})
    assert [p["id"] for p in response.json] == [third["id"], first["id"], second["id"]]


# Extra previews on a comment ----------------------------------------------------------------

def test_add_and_remove_a_preview_of_a_comment(prod):
    first = prod.publish(picture(16, 16), "a.png")
    comment = prod.comment()
    base = prod.add_preview(comment).json
    url = f"/actions/tasks/{prod.task.id}/comments/{comment['id']}/preview-files/{base['id']}"
    extra = prod.client.post(url, headers=prod.headers["assignee"])
    assert extra.status_code == 201, extra.json
    assert (extra.json["revision"], extra.json["position"]) == (base["revision"], 2)
    assert prod.client.post(url, headers=prod.headers["artist"]).status_code == 403
    prod.upload(base["id"], picture(16, 16), "b.png")
    assert str(fresh(Task, prod.task.id).last_preview_file_id) == base["id"]
    # Removing it: the task falls back on its newest other main preview; the
    # files stay (no force, no REMOVE_FILES).
    assert prod.client.delete(url, headers=prod.headers["artist"]).status_code == 403
    assert prod.client.delete(url + "?force=true",
                              headers=prod.headers["assignee"]).status_code == 403
    assert prod.client.delete(url, headers=prod.headers["assignee"]).status_code == 204
    assert fresh(PreviewFile, base["id"]) is None
    assert str(fresh(Task, prod.task.id).last_preview_file_id) == first["id"]
    assert stored(store.PICTURES, "original", base["id"]) is not None
    assert prod.client.delete(url, headers=prod.headers["assignee"]).status_code == 404
    # With force (a manager), the files go once the deletion commits.
    extra_url = url.replace(base["id"], extra.json["id"])
    prod.upload(extra.json["id"], picture(16, 16), "c.png")
    assert prod.client.delete(extra_url + "?force=true",
                              headers=prod.headers["manager"]).status_code == 204
    assert stored(store.PICTURES, "original", extra.json["id"]) is None


# CRUD and task deletion ----------------------------------------------------------------------

def test_crud_delete_of_a_preview(prod, app, monkeypatch):
    prod.project.is_set_preview_automated = True
    db.session.commit()
    older = prod.publish(picture(16, 16), "a.png")
    newer = prod.publish(picture(16, 16), "b.png")
    assert str(fresh(Entity, prod.asset.id).preview_file_id) == newer["id"]
    url = f"/data/preview-files/{newer['id']}"
    assert prod.client.delete(url, headers=prod.headers["supervisor"]).status_code == 403
    assert prod.client.delete(url, headers=prod.headers["manager"]).status_code == 204
    assert str(fresh(Entity, prod.asset.id).preview_file_id) == older["id"]
    assert str(fresh(Task, prod.task.id).last_preview_file_id) == older["id"]
    assert stored(store.PICTURES, "original", newer["id"]) is not None
    monkeypatch.setitem(app.config, "REMOVE_FILES", True)
    assert prod.client.delete(f"/data/preview-files/{older['id']}",
                              headers=prod.headers["manager"]).status_code == 204
    assert stored(store.PICTURES, "original", older["id"]) is None
    assert fresh(Entity, prod.asset.id).preview_file_id is None


def test_task_deletion_removes_preview_files(prod):
    preview = prod.publish(picture(16, 16), "a.png")
    response = prod.client.delete(f"/data/tasks/{prod.task.id}?force=true",
                                  headers=prod.headers["manager"])
    assert response.status_code == 204, response.json
    assert fresh(PreviewFile, preview["id"]) is None
    assert stored(store.PICTURES, "original", preview["id"]) is None


# Main previews -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ACTORS)
def test_who_may_set_the_main_preview(prod, who):
    preview = prod.publish(picture(16, 16), "a.png")
    response = prod.client.put(f"/actions/preview-files/{preview['id']}/set-main-preview",
                               headers=prod.headers[who], json={})
    assert response.status_code == (200 if who in SETTING_MAIN else 403), response.json
    if who in SETTING_MAIN:
        assert response.json["preview_file_id"] == preview["id"]
        assert response.json["preview_file_status"] == "ready"
        assert str(fresh(Entity, prod.asset.id).preview_file_id) == preview["id"]
        assert events_named("preview-file:set-main")[-1]["preview_file_id"] == preview["id"]


def test_frame_number_is_for_movies(prod):
    preview = prod.publish(picture(16, 16), "a.png")
    response = prod.client.put(f"/actions/preview-files/{preview['id']}/set-main-preview",
                               headers=prod.headers["manager"], json={"frame_number": 3})
    assert response.status_code == 400


def test_task_and_batch_set_main_preview(prod):
    other_task = f.task(prod.project, f.asset(prod.project), prod.task_type,
                        assignees=[prod.people["assignee"]], task_status_id=prod.status.id)
    empty_task = f.task(prod.project, prod.asset, prod.task_type)
    url = f"/actions/tasks/{prod.task.id}/set-main-preview"
    assert prod.client.put(url, headers=prod.headers["manager"]).status_code == 400
    first = prod.publish(picture(16, 16), "a.png")
    second = prod.publish(picture(16, 16), "b.png", task=other_task)
    assert prod.client.put(url, headers=prod.headers["client"]).status_code == 403
    response = prod.client.put(url, headers=prod.headers["artist"])
    assert response.status_code == 200 and response.json["preview_file_id"] == first["id"]
    batch = "/actions/tasks/set-main-preview"
    ids = [str(prod.task.id), str(other_task.id), str(empty_task.id)]
    assert prod.client.put(batch, headers=prod.headers["client"],
                           json={"task_ids": ids}).status_code == 403
    assert prod.client.put(batch, headers=prod.headers["manager"],
                           json={"task_ids": []}).status_code == 400
    response = prod.client.put(batch, headers=prod.headers["manager"], json={"task_ids": ids})
    assert response.status_code == 200
    assert sorted(e["preview_file_id"] for e in response.json) == \
        sorted([first["id"], second["id"]])
    assert str(fresh(Entity, other_task.entity_id).preview_file_id) == second["id"]


# Running previews --------------------------------------------------------------------------

def test_running_previews_are_for_admins(prod):
    done = prod.publish(picture(16, 16), "a.png")
    waiting = [prod.add_preview(prod.comment()).json for _ in range(2)]
    url = "/data/playlists/preview-files/running"
    assert prod.client.get(url, headers=prod.headers["manager"]).status_code == 403
    rows = prod.client.get(url, headers=prod.headers["admin"]).json
    ids = [r["id"] for r in rows]
    assert waiting[0]["id"] in ids and waiting[1]["id"] in ids and done["id"] not in ids
    mine = next(r for r in rows if r["id"] == waiting[1]["id"])
    assert mine["project_id"] == str(prod.project.id)
    assert mine["task_type_id"] == str(prod.task_type.id)
    assert mine["full_entity_name"].endswith(prod.asset.name)
    limited = prod.client.get(url + "?limit=1", headers=prod.headers["admin"]).json
    assert len(limited) == 1
    after = prod.client.get(f"{url}?cursor_preview_file_id={rows[0]['id']}",
                            headers=prod.headers["admin"]).json
    assert rows[0]["id"] not in [r["id"] for r in after]


# Batch comments and automations -------------------------------------------------------------

def test_batch_comment_publishes_previews(prod):
    comments = [{"task_id": str(prod.task.id), "task_status_id": str(prod.status.id),
                 "text": "one"},
                {"task_id": str(prod.task.id), "task_status_id": str(prod.status.id),
                 "text": "two"}]
    response = prod.client.post(
        "/actions/tasks/batch-comment", headers=prod.headers["assignee"],
        content_type="multipart/form-data",
        data={"comments": json.dumps(comments),
              "preview_file-0-0": (io.BytesIO(picture(40, 30)), "a.png"),
              "preview_file-0-1": (io.BytesIO(b"%PDF"), "b.pdf"),
              "preview_file-1-0": (io.BytesIO(b"??"), "c.exe")})
    assert response.status_code == 201, response.json
    first, second = response.json
    assert [(p["revision"], p["position"], p["extension"], p["status"])
            for p in first["preview_files"]] == [(1, 1, "png", "ready"), (1, 2, "pdf", "ready")]
    assert second["preview_files"] == []
    assert db.session.scalar(select(PreviewFile.id).where(
        PreviewFile.task_id == prod.task.id, PreviewFile.extension == "mp4")) is None


def test_automation_imports_the_last_revision(prod):
    target_type = f.task_type(department_id=prod.department.id)
    target = f.task(prod.project, prod.asset, target_type, task_status_id=prod.status.id)
    trigger = f.task_status(is_artist_allowed=True)
    ready = f.task_status()
    automation = f.row(StatusAutomation, entity_type="asset", in_task_type_id=prod.task_type.id,
                       in_task_status_id=trigger.id, out_field_type="status",
                       out_task_type_id=target_type.id, out_task_status_id=ready.id,
                       import_last_revision=True)
    f.row(ProjectStatusAutomationLink, project_id=prod.project.id,
          status_automation_id=automation.id)
    preview = prod.publish(picture(30, 20), "a.png")
    response = prod.client.post(f"/actions/tasks/{prod.task.id}/comment",
                                headers=prod.headers["assignee"],
                                json={"task_status_id": str(trigger.id), "comment": "go"})
    assert response.status_code == 201, response.json
    copy = db.session.scalar(select(PreviewFile).where(PreviewFile.task_id == target.id))
    assert (copy.revision, copy.status, copy.extension, copy.width) == (1, "ready", "png", 30)
    assert stored(store.PICTURES, "original", copy.id) == \
        stored(store.PICTURES, "original", preview["id"])
    assert fresh(Task, target.id).last_preview_file_id == copy.id


def test_deleting_a_comment_takes_its_previews(prod):
    prod.project.is_set_preview_automated = True
    db.session.commit()
    older = prod.publish(picture(16, 16), "a.png")
    newer = prod.publish(picture(16, 16), "b.png")
    comment_id = db.session.scalar(select(CommentPreviewLink.comment).where(
        CommentPreviewLink.preview_file == newer["id"]))
    response = prod.client.delete(f"/data/tasks/{prod.task.id}/comments/{comment_id}",
                                  headers=prod.headers["assignee"])
    assert response.status_code == 204, response.json
    assert fresh(PreviewFile, newer["id"]) is None
    assert str(fresh(Task, prod.task.id).last_preview_file_id) == older["id"]
    assert str(fresh(Entity, prod.asset.id).preview_file_id) == older["id"]


def test_a_late_revision_does_not_push_a_newer_one_aside(prod):
    late = prod.add_preview(prod.comment()).json
    newer = prod.publish(picture(16, 16), "b.png")
    assert prod.upload(late["id"], picture(16, 16), "a.png").status_code == 201
    assert str(fresh(Task, prod.task.id).last_preview_file_id) == newer["id"]


def test_the_file_field_is_found_among_others(prod):
    preview = prod.add_preview(prod.comment()).json
    url = f"/pictures/preview-files/{preview['id']}"
    headers = prod.headers["assignee"]
    missing = prod.client.post(url, headers=headers, content_type="multipart/form-data",
                               data={"other": (io.BytesIO(b"x"), "a.png"), "name": "v"})
    assert missing.status_code == 400 and "'file'" in missing.json["message"]
    assert prod.client.post(url, headers=headers, json={}).status_code == 400
    data = picture(30, 20)
    response = prod.client.post(url, headers=headers, content_type="multipart/form-data",
                                data={"name": "v", "file": (io.BytesIO(data), "a.png"),
                                      "after": "--x"})
    assert response.status_code == 201 and response.json["width"] == 30


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(prod, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    preview = prod.add_preview(prod.comment()).json
    response = prod.upload(preview["id"], picture(200, 200, fmt="BMP"), "big.png")
    assert response.status_code == 413
    assert response.json["error"] is True
    assert db.session.get(PreviewFile, preview["id"]).status == "processing"
