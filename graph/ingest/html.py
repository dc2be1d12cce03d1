"""The article text of an HTML page, as ``kg add`` stores it (trafilatura, offline).

PROVISIONAL: a thin call to trafilatura for ``kg extract page.html``, until ``kg add`` (branch
``ingest``) lands; the two must share this one function, so that the text ``kg extract``
drafts from a page is exactly the text ``kg add`` would store and quotes are anchored in.
Paragraphs are separated by a blank line, as sources are written (the anchoring starts a
sentence at every paragraph break).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Article:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None


def article_text(html: str) -> Article:
    """Main text and metadata of a page; navigation, footers and comments left out."""
    import trafilatura  # imported lazily: it pulls in lxml and its date parser

    found: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    doc: dict[str, Any] = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    body = str(doc.get("text") or "")
    if not body.strip():
        return Article(text="")
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    return Article(
        text="\n\n".join(paragraphs) + "\n",
        title=doc.get("title") or None,
        author=doc.get("author") or None,
        date=doc.get("date") or None,
        site_name=doc.get("sitename") or None,
    )
