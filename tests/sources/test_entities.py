"""One entity across sources: the same Wikidata id twice is refused, a shared name is warned about.

The data is the two-source story of ``helpers.story`` (texts written for the tests), loaded
with the loader as ``kg validate`` loads it; one case runs ``kg validate`` itself for the
exit code and the streams.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from helpers.inprocess import run_kg
from helpers.story import write_story

from graph.errors import DataError
from graph.model.records import Entity, EntityIn
from graph.sources.duplicates import BLOCK_LIMIT, Evidence, candidates, fold, same_names
from graph.sources.loader import Loader, load_corpus

JANE = """
  - id: jane-roe
    kind: person
    label: {de: Jane Roe, en: Jane Roe}
"""
# a statement that uses the second Roe, so that nothing is unused
JANE_STATEMENT = """
  - id: jane-roe-quoted
    subject: jane-roe
    predicate: supports
    object: acme-should-merge-with-globex
    voice: narration
    quote: Roe said that Acme should merge with Globex.
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write_story(tmp_path)


def _add_second_roe(data: Path, extra: str = "") -> int:
    """Add ``jane-roe`` (the same person as ``roe``, written again) and return the line of its label."""
    entities = data / "entities.yaml"
    text = entities.read_text(encoding="utf-8") + JANE + extra
    entities.write_text(text, encoding="utf-8")
    with open(data / "statements" / "roe-2024-09.yaml", "a", encoding="utf-8") as handle:
        handle.write(JANE_STATEMENT)
    return text.splitlines().index("    label: {de: Jane Roe, en: Jane Roe}", text.count("\n", 0, text.index("id: jane-roe"))) + 1


def test_names_fold_as_lookups_fold_them() -> None:
    assert fold("  Jane   ROE ") == fold("jane roe")
    assert fold("Größe") == "grosse"
    assert fold("Élan") == "elan"


def test_the_same_wikidata_id_on_two_entities_is_refused_with_file_line_and_field(story: Path) -> None:
    entities = story / "entities.yaml"
    text = entities.read_text(encoding="utf-8").replace(
        "    label: {de: Globex, en: Globex}\n", "    label: {de: Globex, en: Globex}\n    wikidata: Q4000001\n"
    )
    entities.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    wikidata: Q4000001", text.count("\n", 0, text.index("id: globex"))) + 1
    with pytest.raises(DataError) as raised:
        load_corpus(story)
    messages = [str(p) for p in raised.value.problems]
    assert messages == [
        f"data/entities.yaml:{line}: entities[3].wikidata: 'globex' has the Wikidata id Q4000001 of 'acme' (data/entities.yaml:12); "
        "one item is one entity: run `kg entities merge acme globex`"
    ]


def test_two_entities_sharing_a_name_are_a_warning_naming_both(story: Path) -> None:
    line = _add_second_roe(story)
    loader = Loader(story)
    loader.load()  # no error: a shared name may be meant
    assert [str(w) for w in loader.problems.warnings] == [
        f"data/entities.yaml:{line}: entities[6].label: 'jane-roe' and 'roe' (data/entities.yaml:7) share a name: "
        "'Jane Roe' (label.de) = 'Jane Roe' (label.de). If they are one, run `kg entities merge roe jane-roe`; "
        "if not, add distinct_from: [roe] to 'jane-roe'"
    ]


def test_kg_validate_prints_the_warning_and_still_passes(story: Path) -> None:
    _add_second_roe(story)
    result = run_kg("validate", "--data", story)
    assert result.exit_code == 0, result.stderr
    assert "warning: data/entities.yaml:" in result.stderr
    assert "'jane-roe' and 'roe' (data/entities.yaml:7) share a name" in result.stderr
    assert "Valid:" in result.stdout


def test_entities_marked_distinct_from_each_other_are_not_warned_about(story: Path) -> None:
    _add_second_roe(story, extra="    distinct_from: [roe]\n")
    loader = Loader(story)
    loader.load()
    assert loader.problems.warnings == []
    pair = next(c for c in candidates(loader.scan().entities) if {c.first, c.second} == {"roe", "jane-roe"})
    assert pair.distinct
    assert pair.strength == "same-name"


def test_distinct_from_names_another_entity_that_exists(story: Path) -> None:
    _add_second_roe(story, extra="    distinct_from: [jane-roe, roee]\n")
    with pytest.raises(DataError) as raised:
        load_corpus(story)
    fields = {(p.field, p.message) for p in raised.value.problems}
    assert ("entities[6].distinct_from", "an entity is not distinct from itself") in fields
    assert ("entities[6].distinct_from", "unknown entity 'roee'") in fields


def test_close_names_are_candidates_but_not_warnings(story: Path) -> None:
    entities = story / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + JANE.replace("Jane Roe", "Jane Roee"), encoding="utf-8")
    loader = Loader(story)
    found = candidates(loader.scan().entities)
    assert loader.problems.warnings == []
    similar = [c for c in found if c.strength == "similar-name"]
    assert [(c.first, c.second) for c in similar] == [("roe", "jane-roe")]
    assert "≈" in str(similar[0].evidence[0])


def _holders(count: int, distinct: dict[int, list[int]] | None = None) -> dict[str, Entity]:
    """``count`` organisations that all have the alias "Opal", in definition order."""
    distinct = distinct or {}
    return {
        f"opal-{i}": Entity.of(
            EntityIn.model_validate(
                {
                    "id": f"opal-{i}",
                    "kind": "organization",
                    "label": {"de": f"Opal Energie {i}", "en": f"Opal Energy {i}"},
                    "aliases": {"en": ["Opal"]},
                    "distinct_from": [f"opal-{j}" for j in distinct.get(i, [])],
                }
            )
        )
        for i in range(count)
    }


def test_a_name_held_by_a_few_entities_pairs_every_two_of_them() -> None:
    assert set(same_names(_holders(BLOCK_LIMIT))) == set(itertools.combinations([f"opal-{i}" for i in range(BLOCK_LIMIT)], 2))


def test_a_name_held_by_many_entities_pairs_each_with_the_first_not_every_two() -> None:
    pairs = same_names(_holders(700))
    assert len(pairs) == 699, "k - 1 pairs, not k(k - 1)/2 = 244,650"
    assert set(pairs) == {("opal-0", f"opal-{i}") for i in range(1, 700)}
    assert [str(e) for e in pairs["opal-0", "opal-5"]] == [str(Evidence("same-name", "aliases.en", "Opal", "aliases.en", "Opal"))]


def test_among_many_a_holder_marked_distinct_from_the_first_is_paired_with_the_next_and_the_marked_pair_still_listed() -> None:
    entities = _holders(BLOCK_LIMIT + 1, distinct={2: [0]})
    found = {(c.first, c.second): c.distinct for c in candidates(entities, similar=False)}
    assert {pair: distinct for pair, distinct in found.items() if "opal-2" in pair} == {
        ("opal-0", "opal-2"): True,
        ("opal-1", "opal-2"): False,
    }
    assert len(found) == BLOCK_LIMIT + 1, "k - 1 pairs, and the marked one"
