"""Reading many solutions from Oxigraph: plain iteration against TSV serialised and split in Python.

``python -m tests.bench.rows [--rows N]`` builds an in-memory store of N language-tagged labels and
reads (IRI, text, language) back both ways, alternating, four times each, printing the seconds.
It backs the choice made in :mod:`graph.network.rows`, which the network cache reads every
statement's parts with. The TSV reader below is the one the cache used before (its unescaping
included), kept here only to be compared.
"""

from __future__ import annotations

import argparse
import io
import re
import time

import pyoxigraph

from graph.network.rows import iri, language, rows, text

QUERY = "SELECT ?s ?o WHERE { GRAPH ?g { ?s <http://example.org/p> ?o } }"
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    return chr(int(short or long, 16)) if short or long else _SIMPLE.get(char, char)


def _tsv_text(term: str) -> str:
    if not term.startswith('"'):
        return term[1:-1] if term.startswith("<") else term
    body = term[1 : term.rfind('"')]
    return _ESCAPE.sub(_unescape, body) if "\\" in body else body


def _tsv_language(term: str) -> str:
    tail = term[term.rfind('"') + 1 :] if term.startswith('"') else ""
    return tail[1:] if tail.startswith("@") else ""


def _tsv(store: pyoxigraph.Store) -> list[tuple[str | None, str, str]]:
    buffer = io.BytesIO()
    results = store.query(QUERY, use_default_graph_as_union=True)
    assert isinstance(results, pyoxigraph.QuerySolutions)
    results.serialize(buffer, pyoxigraph.QueryResultsFormat.TSV)
    lines = buffer.getvalue().decode("utf-8").split("\n")
    split = [line.split("\t") for line in lines[1:] if line]
    return [(s[1:-1] if s.startswith("<") else None, _tsv_text(o), _tsv_language(o)) for s, o in split]


def _iterated(store: pyoxigraph.Store) -> list[tuple[str | None, str, str]]:
    return [(iri(row[0]), text(row[1]), language(row[1])) for row in rows(store, QUERY)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args(argv)
    store = pyoxigraph.Store()
    graph = pyoxigraph.NamedNode("http://example.org/g")
    predicate = pyoxigraph.NamedNode("http://example.org/p")
    store.extend(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(f"http://example.org/s{i}"), predicate, pyoxigraph.Literal(f"Bezeichnung {i}", language="de"), graph
        )
        for i in range(args.rows)
    )
    assert _tsv(store) == _iterated(store)
    times: dict[str, list[float]] = {"TSV, split in Python": [], "plain iteration": []}
    for _ in range(4):
        for name, read in (("TSV, split in Python", _tsv), ("plain iteration", _iterated)):
            started = time.perf_counter()
            read(store)
            times[name].append(time.perf_counter() - started)
    for name, seconds in times.items():
        print(f"{name:22} {args.rows:,} rows: " + ", ".join(f"{t:.2f} s" for t in seconds))


if __name__ == "__main__":
    main()
