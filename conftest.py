"""pytest set-up for the nbval run over notebooks/.

- nbval compares every stored output of every cell except ``text/html`` (pandas'
  HTML changes between versions) and ``image/svg+xml``; the plain-text repr of
  every table is still compared, and figures have their own byte test
  (tests/test_outputs.py). PNG images are never compared by nbval.
- While tests run, notebooks write their outputs to a temporary folder, so a
  test run never touches figures/ or data/processed/.
"""
from __future__ import annotations

import os
import tempfile

from peerlearn.output import OUTPUT_DIR_ENV

NBVAL_SKIP = ("text/html", "image/svg+xml")


def pytest_configure(config):
    os.environ.setdefault(OUTPUT_DIR_ENV, tempfile.mkdtemp(prefix="peerlearn-test-outputs-"))
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        parent = item.parent
        if hasattr(parent, "skip_compare"):
            parent.skip_compare = tuple(parent.skip_compare) + tuple(k for k in NBVAL_SKIP if k not in parent.skip_compare)
