"""The entities of a big data folder, kept in a file instead of in the build process.

At a million statements a data folder has some 147,000 entities. Held as pydantic records they
take about 600 MB of live memory (measured 2026-12-03: the build process was 751 MB after
receiving them from another process, against 85 MB with its modules alone), and the scan that
made them left the build process at 1,160 MB, allocator arenas that the YAML parser's
temporaries and the records share and that cannot be returned. Beside Oxigraph's bulk loader
(about 2.0 GB on its own) that made the build's peak 1.83× the loader's.

So a big scan runs in another process (:mod:`graph.build.scanning`), which writes the records
into a pickle file and hands the build only what it needs all the time: the ids, in order, and
how many entities there are of each kind. :class:`StoredEntities` is a mapping over those ids;
the records are read from the file the first time one is asked for (by a worker, which needs
them to resolve statements, or by the build once the load is over, for the network cache) and
can be dropped again with :meth:`StoredEntities.release`. Pickled, it is its file's name and the
ids, so worker processes start with a few MB instead of the whole table.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from graph.model.records import Entity


class StoredEntities(Mapping[str, Entity]):
    """Entity id → record, read from ``path`` (a pickled ``dict[str, Entity]``) when first needed."""

    def __init__(self, path: Path, ids: tuple[str, ...], kinds: dict[str, int], nquads: Path | None = None):
        self.path = path
        self.ids = ids
        self._known = frozenset(ids)
        self.kinds = kinds
        #: the entities graph as N-Quads, written beside the records (by :mod:`graph.build.scanning`)
        self.nquads = nquads
        self._records: dict[str, Entity] | None = None

    @classmethod
    def write(cls, entities: Mapping[str, Entity], path: Path, nquads: Path | None = None) -> StoredEntities:
        """Pickle ``entities`` into ``path`` and return the mapping that reads them back."""
        with open(path, "wb") as handle:
            pickle.dump(dict(entities), handle, protocol=pickle.HIGHEST_PROTOCOL)
        kinds = Counter(e.kind for e in entities.values())
        return cls(path, tuple(entities), dict(sorted(kinds.items())), nquads)

    @property
    def loaded(self) -> bool:
        """Whether the records are in memory (the build process should not need them during the load)."""
        return self._records is not None

    def records(self) -> dict[str, Entity]:
        if self._records is None:
            with open(self.path, "rb") as handle:
                self._records = pickle.load(handle)  # noqa: S301 - our own file, written by this build
        return self._records

    def release(self) -> None:
        """Forget the records read so far; they are read again if asked for."""
        self._records = None

    def __getitem__(self, key: str) -> Entity:
        if key not in self._known:
            raise KeyError(key)
        return self.records()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getstate__(self) -> dict[str, object]:
        # to a worker: the file's name and the ids, never the records
        return {"path": self.path, "ids": self.ids, "kinds": self.kinds, "nquads": self.nquads}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["path"], state["ids"], state["kinds"], state["nquads"])  # type: ignore[misc]


def kind_counts(entities: Mapping[str, Entity]) -> dict[str, int]:
    """How many entities there are of each kind, without reading stored records."""
    if isinstance(entities, StoredEntities):
        return dict(entities.kinds)
    return dict(sorted(Counter(e.kind for e in entities.values()).items()))
