"""Roles named beside a name: "Nordwind-Chef Markus Brandt", "Quantix CEO David Chen", "Marc Weber, Chef der Solvia AG".

Split from :mod:`graph.ingest.relations`: these read a role relation (``ceoOf``, ``founderOf``,
``chairOf`` …) from the words around a name rather than from a verb between two parties, so
they pair by position and let the ontology's domain and range give the direction.
"""

from __future__ import annotations

from typing import Protocol

from graph.ingest.grammar import Grammar
from graph.ingest.mentions import Mention
from graph.ingest.nlp import Sentence
from graph.ingest.pairing import POSSESSIVE as _POSSESSIVE
from graph.ingest.pairing import Pairing, SignalMatch
from graph.model.ontology import Ontology, Relation


class RelationReader(Protocol):
    """What these rules need of :class:`graph.ingest.relations.RelationReader` (which calls them)."""

    onto: Ontology
    grammar: Grammar
    stance_relations: set[str]

    def fits(self, relation: Relation, subject: str, obj: str) -> bool: ...


#: words between a role and the organisation it is held in ("CEO of", "Chef der", "head of the")
_LINKS = frozenset({"of", "the", "at", "der", "des", "von", "vom", "bei", "beim", "im"})


def compounds(
    reader: RelationReader, sentence: Sentence, signals: list[SignalMatch], mentions: list[Mention]
) -> tuple[list[Pairing], set[int]]:
    """A name, a role word and a name in a row: the role relation between them, read by its types.

    The first name is then a modifier ("Nordwind" in "Nordwind-Chef Markus Brandt wirft …
    vor") and takes no part in the sentence's other relations.
    """
    doc = sentence.span.doc
    found: list[Pairing] = []
    modifiers: set[int] = set()
    for signal in signals:
        relation = reader.onto.relations.get(signal.relation)
        if relation is None or relation.is_attribute or signal.relation in reader.stance_relations:
            continue
        head = doc[signal.first]
        # a noun: capitalised ("Chef", "CEO") or a title ("chairman"); a verb ("verklagte") is no compound
        noun = head.text[:1].isupper() or head.lower_ in reader.grammar.titles
        before = [
            m
            for m in mentions
            if m.last <= signal.first
            and all(doc[t].text in _POSSESSIVE for t in range(m.last, signal.first))
            and (noun or m.last < signal.first)
        ]
        after = [m for m in mentions if m.first > signal.last and m.first - signal.last <= 2]
        after = [m for m in after if all(not doc[t].is_punct for t in range(signal.last + 1, m.first))]
        if not before or not after:
            continue
        a, b = before[-1], min(after, key=lambda m: m.first)
        for subject, obj in ((a, b), (b, a)):
            if reader.fits(relation, subject.entity, obj.entity):
                found.append(Pairing(relation.name, subject, obj, signal, "compound", 0.75))
                modifiers.add(id(a))
                break
    return found, modifiers


def appositions(
    reader: RelationReader, sentence: Sentence, signals: list[SignalMatch], mentions: list[Mention], used: set[int]
) -> list[Pairing]:
    """A name, a comma, a role and an organisation: "Susan Okafor, chief executive of Ardent Systems," → ceoOf.

    The apposition says what the first name is; the role's relation holds between the two
    whichever way the ontology's types allow (the person is the subject of ``ceoOf``).
    """
    doc = sentence.span.doc
    found: list[Pairing] = []
    for signal in signals:
        relation = reader.onto.relations.get(signal.relation)
        if id(signal) in used or relation is None or relation.is_attribute or signal.relation in reader.stance_relations:
            continue
        k = signal.first - 1
        if k > sentence.span.start and doc[k].lower_ in reader.grammar.determiners:
            k -= 1
        if k <= sentence.span.start or doc[k].text != ",":
            continue
        holder = next((m for m in mentions if m.last == k), None)
        t = signal.last + 1
        while t < sentence.span.end and doc[t].lower_ in _LINKS:
            t += 1
        held = next((m for m in mentions if m.first == t and t > signal.last + 1), None)
        if holder is None or held is None:
            continue
        for subject, obj in ((holder, held), (held, holder)):
            if reader.fits(relation, subject.entity, obj.entity):
                found.append(Pairing(relation.name, subject, obj, signal, "apposition", 0.7))
                break
    return found
