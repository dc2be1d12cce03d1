"""What the relation rules pass between them: a signal phrase found in a sentence, and a relation read from it.

Kept apart from :mod:`graph.ingest.relations` so that the rules split into modules of their own
(:mod:`graph.ingest.roles`) share them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.ingest.mentions import Mention

#: what joins a name to the role after it: "Nordwind-Chef", "BrightPath's chairman"
POSSESSIVE = frozenset({"-", "–", "'s", "’s", "'", "’"})


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
    #: the proposition is negated ("dass OpenAI seinen Code nicht offenlegt"): against a known stance it is the opposite position
    negated_proposition: bool = False
