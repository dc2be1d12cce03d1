"""Merging two entities rewrites every reference, keeps the curator's formatting, and refuses what would break.

The data is the two-source story of ``helpers.story`` with Jane Roe written twice (``roe`` and
``jane-roe``), as a second curator might; ``kg entities merge`` is run in process.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers.inprocess import run_kg
from helpers.story import write_story

from graph.sources import merge
from graph.sources.loader import Loader, derive_statement_id, load_corpus

SECOND_ROE = """
  # the same Roe, written again by a second curator
  - id: jane-roe
    kind: person
    label: {de: Jane Roe, en: Jane Roe}
    aliases:
      en: [J. Roe]   # as the staff letter signs
"""
SECOND_ROE_STATEMENTS = """
  # no id: its id derives from its content
  - subject: jane-roe
    predicate: supports
    object: acme-should-merge-with-globex
    voice: narration
    quote: Roe said that Acme should merge with Globex.

  - id: jane-roe-wrote
    subject: jane-roe
    predicate: supports
    object: acme-should-merge-with-globex
    voice: quotation
    asserted_by: jane-roe
    quote: she wrote to staff
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    data = write_story(tmp_path)
    with open(data / "entities.yaml", "a", encoding="utf-8") as handle:
        handle.write(SECOND_ROE)
    with open(data / "statements" / "roe-2024-09.yaml", "a", encoding="utf-8") as handle:
        handle.write(SECOND_ROE_STATEMENTS)
    return data


def _files(data: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def test_merge_rewrites_every_reference_and_keeps_comments_and_formatting(story: Path) -> None:
    before_ids = set(load_corpus(story).statements)
    result = run_kg("entities", "merge", "roe", "jane-roe", "--data", story, "--pin-ids")
    assert result.exit_code == 0, result.stderr
    statements = (story / "statements" / "roe-2024-09.yaml").read_text(encoding="utf-8")
    assert ": jane-roe\n" not in statements  # no reference left (the statement id jane-roe-wrote is a name, not a reference)
    assert "  # no id: its id derives from its content\n  - id: s-" in statements  # the comment stays, the id is pinned
    assert (
        "    subject: roe\n    predicate: supports\n    object: acme-should-merge-with-globex\n    voice: quotation\n    asserted_by: roe\n"
        in statements
    )
    entities = (story / "entities.yaml").read_text(encoding="utf-8")
    assert "id: jane-roe" not in entities
    assert "    aliases: {de: [Roe], en: [Roe, J. Roe]}\n" in entities  # what DROP knew, kept on KEEP
    assert entities.startswith("# Entities of the test story.\n")
    corpus = load_corpus(story)
    assert set(corpus.statements) == before_ids  # every statement keeps its id, so every quote keeps its IRI
    assert "jane-roe" not in corpus.entities
    assert {s.subject for s in corpus.statements.values() if s.source == "roe-2024-09" and s.predicate == "supports"} >= {"roe"}
    loader = Loader(story)
    loader.load()
    assert loader.problems.warnings == []  # the name is no longer shared
    assert "merged 'jane-roe' into 'roe': 3 reference(s) in 2 file(s)" in result.stderr


def test_merge_refuses_when_a_quote_would_lose_its_anchor(story: Path) -> None:
    before = _files(story)
    result = run_kg("entities", "merge", "roe", "jane-roe", "--data", story)
    assert result.exit_code == 1
    line = (story / "statements" / "roe-2024-09.yaml").read_text(encoding="utf-8").splitlines().index("  - subject: jane-roe") + 1
    assert (
        f"1 statement(s) naming 'jane-roe' have no explicit id, so merging would give them new ids and move their quotes to new IRIs: data/statements/roe-2024-09.yaml:{line} (s-"
        in result.stderr
    )
    assert "--pin-ids" in result.stderr
    assert _files(story) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("    kind: person\n    label: {de: Jane Roe", "'roe' is a person and 'jane-roe' a organization"),
        ("    label: {de: Jane Roe, en: Jane Roe}\n    distinct_from: [roe]", "marked distinct_from each other on purpose"),
    ],
    ids=["different-kinds", "marked-distinct"],
)
def test_merge_refuses_entities_that_are_not_one(story: Path, change: str, message: str) -> None:
    entities = story / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    head, tail = text.split("  - id: jane-roe\n")
    if "distinct_from" in change:
        tail = tail.replace("    label: {de: Jane Roe, en: Jane Roe}", change, 1)
    else:
        tail = tail.replace("    kind: person", "    kind: organization", 1)
    entities.write_text(head + "  - id: jane-roe\n" + tail, encoding="utf-8")
    before = _files(story)
    result = run_kg("entities", "merge", "roe", "jane-roe", "--data", story, "--pin-ids")
    assert result.exit_code == 1
    assert message in result.stderr
    assert _files(story) == before


def test_merge_refuses_when_the_merged_data_fails_a_check(story: Path) -> None:
    # after the merge, two statements would say the same thing with the same quote
    statements = story / "statements" / "roe-2024-09.yaml"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("quote: she wrote to staff", "quote: A merger with Globex is the best way forward"),
        encoding="utf-8",
    )
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("    asserted_by: jane-roe\n", "    asserted_by: roe\n"), encoding="utf-8"
    )
    before = _files(story)
    result = run_kg("entities", "merge", "roe", "jane-roe", "--data", story, "--pin-ids")
    assert result.exit_code == 1
    assert "duplicate statement: same triple, quote and assertor as 'roe-merger-quote'" in result.stderr
    assert "nothing was written" in result.stderr
    assert _files(story) == before


def test_a_dry_run_checks_and_writes_nothing(story: Path) -> None:
    before = _files(story)
    result = run_kg("entities", "merge", "roe", "jane-roe", "--data", story, "--pin-ids", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "data/statements/roe-2024-09.yaml: 3 reference(s) to 'jane-roe' now name 'roe'" in result.stdout
    assert "nothing was written" in result.stderr
    assert _files(story) == before


def test_merge_writes_all_files_or_none(story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = merge.plan_merge(story, "roe", "jane-roe", pin_ids=True)
    assert len(plan.changes) == 2
    before = _files(story)
    calls: list[str] = []

    def second_file(dst: str) -> bool:
        calls.append(dst)
        return len(calls) == 2

    _commit_failing(plan, monkeypatch, second_file)
    assert _files(story) == before  # the file already replaced was put back; no temporary file is left


def _commit_failing(plan: merge.MergePlan, monkeypatch: pytest.MonkeyPatch, fails: Callable[[str], bool]) -> None:
    """Commit ``plan`` with a disk that is full when ``fails(destination)`` says so: the commit raises."""
    real_replace = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if fails(str(dst)):
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(merge.os, "replace", replace)
    with pytest.raises(OSError, match="disk full"):
        merge.commit(plan)
    monkeypatch.setattr(merge.os, "replace", real_replace)


DRAFTED = "Roe said that Acme should merge with Globex."


def _drafts_and_known_names(data: Path) -> tuple[Path, Path, str]:
    """A review file of kg extract and a known-names file that name jane-roe, as a project has them."""
    text = (data / "sources" / "roe-2024-09.txt").read_text(encoding="utf-8")
    start = text.index(DRAFTED)
    derived = derive_statement_id("roe-2024-09", "jane-roe", "supports", "acme-should-merge-with-globex", None, start, start + len(DRAFTED))
    (data / "drafts").mkdir()
    drafts = data / "drafts" / "roe-2024-09.yaml"
    drafts.write_text(
        "# Drafted statements for source roe-2024-09, written by `kg extract`.\n"
        "source: roe-2024-09\nlanguage: en\n"
        "entities:\n"
        "- id: jane-roe\n  kind: person\n  label: Jane Roe\n  confidence: 0.8\n  rule: name\n"
        "- id: globex-board\n  kind: organization\n  label: Globex board\n  confidence: 0.5\n  rule: name\n"
        "statements:\n"
        f"- id: {derived}\n  status: rejected\n  subject: jane-roe\n  predicate: supports\n"
        f"  object: acme-should-merge-with-globex\n  quote: {DRAFTED}\n  start: {start}\n  end: {start + len(DRAFTED)}\n"
        "  voice: narration\n  asserted_by: jane-roe\n  confidence: 0.6\n  rule: signal\n"
        "- id: roe-met-globex-board\n  status: pending\n  subject: globex-board\n  predicate: met\n  object: jane-roe\n"
        f"  quote: {DRAFTED}\n  start: {start}\n  end: {start + len(DRAFTED)}\n  voice: narration\n  confidence: 0.4\n  rule: signal\n",
        encoding="utf-8",
    )
    known = data / "known-entities.yaml"
    known.write_text(
        "# Known names (kg init --with-bundled-entities); the build does not read this file.\n"
        "entities:\n"
        "  - id: jane-roe\n    kind: person\n    label: {en: Jane Roe}\n\n"
        "  - id: john-roe\n    kind: person\n    label: {en: John Roe}\n    distinct_from: [jane-roe]  # her brother\n",
        encoding="utf-8",
    )
    return drafts, known, derived


def test_merge_rewrites_the_drafts_and_the_known_names_too_keeping_decisions(story: Path) -> None:
    drafts, known, derived = _drafts_and_known_names(story)
    result = run_kg("entities", "merge", "roe", "jane-roe", "--data", story, "--pin-ids")
    assert result.exit_code == 0, result.stderr
    assert "drafts/roe-2024-09.yaml: entry 'jane-roe' removed; 1 draft id(s) derived anew from the merged content" in result.stdout
    assert "known-entities.yaml: entry 'jane-roe' removed; 1 reference(s) to 'jane-roe' now name 'roe'" in result.stdout
    for path in (drafts, known):
        assert "jane-roe" not in path.read_text(encoding="utf-8"), path.name
    doc = yaml.safe_load(drafts.read_text(encoding="utf-8"))
    assert [e["id"] for e in doc["entities"]] == ["globex-board"]
    first, second = doc["statements"]
    start = first["start"]
    assert first["id"] == derive_statement_id("roe-2024-09", "roe", "supports", "acme-should-merge-with-globex", None, start, first["end"])
    assert first["id"] != derived
    assert (first["status"], first["subject"], first["asserted_by"]) == ("rejected", "roe", "roe"), "the decision is kept"
    assert (second["id"], second["object"]) == ("roe-met-globex-board", "roe"), "an id of the curator's stays"
    assert known.read_text(encoding="utf-8") == (
        "# Known names (kg init --with-bundled-entities); the build does not read this file.\n"
        "entities:\n"
        "  - id: john-roe\n    kind: person\n    label: {en: John Roe}\n    distinct_from: [roe]  # her brother\n"
    )


def test_a_merge_that_fails_on_the_drafts_leaves_every_file_as_it_was(story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drafts, _known, _ = _drafts_and_known_names(story)
    plan = merge.plan_merge(story, "roe", "jane-roe", pin_ids=True)
    assert [c.shown for c in plan.changes][-2:] == ["data/known-entities.yaml", "data/drafts/roe-2024-09.yaml"]
    before = _files(story)
    _commit_failing(plan, monkeypatch, lambda dst: Path(dst) == drafts)
    assert _files(story) == before


def test_the_merge_names_the_files_kg_extract_and_kg_init_write() -> None:
    from graph.ingest.drafts import DRAFTS_DIRNAME
    from graph.ingest.project import KNOWN_FILE

    assert (merge.DRAFTS_FOLDER, merge.KNOWN_ENTITIES_FILE) == (DRAFTS_DIRNAME, KNOWN_FILE)


@pytest.mark.parametrize("dry_run", [False, True], ids=["merge", "dry-run"])
def test_merge_with_json_prints_what_it_did_as_one_object(story: Path, dry_run: bool) -> None:
    before = _files(story)
    result = run_kg("entities", "merge", "roe", "jane-roe", "--data", story, "--pin-ids", "-f", "json", *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    done = json.loads(result.stdout)
    assert (done["keep"], done["drop"], done["written"], done["references"]) == ("roe", "jane-roe", not dry_run, 3)
    assert {f["file"]: f["references"] for f in done["files"]} == {"data/entities.yaml": 0, "data/statements/roe-2024-09.yaml": 3}
    assert done["aliases_added"] == ["J. Roe"]
    [pinned] = done["pinned"]
    assert pinned["file"] == "data/statements/roe-2024-09.yaml"
    assert pinned["id"].startswith("s-")
    assert (_files(story) == before) is dry_run
