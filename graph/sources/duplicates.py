"""One entity across sources: names and Wikidata ids that say two entities may be one.

Entities are shared by every source by id, so a second source that writes ``elon-musk`` beside
the existing ``musk`` splits one person into two nodes, and nothing downstream can tell. Three
kinds of evidence are looked for, from strongest to weakest:

* the same Wikidata id on two entities: they *are* one item, so the build refuses it;
* a name (label or alias, in any language) that folds to the same text as a name of another
  entity, the way ``kg lookup`` folds what a user types (case, accents, ß, spaces): the build
  warns, because a lookup of that name would be ambiguous, unless one entity lists the other
  under ``distinct_from`` (two people called "Musk" exist);
* names that are close but not equal (rapidfuzz ``token_sort_ratio``): only ``kg entities
  --duplicates`` lists these, as candidates for a person to judge. Stances are left out: their
  labels are sentences, and two claims about different parties ("Musk is hypocritical about the
  letter", "OpenAI is hypocritical about the letter") score 91 while meaning opposite things.

Exact clashes are found through a dictionary of folded names (one pass, so the check costs
nothing at a million statements). Close names are compared only within blocks of entities that
share a folded word, and words shared by more than :data:`BLOCK_LIMIT` entities ("the", a common
surname) form no block: comparing every pair of 100,000 entities would take hours, and a pair
whose only shared word is that common is weak evidence anyway.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

if TYPE_CHECKING:  # for annotations only: kg lookup and kg neighbors import fold() and need no pydantic models
    from graph.model.records import Entity

#: Close names at or above this token_sort_ratio (0-100) are candidates.
SIMILAR_AT = 88
#: A word shared by more entities than this forms no comparison block (see the module docstring).
BLOCK_LIMIT = 50


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``Größte`` → ``grosste``, ``Élan`` → ``elan``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def names_of(entity: Entity) -> list[tuple[str, str]]:
    """Every name of an entity with the field it is written in: ``("label.en", "Elon Musk")``."""
    found: list[tuple[str, str]] = []
    for lang, value in entity.label.model_dump().items():
        if value:
            found.append((f"label.{lang}", value))
    for lang, values in entity.aliases.model_dump().items():
        found.extend((f"aliases.{lang}", value) for value in values or ())
    return found


def marked_distinct(a: Entity, b: Entity) -> bool:
    return b.id in a.distinct_from or a.id in b.distinct_from


@dataclass(frozen=True)
class Evidence:
    """Why two entities may be one: ``kind`` is ``wikidata``, ``same-name`` or ``similar-name``."""

    kind: str
    first_field: str
    first_value: str
    second_field: str
    second_value: str
    score: float = 100.0

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "first": {"field": self.first_field, "value": self.first_value},
            "second": {"field": self.second_field, "value": self.second_value},
            "score": round(self.score, 1),
        }

    def __str__(self) -> str:
        if self.kind == "wikidata":
            return f"both are Wikidata {self.first_value}"
        if self.kind == "same-name":
            return f"'{self.first_value}' ({self.first_field}) = '{self.second_value}' ({self.second_field})"
        return f"'{self.first_value}' ({self.first_field}) ≈ '{self.second_value}' ({self.second_field}), {self.score:.0f}% similar"


@dataclass(frozen=True)
class Candidate:
    """Two entities that may be one (``first`` is defined before ``second``), with every piece of evidence."""

    first: str
    second: str
    evidence: tuple[Evidence, ...]
    distinct: bool  # marked distinct_from on purpose

    @property
    def strength(self) -> str:
        kinds = {e.kind for e in self.evidence}
        return next(k for k in ("wikidata", "same-name", "similar-name") if k in kinds)


def _pair(order: Mapping[str, int], a: str, b: str) -> tuple[str, str]:
    return (a, b) if order[a] <= order[b] else (b, a)


def same_wikidata(entities: Mapping[str, Entity]) -> dict[tuple[str, str], Evidence]:
    """Pairs of entities with one Wikidata id, each pair once, first defined first."""
    order = {ident: i for i, ident in enumerate(entities)}
    by_item: dict[str, list[str]] = defaultdict(list)
    for ident, entity in entities.items():
        if entity.wikidata:
            by_item[entity.wikidata].append(ident)
    found: dict[tuple[str, str], Evidence] = {}
    for item, idents in by_item.items():
        for i, a in enumerate(idents):
            for b in idents[i + 1 :]:
                found[_pair(order, a, b)] = Evidence("wikidata", "wikidata", item, "wikidata", item)
    return found


def same_names(entities: Mapping[str, Entity]) -> dict[tuple[str, str], list[Evidence]]:
    """Pairs of entities with a name that folds to the same text, with every such name.

    A name held by at most :data:`BLOCK_LIMIT` entities pairs every two of them. A name held by
    more pairs each holder only with the earliest holder before it that it is not marked
    distinct from (and with the marked ones that come first, which ``--include-distinct`` lists):
    k - 1 pairs instead of k(k - 1)/2. Every two holders made the check quadratic: the generated
    million-statement corpus has 485 names held by ~700 organisations each ("Opal" for Opal
    Energy AG 1 … 700), and its entity files took 150 s and 5.4 GB to read, nearly all of it
    warnings about pairs; chained, 61 s and 1.2 GB (2026-12-02, 2 cores). Each holder's warning still names an entity
    it shares the name with, and one merge per holder resolves them.
    """
    order = {ident: i for i, ident in enumerate(entities)}
    by_name: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for ident, entity in entities.items():
        seen: set[str] = set()
        for field, value in names_of(entity):
            key = fold(value)
            if key and key not in seen:  # one entry per entity and name: "Musk" in de and en is one name
                seen.add(key)
                by_name[key].append((ident, field, value))
    found: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for holders in by_name.values():  # in the order the entities are defined
        chained = len(holders) > BLOCK_LIMIT
        for i, (b, b_field, b_value) in enumerate(holders):
            for a, a_field, a_value in holders[:i]:
                pair = _pair(order, a, b)
                if pair[0] == a:
                    found[pair].append(Evidence("same-name", a_field, a_value, b_field, b_value))
                else:
                    found[pair].append(Evidence("same-name", b_field, b_value, a_field, a_value))
                if chained and not marked_distinct(entities[a], entities[b]):
                    break
    return found


def similar_names(entities: Mapping[str, Entity], at: float = SIMILAR_AT) -> dict[tuple[str, str], list[Evidence]]:
    """Pairs of entities of one kind with close but not equal names (see the module docstring)."""
    order = {ident: i for i, ident in enumerate(entities)}
    folded: dict[str, list[tuple[str, str, str]]] = {
        ident: [(field, value, fold(value)) for field, value in names_of(entity)] for ident, entity in entities.items()
    }
    blocks: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ident, names in folded.items():
        if entities[ident].kind == "stance":  # a stance's label is a sentence: "Musk is …" ≈ "OpenAI is …" says nothing
            continue
        for _field, _value, key in names:
            for word in key.split():
                if len(word) > 2:
                    blocks[entities[ident].kind, word].add(ident)
    found: dict[tuple[str, str], list[Evidence]] = {}
    compared: set[tuple[str, str]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > BLOCK_LIMIT:
            continue
        ranked = sorted(members, key=order.__getitem__)
        for i, a in enumerate(ranked):
            for b in ranked[i + 1 :]:
                if (a, b) in compared:
                    continue
                compared.add((a, b))
                best: Evidence | None = None
                for a_field, a_value, a_key in folded[a]:
                    for b_field, b_value, b_key in folded[b]:
                        if a_key == b_key:
                            continue
                        score = fuzz.token_sort_ratio(a_key, b_key)
                        if score >= at and (best is None or score > best.score):
                            best = Evidence("similar-name", a_field, a_value, b_field, b_value, score)
                if best is not None:
                    found[a, b] = [best]
    return found


def candidates(entities: Mapping[str, Entity], similar: bool = True) -> list[Candidate]:
    """Every pair that may be one entity, strongest evidence first, then in the order of the data."""
    order = {ident: i for i, ident in enumerate(entities)}
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for pair, item in same_wikidata(entities).items():
        evidence[pair].append(item)
    for pair, items in same_names(entities).items():
        evidence[pair].extend(items)
    if similar:
        for pair, items in similar_names(entities).items():
            if pair not in evidence:
                evidence[pair].extend(items)
    found = [Candidate(a, b, tuple(items), marked_distinct(entities[a], entities[b])) for (a, b), items in evidence.items()]
    rank = {"wikidata": 0, "same-name": 1, "similar-name": 2}
    return sorted(found, key=lambda c: (rank[c.strength], order[c.first], order[c.second]))


def clash_message(first: str, second: str, where_first: tuple[str, int], evidence: Iterable[Evidence]) -> str:
    """The warning for two entities that share a name, naming both and what to do."""
    names = "; ".join(str(e) for e in evidence)
    return (
        f"'{second}' and '{first}' ({where_first[0]}:{where_first[1]}) share a name: {names}. "
        f"If they are one, run `kg entities merge {first} {second}`; if not, add distinct_from: [{first}] to '{second}'"
    )
