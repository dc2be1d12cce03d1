"""The ``kg`` Typer application, shared options and error handling.

Commands live in sibling modules (one per verb group) and register themselves on :data:`app`.
Results go to stdout; progress, logs and errors go to stderr, so pipes stay clean. Exit codes:
0 success, 1 invalid data, 2 usage or runtime error.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from graph import __version__, paths
from graph.errors import EXIT_USAGE, DataError, GraphInvalid, QuotegraphError
from graph.query.params import Lang
from graph.store.builds import OutDir

app = typer.Typer(
    name="kg",
    help=(
        "quotegraph: a knowledge graph of people, organisations and positions in which every edge "
        "carries the exact quote that supports it.\n\n"
        "Exit codes: 0 success, 1 invalid data, 2 usage or runtime error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

#: stdout: results. stderr: progress, logs, errors.
out_console = Console(soft_wrap=False)
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])

DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Data folder (sources/, entities.yaml, statements/). Default: the bundled data.", show_default=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help=f"Output folder to write the new build into. Default: ${paths.OUT_ENV} or ./{paths.DEFAULT_OUT_DIRNAME}.",
        show_default=False,
    ),
]
BuildOption = Annotated[
    Path | None,
    typer.Option(
        "--build",
        help="The build to read: an output folder (its current build) or one of its build folders "
        f"(builds/<id>). Default: ${paths.OUT_ENV} or ./{paths.DEFAULT_OUT_DIRNAME}.",
        show_default=False,
    ),
]

LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        help="Language of labels (bundled queries, analysis, network exports): en or de. "
        "Quotes stay in the source's language, with the translation beside them.",
    ),
]


def data_dir(data: Path | None) -> Path:
    return data if data is not None else paths.bundled_data_dir()


def out_dir(out: Path | None) -> OutDir:
    """The output folder a build writes into."""
    return OutDir(out if out is not None else paths.default_out_dir())


def build_dir(build: Path | None) -> OutDir:
    """The build a reading command reads: ``--build`` (an output folder or a build folder), else the default."""
    return OutDir.for_reading(build if build is not None else paths.default_out_dir())


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def handle_errors(func: F) -> F:
    """Turn every quotegraph error into one line per problem on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DataError as exc:
            for problem in exc.problems:
                err_console.print(f"[bold red]error:[/] {problem}", highlight=False, soft_wrap=True, markup=True, emoji=False)
            err_console.print(f"{len(exc.problems)} problem(s) in the data; nothing was written.", highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except GraphInvalid as exc:
            for message in exc.messages:
                err_console.print(f"[bold red]SHACL violation:[/] {message}", highlight=False, soft_wrap=True, emoji=False)
            err_console.print("The built graph does not conform to ontology/shapes.ttl; nothing was written.", highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except QuotegraphError as exc:
            raise fail(str(exc).replace("[", "\\["), exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted; nothing was published", 130) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        out_console.print(f"quotegraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """quotegraph command line."""


def main() -> None:
    """Entry point of the ``kg`` console script and ``python -m graph``."""
    try:
        app()
    except BrokenPipeError:  # `kg export | head` closes the pipe early; that is not an error
        sys.stderr.close()
        sys.exit(0)
