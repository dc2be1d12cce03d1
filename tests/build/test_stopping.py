"""A build stopped from outside leaves no process behind, and no staging folder once it or the next build has cleaned up.

The corpus is just big enough for two batches of statements, so that ``kg build`` (a real
process, as a user starts it) loads it in worker processes. The build is stopped while the
workers run: with SIGTERM it cleans up as Ctrl-C does; ``kill -9`` runs no clean-up at all, so
the workers must end by themselves, and the next build removes the staging folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench.generate import generate
from helpers.corpora import corpus_for_workers
from helpers.endpoints import children_of
from helpers.run import DATA, kg

#: statements enough for two batches of graph.build.workers.BATCH_BYTES
N = 6_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return corpus_for_workers(tmp_path_factory.mktemp("stopping") / "data", N, seed=5)


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children_of(todo.pop()) - found:
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def worker_processes(pid: int) -> set[int]:
    found = set()
    for child in descendants(pid):
        try:
            if b"multiprocessing.spawn" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except OSError:
            continue
    return found


def start_and_wait_for_workers(corpus: Path, out: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    """``kg build`` on the corpus, once its workers are loading; with every process it started so far."""
    command = [sys.executable, "-m", "graph", "build", "--data", str(corpus), "--out", str(out), "--export", "none"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    seen: set[int] = set()
    deadline = time.monotonic() + 240
    while len(worker_processes(process.pid)) < 2:
        assert process.poll() is None, "kg build ended before its workers started"
        assert time.monotonic() < deadline, "the workers did not start"
        seen |= descendants(process.pid)
        time.sleep(0.1)
    time.sleep(1)  # the workers are loading batches now
    return process, seen | descendants(process.pid)


def left_behind(pids: set[int]) -> list[int]:
    deadline = time.monotonic() + 30
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return [p for p in pids if alive(p)]


def test_sigterm_stops_a_build_like_ctrl_c_with_no_process_and_no_staging_folder_left(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process, started = start_and_wait_for_workers(corpus, out)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)  # the workers no longer hold stderr open
    text = stderr.decode()
    assert process.returncode == 130, text
    assert "error: interrupted; nothing was published" in text
    assert "Traceback" not in text
    assert left_behind(started) == []
    assert not out.exists(), "a first build that was stopped leaves no trace"


def test_a_build_killed_with_sigkill_leaves_no_process_and_the_next_build_removes_its_staging_folder(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    process, started = start_and_wait_for_workers(corpus, out)
    process.kill()
    process.wait(30)
    assert process.stderr is not None
    process.stderr.close()
    assert left_behind(started) == [], "workers, the resource tracker or a fork server outlived the build"
    assert list((out / "builds").glob(".staging-*")), "kill -9 runs no clean-up (the next build's job)"
    result = kg("build", "--out", out, "--data", DATA, "--export", "none", "--shacl-engine", "sparql")
    assert result.returncode == 0, result.stderr
    assert not list((out / "builds").glob(".staging-*"))


#: statements enough for graph.build.scanning to scan in a process of its own
N_SCANNED_ELSEWHERE = 50_000


def test_sigterm_while_another_process_scans_stops_it_too_and_leaves_nothing(tmp_path: Path) -> None:
    from graph.build import scanning

    data = tmp_path / "data"
    generate(N_SCANNED_ELSEWHERE, data, seed=5)
    assert scanning.yaml_bytes(data) >= scanning.ELSEWHERE_FROM_BYTES, "the scan would run in the build process"
    out = tmp_path / "out"
    command = [sys.executable, "-m", "graph", "build", "--data", str(data), "--out", str(out), "--export", "none"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    deadline = time.monotonic() + 120
    while not worker_processes(process.pid):
        assert process.poll() is None, "kg build ended before the scan started"
        assert time.monotonic() < deadline, "no process was started to scan"
        time.sleep(0.05)
    started = descendants(process.pid)
    assert len(worker_processes(process.pid)) == 1, "one process scans; the workers come later"
    time.sleep(1)  # it is scanning now
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    text = stderr.decode()
    assert process.returncode == 130, text
    assert "error: interrupted; nothing was published" in text
    assert "Traceback" not in text
    assert left_behind(started) == []
    assert not out.exists()
