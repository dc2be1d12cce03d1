"""Progress of long work, reported per phase with counts, independent of how it is shown.

The build reports through :class:`Progress`; the CLI shows it with rich progress bars on
stderr, tests and library callers pass nothing. Timings are always kept, so that ``build.json``
and the benchmark can say where the time went.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    """Receives phases and their advances. ``total`` is None when the size is not known."""

    def start(self, phase: str, total: int | None, unit: str) -> None: ...

    def advance(self, amount: int) -> None: ...

    def finish(self) -> None: ...


class Silent:
    """Progress that shows nothing."""

    def start(self, phase: str, total: int | None, unit: str) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass

    def finish(self) -> None:
        pass


class Phases:
    """Times named phases and forwards them to a :class:`Progress`; ``on_phase`` hears each name."""

    def __init__(self, progress: Progress | None = None, on_phase: Callable[[str], None] | None = None):
        self.progress = progress or Silent()
        self.on_phase = on_phase
        self.timings: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Callable[[int], None]]:
        if self.on_phase:
            self.on_phase(name)
        self.progress.start(name, total, unit)
        started = time.perf_counter()
        try:
            yield self.progress.advance
        finally:
            self.add(name, time.perf_counter() - started)
            self.progress.finish()

    def add(self, name: str, seconds: float) -> None:
        self.timings[name] = round(self.timings.get(name, 0.0) + seconds, 3)
