"""One error style for every command: `error:` lines and a summary, or one JSON object on stderr with -f json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers.commands import (
    READERS,
    READERS_NOT_COMPARED,
    READERS_WITHOUT_JSON,
    WITHOUT_JSON,
    all_commands,
    commands_offering_json,
    commands_reading_a_build,
)
from helpers.inprocess import crashed, run_kg
from helpers.run import DATA, kg

from graph.build.pipeline import Built

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


def test_every_command_that_prints_a_report_offers_json() -> None:
    """Every command of every group, walked from the app: a new one without -f json fails here."""
    assert all_commands() - commands_offering_json() == set(WITHOUT_JSON)


def test_every_command_that_reads_a_build_is_run_by_the_tests() -> None:
    assert commands_reading_a_build() == set(READERS) | set(READERS_WITHOUT_JSON) | set(READERS_NOT_COMPARED)


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
