"""``python -m graph.bench [--sizes ...]``: the benchmark table (the same as ``kg bench run``)."""

from graph.cli.bench import bench_app

if __name__ == "__main__":
    bench_app(["run", *__import__("sys").argv[1:]], prog_name="python -m graph.bench")
