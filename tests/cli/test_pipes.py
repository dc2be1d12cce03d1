"""A reader that stops early (``kg … | head``) is not an error: exit 0, nothing on stderr about it.

Click turned EPIPE into exit 1 before ``main`` could see it, and rich's console did the same for
tables: a script with ``set -o pipefail`` read an export piped into ``head`` as invalid data.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from graph.build.pipeline import Built

COMMANDS = {
    "an RDF export (served from the build)": ["export", "-f", "nquads"],
    "an RDF export (written now)": ["export", "-f", "trig"],
    "a network export": ["export", "-f", "graphml"],
    "a table of query results": ["query", "said-in", "--param", "event=Klage"],
    "query results as JSON": ["query", "said-in", "--param", "event=Klage", "-f", "json"],
    "a neighbourhood": ["neighbors", "musk", "--depth", "3"],
    "the sources": ["sources"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_reader_that_closes_the_pipe_first_ends_the_command_with_exit_0(built: Built, name: str, tmp_path: Path) -> None:
    kg = shlex.join([sys.executable, "-m", "graph", *COMMANDS[name], "--build", str(built.out.root)])
    # `true` exits before kg has imported its modules: every write of kg meets a closed pipe
    script = f"{kg} 2>stderr.txt | true; echo ${{PIPESTATUS[0]}}"
    folder = tmp_path
    result = subprocess.run(["bash", "-c", script], cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    stderr = (folder / "stderr.txt").read_text(encoding="utf-8")
    assert result.stdout.strip() == "0", stderr
    assert "Traceback" not in stderr
    assert "Broken pipe" not in stderr
    assert "Exception ignored" not in stderr
    assert not any(line.startswith("error:") for line in stderr.splitlines()), stderr
