"""``python -m tests.bench generate|run …`` from a checkout: the corpus generator and the benchmark table."""

from .cli import bench_app

if __name__ == "__main__":
    bench_app(prog_name="python -m tests.bench")
