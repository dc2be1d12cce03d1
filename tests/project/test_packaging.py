"""A non-editable install carries the ontology and the data: ``kg`` works from any directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers.run import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(target), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (path,) = target.glob("quotegraph-*.whl")
    return path


def test_the_wheel_bundles_ontology_data_and_queries(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "graph/_bundled/ontology/quotegraph.ttl" in names
    assert "graph/_bundled/ontology/shapes.ttl" in names
    assert "graph/_bundled/data/entities.yaml" in names
    assert "graph/_bundled/data/sources/000_bb9b70fb7da9f08b.txt" in names
    assert "graph/query/bundled/who-sued-whom.rq" in names
    assert {"graph/endpoint/web/index.html", "graph/endpoint/web/query.js", "graph/endpoint/web/query.css"} <= names  # the page of kg serve
    assert {"graph/view/templates/view.html.j2", "graph/view/templates/view.js", "graph/view/templates/view.css"} <= names
    assert not any(n.startswith(("tests/", "data/", "ontology/")) for n in names)


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed (without its dependencies, which this environment has) into a folder of its own."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)], check=True, timeout=300
    )
    return target


def test_the_installed_kg_builds_the_bundled_graph_from_an_unrelated_directory(site: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import graph, graph.paths as p; print(graph.__file__); print(p.bundled_data_dir())"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, data_dir = where.stdout.splitlines()
    assert module_file.startswith(str(site)), "the test must exercise the installed copy, not the checkout"
    assert data_dir == str(site / "graph" / "_bundled" / "data")
    result = subprocess.run(
        [sys.executable, "-m", "graph", "build", "-f", "json"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (workdir / "quotegraph-out" / "current" / "store").is_dir()  # RDF exports are written on demand (kg export)
    assert (
        "Elon Musk reichte eine Klage gegen OpenAI ein" in (workdir / "quotegraph-out" / "current" / "view" / "quotegraph.html").read_text()
    )
    query = subprocess.run(
        [sys.executable, "-m", "graph", "query", "who-sued-whom", "-f", "csv"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert query.returncode == 0, query.stderr
    assert "Elon Musk reichte eine Klage gegen OpenAI ein" in query.stdout


def test_the_installed_kg_builds_the_data_folder_of_the_checkout_it_runs_in(site: Path, tmp_path: Path) -> None:
    """Regression: after pip install ., kg build in the repository root silently built the copy in site-packages."""
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "data", checkout / "data")
    (checkout / "pyproject.toml").write_text("[project]\nname = 'quotegraph'\n", encoding="utf-8")
    entities = checkout / "data" / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8").replace("en: Billionaire; sued OpenAI.", "en: Edited in the checkout."), encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "graph", "build", "-f", "json", "--export", "none"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["data_dir"] == str((checkout / "data").resolve())
    assert json.loads(result.stdout)["data_from"] == "project"
    query = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "query",
            "SELECT ?d WHERE { entity:musk schema:description ?d FILTER(lang(?d) = 'en') }",
            "-f",
            "csv",
        ],
        cwd=checkout / "data" / "sources",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert query.stdout.splitlines() == ["d", "Edited in the checkout."]
