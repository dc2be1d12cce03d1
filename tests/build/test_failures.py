"""Failures are one line and an exit code, cost time linear in the input, and leave no file behind.

Invalid data is exit 1 with file, line and field; runtime trouble (a full disk) is exit 2.
"Nothing was written" is literal: the temporary store of ``kg validate`` and the staging
folder of ``kg build`` are gone after a failure, and a killed run's are removed by the next run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.run import SOURCE_ID, kg
from helpers.tooling import IN_CI

from graph.build.pipeline import Built

STATEMENTS = f"statements/{SOURCE_ID}.yaml"
TEXT = f"sources/{SOURCE_ID}.txt"


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def _tmpfs(tmp_path: Path, size: str) -> Iterator[Path]:
    mount = tmp_path / f"disk-{size}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = f"cannot mount a tmpfs here: {done.stderr.strip()}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs: room for the bundled data's store (1.4 MB), not for it and all its exports."""
    yield from _tmpfs(tmp_path, "3m")


@pytest.fixture
def roomy_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs: room for a build of the bundled data (about 9 MB), to be filled afterwards."""
    yield from _tmpfs(tmp_path, "24m")


def test_a_full_disk_while_writing_a_build_is_one_line_exit_2_and_leaves_nothing(small_disk: Path) -> None:
    result = kg("build", "--out", small_disk / "out", "--shacl-engine", "sparql")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = _errors(result.stderr)
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: cannot write into {small_disk / 'out'}: ")
    assert "No space left on device" in errors[0]
    assert list(small_disk.iterdir()) == []


def test_a_full_temporary_disk_for_validate_is_one_line_exit_2_and_leaves_nothing(small_disk: Path) -> None:
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (3 * 1024 * 1024 - 64 * 1024))  # about 64 kB left: not enough for a store
    result = kg("validate", "--shacl-engine", "sparql", env={"TMPDIR": str(small_disk)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(_errors(result.stderr)) == 1, result.stderr
    assert list(small_disk.iterdir()) == [filler]


def _fill(disk: Path, leave: int = 16 * 1024) -> Path:
    """Fill the tmpfs but for ``leave`` bytes: too little for any export of the bundled graph."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("turtle", "graph.ttl"), ("trig", "graph.trig"), ("graphml", "graph.graphml"), ("csv", "tables"), ("view", "view.html")],
)
def test_a_full_disk_under_kg_export_or_kg_view_is_one_line_exit_2_and_leaves_nothing(
    built: Built, small_disk: Path, fmt: str, name: str
) -> None:
    filler = _fill(small_disk)
    target = small_disk / name
    if fmt == "view":
        result = kg("view", "-o", target, "--build", built.out.root)
    else:
        result = kg("export", "-f", fmt, "-o", target, "--build", built.out.root)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = _errors(result.stderr)
    assert len(errors) == 1, result.stderr
    assert "No space left on device" in errors[0]
    assert sorted(small_disk.iterdir()) == [filler]


def test_an_export_that_fails_in_the_build_folder_leaves_the_build_as_it_was(roomy_disk: Path, tmp_path: Path) -> None:
    out = roomy_disk / "out"
    built = kg("build", "--out", out, "--shacl-engine", "sparql")
    assert built.returncode == 0, built.stderr
    build_dir = (out / "current").resolve()
    before = sorted(p.relative_to(build_dir) for p in build_dir.rglob("*"))
    _fill(roomy_disk)
    result = kg("export", "-f", "trig", "-o", tmp_path / "graph.trig", "--build", out)
    assert result.returncode == 2, result.stderr
    assert len(_errors(result.stderr)) == 1, result.stderr
    assert sorted(p.relative_to(build_dir) for p in build_dir.rglob("*")) == before
    assert not (tmp_path / "graph.trig").exists()


def test_a_base_iri_with_a_fragment_is_refused_with_one_line(tmp_path: Path) -> None:
    result = kg("build", "--out", tmp_path / "out", "--base-iri", "http://example.org/kg#", cwd=tmp_path)
    assert result.returncode == 2
    assert _errors(result.stderr) == ["error: base IRI must end with '/': http://example.org/kg#"]
    assert list(tmp_path.iterdir()) == []


def test_a_paragraph_of_more_than_a_million_characters_is_read(data_copy: Path) -> None:
    text = data_copy / TEXT
    paragraph = "Ein Wort nach dem anderen " * 40_000  # 1,040,000 characters, no full stop
    text.write_text(text.read_text(encoding="utf-8") + "\n" + paragraph + "Schluss.\n", encoding="utf-8")
    result = kg("validate", "--data", data_copy, "--shacl-engine", "sparql", timeout=300)
    assert result.returncode == 0, result.stderr


def test_an_ambiguous_quote_with_300000_occurrences_is_reported_in_one_short_line(data_copy: Path) -> None:
    text = data_copy / TEXT
    body = text.read_text(encoding="utf-8")
    text.write_text(body + "\n" + "qx " * 300_000 + "\n", encoding="utf-8")  # about 1 MB
    statements = data_copy / STATEMENTS
    yaml_text = statements.read_text(encoding="utf-8")
    old = "quote: Seitdem hat Elon die Verbindung zum Unternehmen abgebrochen"
    line = yaml_text[: yaml_text.index(old)].count("\n") + 1
    statements.write_text(yaml_text.replace(old, "quote: qx", 1), encoding="utf-8")
    result = kg("validate", "--data", data_copy, timeout=300)
    assert result.returncode == 1
    errors = _errors(result.stderr)
    assert len(errors) == 1, result.stderr
    start = f"error: data/{STATEMENTS}:{line}: statements["
    assert errors[0].startswith(start), errors[0]
    assert "quote is ambiguous: it occurs 300,000 times (lines " in errors[0]
    assert " and 299,990 more); add 'occurrence: N'" in errors[0]
    assert len(errors[0]) < 300


def test_a_failed_validate_leaves_no_temporary_store(data_copy: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    statements = data_copy / STATEMENTS
    # a quote that is not in the source: found while the store is being filled
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("quote: Seitdem hat Elon", "quote: Seitdem hatte Elon", 1), encoding="utf-8"
    )
    for _ in range(3):
        result = kg("validate", "--data", data_copy, env={"TMPDIR": str(scratch)})
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert list(scratch.iterdir()) == []


def test_the_temporary_store_of_a_killed_validate_is_removed_by_the_next_run(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "graph", "validate", "--shacl-engine", "pyshacl"]
    process = subprocess.Popen(command, env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(scratch.glob("quotegraph-check-*/store")):
        assert process.poll() is None, "validate ended before it made its store"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert list(scratch.iterdir()), "kill -9 runs no clean-up"
    result = kg("validate", "--shacl-engine", "sparql", env={"TMPDIR": str(scratch)})
    assert result.returncode == 0, result.stderr
    assert list(scratch.iterdir()) == []


def test_a_running_validate_keeps_its_temporary_store_while_another_one_runs(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "graph", "validate", "--shacl-engine", "pyshacl"]
    first = subprocess.Popen(
        command, env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not list(scratch.glob("quotegraph-check-*/store")) and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    second = kg("validate", "--shacl-engine", "sparql", env={"TMPDIR": str(scratch)})
    assert second.returncode == 0, second.stderr
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert list(scratch.iterdir()) == []
