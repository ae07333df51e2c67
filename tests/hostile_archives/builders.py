"""Zips with hostile members: odd modes, links, devices, bombs, lying headers."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

DATE = (2026, 3, 1, 12, 30, 0)
CENTRAL_SIGNATURE = b"PK\x01\x02"


def member(name: str, mode: int | None = None, date_time=DATE) -> zipfile.ZipInfo:
    """A member whose Unix mode (type and permission bits) is `mode`."""
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    if mode is not None:
        info.create_system = 3  # Unix: the high 16 bits are st_mode
        info.external_attr = mode << 16
    return info


def symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    return member(name, stat.S_IFLNK | 0o777), target.encode()


def write_zip(path: Path, members) -> Path:
    """`members`: (name or ZipInfo, bytes) pairs, written in order."""
    path.write_bytes(zip_bytes(members))
    return path


def zip_bytes(members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = member(name) if isinstance(name, str) else name
            archive.writestr(info, data)
    return buffer.getvalue()


def bomb(path: Path, name: str, expanded_bytes: int, honest=()) -> Path:
    """One member of `expanded_bytes` zeros, streamed in (deflate: about 1/1000
    of that on disk), after the `honest` members."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for honest_name, data in honest:
            archive.writestr(member(honest_name), data)
        chunk = bytes(1024**2)
        with archive.open(member(name), "w", force_zip64=True) as writer:
            for _ in range(expanded_bytes // len(chunk)):
                writer.write(chunk)
    return path


def patch_central(
    path: Path, name: str, *, crc: int | None = None, file_size: int | None = None
) -> None:
    """Rewrite the CRC or declared size of `name` in the central directory, the
    record readers believe."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    start = 0
    while True:
        start = data.index(CENTRAL_SIGNATURE, start)
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if bytes(data[start + 46 : start + 46 + name_length]) == encoded:
            break
        start += 4
    if crc is not None:
        struct.pack_into("<I", data, start + 16, crc)
    if file_size is not None:
        struct.pack_into("<I", data, start + 24, file_size)
    path.write_bytes(bytes(data))
