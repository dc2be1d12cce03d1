"""What changed between two builds: statements (and entities) added, removed and changed.

Statements are matched by id. A curated statement keeps its id across edits when the curator
gave it one (``id:``); otherwise its id derives from its content, so an edit shows as one
statement removed and one added, which is what happened to its identity. A statement is
*changed* when some field differs: what it says (subject, predicate, object), who asserts it and
in which voice, where it was expressed, its quote (text or offsets), translation, time or hedge.

Both builds are read from their stores with one SPARQL query each (Oxigraph), so a diff shows
exactly what was built, not what the data folder holds now. Every node type other than
``qg:Statement`` and ``qg:DerivedStatement`` counts as the statement's voice, so a new voice in
the ontology is compared without a change here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph

from graph.model.vocab import QG, SPARQL_PREFIXES, local_name

_STATEMENTS = (
    SPARQL_PREFIXES
    + """
SELECT ?id ?type ?s ?p ?o ?who ?srcId ?in ?translation ?when ?date ?hedged ?regarding ?exact ?start ?end WHERE {
  GRAPH ?g {
    ?st a qg:Statement ; schema:identifier ?id ; a ?type ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
        prov:wasAttributedTo ?who ; prov:wasDerivedFrom ?src .
    ?src a qg:Source ; schema:identifier ?srcId .
    OPTIONAL { ?st qg:expressedIn ?in }
    OPTIONAL { ?st qg:translation ?translation }
    OPTIONAL { ?st qg:timeText ?when }
    OPTIONAL { ?st qg:date ?date }
    OPTIONAL { ?st qg:hedged ?hedged }
    OPTIONAL { ?st qg:regardingStatement/schema:identifier ?regarding }
    OPTIONAL { ?st qg:quote ?q . ?q oa:hasSelector ?tqs , ?tps . ?tqs oa:exact ?exact . ?tps oa:start ?start ; oa:end ?end . }
  }
}
"""
)

_ENTITIES = (
    SPARQL_PREFIXES
    + """
SELECT ?e ?id ?p ?v WHERE {
  GRAPH ?g { ?e a qg:Entity ; schema:identifier ?id ; ?p ?v . }
}
"""
)

#: The fields of a statement, in the order a change lists them.
FIELDS = (
    "source",
    "subject",
    "predicate",
    "object",
    "voice",
    "asserted_by",
    "expressed_in",
    "quote",
    "translation",
    "when",
    "date",
    "hedged",
    "regarding",
)
_SKIPPED_TYPES = {str(QG.Statement), str(QG.DerivedStatement)}


def _term(term: Any, ids: dict[str, str]) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return ids.get(term.value, term.value)
    if isinstance(term, pyoxigraph.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return str(term)


def entity_records(store: pyoxigraph.Store) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Every entity by id with its sorted (property, value) pairs, and the id of every entity IRI."""
    ids: dict[str, str] = {}
    values: dict[str, set[tuple[str, str]]] = defaultdict(set)
    rows = list(store.query(_ENTITIES))  # type: ignore[arg-type]
    for row in rows:
        ids[row["e"].value] = row["id"].value
    for row in rows:
        prop = local_name(row["p"].value)
        if prop not in ("identifier", "mentionedIn"):  # mentions are per source; the statements diff shows them
            values[row["id"].value].add((prop, _term(row["v"], ids)))
    return {ident: {"values": sorted(pairs)} for ident, pairs in values.items()}, ids


def statement_records(store: pyoxigraph.Store, ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every statement by id, as the fields of :data:`FIELDS` (quotes as ``exact [start, end)``)."""
    found: dict[str, dict[str, Any]] = {}
    voices: dict[str, set[str]] = defaultdict(set)
    regarding: dict[str, set[str]] = defaultdict(set)
    quotes: dict[str, set[tuple[int, int, str]]] = defaultdict(set)
    for row in store.query(_STATEMENTS):  # type: ignore[union-attr]
        sid = row["id"].value
        if row["type"].value not in _SKIPPED_TYPES:
            voices[sid].add(local_name(row["type"].value).lower())
        if row["regarding"] is not None:
            regarding[sid].add(row["regarding"].value)
        if row["exact"] is not None:
            quotes[sid].add((int(row["start"].value), int(row["end"].value), row["exact"].value))
        if sid in found:
            continue
        found[sid] = {
            "source": row["srcId"].value,
            "subject": _term(row["s"], ids),
            "predicate": local_name(row["p"].value),
            "object": _term(row["o"], ids),
            "asserted_by": _term(row["who"], ids),
            "expressed_in": _term(row["in"], ids) if row["in"] is not None else "",
            "translation": row["translation"].value if row["translation"] is not None else "",
            "when": row["when"].value if row["when"] is not None else "",
            "date": row["date"].value if row["date"] is not None else "",
            "hedged": row["hedged"] is not None and row["hedged"].value == "true",
        }
    for sid, record in found.items():
        record["voice"] = ", ".join(sorted(voices[sid]))
        record["regarding"] = sorted(regarding[sid])
        record["quote"] = " … ".join(f"{exact} [{start}, {end})" for start, end, exact in sorted(quotes[sid]))
    return {sid: {f: found[sid][f] for f in FIELDS} for sid in sorted(found)}


@dataclass
class Change:
    id: str
    before: dict[str, Any]
    after: dict[str, Any]

    @property
    def fields(self) -> list[str]:
        return [f for f in self.before if self.before[f] != self.after.get(f)]


@dataclass
class Diff:
    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    removed: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: list[Change] = field(default_factory=list)
    entities_added: list[str] = field(default_factory=list)
    entities_removed: list[str] = field(default_factory=list)
    entities_changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.entities_added or self.entities_removed or self.entities_changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "statements": {
                "added": [{"id": k, **v} for k, v in self.added.items()],
                "removed": [{"id": k, **v} for k, v in self.removed.items()],
                "changed": [
                    {
                        "id": c.id,
                        "fields": c.fields,
                        "before": {f: c.before[f] for f in c.fields},
                        "after": {f: c.after[f] for f in c.fields},
                    }
                    for c in self.changed
                ],
                "unchanged": self.unchanged,
            },
            "entities": {"added": self.entities_added, "removed": self.entities_removed, "changed": self.entities_changed},
        }


def diff_stores(before: pyoxigraph.Store, after: pyoxigraph.Store) -> Diff:
    """What changed from ``before`` to ``after`` (see the module docstring)."""
    old_entities, old_ids = entity_records(before)
    new_entities, new_ids = entity_records(after)
    old, new = statement_records(before, old_ids), statement_records(after, new_ids)
    result = Diff()
    result.added = {k: v for k, v in new.items() if k not in old}
    result.removed = {k: v for k, v in old.items() if k not in new}
    for sid in sorted(old.keys() & new.keys()):
        if old[sid] != new[sid]:
            result.changed.append(Change(sid, old[sid], new[sid]))
        else:
            result.unchanged += 1
    result.entities_added = sorted(new_entities.keys() - old_entities.keys())
    result.entities_removed = sorted(old_entities.keys() - new_entities.keys())
    result.entities_changed = sorted(k for k in old_entities.keys() & new_entities.keys() if old_entities[k] != new_entities[k])
    return result
