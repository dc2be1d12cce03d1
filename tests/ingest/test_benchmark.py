"""The extraction benchmark runs (on a handful of articles here; `python -m tests.bench extract` for 1,000)."""

from __future__ import annotations

import json

from helpers.extraction import signal_ontology
from helpers.run import bench

from graph.model.ontology import default_ontology


def test_the_extraction_benchmark_reports_articles_per_second_and_peak_memory() -> None:
    from helpers.extraction import PROVISIONAL

    args = ["extract", "-n", "5"] + ([] if signal_ontology() is default_ontology() else ["--ontology", str(PROVISIONAL)])
    result = bench(*args)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["articles"] == 5
    assert out["characters"] >= 5 * 1_900
    assert out["drafts"] > 0
    assert out["articles_per_second"] > 0
    assert out["peak_rss_mb"] > 0
