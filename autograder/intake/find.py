"""Find every submission in a folder or zip, and decide whose each one is.

The input's top level is a list of *entries*, each named by the LMS or by the
folder a student submitted into: a Canvas file, a Moodle folder or file, a
Blackboard file, a `<student_id>/` folder, or a lone notebook. An entry's owner
is read from its own name and from nothing below it, so everything inside an
entry (its files, its inner zips, whatever they are called) is its owner's.
Entries whose ids are one id spelled differently (case, spaces, Unicode forms)
become one error row naming every spelling: never two rows, never one
overwriting the other.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course, UsageError, check_source
from .extract import (
    Budget,
    ClassBudget,
    Refused,
    checked_parts,
    entry_time,
    is_junk,
    make_folders,
    open_zip,
    split_name,
    unpack_inner_zips,
    unpack_members,
)
from .ids import id_key, safe_id
from .lms import LmsName, parse_lms_name
from .submission import Submission, read_regular_file, write_new_file

RESUBMISSION_SUFFIX = re.compile(r"(?:-\d+| \(\d+\))$")
# The row that collects archive members no entry can own (absolute, `..`).
UNATTRIBUTED = "_unattributed"


@dataclass
class Entry:
    """One top-level entry of the input; everything under it is its owner's."""

    name: str
    is_file: bool
    raw_id: str = ""
    lms_name: LmsName | None = None
    note: str | None = None  # how the owner was read, when it is a guess
    members: list[zipfile.ZipInfo] = field(default_factory=list)  # zip input
    path: Path | None = None  # where its files are on disk
    problem: str | None = None

    @property
    def claim(self) -> tuple[str, str]:
        """(id as written, how it was read): entries with the same claim are one
        person's files or attempts (Canvas writes one entry per file)."""
        if self.lms_name is not None:
            shown = self.lms_name.display_name
            how = f"{self.lms_name.lms} name {shown!r}" if shown else self.lms_name.lms
        elif self.is_file:
            how = "a file name"
        else:
            how = "a folder name"
        return self.raw_id, how

    @property
    def time(self) -> str | None:
        """The latest zip entry time among its members (zip input only)."""
        return max((entry_time(info) for info in self.members), default=None)


@dataclass
class _Found:
    path: Path
    file_id: str  # the notebook's own name as the student called it
    entry: Entry
    shown: str  # where it is in the input, for notes: `<entry>/<path inside>`
    note: str | None = None
    attempt: int = 0


@dataclass
class _Input:
    """What find_submissions reads from: a folder, or an unpacked-on-demand zip."""

    root: Path  # the folder that holds the entries
    entries: list[Entry]
    archive: zipfile.ZipFile | None = None
    extracted: Path | None = None  # where the zip's member names start
    unattributed: list[str] = field(default_factory=list)
    staging: Path | None = None  # where a folder input's zips are unpacked


def find_submissions(
    course: Course, assignment: str, notebooks: list[str], source: Path
) -> list[Submission]:
    """Every submission in a folder or zip, one per student."""
    source = Path(source)
    check_source(source)
    found = (
        _zip_input(course, assignment, source)
        if source.is_file()
        else _folder_input(course, source, assignment)
    )
    try:
        return _submissions(found, assignment, notebooks)
    finally:
        if found.archive is not None:
            found.archive.close()


def _submissions(found: _Input, assignment: str, notebooks: list[str]):
    owners: dict[str, list[Entry]] = {}
    for entry in found.entries:
        if _claim(entry, assignment):
            owners.setdefault(id_key(entry.raw_id), []).append(entry)
    whole_class = ClassBudget()
    subs = []
    for group in owners.values():
        claims = sorted({entry.claim for entry in group})
        if len(claims) > 1:
            subs.append(_conflict(group, claims))
            continue
        try:
            budget = Budget(whole_class)
            for entry in group:
                _unpack(found, entry, budget)
            sub = _assemble(group, budget.notes, notebooks, assignment)
        except Exception as error:  # noqa: BLE001 - one student's entry, not the run
            sub = Submission(
                safe_id(group[0].raw_id)[0],
                problem=f"could not read the submission: {error!r}",
                entries=sorted(entry.name for entry in group),
            )
        subs.append(sub)
    if found.unattributed:
        subs.append(_unattributed(found.unattributed, subs))
    return _one_row_per_id(subs)


def _one_row_per_id(subs: list[Submission]) -> list[Submission]:
    """Two ids that only became equal when made folder-safe (`a/b`, `a_b`)
    share one error row too: a row is never written twice."""
    rows: dict[str, list[Submission]] = {}
    for sub in subs:
        rows.setdefault(sub.student_id, []).append(sub)
    merged = []
    for student, same in sorted(rows.items()):
        if len(same) == 1:
            merged.extend(same)
            continue
        entries = sorted(name for sub in same for name in sub.entries)
        listed = ", ".join(repr(name) for name in entries)
        merged.append(
            Submission(
                student,
                problem=(
                    f"{len(same)} submissions would be stored as student "
                    f"{student!r}: {listed}; none was graded: correct the names "
                    "and grade again"
                ),
                entries=entries,
            )
        )
    return merged


# --- the two kinds of input ---------------------------------------------------
def _zip_input(course: Course, assignment: str, source: Path) -> _Input:
    """The zip's entries, read from its directory; nothing is unpacked yet.
    Unpacked later into nbgrader zip_collect's `downloaded/<assignment>/extracted`."""
    downloaded = course.downloaded_dir(assignment)
    archive_dir, extracted = downloaded / "archive", downloaded / "extracted"
    downloaded.mkdir(parents=True, exist_ok=True)
    # copied aside first: the zip given may be the one kept from the last run
    incoming = downloaded / ".incoming.zip"
    shutil.copyfile(source, incoming)
    for folder in (archive_dir, extracted):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    kept = archive_dir / (source.stem + ".zip")
    os.replace(incoming, kept)
    try:
        archive = open_zip(kept)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UsageError(f"could not unpack {source}: {error}") from error

    named: list[tuple[zipfile.ZipInfo, list[str]]] = []
    unattributed = []
    for info in archive.infolist():
        absolute, parts = split_name(info.filename)
        if absolute or not parts or parts[0] == "..":
            unattributed.append(info.filename)
        elif not is_junk(parts):
            named.append((info, parts))
    prefix = _wrapper_prefix(_zip_listing(named), assignment)
    entries: dict[str, Entry] = {}
    for info, parts in named:
        if parts[: len(prefix)] != prefix or len(parts) == len(prefix):
            continue  # the wrapper folders themselves
        rest = parts[len(prefix) :]
        flat = len(rest) == 1 and not info.is_dir()
        entry = entries.setdefault(rest[0], Entry(rest[0], is_file=flat))
        entry.is_file = entry.is_file and flat
        entry.members.append(info)
    root = extracted.joinpath(*prefix)
    return _Input(root, list(entries.values()), archive, extracted, unattributed)


def _folder_input(course: Course, source: Path, assignment: str) -> _Input:
    """A folder's entries, read where they are (never through a link). A
    student folder holding a zip is copied to `downloaded/<assignment>/
    unpacked` first, and the zip is unpacked there: the input is never changed."""
    root = source.joinpath(*_wrapper_prefix(_folder_listing(source), assignment))
    staging = course.downloaded_dir(assignment) / "unpacked"
    if not source.resolve().is_relative_to(staging.resolve()):
        if staging.exists():
            shutil.rmtree(staging)
    else:
        staging = None  # grading the unpacked copy itself: leave it as it is
    entries = []
    for item in sorted(os.scandir(root), key=lambda item: item.name):
        if is_junk([item.name]):
            continue
        entry = Entry(item.name, is_file=not item.is_dir(follow_symlinks=False))
        entry.path = Path(item.path)
        if item.is_symlink():
            # its name still claims a student: that row says why it was not read
            entry.is_file = not item.is_dir()
            entry.problem = f"'{item.name}' is a symbolic link: not read"
        entries.append(entry)
    return _Input(root, entries, staging=staging)


Listing = Callable[[list[str]], tuple[set[str], set[str]]]


def _zip_listing(named: list[tuple[zipfile.ZipInfo, list[str]]]) -> Listing:
    folders: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
    for info, parts in named:
        for depth in range(len(parts)):
            dirs, files = folders.setdefault(tuple(parts[:depth]), (set(), set()))
            last = depth == len(parts) - 1
            (files if last and not info.is_dir() else dirs).add(parts[depth])
    return lambda prefix: folders.get(tuple(prefix), (set(), set()))


def _folder_listing(source: Path) -> Listing:
    def listing(prefix: list[str]) -> tuple[set[str], set[str]]:
        dirs, files = set(), set()
        for item in os.scandir(source.joinpath(*prefix)):
            if not is_junk([item.name]):
                is_dir = item.is_dir(follow_symlinks=False)
                (dirs if is_dir else files).add(item.name)
        return dirs, files

    return listing


def _wrapper_prefix(listing: Listing, assignment: str) -> list[str]:
    """Wrapper folders (`class/`, `submitted/`) around the entries, from the
    input's own structure: one folder alone that does not look like a student's."""
    prefix: list[str] = []
    while True:
        dirs, files = listing(prefix)
        if files or len(dirs) != 1:
            return prefix
        (only,) = dirs
        inner_dirs, inner_files = listing([*prefix, only])
        holds_work = assignment in inner_dirs or any(
            name.lower().endswith((".ipynb", ".zip")) for name in inner_files
        )
        if holds_work or parse_lms_name(only, assignment) or not inner_dirs:
            return prefix
        prefix.append(only)


# --- owners -------------------------------------------------------------------
def _claim(entry: Entry, assignment: str) -> bool:
    """Read the entry's owner from its name; False for a stray file."""
    entry.lms_name = parse_lms_name(entry.name, assignment)
    if entry.lms_name is not None:
        entry.raw_id = entry.lms_name.student_id
    elif not entry.is_file:
        entry.raw_id = entry.name
    elif Path(entry.name).suffix.lower() in (".ipynb", ".zip"):
        # A lone notebook or zip: the only clue to its owner is its name.
        entry.raw_id = Path(entry.name).stem
        entry.note = (
            f"no student folder: took the student id from the file name '{entry.name}'"
        )
    else:
        return False  # a stray file next to the student folders
    return True


def _conflict(group: list[Entry], claims: list[tuple[str, str]]) -> Submission:
    """One row for entries that claim one id as different people: the id spelled
    differently, or given by different LMS names or ways of reading an owner."""
    student, _ = safe_id(claims[0][0])
    described = "; ".join(
        f"{spelling!r} from {how} ("
        + ", ".join(repr(e.name) for e in group if e.claim == (spelling, how))
        + ")"
        for spelling, how in claims
    )
    return Submission(
        student,
        problem=(
            f"{len(claims)} different claims on one student id: {described}. Ids "
            "are compared without surrounding spaces, case or Unicode "
            "compatibility forms, so none was graded: correct the names and "
            "grade again"
        ),
        entries=sorted(e.name for e in group),
    )


def _unattributed(names: list[str], subs: list[Submission]) -> Submission:
    shown = ", ".join(repr(name) for name in sorted(names)[:5])
    problem = (
        f"{len(names)} archive member(s) with an absolute name or '..' belong to "
        f"no entry and were not unpacked: {shown}"
    )
    taken = {sub.student_id for sub in subs}
    student = UNATTRIBUTED if UNATTRIBUTED not in taken else UNATTRIBUTED + "_"
    return Submission(student, problem=problem)


# --- unpacking and reading one owner's entries --------------------------------
def _unpack(found: _Input, entry: Entry, budget: Budget) -> None:
    """Put a zip entry's files on disk, then its inner zips; Refused -> problem."""
    if entry.problem:
        return
    if found.archive is None or found.extracted is None:
        _unpack_folder_zips(found, entry, budget)
        return
    try:
        members = [
            (info, checked_parts(info.filename, found.extracted))
            for info in entry.members
        ]
        unpack_members(found.archive, members, found.extracted, budget)
        entry.path = found.root / entry.name
        unpack_inner_zips(entry.path, budget)
    except Refused as refused:
        entry.problem = str(refused)


def _unpack_folder_zips(found: _Input, entry: Entry, budget: Budget) -> None:
    """A folder entry holding zips is copied (regular files only) and its zips
    unpacked in the copy, which then stands for the entry."""
    if found.staging is None or entry.path is None or entry.is_file:
        return
    if not any(path.suffix.lower() == ".zip" for path in _regular_files(entry.path)):
        return
    copy = found.staging / entry.name
    try:
        copy.mkdir(parents=True, exist_ok=True)
        for path in _regular_files(entry.path):
            relative = path.relative_to(entry.path)
            budget.take_member(str(relative))
            content = read_regular_file(path)
            budget.take_bytes(len(content), str(relative))
            target = make_folders(copy, list(relative.parts[:-1])) / relative.name
            write_new_file(target, content)
        unpack_inner_zips(copy, budget)
    except Refused as refused:
        entry.problem = str(refused)
    except OSError as error:
        entry.problem = f"could not copy the submission: {error}"
    entry.path = copy


def _regular_files(folder: Path):
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not is_junk([name]))
        for name in sorted(files):
            path = Path(parent) / name
            if not is_junk([name]) and stat.S_ISREG(os.lstat(path).st_mode):
                yield path


def _files(entry: Entry, assignment: str, notes: list[str]):
    """(notebooks, other files as shown) of one entry, never through a link."""
    notebooks: list[_Found] = []
    others: list[str] = []
    if entry.path is None or not os.path.lexists(entry.path):
        return notebooks, others
    if not entry.path.is_dir():
        if entry.path.suffix == ".ipynb":
            file_id = Path(entry.lms_name.file_id if entry.lms_name else "").name
            file_id = file_id or entry.name
            notebooks.append(_Found(entry.path, file_id, entry, entry.name, entry.note))
        else:
            others.append(entry.name)
        return notebooks, others
    for parent, dirs, files in os.walk(entry.path):
        here = Path(parent)
        dirs[:] = sorted(name for name in dirs if not is_junk([name]))
        for name in sorted(dirs):
            if (here / name).is_symlink():
                notes.append(f"'{_shown(entry, here / name)}' is a link: not read")
        for name in sorted(files):
            path = here / name
            if is_junk([name]):
                continue
            mode = os.lstat(path).st_mode
            if not stat.S_ISREG(mode):
                notes.append(f"'{_shown(entry, path)}' is not a regular file: not read")
                continue
            if path.suffix != ".ipynb":
                others.append(_shown(entry, path))
                continue
            inner = path.relative_to(entry.path).parts[:-1]
            note = entry.note
            if inner and list(inner) != [assignment]:
                note = (note + "; " if note else "") + (
                    f"notebook found in subfolder '{'/'.join(inner)}'"
                )
            notebooks.append(_Found(path, name, entry, _shown(entry, path), note))
    return notebooks, others


def _shown(entry: Entry, path: Path) -> str:
    assert entry.path is not None
    return str(Path(entry.name) / path.relative_to(entry.path))


def _attempt_number(stem: str) -> int:
    found = re.search(r"(?:-(\d+)| \((\d+)\))$", stem)
    if not found:
        return 0
    return int(found.group(1) or found.group(2))


def _normalise(stem: str) -> str:
    return RESUBMISSION_SUFFIX.sub("", stem).strip().lower()


def _assemble(
    group: list[Entry],
    unpack_notes: list[str],
    notebooks: list[str],
    assignment: str,
) -> Submission:
    """One owner's entries -> their submission (the latest version of each
    expected notebook, as today's LMS resubmission convention has it)."""
    student, id_note = safe_id(group[0].raw_id)
    sub = Submission(student, entries=sorted(entry.name for entry in group))
    if id_note:
        sub.notes.append(id_note)
    sub.notes.extend(unpack_notes)
    problems = [f"{entry.name}: {entry.problem}" for entry in group if entry.problem]
    if len(group) == 1 and problems:
        problems = [group[0].problem or ""]
    if problems:
        # part of the submission could not be read as data: grading the rest
        # would grade something other than what the student sent
        sub.problem = "; ".join(problems)
        _describe(sub, group)
        return sub

    files: list[_Found] = []
    other_files: list[str] = []
    walk_notes: list[str] = []
    for entry in group:
        found, others = _files(entry, assignment, walk_notes)
        for item in found:
            item.attempt = _attempt_number(Path(item.file_id).stem)
        files.extend(found)
        other_files.extend(others)
    sub.notes.extend(walk_notes)
    sub.other_files = sorted(other_files)
    origins = sorted({f.shown for f in files})
    sub.origin = ", ".join(origins[:3]) + (" ..." if len(origins) > 3 else "")
    sub.notes.extend(sorted({f.note for f in files if f.note}))
    stamps = sorted(
        f.entry.lms_name.timestamp
        for f in files
        if f.entry.lms_name and f.entry.lms_name.timestamp
    )
    sub.timestamp = stamps[-1] if stamps else None
    if not files:
        listed = ", ".join(sub.other_files[:5]) + (
            " ..." if len(sub.other_files) > 5 else ""
        )
        sub.problem = f"no notebook (.ipynb) in the submission; found {listed}"
        _describe(sub, group)
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
            key=lambda f: (
                (f.entry.lms_name.timestamp if f.entry.lms_name else None) or "",
                f.attempt,
                f.path.stat().st_mtime,
            )
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
    graded = [f.entry for f in files if f.path in sub.notebooks.values()]
    _describe(sub, graded or group)
    return sub


def _describe(sub: Submission, entries: list[Entry]) -> None:
    """What the LMS said about the entries that are graded (issue 16 stores it)."""
    named = [entry.lms_name for entry in entries if entry.lms_name]
    if named:
        sub.lms = named[0].lms
        sub.display_name = next((n.display_name for n in named if n.display_name), None)
        sub.late = any(n.late for n in named)
    times = [entry.time for entry in entries if entry.time]
    sub.entry_time = max(times) if times else None
