"""This room's tests read the first source alone (see helpers.first_source)."""

from helpers.first_source import built, data_copy, store

__all__ = ["built", "data_copy", "store"]
