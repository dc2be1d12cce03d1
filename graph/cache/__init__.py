"""What a build caches beside its store so that questions stay fast at a million statements.

``kg build`` writes, inside the build folder (published atomically with the store, rebuilt with
it, by :func:`write_network_cache`)::

    cache/dataset.json      the default graph of queries (every graph but the claims graphs)
    cache/network.npz       the network as numbered arrays: each statement's ends, relation,
                            voice, source and polarity; the undirected adjacency (CSR)
    cache/network.sqlite    ids, IRIs and attributes of entities, statement IRIs, sources, and
                            every folded name of every entity (the name index of lookups)

Multi-hop questions (``kg path``, ``kg neighbors``, ``kg central``, ``kg communities``) and the
selection of a large graph's view walk the arrays (:mod:`graph.cache.network`) instead of joining
statements in SPARQL, then read full statements only for what they show
(:mod:`graph.cache.details`). A build made before the cache existed has no ``cache/`` folder;
every command then falls back to :func:`graph.network.project`, which reads the whole graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the cache's modules load numpy and networkx; importers of the dataset need neither
    import pyoxigraph

    from graph.cache.dataset import Dataset
    from graph.cache.network import NetworkCache

CACHE_DIRNAME = "cache"
ARRAYS_FILENAME = "network.npz"
SQLITE_FILENAME = "network.sqlite"
#: bumped whenever the layout of the files changes; a reader refuses other versions
FORMAT = 1

__all__ = ["ARRAYS_FILENAME", "CACHE_DIRNAME", "FORMAT", "SQLITE_FILENAME", "open_cache", "read_dataset", "write_network_cache"]


def write_network_cache(store: pyoxigraph.Store, build_dir: Path) -> dict[str, Any]:
    """Write the cache of a finished store into ``build_dir/cache``; returns its counts."""
    from graph.cache.write import write_cache

    return write_cache(store, build_dir / CACHE_DIRNAME)


def open_cache(build_dir: Path) -> NetworkCache | None:
    """The network cache of a build, or None if it has none."""
    from graph.cache.network import NetworkCache

    return NetworkCache.open(build_dir / CACHE_DIRNAME)


def read_dataset(build_dir: Path) -> Dataset | None:
    """The default-graph description a build wrote, or None if it has none."""
    from graph.cache.dataset import DATASET_FILENAME, Dataset

    return Dataset.read(build_dir / CACHE_DIRNAME / DATASET_FILENAME)
