"""gazu 1.3.1's comment functions (gazu.task, gazu.files) against a real
server: what a review script does with a task's conversation."""
import gazu
import pytest
from gazu.exception import NotAllowedException, RouteNotFoundException


@pytest.fixture
def review(admin, production):
    """The task views' production: an asset's modeling task assigned to a
    signed-in artist, and its layout task assigned to nobody."""
    def status(name):
        return gazu.client.fetch_first("task-status", {"name": name}, client=admin)

    p = production
    return dict(project=p["project"], artist=p["artist"], artist_client=p["client"],
                task=p["asset_task"], sibling=p["spare"], todo=status("Todo"),
                wip=status("Work In Progress"), done=status("Done"))


def test_comment_thread(admin, review, tmp_path):
    r, artist = review, review["artist_client"]
    first = gazu.task.add_comment(r["task"], r["wip"], "Started", client=artist)
    assert (first["task_status_id"], first["person_id"]) == (r["wip"]["id"],
                                                             r["artist"]["id"])
    assert gazu.task.get_task(r["task"]["id"], client=admin)["task_status_id"] == \
        r["wip"]["id"]
    note = tmp_path / "note.txt"
    note.write_bytes(b"fix the ears")
    second = gazu.task.add_comment(r["task"], r["done"], "Done", attachments=[str(note)],
                                   checklist=[{"text": "ears", "checked": False}],
                                   client=admin)
    comments = gazu.task.all_comments_for_task(r["task"], client=artist)
    assert [c["id"] for c in comments] == [second["id"], first["id"]]
    assert comments[0]["attachment_files"][0]["name"] == "note.txt"
    assert gazu.task.get_last_comment_for_task(r["task"], client=admin)["id"] == second["id"]

    # The artist ticks the checklist of the manager's comment.
    full = gazu.task.get_comment(second["id"], client=artist)
    full["checklist"] = [{"text": "ears", "checked": True}]
    updated = gazu.task.update_comment(full, client=artist)
    assert updated["checklist"][0]["checked"] is True
    full["text"] = "Not mine"
    with pytest.raises(NotAllowedException):
        gazu.task.update_comment(full, client=artist)

    acked = gazu.task.acknowledge_comment(r["task"], second, client=artist)
    assert acked["acknowledgements"] == [r["artist"]["id"]]
    reply = gazu.task.reply_to_comment(r["task"], second, "Thanks", client=artist)
    assert reply["text"] == "Thanks" and reply["person"]["id"] == r["artist"]["id"]
    assert gazu.task.get_comment(second["id"], client=admin)["replies"][0]["id"] == reply["id"]
    gazu.task.delete_comment_reply(r["task"], second, reply, client=artist)
    assert gazu.task.get_comment(second["id"], client=admin)["replies"] == []

    extra = tmp_path / "extra.txt"
    extra.write_bytes(b"more")
    added = gazu.task.add_attachment_files_to_comment(r["task"], second, [str(extra)],
                                                      client=admin)
    assert [a["name"] for a in added] == ["extra.txt"]
    listed = gazu.files.get_all_attachment_files_for_task(r["task"], client=admin)
    assert {a["name"] for a in listed} == {"note.txt", "extra.txt"}
    target = tmp_path / "downloaded.txt"
    gazu.files.download_attachment_file(added[0], str(target), client=artist)
    assert target.read_bytes() == b"more"
    gazu.task.delete_comment_attachment(r["task"], second, added[0], client=admin)
    assert [a["name"] for a in gazu.files.get_all_attachment_files_for_task(
        r["task"], client=admin)] == ["note.txt"]

    project_comments = gazu.task.all_comments_for_project(r["project"], client=admin)
    assert {c["id"] for c in project_comments} == {first["id"], second["id"]}

    gazu.task.remove_comment(second, client=admin)
    assert gazu.task.get_task(r["task"]["id"], client=admin)["task_status_id"] == \
        r["wip"]["id"]
    with pytest.raises(RouteNotFoundException):
        gazu.task.get_comment(second["id"], client=admin)


def test_move_and_batches(admin, review, tmp_path):
    r = review
    comment = gazu.task.add_comment(r["task"], r["wip"], "Wrong task", client=admin)
    moved = gazu.task.move_comment_to_task(r["task"], comment, r["sibling"], client=admin)
    assert moved["object_id"] == r["sibling"]["id"]
    assert gazu.task.get_task(r["sibling"]["id"], client=admin)["task_status_id"] == \
        r["wip"]["id"]
    assert gazu.task.get_task(r["task"]["id"], client=admin)["task_status_id"] == \
        r["todo"]["id"]

    made = gazu.task.add_tasks_batch_comments(
        [r["task"], r["sibling"]], {"task_status_id": r["done"]["id"], "text": "All done"},
        client=admin)
    assert {c["object_id"] for c in made} == {r["task"]["id"], r["sibling"]["id"]}
    assert gazu.task.get_task(r["task"]["id"], client=admin)["task_status_id"] == \
        r["done"]["id"]
    many = gazu.task.create_multiple_comments(r["project"], [
        {"object_id": r["task"]["id"], "task_status_id": r["wip"]["id"],
         "comment": "Reopened"}], client=admin)
    assert [c["text"] for c in many] == ["Reopened"]
    assert gazu.task.get_last_comment_for_task(r["task"], client=admin)["text"] == "Reopened"
    sheet = tmp_path / "sheet.txt"
    sheet.write_bytes(b"notes")
    batch = gazu.task.batch_comments([
        {"task_status_id": r["wip"]["id"], "text": "First"},
        {"task_status_id": r["wip"]["id"], "text": "Second",
         "attachment_files": [str(sheet)]}], task=r["sibling"], client=admin)
    assert [(c["object_id"], c["text"]) for c in batch] == [
        (r["sibling"]["id"], "First"), (r["sibling"]["id"], "Second")]
    assert [len(c["attachment_files"]) for c in batch] == [0, 1]
