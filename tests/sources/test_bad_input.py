"""Bad input gets one clear line naming file, line and field, a non-zero exit, and changes nothing.

Each case breaks a copy of the bundled data the way a curator might, runs ``kg build`` over an
output folder that already holds a good build, and checks the message, the exit code, and that
the previous store and exports are byte-for-byte untouched.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.run import DATA, SOURCE_ID, kg

from graph.build.pipeline import build
from graph.errors import DataError
from graph.sources.text import read_source_text
from graph.store.builds import OutDir

STATEMENTS = f"statements/{SOURCE_ID}.yaml"
SOURCE_TXT = f"sources/{SOURCE_ID}.txt"


def _edit(data: Path, relative: str, old: str, new: str, count: int = 1) -> int:
    """Replace text in a data file; return the 1-based line where the change starts."""
    path = data / relative
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text.count("\n", 0, at) + 1


def _line_of(data: Path, relative: str, needle: str, start_after: str | None = None) -> int:
    text = (data / relative).read_text(encoding="utf-8")
    offset = text.index(start_after) if start_after else 0
    return text.count("\n", 0, text.index(needle, offset)) + 1


def _fingerprint(out: Path) -> dict[str, str]:
    current = (out / "current").resolve()
    files = {str(p.relative_to(current)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(current.rglob("*")) if p.is_file()}
    return {"current": str(current), **files}


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good") / "quotegraph-out"
    build(DATA, OutDir(out))
    return out


@pytest.fixture
def previous(good_build: Path, tmp_path: Path) -> Path:
    out = tmp_path / "quotegraph-out"
    shutil.copytree(good_build, out, symlinks=True)
    return out


Case = Callable[[Path], tuple[str, str]]  # breaks the data, returns (expected message regex, file:line)


def malformed_yaml(data: Path) -> tuple[str, str]:
    line = _edit(data, "entities.yaml", "  - id: tesla\n    kind: organization", "  - id: tesla\n   kind: [organization")
    return r"invalid YAML", f"data/entities.yaml:{line + 1}"


def unknown_entity(data: Path) -> tuple[str, str]:
    _edit(data, STATEMENTS, "subject: sutskever\n    predicate: sent", "subject: sutskevr\n    predicate: sent")
    line = _line_of(data, STATEMENTS, "subject: sutskevr")
    return r"statements\[\d+\]\.subject: unknown entity 'sutskevr' \(did you mean 'sutskever'", f"data/{STATEMENTS}:{line}"


def duplicate_entity_id(data: Path) -> tuple[str, str]:
    _edit(data, "entities.yaml", "  - id: google\n", "  - id: microsoft\n")
    line = _line_of(data, "entities.yaml", "- id: microsoft", start_after="label: {de: Microsoft")
    return r"entities\[\d+\]\.id: duplicate entity id 'microsoft' \(first at data/entities.yaml:\d+\)", f"data/entities.yaml:{line}"


def duplicate_statement_id(data: Path) -> tuple[str, str]:
    _edit(data, STATEMENTS, "  - id: musk-cut-ties-with-openai\n", "  - id: musk-filed-lawsuit\n")
    line = _line_of(
        data,
        STATEMENTS,
        "id: musk-filed-lawsuit",
        start_after="predicate: opposes\n    object: openai-should-be-open-source\n    voice: judgement",
    )
    return r"duplicate statement id 'musk-filed-lawsuit'", f"data/{STATEMENTS}:{line}"


def quote_not_in_source(data: Path) -> tuple[str, str]:
    line = _edit(
        data,
        STATEMENTS,
        "quote: Seitdem hat Elon die Verbindung zum Unternehmen abgebrochen",
        "quote: Seitdem hat Elon die Verbindung zur Firma abgebrochen",
    )
    return (
        r"statements\[\d+\]\.quote: quote not found in source; closest passage \(line 25, \d+% similar\): 'Seitdem hat Elon die Verbindung",
        f"data/{STATEMENTS}:{line}",
    )


def ambiguous_quote(data: Path) -> tuple[str, str]:
    line = _edit(data, STATEMENTS, "quote: Seitdem hat Elon die Verbindung zum Unternehmen abgebrochen", "quote: OpenAI")
    return r"statements\[\d+\]\.quote: quote is ambiguous: it occurs \d+ times \(lines 1, 5, ", f"data/{STATEMENTS}:{line}"


def empty_source(data: Path) -> tuple[str, str]:
    (data / SOURCE_TXT).write_bytes(b"")
    return r"source text is empty", f"data/{SOURCE_TXT}"


def non_utf8_source(data: Path) -> tuple[str, str]:
    raw = (data / SOURCE_TXT).read_bytes()
    (data / SOURCE_TXT).write_bytes(raw.decode("utf-8").encode("latin-1", errors="replace"))
    return r"not UTF-8: byte 0x[0-9a-f]{2} at offset \d+ \(convert the file to UTF-8\)", f"data/{SOURCE_TXT}:1"


def source_with_bom(data: Path) -> tuple[str, str]:
    raw = (data / SOURCE_TXT).read_bytes()
    (data / SOURCE_TXT).write_bytes(b"\xef\xbb\xbf" + raw)
    return r"byte-order mark", f"data/{SOURCE_TXT}:1"


def wrong_predicate(data: Path) -> tuple[str, str]:
    line = _edit(data, STATEMENTS, "predicate: cutTiesWith", "predicate: cutTiesWit")
    return (
        r"statements\[\d+\]\.predicate: unknown predicate 'cutTiesWit' \(did you mean 'cutTiesWith'.*\?\); `kg vocabulary` lists the \d+ relations$",
        f"data/{STATEMENTS}:{line}",
    )


def predicate_with_wrong_object_kind(data: Path) -> tuple[str, str]:
    _edit(data, STATEMENTS, "predicate: filed\n    object: musk-v-openai", "predicate: filed\n    object: openai")
    line = _line_of(data, STATEMENTS, "object: openai", start_after="predicate: filed")
    return r"statements\[\d+\]\.object: 'filed' expects an object of class Lawsuit; 'openai' is a organization", f"data/{STATEMENTS}:{line}"


def missing_required_field(data: Path) -> tuple[str, str]:
    _edit(
        data,
        STATEMENTS,
        "    predicate: cutTiesWith\n    object: openai\n    voice: narration\n",
        "    predicate: cutTiesWith\n    object: openai\n",
    )
    line = _line_of(data, STATEMENTS, "- id: musk-cut-ties-with-openai")
    return r"statements\[\d+\]\.voice: missing required field", f"data/{STATEMENTS}:{line}"


def misspelt_field(data: Path) -> tuple[str, str]:
    line = _edit(
        data,
        STATEMENTS,
        "    translation: Since then Elon has cut ties with the company",
        "    translaton: Since then Elon has cut ties with the company",
    )
    return r"statements\[\d+\]\.translaton: unknown field", f"data/{STATEMENTS}:{line}"


def yaml_alias_bomb(data: Path) -> tuple[str, str]:
    bomb = "entities:\n  - &a {id: x1, kind: topic, label: {de: a, en: a}}\n" + "".join(f"  - &b{i} [*a, *a]\n" for i in range(3))
    (data / "entities.yaml").write_text(bomb, encoding="utf-8")
    return r"invalid YAML: YAML aliases and merge keys", "data/entities.yaml:2"


def control_character_in_label(data: Path) -> tuple[str, str]:
    line = _edit(data, "entities.yaml", "label: {de: Google, en: Google}", 'label: {de: "Goo\\u0007gle", en: Google}')
    return r"entities\[\d+\]\.label\.de: Value error, contains control characters", f"data/entities.yaml:{line}"


def unused_entity(data: Path) -> tuple[str, str]:
    text = (data / "entities.yaml").read_text(encoding="utf-8")
    (data / "entities.yaml").write_text(
        text + "\n  - id: nobody\n    kind: person\n    label: {de: Niemand, en: Nobody}\n", encoding="utf-8"
    )
    line = _line_of(data, "entities.yaml", "- id: nobody")
    return r"id: entity 'nobody' is not used by any statement \(nothing enters the graph without a source\)", f"data/entities.yaml:{line}"


def when_not_in_source(data: Path) -> tuple[str, str]:
    line = _edit(data, STATEMENTS, "    when: Seitdem\n", "    when: im März 2024\n")
    return r"statements\[\d+\]\.when: 'im März 2024' does not occur in the source", f"data/{STATEMENTS}:{line}"


def impossible_date(data: Path) -> tuple[str, str]:
    line = _edit(data, STATEMENTS, "    when: Seitdem\n", "    when: Seitdem\n    date: 2024-02-30\n") + 1
    return r"statements\[\d+\]\.date: '2024-02-30' is not a valid date \(day is out of range for month\)", f"data/{STATEMENTS}:{line}"


def number_of_more_than_4300_digits(data: Path) -> tuple[str, str]:
    line = _edit(data, STATEMENTS, "    when: Seitdem\n", "    when: Seitdem\n    value: " + "7" * 5_000 + "\n") + 1
    return r"statements\[\d+\]\.value: a number of 5,000 digits, more than the 4,300 allowed", f"data/{STATEMENTS}:{line}"


def _huge_number(written: str) -> Case:
    """A number YAML reads without Python's limit on decimal digits (hex, binary, base 60): it failed when printed."""

    def case(data: Path) -> tuple[str, str]:
        line = _edit(data, STATEMENTS, "    when: Seitdem\n", f"    when: Seitdem\n    value: {written}\n") + 1
        return r"statements\[\d+\]\.value: a number of about [\d,]+ digits, more than the 4,300 allowed", f"data/{STATEMENTS}:{line}"

    return case


CASES: dict[str, Case] = {
    "malformed YAML": malformed_yaml,
    "unknown entity id": unknown_entity,
    "duplicate entity id": duplicate_entity_id,
    "duplicate statement id": duplicate_statement_id,
    "quote not in source": quote_not_in_source,
    "ambiguous quote": ambiguous_quote,
    "empty source": empty_source,
    "non-UTF-8 source": non_utf8_source,
    "source with a byte-order mark": source_with_bom,
    "wrong predicate": wrong_predicate,
    "predicate with the wrong kind of object": predicate_with_wrong_object_kind,
    "missing required field": missing_required_field,
    "misspelt field": misspelt_field,
    "YAML alias bomb": yaml_alias_bomb,
    "control character in a label": control_character_in_label,
    "unused entity": unused_entity,
    "time not in the source's words": when_not_in_source,
    "impossible date": impossible_date,
    "number of more than 4,300 digits": number_of_more_than_4300_digits,
    "hexadecimal number of more than 4,300 digits' worth": _huge_number("0x" + "f" * 4_000),
    "binary number of more than 4,300 digits' worth": _huge_number("0b" + "1" * 15_000),
    "base-60 number of more than 4,300 digits' worth": _huge_number("1" + ":59" * 2_500),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_data_is_reported_with_file_line_and_field_and_nothing_is_written(case: str, data_copy: Path, previous: Path) -> None:
    pattern, location = CASES[case](data_copy)
    before = _fingerprint(previous)
    result = kg("build", "--data", data_copy, "--out", previous, cwd=data_copy.parent)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors, result.stderr
    matching = [line for line in errors if re.search(pattern, line)]
    assert matching, f"no error matched {pattern!r}:\n{result.stderr}"
    assert matching[0].startswith(f"error: {location}:") or matching[0].startswith(f"error: {location} "), matching[0]
    assert "Traceback" not in result.stderr
    assert "nothing was written" in result.stderr
    assert result.stdout == ""
    assert _fingerprint(previous) == before


def test_validate_reports_the_same_problems_and_writes_nothing(data_copy: Path, tmp_path: Path) -> None:
    wrong_predicate(data_copy)
    result = kg("validate", "--data", data_copy, cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown predicate 'cutTiesWit'" in result.stderr
    assert list(tmp_path.iterdir()) == [data_copy]


def test_all_problems_are_reported_in_one_run(data_copy: Path) -> None:
    wrong_predicate(data_copy)
    unknown_entity(data_copy)
    predicate_with_wrong_object_kind(data_copy)
    with pytest.raises(DataError) as info:
        build(data_copy, OutDir(data_copy.parent / "out"))
    assert len(info.value.problems) == 3
    assert not (data_copy.parent / "out").exists()


def test_an_oversized_source_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: no disk space used
    with pytest.raises(DataError, match="more than the 52,428,800 allowed"):
        read_source_text(huge, tmp_path)


def test_html_in_text_is_data_not_markup(data_copy: Path, tmp_path: Path) -> None:
    hostile = '<img src=x onerror=alert(1)></script><script>alert("x")</script>'
    _edit(data_copy, "entities.yaml", "label: {de: Google, en: Google}", f"label: {{de: '{hostile}', en: Google}}")
    built = build(data_copy, OutDir(tmp_path / "out"))
    labels = {
        q.object.value for q in built.checked.quads if q.subject.value.endswith("/entity/google") and q.predicate.value.endswith("#label")
    }
    assert hostile in labels


def test_a_missing_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = kg("validate", "--data", tmp_path / "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "data folder not found" in result.stderr


def test_a_sparql_syntax_error_is_a_usage_error(good_build: Path, tmp_path: Path) -> None:
    result = kg("query", "SELECT ?s WHERE { ?s ?p }", "--build", good_build, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: SPARQL syntax error at line 1, column")
    assert "Traceback" not in result.stderr


def test_querying_before_building_says_what_to_do(tmp_path: Path) -> None:
    result = kg("query", "who-sued-whom", cwd=tmp_path, env={"QUOTEGRAPH_OUT": os.fspath(tmp_path / "none")})
    assert result.returncode == 2
    assert "run `kg build` first" in result.stderr
