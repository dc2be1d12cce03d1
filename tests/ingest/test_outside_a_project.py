"""Outside a project and in an empty one: writing commands refuse the bundled demo, reading ones keep working.

Outside a project the data folder is the bundled demo inside the installed package; a draft or
an accepted statement written there would land in site-packages. Each case is run in a folder
with no project above it, the way a user types the command after ``pip install``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.inprocess import run_kg
from helpers.run import SOURCE_ID

from graph import paths

ARTICLE = "Elon Musk sued OpenAI on Monday.\n\nSam Altman responded to Elon Musk.\n"
PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory: a folder with no project in it or above it."""
    folder = tmp_path / "nowhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert paths.find_project(folder) is None
    return folder


def _bundled_drafts() -> list[str]:
    folder = paths.bundled_data_dir() / "drafts"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("extract", SOURCE_ID), "write drafts into"),
        (("drafts", "accept", "s-0000000000000000"), "accept drafts into"),
        (("drafts", "reject", "s-0000000000000000"), "reject drafts in"),
        (("drafts", "review", SOURCE_ID), "review drafts in"),
    ],
)
def test_a_writing_command_outside_a_project_refuses_with_one_line_and_writes_nothing(
    outside: Path, args: tuple[str, ...], what: str
) -> None:
    before = _bundled_drafts()
    result = run_kg(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: no project in {outside} or above to {what}: kg init DIR makes one, --data DIR names one")
    assert _bundled_drafts() == before, "nothing written into the bundled data"


def test_a_refusal_asked_for_as_json_is_the_json_error(outside: Path) -> None:
    result = run_kg("drafts", "accept", "s-0000000000000000", "-f", "json")
    assert result.exit_code == 2
    error = json.loads(result.stdout or result.stderr)["error"]
    assert error["exit_code"] == 2
    assert "kg init DIR" in error["message"]


def test_extracting_a_bundled_source_without_writing_still_works_outside_a_project(outside: Path) -> None:
    result = run_kg("extract", SOURCE_ID, "--no-write", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["source"] == SOURCE_ID
    assert "the bundled demo" in result.stderr


@pytest.mark.parametrize("name", ["article.txt", "news-en.html"])
def test_extract_file_as_json_works_outside_a_project(outside: Path, name: str) -> None:
    path = _article(outside, name)
    result = run_kg("extract", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["source"] == path.stem
    assert not (outside / "drafts").exists()


@pytest.mark.parametrize("name", ["article.txt", "news-en.html"])
def test_extract_file_as_json_works_in_a_project_without_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    assert run_kg("init", tmp_path / "story").exit_code == 0
    monkeypatch.chdir(tmp_path / "story")
    path = _article(tmp_path, name)
    result = run_kg("extract", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    if name == "article.txt":
        drafted = {(s["subject"], s["predicate"], s.get("object")) for s in out["statements"]}
        assert drafted == {("elon-musk", "sued", "openai"), ("sam-altman", "respondedTo", "elon-musk")}
    assert sorted(p.name for p in (tmp_path / "story").iterdir()) == [".gitignore", "entities.yaml", "sources", "statements"]


def _article(folder: Path, name: str) -> Path:
    path = folder / name
    if name.endswith(".html"):
        path.write_bytes((PAGES / name).read_bytes())
    else:
        path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_a_common_noun_alias_of_a_bundled_event_is_no_mention_in_an_unrelated_article(outside: Path) -> None:
    path = outside / "klage.txt"
    path.write_text("Die Rheinwerk Stahl AG hat die Hagedorn GmbH verklagt. Die Klage wurde am Montag eingereicht.\n", encoding="utf-8")
    result = run_kg("extract", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    known = [e["id"] for e in json.loads(result.stdout)["entities"] if e["known"]]
    assert known == [], "'Klage' is not the bundled lawsuit musk-v-openai when no known party is named"
    related = outside / "musk.txt"
    related.write_text("Elon Musk verklagte OpenAI. Die Klage wurde im Februar eingereicht.\n", encoding="utf-8")
    ids = {e["id"] for e in json.loads(run_kg("extract", related, "-f", "json").stdout)["entities"]}
    assert "musk-v-openai" in ids, "beside Musk and OpenAI it is"
