"""Finding an entity by what a user types: id, label or alias, in German or English.

Matching ignores case and accents ("musk", "Elon", "sutskever", "GOOGLE"); an unknown name gets
the closest candidates ("did you mean …"), as rapidfuzz ranks them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph
from rapidfuzz import fuzz, process

from graph.errors import UsageError
from graph.model.lang import display_label
from graph.sources.duplicates import fold as fold  # re-exported: one folding for lookups and for the duplicate check


class NotFound(UsageError):
    """Nothing has this name; the message lists the closest names (``what`` says what was looked for)."""

    what = "nothing matches"

    code = "not-found"

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{self.what} '{query}'{hint}")


class EntityNotFound(NotFound):
    what = "no entity matches"


class StatementNotFound(NotFound):
    what = "no statement has the id"


class AmbiguousEntity(UsageError):
    """Several entities match equally well; the message lists them by id."""

    code = "ambiguous-name"

    def __init__(self, query: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        super().__init__(f"'{query}' matches several entities: {', '.join(candidates)}; use an id")


# Names as the store holds them: read from the entities graph, so a lookup needs no projection.
# A remote endpoint runs the same queries (graph.remote.names), with quotegraph's graphs as its named graphs.
ENTITY_NAMES = """
SELECT ?e ?id ?name ?p WHERE {
  GRAPH ?g { ?e a <https://w3id.org/quotegraph/ontology#Entity> ; <https://schema.org/identifier> ?id ;
                ?p ?name . }
  FILTER(?p IN (<http://www.w3.org/2000/01/rdf-schema#label>, <http://www.w3.org/2004/02/skos/core#altLabel>))
}
"""
# the id is bound first (a literal serialised by Oxigraph), so the lookup starts from the index
_STATEMENT_BY_ID = """
SELECT ?st WHERE {
  VALUES ?id { ?given }
  ?st <https://schema.org/identifier> ?id . ?st a <https://w3id.org/quotegraph/ontology#Statement> .
}
"""
STATEMENT_IDS = """
SELECT ?st ?id WHERE {
  GRAPH ?g { ?st a <https://w3id.org/quotegraph/ontology#Statement> ; <https://schema.org/identifier> ?id . }
}
"""


@dataclass(frozen=True)
class Names:
    """Every name of every entity, folded, for lookups; and each entity's IRI when known."""

    by_name: dict[str, set[str]]
    display: dict[str, str]
    iris: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_nodes(cls, nodes: Iterable[tuple[str, Mapping[str, Any]]]) -> Names:
        by_name: dict[str, set[str]] = {}
        display: dict[str, str] = {}
        iris: dict[str, str] = {}
        for ident, attrs in nodes:
            display[ident] = display_label({"en": attrs.get("label_en") or "", "de": attrs.get("label_de") or ""}, "en", ident)
            if attrs.get("iri"):
                iris[ident] = attrs["iri"]
            names = {ident, attrs.get("label_en", ""), attrs.get("label_de", ""), *attrs.get("aliases", [])}
            for name in names:
                if name:
                    by_name.setdefault(fold(name), set()).add(ident)
        return cls(by_name, display, iris)

    @classmethod
    def from_store(cls, store: pyoxigraph.Store) -> Names:
        """The names of every entity in a built store (ids, labels and aliases in every language)."""
        results = store.query(ENTITY_NAMES)
        assert isinstance(results, pyoxigraph.QuerySolutions)
        return cls.from_rows(tuple(row) for row in results)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[Any, ...]]) -> Names:
        """The names from the rows of :data:`ENTITY_NAMES` (``?e ?id ?name ?p``), wherever the query ran."""
        nodes: dict[str, dict[str, Any]] = {}
        for e, ident, name, p in rows:
            node = nodes.setdefault(ident.value, {"iri": e.value, "aliases": []})
            if p.value.endswith("#label") and getattr(name, "language", None) in ("de", "en"):
                node[f"label_{name.language}"] = name.value
            else:
                node["aliases"].append(name.value)
        return cls.from_nodes(sorted(nodes.items()))

    def iri(self, query: str) -> str:
        """The IRI of the one entity ``query`` names (see :meth:`find`)."""
        return self.iris[self.find(query)]

    def find(self, query: str) -> str:
        """The id of the one entity ``query`` names; raises with suggestions otherwise."""
        return resolve(query, lambda key: self.by_name.get(key, set()), lambda: self.by_name, lambda ident: self.display[ident])


def resolve(
    query: str,
    exact: Callable[[str], set[str]],
    every_name: Callable[[], Mapping[str, set[str]]],
    display: Callable[[str], str],
) -> str:
    """The id of the one entity ``query`` names, given how to look a folded name up (``exact``),
    all folded names with their entities (``every_name``, only read when nothing matches) and an
    entity's label for suggestions (``display``). Raises with suggestions otherwise."""
    key = fold(query)
    found = exact(key)
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        same = [i for i in found if i == query]
        if same:
            return same[0]
        raise AmbiguousEntity(query, sorted(found))
    by_name = every_name()
    found_matches = process.extract(key, list(by_name), scorer=fuzz.WRatio, limit=50, score_cutoff=60)
    # ties in name order, so that every index of the same names suggests the same entities
    matches = sorted(found_matches, key=lambda m: (-m[1], m[0]))[:10]
    # only the close ones: within 10 points of the best, so "Sutskevr" does not suggest Musk
    best = matches[0][1] if matches else 0
    suggestions: list[str] = []
    for name, _score, _ in (m for m in matches if m[1] >= best - 10):
        for ident in sorted(by_name[name]):
            shown = display(ident)
            label = f"{ident} ({shown})" if shown != ident else ident
            if label not in suggestions:
                suggestions.append(label)
    raise EntityNotFound(query, suggestions[:5])


def statement_by_id(given: str) -> str:
    """The query for the statement whose id is exactly ``given`` (a literal serialised by Oxigraph, never pasted text)."""
    return _STATEMENT_BY_ID.replace("?given", str(pyoxigraph.Literal(given)))


def find_statement(store: pyoxigraph.Store, query: str) -> str:
    """The IRI of the statement whose id is ``query`` (ignoring case); raises with the closest ids.

    An exact id is one indexed lookup; only a different case or an unknown id reads every id.
    """

    def exact() -> str | None:
        results = store.query(statement_by_id(query), use_default_graph_as_union=True)
        assert isinstance(results, pyoxigraph.QuerySolutions)
        return next((str(row["st"].value) for row in results), None)

    def every() -> dict[str, str]:
        results = store.query(STATEMENT_IDS)
        assert isinstance(results, pyoxigraph.QuerySolutions)
        return {row["id"].value: row["st"].value for row in results}

    return resolve_statement(query, exact, every)


def resolve_statement(query: str, exact: Callable[[], str | None], every: Callable[[], Mapping[str, str]]) -> str:
    """The IRI of the statement ``query`` names, given its exact lookup and every id with its IRI (read only when needed)."""
    found = exact()
    if found is not None:
        return found
    ids = every()
    if query in ids:
        return ids[query]
    folded = {fold(i): i for i in ids}
    if fold(query) in folded:
        return ids[folded[fold(query)]]
    matches = process.extract(fold(query), list(folded), scorer=fuzz.WRatio, limit=5, score_cutoff=60)
    raise StatementNotFound(query, [folded[name] for name, _score, _ in matches])
