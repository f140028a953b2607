"""gazu 1.3.1's gazu.shot.import_otio against a real server: an editor's
cut (EDL, FCP XML) lays out the shots, its naming convention and
match_case sent as gazu sends them (form fields beside the file)."""
import uuid

import gazu

from tests.test_otio_import import timeline, written


def _project(admin, **values):
    # The default convention's placeholders match word characters only.
    return gazu.project.new_project(f"Cut{uuid.uuid4().hex[:8]}", client=admin, **values)


def test_an_edl_makes_the_shots_then_updates_them(admin, tmp_path):
    project = _project(admin)
    name = project["name"]
    path = tmp_path / "cut.edl"
    # An EDL counts frames at the project's rate: gazu's default, 25.
    path.write_bytes(written(timeline((f"{name}_SQ01-SH010", 48), (f"{name}_SQ01-SH020", 24),
                                      rate=25), ".edl"))
    result = gazu.shot.import_otio(project, str(path), client=admin)
    assert sorted(s["name"] for s in result["created_shots"]) == ["SH010", "SH020"]
    assert result["updated_shots"] == []
    sequence = gazu.shot.get_sequence_by_name(project, "SQ01", client=admin)
    shot = gazu.shot.get_shot_by_name(sequence, "SH020", client=admin)
    assert (shot["nb_frames"], shot["data"]) == (24, {"frame_in": 58, "frame_out": 81})

    path.write_bytes(written(timeline((f"{name.lower()}_sq01-sh020", 30), rate=25), ".edl"))
    result = gazu.shot.import_otio(project, str(path), match_case=False, client=admin)
    assert [s["id"] for s in result["updated_shots"]] == [shot["id"]]
    assert gazu.shot.get_shot(shot["id"], client=admin)["nb_frames"] == 30


def test_an_episode_cut_from_fcp_xml(admin, tmp_path):
    project = _project(admin, production_type="tvshow")
    episode = gazu.shot.new_episode(project, "E01", client=admin)
    path = tmp_path / "cut.xml"
    path.write_bytes(written(timeline(("E01_SQ05_SH100", 12)), ".xml"))
    result = gazu.shot.import_otio(project, str(path), episode=episode, client=admin,
                                   naming_convention="${episode_name}_${sequence_name}_"
                                                     "${shot_name}")
    assert [s["name"] for s in result["created_shots"]] == ["SH100"]
    sequence = gazu.shot.get_sequence_by_name(project, "SQ05", episode=episode, client=admin)
    assert sequence["parent_id"] == episode["id"]
