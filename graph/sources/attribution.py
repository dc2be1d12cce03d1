"""Who asserts a statement: an agent, or, for words quoted from a document whose writer the source
does not name, that document (issue 13: the for-profit e-mail sentence is the e-mail's, not Musk's)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from graph.model.records import Entity


def asserter_problem(asserter: Entity | None, voice: str) -> str | None:
    """Why ``asserter`` cannot assert a statement in ``voice``, or None when it can."""
    if asserter is None or asserter.kind in ("person", "organization") or (asserter.kind == "document" and voice == "quotation"):
        return None
    return f"'{asserter.id}' is a {asserter.kind}; a person or organisation asserts (a document only the words quoted from it: voice quotation)"


def quoted_from(voice: str, asserter: Entity | None, context: Entity | None) -> str | None:
    """The document a quotation's words come from: the asserter itself when it is a document, else where they were expressed."""
    if voice != "quotation":
        return None
    for candidate in (asserter, context):
        if candidate is not None and candidate.kind == "document":
            return candidate.id
    return None


def suggest(name: str, known: Iterable[str]) -> str:
    """ " (did you mean ...?)" for up to three close names, or an empty string."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
