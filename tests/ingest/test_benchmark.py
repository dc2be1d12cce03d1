"""The extraction benchmark runs (on a handful of articles here; `python -m tests.bench extract` for 1,000)."""

from __future__ import annotations

import json

from helpers.run import bench


def test_the_extraction_benchmark_reports_articles_per_second_and_peak_memory() -> None:
    result = bench("extract", "-n", "5")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["articles"] == 5
    assert out["characters"] >= 5 * 1_900
    assert out["drafts"] > 0
    assert out["articles_per_second"] > 0
    assert out["peak_rss_mb"] > 0
