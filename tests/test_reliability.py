"""A killed or failing `peerlearn reproduce` never leaves figures/, data/processed/ or notebooks/ half written.

Every test works in a throw-away copy of the repository whose outputs are first
"aged" (made to differ from what a run writes), so each output file is
recognisably OLD or NEW. The invariant checked after every interruption: each
file is its whole old or its whole new self, and once the next `peerlearn`
command has run, the tree is entirely OLD or entirely NEW. data/raw is
checksummed around every command (see reliability.run_peerlearn).

Faults are injected deterministically with $PEERLEARN_FAULT (a test-only hook in
peerlearn/reproduce/journal.py that SIGKILLs the process at a named point), by a
notebook cell that SIGKILLs the run from inside its kernel, and once by a real
SIGKILL sent from outside at a moment in time. One short real run (a copy
reduced to notebook 01, killed once everything is staged) is shared by the
tests of the commit step; the full runs are in tests/test_reproducibility.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from peerlearn import report
from peerlearn.reproduce import notebooks
from reliability import (
    age_outputs,
    append_cell,
    checksums,
    copy_repo,
    env_for,
    keep_only_notebook,
    python,
    run_peerlearn,
)

pytestmark = pytest.mark.slow  # runs notebooks in copies of the repository

KILLED = -signal.SIGKILL
NOTEBOOKS = notebooks()
COMMIT = (
    "from peerlearn.reproduce import journal as j; from peerlearn.paths import REPO_ROOT; "
    "j.commit(j.STAGE, REPO_ROOT)"
)  # the commit step of `peerlearn reproduce`


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A copy of the repository with its outputs aged: (root, OLD checksums, NEW checksums)."""
    root = copy_repo(tmp_path_factory.mktemp("fresh") / "repo")
    new = checksums(root)
    age_outputs(root)
    old = checksums(root)
    assert set(old) == set(new) and all(old[f] != new[f] for f in old)
    return root, old, new


@pytest.fixture
def aged(fresh, tmp_path):
    root, old, new = fresh
    copy = tmp_path / "repo"
    shutil.copytree(root, copy)
    return copy, old, new


@pytest.fixture(scope="module")
def staged(fresh, tmp_path_factory):
    """A real run of a copy reduced to notebook 01, killed once it has succeeded and is staged, before any commit."""
    root, old, new = fresh
    copy = tmp_path_factory.mktemp("staged") / "repo"
    shutil.copytree(root, copy)
    keep_only_notebook(copy, "01_studies_and_selection")
    old, new = ({f: v for f, v in sums.items() if (copy / f).exists()} for sums in (old, new))
    items = [i for i in report.ITEMS.values() if i.notebook == "01_studies_and_selection"]
    assert len(old) == 1 + sum(
        1 if i.kind == "table" else 2 for i in items
    )  # the notebook, its tables, SVG+PNG per figure
    result = run_peerlearn(copy, "reproduce", fault="stage")
    assert result.returncode == KILLED, result.stderr
    return copy, old, new


def journal(root):
    return root / ".reproduce" / "commit.json"


def mixed_state(root, old, new) -> int:
    """Check every output is whole OLD or whole NEW (nothing else, nothing extra); return how many are NEW."""
    now = checksums(root)
    assert set(now) == set(old), f"files appeared or vanished: {set(now) ^ set(old)}"
    torn = [f for f in now if now[f] not in (old[f], new[f])]
    assert not torn, f"files neither old nor new: {torn}"
    return sum(now[f] == new[f] for f in now)


def test_killed_after_staging_leaves_everything_old(staged):
    root, old, _new = staged
    assert checksums(root) == old
    assert not journal(root).exists()
    assert len(list((root / ".reproduce" / "stage").rglob("*.*"))) == len(old)
    result = run_peerlearn(
        root, "validate"
    )  # no journal: nothing to finish, the stage is simply discarded by the next run
    assert result.returncode == 0 and result.stderr == ""
    assert checksums(root) == old


@pytest.mark.parametrize("point, moved", [("journal", 0), ("move:1", 1), ("move:2", 2), ("moved", "all")])
def test_commit_killed_midway_is_finished_by_the_next_command(staged, tmp_path, point, moved):
    root, old, new = staged
    moved = len(old) if moved == "all" else moved
    copy = tmp_path / "repo"
    shutil.copytree(root, copy)
    result = python(copy, "-c", COMMIT, PEERLEARN_FAULT=point)
    assert result.returncode == KILLED, result.stderr
    assert len(json.loads(journal(copy).read_text(encoding="utf-8"))["moves"]) == len(old)
    assert mixed_state(copy, old, new) == moved
    result = run_peerlearn(copy, "validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "peerlearn: finished the interrupted commit of an earlier `peerlearn reproduce` "
        f"({len(old) - moved} file(s) moved into place)"
    ]
    assert checksums(copy) == new
    assert not journal(copy).exists() and not (copy / ".reproduce" / "stage").exists()
    again = run_peerlearn(copy, "validate")
    assert again.returncode == 0 and again.stderr == ""


def test_reproduce_finishes_an_interrupted_commit_before_anything_else(staged, tmp_path, corpus):
    root, _old, new = staged
    copy = tmp_path / "repo"
    shutil.copytree(root, copy)
    assert python(copy, "-c", COMMIT, PEERLEARN_FAULT="move:1").returncode == KILLED
    (corpus / "factors.csv").unlink()  # a broken corpus stops the run right after recovery, before any notebook
    result = run_peerlearn(copy, "reproduce", "--data-dir", str(corpus))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("peerlearn: finished the interrupted commit")
    assert checksums(copy) == new and not journal(copy).exists()


def test_killed_inside_a_notebook_leaves_everything_old(aged):
    root, old, _new = aged
    # The kernel is a child of the run: this last cell of notebook 01, whose tables are already
    # written to the stage, kills the run and then ends the kernel.
    append_cell(
        root / "notebooks" / "01_studies_and_selection.ipynb",
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos._exit(0)",
    )
    old = checksums(root)
    result = run_peerlearn(root, "reproduce", "--jobs", "1")  # in one process, so the kernel's parent is the run
    assert result.returncode == KILLED, result.stderr
    assert result.stdout.startswith(f"[1/{len(NOTEBOOKS)}] 01_studies_and_selection.ipynb ...")
    assert list((root / ".reproduce" / "stage" / "data" / "processed").glob("*.csv"))
    assert checksums(root) == old and not journal(root).exists()


def test_real_sigkill_at_a_moment_in_time_leaves_everything_old(aged):
    root, old, _new = aged
    proc = subprocess.Popen(
        [sys.executable, "-m", "peerlearn", "reproduce"],
        cwd=root,
        env=env_for(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        seen = b""
        while f"[2/{len(NOTEBOOKS)}]".encode() not in seen:  # notebook 01 is done and its outputs are staged
            chunk = proc.stdout.read1(100)
            assert chunk, f"the run ended early: {seen!r}"
            seen += chunk
        time.sleep(1.5)  # inside notebook 02: its kernel alone takes longer to start
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=60) == KILLED
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the orphaned kernel of the run started here
        except ProcessLookupError:
            pass
        proc.stdout.close()
    assert not journal(root).exists()
    assert checksums(root) == old
    assert run_peerlearn(root, "validate").returncode == 0
    assert checksums(root) == old


def test_failing_notebook_leaves_earlier_outputs_in_place(aged):
    root, old, _new = aged
    cell = append_cell(
        root / "notebooks" / "01_studies_and_selection.ipynb", 'raise RuntimeError("deliberate failure")'
    )
    old = checksums(root)
    result = run_peerlearn(root, "reproduce")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert re.match(
        rf"peerlearn reproduce: 01_studies_and_selection.ipynb failed in cell {cell} .*"
        r"RuntimeError: deliberate failure.*earlier outputs left in place",
        line,
    ), line
    assert list((root / ".reproduce" / "stage" / "data" / "processed").glob("*.csv"))  # staged, never committed
    assert checksums(root) == old and not journal(root).exists()
    assert (root / ".reproduce" / "failed" / "01_studies_and_selection.ipynb").is_file()


@contextlib.contextmanager
def lock_held(root):
    """Another process holding the lock of a running `peerlearn reproduce` in the copy ``root`` for the block."""
    code = (
        "import sys\nfrom peerlearn.reproduce.lock import exclusive\n"
        "with exclusive():\n    print('held', flush=True)\n    sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=root,
        env=env_for(root),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline() == "held\n"
        yield
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        proc.stdout.close()


def test_a_second_reproduce_refuses_while_one_runs(staged, tmp_path):
    root, old, _new = staged
    copy = tmp_path / "repo"
    shutil.copytree(root, copy)
    stage = checksums(copy, (".reproduce/stage",))
    assert stage
    with lock_held(copy):
        result = run_peerlearn(copy, "reproduce")
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("peerlearn reproduce: another `peerlearn reproduce` is running in "), line
    # The running one's stage and the committed outputs are untouched.
    assert checksums(copy, (".reproduce/stage",)) == stage and checksums(copy) == old


def test_recovery_leaves_the_commit_of_a_running_reproduce_alone(staged, tmp_path):
    root, old, new = staged
    copy = tmp_path / "repo"
    shutil.copytree(root, copy)
    assert python(copy, "-c", COMMIT, PEERLEARN_FAULT="move:1").returncode == KILLED
    with lock_held(copy):  # as if that run were still busy moving files: another command must not join in
        result = run_peerlearn(copy, "validate")
        assert result.returncode == 0 and result.stderr == ""
        assert journal(copy).exists() and mixed_state(copy, old, new) == 1
    result = run_peerlearn(copy, "validate")  # the lock is free: the next command finishes the commit
    assert result.stderr.startswith("peerlearn: finished the interrupted commit")
    assert checksums(copy) == new and not journal(copy).exists()


def test_outputs_that_no_notebook_writes_are_reported_and_left_alone(fresh, tmp_path):
    root, _, _ = fresh
    copy = tmp_path / "repo"
    shutil.copytree(root, copy)
    keep_only_notebook(copy, "01_studies_and_selection")
    stray = [copy / "figures" / "figuur_9_gone_nl.svg", copy / "data" / "processed" / "gone_table.csv"]
    for path in stray:
        path.write_text("an output of an item that no longer exists\n", encoding="utf-8")
    result = run_peerlearn(copy, "reproduce")
    assert result.returncode == 0, result.stderr
    reported = [line.split()[2] for line in result.stderr.splitlines() if "was not written by this run" in line]
    assert reported == ["data/processed/gone_table.csv", "figures/figuur_9_gone_nl.svg"]
    assert all(p.read_text(encoding="utf-8") == "an output of an item that no longer exists\n" for p in stray)


OTHER_COMMANDS = {  # command -> arguments for a real run in a copy (validate and reproduce are run above)
    "audit": ("audit",),
    "export": ("export", "--format", "xlsx", "--output", "corpus.xlsx"),
    "walkthrough": ("walkthrough", "--hypothesis", "2", "--lang", "en"),
    "site": ("site",),
}


@pytest.fixture(scope="module")
def plain_copy(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("commands") / "repo")


@pytest.mark.parametrize("command", sorted(OTHER_COMMANDS))
def test_other_commands_leave_data_raw_alone(plain_copy, command):
    result = run_peerlearn(plain_copy, *OTHER_COMMANDS[command])  # compares data/raw checksums before and after
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_every_cli_command_is_checked_for_writes_to_data_raw():
    """The tests above, tests/test_reproducibility.py and tests/test_verify.py run every command through
    reliability.run_peerlearn, which compares data/raw checksums before and after; a new command needs such a test
    too."""
    usage = subprocess.run([sys.executable, "-m", "peerlearn", "--help"], capture_output=True, text=True).stdout
    commands = set(re.search(r"\{([a-z,-]+)\}", usage).group(1).split(","))
    assert commands == {"validate", "reproduce", "verify", *OTHER_COMMANDS}, (
        "add a data/raw checksum test for the new command"
    )
