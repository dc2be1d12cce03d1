"""``kg add``: the source's text and metadata under a stable id; duplicates refused; all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import yaml
from helpers.run import kg
from helpers.webserver import Reply, html, redirect, serving

from graph.errors import DataError, UsageError
from graph.ingest.add import Overrides, add_source
from graph.ingest.project import init_project, known_entities
from graph.sources.loader import load_corpus

PAGES = Path(__file__).parent / "pages"
GERMAN = (
    "Streit um OpenAI\n\n"
    "Elon Musk hat OpenAI verklagt. Der Unternehmer wirft dem Unternehmen vor, seine Gründungsidee verraten zu haben.\r\n\r\n"
    "„Das ist ein Verrat“, sagte Musk am Montag. OpenAI wies die Vorwürfe zurück.\n"
)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return init_project(tmp_path / "story").data


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _meta(data: Path, source_id: str) -> dict[str, object]:
    loaded = yaml.safe_load((data / "sources" / f"{source_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_a_text_file_is_stored_byte_for_byte_under_sequence_and_checksum(story: Path, tmp_path: Path) -> None:
    article = tmp_path / "musk.txt"
    article.write_bytes(GERMAN.encode("utf-8"))
    added = add_source(story, str(article))
    digest = hashlib.sha256(GERMAN.encode("utf-8")).hexdigest()
    assert added.id == f"000_{digest[:16]}"
    assert added.text_path.read_bytes() == GERMAN.encode("utf-8"), "CRLF and all: the text as it is"
    meta = _meta(story, added.id)
    assert meta["sha256"] == digest
    assert meta["title"] == "Streit um OpenAI"
    assert meta["language"] == "de"
    assert isinstance(meta["retrieved"], dt.datetime)
    assert "author" not in meta, "only what is known is recorded"
    assert "date" not in meta
    second = tmp_path / "other.txt"
    second.write_text(
        "Another story\n\nSam Altman said OpenAI would fight the lawsuit in court and expected to win it.\n", encoding="utf-8"
    )
    assert add_source(story, str(second)).id.startswith("001_")
    corpus = load_corpus(story)
    assert corpus.sources[added.id].text == GERMAN
    assert corpus.sources[added.id].language == "de"


def test_an_html_page_is_stored_as_its_article_text_with_the_pages_metadata(story: Path) -> None:
    added = add_source(story, str(PAGES / "news-en.html"))
    text = added.text_path.read_text(encoding="utf-8")
    assert text.startswith("Musk sues OpenAI again\n\nElon Musk sued OpenAI")
    assert "gadgetfan99" not in text
    meta = _meta(story, added.id)
    assert {k: meta[k] for k in ("title", "author", "language", "date", "url", "publisher", "licence", "licence_url")} == {
        "title": "Musk sues OpenAI again",
        "author": "jane-doe",
        "language": "en",
        "date": dt.date(2024, 8, 5),
        "url": "https://news.example.org/2024/08/05/musk-sues-openai-again",
        "publisher": "The Daily Example",
        "licence": "CC-BY-SA-4.0",
        "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
    }
    assert added.new_entities == ["jane-doe"]
    assert known_entities(story)["jane-doe"].label.en == "Jane Doe"
    source = load_corpus(story).sources[added.id]
    assert source.text == text
    assert source.licence == "CC-BY-SA-4.0"


def test_options_override_every_field(story: Path) -> None:
    overrides = Overrides(
        id="daily-example-musk",
        title="Musk v. OpenAI, again",
        author="Janet Doe",
        date=dt.date(2024, 8, 6),
        url="https://example.org/other",
        publisher="Example Media",
        language="en-gb",
        licence="CC-BY-4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        attribution="© Example Media, CC BY 4.0",
        note="Checked against the print edition.",
        retrieved=dt.datetime(2024, 8, 7, 9, 30, tzinfo=dt.UTC),
    )
    added = add_source(story, str(PAGES / "news-en.html"), overrides)
    meta = _meta(story, "daily-example-musk")
    assert added.id == "daily-example-musk"
    assert meta["title"] == "Musk v. OpenAI, again"
    assert meta["author"] == "janet-doe"
    assert meta["date"] == dt.date(2024, 8, 6)
    assert meta["url"] == "https://example.org/other"
    assert meta["publisher"] == "Example Media"
    assert meta["language"] == "en-gb"
    assert meta["licence"] == "CC-BY-4.0"
    assert meta["attribution"] == "© Example Media, CC BY 4.0"
    assert meta["note"] == "Checked against the print edition."
    assert meta["retrieved"] == dt.datetime(2024, 8, 7, 9, 30, tzinfo=dt.UTC)
    assert added.detected is None, "a language given is not detected"
    cleared = add_source(story, str(PAGES / "news-de-cp1252.html"), Overrides(author="", publisher=""))
    assert "author" not in _meta(story, cleared.id)
    assert "publisher" not in _meta(story, cleared.id)


def test_the_same_text_twice_is_refused_naming_the_source(story: Path, tmp_path: Path) -> None:
    first = add_source(story, str(PAGES / "news-en.html"))
    copy = tmp_path / "saved-again.html"
    copy.write_bytes((PAGES / "news-en.html").read_bytes().replace(b"Jane Doe", b"J. Doe"))  # other metadata, same article text
    before = _files(story)
    with pytest.raises(UsageError, match=f"already present: source {first.id} \\(sources/{first.id}.yaml\\) has the same text"):
        add_source(story, str(copy), Overrides(url="https://example.org/elsewhere"))
    assert _files(story) == before


def test_the_same_url_twice_is_refused_even_written_differently(story: Path, tmp_path: Path) -> None:
    first = add_source(story, str(PAGES / "news-en.html"))
    other = tmp_path / "other.txt"
    other.write_text("A different text\n\nWith different words in it, about something else entirely, at some length.\n", encoding="utf-8")
    with pytest.raises(UsageError, match=f"already present: source {first.id} .* has the same URL"):
        add_source(story, str(other), Overrides(url="HTTPS://News.Example.org:443/2024/08/05/musk-sues-openai-again/#comments"))


def test_the_first_sources_checksum_is_computed_when_its_metadata_has_none(tmp_path: Path) -> None:
    import shutil

    from helpers.run import DATA, SOURCE_ID

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    with pytest.raises(UsageError, match=f"already present: source {SOURCE_ID}"):
        add_source(data, str(DATA / "sources" / f"{SOURCE_ID}.txt"))


def test_an_author_is_one_entity_across_sources_and_a_known_name_is_copied(tmp_path: Path) -> None:
    story = init_project(tmp_path / "story", with_bundled_entities=True).data
    add_source(story, str(PAGES / "news-en.html"))
    other = tmp_path / "jane.txt"
    other.write_text("A second story\n\nThe board of OpenAI met again on Tuesday and agreed on nothing at all.\n", encoding="utf-8")
    second = add_source(story, str(other), Overrides(author="jane doe"))
    assert second.new_entities == []
    assert _meta(story, second.id)["author"] == "jane-doe"
    third = tmp_path / "elon.txt"
    third.write_text("A post\n\nI will keep fighting for an open OpenAI, whatever the courts decide about it.\n", encoding="utf-8")
    by_musk = add_source(story, str(third), Overrides(author="Elon Musk"))
    assert _meta(story, by_musk.id)["author"] == "musk"
    assert by_musk.new_entities == ["musk"]
    entities = yaml.safe_load((story / "entities.yaml").read_text(encoding="utf-8"))["entities"]
    assert [e["id"] for e in entities] == ["jane-doe", "musk"]
    assert entities[1]["wikidata"] == "Q317521", "copied whole from the known names"
    corpus = load_corpus(story)
    assert set(corpus.entities) == {"jane-doe", "musk"}


def test_comments_in_entities_yaml_survive_an_added_author(story: Path) -> None:
    entities = story / "entities.yaml"
    entities.write_text(
        "# My curated entities\nentities:\n  # people\n  - id: sam-altman  # the CEO\n    kind: person\n    label: {de: Sam Altman, en: Sam Altman}\n",
        encoding="utf-8",
    )
    add_source(story, str(PAGES / "news-en.html"))
    text = entities.read_text(encoding="utf-8")
    assert text.startswith("# My curated entities\nentities:\n  # people\n  - id: sam-altman  # the CEO\n")
    assert text.endswith("  - id: jane-doe\n    kind: person\n    label:\n      de: Jane Doe\n      en: Jane Doe\n")


def test_a_text_that_breaks_the_source_text_rules_is_refused_and_nothing_is_written(story: Path, tmp_path: Path) -> None:
    before = _files(story)
    for name, content, message in (
        ("bom.txt", b"\xef\xbb\xbfTitle\n\nText.\n", "byte-order mark"),
        ("latin1.txt", "Grüße aus Köln\n".encode("latin-1"), "not UTF-8"),
        ("empty.txt", b"  \n\n", "empty"),
        ("binary.txt", b"PK\x03\x04\x00\x00", "control character"),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(DataError, match=message) as caught:
            add_source(story, str(path))
        assert str(path) in str(caught.value), "the message names the file"
    assert _files(story) == before


def test_a_page_without_an_article_is_refused_and_nothing_is_written(story: Path) -> None:
    before = _files(story)
    with pytest.raises(DataError, match="no article text found"):
        add_source(story, str(PAGES / "no-article.html"))
    assert _files(story) == before


def test_an_edited_text_is_refused_by_the_build_naming_the_checksum(story: Path) -> None:
    added = add_source(story, str(PAGES / "news-en.html"))
    added.text_path.write_text(added.text_path.read_text(encoding="utf-8").replace("Monday", "Tuesday"), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_corpus(story)
    (problem,) = caught.value.problems
    assert problem.file == f"story/sources/{added.id}.yaml"
    assert problem.field == "sha256"
    assert problem.line is not None
    assert "changed since it was added" in problem.message


def test_the_language_is_detected_and_an_uncertain_guess_is_said(story: Path, tmp_path: Path) -> None:
    assert add_source(story, str(PAGES / "news-de-cp1252.html")).meta["language"] == "de"
    short = tmp_path / "short.txt"
    short.write_text("OpenAI\n\nTesla und OpenAI\n", encoding="utf-8")
    added = add_source(story, str(short))
    assert any("pass --language" in w for w in added.warnings)


def test_a_fetched_page_records_its_final_url_and_the_same_url_again_is_refused(story: Path) -> None:
    page = (
        (PAGES / "news-en.html")
        .read_bytes()
        .replace(b'<link rel="canonical" href="https://news.example.org/2024/08/05/musk-sues-openai-again">', b"")
    )
    with serving({"/go": redirect("/2024/musk"), "/2024/musk": html(page)}) as (base, _):
        added = add_source(story, f"{base}/go")
        assert added.meta["url"] == f"{base}/2024/musk"
        assert added.kind == "html"
        with pytest.raises(UsageError, match=f"already present: source {added.id} .* same (URL|text)"):
            add_source(story, f"{base}/2024/musk")


def test_a_fetched_plain_text_is_stored_as_utf_8(story: Path) -> None:
    body = "Ein Text\n\nÜber Köln und München, und die Straßen dazwischen, ausführlich beschrieben.\n"
    with serving({"/t": Reply(200, {"Content-Type": "text/plain; charset=iso-8859-1"}, body.encode("latin-1"))}) as (base, _):
        added = add_source(story, f"{base}/t")
    assert added.text_path.read_bytes() == body.encode("utf-8")


# -- the command, as a user types it ------------------------------------------------------


def test_kg_add_prints_what_it_wrote_and_json_for_scripts(tmp_path: Path) -> None:
    assert kg("init", "story", cwd=tmp_path).returncode == 0
    story = tmp_path / "story"
    result = kg("add", PAGES / "news-en.html", "-f", "json", cwd=story / "sources")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["data_dir"] == str(story.resolve())
    assert summary["id"].startswith("000_")
    assert summary["metadata"]["author"] == "jane-doe"
    assert summary["metadata"]["date"] == "2024-08-05"
    assert summary["language_detected"]["language"] == "en"
    assert Path(summary["text_file"]).is_file()
    again = kg("add", PAGES / "news-en.html", cwd=story)
    assert again.returncode == 2
    assert f"already present: source {summary['id']}" in again.stderr


def test_kg_add_prints_titles_literally(tmp_path: Path) -> None:
    assert kg("init", "story", cwd=tmp_path).returncode == 0
    result = kg("add", PAGES / "hostile.html", "--language", "en", cwd=tmp_path / "story")
    assert result.returncode == 0, result.stderr
    assert "[bold red]Breaking[/] <script> news" in result.stdout


def test_kg_add_outside_a_project_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    result = kg("add", PAGES / "news-en.html", cwd=tmp_path)
    assert result.returncode == 2
    assert "no project in" in result.stderr
    assert "kg init DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_kg_add_a_bad_text_exits_1_naming_the_file(tmp_path: Path) -> None:
    assert kg("init", "story", cwd=tmp_path).returncode == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Köln\n".encode("latin-1"))
    result = kg("add", bad, cwd=tmp_path / "story")
    assert result.returncode == 1
    assert f"{bad}:1: not UTF-8" in result.stderr
    assert list((tmp_path / "story" / "sources").iterdir()) == []


def test_kg_add_a_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    assert kg("init", "story", cwd=tmp_path).returncode == 0
    result = kg("add", PAGES / "news-en.html", "--date", "5 August", cwd=tmp_path / "story")
    assert result.returncode == 2
    assert "is not a date like 2024-03-06" in result.stderr


def test_a_fifo_in_the_sources_folder_does_not_hang_kg_add(story: Path, tmp_path: Path) -> None:
    """The duplicate check reads every source's files as the build does: regular files only."""
    import os

    (story / "sources" / "000_stuck.yaml").write_text("id: 000_stuck\ntitle: Stuck\nlanguage: en\n", encoding="utf-8")
    os.mkfifo(story / "sources" / "000_stuck.txt")
    article = tmp_path / "a.txt"
    article.write_text("A title\n\nA text long enough to be read as English by the language detector, surely.\n", encoding="utf-8")
    assert add_source(story, str(article)).id.startswith("001_")


def test_a_fifo_given_to_kg_add_is_refused(story: Path, tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(DataError, match="is a FIFO"):
        add_source(story, str(tmp_path / "pipe.txt"))
