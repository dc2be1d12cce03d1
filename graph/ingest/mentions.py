"""Who a text names: known entities by their names, candidates for new people and organisations.

Known entities are found with spaCy's PhraseMatcher over every written form of their labels
and aliases (:func:`graph.ingest.lexicon.name_forms`), longest match first. Candidates are runs
of capitalised tokens that no known name covers, kept only when something marks them: a legal
form ("Tesla Inc.", "Nordwind GmbH"), a title or role before them ("CEO Sam Altman",
"Mitgründer Brockman"), a surname used again on its own, or a camel-cased company name
("DeepMind"), a head word ("Lumen Labs", "Sonnberg Bank": :mod:`graph.ingest.names`), a role
they hold ("Solvia-Chef"), a name written twice. A German capitalised word after an article is
a common noun ("der Milliardär"), not part of a name. An organisation's short form ("Nordwind"
after "Nordwind Energie AG") is a mention of it. Pronouns that stand for a name said before
are found by :mod:`graph.ingest.anaphora`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.ingest.grammar import LEGAL_FORMS, Grammar
from graph.ingest.lexicon import genitive_forms, name_forms
from graph.ingest.names import is_head, is_role_noun, lone_name_shape, marks_a_noun, names_organisation, short_forms, single_name
from graph.ingest.nlp import Sentence, sentence_lookup
from graph.model.records import Entity

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "é": "e", "è": "e", "á": "a"})
_CAMEL = re.compile(r"^[A-Za-z]*[a-z][A-Z][A-Za-z]*$|^[a-z]+[A-Z]{2,}[A-Za-z]*$")


def slug(text: str, limit: int = 60) -> str:
    """An id from a label: lower-case ASCII words joined by hyphens."""
    ascii_text = text.translate(_TRANSLIT).lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")
    return out or "entity"


@dataclass
class Mention:
    """A span of the text that names (or, for a pronoun, stands for) an entity."""

    entity: str
    start: int
    end: int
    text: str
    sentence: int
    #: token indices in the paragraph's doc, end exclusive
    first: int
    last: int
    #: "label", "alias", "genitive", "candidate", "surname" or "pronoun"
    via: str


@dataclass
class Found:
    """An entity the text mentions: a known one, or a candidate with its kind and label."""

    id: str
    kind: str
    label: str
    known: bool
    type: str | None = None
    confidence: float = 1.0
    rule: str = "name"
    mentions: list[Mention] = field(default_factory=list)


def _legal(text: str) -> bool:
    """A legal form, also with the full stop spaCy keeps on it at the end of a sentence ("GmbH.")."""
    return text in LEGAL_FORMS or (text.endswith(".") and text[:-1] in LEGAL_FORMS)


def _dotted(form: str) -> str | None:
    """ "Nordwind Energie GmbH" as spaCy tokenizes it before a full stop: "… GmbH." (one token)."""
    last = form.rsplit(" ", 1)[-1]
    return form + "." if last in LEGAL_FORMS and not last.endswith(".") else None


def _is_name_token(token: Token, grammar: Grammar) -> bool:
    text = token.text
    if not text[:1].isalpha() or token.lower_ in grammar.not_names:
        return False
    if text[:1].isupper():
        return not (token.is_stop and not token.is_title) or _legal(text)
    return bool(_CAMEL.match(text))


_POSSESSIVE_MARKS = frozenset({"-", "–", "'s", "’s"})


def _continues(doc: Doc, j: int, i: int, end: int, grammar: Grammar, hyphens: bool = False) -> bool:
    """Whether token ``j`` continues the run of name tokens from ``i``: a name token that is no title, or "&" between two.

    A title inside a run, before another name, starts a new one ("Quantix CEO David Chen" is
    Quantix, then CEO David Chen); a surname that is also a title does not ("Anna Richter").
    """
    if doc[j].text == "&":
        return j > i and j + 1 < end and _is_name_token(doc[j + 1], grammar)
    if hyphens and doc[j].text == "-" and j > i and j + 1 < end and not doc[j - 1].whitespace_ and not doc[j].whitespace_:
        return _is_name_token(doc[j + 1], grammar) and doc[j + 1].lower_ not in grammar.titles  # "Victor Hale-Brennan"
    if not _is_name_token(doc[j], grammar):
        return False
    return j == i or doc[j].lower_ not in grammar.titles or not (j + 1 < end and _is_name_token(doc[j + 1], grammar))


def _without_short_forms(found: list[Found], language: str) -> list[Found]:
    """The candidates less those whose label is a short form of one other drafted: "Nordwind" of Nordwind Energie AG.

    A name read only because it was repeated is also dropped when it is the surname of a person
    drafted ("Mott" of Caroline Mott): it is that person again, not an organisation. So is a
    name read at the start of a sentence whose surname another person has ("Later Mott said"):
    the first word is then an adverb, not a first name.
    """
    owners: dict[str, set[str]] = defaultdict(set)
    surnames: dict[str, set[str]] = defaultdict(set)
    for cand in found:
        if cand.kind == "organization":
            for form in short_forms(cand.label, language):
                owners[form].add(cand.id)
        elif cand.kind == "person" and " " in cand.label:
            surnames[cand.label.rsplit(" ", 1)[-1]].add(cand.id)

    def kept(c: Found) -> bool:
        if len(owners.get(c.label, set()) - {c.id}) == 1:
            return False
        if c.rule == "repeated-name":
            return not (c.label in surnames or owners.get(c.label))
        if c.rule == "name-at-start":
            return not surnames.get(c.label.rsplit(" ", 1)[-1], set()) - {c.id}
        return True

    return [c for c in found if kept(c)]


class NameFinder:
    """Finds mentions of known entities and candidates in the sentences of one text."""

    def __init__(
        self, nlp: Language, entities: dict[str, Entity], language: str, grammar: Grammar, role_words: frozenset[str] = frozenset()
    ):
        from spacy.matcher import PhraseMatcher

        #: one-word signals of relations, lower case ("konkurrenten", "eigentümer", "chef"): a word that names a relation is not part of a name
        self.role_words = role_words
        self._said: Counter[str] = Counter()  # how often each word is written in the text being read
        self._as_noun: set[str] = set()  # German words written after an article somewhere in it
        self._begins_name: set[str] = set()  # words that begin a longer name in it
        self._subjects: set[str] = set()  # the first words of its sentences
        self._lowercase: set[str] = set()  # words it writes in lower case
        self.nlp = nlp
        self.entities = entities
        self.language = language
        self.grammar = grammar
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_text: dict[str, list[tuple[str, str]]] = defaultdict(list)
        forms = name_forms(sorted(entities.values(), key=lambda e: e.id), language)
        for form in forms:
            self.by_text[form.text].append((form.entity, form.via))
            dotted = _dotted(form.text)
            if dotted is not None:
                self.by_text[dotted].append((form.entity, form.via))
        texts = sorted(self.by_text)
        for text, doc in zip(texts, _tokenize_all(nlp, texts), strict=True):
            if len(doc):
                self.matcher.add(text, [doc])

    # -- known entities ------------------------------------------------------------------------
    def known(self, docs: list[Doc], sentences: list[Sentence]) -> list[Mention]:
        from spacy.util import filter_spans

        sent_of = sentence_lookup(sentences)
        raw: list[tuple[int, int, int, str]] = []  # (doc number, first, last, form text)
        for number, doc in enumerate(docs):
            spans = [doc[s:e] for _key, s, e in self.matcher(doc)]
            for span in filter_spans(spans):
                raw.append((number, span.start, span.end, span.text))
        full_names = {ent for *_, text in raw for ent, via in self.by_text.get(text, []) if via == "label"}
        mentions: list[Mention] = []
        for number, first, last, text in raw:
            owners = self.by_text.get(text)
            if not owners:  # the span's text differs from the form only in white space
                continue
            entity, via = owners[0]
            if len({e for e, _ in owners}) > 1:
                named = [(e, v) for e, v in owners if e in full_names]
                entity, via = named[0] if named else owners[0]
                via = "ambiguous" if not named else via
            sentence = sent_of.get((number, first))
            if sentence is None:
                continue
            start = sentence.token_start(first)
            end = sentence.token_end(last - 1)
            if text.endswith(".") and _dotted(text[:-1]) == text:
                end -= 1
            mentions.append(
                Mention(
                    entity,
                    start,
                    end,
                    sentence.slice(start, end),
                    sentence.index,
                    first,
                    last,
                    via,
                )
            )
        return self._without_bare_common_nouns(mentions)

    def _without_bare_common_nouns(self, mentions: list[Mention]) -> list[Mention]:
        """Mentions less one-word aliases of events and documents ("Klage", "Fusion", "lawsuit") in a text naming no known agent.

        Such an alias is a common noun: in the bundled story "die Klage" is Musk's lawsuit, but in
        an unrelated article read outside a project it is some other lawsuit. It names the known
        event only where the text also names a known person or organisation.
        """
        agents = {"person", "organization"}
        kind = {m.entity: self.entities[m.entity].kind for m in mentions}
        if any(kind[m.entity] in agents and m.via != "ambiguous" for m in mentions):
            return mentions
        return [m for m in mentions if kind[m.entity] in agents or m.via not in ("alias", "genitive") or " " in m.text]

    # -- candidates ----------------------------------------------------------------------------
    def candidates(
        self, docs: list[Doc], sentences: list[Sentence], known: list[Mention], taken_ids: set[str]
    ) -> tuple[list[Found], list[Mention]]:
        """New people and organisations the text names, and every mention of them."""
        covered = {(m.sentence, t) for m in known for t in range(m.first, m.last)}
        proposals: dict[str, Found] = {}
        lone_words: dict[str, int] = defaultdict(int)
        runs: list[tuple[Sentence, int, int, str, str | None, float]] = []
        g = self.grammar
        self._said = Counter(t.text for doc in docs for t in doc)
        self._as_noun = {t.text for doc in docs for t in doc if t.i > 0 and marks_a_noun(doc[t.i - 1], g)}
        self._lowercase = {t.text for doc in docs for t in doc if t.text.islower()}
        for sentence in sentences:
            doc = sentence.span.doc
            i = sentence.span.start
            while i < sentence.span.end:
                if (sentence.index, i) in covered or not _is_name_token(doc[i], g):
                    i += 1
                    continue
                j = i
                while (
                    j < sentence.span.end
                    and (sentence.index, j) not in covered
                    and _continues(doc, j, i, sentence.span.end, g, self.language == "en")
                ):
                    j += 1
                after_article = i > sentence.span.start and doc[i - 1].lower_ in g.determiners
                if j - i == 1 and i > sentence.span.start and not after_article:
                    lone_words[doc[i].text] += 1
                runs.append((sentence, i, j, "", None, 0.0))
                i = j
        # a word that also begins a longer name is that name's short form ("Brenner" after "Brenner Verlag")
        self._begins_name = {r[0].span.doc[r[1]].text for r in runs if r[2] - r[1] >= 2}
        self._subjects = {s.span.doc[s.span.start].text for s in sentences}  # a one-word name begins a sentence once
        for sentence, i, j, *_ in runs:
            found = self._classify(sentence, i, j, lone_words)
            if found is None:
                continue
            kind, label, confidence, rule = found
            key = label
            if key in proposals:
                proposals[key].confidence = max(proposals[key].confidence, confidence)
                continue
            ident = slug(label)
            while ident in taken_ids:
                ident = f"{ident}-new"
            taken_ids.add(ident)
            proposals[key] = Found(ident, kind, label, known=False, confidence=confidence, rule=rule)
        kept = _without_short_forms(list(proposals.values()), self.language)
        mentions = self._candidate_mentions(docs, sentences, kept, covered)
        return kept, mentions

    def _classify(self, sentence: Sentence, i: int, j: int, lone_words: dict[str, int]) -> tuple[str, str, float, str] | None:
        doc = sentence.span.doc
        g = self.grammar
        german = self.language.startswith("de")
        tokens = list(range(i, j))
        before = doc[i - 1] if i > sentence.span.start else None
        # a German capitalised word after an article is a common noun ("der Milliardär Elon Musk")
        titled = before is not None and before.lower_ in g.titles
        # a legal form makes the whole run a name, article or not ("die Nordwind Energie GmbH")
        legal_run = _legal(doc[tokens[-1]].text) or (j < sentence.span.end and _legal(doc[j].text))
        described = False
        if not german and len(tokens) > 1 and tokens[0] == sentence.span.start and doc[tokens[0]].lower_ in self._lowercase:
            tokens = tokens[1:]  # "Yesterday Kestrel Partners": a first word the text also writes small is no part of a name
        # so is one the text writes elsewhere after an article ("verklagt Zulieferer Hagedorn" after "ihren Zulieferer")
        while tokens and (
            doc[tokens[0]].lower_ in g.titles
            or (german and (self._article_before(sentence, tokens[0]) or (len(tokens) > 1 and doc[tokens[0]].text in self._as_noun)))
        ):
            first = doc[tokens[0]]
            rest = [doc[t].text for t in tokens[1:]]
            if first.lower_ in g.titles:
                titled = True
            elif not self._describes(first.text, rest, legal_run):
                break
            else:
                described = described or is_role_noun(first.text)
            before = first
            tokens = tokens[1:]
            if first.lower_ not in g.titles:
                break  # one description at most: "der Verlag Polaris Medien"
        if not tokens or all(_legal(doc[t].text) for t in tokens):
            return None  # a legal form alone is no name ("GmbH" after a known "Nordwind Energie"), camel-cased or not
        legal = _legal(doc[tokens[-1]].text)
        if not legal and tokens[-1] + 1 < sentence.span.end and _legal(doc[tokens[-1] + 1].text):
            tokens.append(tokens[-1] + 1)
            legal = True
        while tokens and _legal(doc[tokens[-1]].text) and len(tokens) > 1 and _legal(doc[tokens[-2]].text):
            tokens = tokens[:-1]
        start = sentence.token_start(tokens[0])
        end = sentence.token_end(tokens[-1])
        if doc[tokens[-1]].text not in LEGAL_FORMS and _legal(doc[tokens[-1]].text):
            end -= 1  # "GmbH." closes the sentence: the full stop is not part of the name
        label = sentence.slice(start, end)
        if "\n" in label:
            return None
        words = [doc[t].text for t in tokens if doc[t].text != "-"]  # "Hale-Brennan" is one surname
        at_start = tokens[0] == sentence.span.start
        if legal and len(words) >= 2:
            return "organization", label, 0.8, "legal-form"
        if len(words) > 5:
            return None
        if names_organisation(words, self.language):
            return "organization", label, 0.7, "head-word"
        if "&" in words and not at_start:
            return "organization", label, 0.6, "ampersand"  # "Procter & Gamble", "Maxwell & Crane": no person's name
        if titled and 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
            return "person", label, 0.7, "title"
        after = tokens[-1] + 1
        small = at_start and not german and words[0].lower() in self._lowercase  # "Activist investor Greyfield …"
        if len(words) <= 3 and not small and words[0].lower() not in g.org_possessives and self._owns_a_role(doc, after, sentence.span.end):
            return "organization", label, 0.6, "role-owner"  # "Solvia-Chef Martin Weber", "Cobalt's founder Maria Novak"
        if (
            before is not None
            and before.lower_ in g.generic_nouns
            and len(words) <= 3
            and self._article_near(doc, before.i, sentence.span.start)
        ):
            return "organization", label, 0.55, "generic-noun"  # "die Firma Solaris", "the company Hollandse Grijpers"
        if described and 2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].islower() for w in words):
            return "person", label, 0.5, "role-noun"  # "die Gesundheitsexpertin Ute Zimmermann"
        if at_start and 2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].islower() for w in words):
            if self._introduces_person(doc, after, sentence.span.end):
                return "person", label, 0.5, "name-at-start"  # "Marc Weber, Chef der Solvia AG, …", "Anna Berger sagte"
            if not german and after < sentence.span.end and (doc[after].text == "," or doc[after].text.islower()):
                return "person", label, 0.4, "name-at-start"  # "Anna Berger founded …": English capitalises names only
        if german and at_start:
            return None  # every German noun is capitalised, and the first word of a sentence too
        if len(words) == 1 and _CAMEL.match(words[0]) and not at_start:
            return "organization", label, 0.5, "camel-case"
        w = words[0]
        if (
            len(words) == 1
            and german
            and not at_start
            and self._said[w] >= 2
            and w in self._subjects
            and w not in self._as_noun | self._begins_name
            and lone_name_shape(w)
        ):
            return "organization", label, 0.4, "repeated-name"  # "Hagedorn weist … zurück", "verklagt Hagedorn": never a noun's article
        if len(words) == 1 and not at_start and self._said[words[0]] >= 2 and single_name(doc[tokens[0]], german):
            return "organization", label, 0.4, "repeated-name"  # "Datavia", "the Pentagon", "die EMA": named twice or more
        if 2 <= len(words) <= 3 and lone_words.get(words[-1], 0) > 0 and all(w[:1].isupper() for w in words):
            return "person", label, 0.6, "surname-again"
        if 2 <= len(words) <= 3 and not german and not at_start and all(w[:1].isupper() and w[1:].islower() for w in words):
            if after + 1 < sentence.span.end and doc[after].text == "," and doc[after + 1].lower_ == "which":
                return "organization", label, 0.45, "name-which"  # "Strand Automotive, which …"
            return "person", label, 0.4, "name-shape"
        return None

    def _article_before(self, sentence: Sentence, t: int) -> bool:
        """An article right before token ``t``, or before a lower-case adjective before it ("der bisherige Eigentümer")."""
        doc, g, start = sentence.span.doc, self.grammar, sentence.span.start
        if t > start and doc[t - 1].lower_ in g.determiners:
            return True
        return t - 1 > start and doc[t - 1].text.isalpha() and doc[t - 1].text.islower() and doc[t - 2].lower_ in g.determiners

    def _introduces_person(self, doc: Doc, after: int, end: int) -> bool:
        """A speech verb, or a comma and a title, right after a name: "…, sagte", "Marc Weber, Chef der …", "Susan Okafor, the CEO …"."""
        g = self.grammar
        if after >= end:
            return False
        if doc[after].lower_ in g.speech_verbs:
            return True
        k = after + 1
        if doc[after].text != "," or k >= end:
            return False
        if doc[k].lower_ in g.determiners and k + 1 < end:
            k += 1
        return doc[k].lower_ in g.titles

    def _article_near(self, doc: Doc, t: int, start: int) -> bool:
        """An article at most two tokens before token ``t`` ("die Firma", "the Dutch company")."""
        return any(doc[k].lower_ in self.grammar.determiners for k in range(max(start, t - 3), t))

    def _describes(self, first: str, rest: list[str], legal_run: bool) -> bool:
        """Whether the German word after an article says what the name after it is, rather than being part of it.

        A generic noun, a role or a relation's noun does ("den Konkurrenten Helios Solar GmbH");
        a word before the name of a company with a core of its own does ("der Verlag Polaris
        Medien"); a role noun before a person's name does. The head of a company's name does
        not ("die Sonnberg Bank", "die Verbraucherzentrale Nord", "die Rheinwerk Stahl AG").
        """
        g = self.grammar
        lower = first.casefold()
        if lower in g.generic_nouns or lower in self.role_words:
            return bool(rest)
        core = [w for w in rest if not _legal(w) and not is_head(w, self.language) and w != "&"]
        if rest and rest[0] != "&" and core and names_organisation(rest, self.language):
            return True
        if is_role_noun(first) and 2 <= len(rest) <= 3:
            return True
        return not (legal_run or names_organisation([first, *rest], self.language))

    def _owns_a_role(self, doc: Doc, after: int, end: int) -> bool:
        """A name right before a role: "Solvia-Chef", "Falk-Vorstand", "Cobalt's founder" (the owner of the role is an organisation)."""
        g = self.grammar
        if after + 1 < end and doc[after].text in _POSSESSIVE_MARKS:
            return doc[after + 1].lower_ in g.titles or doc[after + 1].lower_ in self.role_words
        # "Orbis chief executive Ben Walker", "Quantix CEO David Chen": a role between two names
        k = after
        while k < end and k - after < 3 and doc[k].lower_ in g.titles | self.role_words:
            k += 1
        return k > after and k < end and _is_name_token(doc[k], g) and doc[k].text[1:].islower()

    def _candidate_mentions(
        self, docs: list[Doc], sentences: list[Sentence], found: list[Found], covered: set[tuple[int, int]]
    ) -> list[Mention]:
        from spacy.matcher import PhraseMatcher
        from spacy.util import filter_spans

        if not found:
            return []
        matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        owner: dict[str, str] = {}
        claims: dict[str, set[str]] = defaultdict(set)
        for cand in found:
            own = [cand.label, *genitive_forms(cand.label, self.language)]
            words = cand.label.split()
            shorter = [words[-1]] if cand.kind == "person" and len(words) > 1 else []
            if cand.kind == "organization":
                shorter += short_forms(cand.label, self.language)
            shorter += [g for f in shorter for g in genitive_forms(f, self.language)]
            for form in [*own, *(d for d in map(_dotted, own) if d is not None)]:
                if form not in owner and form not in self.by_text:
                    owner[form] = cand.id
            for form in [*shorter, *(d for d in map(_dotted, shorter) if d is not None)]:
                claims[form].add(cand.id)
        for form, ids in claims.items():
            # a short form two candidates share ("Lindqvist" of Elsa Lindqvist and Lindqvist Payments) names neither
            if len(ids) == 1 and form not in owner and form not in self.by_text:
                owner[form] = next(iter(ids))
        texts = sorted(owner)
        for text, doc in zip(texts, _tokenize_all(self.nlp, texts), strict=True):
            matcher.add(text, [doc])
        sent_of = sentence_lookup(sentences)
        by_id = {c.id: c for c in found}
        mentions: list[Mention] = []
        for number, doc in enumerate(docs):
            spans = filter_spans([doc[s:e] for _key, s, e in matcher(doc)])
            for span in spans:
                sentence = sent_of.get((number, span.start))
                if sentence is None or any((sentence.index, t) in covered for t in range(span.start, span.end)):
                    continue
                ident = owner.get(span.text)
                if ident is None:
                    continue
                start, end = sentence.token_start(span.start), sentence.token_end(span.end - 1)
                written = span.text
                if written.endswith(".") and _dotted(written[:-1]) == written:
                    end -= 1
                    written = written[:-1]
                via = "candidate" if written == by_id[ident].label else "surname"
                mention = Mention(ident, start, end, written, sentence.index, span.start, span.end, via)
                mentions.append(mention)
                by_id[ident].mentions.append(mention)
        return mentions


def _tokenize_all(nlp: Language, texts: list[str]) -> Iterable[Doc]:
    """Tokens only (no sentencizer): the patterns of a PhraseMatcher."""
    return nlp.tokenizer.pipe(texts)  # type: ignore[union-attr,no-any-return] # a blank pipeline's tokenizer is a Tokenizer
