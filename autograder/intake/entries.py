"""The input's top level: its entries, whose each one is, and its files on disk.

An entry is what the LMS named (a Canvas or Blackboard file, a Moodle folder
or file) or the folder a student submitted into, or a lone notebook. Its owner
is read from its own name and from nothing below it, so everything inside an
entry (its files, its inner zips, whatever they are called) is its owner's.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..course import Course, UsageError
from .extract import (
    Budget,
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
from .lms import LmsName, parse_lms_name
from .submission import read_regular_file, write_new_file


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
class Input:
    """What find_submissions reads from: a folder, or an unpacked-on-demand zip."""

    root: Path  # the folder that holds the entries
    entries: list[Entry]
    archive: zipfile.ZipFile | None = None
    extracted: Path | None = None  # where the zip's member names start
    unattributed: list[str] = field(default_factory=list)
    staging: Path | None = None  # where a folder input's zips are unpacked


# --- the two kinds of input ---------------------------------------------------
def zip_input(course: Course, assignment: str, source: Path) -> Input:
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
    return Input(root, list(entries.values()), archive, extracted, unattributed)


def folder_input(course: Course, source: Path, assignment: str) -> Input:
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
        elif entry.is_file and not item.is_file(follow_symlinks=False):
            entry.problem = f"'{item.name}' is not a regular file: not read"
        entries.append(entry)
    return Input(root, entries, staging=staging)


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


# --- whose entry ----------------------------------------------------------------
def claim_owner(entry: Entry, assignment: str) -> bool:
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


# --- putting an entry's files on disk -----------------------------------------
def unpack_entry(found: Input, entry: Entry, budget: Budget) -> None:
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


def _unpack_folder_zips(found: Input, entry: Entry, budget: Budget) -> None:
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
