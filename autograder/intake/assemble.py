"""One owner's entries -> their `Submission`: which notebook is graded, and why.

The latest version of each expected notebook is graded (an LMS's resubmission
convention: `-1`, ` (1)`, a later time); one notebook under another name is
graded as the expected one; every guess is a note on the row.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .entries import Entry
from .extract import is_junk
from .ids import safe_id
from .submission import Submission

RESUBMISSION_SUFFIX = re.compile(r"(?:-\d+| \(\d+\))$")


@dataclass
class _Found:
    path: Path
    file_id: str  # the notebook's own name as the student called it
    entry: Entry
    shown: str  # where it is in the input, for notes: `<entry>/<path inside>`
    note: str | None = None
    attempt: int = 0


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


def assemble(
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
