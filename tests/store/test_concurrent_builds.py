"""Two builds into one output folder: one builds, the other says so and leaves, deleting nothing.

The lock of an output folder lives inside it, so the folder had to exist before it was locked:
two first builds started together both "created" it, and the one that lost the lock removed
the whole folder under the winner (about one round in five). Here two real ``kg build``
processes start together into a fresh folder, round after round, on a data folder small
enough to keep a round short.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.run import DATA

import graph.build.pipeline
from graph.build.pipeline import build
from graph.errors import StoreError
from graph.store.builds import OutDir

#: the race lost about one round in five before the fix: 8 rounds miss it with probability
#: 0.8 ** 8 = 17 %, and the lock itself is tested deterministically below (20 rounds took 82 s)
ROUNDS = 8

pytestmark = pytest.mark.slow

TINY = {
    "sources/s1.yaml": "id: s1\ntitle: A tiny source\nlanguage: en\nauthor: alice\n",
    "sources/s1.txt": "Alice cut ties with Acme last year.\n",
    "entities.yaml": (
        "entities:\n"
        "  - id: alice\n    kind: person\n    label: {de: Alice, en: Alice}\n"
        "  - id: acme\n    kind: organization\n    label: {de: Acme, en: Acme}\n"
    ),
    "statements/s1.yaml": (
        "source: s1\nstatements:\n"
        "  - subject: alice\n    predicate: cutTiesWith\n    object: acme\n    voice: narration\n    quote: Alice cut ties with Acme\n"
    ),
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny") / "data"
    for name, text in TINY.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _start(data: Path, out: Path) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        "-m",
        "graph",
        "build",
        "--data",
        str(data),
        "--out",
        str(out),
        "--export",
        "none",
        "--shacl-engine",
        "sparql",
    ]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def test_two_first_builds_into_one_folder_one_builds_the_other_says_another_build_is_running(tiny: Path, tmp_path: Path) -> None:
    overlapped = 0
    for number in range(ROUNDS):
        out = tmp_path / f"round-{number}" / "out"
        processes = [_start(tiny, out), _start(tiny, out)]
        results = [(p.wait(180), p.communicate()[1]) for p in processes]
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, 2]), f"round {number}: {results}"
        for code, stderr in results:
            assert "Traceback" not in stderr, f"round {number}: {stderr}"
            if code == 2:
                overlapped += 1
                errors = [line for line in stderr.splitlines() if line.startswith("error:")]
                assert errors == [f"error: another build is running in {out}; wait for it to finish"], stderr
        published = OutDir(out)
        assert (published.current() / "store").is_dir(), f"round {number}: the winner's build is gone"
        assert len(published.open_store()) > 0
        assert not list(published.builds.glob(".staging-*"))
    assert overlapped, "the builds never ran at the same time: nothing was tested"


def test_a_build_that_finds_the_lock_taken_leaves_everything_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another build is running"):
            build(DATA, OutDir(out))
        assert sorted(p.name for p in out.iterdir()) == [".lock"]


def test_a_first_build_that_fails_after_the_lock_removes_the_folders_it_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(graph.build.pipeline, "export_all", disk_full)
    with pytest.raises(StoreError, match="No space left on device"):
        build(DATA, OutDir(tmp_path / "new" / "deeper" / "out"))
    assert list(tmp_path.iterdir()) == []


def test_a_build_into_an_empty_folder_of_the_user_that_fails_leaves_it_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    out = tmp_path / "mine"
    out.mkdir()
    monkeypatch.setattr(graph.build.pipeline, "export_all", disk_full)
    with pytest.raises(StoreError):
        build(DATA, OutDir(out))
    assert out.is_dir()
    assert list(out.iterdir()) == []


def test_a_first_build_that_loses_the_race_for_the_new_folder_removes_nothing(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of the test above made certain: another build creates the folder and takes its
    lock between this build's check that the folder is missing and its ``mkdir``."""
    out = tmp_path / "out"
    other: list[object] = []
    real_mkdir = Path.mkdir

    def mkdir_after_the_other_build(self: Path, *args: object, **kwargs: object) -> None:
        if self == out and not other:
            real_mkdir(out)
            handle = open(out / ".lock", "a+")  # noqa: SIM115 - held until the test ends, like a running build's
            fcntl.flock(handle, fcntl.LOCK_EX)
            (out / "builds").mkdir()
            other.append(handle)
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir_after_the_other_build)
    with pytest.raises(StoreError, match="another build is running"):
        build(tiny, OutDir(out), exports=[])
    assert sorted(p.name for p in out.iterdir()) == [".lock", "builds"], "the other build's folder is untouched"
