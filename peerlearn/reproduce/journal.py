"""The journal of a `peerlearn reproduce` commit (.reproduce/commit.json), checked before anything acts on it.

A damaged or hand-edited journal must never make recovery move, delete or overwrite anything: it is
accepted only when ``peerlearn reproduce`` could have written it (see :func:`check_journal`).
"""
from __future__ import annotations

from pathlib import Path

from . import output
from .output import OUTPUT_FOLDERS, OutputError
from .paths import REPO_ROOT


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
    if not (isinstance(dest, str) and (dest == "." or plain(dest) and dest.startswith("build/"))):
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
        part = src[len(entry["stage"]) + 1:] if src.startswith(entry["stage"] + "/") else None
        if part is None or not plain(part) or not any(part.startswith(f + "/") for f in OUTPUT_FOLDERS):
            raise JournalError(f"move {i}: {src!r} is not a file under the stage's notebooks/, figures/ or data/processed/")
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
