"""This room's tests read the first source alone (see helpers.first_source); the browser tests
share one Chromium per module (helpers.browser)."""

from helpers.browser import browser
from helpers.first_source import built, data_copy, projection, store

__all__ = ["browser", "built", "data_copy", "projection", "store"]
