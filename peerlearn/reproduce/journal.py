"""The crash-safe commit of a run: staged files moved into place under a journal (.reproduce/commit.json).

:func:`commit` writes the list of moves to the journal, renames each file atomically, then deletes the journal. A
run killed before the journal exists leaves the tree as it was; one killed after is finished by the next
``peerlearn`` command (:func:`recover`), so the outputs are always all old or all new. A damaged or hand-edited
journal must never make recovery move, delete or overwrite anything: it is accepted only when ``peerlearn
reproduce`` could have written it (see :func:`check_journal`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

from .. import output
from ..output import OUTPUT_FOLDERS, OutputError, atomic_write_bytes
from ..paths import REPO_ROOT, WORK_DIR
from .lock import Busy, exclusive

JOURNAL = WORK_DIR / "commit.json"
STAGE = WORK_DIR / "stage"  # where a run's notebooks write; moved into place by commit()
FAULT_ENV = "PEERLEARN_FAULT"


class JournalError(Exception):
    """The journal is not one that ``peerlearn reproduce`` writes; recovery refuses to act on it."""


def check_journal(entry, stage: Path) -> tuple[Path, Path, list[tuple[Path, Path]]]:
    """(stage, destination, moves) of a journal entry, after checking that it is one `peerlearn reproduce` could
    have written: the stage is .reproduce/stage; the destination is the repository or a folder under build/; every
    move takes stage/<p> to destination/<p> with <p> inside notebooks/, figures/ or data/processed/, and the target
    is a place an output may go (:func:`peerlearn.output.check_target`). Raises :class:`JournalError`."""
    if not isinstance(entry, dict) or set(entry) != {"stage", "dest", "moves"}:
        raise JournalError("expected an object with the keys stage, dest and moves")
    if entry["stage"] != stage.relative_to(REPO_ROOT).as_posix():
        raise JournalError(f"stage {entry['stage']!r}: expected {stage.relative_to(REPO_ROOT).as_posix()!r}")
    dest = entry["dest"]
    if not (isinstance(dest, str) and (dest == "." or (plain(dest) and dest.startswith("build/")))):
        raise JournalError(f"dest {dest!r}: expected '.' or a folder under build/")
    dest_path = REPO_ROOT / dest
    if dest != "." and not dest_path.resolve().is_relative_to((REPO_ROOT / "build").resolve()):
        raise JournalError(f"dest {dest!r}: leads out of build/")
    if not isinstance(entry["moves"], list):
        raise JournalError("moves: expected a list")
    moves = []
    for i, move in enumerate(entry["moves"], 1):
        if not (isinstance(move, list) and len(move) == 2 and all(isinstance(p, str) for p in move)):
            raise JournalError(f"move {i}: expected a pair of paths")
        src, target = move
        part = src[len(entry["stage"]) + 1 :] if src.startswith(entry["stage"] + "/") else None
        if part is None or not plain(part) or not any(part.startswith(f + "/") for f in OUTPUT_FOLDERS):
            raise JournalError(
                f"move {i}: {src!r} is not a file under the stage's notebooks/, figures/ or data/processed/"
            )
        if target != (part if dest == "." else f"{dest}/{part}"):
            raise JournalError(f"move {i}: {target!r} is not the place of {src!r} under {dest!r}")
        src_path, target_path = REPO_ROOT / src, REPO_ROOT / target
        if not src_path.parent.resolve().is_relative_to(stage.resolve()):
            raise JournalError(f"move {i}: {src!r} leads out of the stage")
        try:
            output.check_target(target_path, committed=dest == ".")
        except OutputError as e:
            raise JournalError(f"move {i}: {e}") from None
        moves.append((src_path, target_path))
    return stage, dest_path, moves


def plain(path: str) -> bool:
    """A relative POSIX path without empty, '.' or '..' parts and without a backslash."""
    parts = path.split("/")
    return bool(path) and "\\" not in path and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def files(folder: Path) -> list[Path]:
    """The files under ``folder``, sorted, without hidden ones (temporary files are hidden: see atomic_write_bytes)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def commit(stage: Path, dest: Path) -> int:
    """Move the staged files that differ into ``dest`` as one crash-safe commit; returns how many moved.

    The list of moves is first written atomically to the journal, then the files are renamed one by one, then
    the journal is deleted. Every rename is atomic, so each file is always its whole old or whole new self; if the
    process dies midway, the next ``peerlearn`` command finds the journal and finishes the moves (:func:`recover`),
    so the tree ends all new. Before the journal exists nothing in ``dest`` has changed and a new run starts from
    scratch.
    """
    moves = []
    for src in files(stage):
        target = dest / src.relative_to(stage)
        if not (target.is_file() and target.read_bytes() == src.read_bytes()):
            moves.append([src.relative_to(REPO_ROOT).as_posix(), target.relative_to(REPO_ROOT).as_posix()])
    entry = {
        "stage": stage.relative_to(REPO_ROOT).as_posix(),
        "dest": dest.relative_to(REPO_ROOT).as_posix(),
        "moves": moves,
    }
    check_journal(entry, STAGE)  # what recovery would accept, so a valid run never leaves a journal it refuses
    atomic_write_bytes(JOURNAL, json.dumps(entry, indent=1).encode("utf-8"))
    fault("journal")
    _roll_forward()
    return len(moves)


def _roll_forward() -> int:
    """Finish the commit the journal describes (idempotent: a file already moved is skipped). Raises
    :class:`JournalError` (before touching anything) when the journal is not valid."""
    try:
        entry = json.loads(JOURNAL.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise JournalError(f"not JSON ({e})") from None
    stage, dest, moves = check_journal(entry, STAGE)
    done = 0
    for i, (src, target) in enumerate(moves, 1):
        if src.is_file():  # not moved yet; once moved, only its target holds the new bytes
            output.move_into_place(src, target, committed=dest == REPO_ROOT)
            done += 1
        fault(f"move:{i}")
    fault("moved")
    JOURNAL.unlink()
    output.fsync_folder(WORK_DIR)
    shutil.rmtree(stage, ignore_errors=True)
    return done


def recover(err=sys.stderr) -> bool:
    """Finish a commit that an interrupted ``peerlearn reproduce`` left half done; True when there was one.

    Called at the start of every ``peerlearn`` command. Prints one line when it acts. Leaves the journal alone
    while a ``peerlearn reproduce`` is running: that run is busy with its own commit."""
    if not JOURNAL.is_file():
        return False
    try:
        with exclusive():
            return recover_locked(err)
    except Busy:
        return False


def recover_locked(err) -> bool:
    """:func:`recover`, with the lock already held (as by a run, before it clears the stage)."""
    if not JOURNAL.is_file():  # finished by the run that held the lock
        return False
    try:
        done = _roll_forward()
    except JournalError as e:  # a journal edited or damaged by hand: nothing was touched
        print(
            f"peerlearn: refusing to act on {os.path.relpath(JOURNAL)}, which is not a journal `peerlearn reproduce` "
            f"writes ({e}); nothing was moved. Delete it and run `peerlearn reproduce` to rebuild the outputs",
            file=err,
        )
        return False
    except OSError as e:
        print(
            f"peerlearn: cannot finish the interrupted commit in {os.path.relpath(JOURNAL)} ({e}); "
            f"run `peerlearn reproduce` to rebuild the outputs",
            file=err,
        )
        return False
    print(
        f"peerlearn: finished the interrupted commit of an earlier `peerlearn reproduce` "
        f"({done} file(s) moved into place)",
        file=err,
    )
    return True


def fault(point: str) -> None:
    """Test-only fault injection: SIGKILL this process when $PEERLEARN_FAULT names ``point``.

    Points: ``stage`` (all notebooks staged, no journal yet), ``journal`` (journal written, nothing
    moved), ``move:N`` (after the N-th move), ``moved`` (all moved, journal not yet deleted).
    Used by tests/test_reliability.py; unset in normal use.
    """
    if os.environ.get(FAULT_ENV) == point:
        sys.stdout.flush()
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
