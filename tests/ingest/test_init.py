"""``kg init``: a new project folder, whole or not at all; known names kept apart from the entities the build reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers.run import kg

from graph import paths
from graph.errors import UsageError
from graph.ingest.project import adopt_entities, init_project, known_entities


def test_init_makes_a_data_folder_that_every_command_finds(tmp_path: Path) -> None:
    result = kg("init", "story", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    story = tmp_path / "story"
    assert sorted(p.name for p in story.iterdir()) == [".gitignore", "entities.yaml", "sources", "statements"]
    assert yaml.safe_load((story / "entities.yaml").read_text(encoding="utf-8")) == {"entities": []}
    assert (story / ".gitignore").read_text(encoding="utf-8") == "/quotegraph-out/\n"
    assert paths.find_project(story / "sources") == paths.Project(data=story.resolve(), root=story.resolve())
    assert f"Initialised a quotegraph project in {story.resolve()}" in result.stdout


def test_init_in_an_empty_existing_folder_and_in_the_current_one(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert kg("init", cwd=tmp_path / "empty").returncode == 0
    assert (tmp_path / "empty" / "entities.yaml").is_file()


@pytest.mark.parametrize("what", ["a file inside", "a hidden file inside"])
def test_init_refuses_a_folder_that_is_not_empty_and_changes_nothing(tmp_path: Path, what: str) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / ("todo.txt" if what == "a file inside" else ".keep")).write_text("x", encoding="utf-8")
    result = kg("init", folder, cwd=tmp_path)
    assert result.returncode == 2
    assert "is not empty" in result.stderr
    assert len(list(folder.iterdir())) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"], "no staging folder left behind"


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "story").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file"):
        init_project(tmp_path / "story")


def test_known_names_are_not_read_by_the_build_until_adopted(tmp_path: Path) -> None:
    result = kg("init", "story", "--with-bundled-entities", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    story = tmp_path / "story"
    known = yaml.safe_load((story / "known-entities.yaml").read_text(encoding="utf-8"))["entities"]
    assert {"musk", "openai", "sutskever"} <= {e["id"] for e in known}
    assert yaml.safe_load((story / "entities.yaml").read_text(encoding="utf-8")) == {"entities": []}
    assert {"musk", "openai"} <= set(known_entities(story))
    assert adopt_entities(story, ["openai", "musk", "openai"]) == ["openai", "musk"]
    assert adopt_entities(story, ["musk"]) == [], "already there"
    ids = [e["id"] for e in yaml.safe_load((story / "entities.yaml").read_text(encoding="utf-8"))["entities"]]
    assert ids == ["openai", "musk"]
    with pytest.raises(UsageError, match="unknown entity nobody"):
        adopt_entities(story, ["nobody"])


def test_a_new_project_without_sources_says_how_to_add_one(tmp_path: Path) -> None:
    assert kg("init", "story", cwd=tmp_path).returncode == 0
    result = kg("validate", cwd=tmp_path / "story")
    assert result.returncode == 1
    assert "story/sources: no source metadata (*.yaml) found: kg add FILE|URL adds a source" in result.stderr


def test_init_as_json_names_the_data_folder_and_what_it_wrote(tmp_path: Path) -> None:
    result = kg("init", "story", "--with-bundled-entities", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    story = (tmp_path / "story").resolve()
    assert json.loads(result.stdout) == {
        "data_dir": str(story),
        "out_dir": str(story / "quotegraph-out"),
        "written": [".gitignore", "entities.yaml", "known-entities.yaml", "sources/", "statements/"],
    }
