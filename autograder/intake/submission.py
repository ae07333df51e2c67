"""One student's submission as intake found it, and its copy into the course."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course, UsageError
from . import limits
from .extract import FILE_MODE, FOLDER_MODE


@dataclass
class Submission:
    """One student's submission of one assignment, as found in the input."""

    student_id: str
    # expected notebook name (no .ipynb) -> file in the input
    notebooks: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    timestamp: str | None = None  # the LMS's submission time, from an entry name
    origin: str = ""
    problem: str | None = None  # set when there is nothing to grade
    # What the LMS said about the graded entry, kept for the gradebook:
    lms: str | None = None  # "Canvas", "Moodle", "Blackboard"
    display_name: str | None = None  # the name in the entry ("doejane", "Jane Doe")
    late: bool = False  # Canvas marked the graded entry `_LATE_`
    # the graded entry's date and time inside the zip, "YYYY-MM-DD HH:MM:SS"
    # (local time of the machine that wrote the zip)
    entry_time: str | None = None
    entries: list[str] = field(default_factory=list)  # its top-level entry names

    def fingerprint(self) -> str:
        """A hash of what would be graded: same hash, same grades (resume key)."""
        digest = hashlib.sha256()
        for name in sorted(self.notebooks):
            digest.update(name.encode() + b"\0")
            digest.update(read_regular_file(self.notebooks[name]))
        digest.update(repr((self.problem, sorted(self.notes))).encode())
        return digest.hexdigest()


def read_regular_file(path: Path) -> bytes:
    """A file's bytes, never through a symbolic link, a pipe or a device, and no
    more than one member's cap (a folder given as input is not ours to trust)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    handle = os.open(path, flags)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file")
        if info.st_size > limits.MAX_MEMBER_BYTES:
            raise OSError(f"{path} is larger than {limits.MAX_MEMBER_BYTES} bytes")
        with os.fdopen(handle, "rb", closefd=False) as reader:
            return reader.read(limits.MAX_MEMBER_BYTES + 1)[: limits.MAX_MEMBER_BYTES]
    finally:
        os.close(handle)


def collect_into_course(
    course: Course, assignment: str, submissions: list[Submission]
) -> None:
    """Copy each submission to `submitted/<student>/<assignment>/`, nbgrader's place
    for collected work (with `timestamp.txt` when the LMS gave a time).

    Only the notebooks to grade are copied: nothing else a student sent reaches
    a folder that is handed to a kernel.
    """
    for sub in submissions:
        target = course.submitted_dir(sub.student_id, assignment)
        try:
            _copy_one(sub, target)
        except OSError as error:
            # Before any grading: nothing is recorded, so the next run resumes.
            raise UsageError(
                f"could not copy {sub.student_id}'s submission into {target}: "
                f"{error.strerror or error}"
            ) from error


def _copy_one(sub: Submission, target: Path) -> None:
    # read first: the input may be this very folder (regrading submitted/)
    contents = {name: read_regular_file(path) for name, path in sub.notebooks.items()}
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, mode=FOLDER_MODE)
    for name, content in contents.items():
        write_new_file(target / f"{name}.ipynb", content)
        sub.notebooks[name] = target / f"{name}.ipynb"
    if sub.timestamp:
        write_new_file(target / "timestamp.txt", sub.timestamp.encode())


def write_new_file(path: Path, content: bytes) -> None:
    """Create `path` (never through a link, never over a file) with mode 0o644."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    handle = os.open(path, flags, FILE_MODE)
    with os.fdopen(handle, "wb") as writer:
        writer.write(content)
