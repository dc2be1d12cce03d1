"""Who asserts what a sentence says: the author, a quoted speaker, or a party whose words are reported.

Four cases, in this order:

* **Direct speech.** Text between quotation marks („…“, “…”, "…", «…», »…«) is a quotation by
  the speaker named beside a speech verb in the sentence that opens or closes it ("sagte er:",
  "…, said Altman"), or in the sentence before when that ends with a colon. A quotation left
  open runs to the end of its paragraph, as it does in print.
* **Reported speech.** "laut X", "according to X", "nach Angaben von X", "X zufolge", or a
  speech verb with its speaker ("X sagte, dass …", "…, said X"): the rest of the sentence is X's
  claim.
* **The German Konjunktiv I** ("habe", "sei", "könne") marks reported speech on its own: the
  sentence is a claim of the last speaker named in the paragraph.
* Otherwise the author narrates.

The speaker's own mention is not a party to the relation reported ("Musk sagte, OpenAI habe
Microsoft …" is about OpenAI and Microsoft).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.ingest.grammar import Grammar
from graph.ingest.mentions import Mention
from graph.ingest.nlp import Sentence

_OPENERS_CLOSERS: dict[str, str] = {"„": "“”", "“": "”“", '"': '"', "«": "»", "»": "«"}
#: how many tokens may stand between a speech verb and its speaker after it ("sagte der Milliardär Musk")
_AFTER_WINDOW = 4
_AGENTS = ("person", "organization")


@dataclass(frozen=True)
class Voice:
    """Who asserts a statement and how the text marks it."""

    voice: str
    asserted_by: str | None
    rule: str
    #: the speaker's mention, which is not a party to the relation reported
    speaker_mention: Mention | None = None
    #: the tokens (of the sentence's doc) that are reported, end exclusive; None: the whole sentence
    region: tuple[int, int] | None = None

    def covers(self, token: int) -> bool:
        return self.region is None or self.region[0] <= token < self.region[1]


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of every quotation in ``text[start:end]`` (one paragraph), marks included."""
    spans: list[tuple[int, int]] = []
    i = start
    while i < end:
        closers = _OPENERS_CLOSERS.get(text[i])
        if closers is None:
            i += 1
            continue
        j = i + 1
        while j < end and text[j] not in closers:
            j += 1
        spans.append((i, min(j + 1, end)))
        i = j + 1
    return spans


@dataclass
class Attribution:
    """The voices of the sentences of one text."""

    text: str
    sentences: list[Sentence]
    mentions: list[Mention]
    kinds: dict[str, str]
    grammar: Grammar
    author: str | None
    quotes: list[tuple[int, int]] = field(default_factory=list)
    _quote_speaker: dict[tuple[int, int], Mention | None] = field(default_factory=dict)
    _frames: dict[int, Voice] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from graph.ingest.nlp import paragraphs

        for offset, paragraph in paragraphs(self.text):
            self.quotes += quote_spans(self.text, offset, offset + len(paragraph))
        self._by_sentence: dict[int, list[Mention]] = {}
        for m in self.mentions:
            if self.kinds.get(m.entity) in _AGENTS:
                self._by_sentence.setdefault(m.sentence, []).append(m)
        for q in self.quotes:
            self._quote_speaker[q] = self._speaker_of_quote(q)
        last: Mention | None = None
        for sentence in self.sentences:
            if sentence.index and self.sentences[sentence.index - 1].paragraph != sentence.paragraph:
                last = None
            frame = self._frame(sentence, last)
            if frame is not None:
                self._frames[sentence.index] = frame
                if frame.speaker_mention is not None:
                    last = frame.speaker_mention

    # -- public ------------------------------------------------------------------------------
    def in_quote(self, offset: int) -> tuple[int, int] | None:
        for q in self.quotes:
            if q[0] < offset < q[1]:
                return q
        return None

    def voice_at(self, sentence: Sentence, offset: int, token: int | None = None) -> Voice:
        """The voice of what a sentence says at ``offset`` (where its signal word, token ``token``, stands)."""
        quote = self.in_quote(offset)
        if quote is not None:
            speaker = self._quote_speaker.get(quote)
            if speaker is not None:
                return Voice("quotation", speaker.entity, "direct-speech", speaker)
            return Voice("quotation", None, "direct-speech-unattributed")
        frame = self._frames.get(sentence.index)
        if frame is not None and (token is None or frame.covers(token)):
            return frame
        return Voice("narration", self.author, "narration")

    def frame_speaker(self, sentence: Sentence, token: int) -> Mention | None:
        """Who speaks, when token ``token`` stands in what a sentence reports and the speaker is named in it."""
        frame = self._frames.get(sentence.index)
        if frame is None or frame.speaker_mention is None or frame.speaker_mention.sentence != sentence.index:
            return None
        return frame.speaker_mention if frame.covers(token) else None

    # -- speakers ----------------------------------------------------------------------------
    def _outside_quotes(self, m: Mention) -> bool:
        return self.in_quote(m.start) is None

    def speaker_of_verb(self, sentence: Sentence, verb: int) -> Mention | None:
        """The agent who says: named just after the verb ("sagte Musk") or before it in its clause.

        Before the verb, a comma ends the search, except around an apposition ("Sam Altman, the
        CEO of OpenAI, said"): the name just before the first of its two commas.
        """
        doc = sentence.span.doc
        candidates = [m for m in self._by_sentence.get(sentence.index, []) if self._outside_quotes(m)]
        after = [m for m in candidates if verb < m.first <= verb + _AFTER_WINDOW]
        after = [m for m in after if all(not doc[t].is_punct for t in range(verb + 1, m.first))]
        inverted = verb > sentence.span.start and (doc[verb - 1].is_punct or doc[verb - 1].is_quote)
        if after and inverted:
            return min(after, key=lambda m: m.first)
        commas = [t for t in range(sentence.span.start, verb) if doc[t].text == ","]
        clause_start = commas[-1] + 1 if commas else sentence.span.start
        if commas and commas[-1] == verb - 1 and len(commas) >= 2:
            clause_start = commas[-2] - 1  # an apposition closes just before the verb
            before = [m for m in candidates if m.last == commas[-2]]
        else:
            before = [m for m in candidates if clause_start <= m.first and m.last <= verb]
        persons = [m for m in before if self.kinds.get(m.entity) == "person"]
        if persons:
            return max(persons, key=lambda m: m.first)
        if before:
            return max(before, key=lambda m: m.first)
        return min(after, key=lambda m: m.first) if after else None

    def _speech_verbs(self, sentence: Sentence) -> list[int]:
        doc = sentence.span.doc
        found = []
        for t in range(sentence.span.start, sentence.span.end):
            if doc[t].lower_ in self.grammar.speech_verbs and self.in_quote(sentence.token_start(t)) is None:
                found.append(t)
        return found

    def _speaker_of_quote(self, quote: tuple[int, int]) -> Mention | None:
        touching = [s for s in self.sentences if s.start < quote[1] and quote[0] < s.end]
        if not touching:
            return None
        tried = [touching[0], touching[-1]] if len(touching) > 1 else [touching[0]]
        first = touching[0]
        if first.index > 0:
            previous = self.sentences[first.index - 1]
            if previous.text.rstrip().endswith(":"):
                tried.append(previous)
        for sentence in tried:
            for verb in self._speech_verbs(sentence):
                speaker = self.speaker_of_verb(sentence, verb)
                if speaker is not None:
                    return speaker
        return None

    def _frame(self, sentence: Sentence, last: Mention | None) -> Voice | None:
        doc = sentence.span.doc
        g = self.grammar
        lower = [doc[t].lower_ for t in range(sentence.span.start, sentence.span.end)]
        base = sentence.span.start
        agents = [m for m in self._by_sentence.get(sentence.index, []) if self._outside_quotes(m)]
        for words in g.according_before:
            n = len(words)
            for k in range(len(lower) - n + 1):
                if tuple(lower[k : k + n]) != words or self.in_quote(sentence.token_start(base + k)) is not None:
                    continue
                source = [m for m in agents if base + k + n <= m.first <= base + k + n + 2]
                if source:
                    speaker = min(source, key=lambda m: m.first)
                    return Voice("claim", speaker.entity, "according-to", speaker, None)
        for k, word in enumerate(lower):
            if word in g.according_after:
                source = [m for m in agents if m.last in (base + k, base + k - 1)]
                if source:
                    return Voice("claim", source[0].entity, "according-to", source[0])
        for verb in self._speech_verbs(sentence):
            said_by = self.speaker_of_verb(sentence, verb)
            if said_by is not None:
                # "X sagte, dass …" reports what follows the verb; "…, sagte X" and "…, X said" what precedes them
                doc = sentence.span.doc
                opening = min(said_by.first, verb)
                commas = [t for t in range(sentence.span.start, opening) if doc[t].text == ","]
                follows = any(doc[t].lower_ in g.complementisers for t in range(verb + 1, min(verb + 3, sentence.span.end)))
                if commas and not follows:
                    region = (sentence.span.start, commas[-1])
                elif said_by.first < verb:
                    region = (verb + 1, sentence.span.end)
                else:
                    region = (sentence.span.start, verb)
                return Voice("claim", said_by.entity, "reported-speech", said_by, region)
        if any(w in g.subjunctive for w in lower) and last is not None:
            return Voice("claim", last.entity, "konjunktiv", last)
        return None
