"""``python -m tests.bench generate`` (a synthetic corpus) and ``python -m tests.bench run`` (the benchmark table).

The benchmark is a tool for developers, not part of the shipped ``kg`` command: it lives beside
the tests and runs from a checkout (``python -m tests.bench --help``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from graph.cli.app import err_console, handle_errors, out_console

bench_app = typer.Typer(
    name="python -m tests.bench",
    help="Benchmarks at scale: a synthetic corpus and a table of every build phase.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@bench_app.command("generate")
@handle_errors
def generate_command(
    statements: Annotated[int, typer.Option("--statements", "-n", help="About how many statements to generate.", min=10)],
    output: Annotated[Path, typer.Option("--output", "-o", help="New folder to write the corpus to (the format of data/).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed writes the same files.")] = 1,
) -> None:
    """Write a realistic synthetic corpus: German and English sources, heavy-tailed entities, all four voices."""
    from .generate import generate

    with err_console.status(f"generating {statements:,} statements …"):
        summary = generate(statements, output, seed=seed)
    out_console.print_json(json.dumps(summary))


@bench_app.command("run")
@handle_errors
def run_command(
    sizes: Annotated[str, typer.Option("--sizes", help="Comma-separated corpus sizes in statements.")] = "10000,100000,1000000",
    work: Annotated[
        Path | None, typer.Option("--work", help="Folder for corpora and stores (default: a temporary folder, removed).")
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write every measurement as JSON to this file.")] = None,
    markdown: Annotated[Path | None, typer.Option("--markdown", help="Also write the table as Markdown to this file.")] = None,
    phase: Annotated[
        list[str] | None,
        typer.Option(
            "--phase", help="Only the phases whose name starts with this (repeatable); they read what earlier runs left in --work."
        ),
    ] = None,
) -> None:
    """Time every phase at each size (each in its own process, with its peak RSS) beside the floors."""
    from .run import machine, measure
    from .table import as_markdown, benchmark_table

    try:
        numbers = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise typer.BadParameter(f"--sizes must be numbers separated by commas, got {sizes!r}") from None
    root = work or Path(tempfile.mkdtemp(prefix="quotegraph-bench-"))
    measurements = []
    try:
        with err_console.status("benchmark …") as status:
            for n in numbers:
                log = json_out.with_suffix(".jsonl") if json_out else None
                measurements += measure(
                    n, root / f"n{n}", on_phase=lambda name: status.update(f"[bold]{name}[/] …"), log=log, only=tuple(phase or ())
                )
                if work is None:
                    shutil.rmtree(root / f"n{n}", ignore_errors=True)
    finally:
        if work is None:
            shutil.rmtree(root, ignore_errors=True)
    where = machine()
    out_console.print(benchmark_table(measurements, where))
    if json_out:
        json_out.write_text(json.dumps({"machine": where, "measurements": [asdict(m) for m in measurements]}, indent=2) + "\n")
    if markdown:
        markdown.write_text(as_markdown(measurements, where) + "\n")


@bench_app.command("extract")
@handle_errors
def extract_command(
    articles: Annotated[
        int, typer.Option("--articles", "-n", help="How many generated articles (about 2,000 characters each).", min=1)
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed generates the same articles.")] = 1,
    ontology: Annotated[
        Path | None, typer.Option("--ontology", help="Ontology Turtle to read signal words from (default: the bundled one).")
    ] = None,
) -> None:
    """kg extract over generated news articles: articles per second and peak RSS (target: 1,000 in ≤ 60 s)."""
    from .extraction import measure
    from .run import machine

    with err_console.status(f"extracting {articles:,} generated articles …"):
        result = measure(articles, seed, ontology)
    out_console.print_json(json.dumps({"machine": machine(), **asdict(result), "met_target": result.seconds <= result.target_seconds}))
