"""Find every submission in a folder or zip, and decide whose each one is.

The input's top level is a list of entries (`entries.py`), each with the owner
its own name gives. Entries of one owner become one submission (`assemble.py`).
Entries whose ids are one id spelled differently (case, spaces, Unicode forms)
become one error row naming every spelling: never two rows, never one
overwriting the other.
"""

from __future__ import annotations

from pathlib import Path

from ..course import Course, check_source
from .assemble import assemble
from .entries import Entry, Input, claim_owner, folder_input, unpack_entry, zip_input
from .extract import Budget, ClassBudget
from .ids import id_key, safe_id
from .submission import Submission

# The row that collects archive members no entry can own (absolute, `..`).
UNATTRIBUTED = "_unattributed"


def find_submissions(
    course: Course, assignment: str, notebooks: list[str], source: Path
) -> list[Submission]:
    """Every submission in a folder or zip, one per student."""
    source = Path(source)
    check_source(source)
    found = (
        zip_input(course, assignment, source)
        if source.is_file()
        else folder_input(course, source, assignment)
    )
    try:
        return _submissions(found, assignment, notebooks)
    finally:
        if found.archive is not None:
            found.archive.close()


def _submissions(found: Input, assignment: str, notebooks: list[str]):
    owners: dict[str, list[Entry]] = {}
    for entry in found.entries:
        if claim_owner(entry, assignment):
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
                unpack_entry(found, entry, budget)
            sub = assemble(group, budget.notes, notebooks, assignment)
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
