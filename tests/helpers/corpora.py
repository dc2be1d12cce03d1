"""Generated data folders big enough that a build loads them in worker processes."""

from __future__ import annotations

from pathlib import Path

from bench.generate import generate

from graph.build import workers
from graph.sources.loader import Loader


def corpus_for_workers(target: Path, statements: int, seed: int, batch_bytes: int | None = None) -> Path:
    """A corpus of ``statements`` in ``target``, checked to make two batches or more (of ``batch_bytes``, default the build's)."""
    generate(statements, target, seed=seed)
    batches = workers.batches(list(Loader(target).scan().sources.values()), batch_bytes)
    assert len(batches) >= 2, "the build would not use workers"
    return target
