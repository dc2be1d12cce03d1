"""What the shape of a name says: an organisation by its head word, its short form, a German role noun before it.

Hand-written word lists, because nothing in the dependencies knows them: spaCy's blank
pipelines have no tagger and no named-entity model (the point is to need no model weights), and
its lookup tables hold no company vocabulary. The lists are closed-class in practice: the words
with which companies, funds, unions and agencies name themselves ("Harrow Bank", "Lumen Labs",
"Nordwind Energie", "Stiftung Brenner"), which a person's name never ends with.

* **Head words** make a run of capitalised words an organisation: English ones compared as
  written (lower case), German ones also as the end of a compound ("Mediengruppe",
  "Verbraucherzentrale", "Anlagenbau"), since German writes them together.
* **Short forms** are how a text names an organisation again: without its legal form and its
  head words ("Nordwind Energie AG" → "Nordwind Energie", "Nordwind"; "Stiftung Brenner" →
  "Brenner").
* **German role nouns** stand between an article and a name ("der Finanzinvestor Granit
  Capital", "die Gesundheitsexpertin Ute Zimmermann"): they end like agent nouns (-er, -in,
  -or, -ist, …), and they are not part of the name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.ingest.grammar import LEGAL_FORMS, Grammar

if TYPE_CHECKING:
    from spacy.tokens import Token

_EN_HEADS = frozenset(
    [
        "bank",
        "banks",
        "group",
        "holding",
        "holdings",
        "labs",
        "lab",
        "partners",
        "capital",
        "motors",
        "systems",
        "software",
        "technologies",
        "technology",
        "industries",
        "robotics",
        "logistics",
        "cells",
        "batteries",
        "cloud",
        "energy",
        "power",
        "pharma",
        "pharmaceuticals",
        "therapeutics",
        "biotech",
        "media",
        "ventures",
        "foundation",
        "commission",
        "workers",
        "union",
        "airlines",
        "airways",
        "automotive",
        "insurance",
        "payments",
        "studios",
        "games",
        "networks",
        "communications",
        "foods",
        "brands",
        "solutions",
        "services",
        "analytics",
        "semiconductors",
        "electronics",
        "chemicals",
        "invest",
        "investments",
        "securities",
        "trust",
        "fund",
        "funds",
        "associates",
        "agency",
        "council",
        "institute",
        "university",
        "society",
        "association",
        "federation",
        "corporation",
        "company",
        "aerospace",
        "mining",
        "steel",
        "telecom",
        "health",
        "healthcare",
        "hospitals",
        "hotels",
        "airlines",
        "railways",
        "shipping",
    ]
)
_DE_HEADS = (
    "bank", "gruppe", "holding", "verlag", "werke", "stiftung", "medien", "versicherung", "pharma", "chemie", "energie",
    "technik", "bildung", "invest", "ventures", "capital", "partners", "logistik", "robotik", "systeme", "software",
    "anlagenbau", "maschinenbau", "stahl", "solar", "hotels", "kliniken", "verband", "zentrale", "gewerkschaft",
    "agentur", "versorger", "werft", "brauerei", "reederei", "gesellschaft", "kasse", "zeitung", "bahn", "institut",
    "universität", "labs", "motors", "airlines", "automobile", "elektronik", "telekom", "immobilien", "finanz",
)  # fmt: skip
#: heads that stand first ("Stiftung Brenner", "University of Leeds" is lower-case "of" and no run)
_FIRST_HEADS = frozenset({"stiftung", "universität", "university", "institut", "institute", "gewerkschaft", "verband"})
_ROLE_ENDINGS = ("er", "in", "or", "ist", "eur", "ent", "ant", "ator", "chef", "innen")


def is_head(word: str, language: str) -> bool:
    """Whether ``word`` is a word companies name themselves with ("Bank", "Labs"; German also "Mediengruppe")."""
    lower = word.casefold().rstrip(".")
    if lower in _EN_HEADS:
        return True
    return language.startswith("de") and len(lower) >= 4 and lower.endswith(_DE_HEADS)


def names_organisation(words: list[str], language: str) -> bool:
    """A run of two or more words that ends with a head word or a legal form, or starts with a first head."""
    if len(words) < 2:
        return False
    if words[-1] in LEGAL_FORMS or words[-1].rstrip(".") in LEGAL_FORMS:
        return True
    return (
        any(is_head(w, language) for w in words[1:])
        or words[0].casefold() in _FIRST_HEADS
        or (is_head(words[0], language) and language.startswith("de"))
    )


def is_role_noun(word: str) -> bool:
    """A German noun that says what someone is ("Finanzinvestor", "Gesundheitsexpertin", "Zulieferer")."""
    lower = word.casefold()
    return len(lower) >= 6 and lower.endswith(_ROLE_ENDINGS)


def short_forms(label: str, language: str) -> list[str]:
    """The shorter names of an organisation, longest first: without legal forms, then without head words."""
    words = label.split()
    forms: list[str] = []
    while len(words) > 1 and (words[-1] in LEGAL_FORMS or words[-1].rstrip(".") in LEGAL_FORMS):
        words = words[:-1]
        forms.append(" ".join(words))
    while len(words) > 1 and is_head(words[-1], language):
        words = words[:-1]
        forms.append(" ".join(words))
    if len(words) > 1 and (words[0].casefold() in _FIRST_HEADS or (language.startswith("de") and is_head(words[0], language))):
        forms.append(" ".join(words[1:]))  # "Stiftung Brenner", "Regionalzeitung Nordkurier"
    return [f for f in dict.fromkeys(forms) if f != label and len(f) >= 3 and f[:1].isupper() and not f.endswith(("&", ","))]


def marks_a_noun(before: Token, g: Grammar) -> bool:
    """A word after which a German capitalised word is a common noun or a place: an article, an adjective, "in", a number, a hyphen ("E-Mail")."""
    marks = g.determiners | g.definite
    lower = before.lower_
    if before.i > 0 and before.doc[before.i - 1].text == ",":
        return False  # a relative pronoun: "E-Mails, die Elon Musk schrieb"
    if lower in marks or lower in ("in", "nach", "aus", "-") or lower.startswith("jed") or before.like_num:
        return True
    return before.text.islower() and before.i > 0 and before.doc[before.i - 1].lower_ in marks


def lone_name_shape(word: str) -> bool:
    """A German word that may be a name on its own when no article marks it a noun: "Hagedorn", "Solvia"."""
    return len(word) >= 4 and word.isalpha() and word[1:].islower()


def single_name(token: Token, german: bool) -> bool:
    """One word that may be a name on its own: an acronym ("EMA", "UAW"), or in English a capitalised word.

    German capitalises every noun, so there only an acronym is a name by its shape.
    """
    text = token.text
    if len(text) < 2 or not text.isalpha() or token.is_stop:
        return False
    if text.isupper():
        return 3 <= len(text) <= 6  # "KI", "AI" are words; "EMA", "UAW" are names
    return not german and text[:1].isupper() and text[1:].islower()
