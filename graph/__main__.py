"""Run the CLI as ``python -m graph`` (the same as the ``kg`` console script)."""

from graph.cli import main

if __name__ == "__main__":
    main()
