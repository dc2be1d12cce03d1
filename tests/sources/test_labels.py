"""Labels in the source's language: an entity needs one in the language of every source that mentions it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from helpers.inprocess import run_kg

from graph.build.pipeline import build
from graph.store.builds import OutDir

ENGLISH_SOURCE = """id: fixture-en
title: A short English note
author: oscar
language: en
"""
ENGLISH_TEXT = "Elon Musk criticised Acme in a short note.\n"
ENGLISH_STATEMENTS = """source: fixture-en
statements:
  - id: fixture-musk-criticised-acme
    subject: musk
    predicate: criticised
    object: acme
    voice: narration
    quote: Elon Musk criticised Acme
"""
ACME_GERMAN_ONLY = """
  - id: acme
    kind: organization
    label: {de: Acme-Werke}
"""


def _add_english_source(data: Path) -> None:
    (data / "sources" / "fixture-en.yaml").write_text(ENGLISH_SOURCE, encoding="utf-8")
    (data / "sources" / "fixture-en.txt").write_text(ENGLISH_TEXT, encoding="utf-8")
    (data / "statements" / "fixture-en.yaml").write_text(ENGLISH_STATEMENTS, encoding="utf-8")
    entities = data / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + ACME_GERMAN_ONLY, encoding="utf-8")


def test_an_entity_an_english_source_mentions_needs_an_english_label(data_copy: Path, tmp_path: Path) -> None:
    _add_english_source(data_copy)
    # kg build, not kg validate: a failed validate may still trip over its temporary store (harden-b's item 8)
    result = run_kg("build", "--data", data_copy, "--out", tmp_path / "out")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {data_copy.name}/statements/fixture-en.yaml:6: statements[0].object: 'acme' has no en label, and source "
        "'fixture-en' is in en: add label.en to 'acme' in the entities"
    ]


def test_an_english_label_is_enough_for_an_english_source(data_copy: Path) -> None:
    _add_english_source(data_copy)
    entities = data_copy / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8").replace("label: {de: Acme-Werke}", "label: {en: Acme Works}"), encoding="utf-8"
    )
    assert run_kg("validate", "--data", data_copy).exit_code == 0


def test_a_german_only_label_shows_in_english_tables_marked_as_german(data_copy: Path, tmp_path: Path) -> None:
    entities = data_copy / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    assert "label: {de: Google, en: Google}" in text
    entities.write_text(text.replace("label: {de: Google, en: Google}", "label: {de: Google-Konzern}"), encoding="utf-8")
    out = OutDir(tmp_path / "out")
    build(data_copy, out)
    english = run_kg("query", "statements", "-f", "csv", "--build", out.root)
    rows = list(csv.DictReader(io.StringIO(english.stdout)))
    assert {r["object"] for r in rows if r["id"] == "tesla-only-path-to-rival-google"} == {"Google-Konzern (de)"}
    german = run_kg("query", "statements", "-f", "csv", "--lang", "de", "--build", out.root)
    assert {r["object"] for r in csv.DictReader(io.StringIO(german.stdout)) if r["id"] == "tesla-only-path-to-rival-google"} == {
        "Google-Konzern"
    }
    assert len(rows) == 59, "no statement drops out of a table for want of a label"
    neighbours = run_kg("neighbors", "google", "-f", "csv", "--build", out.root)
    assert "Google-Konzern (de)" in run_kg("lookup", "google", "--build", out.root).stdout
    assert neighbours.exit_code == 0
    page = tmp_path / "graph.html"
    assert run_kg("view", "--build", out.root, "-o", page).exit_code == 0
    assert "Google-Konzern (de)" in page.read_text(encoding="utf-8"), "the view marks the German label it falls back to"
