"""Reading many rows from Oxigraph: solutions as tuples of terms, and their parts as strings.

Plain iteration over :class:`pyoxigraph.QuerySolutions`, indexing each solution by position, is
faster than Oxigraph's TSV serialiser split back in Python, which this module used to do:
``python -m tests.bench.rows`` compares the two on the same rows (indexing by variable name is
slower than both).
"""

from __future__ import annotations

import pyoxigraph

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple | pyoxigraph.DefaultGraph
_IRI = pyoxigraph.NamedNode
_LITERAL = pyoxigraph.Literal


def rows(store: pyoxigraph.Store, query: str, **options: object) -> pyoxigraph.QuerySolutions:
    """The solutions of a SELECT, to be read by position (``row[0]``); the union of all graphs unless ``options`` say otherwise."""
    options.setdefault("use_default_graph_as_union", "default_graph" not in options)
    results = store.query(query, **options)  # type: ignore[arg-type]
    assert isinstance(results, pyoxigraph.QuerySolutions)
    return results


def iri(term: object) -> str | None:
    """The IRI of a term, or None for a literal, a blank node or nothing."""
    return term.value if type(term) is _IRI else None


def text(term: object) -> str:
    """The lexical form of a literal, the IRI of an IRI, an empty string for nothing."""
    return "" if term is None else term.value  # type: ignore[attr-defined]


def language(term: object) -> str:
    """The language tag of a literal (``"Ja."@de`` → ``de``), or an empty string."""
    return (term.language or "") if type(term) is _LITERAL else ""
