"""Looking an entity up by name in the build's name index instead of reading every name.

``network.sqlite`` holds every folded name (id, labels, aliases) of every entity with an index,
so an exact lookup is one indexed query however many entities there are. Only a name that matches
nothing reads all names, to rank "did you mean" suggestions (the error path). The rules are those
of :class:`graph.query.lookup.Names`: case and accents ignored, ambiguity named, suggestions ranked by
rapidfuzz.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path

from graph.model.lang import display_label
from graph.network.files import SQLITE_FILENAME
from graph.query.lookup import fold, resolve


class IndexedNames:
    """Entity lookups against one build's name index (the interface of :class:`graph.query.lookup.Names`)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    @classmethod
    def open(cls, directory: Path) -> IndexedNames | None:
        """The name index in a cache folder, or None if there is none."""
        path = directory / SQLITE_FILENAME
        if not path.is_file():
            return None
        return cls(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))

    def _exact(self, key: str) -> set[str]:
        rows = self.db.execute("SELECT nodes.id FROM names JOIN nodes USING (idx) WHERE names.folded = ?", (key,))
        return {row[0] for row in rows}

    def _every_name(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for folded, ident in self.db.execute("SELECT names.folded, nodes.id FROM names JOIN nodes USING (idx)"):
            found[folded].add(ident)
        return found

    def _display(self, ident: str) -> str:
        row = self.db.execute("SELECT attrs FROM nodes WHERE id = ?", (ident,)).fetchone()
        if not row:
            return ident
        attrs = json.loads(row[0])
        return display_label({"en": attrs.get("label_en") or "", "de": attrs.get("label_de") or ""}, "en", ident)

    def find(self, query: str) -> str:
        """The id of the one entity ``query`` names; raises with suggestions otherwise."""
        return resolve(query, self._exact, self._every_name, self._display)

    def iri(self, query: str) -> str:
        """The IRI of the one entity ``query`` names."""
        rows = self.db.execute("SELECT nodes.id, nodes.iri FROM names JOIN nodes USING (idx) WHERE names.folded = ?", (fold(query),))
        found = dict(rows.fetchall())
        if len(found) == 1:  # the common case in one query; anything else goes through find()
            return str(next(iter(found.values())))
        row = self.db.execute("SELECT iri FROM nodes WHERE id = ?", (self.find(query),)).fetchone()
        return str(row[0])
