"""``kg extract``: drafted statements for a text, offline, each with an exact quote.

The steps, in order: sentences (:mod:`graph.ingest.nlp`), names of known entities and
candidates for new ones (:mod:`graph.ingest.mentions`), who speaks (:mod:`graph.ingest.speech`),
relations from the ontology's signal words (:mod:`graph.ingest.relations`). Every draft quotes
the sentence it was read from, cut from the text by offsets, so ``text[start:end] == quote``
holds by construction and :func:`Extraction.check` verifies it again before anything is shown
or written: a draft can never carry an invented quote.

An :class:`Extractor` is built once for a data folder's entities and the ontology and then
reads any number of texts (the benchmark reads a thousand with one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz, process, utils
from rdflib import URIRef

from graph.ingest.anaphora import pairs as find_pairs
from graph.ingest.anaphora import pronouns as find_pronouns
from graph.ingest.grammar import grammar as grammar_of
from graph.ingest.lexicon import SignalIndex, relation_signals
from graph.ingest.mentions import Found, Mention, NameFinder, slug
from graph.ingest.nlp import Sentence, pipeline, sentences
from graph.ingest.pairing import Pairing, SignalMatch
from graph.ingest.relations import RelationReader, find_signals
from graph.ingest.speech import Attribution
from graph.model.ontology import Ontology
from graph.model.records import Entity
from graph.sources.loader import derive_statement_id

_HONORIFICS = frozenset({"herr", "frau", "mr.", "mrs.", "ms.", "dr.", "prof."})
#: Drafts below this confidence are left out unless asked for (``--min-confidence 0``): new stances
#: labelled with a clause of the text (0.15), readings through a pronoun far from their signal.
#: Chosen on the tuning articles (tests/ingest/corpus/tuning), where it gave the best F1 (0.84,
#: against 0.80 with no threshold and 0.77 at 0.35); never set on the held-out ones.
DEFAULT_MIN_CONFIDENCE = 0.2
#: a paraphrase of a known stance at least this similar (rapidfuzz token-set ratio of the content
#: words), and this much closer than the next stance, names it
STANCE_SIMILARITY = 65.0
STANCE_MARGIN = 8.0


@dataclass
class Draft:
    """One drafted statement: a relation, who asserts it, the exact quote, and how it was found."""

    id: str
    subject: str
    predicate: str
    object: str | None
    value: str | None
    quote: str
    start: int
    end: int
    voice: str
    asserted_by: str | None
    confidence: float
    rule: str
    hedged: bool = False

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "subject": self.subject, "predicate": self.predicate}
        if self.object is not None:
            out["object"] = self.object
        else:
            out["value"] = self.value
        out.update(
            quote=self.quote,
            start=self.start,
            end=self.end,
            voice=self.voice,
            asserted_by=self.asserted_by,
            confidence=self.confidence,
            rule=self.rule,
        )
        return out


@dataclass
class Extraction:
    """What one text yields: the entities it mentions and the drafted statements."""

    source: str
    language: str
    text: str
    entities: list[Found]
    drafts: list[Draft]

    def check(self) -> None:
        """Every quote and mention is the exact span of the text its offsets name."""
        for d in self.drafts:
            if self.text[d.start : d.end] != d.quote:
                raise AssertionError(f"draft {d.id}: quote is not text[{d.start}:{d.end}]")
        for e in self.entities:
            for m in e.mentions:
                if self.text[m.start : m.end] != m.text:
                    raise AssertionError(f"entity {e.id}: mention is not text[{m.start}:{m.end}]")

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "language": self.language,
            "entities": [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "label": e.label,
                    "known": e.known,
                    "mentions": [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions],
                }
                for e in self.entities
            ],
            "statements": [d.as_json() for d in self.drafts],
        }


@dataclass
class _Text:
    """The working state of one text while it is read."""

    text: str
    sentences: list[Sentence]
    found: dict[str, Found] = field(default_factory=dict)
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)


#: indefinite articles: "ein Investor", "a founder" describe, as "der Investor" does
_INDEFINITE = frozenset({"a", "an", "ein", "eine", "einen", "einem", "einer", "eines"})


class Extractor:
    """Reads texts of one language against the entities of a data folder and the ontology."""

    def __init__(self, entities: dict[str, Entity], onto: Ontology, language: str):
        self.entities = entities
        self.onto = onto
        self.language = language.split("-")[0].lower()
        self.grammar = grammar_of(self.language)
        self.nlp = pipeline(self.language)
        tokenize = self._tokenize
        self.signals = SignalIndex.build(relation_signals(onto, self.language), tokenize)
        # the relations' nouns: one-word signals written with a capital ("Konkurrent", "Chef", "CEO"), and the titles
        nouns = frozenset(
            first for first, found in self.signals.by_first.items() if any(len(g.tokens) == 1 and g.phrase[:1].isupper() for g in found)
        )
        self.names = NameFinder(self.nlp, entities, self.language, self.grammar, nouns)
        self._classes: dict[str, frozenset[URIRef]] = {}
        self._kinds: dict[str, str] = {e.id: e.kind for e in entities.values()}
        self.reader = RelationReader(onto, self.grammar, self.classes_of, german=self.language == "de")
        self._stop = frozenset(self.nlp.Defaults.stop_words)
        self.stances = self._stance_names(entities.values())
        self.described_as = "describedAs" in onto.relations

    def _content(self, text: str) -> str:
        """The content words of a phrase, lower case: what a paraphrase keeps ("OpenAI", "Tesla", "fusionieren")."""
        return " ".join(w for w in utils.default_process(text).split() if w not in self._stop)

    def _tokenize(self, phrase: str) -> list[str]:
        return [t.text for t in self.nlp.tokenizer(phrase)]

    def classes_of(self, entity: str) -> frozenset[URIRef]:
        found = self._classes.get(entity)
        if found is None:
            known = self.entities.get(entity)
            if known is not None:
                cls = self.onto.classes[known.type] if known.type else self.onto.kinds[known.kind]
            else:
                cls = self.onto.kinds[self._kinds.get(entity, "person")]
            found = self._classes[entity] = self.onto.superclasses(cls)
        return found

    def label(self, entity: Entity) -> str:
        # an entity may have a label in one language only: the other one, else its id
        own = entity.label.de if self.language == "de" else entity.label.en
        return own or entity.label.en or entity.label.de or entity.id

    # -- one text ------------------------------------------------------------------------------
    def extract(self, text: str, source: str = "text", author: str | None = None) -> Extraction:
        docs, sents = sentences(text, self.language)
        state = _Text(text, sents)
        known = self.names.known(docs, sents)
        taken = set(self.entities)
        candidates, candidate_mentions = self.names.candidates(docs, sents, known, taken)
        for m in known:
            entity = self.entities[m.entity]
            found = state.found.setdefault(m.entity, Found(m.entity, entity.kind, self.label(entity), known=True, type=entity.type))
            found.mentions.append(m)
        for cand in candidates:
            self._kinds[cand.id] = cand.kind
            self._classes.pop(cand.id, None)
            if cand.mentions:
                state.found[cand.id] = cand
        named = [*known, *candidate_mentions]
        pronouns = find_pronouns(self.grammar, self.language, sents, named, self._kinds)
        pronouns += find_pairs(self.grammar, sents, named, self._kinds)
        for m in [*named, *pronouns]:
            state.by_sentence.setdefault(m.sentence, []).append(m)
        voices = Attribution(text, sents, [*named, *pronouns], self._kinds, self.grammar, author)
        drafts: dict[tuple[Any, ...], Draft] = {}
        for sentence in sents:
            mentions = sorted(state.by_sentence.get(sentence.index, []), key=lambda m: m.first)
            signals = find_signals(sentence, self.signals, german=self.language == "de")
            # who speaks is not a party to what is reported, unless the relation is the saying itself
            pairings = []
            if signals and mentions:
                groups: dict[int, list[SignalMatch]] = {}
                speakers: dict[int, Mention | None] = {}
                for signal in signals:
                    speaker = None if self._is_speech_verb(sentence, signal) else voices.frame_speaker(sentence, signal.first)
                    groups.setdefault(id(speaker), []).append(signal)
                    speakers[id(speaker)] = speaker
                for group_key, group in groups.items():
                    parties = [m for m in mentions if m is not speakers[group_key]]
                    pairings += self.reader.read(sentence, group, parties)
            for pairing in _with_both_of_a_pair(pairings, mentions):
                draft = self._draft(state, sentence, pairing, voices, source)
                if draft is not None:
                    key = (draft.subject, draft.predicate, draft.object, draft.value, sentence.index)
                    if key not in drafts or drafts[key].confidence < draft.confidence:
                        drafts[key] = draft
            if self.described_as:
                for draft in self._appositions(state, sentence, mentions, voices, source, signals):
                    drafts.setdefault((draft.subject, draft.predicate, None, draft.value, sentence.index), draft)
        used = {d.subject for d in drafts.values()} | {d.object for d in drafts.values() if d.object}
        entities = [f for f in state.found.values() if f.known or f.mentions or f.id in used]
        entities.sort(key=lambda f: (not f.known, f.mentions[0].start if f.mentions else len(text), f.id))
        result = Extraction(source, self.language, text, entities, sorted(drafts.values(), key=lambda d: (d.start, d.predicate, d.id)))
        result.check()
        return result

    def _draft(self, state: _Text, sentence: Sentence, pairing: Pairing, voices: Attribution, source: str) -> Draft | None:
        signal = pairing.signal
        offset = sentence.token_start(signal.first)
        voice = voices.voice_at(sentence, offset, signal.first)
        if voice.speaker_mention is not None and voice.voice == "claim":
            speaker = voice.speaker_mention
            if speaker in (pairing.subject, pairing.object) and speaker.sentence == sentence.index:
                voice = type(voice)("narration", voices.author, "narration")
        if self._is_speech_verb(sentence, signal):
            voice = type(voice)("narration", voices.author, "narration")
        obj = pairing.object.entity if pairing.object is not None else None
        confidence = pairing.confidence
        rule = pairing.rule
        predicate = pairing.relation
        if pairing.stance is not None:
            obj, stance_rule, bonus = self._stance_object(state, pairing.stance)
            rule, confidence = stance_rule, confidence + bonus
        if pairing.negated_proposition and obj is not None and obj in self.entities:
            # wanting that a known stance not hold is opposing it ("einverstanden, dass OpenAI den Code nicht offenlegt")
            flipped = self.reader.opposite(predicate)
            if flipped is None:
                return None
            predicate, rule = flipped, rule + "+negated"
        if obj is None:
            return None
        participants = [pairing.subject, *([pairing.object] if pairing.object else [])]
        if any(m.via == "pronoun" for m in participants):
            confidence -= 0.15
            rule += "+pronoun"
        if any(not self._is_known(m.entity) for m in participants):
            confidence -= 0.1
        if voice.rule == "direct-speech-unattributed":
            confidence -= 0.1
        hedged = any(sentence.span.doc[t].lower_ in self.grammar.hedges for t in range(sentence.span.start, sentence.span.end))
        if hedged:
            confidence -= 0.05
        quote = state.text[sentence.start : sentence.end]
        ident = derive_statement_id(source, pairing.subject.entity, predicate, obj, None, sentence.start, sentence.end)
        return Draft(
            id=ident,
            subject=pairing.subject.entity,
            predicate=predicate,
            object=obj,
            value=None,
            quote=quote,
            start=sentence.start,
            end=sentence.end,
            voice=voice.voice,
            asserted_by=voice.asserted_by,
            confidence=round(min(0.95, max(0.05, confidence)), 2),
            rule=f"{rule}:{signal.phrase}|{voice.rule}",
            hedged=hedged,
        )

    def _is_known(self, entity: str) -> bool:
        return entity in self.entities

    def _is_speech_verb(self, sentence: Sentence, signal: SignalMatch) -> bool:
        doc = sentence.span.doc
        return any(doc[t].lower_ in self.grammar.speech_verbs for t in signal.tokens)

    def _stance_object(self, state: _Text, span: tuple[str, int, int]) -> tuple[str | None, str, float]:
        """A known stance the proposition paraphrases, else a new stance labelled with its exact words."""
        _, start, end = span
        words = state.text[start:end]
        known = self.known_stance(words)
        if known is not None:
            return known, "stance-paraphrase", 0.1
        ident = slug(" ".join(words.split()[:8]))
        while ident in self.entities or (ident in state.found and state.found[ident].label != words):
            ident += "-new"
        if ident not in state.found:
            sentence = next(s for s in state.sentences if s.start <= start < s.end)
            mention = Mention(ident, start, end, words, sentence.index, -1, -1, "proposition")
            state.found[ident] = Found(ident, "stance", words, known=False, confidence=0.4, rule="proposition", mentions=[mention])
            self._kinds[ident] = "stance"
            self._classes.pop(ident, None)
        return ident, "stance-new", 0.0

    def known_stance(self, words: str, among: dict[str, Entity] | None = None) -> str | None:
        """The stance (of the data folder, or ``among``) that ``words`` paraphrase: similar enough, and clearly the closest."""
        stances = self.stances if among is None else self._stance_names(among.values())
        if not stances:
            return None
        ranked = process.extract(self._content(words), stances, scorer=fuzz.token_set_ratio, limit=None)
        best: dict[str, float] = {}
        for _text, score, (ident, _n) in ranked:
            best[ident] = max(best.get(ident, 0.0), score)
        order = sorted(best.items(), key=lambda kv: -kv[1])
        if order and order[0][1] >= STANCE_SIMILARITY and (len(order) == 1 or order[0][1] - order[1][1] >= STANCE_MARGIN):
            return order[0][0]
        return None

    def _stance_names(self, entities: Iterable[Entity]) -> dict[tuple[str, int], str]:
        """The content words of every name of every stance, keyed by (stance id, number of the name)."""
        found: dict[tuple[str, int], str] = {}
        for e in entities:
            if e.kind == "stance":
                names = [self.label(e), *(e.aliases.de if self.language == "de" else e.aliases.en)]
                for n, name in enumerate(names):
                    found[(e.id, n)] = self._content(name)
        return found

    def _is_signal(self, words: list[str]) -> bool:
        """Whether these words are, as a whole, one signal phrase of some relation ("founder", "chief executive")."""
        return any(signal.tokens == tuple(words) for signal in self.signals.by_first.get(words[0], []))

    def _appositions(
        self, state: _Text, sentence: Sentence, mentions: list[Mention], voices: Attribution, source: str, signals: list[SignalMatch]
    ) -> list[Draft]:
        """``describedAs`` from a description before a name: "der Milliardär Elon Musk", "the billionaire Elon Musk"."""
        doc = sentence.span.doc
        g = self.grammar
        german = self.language == "de"
        found: list[Draft] = []
        for m in mentions:
            if m.via in ("pronoun", "proposition") or self._kinds.get(m.entity) not in ("person", "organization"):
                continue
            k = m.first - 1
            words: list[int] = []
            while k >= sentence.span.start and len(words) < 3:
                token = doc[k]
                if token.lower_ in g.determiners or (token.is_punct and token.text not in "-–"):
                    break
                if token.is_stop or any(o.first <= k < o.last for o in mentions):
                    words = []
                    break
                if german and not (token.text[:1].isupper() or token.text in "-–"):
                    words = []
                    break
                words.insert(0, k)
                k -= 1
            if not words or doc[words[0]].text in "-–":
                continue
            opened = k >= sentence.span.start and doc[k].lower_ in g.determiners
            # without an article only a title says what someone is ("Senator Jonathan Reed")
            if not opened and not (len(words) == 1 and doc[words[0]].lower_ in g.titles):
                continue
            if doc[words[0]].lower_ in _HONORIFICS or doc[words[-1]].lower_ in g.generic_nouns:
                continue
            if len(words) == 1 and doc[words[0]].lower_ in self.names.role_words and doc[words[0]].lower_ not in g.titles:
                continue  # "den Konkurrenten Helios": a relation's word (competesWith), not what Helios is
            article = opened and (doc[k].lower_ in g.definite or doc[k].lower_ in _INDEFINITE)
            if not article and self._is_signal([doc[w].lower_ for w in words]):
                # "its founder Desmond Achebe", "Geschäftsführer Thomas Lenz": a role held somewhere (founderOf,
                # ceoOf), read by the role rules; "der Investor Klaus Hartmann" says what he is
                continue
            start, end = sentence.token_start(words[0]), sentence.token_end(words[-1])
            value = state.text[start:end]
            voice = voices.voice_at(sentence, start, words[0])
            quote_start, quote_end = start, m.end
            quote = state.text[quote_start:quote_end]
            ident = derive_statement_id(source, m.entity, "describedAs", None, value, quote_start, quote_end)
            found.append(
                Draft(
                    ident,
                    m.entity,
                    "describedAs",
                    None,
                    value,
                    quote,
                    quote_start,
                    quote_end,
                    voice.voice,
                    voice.asserted_by,
                    0.5,
                    f"apposition|{voice.rule}",
                )
            )
        return found


def _with_both_of_a_pair(pairings: list[Pairing], mentions: list[Mention]) -> list[Pairing]:
    """A relation with "beide Unternehmen" holds with each of the two: the same pairing for the other one as well."""
    found = list(pairings)
    for p in pairings:
        for m in mentions:
            if m.via != "pronoun":
                continue
            if m is not p.subject and (m.start, m.end) == (p.subject.start, p.subject.end) and p.subject.via == "pronoun":
                found.append(replace(p, subject=m))
            if (
                p.object is not None
                and m is not p.object
                and (m.start, m.end) == (p.object.start, p.object.end)
                and p.object.via == "pronoun"
            ):
                found.append(replace(p, object=m))
    return found
