"""The article in an HTML page: the main text only, with title, author, date, site and licence; never fetched, never run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.ingest.html import NoArticle, article_text
from graph.sources.text import read_source_text

PAGES = Path(__file__).parent / "pages"

NEWS_EN_TEXT = """\
Musk sues OpenAI again

Elon Musk sued OpenAI and its chief executive Sam Altman on Monday, reviving a dispute over the company's founding mission. The complaint was filed in federal court in Northern California.

According to the filing, Musk says he was “deceived” into co-founding the company.
OpenAI did not immediately respond to a request for comment.

A long dispute

OpenAI was founded in 2015 as a non-profit research laboratory. Musk left its board in 2018 and later founded xAI, a rival company that builds its own models.

Microsoft, which has invested billions of dollars in OpenAI, is also named in the complaint.
"""


def test_navigation_footers_comments_and_scripts_are_left_out_of_the_article_text() -> None:
    article = article_text((PAGES / "news-en.html").read_bytes())
    assert article.text == NEWS_EN_TEXT
    for chrome in ("Technology", "cookies", "Related articles", "gadgetfan99", "publicity stunt", "All rights reserved", "tracking code"):
        assert chrome not in article.text


def test_title_author_date_site_licence_and_url_come_from_the_page() -> None:
    article = article_text((PAGES / "news-en.html").read_bytes())
    assert article.title == "Musk sues OpenAI again"
    assert article.author == "Jane Doe"
    assert article.date == dt.date(2024, 8, 5)
    assert article.site_name == "The Daily Example"
    assert article.licence == "CC-BY-SA-4.0"
    assert article.licence_url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert article.url == "https://news.example.org/2024/08/05/musk-sues-openai-again"
    assert article.declared_language == "en"


def test_a_german_page_in_windows_1252_with_json_ld_metadata() -> None:
    article = article_text((PAGES / "news-de-cp1252.html").read_bytes())
    assert article.title == "Tesla-Chef Musk verklagt OpenAI"
    assert article.author == "Jürgen Müller"
    assert article.date == dt.date(2024, 3, 1), "the publication date, not the modification date"
    assert article.site_name == "Nachrichten aus aller Welt"
    assert "„Das ist ein Verrat an der Gründungsidee“, heißt es in der Klageschrift." in article.text
    assert "Leserkommentare" not in article.text
    assert "Impressum" not in article.text


def test_paragraphs_are_separated_by_blank_lines_and_a_line_break_stays_one_newline() -> None:
    paragraphs = article_text((PAGES / "news-en.html").read_bytes()).text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[2] == (
        "According to the filing, Musk says he was “deceived” into co-founding the company.\n"
        "OpenAI did not immediately respond to a request for comment."
    )


def test_hostile_html_is_kept_as_text_and_its_scripts_are_not_run_or_kept(tmp_path: Path) -> None:
    article = article_text((PAGES / "hostile.html").read_bytes())
    text = article.text
    assert 'The text of this article talks about <script>alert("xss")</script> tags, which must stay text & never run.' in text
    assert "[bold]this[/bold]" in text
    assert ":smile:" in text
    for executable in ("document.write", "Injected by a script", "steal", "alert('click')", "onload", "color: red", "enable JavaScript"):
        assert executable not in text
    assert article.title == "[bold red]Breaking[/] <script> news"
    stored = tmp_path / "text.txt"
    stored.write_bytes(text.encode("utf-8"))
    assert read_source_text(stored, tmp_path)[0] == text, "the stored text passes the source-text rules (no control characters)"


def test_a_control_character_reference_no_longer_loses_the_whole_page() -> None:
    """Regression: ``&#7;`` in a paragraph made lxml give up, and trafilatura found no article at all."""
    article = article_text((PAGES / "hostile.html").read_bytes())
    assert "a bell character and a NUL reference." in article.text


def test_a_page_without_an_article_is_refused() -> None:
    with pytest.raises(NoArticle, match="no article text found"):
        article_text((PAGES / "no-article.html").read_bytes())
    with pytest.raises(NoArticle):
        article_text(b"")


def test_nothing_is_fetched_while_reading_a_page(listener: tuple[str, list[object]]) -> None:
    base, connections = listener
    page = (
        f'<html><head><link rel="canonical" href="{base}/canonical"><link rel="stylesheet" href="{base}/style.css">'
        f'<script src="{base}/app.js"></script></head><body><article><p>{"A sentence that is long enough to be an article. " * 3}</p>'
        f'<img src="{base}/image.png"><iframe src="{base}/frame"></iframe></article></body></html>'
    )
    article = article_text(page, url=f"{base}/article")
    assert article.text.startswith("A sentence that is long enough")
    with pytest.raises(NoArticle):
        article_text(f"{base}/a-page-that-is-only-a-url")  # htmldate would download a string like this
    assert connections == []
