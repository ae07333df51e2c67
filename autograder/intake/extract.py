"""Unpack zips as data: regular files and folders, nothing else, within caps.

A member becomes a file with mode 0o644 or a folder with mode 0o755, whatever
its header says: no setuid bit, no executable, no symbolic link, no device or
pipe. Bytes are streamed through a counter, so a member that expands past a cap
is stopped when it passes it, whatever size its header declared, and memory
stays at a few chunks. A name that climbs out (`..`), is absolute, is longer
than the filesystem allows, or clashes with a folder refuses the whole entry:
`Refused` carries the reason that becomes the student's row.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from . import limits

FILE_MODE = 0o644
FOLDER_MODE = 0o755

# Files an OS or LMS adds that are never a student's work: not even unpacked.
JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
JUNK_DIRS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__", ".git"}

# What a damaged or unsupported member raises while it is read.
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,  # encrypted
    NotImplementedError,  # compression method zipfile cannot read
    ValueError,
    OSError,
)


DRIVE = re.compile(r"^[A-Za-z]:/")  # C:/... once backslashes are slashes


class CountingFile(io.FileIO):
    """A zip file that counts the bytes read from it: the compressed bytes a
    member really consumed, which its header cannot misstate."""

    bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


class CountedZip(zipfile.ZipFile):
    """A zip read through a CountingFile, which it closes with itself."""

    def __init__(self, path: Path) -> None:
        self.counting = CountingFile(path)
        try:
            super().__init__(self.counting)
        except BaseException:
            self.counting.close()
            raise

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.counting.close()


def open_zip(path: Path) -> zipfile.ZipFile:
    return CountedZip(path)


class Refused(Exception):
    """An entry that cannot be unpacked as data; the message is the reason."""


def is_junk(parts: list[str] | tuple[str, ...]) -> bool:
    return (
        any(part in JUNK_DIRS or part.startswith("._") for part in parts)
        or bool(parts)
        and parts[-1] in JUNK_NAMES
    )


@dataclass
class ClassBudget:
    """What the whole class archive may still write."""

    bytes_left: int = field(default_factory=lambda: limits.MAX_CLASS_BYTES)


@dataclass
class Budget:
    """What one student's entries may still unpack, inner zips included."""

    whole_class: ClassBudget
    # read when a budget is made, so that a changed cap takes effect
    bytes_left: int = field(default_factory=lambda: limits.MAX_STUDENT_BYTES)
    members_left: int = field(default_factory=lambda: limits.MAX_STUDENT_MEMBERS)
    notes: list[str] = field(default_factory=list)

    def take_member(self, name: str) -> None:
        self.members_left -= 1
        if self.members_left < 0:
            raise Refused(
                f"more than {limits.MAX_STUDENT_MEMBERS} files and folders in the "
                f"submission (stopped at '{name}')"
            )

    def take_bytes(self, count: int, name: str) -> None:
        self.bytes_left -= count
        self.whole_class.bytes_left -= count
        if self.bytes_left < 0:
            raise Refused(
                f"the submission unpacks to more than "
                f"{_size(limits.MAX_STUDENT_BYTES)} (stopped in '{name}')"
            )
        if self.whole_class.bytes_left < 0:
            raise Refused(
                f"the class archive unpacks to more than "
                f"{_size(limits.MAX_CLASS_BYTES)}; this submission was "
                f"not unpacked (stopped in '{name}')"
            )


def split_name(name: str) -> tuple[bool, list[str]]:
    """(is the name absolute, its parts without empty and `.` parts).

    Backslashes count as separators: zips made on Windows use them.
    """
    name = name.replace("\\", "/")
    absolute = name.startswith("/") or bool(DRIVE.match(name))
    return absolute, [part for part in name.split("/") if part not in ("", ".")]


def checked_parts(name: str, folder: Path) -> list[str]:
    """The parts of a member name, or Refused if it cannot be a path in `folder`."""
    absolute, parts = split_name(name)
    if absolute:
        raise Refused(f"'{name}' is an absolute path")
    if ".." in parts:
        raise Refused(f"'{name}' climbs out of its folder ('..')")
    if not parts:
        raise Refused(f"a member has an empty name ('{name}')")
    name_max = _pathconf(folder, "PC_NAME_MAX", limits.FALLBACK_NAME_MAX)
    for part in parts:
        if "\x00" in part:
            raise Refused(f"'{name}' holds a NUL character")
        size = len(part.encode("utf-8", "surrogateescape"))
        if size > name_max:
            raise Refused(
                f"a name in the submission is {size} bytes long, longer than the "
                f"filesystem allows ({name_max}): '{part[:40]}...'"
            )
    path_max = _pathconf(folder, "PC_PATH_MAX", limits.FALLBACK_PATH_MAX)
    full = len(os.fsencode(folder)) + len("/".join(parts).encode()) + 1
    if full >= path_max:
        raise Refused(f"'{name[:60]}...' makes a path longer than {path_max} bytes")
    return parts


def _pathconf(folder: Path, name: str, fallback: int) -> int:
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError):
        return fallback


def entry_time(info: zipfile.ZipInfo) -> str:
    """The zip entry's date and time as written (zips store local time)."""
    year, month, day, hour, minute, second = info.date_time
    return f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"


def unpack_members(
    archive: zipfile.ZipFile,
    members: list[tuple[zipfile.ZipInfo, list[str]]],
    folder: Path,
    budget: Budget,
) -> None:
    """Write each (member, checked parts) under `folder`, or raise Refused."""
    for info, parts in members:
        if is_junk(parts):
            continue
        budget.take_member(info.filename)
        kind = _kind(info)
        shown = "/".join(parts)
        if kind == "link":
            budget.notes.append(f"'{shown}' is a symbolic link: not unpacked")
            continue
        if kind == "special":
            budget.notes.append(f"'{shown}' is a device or pipe: not unpacked")
            continue
        parent = make_folders(folder, parts[:-1] if kind == "file" else parts)
        if kind == "file":
            _write_member(archive, info, parent / parts[-1], budget, shown)


def _kind(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    file_type = stat.S_IFMT(mode)
    if file_type == stat.S_IFLNK:
        return "link"
    if file_type in (stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK):
        return "special"
    if info.is_dir() or file_type == stat.S_IFDIR:
        return "folder"
    return "file"


def make_folders(folder: Path, parts: list[str]) -> Path:
    """`folder/parts...`, each made with mode 0o755; a file in the way refuses."""
    current = folder
    for part in parts:
        current = current / part
        try:
            os.mkdir(current, FOLDER_MODE)
            os.chmod(current, FOLDER_MODE, follow_symlinks=False)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(current).st_mode):
                raise Refused(
                    f"'{_shown(folder, current)}' is both a file and a folder "
                    "in the submission"
                ) from None
        except OSError as error:
            raise Refused(_os_reason(error, _shown(folder, current))) from error
    return current


def _shown(folder: Path, path: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return path.name


def _os_reason(error: OSError, shown: str) -> str:
    if error.errno == errno.ENAMETOOLONG:
        return f"'{shown[:60]}...' is longer than the filesystem allows"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"the grader's disk is full: could not unpack '{shown}' "
            "(free some space and grade again)"
        )
    return f"could not unpack '{shown}': {error.strerror or error}"


def _write_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    budget: Budget,
    shown: str,
) -> None:
    if info.file_size > limits.MAX_MEMBER_BYTES:
        raise Refused(_too_big(shown))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        handle = os.open(target, flags, FILE_MODE)
    except FileExistsError:
        kind = "a folder" if target.is_dir() else "another file"
        raise Refused(f"'{shown}' clashes with {kind} of the same name") from None
    except OSError as error:
        raise Refused(_os_reason(error, shown)) from error
    try:
        os.fchmod(handle, FILE_MODE)  # the umask cannot add bits; this removes none
        _copy_counted(archive, info, handle, budget, shown)
    except BaseException:
        os.close(handle)
        target.unlink(missing_ok=True)
        raise
    os.close(handle)
    _set_mtime(target, info)


def _copy_counted(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    handle: int,
    budget: Budget,
    shown: str,
) -> None:
    """Stream one member to `handle`, counting what it really expands to, and
    from how many compressed bytes (read from the file, not from the header)."""
    reader = getattr(archive, "counting", None)
    written = 0
    try:
        with archive.open(info) as source:
            start = getattr(reader, "bytes_read", 0)
            while chunk := source.read(limits.CHUNK_BYTES):
                written += len(chunk)
                if written > limits.MAX_MEMBER_BYTES:
                    raise Refused(_too_big(shown))
                consumed = getattr(reader, "bytes_read", start + info.compress_size)
                ratio_limit = limits.MAX_COMPRESSION_RATIO * max(consumed - start, 1)
                if written > limits.RATIO_CHECKED_FROM_BYTES and written > ratio_limit:
                    raise Refused(
                        f"'{shown}' expands more than "
                        f"{limits.MAX_COMPRESSION_RATIO} times its compressed size "
                        "(a zip bomb?)"
                    )
                budget.take_bytes(len(chunk), shown)
                _write_all(handle, chunk, shown)
    except Refused:
        raise
    except UNREADABLE as error:
        raise Refused(f"'{shown}' is corrupt or unreadable: {error}") from error


def _write_all(handle: int, chunk: bytes, shown: str) -> None:
    """Write a chunk; a failed write is the grader's disk, not a corrupt zip."""
    view = memoryview(chunk)
    try:
        while view:
            view = view[os.write(handle, view) :]
    except OSError as error:
        raise Refused(_os_reason(error, shown)) from error


def _too_big(shown: str) -> str:
    return (
        f"'{shown}' unpacks to more than {_size(limits.MAX_MEMBER_BYTES)}, the cap "
        "for one file"
    )


def _size(count: int) -> str:
    if count >= limits.MIB:
        return f"{count // limits.MIB} MiB"
    return f"{count // 1024} KiB"


def _set_mtime(target: Path, info: zipfile.ZipInfo) -> None:
    """The file's time is the entry's (the LMS's upload time, when it set one)."""
    try:
        when = time.mktime((*info.date_time, 0, 0, -1))
        os.utime(target, (when, when), follow_symlinks=False)
    except (OverflowError, ValueError, OSError):
        pass


def directory_size(path: Path) -> tuple[int, int] | None:
    """(members, bytes) of a zip's central directory, as its end record declares
    them, read before the directory is loaded: each member costs memory."""
    end_record = getattr(zipfile, "_EndRecData", None)
    if end_record is None:
        return None
    with open(path, "rb") as handle:
        record = end_record(handle)
    if not record:
        return None
    return record[zipfile._ECD_ENTRIES_TOTAL], record[zipfile._ECD_SIZE]


def unpack_inner_zips(folder: Path, budget: Budget, depth: int = 1) -> None:
    """Replace each zip under `folder` by a folder of the same name holding its
    unpacked members, `depth` levels deep at most; Refused if one is corrupt."""
    for path in sorted(_zips_under(folder)):
        relative = _shown(folder, path)
        if depth > limits.MAX_INNER_ZIP_DEPTH:
            budget.notes.append(
                f"'{relative}' is nested more than {limits.MAX_INNER_ZIP_DEPTH} zips "
                "deep: not unpacked"
            )
            continue
        unpacked = unpack_zip_file(path, budget)
        unpack_inner_zips(unpacked, budget, depth + 1)


def unpack_zip_file(path: Path, budget: Budget) -> Path:
    """Unpack the zip file at `path` into a folder that takes its place."""
    declared = directory_size(path) if zipfile.is_zipfile(path) else None
    if declared is None:
        raise Refused(f"'{path.name}' is not a readable zip file")
    members, directory_bytes = declared
    if members > budget.members_left:
        raise Refused(
            f"'{path.name}' declares {members} members, more than the "
            f"{limits.MAX_STUDENT_MEMBERS} a submission may hold"
        )
    if directory_bytes > limits.MAX_DIRECTORY_BYTES:
        raise Refused(
            f"'{path.name}' has a central directory of {directory_bytes} bytes, "
            f"more than {_size(limits.MAX_DIRECTORY_BYTES)}"
        )
    scratch = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=path.parent))
    os.chmod(scratch, FOLDER_MODE)
    try:
        with open_zip(path) as archive:
            members = [
                (info, checked_parts(info.filename, scratch))
                for info in archive.infolist()
            ]
            unpack_members(archive, members, scratch, budget)
    except Refused:
        raise
    except UNREADABLE as error:
        raise Refused(f"'{path.name}' is a corrupt zip: {error}") from error
    path.unlink()
    scratch.rename(path)
    return path


def _zips_under(folder: Path):
    if folder.is_file():
        if folder.suffix.lower() == ".zip":
            yield folder
        return
    for parent, _, files in os.walk(folder):
        for name in files:
            if name.lower().endswith(".zip"):
                yield Path(parent) / name
