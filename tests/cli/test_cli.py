"""The ``kg`` command, driven the way a user types it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph
import pytest
from helpers.commands import READERS, READERS_NOT_COMPARED, READERS_WITHOUT_JSON
from helpers.inprocess import run_kg
from helpers.run import kg

from graph import paths
from graph.build.pipeline import Built
from graph.cli.app import app, load_commands

load_commands()
COMMANDS = [c.name for c in app.registered_commands]


def test_the_cli_has_the_documented_verbs() -> None:
    assert {"build", "validate", "query", "export", "stats"} <= set(COMMANDS)


def test_the_table_of_command_modules_names_every_registered_command_and_its_module() -> None:
    from graph.cli.app import COMMAND_MODULES

    registered = {str(c.name): c.callback.__module__ for c in app.registered_commands if c.callback is not None}
    registered |= {str(g.name): g.typer_instance.registered_commands[0].callback.__module__ for g in app.registered_groups}  # type: ignore[union-attr]
    assert registered == COMMAND_MODULES


def test_a_command_imports_only_its_own_module_and_the_shared_ones() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from graph.cli import main\n"
        "sys.argv = ['kg', 'neighbors', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('graph.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.strip().splitlines()[-1]
    assert "graph.cli.ask" in loaded
    for other in ("graph.cli.extract", "graph.cli.serve", "graph.cli.ingest", "graph.cli.view"):
        assert other not in loaded, loaded


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    result = kg(*args)
    assert result.returncode == 0
    assert "Usage:" in result.stdout
    assert "<bool>" not in result.stdout, "flags take no value; --help must not show a placeholder"
    if command is None:
        assert "Exit codes: 0 success, 1 invalid data, 2 usage or runtime error." in result.stdout


def test_build_from_any_directory_writes_one_output_folder_there(tmp_path: Path) -> None:
    result = kg("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["quotegraph-out"]
    out = tmp_path / "quotegraph-out" / "current"
    assert sorted(p.name for p in out.iterdir()) == ["build.json", "cache", "store", "view"], "exports are written on demand"
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["statements"] == 464  # 59 in the article, 405 in the five court orders
    assert manifest["counts"]["entities"] == 173
    assert "statements" in result.stdout
    assert "464" in result.stdout
    assert "Exports: on demand" in result.stdout


def test_build_json_summary_is_machine_readable(tmp_path: Path) -> None:
    result = kg("build", "--out", tmp_path / "o", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0
    summary = json.loads(result.stdout)
    assert summary["counts"]["derived_statements"] == 93
    assert summary["counts"]["quads"] == len(pyoxigraph.Store.read_only(str(Path(summary["build_dir"]) / "store")))


def test_the_base_iri_is_configurable(tmp_path: Path) -> None:
    result = kg("build", "--out", tmp_path / "o", "--base-iri", "https://news.example.org/kg/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    query = kg("query", "SELECT DISTINCT ?a WHERE { ?a qg:sued entity:xai }", "-f", "csv", "--build", tmp_path / "o")
    assert query.stdout.splitlines() == ["a", "https://news.example.org/kg/entity/openai"]  # the counterclaims


def test_a_bad_base_iri_is_a_usage_error(tmp_path: Path) -> None:
    result = kg("build", "--out", tmp_path / "o", "--base-iri", "not an iri", cwd=tmp_path)
    assert result.returncode == 2
    assert "base IRI" in result.stderr


def test_validate_writes_nothing_and_summarises(tmp_path: Path) -> None:
    result = kg("validate", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid"] is True
    assert list(tmp_path.iterdir()) == []


def test_without_a_project_the_bundled_demo_is_used_and_the_command_says_so(tmp_path: Path) -> None:
    result = kg("validate", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["data_from"] == "bundled"
    assert summary["data_dir"] == str(paths.bundled_data_dir())
    assert result.stderr == "", "with -f json the choice is said in the JSON; stderr holds only errors"
    result = kg("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"data: the bundled demo in {paths.bundled_data_dir()}: no project in {tmp_path.resolve()} or above" in result.stderr
    assert "kg init DIR starts one" in result.stderr


def test_query_formats(built: Built) -> None:
    query = (
        "SELECT ?who ?stance WHERE { ?who qg:opposes ?stance "
        "FILTER(?stance IN (entity:openai-should-be-open-source, entity:openai-should-be-for-profit)) } ORDER BY ?who ?stance"
    )
    as_json = json.loads(kg("query", query, "-f", "json", "--build", built.out.root).stdout)
    assert as_json["head"]["vars"] == ["who", "stance"]
    rows = [(b["who"]["value"].rsplit("/", 1)[1], b["stance"]["value"].rsplit("/", 1)[1]) for b in as_json["results"]["bindings"]]
    # that Musk opposes a for-profit OpenAI in the suit is the article author's judgement: in its claims graph, not a
    # direct triple; the direct one is the preliminary-injunction order's (Musk "annoyed" by the moves towards a for-profit)
    assert rows == [
        ("musk", "openai-should-be-for-profit"),
        ("musk", "openai-should-be-open-source"),
        ("sutskever", "openai-should-be-open-source"),
    ]
    as_csv = list(csv.reader(io.StringIO(kg("query", query, "-f", "csv", "--build", built.out.root).stdout)))
    assert as_csv[0] == ["who", "stance"]
    assert len(as_csv) == 4
    as_tsv = kg("query", query, "-f", "tsv", "--build", built.out.root).stdout.splitlines()
    assert as_tsv[0] == "?who\t?stance"
    assert as_tsv[1] == "<https://w3id.org/quotegraph/id/entity/musk>\t<https://w3id.org/quotegraph/id/entity/openai-should-be-for-profit>"
    table = kg("query", query, "--build", built.out.root)
    assert "entity:sutskever" in table.stdout
    assert "3 row(s)" in table.stderr


def test_query_json_matches_what_oxigraph_itself_serialises(built: Built, store: pyoxigraph.Store) -> None:
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label LIMIT 20"
    ours = pyoxigraph.parse_query_results(
        kg("query", query, "-f", "json", "--build", built.out.root).stdout.encode(), pyoxigraph.QueryResultsFormat.JSON
    )
    reference = store.query(query, use_default_graph_as_union=True)
    assert [tuple(row) for row in ours] == [tuple(row) for row in reference]  # type: ignore[union-attr]


def test_ask_and_construct(built: Built) -> None:
    ask = kg("query", "ASK { entity:musk qg:sued entity:openai }", "-f", "json", "--build", built.out.root)
    assert json.loads(ask.stdout) == {"head": {}, "boolean": True}
    construct = kg("query", "CONSTRUCT { ?a qg:sued ?b } WHERE { ?a qg:sued ?b }", "--build", built.out.root)
    assert construct.returncode == 0
    triples = list(pyoxigraph.parse(construct.stdout.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == 26  # the article's suit, Musk v. Altman (three plaintiffs), and OpenAI's counterclaims
    assert {t.subject.value.rsplit("/", 1)[1] for t in triples} == {"musk", "xai", "zilis", "openai"}


def test_bundled_queries_run_by_name_and_are_listed(built: Built) -> None:
    listing = kg("query", "--list", "--build", built.out.root)
    assert "who-sued-whom" in listing.stdout
    result = kg("query", "who-sued-whom", "-f", "csv", "--build", built.out.root)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 65
    (article,) = [r for r in rows if r["asserted_by"] == "Oscar"]
    assert article["quote"] == "Elon Musk reichte eine Klage gegen OpenAI ein"


def test_a_query_from_a_file(built: Built, tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a qg:Person }\n", encoding="utf-8")
    result = kg("query", path, "-f", "csv", "--build", built.out.root)
    assert result.stdout.splitlines() == ["n", "14"]


def test_an_unknown_bundled_query_suggests_names(built: Built) -> None:
    result = kg("query", "who-sued", "--build", built.out.root)
    assert result.returncode == 2
    assert "did you mean who-sued-whom" in result.stderr


def test_export_to_stdout_and_to_a_file(built: Built, tmp_path: Path) -> None:
    result = kg("export", "-f", "nquads", "--build", built.out.root)
    assert result.returncode == 0
    assert len(set(pyoxigraph.parse(result.stdout.encode(), format=pyoxigraph.RdfFormat.N_QUADS))) == built.counts["quads"]
    target = tmp_path / "sub" / "graph.ttl"
    result = kg("export", "-f", "turtle", "-o", target, "--build", built.out.root)
    assert result.returncode == 0
    assert target.read_bytes() == built.exports["turtle"].read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"], "no temporary file left behind"


def test_an_unknown_export_format_is_a_usage_error(built: Built) -> None:
    result = kg("export", "-f", "yaml", "--build", built.out.root)
    assert result.returncode == 2


def test_stats_reads_the_store(built: Built) -> None:
    result = kg("stats", "-f", "json", "--build", built.out.root)
    stats = json.loads(result.stdout)
    assert stats["quads"] == built.counts["quads"]
    assert stats["entities_by_kind"]["person"] == 14
    assert stats["statements_by_predicate"]["sued"] == 75  # shortcuts: one per filing and defendant statement pair


COMPARED_READERS = {
    name: [*args, "-f", "json"] for name, args in READERS.items() if name not in READERS_NOT_COMPARED
} | READERS_WITHOUT_JSON


@pytest.mark.parametrize("name", sorted(COMPARED_READERS))
def test_every_reading_command_takes_a_build_folder_as_well_as_an_output_folder(built: Built, name: str) -> None:
    """``--build`` names the build to read: the output folder (its current build) or one build folder in it."""
    args = COMPARED_READERS[name]
    by_folder = run_kg(*args, "--build", built.out.root)
    by_build = run_kg(*args, "--build", built.out.current())
    assert by_folder.exit_code == 0, by_folder.stderr
    assert by_build.exit_code == 0, by_build.stderr
    assert by_folder.stdout, "a reader that prints nothing compares nothing"
    assert by_build.stdout == by_folder.stdout


def test_version(built: Built) -> None:
    result = kg("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("quotegraph ")
