"""Whose work is it: owners come from the LMS's entry names or the folder a
student submitted into, never from a name a student wrote inside their files.

Every case puts an attacker (Eve, Canvas id 1003) beside the honest Alice (1001)
and Bob (1002); the honest two keep exactly their own notebooks and no note.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_archives import builders  # noqa: E402
from hostile_archives.controls import (  # noqa: E402
    ASSIGNMENT,
    HONEST,
    NB,
    assert_honest_untouched,
    extracted_dir,
    graded_bytes,
    honest_members,
    intake,
)

from autograder.intake import LmsFileNameCollector, parse_lms_name  # noqa: E402
from autograder.intake.ids import id_key, safe_id  # noqa: E402

FORGED = b'{"cells": [], "who": "forged by eve"}'
# Names that, anywhere below the top of Eve's entry, claim Bob in every LMS
# convention intake knows.
CLAIMS_ON_BOB = [
    f"bobray_1002_777_{NB}",
    f"bobray_LATE_1002_778_{NB}",
    f"Bob Ray_1002_assignsubmission_file_/{NB}",
    f"Bob Ray_1002_assignsubmission_file_{NB}",
    f"{ASSIGNMENT}_1002_attempt_2030-01-01-00-00-00_{NB}",
    f"1002/{NB}",
]


def assert_nothing_reached_bob(subs) -> None:
    assert sorted(subs) == ["1001", "1002", "1003"]
    assert_honest_untouched(subs)


def test_inner_zip_names_never_claim_another_student(tmp_path):
    inner = builders.zip_bytes([(name, FORGED) for name in CLAIMS_ON_BOB])
    archive = builders.write_zip(
        tmp_path / "canvas.zip",
        [*honest_members(), ("evehall_1003_503_work.zip", inner)],
    )
    subs = intake(tmp_path, archive)
    assert_nothing_reached_bob(subs)
    # all of it is Eve's, graded as hers from inside her own entry
    eve = subs["1003"]
    assert eve.problem is None
    entry = extracted_dir(tmp_path) / "evehall_1003_503_work.zip"
    assert eve.notebooks[ASSIGNMENT].is_relative_to(entry)


def test_a_moodle_folder_holding_another_students_names(tmp_path):
    folder = "Eve Hall_1003_assignsubmission_file_"
    inner = builders.zip_bytes([(name, FORGED) for name in CLAIMS_ON_BOB])
    members = [(f"{folder}/{name}", FORGED) for name in CLAIMS_ON_BOB]
    members.append((f"{folder}/more.zip", inner))
    archive = builders.write_zip(tmp_path / "moodle.zip", [*honest_members(), *members])
    subs = intake(tmp_path, archive)
    assert_nothing_reached_bob(subs)
    assert subs["1003"].entries == [folder]


@pytest.mark.parametrize(
    "eve_entry",
    [
        # Canvas and Moodle append the student's own file name to their prefix
        f"evehall_1003_503_bobray_1002_502_{NB}",
        f"Eve Hall_1003_assignsubmission_file_bobray_1002_502_{NB}",
        f"Eve Hall_1003_assignsubmission_file_Bob Ray_1002_assignsubmission_file_{NB}",
        # Blackboard appends it after the attempt's time
        f"{ASSIGNMENT}_1003_attempt_2026-03-01-12-00-00_"
        f"{ASSIGNMENT}_1002_attempt_2030-01-01-00-00-00_{NB}",
        f"{ASSIGNMENT}_1003_attempt_2026-03-01-12-00-00_"
        f"Bob_1002_assignsubmission_file_{NB}",
        f"{ASSIGNMENT}_1003_attempt_2026-03-01-12-00-00_bobray_1002_502_{NB}",
    ],
    ids=["canvas", "moodle", "moodle-moodle", "bb-bb", "bb-moodle", "bb-canvas"],
)
def test_a_students_own_file_name_cannot_change_the_owner(tmp_path, eve_entry):
    assert parse_lms_name(eve_entry, ASSIGNMENT).student_id == "1003"
    archive = builders.write_zip(
        tmp_path / "lms.zip", [*honest_members(), (eve_entry, FORGED)]
    )
    subs = intake(tmp_path, archive)
    assert_nothing_reached_bob(subs)
    assert graded_bytes(subs["1003"]) == FORGED


def test_the_nbgrader_plugin_reads_the_outermost_lms_name():
    collector = LmsFileNameCollector()
    info = collector.collect(
        f"Eve Hall_1003_assignsubmission_file_/w/{HONEST['1002'][0]}"
    )
    assert info["student_id"] == "1003"
    assert info["file_id"] == HONEST["1002"][0]


# --- one id, several spellings --------------------------------------------------
@pytest.mark.parametrize(
    "spelling",
    ["alice ", " alice", "Alice", "ALICE", "ａｌｉｃｅ", "alice\u200b", "ﬀ"],
    ids=["trailing", "leading", "title", "upper", "fullwidth", "zero-width", "ff"],
)
def test_near_duplicate_ids_are_one_error_row_naming_both(tmp_path, spelling):
    real = "ff" if spelling == "ﬀ" else "alice"  # the ligature is NFKC 'ff'
    folder = tmp_path / "class"
    for student, content in ((real, b"real"), (spelling, FORGED), ("bob", b"bob")):
        (folder / student).mkdir(parents=True)
        (folder / student / NB).write_bytes(content)
    subs = intake(tmp_path, folder)
    assert len(subs) == 2
    assert graded_bytes(subs["bob"]) == b"bob"
    assert subs["bob"].problem is None
    (row,) = (sub for sub in subs.values() if sub.student_id != "bob")
    assert id_key(row.student_id) == id_key(real)
    assert row.notebooks == {}
    assert "2 different claims on one student id" in row.problem
    assert repr(real) in row.problem and repr(spelling) in row.problem


def test_near_duplicate_lms_ids_are_one_error_row(tmp_path):
    """Full-width digits in a Canvas name are NFKC the same user id."""
    archive = builders.write_zip(
        tmp_path / "canvas.zip",
        [*honest_members(), (f"evehall_１００２_503_{NB}", FORGED)],
    )
    subs = intake(tmp_path, archive)
    assert sorted(subs) == ["1001", "1002"]
    assert graded_bytes(subs["1001"]) == HONEST["1001"][1]
    assert subs["1002"].notebooks == {}
    assert "'1002'" in subs["1002"].problem and "'１００２'" in subs["1002"].problem
    assert HONEST["1002"][0] in subs["1002"].problem


@pytest.mark.parametrize(
    "claimant",
    [f"mallory_1002_503_{NB}", f"Bob Ray_1002_assignsubmission_file_/{NB}"],
    ids=["canvas-other-name", "moodle"],
)
def test_one_id_claimed_as_two_people_is_one_error_row(tmp_path, claimant):
    archive = builders.write_zip(
        tmp_path / "lms.zip", [*honest_members(), (claimant, FORGED)]
    )
    subs = intake(tmp_path, archive)
    assert sorted(subs) == ["1001", "1002"]
    assert graded_bytes(subs["1001"]) == HONEST["1001"][1]
    assert subs["1002"].notebooks == {}
    assert "2 different claims on one student id" in subs["1002"].problem
    assert "Canvas name 'bobray'" in subs["1002"].problem
    assert repr(claimant.split("/")[0]) in subs["1002"].problem


def test_a_folder_and_a_lone_notebook_of_one_name_are_one_error_row(tmp_path):
    folder = tmp_path / "class"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / NB).write_bytes(b"alice")
    (folder / "alice.ipynb").write_bytes(FORGED)
    (folder / "bob").mkdir()
    (folder / "bob" / NB).write_bytes(b"bob")
    subs = intake(tmp_path, folder)
    assert graded_bytes(subs["bob"]) == b"bob"
    assert "'alice' from a folder name" in subs["alice"].problem
    assert "'alice' from a file name" in subs["alice"].problem


def test_ids_equal_only_once_folder_safe_share_one_error_row(tmp_path):
    archive = builders.write_zip(
        tmp_path / "blackboard.zip",
        [
            *honest_members(),
            (f"{ASSIGNMENT}_a\tb_attempt_2026-03-01-12-00-00_{NB}", FORGED),
            (f"{ASSIGNMENT}_a_b_attempt_2026-03-01-12-00-00_{NB}", FORGED),
        ],
    )
    subs = intake(tmp_path, archive)
    assert_honest_untouched(subs)
    assert sorted(subs) == ["1001", "1002", "a_b"]
    assert "2 submissions would be stored as student 'a_b'" in subs["a_b"].problem


def test_one_spelling_in_several_entries_is_one_student(tmp_path):
    """Canvas writes one entry per file and per attempt: same id, same person."""
    archive = builders.write_zip(
        tmp_path / "canvas.zip",
        [
            *honest_members(),
            ("bobray_1002_600_notes.txt", b"notes"),
            (f"bobray_1002_601_{ASSIGNMENT}-1.ipynb", b"bob again"),
        ],
    )
    subs = intake(tmp_path, archive)
    assert graded_bytes(subs["1002"]) == b"bob again"
    assert "2 versions" in " ".join(subs["1002"].notes)
    assert subs["1002"].other_files == ["bobray_1002_600_notes.txt"]


def test_ids_are_compared_normalised_and_stored_folder_safe():
    assert (
        len({id_key(s) for s in ["Alice", " alice ", "ＡＬＩＣＥ", "ali\u200bce"]}) == 1
    )
    assert id_key("alice") != id_key("alicia")
    assert safe_id("alice") == ("alice", None)
    assert safe_id("alice ")[0] == "alice"
    assert safe_id("../x")[0] not in ("..", "../x")
    assert "/" not in safe_id("a/b")[0]
    assert len(safe_id("x" * 400)[0].encode()) <= 200


# --- what the LMS said, kept for the gradebook (issue 16) ----------------------
def test_lms_facts_are_kept(tmp_path):
    on_time, late = (2026, 3, 1, 9, 0, 0), (2026, 3, 3, 23, 59, 58)
    members = [
        (builders.member(f"doejane_1234_900_{NB}", date_time=on_time), b"first"),
        (
            builders.member(
                f"doejane_LATE_1234_901_{ASSIGNMENT}-1.ipynb", date_time=late
            ),
            b"second",
        ),
        (builders.member(f"roebob_1235_902_{NB}", date_time=on_time), b"bob"),
        (builders.member(f"Ann Lee_77_assignsubmission_file_/{NB}"), b"ann"),
        (f"{ASSIGNMENT}_jdoe_attempt_2026-03-01-15-00-00_{NB}", b"bb"),
    ]
    subs = intake(tmp_path, builders.write_zip(tmp_path / "lms.zip", members))
    jane, bob, ann, jdoe = subs["1234"], subs["1235"], subs["77"], subs["jdoe"]
    assert graded_bytes(jane) == b"second"
    assert (jane.lms, jane.display_name, jane.late) == ("Canvas", "doejane", True)
    assert jane.entry_time == "2026-03-03 23:59:58"  # the graded attempt's
    assert (bob.late, bob.entry_time) == (False, "2026-03-01 09:00:00")
    assert (ann.lms, ann.display_name) == ("Moodle", "Ann Lee")
    assert ann.entry_time == "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}".format(
        *builders.DATE
    )
    assert (jdoe.lms, jdoe.display_name, jdoe.timestamp) == (
        "Blackboard",
        None,
        "2026-03-01 15:00:00",
    )


def test_a_folder_input_has_no_lms_facts(tmp_path):
    folder = tmp_path / "class"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / NB).write_bytes(b"alice")
    sub = intake(tmp_path, folder)["alice"]
    assert (sub.lms, sub.display_name, sub.late, sub.entry_time) == (
        None,
        None,
        False,
        None,
    )


def test_nbgrader_zip_collect_with_the_plugin_keeps_owners(tmp_path):
    """`nbgrader zip_collect --collector=autograder.intake.LmsFileNameCollector`:
    a file in Eve's Moodle folder named with Bob's Canvas name stays Eve's."""
    import os
    import subprocess

    root = Path(__file__).resolve().parent.parent
    empty = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    (tmp_path / "release" / "ps1").mkdir(parents=True)
    (tmp_path / "release" / "ps1" / "problem1.ipynb").write_bytes(empty)
    (tmp_path / "downloaded" / "ps1" / "archive").mkdir(parents=True)
    builders.write_zip(
        tmp_path / "downloaded" / "ps1" / "archive" / "moodle.zip",
        [
            (f"Eve Hall_1003_assignsubmission_file_/w/{HONEST['1002'][0]}", empty),
            ("alicelee_1001_501_problem1.ipynb", empty),
        ],
    )
    (tmp_path / "nbgrader_config.py").write_text(
        f"c.CourseDirectory.root = {str(tmp_path)!r}\n"
    )
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "zip_collect",
            "ps1",
            "--collector=autograder.intake.LmsFileNameCollector",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    submitted = tmp_path / "submitted"
    assert sorted(path.name for path in submitted.iterdir()) == ["1001", "1003"]


def test_the_zip_kept_from_the_last_run_can_be_graded_again(tmp_path):
    archive = builders.write_zip(tmp_path / "class.zip", honest_members())
    intake(tmp_path, archive)
    kept = tmp_path / "course" / "downloaded" / ASSIGNMENT / "archive" / "class.zip"
    assert_honest_untouched(intake(tmp_path, kept))


def test_zips_in_a_folder_input_are_unpacked_in_a_copy(tmp_path):
    """An LMS export unpacked by hand: a student folder holding a zip. The zip
    is unpacked in a copy (the input is left as it is), and stays its owner's."""
    folder = tmp_path / "class"
    inner = builders.zip_bytes([(f"homework/{NB}", b"zipped"), *CLAIM_FILES])
    for student in ("Ann Lee_77_assignsubmission_file_", "bob"):
        (folder / student).mkdir(parents=True)
    (folder / "Ann Lee_77_assignsubmission_file_" / "work.zip").write_bytes(inner)
    (folder / "bob" / NB).write_bytes(b"bob")
    before = sorted(path.name for path in folder.rglob("*"))
    subs = intake(tmp_path, folder)
    assert sorted(subs) == ["77", "bob"]
    assert graded_bytes(subs["77"]) == b"zipped"
    assert graded_bytes(subs["bob"]) == b"bob"
    assert sorted(path.name for path in folder.rglob("*")) == before
    unpacked = tmp_path / "course" / "downloaded" / ASSIGNMENT / "unpacked"
    assert subs["77"].notebooks[ASSIGNMENT].is_relative_to(unpacked)


CLAIM_FILES = [
    (f"bobray_1002_502_{NB}", FORGED),
    ("Bob_1002_assignsubmission_file_/x.ipynb", FORGED),
]
