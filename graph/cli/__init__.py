"""The ``kg`` command. Each command module registers its commands on the app; a module is imported when its command runs."""

from graph.cli.app import app, load_commands, main

__all__ = ["app", "load_commands", "main"]
