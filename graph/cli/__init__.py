"""The ``kg`` command. Importing the command modules registers their commands on the app."""

from graph.cli import ask as _ask  # noqa: F401
from graph.cli import build as _build  # noqa: F401
from graph.cli import entities as _entities  # noqa: F401
from graph.cli import extract as _extract  # noqa: F401
from graph.cli import ingest as _ingest  # noqa: F401
from graph.cli import push as _push  # noqa: F401
from graph.cli import query as _query  # noqa: F401
from graph.cli import serve as _serve  # noqa: F401
from graph.cli import stances as _stances  # noqa: F401
from graph.cli import story as _story  # noqa: F401
from graph.cli import view as _view  # noqa: F401
from graph.cli import vocabulary as _vocabulary  # noqa: F401
from graph.cli.app import app, main

__all__ = ["app", "main"]
