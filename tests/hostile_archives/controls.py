"""Honest controls beside every hostile archive, and how the intake tests read rows."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import autograder_class as ac  # noqa: E402

from autograder.course import Course  # noqa: E402
from autograder.intake import Submission, find_submissions  # noqa: E402

ASSIGNMENT = ac.ASSIGNMENT
NB = f"{ASSIGNMENT}.ipynb"
# Two honest students in Canvas's flat form, beside every attack: whatever the
# attacker's entry does, these keep exactly their own notebooks and no note.
HONEST = {
    "1001": (f"alicelee_1001_501_{NB}", b'{"cells": [], "who": "alice"}'),
    "1002": (f"bobray_1002_502_{NB}", b'{"cells": [], "who": "bob"}'),
}


def honest_members() -> list[tuple[str, bytes]]:
    return list(HONEST.values())


def course(tmp_path: Path) -> Course:
    return Course(tmp_path / "course", ac.FIXTURE_DIR)


def intake(tmp_path: Path, source: Path) -> dict[str, Submission]:
    subs = find_submissions(course(tmp_path), ASSIGNMENT, [ASSIGNMENT], source)
    by_id = {sub.student_id: sub for sub in subs}
    assert len(by_id) == len(subs), "two submissions share one student id"
    return by_id


def graded_bytes(sub: Submission) -> bytes:
    return sub.notebooks[ASSIGNMENT].read_bytes()


def assert_honest_untouched(subs: dict[str, Submission]) -> None:
    for student, (_, content) in HONEST.items():
        sub = subs[student]
        assert sub.problem is None, sub.problem
        assert sub.notes == []
        assert graded_bytes(sub) == content


def extracted_dir(tmp_path: Path) -> Path:
    return tmp_path / "course" / "downloaded" / ASSIGNMENT / "extracted"


def everything_under(folder: Path):
    """(path, lstat) of every file and folder under `folder`, links included."""
    for parent, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(parent) / name
            yield path, os.lstat(path)


def only_plain_files(folder: Path) -> None:
    """No link, device or pipe, and no mode but 0o644 / 0o755, under `folder`."""
    for path, info in everything_under(folder):
        if stat.S_ISDIR(info.st_mode):
            assert stat.S_IMODE(info.st_mode) == 0o755, path
        else:
            assert stat.S_ISREG(info.st_mode), path
            assert stat.S_IMODE(info.st_mode) == 0o644, path
