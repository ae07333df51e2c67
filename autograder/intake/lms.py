"""What an LMS's own names say: whose entry it is, and what else the LMS knew.

Only the *start* of an entry name is the LMS's: Canvas and Moodle append the
student's own file name after their prefix, and Blackboard appends it after the
attempt's time. So every pattern here is anchored at the start and takes the
shortest prefix, and when several patterns match, the one whose prefix ends
first wins. A student who names a file `doejane_1234_900_a1.ipynb`, or
`x_99_assignsubmission_file_.ipynb`, only changes the file part of their own
entry, never its owner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin

# Canvas: doejane_123456_7890123_a1_l2_penalty.ipynb, with `_LATE` after the
# name when late and `-1`, `-2`... before the extension for resubmissions.
CANVAS = re.compile(
    r"^(?P<name>[^_]+)_(?P<late>(?i:late)_)?(?P<student_id>\d+)_"
    r"(?P<submission_id>\d+)_(?P<file_id>.+)$"
)
# Moodle: "Jane Doe_123456_assignsubmission_file_a1.ipynb", or a folder
# "Jane Doe_123456_assignsubmission_file_" holding the student's files.
MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_"
    r"(?P<file_id>.*)$"
)
# Blackboard, as in nbgrader's zip_collect documentation:
# "ps1_bitdiddle_attempt_2016-01-30-15-00-00_problem1.ipynb".
BLACKBOARD = re.compile(
    r"^(?P<prefix>.+?)_attempt_(?P<timestamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})_"
    r"(?P<file_id>.+)$"
)


@dataclass(frozen=True)
class LmsName:
    """What one entry name of an LMS export says about its owner."""

    lms: str  # "Canvas", "Moodle" or "Blackboard"
    student_id: str  # the LMS's user id, as written in the name
    file_id: str  # the student's own file name ("" for a Moodle folder)
    display_name: str | None = None  # Canvas "doejane", Moodle "Jane Doe"
    late: bool = False  # Canvas's `_LATE_`
    timestamp: str | None = None  # Blackboard's attempt time, "YYYY-MM-DD HH:MM:SS"
    submission_id: str | None = None  # Canvas's submission id
    prefix_length: int = 0  # characters of the name that are the LMS's


def parse_lms_name(name: str, assignment: str = "") -> LmsName | None:
    """The owner an LMS wrote into an entry name, or None if it is not one.

    `assignment` helps split Blackboard names whose user name holds `_`.
    """
    candidates = [
        parsed
        for parsed in (_canvas(name), _moodle(name), _blackboard(name, assignment))
        if parsed is not None
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda parsed: parsed.prefix_length)


def _canvas(name: str) -> LmsName | None:
    found = CANVAS.match(name)
    if not found:
        return None
    return LmsName(
        lms="Canvas",
        student_id=found["student_id"],
        file_id=found["file_id"],
        display_name=found["name"],
        late=bool(found["late"]),
        submission_id=found["submission_id"],
        prefix_length=found.start("file_id"),
    )


def _moodle(name: str) -> LmsName | None:
    found = MOODLE.match(name)
    if not found:
        return None
    return LmsName(
        lms="Moodle",
        student_id=found["student_id"],
        file_id=found["file_id"],
        display_name=found["name"],
        prefix_length=found.start("file_id"),
    )


def _blackboard(name: str, assignment: str) -> LmsName | None:
    found = BLACKBOARD.match(name)
    if not found:
        return None
    prefix = found["prefix"]
    if assignment and prefix.startswith(assignment + "_"):
        student = prefix[len(assignment) + 1 :]
    else:
        student = prefix.rsplit("_", 1)[-1]
    day, hms = found["timestamp"][:10], found["timestamp"][11:]
    return LmsName(
        lms="Blackboard",
        student_id=student,
        file_id=found["file_id"],
        timestamp=f"{day} {hms.replace('-', ':')}",
        prefix_length=found.start("file_id"),
    )


class LmsFileNameCollector(FileNameCollectorPlugin):
    """nbgrader zip_collect plugin reading the student from LMS file names.

    It also works with `nbgrader zip_collect --collector=autograder.intake.
    LmsFileNameCollector`. `assignment_id` helps split Blackboard names whose
    user name contains underscores.
    """

    assignment_id = ""

    def collect(self, submitted_file: str) -> dict | None:
        path = Path(submitted_file)
        if path.suffix not in self.valid_ext:
            return None
        # Only the top of an entry was named by the LMS; anything deeper (a
        # Moodle folder's files, an unpacked inner zip) was named by the student
        # and must not decide whose work it is.
        # zip_collect unpacks each archive into a folder of the archive's name,
        # so the outermost LMS name below that is the entry's
        parts = self._entry_parts(path)
        for depth, part in enumerate(parts):
            info = self.match_name(part)
            if info is None:
                continue
            if depth < len(parts) - 1 or not info["file_id"]:
                info["file_id"] = path.name
            return info
        return None

    def _entry_parts(self, path: Path) -> tuple[str, ...]:
        """The path's parts below zip_collect's extracted folder when run by it,
        else as given (a bare absolute path says nothing of where the entries
        start, so only its name counts)."""
        app = self.parent
        extracted = getattr(app, "extracted_directory", None)
        format_path = getattr(app, "_format_collect_path", None)
        if extracted and format_path:
            try:
                base = Path(format_path(extracted)).resolve()
                return path.resolve().relative_to(base).parts
            except (ValueError, OSError):
                pass
        return (path.name,) if path.is_absolute() else path.parts

    def match_name(self, name: str) -> dict | None:
        parsed = parse_lms_name(name, self.assignment_id)
        if parsed is None:
            return None
        info = {
            "student_id": parsed.student_id,
            "file_id": parsed.file_id,
            "lms": parsed.lms,
        }
        if parsed.timestamp:
            info["timestamp"] = parsed.timestamp
        return info
