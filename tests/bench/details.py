"""Reading the statements an answer shows: a row per property against the reads of :mod:`graph.network.details`.

``python -m tests.bench.details BUILD ENTITY [--depth 2] [--repeats 5]`` opens a build (an output
folder of ``kg build``, such as a benchmark's ``n1000000/out``), takes the statements that
``kg neighbors ENTITY --depth D`` shows, and times, alternating:

* ``count``: how many rows ``?st ?p ?o`` has (Oxigraph finds every row but decodes none);
* ``per property``: those rows read, and ``?st ?quote ?p ?v`` for the quotes (how
  :mod:`graph.network.details` read statements before);
* ``reads``: the queries it runs now (fields, references, quotes at their selectors);
* ``subgraph``: :func:`graph.network.details.subgraph`, the reads and the answer's graph.

It backs the docstring of :mod:`graph.network.details`. Medians of the repeats are printed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

from graph.model.vocab import OA, QG
from graph.network import cached, details
from graph.network.arrays import open_cache
from graph.network.names import IndexedNames
from graph.network.rows import rows, text
from graph.store.builds import OutDir

_PROPERTIES = "SELECT ?st ?p ?o WHERE { VALUES ?st { {values} } ?st ?p ?o }"
_QUOTE_PROPERTIES = f"""SELECT ?st ?q ?p ?v WHERE {{ VALUES ?st {{ {{values}} }}
  ?st <{QG.quote}> ?q . ?q <{OA.hasSelector}> ?sel . ?sel ?p ?v }}"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("entity")
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    out = OutDir(args.build)
    store, cache = out.open_store(), open_cache(out.current())
    assert cache is not None, f"{args.build} has no network cache"
    asked: list[int] = []
    real = details.subgraph

    def spy(store_: Any, cache_: Any, statements: Any, *rest: Any, **options: Any) -> Any:
        asked.extend(int(s) for s in statements)
        return real(store_, cache_, statements, *rest, **options)

    with mock.patch.object(cached, "subgraph", spy):
        found, _graph, _total = cached.neighbours(store, cache, IndexedNames(cache.db).find(args.entity), args.depth, None, True, 500)
    numbers = sorted(set(asked))
    iris = cache.statement_iris(numbers)
    sources = cache.sources({int(cache.source[n]) for n in numbers})
    values = " ".join(f"<{i}>" for i in iris)
    counted = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?st {{ {values} }} ?st ?p ?o }}"
    ways: dict[str, Callable[[], int]] = {
        "count": lambda: int(text(next(iter(rows(store, counted)))[0])),
        "per property": lambda: (
            sum(1 for _ in rows(store, _PROPERTIES.replace("{values}", values)))
            + sum(1 for _ in rows(store, _QUOTE_PROPERTIES.replace("{values}", values)))
        ),
        "reads": lambda: len(details._read(store, cache, numbers, iris, sources).fields),
        "subgraph": lambda: details.subgraph(store, cache, numbers, []).number_of_edges(),
    }
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    sizes: dict[str, int] = {}
    for _ in range(args.repeats):
        for name, way in ways.items():
            started = time.perf_counter()
            sizes[name] = way()
            seconds[name].append(time.perf_counter() - started)
    print(f"{len(found)} neighbours, {len(numbers):,} statements")
    for name in ways:
        print(f"{name:>13}: {statistics.median(seconds[name]):.3f} s  ({sizes[name]:,} rows or edges)")


if __name__ == "__main__":
    main()
