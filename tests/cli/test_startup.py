"""The questions answered from the network cache start without the libraries they do not use.

``kg lookup``, ``kg neighbors`` and ``kg path`` at a million statements are meant to answer in
under a second, start included; rdflib (0.08 s warm) and networkx (0.09 s warm) were a sixth of
that (README, "Where the misses come from"). They are imported only by the commands and the
functions that need them (graph.model.terms, graph.network.answer).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers.run import REPO

HEAVY = ("rdflib", "pyshacl", "networkx", "pyvis", "spacy")


@pytest.mark.parametrize("command", ["lookup", "neighbors", "path"])
def test_a_question_on_the_network_cache_imports_neither_rdflib_nor_networkx(command: str) -> None:
    code = (
        "import json, sys\n"
        "from graph.cli.app import COMMAND_MODULES\n"
        f"__import__(COMMAND_MODULES[{command!r}])\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
