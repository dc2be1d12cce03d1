"""``kg extract --evaluate``: how the drafts of a source compare with its curated statements.

The gold standard of a source is what the build writes for it: its curated statements and the
shortcuts derived from them (``qg:sued`` from ``qg:filed`` and ``qg:defendant``). A draft
**matches** a gold statement when all of these hold:

* the same subject and the same predicate (the ontology's local name);
* the same object, or for an attribute the same value (compared case-insensitively, with white
  space collapsed); for a symmetric relation (``owl:SymmetricProperty``) subject and object may
  be swapped;
* the quote spans overlap: ``draft.start < gold.end`` and ``gold.start < draft.end``.

Voice and assertor are not part of the match; among matched drafts the share that also agree on
both is reported as ``attribution``. **Precision** is the share of drafts that match some gold
statement, **recall** the share of gold statements that some draft matches, per predicate and
overall (micro-averaged), F1 their harmonic mean.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib.namespace import OWL, RDF

from graph.ingest.extract import Draft
from graph.model.ontology import Ontology
from graph.model.records import Statement


@dataclass
class Score:
    drafted: int = 0
    gold: int = 0
    correct_drafts: int = 0
    found_gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.correct_drafts / self.drafted if self.drafted else None

    @property
    def recall(self) -> float | None:
        return self.found_gold / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def add(self, other: Score) -> None:
        self.drafted += other.drafted
        self.gold += other.gold
        self.correct_drafts += other.correct_drafts
        self.found_gold += other.found_gold

    def as_json(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 3)

        return {
            "drafted": self.drafted,
            "gold": self.gold,
            "correct_drafts": self.correct_drafts,
            "found_gold": self.found_gold,
            "precision": r(self.precision),
            "recall": r(self.recall),
            "f1": r(self.f1),
        }


@dataclass
class Evaluation:
    source: str
    overall: Score = field(default_factory=Score)
    by_predicate: dict[str, Score] = field(default_factory=dict)
    attribution_agrees: int = 0
    #: drafts matched to nothing, gold statements no draft found (for the curator's eye)
    false_drafts: list[Draft] = field(default_factory=list)
    missed: list[Statement] = field(default_factory=list)
    quotes_not_in_text: int = 0

    def add(self, other: Evaluation) -> None:
        self.overall.add(other.overall)
        for name, score in other.by_predicate.items():
            self.by_predicate.setdefault(name, Score()).add(score)
        self.attribution_agrees += other.attribution_agrees
        self.false_drafts += other.false_drafts
        self.missed += other.missed
        self.quotes_not_in_text += other.quotes_not_in_text

    def as_json(self) -> dict[str, Any]:
        matched = self.overall.correct_drafts
        return {
            "source": self.source,
            "overall": self.overall.as_json(),
            "attribution": round(self.attribution_agrees / matched, 3) if matched else None,
            "quotes_not_in_text": self.quotes_not_in_text,
            "by_predicate": {name: s.as_json() for name, s in sorted(self.by_predicate.items())},
        }


def _norm(value: object) -> str:
    return " ".join(str(value).casefold().split())


def symmetric_relations(onto: Ontology) -> set[str]:
    return {name for name, r in onto.relations.items() if (r.iri, RDF.type, OWL.SymmetricProperty) in onto.graph}


def matches(draft: Draft, gold: Statement, symmetric: set[str]) -> bool:
    if draft.predicate != gold.predicate:
        return False
    if gold.object is not None or draft.object is not None:
        same = draft.subject == gold.subject and draft.object == gold.object
        if not same and draft.predicate in symmetric:
            same = draft.subject == gold.object and draft.object == gold.subject
        if not same:
            return False
    elif draft.subject != gold.subject or _norm(draft.value) != _norm(gold.value):
        return False
    return any(draft.start < q.end and q.start < draft.end for q in gold.quotes)


def evaluate(source: str, text: str, drafts: list[Draft], gold: list[Statement], onto: Ontology) -> Evaluation:
    """Score one source's drafts against its gold statements (see the module's definition)."""
    symmetric = symmetric_relations(onto)
    result = Evaluation(source)
    by_pred: dict[str, Score] = defaultdict(Score)
    found: set[str] = set()
    for draft in drafts:
        if text[draft.start : draft.end] != draft.quote:
            result.quotes_not_in_text += 1
        by_pred[draft.predicate].drafted += 1
        hits = [g for g in gold if matches(draft, g, symmetric)]
        if hits:
            by_pred[draft.predicate].correct_drafts += 1
            found.update(g.id for g in hits)
            if any(g.voice == draft.voice and g.asserted_by == draft.asserted_by for g in hits):
                result.attribution_agrees += 1
        else:
            result.false_drafts.append(draft)
    for g in gold:
        by_pred[g.predicate].gold += 1
        if g.id in found:
            by_pred[g.predicate].found_gold += 1
        else:
            result.missed.append(g)
    result.by_predicate = dict(by_pred)
    for score in by_pred.values():
        result.overall.add(score)
    return result
