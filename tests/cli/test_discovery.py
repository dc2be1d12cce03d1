"""Every command finds its project from the current directory upwards, and says which data it read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers.run import DATA, REPO, kg

from graph import paths


def _project(root: Path) -> Path:
    """A copy of the bundled data as a project made by hand, for the discovery rules (nothing is built from it)."""
    shutil.copytree(DATA, root)
    return root


def _tiny(root: Path, title: str = "A headline") -> Path:
    """A one-source project that builds in a few seconds: what ``kg init`` and ``kg add`` leave."""
    (root / "sources").mkdir(parents=True)
    (root / "statements").mkdir()
    (root / "entities.yaml").write_text(
        "entities:\n  - id: jane-doe\n    kind: person\n    label: {de: Jane Doe, en: Jane Doe}\n", encoding="utf-8"
    )
    (root / "sources" / "000_x.txt").write_text(f"{title}\n\nA first paragraph.\n", encoding="utf-8")
    (root / "sources" / "000_x.yaml").write_text(f"id: 000_x\ntitle: {title}\nauthor: jane-doe\nlanguage: en\n", encoding="utf-8")
    return root


TITLES = "SELECT ?t WHERE { ?s a qg:Source ; dcterms:title ?t }"


def test_a_data_folder_is_found_from_any_of_its_subfolders(tmp_path: Path) -> None:
    story = _project(tmp_path / "story")
    (story / "sources" / "deeper").mkdir()
    for where in (story, story / "sources", story / "sources" / "deeper", story / "statements"):
        found = paths.find_project(where)
        assert found is not None
        assert found.data == story.resolve()
        assert found.out == story.resolve() / "quotegraph-out"


def test_a_folder_holding_data_is_a_project_whose_builds_go_beside_data(tmp_path: Path) -> None:
    _project(tmp_path / "repo" / "data")
    (tmp_path / "repo" / "graph").mkdir()
    for where in (tmp_path / "repo", tmp_path / "repo" / "graph", tmp_path / "repo" / "data" / "sources"):
        found = paths.find_project(where)
        assert found is not None
        assert found.data == (tmp_path / "repo" / "data").resolve()
        assert found.out == (tmp_path / "repo").resolve() / "quotegraph-out"


def test_this_repository_is_a_project_through_its_data_folder() -> None:
    found = paths.find_project(REPO / "graph" / "cli")
    assert found is not None
    assert found.data == (REPO / "data").resolve()
    assert found.root == REPO.resolve()


def test_the_marker_is_entities_or_sources_beside_statements(tmp_path: Path) -> None:
    (tmp_path / "a" / "sources").mkdir(parents=True)
    assert paths.find_project(tmp_path / "a") is None, "sources/ alone is any folder of texts, not a project"
    (tmp_path / "a" / "statements").mkdir()
    assert paths.find_project(tmp_path / "a" / "sources") == paths.Project(data=(tmp_path / "a").resolve(), root=(tmp_path / "a").resolve())
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "entities.yaml").write_text("entities: []\n", encoding="utf-8")
    assert paths.find_project(tmp_path / "b") is not None


def test_the_nearest_project_wins(tmp_path: Path) -> None:
    outer = _project(tmp_path / "outer")
    inner = _project(outer / "inner")
    found = paths.find_project(inner / "sources")
    assert found is not None
    assert found.data == inner.resolve()


def test_build_in_a_project_subfolder_reads_it_writes_beside_it_and_says_so(tmp_path: Path) -> None:
    story = _tiny(tmp_path / "story", "The story")
    result = kg("build", "-f", "json", "--export", "none", cwd=story / "sources")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["data_dir"] == str(story.resolve())
    assert summary["data_from"] == "project"
    assert result.stderr == "", "with -f json the data folder is said in the JSON"
    said = kg("validate", cwd=story / "sources")  # and to people on stderr
    assert f"data: {story.resolve()} (the project found from {(story / 'sources').resolve()})" in said.stderr
    assert Path(summary["build_dir"]).parent.parent == story.resolve() / "quotegraph-out"
    assert not (story / "sources" / "quotegraph-out").exists()
    # a reading command in another subfolder finds the same build
    query = kg("query", TITLES, "-f", "csv", cwd=story / "statements")
    assert query.returncode == 0, query.stderr
    assert query.stdout.splitlines() == ["t", "The story"]


def test_build_in_a_folder_holding_data_reads_that_data_not_the_bundled_copy(tmp_path: Path) -> None:
    """Regression: after pip install ., kg build in the repository root read the copy in site-packages."""
    repo = tmp_path / "checkout"
    _tiny(repo / "data", "Edited in the checkout")
    (repo / "graph").mkdir()
    result = kg("build", "-f", "json", "--export", "none", cwd=repo / "graph")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["data_dir"] == str((repo / "data").resolve())
    assert kg("query", TITLES, "-f", "csv", cwd=repo).stdout.splitlines() == ["t", "Edited in the checkout"]
    assert (repo / "quotegraph-out" / "current").exists()


def test_data_option_wins_over_the_project_and_its_builds_go_to_that_project(tmp_path: Path) -> None:
    story = _tiny(tmp_path / "story", "Story")
    other = _tiny(tmp_path / "other", "Other")
    result = kg("build", "--data", other, "--export", "none", "-f", "json", cwd=story)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["data_dir"] == str(other.resolve())
    assert json.loads(result.stdout)["data_from"] == "option"
    assert f"data: {other.resolve()} (--data)" in kg("validate", "--data", other, cwd=story).stderr
    assert (other / "quotegraph-out" / "current").exists()
    assert not (story / "quotegraph-out").exists()
    assert kg("query", TITLES, "-f", "csv", cwd=other / "sources").stdout.splitlines() == ["t", "Other"]


@pytest.mark.parametrize("how", ["env", "option"])
def test_the_output_folder_can_still_be_chosen(tmp_path: Path, how: str) -> None:
    story = _tiny(tmp_path / "story")
    elsewhere = tmp_path / "elsewhere"
    args = ["build", "--export", "none", "-f", "json"]
    env = {paths.OUT_ENV: str(elsewhere)} if how == "env" else None
    if how == "option":
        args += ["--out", str(elsewhere)]
    result = kg(*args, cwd=story, env=env)
    assert result.returncode == 0, result.stderr
    assert Path(json.loads(result.stdout)["build_dir"]).parent.parent == elsewhere
    assert not (story / "quotegraph-out").exists()


def test_a_source_whose_author_states_nothing_builds(tmp_path: Path) -> None:
    """Regression: the author is mentioned in the source's byline; SHACL refused an author no statement named."""
    result = kg("validate", cwd=_tiny(tmp_path / "story"))
    assert result.returncode == 0, result.stderr
