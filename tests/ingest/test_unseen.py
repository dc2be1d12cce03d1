"""``kg extract --evaluate --unseen``: drafts made without the entity list, matched to the curated entities by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.inprocess import run_kg, run_kg_json
from helpers.project import write_project

from graph.ingest.unseen import normalise

TEXT = "Die Nordwind Energie GmbH verklagte die Helios AG am Montag.\n\nNWE kritisierte Helios.\n"


@pytest.mark.parametrize(
    ("written", "curated"),
    [
        ("Die Nordwind Energie GmbH", "Nordwind Energie"),
        ("Nordwind Energie GmbH", "nordwind  energie"),
        ("Musks", "Musk"),
        ("Sam Altmans", "Sam Altman"),
        ("Procter & Gamble Co.", "Procter & Gamble"),
        ("Tesla, Inc.", "Tesla"),
        ("Jürgen Müller", "Jurgen Muller"),
        ("the Fenwick Group", "Fenwick"),
        ("Berger’", "Berger"),
    ],
)
def test_names_are_compared_without_case_accents_articles_legal_forms_or_genitive(written: str, curated: str) -> None:
    assert normalise(written) == normalise(curated)


def test_different_names_stay_different() -> None:
    assert normalise("Nordwind Energie GmbH") != normalise("Nordwind")
    assert normalise("Harrow Bank") != normalise("Harrow")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two sentences: one names both companies by their full names, one names Nordwind by an alias only the entity list knows."""
    entities = [
        {"id": "nordwind", "kind": "organization", "label": {"de": "Nordwind Energie", "en": "Nordwind Energie"},
         "aliases": {"de": ["NWE"], "en": ["NWE"]}},
        {"id": "helios", "kind": "organization", "label": {"de": "Helios", "en": "Helios"}},
        {"id": "reporter", "kind": "person", "label": {"de": "Jana Petersen", "en": "Jana Petersen"}},
    ]  # fmt: skip
    statements = [
        {"subject": "nordwind", "predicate": "sued", "object": "helios", "voice": "narration", "quote": "verklagte die Helios AG"},
        {
            "subject": "nordwind",
            "predicate": "criticised",
            "object": "helios",
            "voice": "narration",
            "quote": "NWE kritisierte Helios.",
        },
    ]
    return write_project(tmp_path, "n", TEXT, {"title": "Klage", "author": "reporter", "language": "de"}, entities, statements)


def _overall(*args: str | Path) -> dict[str, float]:
    return run_kg_json("extract", "--evaluate", *args, "-f", "json")["overall"]["overall"]  # type: ignore[no-any-return]


def test_unseen_hides_the_entity_list_and_matches_new_entities_by_name(project: Path) -> None:
    seen = _overall("--data", project)
    assert (seen["drafted"], seen["correct_drafts"], seen["gold"]) == (2, 2, 2), "the aliases find both sentences"
    unseen = _overall("--data", project, "--unseen")
    # without the list "NWE" is no name; the legal forms make the first sentence's names, drafted as
    # nordwind-energie-gmbh and helios-ag and matched to nordwind and helios by their normalised labels
    assert (unseen["drafted"], unseen["correct_drafts"], unseen["gold"]) == (1, 1, 2)


def test_unseen_without_evaluate_is_a_usage_error(project: Path) -> None:
    result = run_kg("extract", "n", "--unseen", "--data", project)
    assert result.exit_code == 2
    assert "--unseen goes with --evaluate" in result.stderr
