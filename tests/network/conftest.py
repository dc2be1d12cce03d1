"""This room's tests read the first source alone (see helpers.first_source); test_cache.py
compares the cache with the oracle on the whole bundled data too (``bundled_built``)."""

from helpers.first_source import built, projection, store

__all__ = ["built", "projection", "store"]
