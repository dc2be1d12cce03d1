"""The story told across sources: a timeline with dated steps, a contradiction across sources, the
sources of an entity, and what changed between two builds.

The data is the two-source story of ``helpers.story`` (texts written for the tests): Jane Roe
for Acme's independence in March 2024, for a merger with Globex in September 2024.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.inprocess import run_kg, run_kg_json
from helpers.story import ONE, TWO, write_story

from graph.build.pipeline import build
from graph.store.builds import OutDir


@pytest.fixture(scope="module")
def story_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("story")
    out = root / "out"
    build(write_story(root), OutDir(out))
    return out


def test_a_timeline_orders_dated_steps_from_two_sources(story_build: Path) -> None:
    steps = run_kg_json("timeline", "Jane Roe", "--stances", "-f", "json", "--build", story_build)["steps"]
    assert isinstance(steps, list)
    assert [(s["time"], s["dated_by"], s["source"], s["statement"]) for s in steps] == [
        ("2024-02-02", "stated", ONE, "roe-independent-said"),  # the source dates it
        ("2024-03-01", "reported", ONE, "roe-independent-quote"),  # only the source's date is known
        ("2024-09-10", "stated", TWO, "roe-merger-said"),
        ("2024-09-15", "reported", TWO, "roe-merger-quote"),
    ]
    assert steps[0]["quote"] == "Acme will stay on its own, its chief executive Jane Roe said on 2 February 2024."
    assert steps[2]["object"] == "acme-should-merge-with-globex"


def test_a_timeline_table_says_how_each_step_is_dated(story_build: Path) -> None:
    result = run_kg("timeline", "roe", "--build", story_build)
    assert result.exit_code == 0, result.stderr
    for time in ("2024-02-02", "2024-03-01", "2024-09-10", "2024-09-15"):
        assert time in result.stdout
    assert "reported" in result.stdout  # the two steps dated only by their source's publication
    assert f"[2] source {TWO}: Roe changes course" in result.stdout


def test_a_contradiction_across_two_sources_shows_both_quotes_and_both_sources(story_build: Path) -> None:
    found = run_kg_json("contradictions", "-f", "json", "--build", story_build)["contradictions"]
    assert isinstance(found, list)
    assert len(found) == 1
    c = found[0]
    assert (c["holder"], c["proposition"], c["order_known"]) == ("roe", "acme-should-merge-with-globex", True)
    earlier, later = c["sides"]
    assert earlier["polarity"] == "against"
    assert later["polarity"] == "for"
    assert [(e["statement"]["source"], e["statement"]["quote"], e["date"]) for e in earlier["evidence"]] == [
        (ONE, "Acme will stay on its own, its chief executive Jane Roe said on 2 February 2024.", "2024-02-02"),
        (ONE, "Acme should stay independent", ""),
    ]
    assert [(e["statement"]["source"], e["statement"]["quote"], e["latest"]) for e in later["evidence"]] == [
        (TWO, "On 10 September 2024 Roe said that Acme should merge with Globex.", "2024-09-10"),
        (TWO, "A merger with Globex is the best way forward", "2024-09-15"),
    ]


def test_sources_list_licence_credit_and_statements_by_voice(story_build: Path) -> None:
    sources = run_kg_json("sources", "-f", "json", "--build", story_build)["sources"]
    assert isinstance(sources, list)
    assert [(s["source"], s["date"], s["licence"], s["statements_by_voice"], s["entities"]) for s in sources] == [
        (ONE, "2024-03-01", "CC0-1.0", {"narration": 2, "quotation": 1}, 4),
        (TWO, "2024-09-15", "CC0-1.0", {"narration": 2, "quotation": 1}, 4),
    ]
    assert sources[0]["licence_url"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert sources[0]["attribution"] == "Written for the quotegraph tests; no rights reserved."


def test_the_sources_that_mention_an_entity_say_how(story_build: Path) -> None:
    sources = run_kg_json("sources", "Globex", "-f", "json", "--build", story_build)["sources"]
    assert isinstance(sources, list)
    # Globex is named only by a stance in the first source; in the second it is the subject of a statement
    assert [(s["source"], s["mentions"]) for s in sources] == [(TWO, {"subject": 1})]


def test_kg_diff_shows_statements_added_removed_and_changed(tmp_path: Path, story_build: Path) -> None:
    data = write_story(tmp_path)
    one = data / "statements" / f"{ONE}.yaml"
    text = one.read_text(encoding="utf-8")
    text = text.replace("    date: 2024-02-02\n", "    date: 2024-02-02\n    translation: Acme bleibt eigenständig.\n")  # changed
    cut = text.index("  - id: roe-independent-quote")
    text = text[:cut] + text[text.index("  - id: independence-concerns-acme") :]  # removed
    one.write_text(text, encoding="utf-8")
    two = data / "statements" / f"{TWO}.yaml"
    two.write_text(
        two.read_text(encoding="utf-8")
        + "\n  - id: roe-changed-course\n    subject: roe\n    predicate: supports\n    object: acme-should-merge-with-globex\n"
        "    voice: narration\n    quote: Jane Roe has changed course.\n",  # added
        encoding="utf-8",
    )
    after = tmp_path / "out"
    build(data, OutDir(after))
    builds = sorted(p for p in (story_build / "builds").iterdir())
    diff = run_kg_json("diff", builds[-1], after, "-f", "json")["statements"]
    assert isinstance(diff, dict)
    assert [s["id"] for s in diff["added"]] == ["roe-changed-course"]
    assert [s["id"] for s in diff["removed"]] == ["roe-independent-quote"]
    assert diff["changed"] == [
        {
            "id": "roe-independent-said",
            "fields": ["translation"],
            "before": {"translation": ""},
            "after": {"translation": "Acme bleibt eigenständig."},
        }
    ]
    assert diff["unchanged"] == 4
    table = run_kg("diff", story_build, after)
    assert table.exit_code == 0, table.stderr
    assert "1 statement(s) added" in table.stdout
    assert "1 statement(s) removed" in table.stdout
    assert "1 statement(s) changed" in table.stdout


def test_a_build_compared_with_itself_has_no_change(story_build: Path) -> None:
    result = run_kg("diff", story_build, story_build)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "No change: 6 statement(s), the same in both builds."


def test_a_duplicate_entity_is_listed_with_its_evidence_and_merged(tmp_path: Path) -> None:
    data = write_story(tmp_path)
    with open(data / "entities.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n  - id: jane-roe\n    kind: person\n    label: {de: Jane Roe, en: Jane Roe}\n")
    statements = data / "statements" / f"{TWO}.yaml"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace(
            "  - id: roe-merger-quote\n    subject: roe", "  - id: roe-merger-quote\n    subject: jane-roe"
        ),
        encoding="utf-8",
    )
    found = run_kg_json("entities", "--duplicates", "-f", "json", "--data", data)["candidates"]
    assert isinstance(found, list)
    assert [(c["first"]["id"], c["second"]["id"], c["strength"], c["merge"]) for c in found] == [
        ("roe", "jane-roe", "same-name", "kg entities merge roe jane-roe")
    ]
    assert found[0]["evidence"][0] == {
        "kind": "same-name",
        "first": {"field": "label.de", "value": "Jane Roe"},
        "second": {"field": "label.de", "value": "Jane Roe"},
        "score": 100.0,
    }
    merged = run_kg("entities", "merge", "roe", "jane-roe", "--data", data)
    assert merged.exit_code == 0, merged.stderr
    assert run_kg_json("entities", "--duplicates", "-f", "json", "--data", data)["candidates"] == []
    validated = run_kg("validate", "--data", data)
    assert validated.exit_code == 0, validated.stderr
    assert "warning" not in validated.stderr
    shutil.rmtree(data)


@pytest.mark.parametrize(
    "args",
    [["sources"], ["timeline", "Jane Roe"], ["entities"], ["entities", "--duplicates"]],
    ids=lambda a: " ".join(a),
)
def test_the_tables_and_their_footers_show_no_markup_tags(story_build: Path, args: list[str]) -> None:
    """Regression: the footers were written as Rich markup ("[dim]6 source(s)[/]") to a console
    that prints text literally, so the tags were shown."""
    import re

    data = story_build.parent / "data"
    where = ["--data", data] if args[0] == "entities" else ["--build", story_build]
    result = run_kg(*args, *where)
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"\[/?(dim|bold|italic|red|green|yellow)?\]|\[/\]", result.stdout + result.stderr)
    if args != ["entities", "--duplicates"]:  # the story has no duplicate candidates: no footer
        assert re.search(r"\d+ (source|statement|entit)", result.stderr)
