"""Where one size's corpus, stores and outputs live: what every phase of the benchmark is given.

Its own module so that the phases (:mod:`tests.bench.run`) and the questions they ask
(:mod:`tests.bench.asking`) both import it, and imports go one way: run → asking → context.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Context:
    """Where one size's corpus, stores and outputs live."""

    work: Path
    statements: int

    @property
    def data(self) -> Path:
        return self.work / "data"

    @property
    def store(self) -> Path:
        return self.work / "store"

    @property
    def out(self) -> Path:
        return self.work / "out"

    @property
    def built_store(self) -> Path:
        """The store of the current build in :attr:`out` (what exports and floors read)."""
        return self.out / "current" / "store"

    @property
    def nquads(self) -> Path:
        return self.work / "export.nq"
