"""What a build caches beside its store so that questions stay fast at a million statements.

``kg build`` writes, inside the build folder (published atomically with the store, rebuilt with
it, by :func:`graph.network.write.write_network_cache`)::

    cache/dataset.json      the default graph of queries (every graph but the claims graphs)
    cache/network/*.npy     the network as numbered arrays, one file each: each statement's
                            ends, relation, voice, source and polarity; the undirected
                            adjacency (CSR); memory-mapped, not read, when a command opens them
    cache/network.sqlite    ids, IRIs and attributes of entities, statement IRIs, sources, and
                            every folded name of every entity (the name index of lookups)

Multi-hop questions (``kg path``, ``kg neighbors``, ``kg central``, ``kg communities``) and the
selection of a large graph's view walk the arrays (:mod:`graph.network.arrays`) instead of joining
statements in SPARQL, then read full statements only for what they show
(:mod:`graph.network.details`). Every build writes the cache; a command that finds none says so.
"""

from pathlib import Path

from graph.query.dataset import CACHE_DIRNAME

#: a folder of one ``.npy`` file per array: NumPy maps such a file into memory at once, where
#: reading the arrays out of one ``network.npz`` (a zip file, checksummed on every read) was most
#: of the time each ``kg neighbors`` took to open the cache (README, Performance)
ARRAYS_DIRNAME = "network"
ARRAY_NAMES = ("subj", "obj", "rel", "voice", "derived", "source", "polarity", "statements", "indptr", "nbr", "eid")
SQLITE_FILENAME = "network.sqlite"
#: bumped whenever the layout of the files changes; a reader refuses other versions
FORMAT = 2


def array_path(cache_dir: Path, name: str) -> Path:
    """Where the array ``name`` of the cache in ``cache_dir`` is stored."""
    return cache_dir / ARRAYS_DIRNAME / f"{name}.npy"


__all__ = ["ARRAYS_DIRNAME", "ARRAY_NAMES", "CACHE_DIRNAME", "FORMAT", "SQLITE_FILENAME", "array_path"]
