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
from graph.sources.files import decode_utf8, read_data_file

#: Largest source text we accept (a long report is a few hundred kB).
MAX_SOURCE_BYTES = 50 * 1024 * 1024
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_source_text(path: Path, root: Path) -> tuple[str, str]:
    """Return ``(text, sha256 of the bytes)`` or raise a :class:`DataError` naming file and line.

    ``root`` is the data folder: only regular files inside it are read (:mod:`graph.sources.files`).
    """
    raw = read_data_file(path, root, MAX_SOURCE_BYTES)
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError.single(path, 1, None, "starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")
    text = decode_utf8(raw, str(path), " (convert the file to UTF-8)")
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
