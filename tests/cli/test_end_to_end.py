"""From nothing to an answer, as a new user types it: the README's "Your own project", run as it stands.

The section's console blocks (``$ command`` lines and what the terminal showed) and YAML blocks
(files the curator writes: the first line names the file) are played in order in a fresh home
folder, ``~`` in the README. What a command prints (stdout, then stderr without the ``data: …``
line the section explains) must match exactly; of ``kg build``, whose output holds timings and a
build id, the lines shown must appear in that order (spacing aside).
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from helpers.run import REPO, kg

README = (REPO / "README.md").read_text(encoding="utf-8")
_START = README.index("## Your own project")
SECTION = README[_START : README.index("\n## ", _START + 1)]
ARTICLE = Path(__file__).parent.parent / "ingest" / "pages" / "news-en.html"


def _steps() -> list[tuple[str, str]]:
    return re.findall(r"```(console|yaml)\n(.*?)```", SECTION, re.DOTALL)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").split("\n")]


def test_the_section_shows_init_add_extract_accept_build_and_query() -> None:
    commands = [
        line[2:].split()[:2] for kind, block in _steps() if kind == "console" for line in block.splitlines() if line.startswith("$ ")
    ]
    assert [c for c in commands if c[0] == "kg"] == [
        ["kg", "init"],
        ["kg", "add"],
        ["kg", "extract"],
        ["kg", "drafts"],
        ["kg", "build"],
        ["kg", "query"],
    ]


def test_a_new_project_from_an_html_page_to_a_quoted_answer_as_the_readme_shows(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ARTICLE, home / "article.html")
    cwd = home
    for kind, block in _steps():
        if kind == "yaml":
            first, _, body = block.partition("\n")
            named = re.match(r"# ([\w./-]+)", first)
            assert named is not None, f"a YAML block of this section names its file on its first line: {first}"
            target = cwd / named.group(1)
            if target.name == "entities.yaml":
                with target.open("a", encoding="utf-8") as handle:
                    handle.write(body)
            else:
                target.write_text(block, encoding="utf-8")
            continue
        lines = block.rstrip("\n").split("\n")
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for i, start in enumerate(starts):
            command = shlex.split(lines[start][2:])
            shown = lines[start + 1 : starts[i + 1] if i + 1 < len(starts) else len(lines)]
            if command[0] == "cd":
                cwd = (cwd / command[1]).resolve()
                continue
            result = kg(*command[1:], cwd=cwd, env={"COLUMNS": "100"})
            assert result.returncode == 0, f"{lines[start]}\n{result.stderr}"
            # what the terminal shows, stdout then stderr, but the "data: …" line every data command starts with
            notes = [line for line in result.stderr.splitlines() if not line.startswith("data: ")]
            printed = _lines((result.stdout + "\n".join(notes)).replace(str(home.resolve()), "~"))
            if command[1] == "build":
                found = iter(" ".join(got.split()) for got in printed)  # the table's column widths follow its largest count
                assert all(any(" ".join(line.split()) == got for got in found) for line in shown), f"{lines[start]}:\n{result.stdout}"
                assert f"data: {home.resolve()}/story (the project found from {cwd})" in result.stderr
            else:
                assert printed == [line.rstrip() for line in shown], lines[start]
