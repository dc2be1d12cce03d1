"""The build: plan (what changed), the scan (of a big folder in a process of its own), worker processes, loading, validation, then the network cache and the view.

The build sits above the store, query, network and view rooms because it publishes all of them
together, atomically, in one build folder; only the command line imports it.
"""
