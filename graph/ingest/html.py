"""The article text of an HTML page, as ``kg add`` stores it (trafilatura, offline).

PROVISIONAL: a thin call to trafilatura for ``kg extract page.html``, until ``kg add`` (branch
``ingest``) lands with the same function (``article_text(html) -> Article``, raising
:class:`NoArticle`); then that one is the only copy, so that the text ``kg extract`` drafts from
a page is exactly the text ``kg add`` stores and quotes are anchored in. Paragraphs are separated
by a blank line, as sources are written (the anchoring starts a sentence at every paragraph break).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.errors import EXIT_INVALID_DATA, QuotegraphError


class NoArticle(QuotegraphError):
    """The page has no main text that trafilatura can find."""

    exit_code = EXIT_INVALID_DATA


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None


def article_text(html: str | bytes, url: str | None = None) -> Article:
    """Main text and metadata of a page; navigation, footers and comments left out. Raises :class:`NoArticle`."""
    import trafilatura  # imported lazily: it pulls in lxml and its date parser

    found: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    doc: dict[str, Any] = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    body = str(doc.get("text") or "")
    if not body.strip():
        raise NoArticle("no article text found in the page")
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    return Article(
        text="\n\n".join(paragraphs) + "\n",
        title=doc.get("title") or None,
        author=doc.get("author") or None,
        date=doc.get("date") or None,
        site_name=doc.get("sitename") or None,
    )
