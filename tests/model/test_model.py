"""Model rules that the bundled data does not exercise: offices, derived ids, chain attribution."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from graph.build.pipeline import build, check
from graph.sources.loader import derive_statement_id
from graph.store.builds import OutDir

OFFICE_ENTITIES = """
  - id: tesla-ceo
    kind: office
    label: {de: Vorstandschef von Tesla, en: CEO of Tesla}
"""


def _append_statements(data: Path, text: str) -> None:
    path = data / "statements" / "000_bb9b70fb7da9f08b.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n" + text, encoding="utf-8")


def test_an_office_is_a_w3c_org_post_held_by_a_person(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "entities.yaml").write_text((data_copy / "entities.yaml").read_text(encoding="utf-8") + OFFICE_ENTITIES, encoding="utf-8")
    _append_statements(
        data_copy,
        """
  - subject: musk
    predicate: holdsOffice
    object: tesla-ceo
    voice: narration
    quote: Elon Musk reichte eine Klage gegen OpenAI ein
    note: test fixture only; the article names no office
  - subject: tesla-ceo
    predicate: officeIn
    object: tesla
    voice: narration
    quote: Elon Musk reichte eine Klage gegen OpenAI ein
""",
    )
    built = build(data_copy, OutDir(tmp_path / "out"))
    store = built.out.open_store()
    post = pyoxigraph.NamedNode("http://www.w3.org/ns/org#Post")
    office = pyoxigraph.NamedNode("https://w3id.org/quotegraph/id/entity/tesla-ceo")
    assert any(
        True for _ in store.quads_for_pattern(office, pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), post, None)
    )
    holds = [
        q.subject.value
        for q in store.quads_for_pattern(None, pyoxigraph.NamedNode("https://w3id.org/quotegraph/ontology#holdsOffice"), office, None)
    ]
    assert holds == ["https://w3id.org/quotegraph/id/entity/musk"]


def test_a_statement_without_an_id_gets_a_stable_one_from_its_content(data_copy: Path) -> None:
    _append_statements(
        data_copy,
        """
  - subject: musk
    predicate: cutTiesWith
    object: openai
    voice: narration
    quote: Seitdem hat Elon die Verbindung zum Unternehmen abgebrochen und sich natürlich anderen Dingen gewidmet.
""",
    )
    first = check(data_copy)
    second = check(data_copy)
    ids = [i for i in first.corpus.statements if i.startswith("s-")]
    assert len(ids) == 1
    assert ids[0].startswith("s-")
    assert ids[0] in second.corpus.statements
    stmt = first.corpus.statements[ids[0]]
    assert ids[0] == derive_statement_id(
        stmt.source, stmt.subject, stmt.predicate, stmt.object, stmt.value, stmt.quote.start, stmt.quote.end
    )


def test_a_chain_over_two_assertors_is_not_derived(data_copy: Path) -> None:
    path = data_copy / "statements" / "000_bb9b70fb7da9f08b.yaml"
    text = path.read_text(encoding="utf-8")
    marker = (
        "  - id: lawsuit-against-openai\n    subject: musk-v-openai\n    predicate: defendant\n    object: openai\n    voice: narration\n"
    )
    assert marker in text
    path.write_text(text.replace(marker, marker.replace("voice: narration\n", "voice: claim\n    asserted_by: musk\n")), encoding="utf-8")
    derived = check(data_copy).derived
    assert "sued" not in {d.predicate for d in derived.values()}


def test_a_plaintiff_statement_counts_as_filed_for_the_sued_shortcut(data_copy: Path) -> None:
    """qg:plaintiff is declared the inverse of qg:filed, so a text that makes the lawsuit the subject still gives "sued"."""
    path = data_copy / "statements" / "000_bb9b70fb7da9f08b.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  - id: musk-filed-lawsuit\n    subject: musk\n    predicate: filed\n    object: musk-v-openai\n"
    assert marker in text
    path.write_text(
        text.replace(marker, "  - id: musk-filed-lawsuit\n    subject: musk-v-openai\n    predicate: plaintiff\n    object: musk\n"),
        encoding="utf-8",
    )
    sued = [d for d in check(data_copy).derived.values() if d.predicate == "sued"]
    assert [(d.subject, d.object, d.derived_from) for d in sued] == [("musk", "openai", ("musk-filed-lawsuit", "lawsuit-against-openai"))]
