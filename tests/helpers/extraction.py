"""The ontology the extraction tests read signal words from, and the test articles.

Until the general vocabulary (issue 13, with ``qg:signalDe``/``qg:signalEn``) lands on main,
the tests read a provisional copy of it (``tests/ingest/provisional_ontology.ttl``); the bundled
ontology is used as soon as it has signal words. The extractor itself reads only the ontology
it is given.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graph.ingest.lexicon import relation_signals
from graph.model.ontology import Ontology, default_ontology, load_ontology

TESTS = Path(__file__).resolve().parent.parent
CORPUS = TESTS / "ingest" / "corpus"
TUNING = CORPUS / "tuning"
HELDOUT = CORPUS / "heldout"
PROVISIONAL = TESTS / "ingest" / "provisional_ontology.ttl"


@cache
def signal_ontology() -> Ontology:
    bundled = default_ontology()
    if relation_signals(bundled, "de") and "ceoOf" in bundled.relations:
        return bundled
    return load_ontology(PROVISIONAL)
