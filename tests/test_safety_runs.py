"""Whole commands outside the happy path (issue 12 parts 1 and 5), each in a throw-away copy of the repository.

- killing `peerlearn reproduce` (SIGTERM, SIGKILL) leaves no worker or kernel behind;
- `peerlearn reproduce | head -1` neither hides a failure nor cuts the run short;
- another corpus gets its own output and site folders, never the committed ones;
- `walkthrough --output` is relative to the user's folder and writes nothing into the repository's outputs;
- with data/raw read-only, and a guard that blocks and records any write under it in every Python process
  (the CLI, pool workers, kernels), every command still works and nothing is opened for writing there.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from peerlearn import report
from peerlearn.paths import corpus_dir
from reliability import age_outputs, append_cell, checksums, copy_repo, env_for, raw_checksums, run_peerlearn

pytestmark = pytest.mark.slow
COMMITTED = ("figures", "data/processed", "notebooks", "data/raw")


def keep_notebooks(root: Path, *stems: str) -> None:
    """Reduce the copy ``root`` to the notebooks ``stems`` and their outputs (report.ITEMS)."""
    ids = {i.id for i in report.ITEMS.values() if i.notebook in stems}
    for p in (root / "notebooks").glob("*.ipynb"):
        if p.stem not in stems:
            p.unlink()
    for p in [*(root / "figures").iterdir(), *(root / "data" / "processed").iterdir()]:
        if p.stem.rsplit("_", 1)[0] not in ids and p.stem not in ids:
            p.unlink()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("runs") / "repo")


@pytest.fixture
def repo(base, tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(base, root)
    return root


def processes_with(marker: str) -> list[int]:
    """Process ids whose environment holds PEERLEARN_TEST_RUN=<marker> (the run, its workers, their kernels)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"PEERLEARN_TEST_RUN={marker}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc to find the run's processes")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_reproduce_leaves_no_worker_or_kernel(repo, sig):
    marker = uuid.uuid4().hex
    proc = subprocess.Popen(
        [sys.executable, "-m", "peerlearn", "reproduce", "--force", "--jobs", "2"],
        cwd=repo,
        env=env_for(repo, PEERLEARN_TEST_RUN=marker),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        seen = b""
        while b" ok (" not in seen:  # one notebook done: both workers are busy, each with a kernel
            chunk = proc.stdout.read1(100)
            assert chunk, f"the run ended early: {seen!r}"
            seen += chunk
        time.sleep(1.0)
        running = processes_with(marker)
        assert len(running) >= 4, running  # the run, two workers, at least one kernel
        proc.send_signal(sig)
        assert proc.wait(timeout=60) == -sig
        deadline = time.monotonic() + 3
        while processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = processes_with(marker)
        assert not left, f"still running after the run was killed: {left}"
    finally:
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)
        proc.stdout.close()


def _reproduce_into_a_closed_pipe(root: Path) -> subprocess.CompletedProcess:
    """`peerlearn reproduce | head -1`: the reader takes the first line and goes away."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "peerlearn", "reproduce", "--force", "--jobs", "1"],
        cwd=root,
        env=env_for(root),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return subprocess.CompletedProcess(proc.args, proc.wait(timeout=600), first.decode(), err)


def test_a_closed_stdout_does_not_cut_the_run_short(repo):
    keep_notebooks(repo, "01_studies_and_selection", "02_characteristics_and_countries")
    new = checksums(repo)
    age_outputs(repo)
    result = _reproduce_into_a_closed_pipe(repo)
    assert result.stdout.startswith("[1/2] 01_studies_and_selection.ipynb ... ok")
    assert result.returncode == 0, result.stderr
    assert checksums(repo) == new  # the whole run was committed


def test_a_closed_stdout_does_not_hide_a_failure(repo):
    keep_notebooks(repo, "01_studies_and_selection", "02_characteristics_and_countries")
    cell = append_cell(
        repo / "notebooks" / "02_characteristics_and_countries.ipynb", 'raise RuntimeError("late failure")'
    )
    result = _reproduce_into_a_closed_pipe(repo)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert f"02_characteristics_and_countries.ipynb failed in cell {cell}" in line and "late failure" in line


@pytest.mark.parametrize("how", ["--data-dir", "PEERLEARN_DATA_DIR"])
def test_another_corpus_gets_folders_of_its_own(repo, tmp_path, how):
    keep_notebooks(repo, "01_studies_and_selection")
    site = repo / "build" / "site" / "nl"
    site.mkdir(parents=True)
    (site / "index.html").write_text("the committed corpus's site\n")
    before = checksums(repo, (*COMMITTED, "build/site"))
    outputs = {}
    for name in ("other", "third"):
        corpus = tmp_path / name / "raw"
        shutil.copytree(repo / "data" / "raw", corpus)
        flow = corpus / "selection_flow.csv"
        flow.write_text(flow.read_text(encoding="utf-8").replace("articles_included,76,", "articles_included,75,"))
        if how == "--data-dir":
            result = run_peerlearn(repo, "reproduce", "--data-dir", str(corpus))
        else:
            result = subprocess.run(
                [sys.executable, "-m", "peerlearn", "reproduce"],
                cwd=repo,
                capture_output=True,
                text=True,
                env=env_for(repo, PEERLEARN_DATA_DIR=str(corpus)),
                timeout=600,
            )
        assert result.returncode == 0, result.stderr
        folder = repo / "build" / "corpora" / corpus_dir(corpus).name  # named after the folder and its path's hash
        assert folder.name.startswith("raw-")
        assert (folder / "nl" / "data" / "processed" / "selection_flow.csv").is_file()
        assert (folder / "site" / "nl" / "index.html").is_file()
        outputs[name] = folder
    assert outputs["other"] != outputs["third"]
    assert checksums(repo, (*COMMITTED, "build/site")) == before


def _walkthrough(repo: Path, cwd: Path, *args) -> subprocess.CompletedProcess:
    cwd.mkdir(parents=True, exist_ok=True)
    before = raw_checksums(repo)
    result = subprocess.run(
        [sys.executable, "-m", "peerlearn", "walkthrough", *args],
        cwd=cwd,
        env=env_for(repo),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert raw_checksums(repo) == before
    return result


def test_walkthrough_output_is_relative_to_the_users_folder(repo, tmp_path, corpus):
    before = checksums(repo, COMMITTED)
    work = tmp_path / "work"
    result = _walkthrough(repo, work, "--hypothesis", "2", "--output", "mine/h2.ipynb")
    assert result.returncode == 0, result.stderr
    assert (work / "mine" / "h2.ipynb").is_file() and sorted(p.name for p in (work / "mine").iterdir()) == ["h2.ipynb"]
    assert not (repo / "notebooks" / "mine").exists()
    assert (repo / "build" / "walkthrough" / "data" / "processed" / "hypothesis_evidence.csv").is_file()
    result = _walkthrough(repo, repo, "--hypothesis", "3", "--data-dir", str(corpus), "--output", "wt.ipynb")
    assert result.returncode == 0, result.stderr
    assert (repo / "wt.ipynb").is_file() and not (repo / "kernels.log").exists()
    assert checksums(repo, COMMITTED) == before


GUARD = '''
"""Test guard: block and record every write under the raw-data folders, in every Python process."""
import os, sys
RAW = [p for p in os.environ["PEERLEARN_GUARD_RAW"].split(os.pathsep) if p]
LOG = os.environ["PEERLEARN_GUARD_LOG"]
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

def _raw(path):
    if isinstance(path, int) or path is None:
        return False
    p = os.path.realpath(os.fsdecode(path))
    return any(p == r or p.startswith(r + os.sep) for r in RAW)

def _hook(event, args):
    if event == "open":
        path, mode, flags = args
        bad = _raw(path) and ((isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & WRITE)
        paths = [path]
    elif event in ("os.rename", "os.link", "os.symlink"):
        bad, paths = _raw(args[0]) or _raw(args[1]), args[:2]
    elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime",
                   "shutil.rmtree", "shutil.copyfile", "shutil.copytree"):
        paths = [args[1] if event in ("shutil.copyfile", "shutil.copytree") else args[0]]
        bad = _raw(paths[0])
    else:
        return
    if bad:
        fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, f"{os.getpid()} {event} {paths}\\n".encode())
        os.close(fd)
        raise PermissionError(13, "blocked by the test guard: write under data/raw", str(paths[0]))

sys.addaudithook(_hook)
'''


def test_every_command_works_with_data_raw_read_only_and_writes_nothing_there(repo, tmp_path):
    keep_notebooks(repo, "01_studies_and_selection", "07_realist_synthesis_walkthrough")
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "guard.log"
    raw = repo / "data" / "raw"
    for p in [raw, *raw.iterdir()]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    before = checksums(repo, COMMITTED)
    env = env_for(repo, PEERLEARN_GUARD_RAW=str(raw.resolve()), PEERLEARN_GUARD_LOG=str(log))
    env["PYTHONPATH"] = f"{guard}{os.pathsep}{repo}"
    try:
        # the guard works: a write under data/raw is blocked and recorded
        probe = subprocess.run(
            [sys.executable, "-c", f"open({str(raw / 'probe.txt')!r}, 'w')"], env=env, capture_output=True, text=True
        )
        assert probe.returncode == 1 and "blocked by the test guard" in probe.stderr and log.is_file()
        log.unlink()
        for args in (
            ("validate",),
            ("audit",),
            ("export", "--format", "xlsx", "--output", str(tmp_path / "c.xlsx")),
            ("export", "--format", "bibtex", "--output", str(tmp_path / "c.bib")),
            ("walkthrough", "--hypothesis", "4", "--output", str(tmp_path / "h4.ipynb")),
            ("reproduce",),
            ("reproduce", "--lang", "en"),
            ("site",),
        ):
            result = subprocess.run(
                [sys.executable, "-m", "peerlearn", *args],
                cwd=repo,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert result.returncode == 0, (args, result.stderr)
            assert "Traceback" not in result.stderr
        assert not log.exists(), log.read_text()
    finally:
        for p in [raw, *raw.iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    assert checksums(repo, COMMITTED) == before
