"""The extraction benchmark: ``kg extract`` over a thousand generated news articles of about 2,000 characters.

Articles are generated from the names of :mod:`tests.bench.lexicon` and the ontology's own signal
words, so that every article has work in it: known names (with German genitives), new names with
legal forms and titles, active and passive sentences, reported and direct speech, negations and
filler. One :class:`~graph.ingest.extract.Extractor` per language reads them all, as ``kg
extract`` does for the sources of one data folder. The measurement runs in a child process, so
that its peak RSS (``ru_maxrss``) is the extraction's own; generating the articles is not timed.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.ingest.lexicon import relation_signals
from graph.model.ontology import Ontology, default_ontology, load_ontology
from graph.model.records import Aliases, Descriptions, Entity, Labels

from . import lexicon as lx

#: the target of issue 14: a thousand articles in at most this many seconds on the 2-core machine
TARGET_SECONDS = 60.0
ARTICLE_CHARS = 2_000

_FILLER = {
    "de": (
        "Die Entscheidung fiel nach wochenlangen Gesprächen in der Zentrale.",
        "Beobachter rechnen mit weiteren Schritten im kommenden Quartal.",
        "Die Aktie gab am Nachmittag leicht nach.",
        "Details wurden zunächst nicht bekannt.",
        "Der Schritt kommt für viele in der Branche überraschend.",
    ),
    "en": (
        "The decision followed weeks of talks at the headquarters.",
        "Analysts expect further steps in the coming quarter.",
        "The shares fell slightly in afternoon trading.",
        "No details were disclosed at first.",
        "The move surprised many in the industry.",
    ),
}
_SAID = {"de": ("sagte", "erklärte", "betonte"), "en": ("said", "told reporters", "added")}


def _entities(rng: random.Random, people: int = 300, organisations: int = 200) -> dict[str, Entity]:
    found: dict[str, Entity] = {}

    def add(ident: str, kind: str, label: str, *aliases: str) -> None:
        found[ident] = Entity(
            id=ident,
            kind=kind,
            type=None,
            label=Labels(de=label, en=label),
            aliases=Aliases(de=list(aliases), en=list(aliases)),
            description=Descriptions(),
            wikidata=None,
            negates=(),
        )

    while len([e for e in found.values() if e.kind == "person"]) < people:
        first, last = rng.choice(lx.FIRST_NAMES), rng.choice(lx.LAST_NAMES)
        add(f"p-{first}-{last}".lower(), "person", f"{first} {last}", last)
    while len(found) < people + organisations:
        stem, sector = rng.choice(lx.ORG_STEMS), rng.choice(lx.SECTORS)
        add(f"o-{stem}-{sector[1]}".lower(), "organization", f"{stem} {sector[0]}", stem)
    return found


def _agent_relations(onto: Ontology, language: str) -> list[tuple[str, str]]:
    """(relation, signal phrase) for relations between people and organisations, from the ontology."""
    agents = {
        "http://www.w3.org/ns/prov#Agent",
        "https://w3id.org/quotegraph/ontology#Person",
        "https://w3id.org/quotegraph/ontology#Organization",
    }
    pairs = []
    for name, words in relation_signals(onto, language).items():
        relation = onto.relations[name]
        if str(relation.domain) in agents and str(relation.range) in agents:
            pairs += [(name, w) for w in words if " " not in w and w[:1].islower()]
    return pairs


def generate(count: int, onto: Ontology, seed: int = 1) -> tuple[dict[str, Entity], list[tuple[str, str]]]:
    """``count`` articles (text, language), about 60 % German, and the entities they name."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    entities = _entities(rng)
    people = [e for e in entities.values() if e.kind == "person"]
    orgs = [e for e in entities.values() if e.kind == "organization"]
    signals = {lang: _agent_relations(onto, lang) or [("", "traf" if lang == "de" else "met")] for lang in ("de", "en")}
    articles = []
    for n in range(count):
        lang = "de" if rng.random() < 0.6 else "en"
        paragraphs = [
            f"{rng.choice(orgs).label.de} {rng.choice(signals[lang])[1]} {rng.choice(orgs).label.de}",
            rng.choice(lx.FIRST_NAMES) + " " + rng.choice(lx.LAST_NAMES),
        ]
        body: list[str] = []
        written = sum(len(p) + 2 for p in paragraphs)
        while written < ARTICLE_CHARS:
            a, b = rng.choice(people), rng.choice(orgs)
            _, word = rng.choice(signals[lang])
            kind = rng.random()
            if kind < 0.25:
                body.append(f"{a.label.de} {word} {b.label.de}.")
            elif kind < 0.35:
                body.append(
                    f"„{a.label.de} {word} {b.label.de}“, {rng.choice(_SAID[lang])} {rng.choice(people).label.de}."
                    if lang == "de"
                    else f'"{a.label.de} {word} {b.label.de}," {rng.choice(people).label.de} {rng.choice(_SAID[lang])}.'
                )
            elif kind < 0.45:
                legal = rng.choice(lx.LEGAL_FORMS)
                body.append(
                    f"Die {rng.choice(lx.ORG_STEMS)}werk {legal} {word} {b.label.de}s Tochter."
                    if lang == "de"
                    else f"{rng.choice(lx.ORG_STEMS)}works {legal} {word} {b.label.en}."
                )
            elif kind < 0.55:
                body.append(
                    f"{a.label.de} {'sagte, dass' if lang == 'de' else 'said that'} {b.label.de} {word} {rng.choice(orgs).label.de}."
                )
            elif kind < 0.62:
                body.append(f"{a.label.de} {word} {b.label.de} {'nicht' if lang == 'de' else 'never'}.")
            else:
                body.append(rng.choice(_FILLER[lang]))
            written += len(body[-1]) + 1
            if rng.random() < 0.2:
                paragraphs.append(" ".join(body))
                body = []
        paragraphs.append(" ".join(body))
        articles.append(("\n\n".join(p for p in paragraphs if p) + "\n", lang))
        del n
    return entities, articles


@dataclass(frozen=True)
class Measurement:
    articles: int
    characters: int
    seconds: float
    articles_per_second: float
    drafts: int
    peak_rss_mb: float
    target_seconds: float = TARGET_SECONDS


def _measure(count: int, seed: int, ontology: str | None, queue: Any) -> None:
    from graph.ingest.extract import Extractor

    onto = load_ontology(Path(ontology)) if ontology else default_ontology()
    entities, articles = generate(count, onto, seed)
    extractors = {lang: Extractor(entities, onto, lang) for lang in ("de", "en")}
    extractors["de"].extract("Warm-up.\n")
    extractors["en"].extract("Warm-up.\n")
    started = time.perf_counter()
    drafts = 0
    for number, (text, lang) in enumerate(articles):
        drafts += len(extractors[lang].extract(text, f"a{number}").drafts)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(Measurement(count, sum(len(t) for t, _ in articles), round(seconds, 2), round(count / seconds, 1), drafts, round(peak, 1)))


def measure(count: int = 1_000, seed: int = 1, ontology: Path | None = None) -> Measurement:
    """Extract ``count`` generated articles in a fresh child process; its time and peak RSS."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_measure, args=(count, seed, str(ontology) if ontology else None, queue))
    child.start()
    result: Measurement = queue.get()
    child.join()
    return result
