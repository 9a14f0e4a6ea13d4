"""pytest set-up for the nbval run over notebooks/.

- nbval compares every stored output of every cell except ``text/html`` (pandas'
  HTML changes between versions) and ``image/svg+xml``; the plain-text repr of
  every table is still compared, and figures have their own byte test
  (tests/test_outputs.py). PNG images are never compared by nbval.
- While tests run, notebooks write their outputs to a temporary folder, so a
  test run never touches figures/ or data/processed/; the folder is removed when
  the run ends (unless PEERLEARN_OUTPUT_DIR was set by the caller).
- The sanitizer file is named by its absolute path, so ``pytest`` works from any
  folder of the repository; every notebook cell is marked ``slow``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from peerlearn.output import OUTPUT_DIR_ENV

NBVAL_SKIP = ("text/html", "image/svg+xml")
NBVAL_SANITIZE = Path(__file__).resolve().parent / "tests" / "nbval_sanitize.cfg"
OUTPUTS_KEY = pytest.StashKey[Path]()


def pytest_configure(config):
    if hasattr(config.option, "nbval_sanitize_with") and config.option.nbval_sanitize_with is None:
        config.option.nbval_sanitize_with = str(NBVAL_SANITIZE)
    if OUTPUT_DIR_ENV not in os.environ:
        outputs = Path(tempfile.mkdtemp(prefix="peerlearn-test-outputs-"))
        config.stash[OUTPUTS_KEY] = outputs
        os.environ[OUTPUT_DIR_ENV] = str(outputs)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def pytest_unconfigure(config):
    outputs = config.stash.get(OUTPUTS_KEY, None)
    if outputs is not None:
        shutil.rmtree(outputs, ignore_errors=True)
        if os.environ.get(OUTPUT_DIR_ENV) == str(outputs):
            del os.environ[OUTPUT_DIR_ENV]


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        parent = item.parent
        if hasattr(parent, "skip_compare"):  # a cell of a notebook run by nbval
            item.add_marker(pytest.mark.slow)
            parent.skip_compare = tuple(parent.skip_compare) + tuple(
                k for k in NBVAL_SKIP if k not in parent.skip_compare
            )
