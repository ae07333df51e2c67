"""Student ids: one comparison key per person, and a name safe for a folder.

Two spellings of one id (`alice` and `alice `, `Alice`, the full-width
`ａｌｉｃｅ`) have one key, so they can never become two rows, nor one row that
silently holds whichever came last.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Longest id kept as is: it becomes a folder name under submitted/ and feedback/.
MAX_ID_BYTES = 200


def _visible(raw: str) -> str:
    """NFKC form without zero-width and other format characters, trimmed."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return text.strip()


def id_key(raw: str) -> str:
    """The form two ids are compared in: trimmed, NFKC, case-folded."""
    return unicodedata.normalize("NFKC", _visible(raw).casefold())


def safe_id(raw: str) -> tuple[str, str | None]:
    """A student id usable as a folder name, and a note if it had to change."""
    cleaned = re.sub(r"[\\/\x00-\x1f\x7f]", "_", _visible(raw))
    if cleaned in ("", ".", "..") or cleaned.startswith("."):
        cleaned = "_" + cleaned.lstrip(".") if cleaned.strip(".") else "_unnamed"
    if len(cleaned.encode()) > MAX_ID_BYTES:
        digest = hashlib.sha256(cleaned.encode()).hexdigest()[:12]
        cleaned = cleaned.encode()[:80].decode(errors="ignore") + "-" + digest
    if cleaned != raw:
        return cleaned, f"student id {raw!r} stored as {cleaned!r}"
    return cleaned, None
