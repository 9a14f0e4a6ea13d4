"""ruff's lint and format checks ([tool.ruff] in pyproject.toml) hold over the whole repository.

The same checks run before each commit (.pre-commit-config.yaml); here they also run in CI.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from peerlearn.paths import REPO_ROOT


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args", [("check", "--no-cache", "--output-format", "concise"), ("format", "--check", "--no-cache")], ids=" ".join
)
def test_ruff_is_clean(args):
    result = _ruff(*args, ".")
    assert result.returncode == 0, result.stdout + result.stderr
