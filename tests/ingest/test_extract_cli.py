"""``kg extract`` and ``kg drafts`` as a user types them: the JSON shape, HTML pages, the review file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers.extraction import TUNING
from helpers.inprocess import run_kg, run_kg_json
from helpers.project import write_project
from helpers.run import DATA, SOURCE_ID

from graph.build.pipeline import build
from graph.ingest.html import article_text
from graph.store.builds import OutDir

TEXT = "Elon Musk criticised OpenAI on Monday.\n\nSam Altman responded to Elon Musk.\n\nElon Musk criticised Nordwind Energie GmbH.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small data folder: one English source, one statement curated by hand."""
    entities = [
        {"id": "musk", "kind": "person", "label": {"de": "Elon Musk", "en": "Elon Musk"}, "aliases": {"de": ["Musk"], "en": ["Musk"]}},
        {"id": "altman", "kind": "person", "label": {"de": "Sam Altman", "en": "Sam Altman"}},
        {"id": "openai", "kind": "organization", "label": {"de": "OpenAI", "en": "OpenAI"}},
        {"id": "reporter", "kind": "person", "label": {"de": "Jana Petersen", "en": "Jana Petersen"}},
    ]
    statements = [
        {
            "subject": "altman",
            "predicate": "respondedTo",
            "object": "musk",
            "voice": "narration",
            "quote": "Sam Altman responded to Elon Musk.",
        },
        {"subject": "musk", "predicate": "criticised", "object": "openai", "voice": "narration", "quote": "criticised OpenAI"},
    ]
    meta = {"title": "Musk and OpenAI", "author": "reporter", "language": "en"}
    return write_project(tmp_path, "news", TEXT, meta, entities, statements, header="# curated by hand\n")


def _json(*args: str | Path) -> dict[str, object]:
    return run_kg_json("extract", *args, "-f", "json")


def _check_shape(out: dict[str, object], text: str) -> None:
    assert set(out) == {"source", "language", "entities", "statements"}
    assert out["language"] in ("de", "en")
    for e in out["entities"]:  # type: ignore[attr-defined]
        assert set(e) == {"id", "kind", "label", "known", "mentions"}
        assert isinstance(e["known"], bool)
        for m in e["mentions"]:
            assert set(m) == {"start", "end", "text"}
            assert text[m["start"] : m["end"]] == m["text"]
    for s in out["statements"]:  # type: ignore[attr-defined]
        keys = {"id", "subject", "predicate", "quote", "start", "end", "voice", "asserted_by", "confidence", "rule"}
        assert set(s) in (keys | {"object"}, keys | {"value"})
        assert text[s["start"] : s["end"]] == s["quote"]
        assert 0 <= s["confidence"] <= 1


def test_extract_json_has_exactly_the_shape_of_the_issue_and_every_span_slices(project: Path) -> None:
    out = _json("news", "--data", project, "--no-write")
    _check_shape(out, TEXT)
    assert out["source"] == "news"
    assert out["language"] == "en"
    predicates = {(s["subject"], s["predicate"], s.get("object")) for s in out["statements"]}  # type: ignore[attr-defined]
    assert ("musk", "criticised", "nordwind-energie-gmbh") in predicates
    assert not (project / "drafts").exists()


def test_extract_json_on_the_test_articles_slices_exactly(tmp_path: Path) -> None:
    for source in ("t01-nordwind-helios", "t02-quantix-datavia"):
        text = (TUNING / "sources" / f"{source}.txt").read_text(encoding="utf-8")
        _check_shape(_json(source, "--data", TUNING, "--no-write"), text)


def test_extract_reads_a_text_file_that_is_not_a_source(project: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Der Konzern wurde von Elon Musk kritisiert.\n\nSam Altman kritisierte OpenAI.\n", encoding="utf-8")
    out = _json(article, "--data", project)
    assert (out["source"], out["language"]) == ("article", "de")
    _check_shape(out, article.read_text(encoding="utf-8"))
    assert not (project / "drafts").exists()


PAGE = """<!doctype html><html lang="en"><head><title>Musk criticises OpenAI | The Daily</title>
<meta name="author" content="Jana Petersen"></head><body>
<nav><a href="/">Home</a> | <a href="/tech">Tech</a> | Sam Altman criticised Elon Musk.</nav>
<article><h1>Musk criticises OpenAI</h1>
<p>Elon Musk criticised OpenAI on Monday for keeping its models closed, in a long post on his platform.</p>
<p>Sam Altman responded to Elon Musk in the evening and defended the company's approach to safety.</p>
</article>
<footer>© The Daily. Comments: OpenAI criticised Sam Altman.</footer></body></html>
"""


def test_extract_on_an_html_page_quotes_the_article_text_as_kg_add_stores_it(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    text = article_text(PAGE).text
    assert "Home" not in text
    assert "Comments" not in text
    out = _json(page, "--data", project)
    _check_shape(out, text)
    triples = {(s["subject"], s["predicate"], s.get("object")) for s in out["statements"]}  # type: ignore[attr-defined]
    assert ("musk", "criticised", "openai") in triples
    assert ("altman", "criticised", "musk") not in triples  # the navigation is not the article


def _statement_count(data: Path, tmp_path: Path, name: str) -> int:
    return int(build(data, OutDir(tmp_path / name)).counts["statements"])


def test_the_build_ignores_drafts_until_the_curator_accepts_them(project: Path, tmp_path: Path) -> None:
    result = run_kg("extract", "news", "--data", project)
    assert result.exit_code == 0, result.stderr
    review = yaml.safe_load((project / "drafts" / "news.yaml").read_text(encoding="utf-8"))
    drafts = {(d["subject"], d["predicate"], d.get("object")): d for d in review["statements"]}
    assert ("musk", "criticised", "openai") not in drafts  # curated already (an overlapping quote)
    new = drafts[("musk", "criticised", "nordwind-energie-gmbh")]
    assert new["status"] == "pending"
    assert [e["id"] for e in review["entities"]] == ["nordwind-energie-gmbh"]
    before = _statement_count(project, tmp_path, "before")

    accepted = run_kg("drafts", "accept", new["id"], "--data", project)
    assert accepted.exit_code == 0, accepted.stderr
    assert "nordwind-energie-gmbh" in (project / "entities.yaml").read_text(encoding="utf-8")
    assert (project / "statements" / "news.yaml").read_text(encoding="utf-8").startswith("# curated by hand\n")
    after = _statement_count(project, tmp_path, "after")
    assert after == before + 1
    review = yaml.safe_load((project / "drafts" / "news.yaml").read_text(encoding="utf-8"))
    assert {d["id"]: d["status"] for d in review["statements"]}[new["id"]] == "accepted"


def test_extracting_again_keeps_the_curators_decisions(project: Path) -> None:
    assert run_kg("extract", "news", "--data", project).exit_code == 0
    review = yaml.safe_load((project / "drafts" / "news.yaml").read_text(encoding="utf-8"))
    first = review["statements"][0]["id"]
    assert run_kg("drafts", "reject", first, "--data", project).exit_code == 0
    assert run_kg("extract", "news", "--data", project).exit_code == 0
    review = yaml.safe_load((project / "drafts" / "news.yaml").read_text(encoding="utf-8"))
    assert {d["id"]: d["status"] for d in review["statements"]}[first] == "rejected"


def test_accepting_an_unknown_draft_is_one_line_and_exit_2(project: Path) -> None:
    result = run_kg("drafts", "accept", "s-0000000000000000", "--data", project)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if not line.startswith("data: ")]  # which data: said first
    assert len(errors) == 1
    assert "s-0000000000000000" in errors[0]


def test_the_bundled_source_drafts_only_what_is_not_curated_yet(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    out = _json(SOURCE_ID, "--data", data, "--no-write")
    assert out["language"] == "de"
    _check_shape(out, (data / "sources" / f"{SOURCE_ID}.txt").read_text(encoding="utf-8"))


def test_an_interactive_review_accepts_and_rejects_in_the_terminal(project: Path) -> None:
    from typer.testing import CliRunner

    from graph.cli import app

    assert run_kg("extract", "news", "--data", project).exit_code == 0
    pending = yaml.safe_load((project / "drafts" / "news.yaml").read_text(encoding="utf-8"))["statements"]
    answers = "a\n" + "r\n" * (len(pending) - 1)
    result = CliRunner().invoke(app, ["drafts", "review", "news", "--data", str(project)], input=answers)
    assert result.exit_code == 0, result.output
    statuses = [d["status"] for d in yaml.safe_load((project / "drafts" / "news.yaml").read_text(encoding="utf-8"))["statements"]]
    assert statuses == ["accepted", *["rejected"] * (len(pending) - 1)]


def test_new_stances_are_left_out_by_default_and_shown_with_min_confidence_0(project: Path, tmp_path: Path) -> None:
    article = tmp_path / "wish.txt"
    article.write_text("Elon Musk will, dass OpenAI seine Modelle offenlegt.\n", encoding="utf-8")
    default = _json(article, "--data", project)
    everything = _json(article, "--data", project, "--min-confidence", "0")
    assert not [s for s in default["statements"] if s["predicate"] == "supports"]  # type: ignore[attr-defined]
    assert [s["rule"].split(":")[0] for s in everything["statements"] if s["predicate"] == "supports"] == ["stance-new"]  # type: ignore[attr-defined]


def test_a_known_name_is_drafted_by_its_id_and_copied_into_the_project_when_accepted(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    assert run_kg("init", folder, "--with-bundled-entities").exit_code == 0
    article = tmp_path / "article.txt"
    article.write_text("Elon Musk sued OpenAI on Monday.\n", encoding="utf-8")
    added = run_kg("add", article, "--data", folder, "--language", "en", "--author", "Jana Petersen", "--title", "Suit", "-f", "json")
    assert added.exit_code == 0, added.stderr
    source = json.loads(added.stdout)["id"]
    drafted = _json(source, "--data", folder)
    sued = [d for d in drafted["statements"] if d["predicate"] == "sued"]  # type: ignore[attr-defined]
    assert [(d["subject"], d["object"]) for d in sued] == [("musk", "openai")], "the bundled ids, not new ones (elon-musk)"
    assert [e["id"] for e in yaml.safe_load((folder / "entities.yaml").read_text(encoding="utf-8"))["entities"]] == ["jana-petersen"]
    accepted = run_kg("drafts", "accept", sued[0]["id"], "--data", folder)
    assert accepted.exit_code == 0, accepted.stderr
    entities = yaml.safe_load((folder / "entities.yaml").read_text(encoding="utf-8"))["entities"]
    assert {e["id"] for e in entities} >= {"musk", "openai"}
    assert run_kg("validate", "--data", folder).exit_code == 0


def _the_new_draft(project: Path) -> str:
    assert run_kg("extract", "news", "--data", project).exit_code == 0
    review = yaml.safe_load((project / "drafts" / "news.yaml").read_text(encoding="utf-8"))
    by_triple = {(d["subject"], d["predicate"], d.get("object")): d["id"] for d in review["statements"]}
    return str(by_triple[("musk", "criticised", "nordwind-energie-gmbh")])


def test_accept_as_json_says_which_drafts_went_into_which_files(project: Path) -> None:
    new = _the_new_draft(project)
    accepted = run_kg_json("drafts", "accept", new, "--data", project, "-f", "json")
    assert accepted == {
        "accepted": [new],
        "statements_files": [str(project / "statements" / "news.yaml")],
        "new_entities": ["nordwind-energie-gmbh"],
        "entities_file": str(project / "entities.yaml"),
        "data_dir": str(project.resolve()),
        "data_from": "option",
    }


def test_reject_as_json_says_which_drafts_and_which_review_file(project: Path) -> None:
    new = _the_new_draft(project)
    rejected = run_kg_json("drafts", "reject", new, "--data", project, "-f", "json")
    assert rejected == {
        "rejected": [new],
        "drafts_files": [str(project / "drafts" / "news.yaml")],
        "data_dir": str(project.resolve()),
        "data_from": "option",
    }
