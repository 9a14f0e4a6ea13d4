"""Writes go only where the user asked (issue 12 part 1) and survive the file system (part 5): peerlearn/output.py.

Fast tests, in-process or in a small copy of the repository; the runs of whole commands
are in tests/test_safety_runs.py.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from peerlearn import output, report
from peerlearn.cli import main
from peerlearn.output import OutputError, atomic_write_bytes, check_target
from peerlearn.paths import RAW_DIR, REPO_ROOT
from reliability import checksums, copy_repo, raw_checksums, run_peerlearn

COMMITTED = ("figures", "data/processed", "notebooks", "data/raw")


@pytest.fixture
def umask():
    def set_mask(mask):
        os.umask(mask)

    before = os.umask(0o022)
    yield set_mask
    os.umask(before)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_outputs_follow_the_umask(tmp_path, umask, mask):
    umask(mask)
    path = atomic_write_bytes(tmp_path / "x.csv", b"a\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_figures_and_tables_follow_the_umask(out_dir, umask):
    umask(0o002)
    report.table("selection_flow")
    import matplotlib.pyplot as plt

    plt.close(report.figure("figuur_1_model", "en"))
    written = [*(out_dir / "data" / "processed").iterdir(), *(out_dir / "figures").iterdir()]
    assert len(written) == 3 and {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o664}


def test_library_calls_write_nothing_while_exploring(monkeypatch, corpus, tmp_path):
    """Without $PEERLEARN_OUTPUT_DIR (a notebook opened by hand) tables and figures are returned, not written."""
    import matplotlib.pyplot as plt

    monkeypatch.delenv(output.OUTPUT_DIR_ENV, raising=False)
    before = checksums(REPO_ROOT, COMMITTED)
    table = report.table("tabel_5_domain_effects", data_dir=corpus)
    fig = report.figure("figuur_1_model", "en", data_dir=corpus)
    assert len(table) and fig.axes
    plt.close(fig)
    assert checksums(REPO_ROOT, COMMITTED) == before
    # asked explicitly, they are written where asked
    report.table("tabel_5_domain_effects", path=tmp_path / "t5.csv")
    plt.close(report.figure("figuur_1_model", "en", folder=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "figuur_1_model_en.png",
        "figuur_1_model_en.svg",
        "t5.csv",
    ]


def test_the_library_never_writes_the_committed_outputs(monkeypatch):
    monkeypatch.setenv(output.OUTPUT_DIR_ENV, str(REPO_ROOT))  # as if a user pointed the output root at the checkout
    before = checksums(REPO_ROOT, COMMITTED)
    with pytest.raises(OutputError, match="committed outputs"):
        report.table("selection_flow")
    assert checksums(REPO_ROOT, COMMITTED) == before


def _places(tmp_path: Path, corpus: Path) -> dict[str, Path]:
    """Targets in data/raw or the corpus folder, reached directly, through `..` and through links."""
    (tmp_path / "to_raw").symlink_to(RAW_DIR)
    (tmp_path / "to_corpus").symlink_to(corpus)
    (tmp_path / "sub").mkdir()
    return {
        "raw": RAW_DIR / "new.csv",
        "raw file": RAW_DIR / "studies.csv",
        "raw itself": RAW_DIR,
        "dotdot": REPO_ROOT / "figures" / ".." / "data" / "raw" / "new.csv",
        "link folder": tmp_path / "to_raw" / "new.csv",
        "link folder dotdot": tmp_path / "sub" / ".." / "to_raw" / "studies.csv",
        "corpus": corpus / "new.csv",
        "corpus via link": tmp_path / "to_corpus" / "studies.csv",
        "committed figure": REPO_ROOT / "figures" / "figuur_1_model_nl.svg",
        "committed table": REPO_ROOT / "data" / "processed" / "new.csv",
        "committed notebook": REPO_ROOT / "notebooks" / "99_new.ipynb",
    }


def test_check_target_refuses_raw_data_and_committed_outputs(tmp_path, corpus, monkeypatch):
    before = raw_checksums(REPO_ROOT)
    for name, place in _places(tmp_path, corpus).items():
        with pytest.raises(OutputError) as refused:
            atomic_write_bytes(place, b"x", data_dir=corpus)
        assert "\n" not in str(refused.value) and str(place) in str(refused.value), name
    assert raw_checksums(REPO_ROOT) == before
    assert sorted(p.name for p in corpus.iterdir()) == sorted(p.name for p in RAW_DIR.iterdir())
    monkeypatch.setenv("PEERLEARN_DATA_DIR", str(corpus))  # the corpus in use, named by the environment
    with pytest.raises(OutputError, match="raw-data folder"):
        check_target(tmp_path / "to_corpus" / "x.csv")


def _device(path: Path) -> Path:
    """A character device node (a copy of /dev/null's) at ``path``: a broken check then replaces only this copy."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root on Linux")
    return path


def test_only_regular_files_are_replaced(tmp_path):
    real = tmp_path / "real.bib"
    real.write_text("mine\n")
    (tmp_path / "link.bib").symlink_to(real)
    os.mkfifo(tmp_path / "fifo.bib")
    (tmp_path / "folder.bib").mkdir()
    for name, kind in (("link.bib", "a symbolic link"), ("fifo.bib", "a FIFO"), ("folder.bib", "a folder")):
        with pytest.raises(OutputError, match=kind):
            atomic_write_bytes(tmp_path / name, b"x")
    with pytest.raises(OutputError, match="a device"):
        atomic_write_bytes(_device(tmp_path / "null.bib"), b"x")
    assert real.read_text() == "mine\n" and (tmp_path / "link.bib").is_symlink()
    assert stat.S_ISFIFO((tmp_path / "fifo.bib").lstat().st_mode)
    assert stat.S_ISCHR((tmp_path / "null.bib").lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo.bib", "folder.bib", "link.bib", "null.bib", "real.bib"]


@pytest.mark.parametrize("target", ["link", "fifo", "device"])
def test_export_refuses_a_link_fifo_or_device(tmp_path, capsys, target):
    real = tmp_path / "real.bib"
    real.write_text("mine\n")
    path = tmp_path / "out.bib"
    if target == "link":
        path.symlink_to(real)
    elif target == "fifo":
        os.mkfifo(path)
    else:
        _device(path)
    assert main(["export", "--format", "bibtex", "--output", str(path)]) == 1
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith(f"peerlearn export: {path}: is a ") and "only a regular file" in line
    assert real.read_text() == "mine\n"
    assert target != "link" or path.is_symlink()
    assert target != "fifo" or stat.S_ISFIFO(path.lstat().st_mode)
    assert target != "device" or stat.S_ISCHR(path.lstat().st_mode)


def test_a_file_is_fsynced_before_the_rename_and_its_folder_after(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append(("fsync", "folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"))
        return real_fsync(fd)

    def replace(src, dst):
        calls.append(("replace", Path(dst).name))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write_bytes(tmp_path / "x.csv", b"a\n")
    assert calls == [("fsync", "file"), ("replace", "x.csv"), ("fsync", "folder")]


@pytest.mark.parametrize(
    "err, advice", [(errno.ENOSPC, "free some space"), (errno.EROFS, "read-only"), (errno.EACCES, "permission denied")]
)
def test_a_failed_write_is_one_line_and_leaves_the_old_file(tmp_path, monkeypatch, capsys, err, advice):
    out = tmp_path / "x.json"
    out.write_text("old\n")

    def fail(fd):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(os, "fsync", fail)  # where a full disk shows up with delayed allocation
    assert main(["export", "--format", "csljson", "--output", str(out)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"peerlearn export: {out}: cannot write ({os.strerror(err)})") and advice in line
    assert out.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["x.json"]


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 64 KiB file system (needs root and mount; skipped otherwise)."""
    where = tmp_path / "tiny"
    where.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], capture_output=True
        ).returncode
    ):
        pytest.skip("mounting a tiny tmpfs needs root and mount(8)")
    yield where
    subprocess.run(["umount", str(where)], check=True)


def test_a_full_disk_leaves_the_old_file_whole(tiny_tmpfs, capsys):
    out = tiny_tmpfs / "corpus.xlsx"
    (tiny_tmpfs / "filler").write_bytes(b"f" * 40_000)
    out.write_bytes(b"old")
    assert main(["export", "--format", "xlsx", "--output", str(out)]) == 1  # the workbook is larger than what is left
    (line,) = capsys.readouterr().err.splitlines()
    assert f"{out}: cannot write (No space left on device); the disk is full" in line
    assert out.read_bytes() == b"old" and sorted(p.name for p in tiny_tmpfs.iterdir()) == ["corpus.xlsx", "filler"]


def test_a_read_only_file_system_is_one_line(tiny_tmpfs, capsys):
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    assert main(["export", "--format", "bibtex", "--output", str(tiny_tmpfs / "x.bib")]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "Read-only file system" in line and "choose a writable place" in line


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
@pytest.mark.parametrize("command", ["reproduce", "verify"])
def test_jobs_below_one_are_refused(jobs, command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([command, "--jobs", jobs])
    assert stop.value.code == 2
    assert f"argument --jobs: '{jobs}': expected a whole number of at least 1" in capsys.readouterr().err


# --- the journal of an interrupted commit ------------------------------------------------------------


@pytest.fixture(scope="module")
def small_copy(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("journal") / "repo")


BAD_JOURNALS = {
    "stage is data/raw": {"stage": "data/raw", "dest": ".", "moves": []},
    "move from ..": {
        "stage": ".reproduce/stage",
        "dest": ".",
        "moves": [[".reproduce/stage/../../../outside.txt", "figures/outside.txt"]],
    },
    "move from an absolute path": {"stage": ".reproduce/stage", "dest": ".", "moves": [["/etc/hostname", "figures/h"]]},
    "move onto data/raw": {
        "stage": ".reproduce/stage",
        "dest": ".",
        "moves": [[".reproduce/stage/figures/x.svg", "data/raw/studies.csv"]],
    },
    "move onto a file outside": {
        "stage": ".reproduce/stage",
        "dest": ".",
        "moves": [[".reproduce/stage/figures/x.svg", "../outside.txt"]],
    },
    "dest outside build": {
        "stage": ".reproduce/stage",
        "dest": "../elsewhere",
        "moves": [[".reproduce/stage/figures/x.svg", "../elsewhere/figures/x.svg"]],
    },
    "staged data/raw": {
        "stage": ".reproduce/stage",
        "dest": ".",
        "moves": [[".reproduce/stage/data/raw/studies.csv", "data/raw/studies.csv"]],
    },
    "not a pair": {"stage": ".reproduce/stage", "dest": ".", "moves": [["figures/x.svg"]]},
    "old format": {"stage": ".reproduce/stage", "moves": []},
    "not json": "{moves: [",
    "a list": [],
}


@pytest.mark.slow  # a process in a copy of the repository per case
@pytest.mark.parametrize("name", sorted(BAD_JOURNALS))
def test_recovery_refuses_a_bad_journal_and_touches_nothing(small_copy, tmp_path, name):
    root = tmp_path / "repo"
    shutil.copytree(small_copy, root, symlinks=True)
    (tmp_path / "outside.txt").write_text("mine\n")
    stage = root / ".reproduce" / "stage"
    for rel in ("figures/x.svg", "data/raw/studies.csv"):
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_text("staged\n")
    journal = root / ".reproduce" / "commit.json"
    entry = BAD_JOURNALS[name]
    journal.write_text(entry if isinstance(entry, str) else json.dumps(entry))
    before, stage_before = checksums(root, COMMITTED), checksums(root, (".reproduce/stage",))
    result = run_peerlearn(root, "validate")
    assert result.returncode == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith("peerlearn: refusing to act on .reproduce/commit.json") and "nothing was moved" in line
    assert checksums(root, COMMITTED) == before and checksums(root, (".reproduce/stage",)) == stage_before
    assert journal.read_text() == (entry if isinstance(entry, str) else json.dumps(entry))
    assert (tmp_path / "outside.txt").read_text() == "mine\n"
