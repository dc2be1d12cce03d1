"""Reading many rows from Oxigraph fast: results serialised as TSV by Oxigraph, split in Python.

Turning a million query solutions into Python term objects costs several microseconds a row;
Oxigraph writes the same rows as SPARQL TSV in a fraction of that, and ``str.split`` reads them
back. Terms stay in their TSV form (``<iri>``, ``"text"@de``, ``5``); :func:`iri` and
:func:`text` take them apart.
"""

from __future__ import annotations

import io
import re

import pyoxigraph

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def rows(store: pyoxigraph.Store, query: str) -> list[list[str]]:
    """Every solution of a SELECT over the union of all graphs, as lists of TSV terms."""
    return rows_for(store, query, use_default_graph_as_union=True)


def iri(term: str) -> str | None:
    """The IRI of a TSV term, or None for a literal or blank node."""
    return term[1:-1] if term.startswith("<") else None


def _unescape(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    if short or long:
        return chr(int(short or long, 16))
    return _SIMPLE.get(char, char)


def text(term: str) -> str:
    """The lexical form of a TSV literal (``"a\\tb"@de`` → ``a<TAB>b``); other terms as written."""
    if not term.startswith('"'):
        return iri(term) or term
    end = term.rfind('"')
    body = term[1:end]
    return _ESCAPE.sub(_unescape, body) if "\\" in body else body


def language(term: str) -> str:
    """The language tag of a TSV literal (``"Ja."@de`` → ``de``), or an empty string."""
    if not term.startswith('"'):
        return ""
    tail = term[term.rfind('"') + 1 :]
    return tail[1:] if tail.startswith("@") else ""


def rows_for(store: pyoxigraph.Store, query: str, **options: object) -> list[list[str]]:
    """Like :func:`rows`, with Oxigraph's query options (``default_graph``, ...) instead of the union."""
    buffer = io.BytesIO()
    results = store.query(query, **options)  # type: ignore[arg-type]
    assert isinstance(results, pyoxigraph.QuerySolutions)
    results.serialize(buffer, pyoxigraph.QueryResultsFormat.TSV)
    lines = buffer.getvalue().decode("utf-8").split("\n")
    return [line.split("\t") for line in lines[1:] if line]
