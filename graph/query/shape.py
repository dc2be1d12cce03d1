"""What a query's text says about it, worked out once per text: checks, binding point, predicates.

Three things are read from a SPARQL text before it runs:

* **the check** of :func:`graph.query.run.checked` (no update, no ``SERVICE``, which ``FROM``
  graphs it names), with rdflib's SPARQL parser, always on the canonical form of the text
  (:mod:`graph.query.canonical`), which is also the text Oxigraph runs. Parsing costs more than a
  selective query on Oxigraph (compare the benchmark phases "kg query relations-of (median)" and
  its raw floor), so the result is kept per text (:func:`shape`, an LRU cache) and a build
  stores the shapes of the bundled queries (``cache/dataset.json``, from the shapes shipped in
  :mod:`graph.query.known`), which a new process then looks up by the text's SHA-256 instead of
  parsing;
* **where parameters are bound** (:func:`where_group`): right after the ``{`` that opens the
  query's ``WHERE`` group, so that Oxigraph's planner starts from the bound values (a trailing
  ``VALUES`` is joined last: orders of magnitude slower on a selective bundled query, see the phase
  "kg query relations-of (median)");
* **which predicates the default-graph patterns can match** (``predicates``): if none of them
  can match a triple in a claims graph, the union of all graphs gives the same answer as the
  default graph and is one index lookup instead of one per graph (see :mod:`graph.query.dataset`).
  ``None`` means "anything": a variable predicate, a path that may be empty (``p*``, ``p?``), a
  negated property set, ``DESCRIBE``, or a query rdflib cannot translate. A type pattern with a
  class (``?x a qg:Statement``) counts as ``rdf:type`` with that class (:func:`typed_predicate`);
  with a variable class, or inside a path, as ``rdf:type`` itself, which every typed key overlaps.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.errors import QueryError, QueryRefused
from graph.query.canonical import canonical

MAX_QUERY_CHARS = 100_000
CACHE_SIZE = 512


@dataclass(frozen=True)
class Shape:
    """The check's findings about one query text."""

    #: the IRIs of its FROM and FROM NAMED clauses
    dataset: tuple[str, ...]
    #: predicates its default-graph patterns can match; None: any predicate
    predicates: frozenset[str] | None

    @property
    def has_dataset(self) -> bool:
        return bool(self.dataset)

    def as_json(self) -> dict[str, Any]:
        return {"dataset": list(self.dataset), "predicates": None if self.predicates is None else sorted(self.predicates)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Shape:
        predicates = data.get("predicates")
        return cls(tuple(data.get("dataset", ())), None if predicates is None else frozenset(predicates))


def digest(text: str) -> str:
    """The key of a query text in a build's table of known shapes: the SHA-256 of its canonical form."""
    return hashlib.sha256(canonical(text).encode("utf-8")).hexdigest()


def _walk(node: Any) -> Iterable[Any]:
    """Every node of an rdflib parse tree or algebra (CompValue mappings inside lists)."""
    from pyparsing import ParseResults

    yield node
    # ParseResults registers as a Mapping, so it is tested first: its items are in the list part
    if isinstance(node, ParseResults | list | tuple):
        for value in node:
            yield from _walk(value)
    elif isinstance(node, Mapping):
        for key, value in node.items():
            if key not in ("template", "_vars", "PV"):  # a CONSTRUCT template is written, not matched
                yield from _walk(value)


def _path_predicates(path: Any) -> set[str] | None:
    """The IRIs a property path can follow; None if it may match anything (variable, ``!``, empty path)."""
    from rdflib import URIRef, Variable
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath

    if isinstance(path, URIRef):
        return {str(path)}
    if isinstance(path, (Variable, NegatedPath)):
        return None
    if isinstance(path, MulPath):
        if path.mod in ("*", "?"):  # the empty path matches every node of the default graph
            return None
        return _path_predicates(path.path)
    if isinstance(path, InvPath):
        return _path_predicates(path.arg)
    if isinstance(path, SequencePath | AlternativePath):
        found: set[str] = set()
        for part in path.args:
            inner = _path_predicates(part)
            if inner is None:
                return None
            found |= inner
        return found
    return None


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def typed_predicate(predicate: str, obj: str) -> str:
    """``rdf:type`` with its class, as one key: the claims graphs hold types too (the ``org:Membership``
    of a claimed role), so a bare ``rdf:type`` in the query would send every typed query to the list
    of graphs (measured: ``relations-of`` at 10,000 statements 4.49 s against 0.0116 s raw;
    2026-12-02, 2 cores)."""
    return f"{predicate} {obj}" if predicate == RDF_TYPE else predicate


def _is_iri(term: Any) -> bool:
    from rdflib import URIRef

    return isinstance(term, URIRef)


def _in_lists(expr: Any) -> dict[str, tuple[str, ...]]:
    """The variables a filter holds to a list of IRIs (``?v IN (<a>, <b>)``, also inside ``&&``)."""
    from rdflib import URIRef, Variable
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(expr, CompValue):
        return {}
    if expr.name == "ConditionalAndExpression":
        found: dict[str, tuple[str, ...]] = {}
        for part in [expr.get("expr"), *(expr.get("other") or [])]:
            found.update(_in_lists(part))
        return found
    if expr.name == "RelationalExpression" and expr.get("op") == "IN" and isinstance(expr.get("expr"), Variable):
        values = list(expr.get("other") or [])
        if values and all(isinstance(v, URIRef) for v in values):
            return {str(expr.get("expr")): tuple(str(v) for v in values)}
    return {}


def _default_graph_predicates(algebra: Any) -> frozenset[str] | None:
    """Predicates of every triple pattern outside ``GRAPH`` (None: any predicate).

    A type pattern with a class counts as that typed key (:func:`typed_predicate`); so does one
    whose class is a variable that a filter around it holds to a list of IRIs (the bundled queries'
    ``?st a ?voiceClass`` with ``FILTER(?voiceClass IN (qg:Narration, …))``): a solution the union
    adds through a claims graph's type would have another class, and the filter drops it.
    """
    from rdflib import Variable
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    stack: list[tuple[Any, dict[str, tuple[str, ...]]]] = [(algebra, {})]
    while stack:
        node, held = stack.pop()
        if isinstance(node, CompValue):
            if node.name in ("Graph", "GraphGraphPattern"):
                continue  # patterns in GRAPH see the named graphs, whatever the default graph is
            if node.name in ("DescribeQuery", "ServiceGraphPattern"):
                return None
            if node.name == "Filter":
                held = {**held, **_in_lists(node.get("expr"))}
            if node.name in ("BGP", "TriplesBlock"):
                for triple in node.get("triples") or []:
                    if len(triple) != 3:
                        return None
                    if _is_iri(triple[1]) and str(triple[1]) == RDF_TYPE:
                        if _is_iri(triple[2]):  # `?x a qg:Statement` cannot match `?m a org:Membership` in a claims graph
                            found.add(typed_predicate(RDF_TYPE, str(triple[2])))
                            continue
                        if isinstance(triple[2], Variable) and str(triple[2]) in held:
                            found.update(typed_predicate(RDF_TYPE, c) for c in held[str(triple[2])])
                            continue
                    predicates = _path_predicates(triple[1])
                    if predicates is None:
                        return None
                    found |= predicates
            stack.extend((value, held) for key, value in node.items() if key not in ("template", "_vars", "PV"))
        elif isinstance(node, list | tuple):
            stack.extend((item, held) for item in node)
        elif hasattr(node, "algebra"):  # rdflib's Query object
            stack.append((node.algebra, held))
    return frozenset(found)


@lru_cache(maxsize=CACHE_SIZE)
def _shape(text: str, prefixes: tuple[tuple[str, str], ...]) -> Shape:
    from pyparsing import ParseException
    from rdflib import Namespace
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not text.strip():
        raise QueryError("empty query")
    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        raise QueryRefused(
            "SPARQL updates are refused: the graph is read-only (change data/ and run `kg build`)", "update-refused"
        ) from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain exceptions for some malformed input
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    dataset: list[str] = []
    for node in _walk(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is refused: queries never contact other endpoints", "service-refused")
        if name == "DatasetClause":
            # CompValue.get returns the key itself for a key it lacks, so FROM NAMED must be tested for
            dataset.append(str(node["default"] if "default" in node else node["named"]))
    try:
        algebra = translateQuery(tree, initNs={k: Namespace(v) for k, v in prefixes})
        predicates = _default_graph_predicates(algebra)
    except Exception:  # noqa: BLE001 - what rdflib cannot translate is treated as "any predicate"
        predicates = None
    return Shape(tuple(dataset), predicates)


def shape(text: str, prefixes: Mapping[str, str] | None = None, known: Mapping[str, Shape] | None = None) -> Shape:
    """The check of one query text, read in its canonical form (raises :class:`QueryError` or :class:`QueryRefused`).

    ``known`` maps :func:`digest` of texts checked before (a build's bundled queries) to their shape.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}", "query-too-long")
    text = canonical(text)
    if known:
        found = known.get(digest(text))
        if found is not None:
            return found
    return _shape(text, tuple(sorted((prefixes or {}).items())))


# --- where to bind parameters -------------------------------------------------------------------

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_FORM = re.compile(r"(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


def _tokens(text: str) -> Iterable[tuple[int, str]]:
    """Positions of braces, parentheses and bare words outside comments, strings and IRIs.

    Meant for canonical texts (no comments, no CR, short strings only), where this simple
    reading is Oxigraph's; on other texts it is only as good as a guess (the query page's display).
    """
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
        elif c == "<" and (m := _IRI.match(text, i)):
            i = m.end()
        elif c in "{}()":
            yield i, c
            i += 1
        elif c.isalpha() and (i == 0 or (text[i - 1] not in "?$:_-" and not text[i - 1].isalnum())):
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_-:."):
                j += 1
            word = text[i:j].rstrip(".")
            if ":" not in word:
                yield i, word
            i = j
        else:
            i += 1


@lru_cache(maxsize=CACHE_SIZE)
def where_group(text: str) -> int | None:
    """The position just after the ``{`` opening the query's WHERE group; None if it has none
    (``CONSTRUCT WHERE { … }`` and ``DESCRIBE <x>``, whose patterns cannot take a ``VALUES``)."""
    depth = paren = 0
    form: str | None = None
    template_seen = False
    previous = ""
    for pos, word in _tokens(text):
        if word == "{" and depth == 0 and paren == 0 and form is not None:
            if form != "CONSTRUCT" or template_seen:
                return pos + 1
            if previous.upper() == "WHERE":
                return None  # CONSTRUCT WHERE { triples }: a template that is also the pattern
            template_seen = True
        if word == "{":
            depth += 1
        elif word == "}":
            depth -= 1
        elif word == "(":
            paren += 1
        elif word == ")":
            paren -= 1
        elif depth == 0 and paren == 0 and form is None and _FORM.fullmatch(word):
            form = word.upper()
        previous = word
    return None
