"""Finding an entity by what a user types: id, label or alias, in German or English.

Matching ignores case and accents ("musk", "Elon", "sutskever", "GOOGLE"); an unknown name gets
the closest candidates ("did you mean …"), as rapidfuzz ranks them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from graph.errors import UsageError


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``Größte`` → ``grosste``, ``Élan`` → ``elan``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


class EntityNotFound(UsageError):
    """No entity matches; the message lists the closest names."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity matches '{query}'{hint}")


class AmbiguousEntity(UsageError):
    """Several entities match equally well; the message lists them by id."""

    def __init__(self, query: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        super().__init__(f"'{query}' matches several entities: {', '.join(candidates)}; use an id")


@dataclass(frozen=True)
class Names:
    """Every name of every entity, folded, for lookups."""

    by_name: dict[str, set[str]]
    display: dict[str, str]

    @classmethod
    def from_nodes(cls, nodes: Iterable[tuple[str, Mapping[str, Any]]]) -> Names:
        by_name: dict[str, set[str]] = {}
        display: dict[str, str] = {}
        for ident, attrs in nodes:
            display[ident] = attrs.get("label_en") or ident
            names = {ident, attrs.get("label_en", ""), attrs.get("label_de", ""), *attrs.get("aliases", [])}
            for name in names:
                if name:
                    by_name.setdefault(fold(name), set()).add(ident)
        return cls(by_name, display)

    def find(self, query: str) -> str:
        """The id of the one entity ``query`` names; raises with suggestions otherwise."""
        key = fold(query)
        found = self.by_name.get(key, set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            exact = [i for i in found if i == query]
            if exact:
                return exact[0]
            raise AmbiguousEntity(query, sorted(found))
        choices = list(self.by_name)
        matches = process.extract(key, choices, scorer=fuzz.WRatio, limit=10, score_cutoff=60)
        suggestions: list[str] = []
        for name, _score, _ in matches:
            for ident in sorted(self.by_name[name]):
                label = f"{ident} ({self.display[ident]})" if self.display[ident] != ident else ident
                if label not in suggestions:
                    suggestions.append(label)
        raise EntityNotFound(query, suggestions[:5])
