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
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import RDFS

from graph.ingest.grammar import Grammar
from graph.ingest.lexicon import SignalIndex
from graph.ingest.mentions import Mention
from graph.ingest.nlp import Sentence
from graph.ingest.pairing import POSSESSIVE as _POSSESSIVE
from graph.ingest.pairing import Pairing, SignalMatch
from graph.ingest.roles import appositions, compounds
from graph.model.ontology import Ontology, Relation

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: most tokens allowed between two words of one signal phrase
MAX_GAP = 8
#: most tokens between a signal and a mention it pairs with
MAX_REACH = 25


def _forms(word: str, german: bool) -> list[str]:
    """The token and, in German, the masculine form of a feminine one ("chefin" → "chef")."""
    if german:
        if word.endswith("innen") and len(word) > 7:
            return [word, word[:-5]]
        if word.endswith("in") and len(word) > 5:
            return [word, word[:-2]]
    return [word]


def find_signals(sentence: Sentence, index: SignalIndex, german: bool = False) -> list[SignalMatch]:
    """Every signal phrase in the sentence; a phrase inside a longer one is dropped.

    "Fusion vorgeschlagen" is a proposal, not the merger "Fusion" alone would signal, and
    "kündigte an" (announced) is not "kündigte" (resigned): the longer phrase wins. In German a
    feminine role noun matches its masculine signal ("Chefin", "Gründerin").
    """
    doc = sentence.span.doc
    lower = {t: doc[t].lower_ for t in range(sentence.span.start, sentence.span.end)}
    found: list[SignalMatch] = []
    for t in range(sentence.span.start, sentence.span.end):
        for form in _forms(lower[t], german):
            for signal in index.by_first.get(form, ()):
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
        inside = any(other is not match and set(match.tokens) < set(other.tokens) for other in found)
        if not inside and match not in kept:
            kept.append(match)
    return kept


#: classes too general to make a one-word signal such as "über" or "vor" specific
_GENERAL = frozenset(
    URIRef(i)
    for i in (
        "https://w3id.org/quotegraph/ontology#Entity",
        "https://w3id.org/quotegraph/ontology#Person",
        "https://w3id.org/quotegraph/ontology#Organization",
        "http://www.w3.org/ns/prov#Agent",
    )
)
_ENTITY = URIRef("https://w3id.org/quotegraph/ontology#Entity")
_RELATIVE = frozenset({"der", "die", "das", "dem", "den", "deren", "dessen"})


class RelationReader:
    """Pairs mentions through signals, with the ontology's domains and ranges as the check."""

    def __init__(self, onto: Ontology, grammar: Grammar, classes_of: Callable[[str], frozenset[URIRef]], german: bool = False):
        self.onto = onto
        self.grammar = grammar
        self.classes_of = classes_of
        self.german = german
        stance = onto.kinds.get("stance")
        self.stance_relations = {
            name
            for name, r in onto.relations.items()
            if r.range is not None and stance is not None and stance in onto.superclasses(r.range)
        }

    def opposite(self, name: str) -> str | None:
        """The stance relation of the other polarity (``qg:polarity`` For ↔ Against), if the ontology has one."""
        polarity = self.onto.relations[name].polarity
        if polarity is None:
            return None
        others = [r for r in self.onto.relations.values() if r.polarity is not None and r.polarity != polarity and not r.abstract]
        parents = set(self.onto.graph.objects(self.onto.relations[name].iri, RDFS.subPropertyOf))
        siblings = [r.name for r in others if parents & set(self.onto.graph.objects(r.iri, RDFS.subPropertyOf))]
        return siblings[0] if len(siblings) == 1 else None

    def fits(self, relation: Relation, subject: str, obj: str) -> bool:
        if subject == obj or self._is_stance(subject) or self._is_stance(obj):
            return False  # a stance is the object of a stance relation only (see _stance)
        if relation.domain is not None and relation.domain not in self.classes_of(subject):
            return False
        return relation.range is None or relation.range in self.classes_of(obj)

    def weak(self, sentence: Sentence, signal: SignalMatch, relation: Relation) -> bool:
        """A one-word function-word signal ("über", "vor", "about") between two general classes says too little."""
        if not all(sentence.span.doc[t].is_stop for t in signal.tokens):
            return False
        return (relation.domain is None or relation.domain in _GENERAL) and (relation.range is None or relation.range in _GENERAL)

    def _weak_stance(self, sentence: Sentence, signal: SignalMatch) -> bool:
        """A preposition ("für die EMA", "gegen Google") names a stance only when the stance is named; a verb of wanting does more."""
        return len(signal.tokens) == 1 and sentence.span.doc[signal.first].lower_ in self.grammar.prepositions

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

    def _one_reading(self, sentence: Sentence, signals: list[SignalMatch], mentions: list[Mention]) -> list[SignalMatch]:
        """One relation for a word that signals a stance and a relation between agents ("forderte", "demanded").

        A clause or a thing demanded after it is the stance ("forderte, dass …", "forderte eine
        Einigung"); an agent right after it is whom the demand is made of ("drängte Velmar",
        "demanded the board to …" is still the stance unless the agent is named there).
        """
        doc = sentence.span.doc
        drop: set[int] = set()
        for stance in (s for s in signals if s.relation in self.stance_relations):
            twins = [s for s in signals if s.tokens == stance.tokens and s.relation not in self.stance_relations]
            if not twins:
                continue
            k = stance.last + 1
            while k < sentence.span.end and doc[k].text == ",":
                k += 1
            clause = k < sentence.span.end and doc[k].lower_ in self.grammar.complementisers
            whom = any(self._is_agent(m.entity) and m.first > stance.first and m.first - stance.last <= 3 for m in mentions)
            drop.update(id(s) for s in ([stance] if whom and not clause else twins))
        return [s for s in signals if id(s) not in drop]

    def read(self, sentence: Sentence, signals: list[SignalMatch], mentions: list[Mention]) -> list[Pairing]:
        found: list[Pairing] = []
        signals = self._one_reading(sentence, signals, mentions)
        compounds, modifiers = self._compounds(sentence, signals, mentions)
        for p in compounds:
            if not self.negated(sentence, min(p.subject.first, p.object.first if p.object else p.subject.first), p.signal.last, p.signal):
                found.append(p)
        used = {id(p.signal) for p in compounds}
        # what someone wants ("X will, dass Y mit Z fusioniert") is a stance, not a relation that holds
        wishes = [s.last for s in signals if s.relation in self.stance_relations and not self._weak_stance(sentence, s)]
        for signal in signals:
            if id(signal) in used or self._title_of_next_name(sentence, signal, mentions):
                continue
            if signal.relation not in self.stance_relations and any(w < signal.first for w in wishes):
                continue
            relation = self.onto.relations.get(signal.relation)
            if relation is None or relation.is_attribute or relation.abstract:
                continue
            near = [m for m in mentions if abs(m.first - signal.first) <= MAX_REACH and id(m) not in modifiers]
            if signal.relation in self.stance_relations:
                pairing = self._stance(sentence, signal, near, weak=self._weak_stance(sentence, signal))
            elif self.weak(sentence, signal, relation):
                continue
            else:
                pairing = self._pair(sentence, relation, signal, near)
            if pairing is None:
                continue
            lo = min(pairing.subject.first, pairing.object.first if pairing.object else signal.first, signal.first)
            hi = max(pairing.subject.last - 1, pairing.object.last - 1 if pairing.object else signal.last, signal.last)
            if self.negated(sentence, lo, hi, signal):
                continue
            found.append(pairing)
            found += self._coordinated(sentence, pairing, near)
        return found

    def _title_of_next_name(self, sentence: Sentence, signal: SignalMatch, mentions: list[Mention]) -> bool:
        """An English role noun right before a name ("The activist investor Greyfield Partners has proposed …") says
        what the name is; with no owner beside it (a compound would have read one) it names no relation across the
        sentence. German keeps the reading: "verklagte den Konkurrenten Helios" is competesWith with the subject."""
        doc = sentence.span.doc
        if self.german or not any(m.first == signal.last + 1 for m in mentions):
            return False
        if doc[signal.first].lower_ in self.grammar.titles:
            return True
        k = signal.first - 1
        if k >= sentence.span.start and doc[k].text.islower() and doc[k].lower_ not in self.grammar.determiners:
            k -= 1  # an adjective between: "the activist investor"
        return k >= sentence.span.start and doc[k].lower_ in self.grammar.determiners

    def _compounds(self, sentence: Sentence, signals: list[SignalMatch], mentions: list[Mention]) -> tuple[list[Pairing], set[int]]:
        found, modifiers = compounds(self, sentence, signals, mentions)
        return found + appositions(self, sentence, signals, mentions, {id(p.signal) for p in found}), modifiers

    def _coordinated(self, sentence: Sentence, pairing: Pairing, mentions: list[Mention]) -> list[Pairing]:
        """ "von Elena Vogel und Paul Lindner": the relation holds for each name of a coordination."""
        doc = sentence.span.doc
        relation = self.onto.relations[pairing.relation]
        more: list[Pairing] = []
        for side in ("subject", "object"):
            m = getattr(pairing, side)
            if m is None:
                continue
            for other in mentions:
                if other.first <= m.last or other.first - m.last > 1 or other.entity == m.entity:
                    continue
                if other.first - m.last == 1 and doc[m.last].lower_ in ("und", "and", "sowie", "&"):
                    subject = other if side == "subject" else pairing.subject
                    obj = other if side == "object" else pairing.object
                    if obj is not None and self.fits(relation, subject.entity, obj.entity):
                        more.append(
                            Pairing(pairing.relation, subject, obj, pairing.signal, pairing.rule + "+and", pairing.confidence - 0.05)
                        )
        return more

    # -- entity to entity ----------------------------------------------------------------------
    def _passive(self, sentence: Sentence, signal: SignalMatch, mentions: list[Mention]) -> tuple[Mention, Mention] | None:
        doc = sentence.span.doc
        g = self.grammar
        aux = [t for t in range(sentence.span.start, sentence.span.end) if doc[t].lower_ in g.passive_aux]
        if not aux:
            return None
        for agent in mentions:
            # "von Musk", "von der Firma Solaris", "by its former battery supplier Tessera"
            prep = next(
                (k for k in range(agent.first - 1, max(sentence.span.start - 1, agent.first - 6), -1) if doc[k].lower_ in g.agent_prep),
                None,
            )
            if prep is None or any(doc[k].is_punct or any(o.first <= k < o.last for o in mentions) for k in range(prep + 1, agent.first)):
                continue
            if min(abs(agent.first - signal.last), abs(agent.first - signal.first)) > 7:
                continue
            patients = [m for m in mentions if m.last <= min(aux[0], prep) and m.entity != agent.entity]
            if patients:
                return agent, max(patients, key=lambda m: m.first)
        return None

    def _verb_final(self, sentence: Sentence, first: Mention, second: Mention) -> bool:
        """German verb-final order: a finite auxiliary between the two ("Nordwind hat Helios verklagt"),
        or a complementiser or relative pronoun opening the clause of the first ("…, dass Musk OpenAI verklagte")."""
        if not self.german:
            return False
        doc = sentence.span.doc
        if any(doc[t].lower_ in self.grammar.finite_aux for t in range(first.last, second.first)):
            return True
        if any(doc[t].text == "," and doc[t + 1].lower_ in _RELATIVE for t in range(first.last, second.first - 1)):
            return True  # "Rheinfeld Ventures, das 2021 in Kranich investierte"
        k = first.first - 1
        while k >= sentence.span.start and doc[k].text != ",":
            if doc[k].lower_ in self.grammar.complementisers:
                return True
            k -= 1
        return k >= sentence.span.start and k + 1 < first.first and doc[k + 1].lower_ in _RELATIVE

    def _pair(self, sentence: Sentence, relation: Relation, signal: SignalMatch, mentions: list[Mention]) -> Pairing | None:
        passive = self._passive(sentence, signal, mentions)
        if passive is not None:
            agent, patient = passive
            if self.fits(relation, agent.entity, patient.entity):
                return Pairing(relation.name, agent, patient, signal, "passive", 0.7)
        doc = sentence.span.doc
        g = self.grammar
        named = [m for m in mentions if _overlaps(m, signal)]
        others = [m for m in mentions if not _overlaps(m, signal)]
        left = sorted((m for m in others if m.last <= signal.first), key=lambda m: -m.first)
        right = sorted((m for m in others if m.first > signal.first), key=lambda m: m.first)
        options: list[tuple[Mention, Mention, str, float]] = []
        # the signal word names one party itself ("Klage gegen OpenAI": the lawsuit is the subject);
        # as the object it needs its owner right before it ("Musks Klage"): "reagierte auf die Klage" says nothing of who filed it
        for head in named:
            if right:
                options.append((head, right[0], "nominal", 0.55))
            bare = all(head.first <= t < head.last for t in signal.tokens)  # the signal is the noun alone, not "reichte eine Klage ein"
            if left and (not bare or left[0].via == "genitive" or all(doc[t].text in _POSSESSIVE for t in range(left[0].last, head.first))):
                options.append((left[0], head, "nominal", 0.55))
        if left and right:
            options.append((left[0], right[0], "active", 0.6))
        if len(right) >= 2:
            options.append((right[0], right[1], "verb-second", 0.5))
        if len(left) >= 2 and self._verb_final(sentence, left[1], left[0]):
            options.append((left[1], left[0], "verb-final", 0.5))
        # further afield: the nearer mentions on each side that the relation's types accept
        for a in left[:3]:
            for b in right[:3]:
                options.append((a, b, "active-types", 0.45))

        def commas(a: Mention, b: Mention) -> int:
            """Clause breaks between the parties; a comma before "dass"/"that" opens an argument, not a new clause."""
            lo = min(a.first, b.first, signal.first)
            hi = max(a.last, b.last, signal.last + 1)
            return sum(
                1
                for t in range(lo, hi)
                if doc[t].text in (",", ";", "–", "—") and not (t + 1 < len(doc) and doc[t + 1].lower_ in g.complementisers)
            )

        def governed(m: Mention) -> bool:
            """Named inside a prepositional phrase ("In der Klage", "in den E-Mails"): not a subject."""
            k = m.first - 1
            if k >= sentence.span.start and doc[k].lower_ in g.determiners:
                k -= 1
            if m.last + 1 < sentence.span.end and doc[m.last].text == "," and doc[m.last + 1].lower_ in _RELATIVE:
                return False  # the antecedent of a relative clause is its subject ("von Rheinfeld, das … investierte")
            return k >= sentence.span.start and doc[k].lower_ in g.prepositions

        loose = (relation.domain is None or relation.domain == _ENTITY) and (relation.range is None or relation.range == _ENTITY)
        # a German noun as signal ("die Finanzierung", "die Klage") is weaker evidence than a verb
        noun = self.german and doc[signal.first].text[:1].isupper() and signal.first > sentence.span.start
        for crossing in (False, True):
            group = [o for o in options if (commas(o[0], o[1]) > 0) == crossing]
            for reverse in (False, True):
                for a, b, rule, confidence in group:
                    subject, obj = (b, a) if reverse else (a, b)
                    if reverse and rule == "nominal":
                        continue  # the noun that names a party says which party it is
                    if governed(subject) or not self.fits(relation, subject.entity, obj.entity):
                        continue
                    if loose and _distance(a, b, signal) > len(signal.tokens) + 4:
                        continue  # two things merely "about" each other must stand right beside their signal
                    penalty = 0.02 * max(0, _distance(a, b, signal) - 6) + (0.2 if crossing else 0.0) + (0.05 if reverse else 0.0)
                    penalty += 0.25 if noun and rule != "nominal" else 0.0
                    return Pairing(relation.name, subject, obj, signal, "types" if reverse else rule, confidence - penalty)
        return None

    # -- stances -------------------------------------------------------------------------------
    def _stance(self, sentence: Sentence, signal: SignalMatch, mentions: list[Mention], weak: bool = False) -> Pairing | None:
        agents = [m for m in mentions if self._is_agent(m.entity)]
        left = sorted((m for m in agents if m.last <= signal.first), key=lambda m: -m.first)
        right = sorted((m for m in agents if m.first > signal.last), key=lambda m: m.first)
        doc = sentence.span.doc
        if (
            left
            and self.german
            and _clause_end(doc, signal.last + 1, sentence.span.end) - signal.last <= 2
            and signal.first - left[0].last >= 2
        ):
            # verb-final: the proposition stands between the holder and the verb ("…, dass Musk OpenAI und Tesla fusionieren wollte")
            return self._proposition(sentence, signal, left[0], left[0].last, signal.first, mentions, weak)
        if left:
            holder, complement_from = left[0], signal.last + 1
        elif right and right[0].first - signal.last <= 3:  # "Deshalb wollte er …", "fordert Musk, dass …"
            holder, complement_from = right[0], right[0].last
        else:
            return None
        end = sentence.span.end
        for t in range(complement_from, sentence.span.end):
            if doc[t].text in (";", ":") or (doc[t].is_quote and t > complement_from):
                end = t
                break
        return self._proposition(sentence, signal, holder, complement_from, end, mentions, weak)

    def _proposition(
        self, sentence: Sentence, signal: SignalMatch, holder: Mention, complement_from: int, end: int, mentions: list[Mention], weak: bool
    ) -> Pairing | None:
        """The stance a holder takes: a known stance named in tokens ``complement_from:end``, or a new one worded by them."""
        doc = sentence.span.doc
        first = complement_from
        while first < end and (doc[first].is_punct or doc[first].lower_ in self.grammar.complementisers):
            first += 1
        last = end
        while last > first and (doc[last - 1].is_punct or doc[last - 1].is_space):
            last -= 1
        if last - first < 2:
            return None
        denied = any(doc[t].lower_ in self.grammar.negation for t in range(first, last))
        stances = [
            m for m in mentions if first <= m.first and m.last <= last and not self._is_agent(m.entity) and self._is_stance(m.entity)
        ]
        if stances:
            return Pairing(signal.relation, holder, stances[0], signal, "stance-named", 0.6, negated_proposition=denied)
        if weak:
            return None  # "für die EMA" is no proposition: a function word names a stance only when the stance is named
        if all(any(m.first <= t < m.last for m in mentions) for t in range(first, last)):
            return None  # only a name follows: "unterstützt OpenAI" is not a proposition
        start, stop = sentence.token_start(first), sentence.token_end(last - 1)
        return Pairing(signal.relation, holder, None, signal, "stance-new", 0.15, stance=("", start, stop), negated_proposition=denied)

    def _is_agent(self, entity: str) -> bool:
        agent = URIRef("http://www.w3.org/ns/prov#Agent")
        return agent in self.classes_of(entity)

    def _is_stance(self, entity: str) -> bool:
        stance = self.onto.kinds.get("stance")
        return stance is not None and stance in self.classes_of(entity)


def _clause_end(doc: Doc, start: int, stop: int) -> int:
    """The first token from ``start`` that ends a clause (punctuation), or ``stop``."""
    return next((t for t in range(start, stop) if doc[t].is_punct), stop)


def _overlaps(m: Mention, signal: SignalMatch) -> bool:
    return any(m.first <= t < m.last for t in signal.tokens)


def _distance(a: Mention, b: Mention, signal: SignalMatch) -> int:
    points = [a.first, a.last, b.first, b.last, signal.first, signal.last]
    return max(points) - min(points)
