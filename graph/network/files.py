"""What a build caches beside its store so that questions stay fast at a million statements.

``kg build`` writes, inside the build folder (published atomically with the store, rebuilt with
it, by :func:`graph.network.write.write_network_cache`)::

    cache/dataset.json      the default graph of queries (every graph but the claims graphs)
    cache/network.npz       the network as numbered arrays: each statement's ends, relation,
                            voice, source and polarity; the undirected adjacency (CSR)
    cache/network.sqlite    ids, IRIs and attributes of entities, statement IRIs, sources, and
                            every folded name of every entity (the name index of lookups)

Multi-hop questions (``kg path``, ``kg neighbors``, ``kg central``, ``kg communities``) and the
selection of a large graph's view walk the arrays (:mod:`graph.network.arrays`) instead of joining
statements in SPARQL, then read full statements only for what they show
(:mod:`graph.network.details`). Every build writes the cache; a command that finds none says so.
"""

from graph.query.dataset import CACHE_DIRNAME

ARRAYS_FILENAME = "network.npz"
SQLITE_FILENAME = "network.sqlite"
#: bumped whenever the layout of the files changes; a reader refuses other versions
FORMAT = 1

__all__ = ["ARRAYS_FILENAME", "CACHE_DIRNAME", "FORMAT", "SQLITE_FILENAME"]
