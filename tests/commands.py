"""The ``peerlearn`` command run inside the test process: ``peerlearn.cli.main(argv)`` with its output captured.

Tests of what a command prints and the status it returns run it this way: the same code as ``python -m peerlearn``
(argument parsing, the commands, main's handling of errors), without starting an interpreter per case. What only a
real process shows (the status the shell sees, no traceback on stderr, a reader that closes stdout early) is tested
with real processes (``reliability.run_peerlearn``) in a few tests marked slow.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from peerlearn import cli
from peerlearn.paths import REPO_ROOT
from reliability import raw_checksums


@dataclass
class Result:
    """What ``subprocess.run(..., capture_output=True, text=True)`` would give."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run(*args, cwd: Path = REPO_ROOT) -> Result:
    """``peerlearn *args`` in this process, in ``cwd``, with the caller's PEERLEARN_* settings other than the
    output folder removed (as ``reliability.env_for`` does for a process); data/raw must be byte-identical after."""
    argv = [str(a) for a in args]
    before = raw_checksums(REPO_ROOT)
    environ, here = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        for name in [k for k in os.environ if k.startswith("PEERLEARN_") and k != "PEERLEARN_OUTPUT_DIR"]:
            del os.environ[name]
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as e:  # argparse refuses the arguments (status 2) or answers --help (0)
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        os.chdir(here)
        os.environ.clear()
        os.environ.update(environ)
    assert raw_checksums(REPO_ROOT) == before, f"`peerlearn {' '.join(argv)}` changed data/raw"
    return Result(argv, code, out.getvalue(), err.getvalue())
