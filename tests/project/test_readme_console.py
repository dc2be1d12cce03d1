"""The README's other console blocks show real output too: errors, the interactive page, the server.

The tour, "Asking the graph" and "Your own project" are run by their own tests
(test_readme_asking.py, tests/cli/test_end_to_end.py). The blocks here are run the same way:
each ``$`` line as typed, in a fresh folder, its output compared with what the README shows
(the ``data: …`` line and the progress bars of stderr aside). Where a block runs on broken data,
the README says how the data was broken, and :data:`BREAKS` does exactly that.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers.endpoints import Server
from helpers.readme import console_examples, matches, section
from helpers.run import DATA, SOURCE_ID, kg
from helpers.tooling import require_tool

from graph.build.pipeline import Built

COMMANDS = section("## Commands")
DATA_FORMAT = section("## The data format")
VIEW = section("## The interactive graph")
SERVING = section("## Serving SPARQL")

#: how ``my-data`` differs from the bundled data in each section, as its prose says: (file, written, as)
BREAKS: dict[str, list[tuple[str, str, str]]] = {
    COMMANDS: [("entities.yaml", "  - id: oscar\n", "  - id: Oscar Wilde\n")],
    DATA_FORMAT: [
        (f"statements/{SOURCE_ID}.yaml", "    subject: sutskever\n", "    subject: sutskevr\n"),
        (
            f"statements/{SOURCE_ID}.yaml",
            "    quote: Seitdem hat Elon die Verbindung zum Unternehmen abgebrochen\n",
            "    quote: Seitdem hat Musk die Verbindung zur Firma abgebrochen\n",
        ),
    ],
}
PROGRESS = re.compile(r"^\S.*━")
BUILD_ID = re.compile(r"\d{8}T\d{6}-[0-9a-f]{6}")


def _shown(result: subprocess.CompletedProcess[str], home: Path) -> list[str]:
    """What the terminal showed: stdout, then stderr without the ``data: …`` line and the progress bars."""
    notes = [line for line in result.stderr.splitlines() if not line.startswith("data: ") and not PROGRESS.match(line)]
    text = (result.stdout + "\n".join(notes)).replace(str(home.resolve()), "~")
    return [line.rstrip() for line in text.rstrip("\n").split("\n")]


def _broken_data(home: Path, breaks: list[tuple[str, str, str]]) -> None:
    shutil.copytree(DATA, home / "my-data")
    for name, written, broken in breaks:
        path = home / "my-data" / name
        text = path.read_text(encoding="utf-8")
        assert written in text, f"the bundled data no longer holds {written!r}: change the README's example and BREAKS"
        path.write_text(text.replace(written, broken, 1), encoding="utf-8")


@pytest.mark.parametrize("text", list(BREAKS), ids=["commands", "data-format"])
def test_the_readme_says_how_its_broken_data_was_broken(text: str) -> None:
    prose = text[: text.index("```console")]
    for _name, written, broken in BREAKS[text]:
        for value in (written, broken):
            assert value.split(": ", 1)[1].strip() + "`" in prose, f"the README does not say {value.strip()!r}"


ERRORS = [(text, command, shown) for text in BREAKS for command, shown in console_examples(text) if "my-data" in command]


@pytest.mark.parametrize(("text", "command", "expected"), ERRORS, ids=[c for _t, c, _e in ERRORS])
def test_every_error_example_prints_what_the_readme_shows(tmp_path: Path, text: str, command: str, expected: str) -> None:
    _broken_data(tmp_path, BREAKS[text])
    args = shlex.split(command)
    extra = ["--out", tmp_path / "out"] if args[1] == "build" else []
    result = kg(*args[1:], *extra, cwd=tmp_path, env={"COLUMNS": "100"})
    assert result.returncode == 1, result.stderr
    assert _shown(result, tmp_path) == expected.split("\n")
    assert not (tmp_path / "out").exists()


def test_the_error_examples_are_all_run() -> None:
    assert [command for _text, command, _shown in ERRORS] == [
        "kg validate --data my-data",
        "kg validate --data my-data -f json",
        "kg build --data my-data",
    ]


VIEWS = console_examples(VIEW)


@pytest.mark.slow
@pytest.mark.parametrize(("command", "expected"), VIEWS, ids=[c.split("#")[0].strip() for c, _ in VIEWS])
def test_every_view_example_prints_what_the_readme_shows(built: Built, tmp_path: Path, command: str, expected: str) -> None:
    args = shlex.split(command, comments=True)
    written = args[args.index(">") + 1] if ">" in args else None
    args = args[: args.index(">")] if written else args
    # BROWSER=true: --open asks the `true` command to open the page, so no browser starts in a test
    result = kg(*args[1:], "--build", built.out.root, cwd=tmp_path, env={"COLUMNS": "100", "BROWSER": "true"})
    assert result.returncode == 0, result.stderr
    if written:  # the shell sent stdout to a file: the terminal shows stderr only
        assert result.stdout.startswith("<!DOCTYPE html>")
        result = subprocess.CompletedProcess(result.args, 0, "", result.stderr)
    assert _shown(result, tmp_path) == (expected.split("\n") if expected else [""])


def _serve(home: Path) -> tuple[Server, list[str]]:
    """``kg serve`` in ``home`` as the README types it, on a free port; its banner once complete."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    command = [sys.executable, "-m", "graph", "serve", "--port", "0"]
    process = subprocess.Popen(command, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stderr or []), daemon=True).start()
    deadline = time.monotonic() + 90
    while not any("Ctrl+C stops." in line for line in lines):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("kg serve did not start:\n" + "".join(lines))
        time.sleep(0.05)
    url = re.search(r"SPARQL endpoint\s+(http://\S+)/sparql", "".join(lines))
    assert url is not None
    return Server(process, url.group(1), lines), [line.rstrip("\n") for line in lines]


@pytest.mark.slow
def test_the_serving_examples_print_what_the_readme_shows(built: Built) -> None:
    curl = require_tool("curl", "apt-get install curl")
    home = built.out.root.parent
    [(serve, banner), *requests] = console_examples(SERVING)
    assert serve == "kg serve"
    server, shown = _serve(home)
    try:
        readme_port = "7878"
        readme_build = BUILD_ID.search(banner)
        assert readme_build is not None
        seen = [
            BUILD_ID.sub(readme_build.group(0), line).replace(str(home.resolve()), "~").replace(f":{server.port}/", f":{readme_port}/")
            for line in shown
        ]
        assert seen == banner.split("\n")
        assert len(requests) == 2
        for command, expected in requests:
            args = shlex.split(command.replace(f":{readme_port}/", f":{server.port}/"))
            assert args[0] == "curl"
            result = subprocess.run([curl, "--silent", *args[1:]], capture_output=True, text=True, timeout=60, check=False)
            assert result.returncode == 0, result.stderr
            assert matches(expected.split("\n"), result.stdout.replace("\r\n", "\n").rstrip("\n").split("\n")), result.stdout
    finally:
        server.stop()
