"""From nothing to an answer, as a new user types it: kg init, kg add, statements, kg build, kg query."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from helpers.run import kg

ARTICLE = Path(__file__).parent.parent / "ingest" / "pages" / "news-en.html"

#: what a curator adds by hand after reading sources/<id>.txt
ENTITIES = """\
  - id: musk
    kind: person
    label: {de: Elon Musk, en: Elon Musk}
  - id: openai
    kind: organization
    label: {de: OpenAI, en: OpenAI}
"""


def test_a_new_project_from_an_html_page_to_a_quoted_answer(tmp_path: Path) -> None:
    assert kg("init", "story", cwd=tmp_path).returncode == 0
    story = tmp_path / "story"
    shutil.copy(ARTICLE, story / "article.html")
    added = kg("add", "article.html", cwd=story)
    assert added.returncode == 0, added.stderr
    source_id = next(p.stem for p in (story / "sources").glob("*.txt"))
    assert f"Added source {source_id}: Musk sues OpenAI again" in added.stdout
    text = (story / "sources" / f"{source_id}.txt").read_text(encoding="utf-8")
    quote = "Elon Musk sued OpenAI and its chief executive Sam Altman on Monday"
    assert quote in text, "the curator quotes the stored text"
    with (story / "entities.yaml").open("a", encoding="utf-8") as handle:
        handle.write(ENTITIES)
    statements = story / "statements" / f"{source_id}.yaml"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace(
            "statements: []\n",
            f"statements:\n  - subject: musk\n    predicate: sued\n    object: openai\n    voice: narration\n    quote: {quote}\n",
        ),
        encoding="utf-8",
    )
    built = kg("build", cwd=story / "statements")
    assert built.returncode == 0, built.stderr
    assert f"data: {story.resolve()} (the project found from" in built.stderr
    assert (story / "quotegraph-out" / "current" / "store").is_dir()
    answer = kg("query", "statements", "-f", "csv", cwd=story / "sources")
    assert answer.returncode == 0, answer.stderr
    rows = [(r["subject"], r["relation"], r["object"], r["asserted_by"], r["quote"]) for r in csv.DictReader(io.StringIO(answer.stdout))]
    assert rows == [("Elon Musk", "sued", "OpenAI", "Jane Doe", quote)], "narration is the author's, from the byline"
