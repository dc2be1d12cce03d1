"""``kg extract --evaluate --unseen``: score the drafts of a text the extractor knows nothing about.

With the data folder's entities the extractor finds every curated name and alias ("Nordwind"
for Nordwind Energie GmbH) and drafts relations between known ids; a user who brings a new
article has no such list, so that score overstates what they get. Here the extractor reads
only the text, and the new entities it drafts are then matched to the curated ones, so that
the usual matching of :mod:`graph.ingest.evaluate` can compare ids:

* a person or organisation by its **normalised name**: its label, else one of its mentions,
  equal to a curated label or alias once case, accents and spaces are folded, a leading article
  ("the", "die") and trailing legal forms ("Inc.", "GmbH", "AG", "Group") are dropped, and a
  final genitive -s or apostrophe is taken off ("Nordwinds", "Berger’"). Only a name that
  points at one curated entity matches; a draft entity that matches none keeps its new id and
  its drafts count as wrong;
* a new stance (labelled with a clause of the text) by the rule extraction uses for known
  stances (:func:`graph.ingest.extract.Extractor.known_stance`): the curated stance it
  paraphrases closely enough, and clearly more closely than any other.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from graph.ingest.extract import Extraction, Extractor
from graph.ingest.grammar import LEGAL_FORMS
from graph.model.records import Entity

_LEGAL = frozenset(f.casefold().rstrip(".") for f in LEGAL_FORMS)
_ARTICLES = frozenset({"the", "der", "die", "das", "den", "dem", "des"})


def normalise(name: str) -> str:
    """A name as compared across the text and the curated entities: ``Die Nordwind Energie GmbH`` → ``nordwind energie``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w&.\-']+", " ", plain.replace("’", "'")).split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    while len(words) > 1 and words[-1].rstrip(".") in _LEGAL:
        words = words[:-1]
    if words:
        last = words[-1].rstrip(".")
        if last.endswith("'"):
            last = last[:-1]
        elif last.endswith("'s"):
            last = last[:-2]
        elif last.endswith("s") and len(last) > 3:
            last = last[:-1]  # both sides lose it: "Musks" and "Musk" meet, as do "Gründers" and "Gründer"
        words[-1] = last
    return " ".join(words)


def _names(entity: Entity) -> Iterable[str]:
    yield from (n for n in (entity.label.de, entity.label.en) if n)
    yield from entity.aliases.de
    yield from entity.aliases.en


def match_new_entities(extraction: Extraction, curated: dict[str, Entity], reader: Extractor, prefer: set[str]) -> dict[str, str]:
    """``{draft entity id: curated id}`` for the new entities of ``extraction`` that name a curated one.

    ``prefer`` (the entities the source's gold statements name) breaks a tie between curated
    entities of the same name in other sources.
    """
    by_name: dict[str, set[str]] = defaultdict(set)
    for entity in curated.values():
        if entity.kind != "stance":
            for name in _names(entity):
                by_name[normalise(name)].add(entity.id)

    def unique(name: str) -> str | None:
        owners = by_name.get(normalise(name), set())
        if len(owners) > 1:
            owners = owners & prefer
        return next(iter(owners)) if len(owners) == 1 else None

    stances = {e.id: e for e in curated.values() if e.kind == "stance" and e.id in prefer}
    mapping: dict[str, str] = {}
    for found in extraction.entities:
        if found.known:
            continue
        if found.kind == "stance":
            target = reader.known_stance(found.label, stances)
        else:
            target = unique(found.label) or next((t for m in found.mentions if (t := unique(m.text)) is not None), None)
        if target is not None:
            mapping[found.id] = target
    return mapping


def renamed(extraction: Extraction, mapping: dict[str, str]) -> Extraction:
    """The extraction with every draft's subject, object and assertor renamed through ``mapping``."""

    def name(ident: str | None) -> str | None:
        return mapping.get(ident, ident) if ident is not None else None

    drafts = [
        dataclasses.replace(d, subject=mapping.get(d.subject, d.subject), object=name(d.object), asserted_by=name(d.asserted_by))
        for d in extraction.drafts
    ]
    return dataclasses.replace(extraction, drafts=drafts)
