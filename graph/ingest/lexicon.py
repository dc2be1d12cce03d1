"""What the extractor matches: the ontology's signal words and the names of known entities.

Signal words come from the ontology and nowhere else (``qg:signalDe``/``qg:signalEn`` on each
relation, one word or phrase per literal, inflected forms included): adding a word there makes
the extractor find it. Names come from the data: every entity's labels and aliases in both
languages, with the inflected forms a text uses (German genitive -s: "Musks", "Sam Altmans";
English possessives are split off by spaCy's tokenizer, so "Musk" matches in "Musk's").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from graph.model.ontology import Ontology
from graph.model.records import Entity
from graph.model.vocab import QG_NS

_SIGNAL = {"de": URIRef(QG_NS + "signalDe"), "en": URIRef(QG_NS + "signalEn")}


def relation_signals(onto: Ontology, language: str) -> dict[str, tuple[str, ...]]:
    """Signal words of every relation for a language: ``{predicate local name: (phrase, ...)}``.

    Read with the ontology's own accessor when it has one (``Ontology.signals``), else straight
    from the annotation properties in its graph; both read the same Turtle.
    """
    lang = language.split("-")[0].lower()
    accessor = getattr(onto, "signals", None)
    if callable(accessor):
        return {name: tuple(words) for name, words in accessor(lang).items()}
    prop = _SIGNAL.get(lang)
    found: dict[str, list[str]] = defaultdict(list)
    if prop is None:
        return {}
    for name, relation in onto.relations.items():
        for literal in onto.graph.objects(relation.iri, prop):
            if isinstance(literal, Literal) and str(literal).strip():
                found[name].append(str(literal).strip())
    return {name: tuple(sorted(words)) for name, words in found.items()}


@dataclass(frozen=True)
class Signal:
    """One signal phrase of one relation, as lower-case tokens."""

    relation: str
    phrase: str
    tokens: tuple[str, ...]


@dataclass
class SignalIndex:
    """Signal phrases by their first token, for a quick look-up at every token of a sentence."""

    by_first: dict[str, list[Signal]] = field(default_factory=dict)

    @classmethod
    def build(cls, signals: dict[str, tuple[str, ...]], tokenize: Callable[[str], list[str]]) -> SignalIndex:
        index = cls()
        for relation, phrases in sorted(signals.items()):
            for phrase in phrases:
                tokens = tuple(t.lower() for t in tokenize(phrase) if t.strip())
                if tokens:
                    index.by_first.setdefault(tokens[0], []).append(Signal(relation, phrase, tokens))
        for entries in index.by_first.values():
            entries.sort(key=lambda s: -len(s.tokens))  # longest first
        return index


def genitive_forms(name: str, language: str) -> list[str]:
    """The inflected forms of a name that a text of this language writes without a space.

    German marks the genitive of a name with -s ("Musks", "Sam Altmans"), or with an apostrophe
    after s, ß, x and z ("Hoffmans" but "Cruz’"). English possessives ("Musk's") are split off
    by the tokenizer and need no form of their own.
    """
    if language.split("-")[0] != "de" or not name or not name[-1].isalpha():
        return []
    if name[-1] in "sßxzSXZ":
        return [name + "’", name + "'"]
    return [name + "s"]


@dataclass(frozen=True)
class NameForm:
    """A written form of an entity's name and how it was derived."""

    entity: str
    text: str
    #: "label", "alias" or "genitive"
    via: str


def name_forms(entities: Iterable[Entity], language: str) -> list[NameForm]:
    """Every written form to look for: labels, aliases and their genitives, both languages.

    A German text may use the English name and the other way round, so both are searched.
    An alias written in lower case ("lawsuit") is also searched capitalised, as at the start
    of a sentence.
    """
    forms: list[NameForm] = []
    for entity in entities:
        seen: set[str] = set()
        names = [(label, "label") for label in (entity.label.de, entity.label.en) if label]  # one may be missing
        names += [(a, "alias") for a in (*entity.aliases.de, *entity.aliases.en)]
        for name, via in names:
            variants = [(name, via)]
            if name[:1].islower():
                variants.append((name[:1].upper() + name[1:], via))
            for variant, _via in list(variants):
                variants += [(g, "genitive") for g in genitive_forms(variant, language)]
            for text, how in variants:
                if text not in seen:
                    seen.add(text)
                    forms.append(NameForm(entity.id, text, how))
    return forms
