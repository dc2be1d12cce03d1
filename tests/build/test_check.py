"""``kg validate`` (``check``) reports problems found while loading, never a crash of its temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.inprocess import crashed, run_kg
from helpers.story import write_story

from graph.build.pipeline import check
from graph.errors import DataError


def test_validate_reports_a_quote_it_cannot_anchor_instead_of_crashing(tmp_path: Path) -> None:
    # regression: the open store in the traceback outlived its temporary folder, and
    # "OSError: Directory not empty" replaced the problem the curator needed to see
    data = write_story(tmp_path)
    statements = data / "statements" / "roe-2024-03.yaml"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("quote: Acme should stay independent", "quote: Acme should stay independant"),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="quote not found in source"):
        check(data)
    result = run_kg("validate", "--data", data)
    assert not crashed(result)
    assert result.exit_code == 1
    assert "statements[1].quote: quote not found in source" in result.stderr
