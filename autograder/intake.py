"""Find every submission in a folder or zip and collect it into the course.

Accepted layouts (see the README's "Grading a class"):

- a folder `<student_id>/<notebook>.ipynb` or
  `<student_id>/<assignment>/<notebook>.ipynb`, possibly wrapped in one more folder;
- a zip of either;
- the zip an LMS exports, recognised by nbgrader zip_collect's convention of
  reading the student from each file name (`LmsFileNameCollector`): Canvas,
  Moodle (flat or one folder per student) and the Blackboard-style names of
  nbgrader's own documentation. Zips inside the zip are unpacked too.

Every notebook found ends up in exactly one `Submission`; a student folder
without a notebook is a submission too, so that nothing silently disappears.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin
from nbgrader.utils import unzip

from .course import Course, UsageError, check_source

# Files an OS or LMS adds that are never a student's work.
JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
JUNK_DIRS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__", ".git"}

# Canvas: doejane_123456_7890123_a1_l2_penalty.ipynb, with `_LATE` after the
# name when late and `-1`, `-2`... before the extension for resubmissions.
CANVAS = re.compile(
    r"^(?P<name>[^_]+)_(?:(?i:late)_)?(?P<student_id>\d+)_(?P<submission_id>\d+)_"
    r"(?P<file_id>.+)$"
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
    r"^(?P<prefix>.+)_attempt_(?P<timestamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})_"
    r"(?P<file_id>.+)$"
)
RESUBMISSION_SUFFIX = re.compile(r"(?:-\d+| \(\d+\))$")


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
        # The file itself, then its folders (Moodle folders, unpacked zips)
        for depth, part in enumerate([path.name, *reversed(path.parent.parts)]):
            info = self.match_name(part)
            if info is None:
                continue
            if depth > 0 or not info["file_id"]:
                info["file_id"] = path.name
            return info
        return None

    def match_name(self, name: str) -> dict | None:
        for lms, pattern in (("Canvas", CANVAS), ("Moodle", MOODLE)):
            found = pattern.match(name)
            if found:
                info = found.groupdict()
                return {
                    "student_id": info["student_id"],
                    "file_id": info["file_id"],
                    "lms": lms,
                }
        found = BLACKBOARD.match(name)
        if found:
            prefix = found["prefix"]
            if self.assignment_id and prefix.startswith(self.assignment_id + "_"):
                student = prefix[len(self.assignment_id) + 1 :]
            else:
                student = prefix.rsplit("_", 1)[-1]
            day, hms = found["timestamp"][:10], found["timestamp"][11:]
            return {
                "student_id": student,
                "file_id": found["file_id"],
                "timestamp": f"{day} {hms.replace('-', ':')}",
                "lms": "Blackboard",
            }
        return None


@dataclass
class Submission:
    """One student's submission of one assignment, as found in the input."""

    student_id: str
    # expected notebook name (no .ipynb) -> file in the input
    notebooks: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)
    timestamp: str | None = None
    origin: str = ""
    problem: str | None = None  # set when there is nothing to grade

    def fingerprint(self) -> str:
        """A hash of what would be graded: same hash, same grades (resume key)."""
        digest = hashlib.sha256()
        for name in sorted(self.notebooks):
            digest.update(name.encode() + b"\0")
            digest.update(self.notebooks[name].read_bytes())
        digest.update(repr((self.problem, sorted(self.notes))).encode())
        return digest.hexdigest()


@dataclass
class _Found:
    student_id: str
    path: Path
    file_id: str  # the notebook's own name as the student called it
    note: str | None = None
    timestamp: str | None = None
    attempt: int = 0


def find_submissions(
    course: Course, assignment: str, notebooks: list[str], source: Path
) -> list[Submission]:
    """Every submission in a folder or zip, grouped by student."""
    source = Path(source)
    check_source(source)
    if source.is_file():
        root = _extract_zip(course, assignment, source)
    else:
        root = source
    root = _unwrap(root, assignment)
    collector = LmsFileNameCollector()
    collector.assignment_id = assignment

    found: list[_Found] = []
    others: dict[str, list[str]] = {}
    for path in sorted(_walk(root)):
        rel = path.relative_to(root)
        info = collector.collect(str(rel)) if path.suffix == ".ipynb" else None
        if info is None and path.suffix != ".ipynb":
            info = _lms_owner(collector, rel)
            if info is not None:
                others.setdefault(_safe_id(info["student_id"])[0], []).append(str(rel))
                continue
        if info is not None:
            student, note = _safe_id(info["student_id"])
            file_id = Path(info["file_id"]).name
            stem = Path(file_id).stem
            attempt = _attempt_number(stem)
            found.append(
                _Found(student, path, file_id, note, info.get("timestamp"), attempt)
            )
            continue
        if len(rel.parts) == 1:
            if path.suffix != ".ipynb":
                continue  # a stray file next to the student folders
            # A lone notebook: the only clue to its owner is its name.
            student, note = _safe_id(path.stem)
            found.append(
                _Found(
                    student,
                    path,
                    path.name,
                    f"no student folder: took the student id from the file name "
                    f"'{path.name}'",
                )
            )
            continue
        student, note = _safe_id(rel.parts[0])
        if path.suffix == ".ipynb":
            inner = rel.parts[1:-1]
            if inner and list(inner) != [assignment]:
                note = (note + "; " if note else "") + (
                    f"notebook found in subfolder '{'/'.join(inner)}'"
                )
            found.append(_Found(student, path, path.name, note))
        else:
            others.setdefault(student, []).append(str(rel))

    students = sorted({f.student_id for f in found} | set(others))
    return [
        _assemble(
            student,
            [f for f in found if f.student_id == student],
            others.get(student, []),
            notebooks,
            root,
        )
        for student in students
    ]


def collect_into_course(
    course: Course, assignment: str, submissions: list[Submission]
) -> None:
    """Copy each submission to `submitted/<student>/<assignment>/`, nbgrader's place
    for collected work (with `timestamp.txt` when the LMS gave a time)."""
    for sub in submissions:
        target = course.submitted_dir(sub.student_id, assignment)
        # read first: the input may be this very folder (regrading submitted/)
        contents = {name: path.read_bytes() for name, path in sub.notebooks.items()}
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name, content in contents.items():
            (target / f"{name}.ipynb").write_bytes(content)
            sub.notebooks[name] = target / f"{name}.ipynb"
        if sub.timestamp:
            (target / "timestamp.txt").write_text(sub.timestamp)


# --- helpers ------------------------------------------------------------------
def _extract_zip(course: Course, assignment: str, archive: Path) -> Path:
    """Unpack into nbgrader zip_collect's `downloaded/<assignment>/extracted`."""
    downloaded = course.downloaded_dir(assignment)
    archive_dir, extracted = downloaded / "archive", downloaded / "extracted"
    for folder in (archive_dir, extracted):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    kept = archive_dir / (archive.stem + ".zip")
    shutil.copyfile(archive, kept)
    try:
        unzip(str(kept), str(extracted), zip_ext=[".zip"], tree=True)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UsageError(f"could not unpack {archive}: {error}") from error
    return extracted


def _walk(root: Path):
    for path in root.rglob("*"):
        if any(part in JUNK_DIRS or part.startswith("._") for part in path.parts):
            continue
        if path.is_file() and path.name not in JUNK_NAMES and path.suffix != ".zip":
            yield path


def _looks_like_student(folder: Path, assignment: str) -> bool:
    return any(folder.glob("*.ipynb")) or (folder / assignment).is_dir()


def _unwrap(root: Path, assignment: str) -> Path:
    """Step into wrapper folders (`class/`, `submitted/`) that hold students."""
    while True:
        entries = [p for p in root.iterdir() if p.name not in JUNK_NAMES | JUNK_DIRS]
        dirs = [p for p in entries if p.is_dir()]
        files = [p for p in entries if p.is_file() and p.suffix != ".zip"]
        if files or len(dirs) != 1 or _looks_like_student(dirs[0], assignment):
            return root
        if LmsFileNameCollector().match_name(dirs[0].name):
            return root
        root = dirs[0]


def _lms_owner(collector: LmsFileNameCollector, rel: Path) -> dict | None:
    for part in [rel.name, *reversed(rel.parent.parts)]:
        info = collector.match_name(part)
        if info is not None:
            return info
    return None


def _safe_id(raw: str) -> tuple[str, str | None]:
    """A student id usable as a folder name, and a note if it had to change."""
    cleaned = re.sub(r"[\\/\x00-\x1f]", "_", raw.strip())
    if cleaned in ("", ".", "..") or cleaned.startswith("."):
        cleaned = "_" + cleaned.lstrip(".") if cleaned.strip(".") else "_unnamed"
    if cleaned != raw:
        return cleaned, f"student id '{raw}' stored as '{cleaned}'"
    return cleaned, None


def _attempt_number(stem: str) -> int:
    found = re.search(r"(?:-(\d+)| \((\d+)\))$", stem)
    if not found:
        return 0
    return int(found.group(1) or found.group(2))


def _normalise(stem: str) -> str:
    return RESUBMISSION_SUFFIX.sub("", stem).strip().lower()


def _assemble(
    student: str,
    files: list[_Found],
    other_files: list[str],
    notebooks: list[str],
    root: Path,
) -> Submission:
    sub = Submission(student, other_files=sorted(other_files))
    origins = sorted({str(f.path.relative_to(root)) for f in files})
    sub.origin = ", ".join(origins[:3]) + (" ..." if len(origins) > 3 else "")
    sub.notes.extend(sorted({f.note for f in files if f.note}))
    stamps = sorted(f.timestamp for f in files if f.timestamp)
    sub.timestamp = stamps[-1] if stamps else None
    if not files:
        listed = ", ".join(other_files[:5]) + (" ..." if len(other_files) > 5 else "")
        sub.problem = f"no notebook (.ipynb) in the submission; found {listed}"
        return sub

    unclaimed = list(files)
    for expected in notebooks:
        # the name, give or take case and the "-1" / " (1)" that an LMS or a
        # browser adds to a second copy
        matches = [
            f for f in unclaimed if _normalise(Path(f.file_id).stem) == expected.lower()
        ]
        if not matches:
            continue
        # Several versions (Canvas resubmissions, copies): grade the latest.
        matches.sort(
            key=lambda f: (f.timestamp or "", f.attempt, f.path.stat().st_mtime)
        )
        chosen = matches[-1]
        sub.notebooks[expected] = chosen.path
        if len(matches) > 1:
            sub.notes.append(
                f"{len(matches)} versions of {expected}.ipynb; graded the latest "
                f"('{chosen.file_id}')"
            )
        for f in matches:
            unclaimed.remove(f)

    missing = [name for name in notebooks if name not in sub.notebooks]
    if len(missing) == 1 and len(unclaimed) == 1:
        # One notebook expected, one left over: a renamed file.
        chosen = unclaimed.pop()
        sub.notebooks[missing[0]] = chosen.path
        sub.notes.append(
            f"submitted as '{chosen.file_id}'; graded as '{missing[0]}.ipynb'"
        )
    elif unclaimed:
        names = ", ".join(sorted(f.file_id for f in unclaimed))
        sub.notes.append(f"ignored notebooks with unexpected names: {names}")
    if not sub.notebooks:
        expected = ", ".join(f"{name}.ipynb" for name in notebooks)
        sub.problem = f"no notebook named {expected}; found " + ", ".join(
            sorted(f.file_id for f in files)
        )
    return sub
