"""The ``kg`` Typer application, shared options and error handling.

Commands live in sibling modules (one per verb group) and register themselves on :data:`app`.
Results go to stdout; progress, logs and errors go to stderr, so pipes stay clean. Exit codes:
0 success, 1 invalid data, 2 usage or runtime error. Every error, a bad option included, is
printed in the one style of :mod:`graph.cli.output` (as JSON with ``-f json``).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click import exceptions as click_errors  # typer (0.28) raises its own vendored click's errors, not click's
from typer.core import TyperGroup

from graph import __version__, paths
from graph.cli.output import Report, err_console, out_console, wants_json
from graph.errors import EXIT_USAGE, QuotegraphError, file_system_error
from graph.model.lang import Lang
from graph.store.builds import OutDir

__all__ = ["COMMAND_MODULES", "app", "err_console", "fail", "handle_errors", "load_commands", "main", "out_console"]

#: Each command (or command group) of ``kg`` and the module that registers it when imported, in the
#: order ``kg --help`` lists them. A command's module is imported when the command runs, not
#: before: importing every command module cost each command 1.72 s against 0.78 s for
#: ``graph.cli.ask`` alone (median of 7 fresh processes, 2026-12-03, 2 cores at a load average of 4-5): spaCy's mention finder, trafilatura and starlette
#: are not needed to walk a cache. tests/cli/test_cli.py checks that the table names every command the modules register.
COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(["lookup", "neighbors", "path", "central", "communities"], "graph.cli.ask"),
    **dict.fromkeys(["build", "validate", "stats"], "graph.cli.build"),
    "entities": "graph.cli.entities",
    **dict.fromkeys(["extract", "drafts"], "graph.cli.extract"),
    **dict.fromkeys(["init", "add"], "graph.cli.ingest"),
    "push": "graph.cli.push",
    **dict.fromkeys(["query", "export"], "graph.cli.query"),
    "serve": "graph.cli.serve",
    "contradictions": "graph.cli.stances",
    **dict.fromkeys(["sources", "timeline", "diff"], "graph.cli.story"),
    "view": "graph.cli.view",
    "vocabulary": "graph.cli.vocabulary",
}


def load_commands() -> None:
    """Import every command module, so that every command is registered on :data:`app`."""
    for module in dict.fromkeys(COMMAND_MODULES.values()):
        importlib.import_module(module)


def _command_path(ctx: Any) -> str:
    """``kg query``, however the program was started (``python -m graph`` included)."""
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(["kg", *reversed(names)])


def _import_command(name: str) -> bool:
    """Import the module of the command ``name`` (:data:`COMMAND_MODULES`); False if there is no such command."""
    if name not in COMMAND_MODULES:
        return False
    importlib.import_module(COMMAND_MODULES[name])
    return True


class _Group(TyperGroup):
    """The ``kg`` group: commands imported when asked for; a bad option or argument is reported like every other error.

    Typer turns the commands registered on :data:`app` into click commands once, when the group
    is made; a command whose module was not imported yet is not among them. ``get_command``
    imports the module of the command asked for (:data:`COMMAND_MODULES`) and takes the click
    commands Typer makes of it; ``list_commands`` (``kg --help``) and an unknown command (for
    "did you mean") import them all.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        load_commands()
        return list(self._add_registered())  # Typer's order: the commands as registered, then the groups

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            if not _import_command(cmd_name):  # unknown: Typer suggests from the commands it knows, so let it know them all
                load_commands()
            self._add_registered()
        return super().get_command(ctx, cmd_name)

    def _add_registered(self) -> Mapping[str, Any]:
        """Add the click commands Typer makes of what is registered now; returns them in Typer's order.

        Only the top group is a ``_Group``: the sub-groups (``kg entities``, ``kg drafts``) are
        Typer's own and hold their commands from the start.
        """
        made = typer.main.get_group(app).commands
        for name, command in made.items():
            self.commands.setdefault(name, command)
        return made

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        words = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(words, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click_errors.ClickException as exc:
            command = _command_path(exc.ctx if isinstance(exc, click_errors.UsageError) else None)
            Report.single("usage-error", f"{exc.format_message()} ({command} --help)", exc.exit_code).print(wants_json(words))
            sys.exit(exc.exit_code)
        except typer.Abort:
            Report.single("interrupted", "interrupted", 130).print(wants_json(words))
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


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
    cls=_Group,
)

F = TypeVar("F", bound=Callable[..., Any])

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Data folder (sources/, statements/, entities.yaml). Default: the project found from the current "
        "directory upwards (a data folder, or a folder holding data/); the bundled demo where there is none.",
        show_default=False,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help=f"Output folder to write the new build into. Default: ${paths.OUT_ENV}, else {paths.DEFAULT_OUT_DIRNAME}/ in the "
        "project's root, else ./" + paths.DEFAULT_OUT_DIRNAME + ".",
        show_default=False,
    ),
]


class ReportFormat(StrEnum):
    """What a command that reports what it did prints on stdout: a table or lines for people, one JSON object for scripts."""

    table = "table"
    json = "json"


ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="table for people, json for scripts.")]
BuildOption = Annotated[
    Path | None,
    typer.Option(
        "--build",
        help="The build to read: an output folder (its current build) or one of its build folders "
        f"(builds/<id>). Default: ${paths.OUT_ENV}, else {paths.DEFAULT_OUT_DIRNAME}/ in the project's root "
        f"(found from the current directory upwards), else ./{paths.DEFAULT_OUT_DIRNAME}.",
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


@dataclass(frozen=True)
class DataChoice:
    """The data folder a command reads, and why that one: ``--data``, the project found, or the demo."""

    path: Path
    project: paths.Project | None
    origin: str  # "option" | "project" | "bundled"

    def as_json(self) -> dict[str, str]:
        return {"data_dir": str(self.path), "data_from": self.origin}


def choose_data(data: Path | None, *, announce: bool = True) -> DataChoice:
    """``--data``, else the project of the current directory, else the bundled demo; said on stderr.

    Saying it every time is the point: a build that silently read another folder than the user
    meant (the copy in site-packages, the demo) is the mistake this prevents.
    """
    cwd = Path.cwd()
    if data is not None:
        choice = DataChoice(data.resolve(), paths.project_of(data), "option")
        note = f"data: {choice.path} (--data)"
    elif (found := paths.find_project(cwd)) is not None:
        choice = DataChoice(found.data, found, "project")
        note = f"data: {found.data} (the project found from {cwd})"
    else:
        choice = DataChoice(paths.bundled_data_dir(), None, "bundled")
        note = f"data: the bundled demo in {choice.path}: no project in {cwd} or above (kg init DIR starts one, --data DIR names one)"
    if announce:
        err_console.print(note, highlight=False, markup=False, soft_wrap=True, emoji=False)
    return choice


def data_dir(data: Path | None) -> Path:
    """The data folder a command reads (see :func:`choose_data`), said on stderr."""
    return choose_data(data).path


def out_dir(out: Path | None, data: DataChoice | None = None) -> OutDir:
    """The output folder a build writes into: ``--out``, ``$QUOTEGRAPH_OUT``, the project's, or ./quotegraph-out."""
    return OutDir(out if out is not None else paths.default_out_dir(data.project if data else None))


def build_dir(build: Path | None) -> OutDir:
    """The build a reading command reads: ``--build`` (an output folder or a build folder), else the default.

    The default is the output folder of the project found from the current directory, so that
    ``kg query`` in any subfolder of a project reads what ``kg build`` there wrote.
    """
    return OutDir.for_reading(build if build is not None else paths.default_out_dir(paths.find_project()))


def fail(message: str, code: int = EXIT_USAGE, *, as_json: bool = False, name: str = "usage-error") -> typer.Exit:
    """Print ``error: message`` (or its JSON) and return the exit to raise."""
    Report.single(name, message, code).print(as_json)
    return typer.Exit(code)


def _asks_json(kwargs: dict[str, Any]) -> bool:
    return str(getattr(kwargs.get("format"), "value", kwargs.get("format"))) == "json"


def _stdout_to_devnull() -> None:
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def handle_errors(func: F) -> F:
    """Turn every quotegraph error into one line per problem on stderr (JSON with ``-f json``) and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QuotegraphError as exc:
            report = Report.of(exc)
            report.print(_asks_json(kwargs))
            raise typer.Exit(report.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted; nothing was published", 130, as_json=_asks_json(kwargs), name="interrupted") from None
        except BrokenPipeError:
            # A reader that stopped early (`kg export | head`) is not an error, nor the file system
            # failing. Click turns EPIPE into exit 1 before main() could see it, and Python would
            # complain again when it flushes stdout at exit: stdout now goes nowhere.
            _stdout_to_devnull()
            raise typer.Exit(0) from None
        except OSError as exc:
            # what no room turned into an error of its own (a full disk under kg export or kg view -o)
            report = Report.of(file_system_error(exc))
            report.print(_asks_json(kwargs))
            raise typer.Exit(report.exit_code) from None

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


def _freeze_imports(words: Sequence[str]) -> None:
    """Import the command asked for, then keep everything imported out of the collector's passes.

    A command imports some 300,000 objects (numpy, Rich, Typer; rdflib and networkx for most commands) that live as long as
    the process, and every full pass of the cyclic garbage collector walks them again, for nothing
    to collect (236 passes in one ``kg neighbors --depth 2`` at a million statements; their time
    is in the README's Performance section).
    :func:`gc.freeze` moves them to a generation that is never walked. Only the console entry
    does this: tests that run commands in-process keep a collector that sees their objects.
    """
    name = next((w for w in words if not w.startswith("-")), None)
    if name is not None:
        _import_command(name)
    gc.freeze()


def main() -> None:
    """Entry point of the ``kg`` console script and ``python -m graph``."""
    _freeze_imports(sys.argv[1:])
    try:
        app()
    except BrokenPipeError:  # `kg export | head` closes the pipe early, outside a command: not an error
        _stdout_to_devnull()
        sys.exit(0)
