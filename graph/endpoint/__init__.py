"""``kg serve``: the SPARQL 1.1 protocol, the worker pool that runs queries, the HTTP server and its page."""
