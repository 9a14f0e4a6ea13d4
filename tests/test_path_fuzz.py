"""Property: every path argument of every command, given any kind of path, gets a clear answer and writes only
where it may (issue 12 part 1).

Kinds: absolute and relative new names, `..` into data/raw, links to data/raw and to a file in it, an
existing folder, data/raw itself, a file in it, a FIFO, a committed output, a missing folder, the corpus
folder in use. Asserted for each: no traceback; a refused path gives a non-zero exit and one line (the
validator's reports add one summary line); data/raw and the committed outputs are unchanged (checksums);
a link or FIFO given as output is still there, unreplaced. Commands run in-process (``cli.main``) from a
scratch working folder; a small fixed example budget keeps it a few minutes.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from peerlearn.cli import main
from peerlearn.paths import RAW_DIR, REPO_ROOT
from reliability import checksums

pytestmark = pytest.mark.slow
PROTECTED = ("data/raw", "figures", "data/processed", "notebooks")
# kinds of path, made inside a scratch folder ``tmp`` that is also the working folder; corpus: a valid copy of data/raw
KINDS = {
    "absolute new": lambda tmp, corpus: str(tmp / "new.out"),
    "relative new": lambda tmp, corpus: "sub/new.out",
    "dotdot into raw": lambda tmp, corpus: str(REPO_ROOT / "figures" / ".." / "data" / "raw" / "new.out"),
    "link to raw folder": lambda tmp, corpus: str(tmp / "raw_link" / "new.out"),
    "link to a raw file": lambda tmp, corpus: str(tmp / "studies_link.csv"),
    "existing folder": lambda tmp, corpus: str(tmp / "sub"),
    "raw itself": lambda tmp, corpus: str(RAW_DIR),
    "raw file": lambda tmp, corpus: str(RAW_DIR / "studies.csv"),
    "fifo": lambda tmp, corpus: str(tmp / "fifo.out"),
    "committed output": lambda tmp, corpus: str(REPO_ROOT / "figures" / "figuur_1_model_nl.svg"),
    "missing folder": lambda tmp, corpus: str(tmp / "no" / "such" / "new.out"),
    "corpus in use": lambda tmp, corpus: str(corpus / "new.out"),
}
REFUSED_OUTPUTS = {
    "dotdot into raw",
    "link to raw folder",
    "link to a raw file",
    "existing folder",
    "raw itself",
    "raw file",
    "fifo",
    "committed output",
    "missing folder",
    "corpus in use",
}
VALID_CORPORA = {"raw itself"}  # as a --data-dir; reproduce on it is the full run of tests/test_reproducibility.py
# name -> arguments with the path P in one place; ``corpus``: --data-dir for an output's kind "corpus in use"
COMMANDS = {
    "validate --data-dir": lambda p, corpus: ["validate", "--data-dir", p],
    "audit --data-dir": lambda p, corpus: ["audit", "--data-dir", p],
    "export --output bibtex": lambda p, corpus: ["export", "--format", "bibtex", "--output", p, *corpus],
    "export --output xlsx": lambda p, corpus: ["export", "--format", "xlsx", "--output", p, *corpus],
    "export --data-dir": lambda p, corpus: ["export", "--format", "csljson", "--output", "ok.json", "--data-dir", p],
    "walkthrough --output": lambda p, corpus: ["walkthrough", "--hypothesis", "5", "--output", p, *corpus],
    "walkthrough --data-dir": lambda p, corpus: [
        "walkthrough",
        "--hypothesis",
        "5",
        "--data-dir",
        p,
        "--output",
        "ok.ipynb",
    ],
    "reproduce --data-dir": lambda p, corpus: ["reproduce", "--data-dir", p],
}


def _scratch(tmp: Path) -> Path:
    corpus = tmp / "corpus"
    shutil.copytree(RAW_DIR, corpus)
    (tmp / "sub").mkdir()
    (tmp / "raw_link").symlink_to(RAW_DIR)
    (tmp / "studies_link.csv").symlink_to(RAW_DIR / "studies.csv")
    os.mkfifo(tmp / "fifo.out")
    return corpus


@settings(
    max_examples=examples(30),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(command=st.sampled_from(sorted(COMMANDS)), kind=st.sampled_from(sorted(KINDS)))
def test_every_path_argument_gets_a_clear_answer_and_writes_only_where_it_may(command, kind, monkeypatch, capsys):
    if command == "reproduce --data-dir" and kind in VALID_CORPORA:
        return  # a full run of the committed corpus: tests/test_reproducibility.py
    before = checksums(REPO_ROOT, PROTECTED)
    with tempfile.TemporaryDirectory(prefix="peerlearn-fuzz-") as name:
        tmp = Path(name).resolve()
        corpus = _scratch(tmp)
        corpus_before = checksums(tmp, ("corpus",))
        monkeypatch.chdir(tmp)
        path = KINDS[kind](tmp, corpus)
        code = main(COMMANDS[command](path, ["--data-dir", str(corpus)] if kind == "corpus in use" else []))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err, (command, kind, err)
        is_output = "--output" in command
        if is_output and kind in REFUSED_OUTPUTS:
            assert code != 0, (command, kind)
        if code != 0:
            lines = err.splitlines()
            assert 1 <= len(lines) <= (2 if "--data-dir" in command else 1), (command, kind, err)
        assert checksums(tmp, ("corpus",)) == corpus_before, (command, kind)
        assert (tmp / "raw_link").is_symlink() and (tmp / "studies_link.csv").is_symlink()
        assert stat.S_ISFIFO((tmp / "fifo.out").lstat().st_mode)
    assert checksums(REPO_ROOT, PROTECTED) == before, (command, kind)
