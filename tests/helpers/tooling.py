"""Finding the external tools tests need: skip locally when absent, fail in CI (CI=true)."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name: str, hint: str) -> str:
    """The path of ``name``; skips the test locally if it is missing, fails it in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed ({hint})"
        if IN_CI:
            pytest.fail(f"{message}; .ci/run must install it", pytrace=False)
        pytest.skip(message)
    return path
