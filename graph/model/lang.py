"""The languages every label of the graph is given in (``--lang``), and which label to show in one.

A module of its own because every ``kg`` command takes ``--lang``: defined beside the query
parameters and the records it imported pydantic's models and the query runner into every command
(0.41 s to import with them, against 0.02 s for this module alone: median of 7 fresh processes, 2026-12-03, 2 cores at a load average of 4-5).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

#: the languages a label may be shown in, in the order a table falls back to
DISPLAY_LANGS: tuple[str, ...] = ("en", "de")


class Lang(StrEnum):
    """Languages every label of the graph is given in."""

    en = "en"
    de = "de"


def display_label(labels: Mapping[str, str], lang: str, fallback: str) -> str:
    """The label to show in ``lang``: the entity's own, else one in another language marked with it ("Elon Musk (de)").

    Tables and views never fall back silently: a reader sees that the name is not in the language asked for.
    """
    own = labels.get(lang)
    if own:
        return own
    for other in ("en", "de", *sorted(labels)):
        if labels.get(other):
            return f"{labels[other]} ({other})"
    return fallback
