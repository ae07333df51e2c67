"""Hostile archives: modes, links, devices, bombs, corrupt members, bad names.

Each attack sits in one student's entry (Eve, Canvas id 1003, or her Moodle
folder) beside two honest Canvas students. Eve's row gets the expected outcome;
the honest two keep exactly their notebooks; nothing lands outside the
extraction folder; and the run goes on. No kernel is started.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostile_archives import builders  # noqa: E402
from hostile_archives.controls import (  # noqa: E402
    ASSIGNMENT,
    NB,
    assert_honest_untouched,
    extracted_dir,
    graded_bytes,
    honest_members,
    intake,
    only_plain_files,
)

from autograder.intake import limits  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVE_FLAT = f"evehall_1003_503_{NB}"
EVE_FOLDER = "Eve Hall_1003_assignsubmission_file_"
EVE_WORK = b'{"cells": [], "who": "eve"}'


def class_zip(path: Path, eve_members) -> Path:
    return builders.write_zip(path, [*honest_members(), *eve_members])


# --- modes, links and devices -------------------------------------------------
def test_permission_bits_are_dropped(tmp_path):
    members = [
        (builders.member(f"{EVE_FOLDER}/{NB}", stat.S_IFREG | 0o4755), EVE_WORK),
        (builders.member(f"{EVE_FOLDER}/run.sh", stat.S_IFREG | 0o6777), b"id\n"),
        (builders.member(f"{EVE_FOLDER}/data/", stat.S_IFDIR | 0o7777), b""),
        (builders.member(f"{EVE_FOLDER}/data/x.csv", stat.S_IFREG | 0o777), b"1\n"),
    ]
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    assert subs["1003"].problem is None
    assert graded_bytes(subs["1003"]) == EVE_WORK
    eve = extracted_dir(tmp_path) / EVE_FOLDER
    names = sorted(path.name for path in eve.rglob("*"))
    assert names == sorted([NB, "data", "run.sh", "x.csv"])
    only_plain_files(extracted_dir(tmp_path))


def test_links_devices_and_pipes_are_not_unpacked(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the instructor's secret")
    members = [
        builders.symlink(f"{EVE_FOLDER}/{NB}", str(secret)),
        builders.symlink(f"{EVE_FOLDER}/up", "../../.."),
        (builders.member(f"{EVE_FOLDER}/tty", stat.S_IFCHR | 0o666), b""),
        (builders.member(f"{EVE_FOLDER}/disk", stat.S_IFBLK | 0o666), b""),
        (builders.member(f"{EVE_FOLDER}/pipe", stat.S_IFIFO | 0o666), b""),
        (builders.member(f"{EVE_FOLDER}/answers.ipynb", stat.S_IFREG), EVE_WORK),
    ]
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    eve = subs["1003"]
    assert eve.problem is None
    # the link named like the notebook was skipped; her real notebook is graded
    assert graded_bytes(eve) == EVE_WORK
    notes = " ".join(eve.notes)
    assert f"'{EVE_FOLDER}/{NB}' is a symbolic link: not unpacked" in notes
    for name in ("tty", "disk", "pipe"):
        assert f"'{EVE_FOLDER}/{name}' is a device or pipe: not unpacked" in notes
    only_plain_files(extracted_dir(tmp_path))


# --- bombs and lying headers --------------------------------------------------
GIB = 1024**3


@pytest.fixture(scope="module")
def bomb_zips(tmp_path_factory) -> dict[str, Path]:
    """Eve's Canvas entry expands to 1 GiB of zeros from about 1 MB, with its
    true size declared, with a size under the member cap, and with 1 KiB."""
    folder = tmp_path_factory.mktemp("bombs")
    honest = builders.bomb(folder / "honest.zip", EVE_FLAT, GIB, honest_members())
    zips = {"declared 1 GiB": honest}
    for label, size in (("declared 90 MiB", 90 * limits.MIB), ("declared 1 KiB", 1024)):
        copy = folder / f"{label.replace(' ', '_')}.zip"
        shutil.copyfile(honest, copy)
        builders.patch_central(copy, EVE_FLAT, file_size=size)
        zips[label] = copy
    return zips


@pytest.mark.parametrize(
    "label, reason",
    [
        # refused from its header before one byte is written
        ("declared 1 GiB", "unpacks to more than 100 MiB, the cap for one file"),
        # under the cap by its header: the byte counter stops it
        ("declared 90 MiB", "expands more than 200 times its compressed size"),
        # zipfile stops at the declared size, and the checksum then fails
        ("declared 1 KiB", "is corrupt or unreadable: Bad CRC-32"),
    ],
)
def test_zip_bomb_is_refused(tmp_path, bomb_zips, label, reason):
    assert bomb_zips[label].stat().st_size < 1.1 * limits.MIB
    subs = intake(tmp_path, bomb_zips[label])
    assert_honest_untouched(subs)
    assert reason in subs["1003"].problem
    assert subs["1003"].notebooks == {}
    # the partial file is removed, and no more than the ratio cap was written
    assert not (extracted_dir(tmp_path) / EVE_FLAT).exists()


MEASURE = """
import json, resource, sys, tracemalloc
from pathlib import Path
from autograder.course import Course
from autograder.intake import find_submissions
course_dir, exercises, assignment, *archives = sys.argv[1:]
course = Course(course_dir, exercises)
measured = []
for archive in archives:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    subs = find_submissions(course, assignment, [assignment], Path(archive))
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    measured.append({
        "rss_growth": (after - before) * 1024,
        "traced_peak": traced_peak,
        "problems": {sub.student_id: sub.problem for sub in subs},
    })
print(json.dumps(measured))
"""


def test_zip_bomb_memory_stays_small(tmp_path, bomb_zips):
    """The bomb is streamed: the process's peak memory grows by a few MB, both
    where the byte counter stops it and where its header does."""
    from hostile_archives.controls import ac

    labels = ["declared 90 MiB", "declared 1 GiB"]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            str(tmp_path / "course"),
            str(ac.FIXTURE_DIR),
            ASSIGNMENT,
            *(str(bomb_zips[label]) for label in labels),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for label, measured in zip(labels, json.loads(done.stdout), strict=True):
        print(label, measured)
        assert measured["problems"]["1003"], measured
        assert measured["problems"]["1001"] is None
        assert measured["traced_peak"] < 2 * limits.MIB, measured
        assert measured["rss_growth"] < 16 * limits.MIB, measured


def test_inner_zip_bomb_is_refused(tmp_path):
    inner = builders.bomb(tmp_path / "inner.zip", NB, 64 * limits.MIB)
    members = [(f"{EVE_FOLDER}/work.zip", inner.read_bytes())]
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    assert "expands more than 200 times" in subs["1003"].problem


def test_caps_on_one_member_one_student_and_member_count(tmp_path, monkeypatch):
    """Each cap is read from limits.py when intake runs, and names itself."""
    monkeypatch.setattr(limits, "MAX_MEMBER_BYTES", 64 * 1024)
    monkeypatch.setattr(limits, "MAX_STUDENT_BYTES", 100 * 1024)
    monkeypatch.setattr(limits, "MAX_STUDENT_MEMBERS", 20)
    monkeypatch.setattr(limits, "MAX_DIRECTORY_BYTES", 1024)
    big = bytes(range(256)) * 300  # 76.8 kB, incompressible enough
    cases = {
        "1003": [(f"evehall_1003_503_{NB}", big)],
        "1004": [(f"fredkay_1004_504_part{n}.txt", big[:40_000]) for n in range(3)],
        # a few members with long names: a large central directory
        "1006": [
            (
                "hughpym_1006_506_w.zip",
                builders.zip_bytes([(f"{n}{'d' * 200}.txt", b"") for n in range(6)]),
            )
        ],
        "1005": [
            (
                "ginaroe_1005_505_w.zip",
                builders.zip_bytes([(f"f{n}.txt", b"x") for n in range(30)]),
            )
        ],
    }
    members = [member for entries in cases.values() for member in entries]
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    assert "unpacks to more than 64 KiB, the cap for one file" in subs["1003"].problem
    assert "the submission unpacks to more than 100 KiB" in subs["1004"].problem
    assert "declares 30 members, more than the 20" in subs["1005"].problem
    assert "bytes, more than 1 KiB" in subs["1006"].problem


# --- corrupt members and inner zips -------------------------------------------
def test_corrupt_member_is_that_students_error(tmp_path):
    archive = class_zip(tmp_path / "class.zip", [(EVE_FLAT, EVE_WORK * 50)])
    builders.patch_central(archive, EVE_FLAT, crc=0xDEADBEEF)
    subs = intake(tmp_path, archive)
    assert_honest_untouched(subs)
    assert "is corrupt or unreadable: Bad CRC-32" in subs["1003"].problem


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda data: data[: len(data) // 2], "is not a readable zip file"),
        (lambda data: b"PK\x03\x04 not a zip at all", "is not a readable zip file"),
        (
            lambda data: data.replace(EVE_WORK * 40, b"\0" * len(EVE_WORK * 40)),
            "Bad CRC-32",
        ),
    ],
    ids=["truncated", "garbage", "bad-member"],
)
def test_corrupt_inner_zip_is_that_students_error(tmp_path, damage, reason):
    stored = zipfile.ZipInfo(NB)  # stored, so the damage hits the data itself
    inner = builders.zip_bytes([(stored, EVE_WORK * 40)])
    members = [(f"{EVE_FOLDER}/work.zip", damage(inner))]
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    assert reason in subs["1003"].problem


# --- names: too long, clashing, climbing out, absolute ------------------------
def test_a_300_byte_name_is_that_students_error(tmp_path):
    long_name = "x" * 300 + ".ipynb"
    members = [
        (f"evehall_1003_503_{long_name}", EVE_WORK),  # her Canvas entry's own name
        (f"{'Fred Kay_1004_assignsubmission_file_'}/{long_name}", EVE_WORK),
        # a long name the filesystem takes is fine: an honest control
        (f"ginaroe_1005_505_{'y' * 200}.ipynb", EVE_WORK),
    ]
    # a student folder whose own name is too long: its row gets a shorter id
    members.append((f"{'z' * 300}/{NB}", EVE_WORK))
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    (long_id,) = (student for student in subs if student.startswith("zzz"))
    assert len(long_id.encode()) < 255
    for student in ("1003", "1004", long_id):
        assert "longer than the filesystem allows (255)" in subs[student].problem
    assert subs["1005"].problem is None
    assert graded_bytes(subs["1005"]) == EVE_WORK


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    "names, reason",
    [
        (["x", f"x/{NB}"], "is both a file and a folder"),
        ([f"x/{NB}", "x"], "clashes with a folder of the same name"),
        ([NB, NB], "clashes with another file of the same name"),
    ],
    ids=["file-then-folder", "folder-then-file", "twice"],
)
def test_file_folder_clash_is_that_students_error(tmp_path, names, reason):
    members = [(f"{EVE_FOLDER}/{name}", EVE_WORK) for name in names]
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    assert reason in subs["1003"].problem


def climbing_names(tmp_path: Path) -> list[str]:
    return [
        f"../../../escaped-{NB}",
        f"a/../../escaped-{NB}",
        f"..\\..\\escaped-{NB}",
        f"{tmp_path}/absolute-{NB}",
        f"C:/absolute-{NB}",
    ]


@pytest.mark.parametrize("index", range(5))
def test_names_that_climb_out_are_that_students_error(tmp_path, index):
    name = climbing_names(tmp_path)[index]
    inner = builders.zip_bytes([(name, EVE_WORK), (NB, EVE_WORK)])
    members = [(f"{EVE_FOLDER}/work.zip", inner)]
    climbs = ".." in name
    if climbs:
        # straight in the class zip, under Fred's own folder (an absolute name
        # there is only a subfolder of his: `Fred/` + `/tmp/...`)
        members.append((f"Fred Kay_1004_assignsubmission_file_/{name}", EVE_WORK))
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    reason = "climbs out of its folder" if climbs else "is an absolute path"
    for student in ("1003", "1004") if climbs else ("1003",):
        assert reason in subs[student].problem
    extracted = extracted_dir(tmp_path)
    outside = [
        path
        for path in tmp_path.rglob("*")
        if path.name.startswith(("escaped-", "absolute-"))
        and not path.is_relative_to(extracted)
    ]
    assert outside == []


def test_outer_names_without_an_owner_get_their_own_row(tmp_path):
    members = [(f"../outside-{NB}", EVE_WORK), (f"/{tmp_path}/abs-{NB}", EVE_WORK)]
    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", members))
    assert_honest_untouched(subs)
    assert sorted(subs) == ["1001", "1002", "_unattributed"]
    assert "2 archive member(s) with an absolute name" in subs["_unattributed"].problem
    written = {path.name for path in tmp_path.rglob("*")}
    assert not {f"outside-{NB}", f"abs-{NB}"} & written


# --- a folder given as input is read, never followed --------------------------
def test_folder_input_never_follows_links(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the instructor's secret")
    folder = tmp_path / "class"
    for student, content in (("alice", b"alice"), ("bob", b"bob")):
        (folder / student).mkdir(parents=True)
        (folder / student / NB).write_bytes(content)
    eve = folder / "eve"
    eve.mkdir()
    (eve / NB).symlink_to(secret)
    (eve / "answers.ipynb").write_bytes(EVE_WORK)
    (eve / "linked").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(eve / "pipe")
    (folder / "mallory").symlink_to(tmp_path / "class" / "alice")
    os.mkfifo(folder / "oscar.ipynb")  # a lone "notebook" that would block a read
    subs = intake(tmp_path, folder)
    assert sorted(subs) == ["alice", "bob", "eve", "mallory", "oscar"]
    assert "is not a regular file: not read" in subs["oscar"].problem
    for sub in subs.values():
        sub.fingerprint()  # what grade() does next: no link followed, no hang
    assert graded_bytes(subs["alice"]) == b"alice"
    assert graded_bytes(subs["eve"]) == EVE_WORK
    notes = " ".join(subs["eve"].notes)
    assert f"'eve/{NB}' is not a regular file: not read" in notes
    assert "'eve/pipe' is not a regular file: not read" in notes
    assert "'eve/linked' is a link: not read" in notes
    assert "is a symbolic link: not read" in subs["mallory"].problem


# --- the grader's own disk ----------------------------------------------------
def test_a_full_disk_is_a_reason_not_a_corrupt_zip(tmp_path, monkeypatch):
    from autograder.intake import extract

    archive = class_zip(tmp_path / "class.zip", [(EVE_FLAT, EVE_WORK)])
    real_write = os.write

    def full_for_eve(handle, data):
        if os.readlink(f"/proc/self/fd/{handle}").endswith(EVE_FLAT):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(handle, data)

    monkeypatch.setattr(extract.os, "write", full_for_eve)
    subs = intake(tmp_path, archive)
    monkeypatch.undo()
    assert_honest_untouched(subs)
    assert "the grader's disk is full" in subs["1003"].problem


def test_a_failed_copy_into_the_course_stops_before_grading(tmp_path):
    from hostile_archives.controls import course

    from autograder.course import UsageError
    from autograder.intake import collect_into_course

    subs = intake(tmp_path, class_zip(tmp_path / "class.zip", []))
    (tmp_path / "course" / "submitted").write_text("a file where a folder goes")
    with pytest.raises(UsageError, match="could not copy 1001's submission"):
        collect_into_course(course(tmp_path), ASSIGNMENT, list(subs.values()))
