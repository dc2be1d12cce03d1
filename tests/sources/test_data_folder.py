"""Only regular files inside the data folder are read, and never more than the limit plus one byte.

Every byte read ends up in the exports and on the endpoint: a symlink out of the data folder
published any readable file of the machine, ``/dev/zero`` as a YAML file was read until memory
ran out, a FIFO hung validation forever and a symlink loop was a traceback. Each case runs
``kg validate`` as a user would, with a time limit, on a copy of the bundled data.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.run import SOURCE_ID, kg

from graph.errors import DataError
from graph.sources.files import read_data_file

TEXT = f"sources/{SOURCE_ID}.txt"
STATEMENTS = f"statements/{SOURCE_ID}.yaml"


def _replace(data: Path, relative: str, make: Callable[[Path], None]) -> None:
    path = data / relative
    path.unlink()
    make(path)


CASES: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "a source text that links out of the data folder": (
        lambda d: _replace(d, TEXT, lambda p: p.symlink_to("/etc/passwd")),
        TEXT,
        "a symlink to /etc/passwd, outside the data folder",
    ),
    "an entities file that links out of the data folder": (
        lambda d: _replace(d, "entities.yaml", lambda p: p.symlink_to("/etc/passwd")),
        "entities.yaml",
        "a symlink to /etc/passwd, outside the data folder",
    ),
    "/dev/zero as a source's metadata": (
        lambda d: (d / "sources" / "zero.yaml").symlink_to("/dev/zero"),
        "sources/zero.yaml",
        "a symlink to /dev/zero, outside the data folder",
    ),
    "a FIFO as a statements file": (
        lambda d: os.mkfifo(d / "statements" / "pipe.yaml"),
        "statements/pipe.yaml",
        "is a FIFO (named pipe), not a regular file",
    ),
    "a FIFO as a source text": (lambda d: _replace(d, TEXT, lambda p: os.mkfifo(p)), TEXT, "is a FIFO (named pipe), not a regular file"),
    "a symlink loop as a statements file": (
        lambda d: (d / "statements" / "loop.yaml").symlink_to("loop.yaml"),
        "statements/loop.yaml",
        "cannot read: Too many levels of symbolic links",
    ),
    "a symlink loop as the entities file": (
        lambda d: _replace(d, "entities.yaml", lambda p: p.symlink_to("entities.yaml")),
        "entities.yaml",
        "cannot read: Too many levels of symbolic links",
    ),
    "a folder named like a statements file": (
        lambda d: (d / "statements" / "folder.yaml").mkdir(),
        "statements/folder.yaml",
        "is a folder, not a regular file",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_what_is_not_a_regular_file_inside_the_data_folder_is_refused_with_one_line(case: str, data_copy: Path, tmp_path: Path) -> None:
    make, relative, message = CASES[case]
    make(data_copy)
    result = kg("validate", "--data", data_copy, cwd=data_copy.parent, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: data/{relative}: {message}"), errors[0]
    assert "root:" not in result.stdout + result.stderr, "nothing of the file linked to is shown"


def test_a_symlink_inside_the_data_folder_is_followed(data_copy: Path) -> None:
    text = data_copy / TEXT
    text.rename(data_copy / "sources" / "real.txt")
    text.symlink_to("real.txt")
    result = kg("validate", "--data", data_copy, cwd=data_copy.parent)
    assert result.returncode == 0, result.stderr


def test_the_reader_stops_after_the_limit_even_when_the_file_says_it_is_empty() -> None:
    status = Path("/proc/self/status")  # a regular file whose st_size is 0, like /dev/zero's
    assert status.stat().st_size == 0
    with pytest.raises(DataError, match="more than the 100 allowed"):
        read_data_file(status, status.parent, limit=100)
    assert len(read_data_file(status, status.parent, limit=1_000_000)) > 100
