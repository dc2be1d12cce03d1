"""Relations between the mentions of one sentence, from the ontology's signal words.

A signal phrase ("verklagte", "reichte eine Klage ein", "sued") is found token by token; the
words of a phrase may stand apart in the sentence, in order, as German separable verbs do
("reichte eine Klage gegen OpenAI ein"). Its relation then takes two mentions of the sentence:

* **Passive**: a passive auxiliary ("wurde", "was") and an agent after "von"/"durch"/"by":
  the agent is the subject ("OpenAI wurde von Musk verklagt", "OpenAI was sued by Musk").
* **Active**: the nearest mention before the signal is the subject and the nearest after it
  the object ("Musk verklagte OpenAI"); with both after it, German verb-second order, the first
  is the subject ("Am Montag verklagte Musk OpenAI"); with both before it, a German
  subordinate clause, the first is the subject ("…, dass Musk OpenAI verklagte").
* **Types** decide where word order cannot: when only one direction fits the relation's
  domain and range in the ontology ("OpenAI-Chef Altman" is Altman, CEO of OpenAI), that one.

A relation to a stance (the range is qg:Stance: "X will, dass …", "X fordert …") takes as its
object the proposition after the signal: a known stance named or closely paraphrased there, or
a new stance whose label is that exact span. A negated clause ("nicht", "kein", "never") or a
denied one ("bestritt, dass …") drafts nothing: a negated relation is never drafted as positive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import URIRef

from graph.ingest.grammar import Grammar
from graph.ingest.lexicon import SignalIndex
from graph.ingest.mentions import Mention
from graph.ingest.nlp import Sentence
from graph.model.ontology import Ontology, Relation

#: most tokens allowed between two words of one signal phrase
MAX_GAP = 8
#: most tokens between a signal and a mention it pairs with
MAX_REACH = 25


@dataclass(frozen=True)
class SignalMatch:
    relation: str
    tokens: tuple[int, ...]
    phrase: str

    @property
    def first(self) -> int:
        return self.tokens[0]

    @property
    def last(self) -> int:
        return self.tokens[-1]


@dataclass
class Pairing:
    """A relation found in a sentence, before attribution: who, what, whom, and how it was read."""

    relation: str
    subject: Mention
    object: Mention | None
    signal: SignalMatch
    rule: str
    confidence: float
    #: for a stance: the stance's id and, for a new one, its exact span
    stance: tuple[str, int, int] | None = None


def find_signals(sentence: Sentence, index: SignalIndex) -> list[SignalMatch]:
    """Every signal phrase in the sentence; a phrase inside a longer one of the same relation is dropped."""
    doc = sentence.span.doc
    lower = {t: doc[t].lower_ for t in range(sentence.span.start, sentence.span.end)}
    found: list[SignalMatch] = []
    for t in range(sentence.span.start, sentence.span.end):
        for signal in index.by_first.get(lower[t], ()):
            tokens = [t]
            at = t
            for word in signal.tokens[1:]:
                nxt = next((k for k in range(at + 1, min(at + 2 + MAX_GAP, sentence.span.end)) if lower[k] == word), None)
                if nxt is None:
                    break
                tokens.append(nxt)
                at = nxt
            if len(tokens) == len(signal.tokens):
                found.append(SignalMatch(signal.relation, tuple(tokens), signal.phrase))
    kept = []
    for match in found:
        inside = any(other is not match and other.relation == match.relation and set(match.tokens) < set(other.tokens) for other in found)
        if not inside:
            kept.append(match)
    return kept


class RelationReader:
    """Pairs mentions through signals, with the ontology's domains and ranges as the check."""

    def __init__(self, onto: Ontology, grammar: Grammar, classes_of: Callable[[str], frozenset[URIRef]]):
        self.onto = onto
        self.grammar = grammar
        self.classes_of = classes_of
        stance = onto.kinds.get("stance")
        self.stance_relations = {
            name
            for name, r in onto.relations.items()
            if r.range is not None and stance is not None and stance in onto.superclasses(r.range)
        }

    def fits(self, relation: Relation, subject: str, obj: str) -> bool:
        if subject == obj:
            return False
        if relation.domain is not None and relation.domain not in self.classes_of(subject):
            return False
        return relation.range is None or relation.range in self.classes_of(obj)

    def negated(self, sentence: Sentence, lo: int, hi: int, signal: SignalMatch) -> bool:
        """A negation in the stretch the relation spans (to the end of its clause) or a denial before it."""
        doc = sentence.span.doc
        g = self.grammar
        end = hi
        while end + 1 < sentence.span.end and not doc[end + 1].is_punct:
            end += 1
        start = max(sentence.span.start, min(lo, signal.first - 1))
        if any(doc[t].lower_ in g.negation for t in range(start, end + 1)):
            return True
        return any(doc[t].lower_ in g.denial for t in range(sentence.span.start, signal.first))

    def read(self, sentence: Sentence, signals: list[SignalMatch], mentions: list[Mention]) -> list[Pairing]:
        found: list[Pairing] = []
        for signal in signals:
            relation = self.onto.relations.get(signal.relation)
            if relation is None or relation.is_attribute or relation.abstract:
                continue
            near = [m for m in mentions if abs(m.first - signal.first) <= MAX_REACH]
            if signal.relation in self.stance_relations:
                pairing = self._stance(sentence, signal, near)
            else:
                pairing = self._pair(sentence, relation, signal, near)
            if pairing is None:
                continue
            lo = min(pairing.subject.first, pairing.object.first if pairing.object else signal.first, signal.first)
            hi = max(pairing.subject.last - 1, pairing.object.last - 1 if pairing.object else signal.last, signal.last)
            if self.negated(sentence, lo, hi, signal):
                continue
            found.append(pairing)
        return found

    # -- entity to entity ----------------------------------------------------------------------
    def _passive(self, sentence: Sentence, signal: SignalMatch, mentions: list[Mention]) -> tuple[Mention, Mention] | None:
        doc = sentence.span.doc
        g = self.grammar
        aux = [t for t in range(sentence.span.start, sentence.span.end) if doc[t].lower_ in g.passive_aux]
        if not aux:
            return None
        for agent in mentions:
            k = agent.first - 1
            if k > sentence.span.start and doc[k].lower_ in g.determiners:
                k -= 1
            if k < sentence.span.start or doc[k].lower_ not in g.agent_prep:
                continue
            if abs(agent.first - signal.last) > 6 and abs(agent.first - signal.first) > 6:
                continue
            patients = [m for m in mentions if m.last <= min(aux[0], agent.first) and m.entity != agent.entity]
            if patients:
                return agent, max(patients, key=lambda m: m.first)
        return None

    def _pair(self, sentence: Sentence, relation: Relation, signal: SignalMatch, mentions: list[Mention]) -> Pairing | None:
        passive = self._passive(sentence, signal, mentions)
        if passive is not None:
            agent, patient = passive
            if self.fits(relation, agent.entity, patient.entity):
                return Pairing(relation.name, agent, patient, signal, "passive", 0.7)
        named = [m for m in mentions if _overlaps(m, signal)]
        others = [m for m in mentions if not _overlaps(m, signal)]
        left = sorted((m for m in others if m.last <= signal.first), key=lambda m: -m.first)
        right = sorted((m for m in others if m.first > signal.first), key=lambda m: m.first)
        options: list[tuple[Mention, Mention, str, float]] = []
        # the signal word names one party itself ("Klage gegen OpenAI": the lawsuit is the subject)
        for head in named:
            if right:
                options.append((head, right[0], "nominal", 0.55))
            if left:
                options.append((left[0], head, "nominal", 0.55))
        if left and right:
            options.append((left[0], right[0], "active", 0.6))
        if len(right) >= 2:
            options.append((right[0], right[1], "verb-second", 0.45))
        if len(left) >= 2:
            options.append((left[1], left[0], "verb-final", 0.45))
        # further afield: the nearest mentions on each side that the relation's types accept
        for a in left[:3]:
            for b in right[:3]:
                options.append((a, b, "active-types", 0.45))
        # word order first; a direction only the types allow comes second
        for a, b, rule, confidence in options:
            if self.fits(relation, a.entity, b.entity):
                return Pairing(relation.name, a, b, signal, rule, confidence - 0.02 * max(0, _distance(a, b, signal) - 6))
        for a, b, _rule, confidence in options:
            if self.fits(relation, b.entity, a.entity):
                return Pairing(relation.name, b, a, signal, "types", confidence - 0.02 * max(0, _distance(a, b, signal) - 6))
        return None

    # -- stances -------------------------------------------------------------------------------
    def _stance(self, sentence: Sentence, signal: SignalMatch, mentions: list[Mention]) -> Pairing | None:
        agents = [m for m in mentions if self._is_agent(m.entity)]
        left = sorted((m for m in agents if m.last <= signal.first), key=lambda m: -m.first)
        right = sorted((m for m in agents if m.first > signal.last), key=lambda m: m.first)
        if left:
            holder, complement_from = left[0], signal.last + 1
        elif right and right[0].first - signal.last <= 3:  # "Deshalb wollte er …", "fordert Musk, dass …"
            holder, complement_from = right[0], right[0].last
        else:
            return None
        doc = sentence.span.doc
        end = sentence.span.end
        for t in range(complement_from, sentence.span.end):
            if doc[t].text in (";", ":") or (doc[t].is_quote and t > complement_from):
                end = t
                break
        first = complement_from
        while first < end and (doc[first].is_punct or doc[first].lower_ in self.grammar.complementisers):
            first += 1
        last = end
        while last > first and (doc[last - 1].is_punct or doc[last - 1].is_space):
            last -= 1
        if last - first < 2:
            return None
        stances = [
            m for m in mentions if first <= m.first and m.last <= last and not self._is_agent(m.entity) and self._is_stance(m.entity)
        ]
        if stances:
            return Pairing(signal.relation, holder, stances[0], signal, "stance-named", 0.6)
        if all(any(m.first <= t < m.last for m in mentions) for t in range(first, last)):
            return None  # only a name follows: "unterstützt OpenAI" is not a proposition
        start, stop = sentence.token_start(first), sentence.token_end(last - 1)
        return Pairing(signal.relation, holder, None, signal, "stance-new", 0.4, stance=("", start, stop))

    def _is_agent(self, entity: str) -> bool:
        agent = URIRef("http://www.w3.org/ns/prov#Agent")
        return agent in self.classes_of(entity)

    def _is_stance(self, entity: str) -> bool:
        stance = self.onto.kinds.get("stance")
        return stance is not None and stance in self.classes_of(entity)


def _overlaps(m: Mention, signal: SignalMatch) -> bool:
    return any(m.first <= t < m.last for t in signal.tokens)


def _distance(a: Mention, b: Mention, signal: SignalMatch) -> int:
    points = [a.first, a.last, b.first, b.last, signal.first, signal.last]
    return max(points) - min(points)
