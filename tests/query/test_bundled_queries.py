"""Every bundled query, run on the bundled data, returns exactly the rows in tests/query/expected/<name>.expected.json.

Each expected file lists cases: the parameters as a user types them (names, not IRIs: they go
through the same lookup as `kg query --param`), the label language, the columns and every row
(plain values; a column missing from a row is unbound). The rows were checked by hand against
data/statements/*.yaml; a change in a query or in the data that changes an answer fails here.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from helpers.inprocess import crashed, run_kg
from helpers.run import kg
from rich.console import Console

from graph.build.pipeline import Built
from graph.model.lang import Lang
from graph.query.params import resolve_params
from graph.query.results import term_plain, write_table
from graph.query.run import bundled_queries, run_query

EXPECTED = Path(__file__).resolve().parent / "expected"
QUERIES = bundled_queries()
KINDS = {"entity", "statement", "lang", "text"}


def _cases(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((EXPECTED / f"{name}.expected.json").read_text(encoding="utf-8"))["cases"]
    return cases


def test_every_bundled_query_has_expected_rows_and_every_expected_file_a_query() -> None:
    assert {p.name.removesuffix(".expected.json") for p in EXPECTED.glob("*.expected.json")} == set(QUERIES)
    assert {"who-sued-whom", "relations-of", "quotes-about", "stances-of", "claims-by", "sources-of", "timeline", "contradictions"} <= set(
        QUERIES
    )


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_bundled_query_documents_itself(name: str) -> None:
    query = QUERIES[name]
    assert query.title, "a header line # title:"
    assert query.description, "header lines # description:"
    assert set(query.param_kinds.values()) <= KINDS
    for param in query.params:
        assert f"?{param}" in query.text, f"parameter {param} is declared but not used"
    assert all(query.params.values()), "every parameter says what it is"


@pytest.mark.parametrize(("name", "case"), [(n, i) for n in sorted(QUERIES) for i in range(len(_cases(n)))])
def test_bundled_query_returns_its_expected_rows(store: pyoxigraph.Store, name: str, case: int) -> None:
    expected = _cases(name)[case]
    query = QUERIES[name]
    given = {k: pyoxigraph.Literal(v) for k, v in expected["params"].items()}
    result = run_query(store, query.text, params=resolve_params(store, query, given, Lang(expected["lang"])))
    rows = [{v: term_plain(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]
    assert result.variables == expected["columns"]
    assert rows == expected["rows"]
    assert rows, "an example that returns nothing shows nothing"


def test_every_entity_query_answers_the_same_for_an_id_a_label_and_an_alias(store: pyoxigraph.Store) -> None:
    query = QUERIES["stances-of"]
    answers = []
    for name in ("musk", "Elon Musk", "ELON", "musk ", "Músk"):
        params = resolve_params(store, query, {"person": pyoxigraph.Literal(name)})
        answers.append(run_query(store, query.text, params=params).rows)
    assert all(a == answers[0] for a in answers)
    assert len(answers[0]) == len(_cases("stances-of")[0]["rows"]) == 74  # 14 in the article, 60 in the court orders


def test_labels_follow_the_language_and_quotes_stay_german(store: pyoxigraph.Store) -> None:
    query = QUERIES["said-in"]
    rows = {}
    for lang in Lang:
        params = resolve_params(store, query, {"event": pyoxigraph.Literal("Klage")}, lang)
        result = run_query(store, query.text, params=params)
        rows[lang] = [dict(zip(result.variables, (term_plain(t) for t in row), strict=True)) for row in result.rows]
    assert [r["relation"] for r in rows[Lang.en]][:2] == ["supports", "profit machine for"]
    assert [r["relation"] for r in rows[Lang.de]][:2] == ["unterstützt", "Profitmaschine für"]
    assert [r["quote"] for r in rows[Lang.en]] == [r["quote"] for r in rows[Lang.de]]
    assert [r["translation"] for r in rows[Lang.en]] == [r["translation"] for r in rows[Lang.de]]


def test_kg_query_binds_an_entity_named_by_alias(built: Built) -> None:
    result = kg("query", "relations-of", "--param", "entity=Ilya", "-f", "json", "--build", built.out.root)
    assert result.returncode == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert [b["statement"]["value"] for b in bindings] == [r["statement"] for r in _cases("relations-of")[0]["rows"]]
    german = kg("query", "relations-of", "-p", "entity=Ilya", "--lang", "de", "-f", "csv", "--build", built.out.root)
    # German labels for relation, entity and voice; the quote stays in its source's language
    assert any(line.startswith("out,schrieb per E-Mail an,Elon Musk,Bericht,Oscar,") for line in german.stdout.splitlines()[1:])
    assert any(line.startswith("out,Mitgründer von,OpenAI,Bericht,") for line in german.stdout.splitlines()[1:])


def test_kg_query_lists_every_bundled_query_with_its_parameters(built: Built) -> None:
    listing = run_kg("query", "--list", "--build", built.out.root).stdout
    for name, query in QUERIES.items():
        assert name in listing
        assert all(p in listing for p in query.params if p != "lang")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["relations-of"], "relations-of needs --param entity=VALUE"),
        (["relations-of", "-p", "entity=mircosoft"], "did you mean microsoft (Microsoft)"),
        (["relations-of", "-p", "entity=musk", "-p", "who=x"], "relations-of has no parameter 'who'"),
        (["sources-of", "-p", "statement=musk-agred-with-sutskever"], "did you mean musk-agreed-with-sutskever"),
        (["timeline", "--lang", "fr"], "Invalid value for '--lang'"),
        (["timeline", "-p", "lang=fr"], "'fr' is not a label language"),
    ],
)
def test_a_wrong_parameter_is_a_one_line_usage_error(built: Built, args: list[str], message: str) -> None:
    result = run_kg("query", *args, "--build", built.out.root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not crashed(result)


def test_an_explicit_iri_is_bound_as_given(built: Built) -> None:
    result = run_kg("query", "quotes-about", "-p", "entity=entity:microsoft", "-f", "csv", "--build", built.out.root)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1 + len(_cases("quotes-about")[0]["rows"])


def test_a_result_too_wide_for_the_terminal_is_shown_as_records(store: pyoxigraph.Store) -> None:
    query = QUERIES["said-in"]
    result = run_query(store, query.text, params=resolve_params(store, query, {"event": pyoxigraph.Literal("Klage")}))
    narrow, wide = Console(width=100, file=io.StringIO()), Console(width=200, file=io.StringIO())
    write_table(result, narrow, {}, "said-in")
    write_table(result, wide, {}, "said-in")
    records = narrow.file.getvalue()  # type: ignore[attr-defined]
    assert "┏" not in records
    assert records.count("\nquote ") == len(result.rows) == 8
    assert "quote         Er behauptet, dass OpenAI Open-Source sein sollte" in records, "a whole quote on one line"
    assert "┏" in wide.file.getvalue()  # type: ignore[attr-defined]
