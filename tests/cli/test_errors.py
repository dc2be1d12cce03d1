"""One error style for every command: `error:` lines and a summary, or one JSON object on stderr with -f json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers.inprocess import crashed, run_kg
from helpers.run import DATA, kg

from graph.build.pipeline import Built
from graph.cli.app import app, load_commands

ERROR_KEYS = {"code", "message", "exit_code", "problems"}


def _json_error(result: Any) -> dict[str, Any]:
    assert not crashed(result), result.exception
    body = json.loads(result.stderr)
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) == ERROR_KEYS
    assert error["exit_code"] == result.exit_code
    assert result.stdout == "", "results only on stdout, and there are none"
    return error


def _commands_with_json() -> list[str]:
    """The commands whose --format offers json (export's --format names RDF formats: jsonld)."""
    import inspect

    found = []
    load_commands()
    for command in app.registered_commands:
        parameter = inspect.signature(command.callback).parameters.get("format")  # type: ignore[arg-type]
        if parameter is not None and command.name != "export":
            annotation = parameter.annotation
            choices = {str(member.value) for member in parameter.default.__class__}
            assert "json" in choices, (command.name, annotation)
            found.append(str(command.name))
    return sorted(found)


READERS = {
    "lookup": ["lookup", "musk"],
    "neighbors": ["neighbors", "musk"],
    "path": ["path", "musk", "openai"],
    "central": ["central"],
    "communities": ["communities"],
    "contradictions": ["contradictions"],
    "sources": ["sources"],
    "timeline": ["timeline", "musk"],
    "stats": ["stats"],
    "query": ["query", "ASK {}"],
    "push": ["push", "--endpoint", "http://127.0.0.1:9/store"],
}


def test_every_command_with_output_offers_json() -> None:
    assert _commands_with_json() == sorted([*READERS, "add", "build", "diff", "extract", "init", "validate", "vocabulary"])


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_missing_build_is_one_json_error_on_stderr_for_every_reader(name: str, tmp_path: Path) -> None:
    result = run_kg(*READERS[name], "--build", tmp_path / "nothing", "-f", "json")
    assert result.exit_code == 2
    error = _json_error(result)
    assert (error["code"], error["problems"]) == ("store-error", [])
    assert "no graph built in" in error["message"]
    text = run_kg(*READERS[name], "--build", tmp_path / "nothing")
    assert text.stderr.startswith("error: no graph built in")
    assert len(text.stderr.strip().splitlines()) == 1


def test_invalid_data_lists_every_problem_with_file_line_and_field(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    entities = data / "entities.yaml"
    text = (
        entities.read_text(encoding="utf-8")
        .replace("  - id: oscar\n", "  - id: Oscar Wilde\n", 1)
        .replace("kind: person", "kind: persona", 1)
    )
    entities.write_text(text, encoding="utf-8")
    for command in ("validate", "build"):
        args = [command, "--data", data] + (["--out", tmp_path / "out"] if command == "build" else [])
        result = run_kg(*args, "-f", "json")
        assert result.exit_code == 1
        error = _json_error(result)
        assert error["code"] == "invalid-data"
        assert len(error["problems"]) >= 2
        assert all(p["file"].endswith("entities.yaml") and isinstance(p["line"], int) and p["field"] for p in error["problems"])
        assert error["message"] == f"{len(error['problems'])} problem(s) in the data; nothing was written."
        lines = run_kg(*args).stderr.strip().splitlines()[-(len(error["problems"]) + 1) :]  # after the progress bars
        assert [line.startswith("error: ") for line in lines] == [True] * len(error["problems"]) + [False]
        assert lines[-1] == error["message"]
    assert not (tmp_path / "out").exists()


def test_a_refused_query_names_its_rule(built: Built) -> None:
    result = run_kg("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "-f", "json", "--build", built.out.root)
    assert result.exit_code == 2
    assert _json_error(result)["code"] == "service-refused"


def test_an_unknown_entity_is_not_found(built: Built) -> None:
    result = run_kg("lookup", "nobody-at-all", "-f", "json", "--build", built.out.root)
    assert _json_error(result)["code"] == "not-found"


def test_a_bad_option_is_an_error_like_any_other() -> None:
    """Typer's boxed usage errors are replaced by the one style (checked on the installed command)."""
    result = kg("query", "who-sued-whom", "--lang", "xx")
    assert result.returncode == 2
    assert result.stderr == "error: Invalid value for '--lang': 'xx' is not one of 'en', 'de'. (kg query --help)\n"
    as_json = kg("query", "who-sued-whom", "--lang", "xx", "-f", "json")
    error = json.loads(as_json.stderr)["error"]
    assert (error["code"], error["exit_code"]) == ("usage-error", 2)
    assert kg("nosuch").stderr == "error: No such command 'nosuch'. (kg --help)\n"


def test_the_bundled_queries_are_listed_as_json(built: Built) -> None:
    result = run_kg("query", "--list", "-f", "json")
    assert result.exit_code == 0, result.stderr
    listed = {q["name"]: q for q in json.loads(result.stdout)["queries"]}
    assert "who-sued-whom" in listed
    assert {p["name"]: p["kind"] for p in listed["quotes-about"]["params"]}["entity"] == "entity"
