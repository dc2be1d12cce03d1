"""The ``kg`` command. Importing the command modules registers their commands on the app."""

from graph.cli import bench as _bench  # noqa: F401
from graph.cli import build as _build  # noqa: F401
from graph.cli import query as _query  # noqa: F401
from graph.cli.app import app, main

__all__ = ["app", "main"]
