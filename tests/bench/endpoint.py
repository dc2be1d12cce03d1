"""Measure `kg serve` latency and `kg push` time on the bundled graph (run by hand; not a test).

    python -m tests.bench.endpoint [--requests 300]

Builds the bundled data into a temporary folder, starts `kg serve` on a loopback port, sends a
bundled query sequentially over one keep-alive connection (median and 95th percentile of the
latency), then 100 at once from threads, then pushes the graph to a fresh `oxigraph` server.
Prints the numbers and writes them to tests/artifacts/bench-endpoint.json.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers.endpoints import start_kg_serve, start_oxigraph

from graph import paths
from graph.build.pipeline import build
from graph.query.run import bundled_queries
from graph.store.builds import OutDir

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--query", default="who-sued-whom")
    args = parser.parse_args()
    query = bundled_queries()[args.query].text
    results: dict[str, object] = {"query": args.query, "requests": args.requests}
    with tempfile.TemporaryDirectory() as tmp:
        out = OutDir(Path(tmp) / "quotegraph-out")
        build(paths.bundled_data_dir(), out)
        server = start_kg_serve(out.root)
        try:
            with httpx.Client(timeout=60) as client:
                for _ in range(10):
                    client.post(f"{server.url}/sparql", data={"query": query}).raise_for_status()
                latencies = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    client.post(f"{server.url}/sparql", data={"query": query}).raise_for_status()
                    latencies.append((time.perf_counter() - started) * 1000)
            results["sequential_ms"] = {
                "median": round(statistics.median(latencies), 2),
                "p95": round(percentile(latencies, 0.95), 2),
                "min": round(min(latencies), 2),
                "max": round(max(latencies), 2),
            }

            def one(_: int) -> float:
                started = time.perf_counter()
                httpx.post(f"{server.url}/sparql", data={"query": query}, timeout=120).raise_for_status()
                return (time.perf_counter() - started) * 1000

            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(max_workers=100) as pool:
                concurrent_ms = list(pool.map(one, range(100)))
            results["concurrent_100"] = {
                "wall_s": round(time.perf_counter() - started, 2),
                "median_ms": round(statistics.median(concurrent_ms), 1),
                "p95_ms": round(percentile(concurrent_ms, 0.95), 1),
            }
        finally:
            server.stop()
        oxigraph = start_oxigraph(Path(tmp) / "oxigraph")
        try:
            import subprocess

            started = time.perf_counter()
            pushed = subprocess.run(
                [sys.executable, "-m", "graph", "push", "--endpoint", f"{oxigraph.url}/store", "--build", str(out.root), "-f", "json"],
                capture_output=True,
                text=True,
                check=True,
            )
            report = json.loads(pushed.stdout)
            results["push"] = {
                "command_s": round(time.perf_counter() - started, 2),
                "http_s": report["seconds"],
                "graphs": len(report["graphs"]),
                "triples": sum(g["triples"] for g in report["graphs"]),
            }
        finally:
            oxigraph.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bench-endpoint.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
