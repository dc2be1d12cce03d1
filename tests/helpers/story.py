"""A small story told by two dated sources, written for these tests (no text from elsewhere).

Jane Roe, chief executive of Acme, first says Acme should stay independent (source one, March
2024) and later backs a merger with Globex (source two, September 2024). The two stances are
declared to negate each other, so Roe's positions contradict each other across the sources;
each source dates one of the statements itself (``date:``) and leaves the other to its
publication date. The texts are the tests' own (CC0), so they may live in the repository.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

ONE, TWO = "roe-2024-03", "roe-2024-09"

TEXT_ONE = (
    "Acme will stay on its own, its chief executive Jane Roe said on 2 February 2024.\n"
    "\n"
    "“Acme should stay independent,” Roe told shareholders.\n"
)
TEXT_TWO = (
    "Jane Roe has changed course. On 10 September 2024 Roe said that Acme should merge with Globex.\n"
    "\n"
    "“A merger with Globex is the best way forward,” she wrote to staff. Globex welcomed the news.\n"
)

ENTITIES = """\
# Entities of the test story.
entities:
  - id: planet
    kind: organization
    label: {de: Daily Planet, en: Daily Planet}

  - id: roe
    kind: person
    label: {de: Jane Roe, en: Jane Roe}
    aliases: {de: [Roe], en: [Roe]}

  - id: acme
    kind: organization
    label: {de: Acme, en: Acme}
    wikidata: Q4000001

  - id: globex
    kind: organization
    label: {de: Globex, en: Globex}

  - id: acme-should-stay-independent
    kind: stance
    label: {de: Acme soll unabhängig bleiben, en: Acme should stay independent}

  - id: acme-should-merge-with-globex
    kind: stance
    label: {de: Acme soll mit Globex fusionieren, en: Acme should merge with Globex}
    negates: [acme-should-stay-independent]
"""

STATEMENTS_ONE = f"""\
source: {ONE}
statements:
  # dated by the source itself
  - id: roe-independent-said
    subject: roe
    predicate: supports
    object: acme-should-stay-independent
    voice: narration
    quote: Acme will stay on its own, its chief executive Jane Roe said on 2 February 2024.
    date: 2024-02-02

  # dated only by the source's publication
  - id: roe-independent-quote
    subject: roe
    predicate: supports
    object: acme-should-stay-independent
    voice: quotation
    asserted_by: roe
    quote: Acme should stay independent

  - id: independence-concerns-acme
    subject: acme-should-stay-independent
    predicate: concerns
    object: acme
    voice: narration
    quote: Acme will stay on its own
"""

STATEMENTS_TWO = f"""\
source: {TWO}
statements:
  - id: roe-merger-said
    subject: roe
    predicate: supports
    object: acme-should-merge-with-globex
    voice: narration
    quote: On 10 September 2024 Roe said that Acme should merge with Globex.
    date: 2024-09-10

  - id: roe-merger-quote
    subject: roe
    predicate: supports
    object: acme-should-merge-with-globex
    voice: quotation
    asserted_by: roe
    quote: A merger with Globex is the best way forward

  - id: globex-welcomed-merger
    subject: globex
    predicate: supports
    object: acme-should-merge-with-globex
    voice: narration
    quote: Globex welcomed the news.
"""


def _source(ident: str, title: str, date: str) -> str:
    return textwrap.dedent(
        f"""\
        id: {ident}
        title: {title}
        author: planet
        language: en
        date: {date}
        publisher: Daily Planet (a fictional paper of the quotegraph tests)
        licence: CC0-1.0
        licence_url: https://creativecommons.org/publicdomain/zero/1.0/
        attribution: Written for the quotegraph tests; no rights reserved.
        """
    )


def write_story(root: Path) -> Path:
    """Write the two-source data folder under ``root/data`` and return it."""
    data = root / "data"
    (data / "sources").mkdir(parents=True)
    (data / "statements").mkdir()
    (data / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    (data / "sources" / f"{ONE}.txt").write_text(TEXT_ONE, encoding="utf-8")
    (data / "sources" / f"{ONE}.yaml").write_text(_source(ONE, "Acme will stay on its own", "2024-03-01"), encoding="utf-8")
    (data / "sources" / f"{TWO}.txt").write_text(TEXT_TWO, encoding="utf-8")
    (data / "sources" / f"{TWO}.yaml").write_text(_source(TWO, "Roe changes course", "2024-09-15"), encoding="utf-8")
    (data / "statements" / f"{ONE}.yaml").write_text(STATEMENTS_ONE, encoding="utf-8")
    (data / "statements" / f"{TWO}.yaml").write_text(STATEMENTS_TWO, encoding="utf-8")
    return data
