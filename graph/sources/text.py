"""Reading source texts exactly, or refusing them with a reason.

Quote offsets count Unicode code points in the text *as stored*, so the text is decoded strictly
as UTF-8 and never normalised: no newline conversion, no Unicode normalisation, no trimming.
What cannot be anchored reliably is refused: other encodings, a byte-order mark, NUL and other
control characters, empty and oversized files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from graph.errors import DataError

#: Largest source text we accept (a long report is a few hundred kB).
MAX_SOURCE_BYTES = 50 * 1024 * 1024
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_source_text(path: Path) -> tuple[str, str]:
    """Return ``(text, sha256 of the bytes)`` or raise a :class:`DataError` naming file and line."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataError.single(path, None, None, f"cannot read source text: {exc.strerror}") from exc
    if size > MAX_SOURCE_BYTES:
        raise DataError.single(path, None, None, f"source text is {size:,} bytes, more than the {MAX_SOURCE_BYTES:,} allowed")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError.single(path, 1, None, "starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError.single(
            path, line, None, f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} (convert the file to UTF-8)"
        ) from exc
    if not text.strip():
        raise DataError.single(path, None, None, "source text is empty")
    bad = _BAD_CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise DataError.single(path, line, None, f"control character U+{ord(bad.group()):04X} in text (is this a binary file?)")
    return text, digest


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
