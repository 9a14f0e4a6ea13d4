"""The one place that decides where an output may go, and writes it whole or not at all.

Every write of peerlearn passes through here: the library's tables and figures
(:func:`write_processed`, ``figures.save_figure``), exports, the walkthrough,
the site, the executed notebooks and the commit of ``peerlearn reproduce``
(:func:`move_into_place`). The rules (:func:`check_target`):

- nothing is ever written under a raw-data folder: the committed ``data/raw/``,
  the corpus folder in use (``data_dir`` or $PEERLEARN_DATA_DIR), or through
  ``..`` or a symbolic link into either;
- the committed outputs (notebooks/, figures/, data/processed/) are written only
  by the commit of ``peerlearn reproduce`` on the committed corpus;
- only a regular file or a new name is replaced, never a symbolic link, a FIFO,
  a device or a folder.

A file is written to a temporary file in its own folder, flushed and fsync'ed,
renamed over the target, and the folder is fsync'ed, so a crash or power cut
leaves the old file or the new one. Its mode follows the umask (0o666 & ~umask),
like any other tool. Failures raise :class:`OutputError` (an ``OSError``) with
one line naming the path and what to do.

Library functions write only when asked: when $PEERLEARN_OUTPUT_DIR names an
output root (``peerlearn reproduce`` points it at its stage, the test suite at a
scratch folder) or when given an explicit path. Exploring in a notebook without
it returns the tables and figures and writes nothing.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import DATA_DIR_ENV, RAW_DIR, REPO_ROOT
from .record import note

if TYPE_CHECKING:
    import pandas as pd

OUTPUT_DIR_ENV = "PEERLEARN_OUTPUT_DIR"
OUTPUT_FOLDERS = ("notebooks", "figures", "data/processed")  # the committed outputs, relative to the repository
ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and run again",
    errno.EDQUOT: "the disk quota is used up; free some space and run again",
    errno.EROFS: "the file system is read-only; choose a writable place (or a writable checkout)",
    errno.EACCES: "permission denied; choose a place you may write to, or change its permissions",
    errno.EPERM: "operation not permitted; choose a place you may write to, or change its permissions",
}


class OutputError(OSError):
    """An output that may not or cannot be written; ``str()`` is one line naming the path and what to do."""

    def __init__(self, path, message: str, code: int = errno.EINVAL):
        super().__init__(code, message, str(path))
        self.message = f"{path}: {message}"

    def __str__(self) -> str:
        return self.message


def _resolved(path) -> Path:
    return Path(path).resolve()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def raw_folders(data_dir=None) -> set[Path]:
    """The folders nothing may write into: data/raw, ``data_dir`` and $PEERLEARN_DATA_DIR (resolved)."""
    folders = {RAW_DIR, *(Path(d) for d in (data_dir, os.environ.get(DATA_DIR_ENV)) if d)}
    return {_resolved(f) for f in folders}


def committed_folders() -> list[Path]:
    """The committed output folders (resolved): written only by ``peerlearn reproduce`` on the committed corpus."""
    return [_resolved(REPO_ROOT / f) for f in OUTPUT_FOLDERS]


def check_target(path, data_dir=None, committed: bool = False) -> Path:
    """The absolute path ``path`` stands for, if an output may be written there; else :class:`OutputError`.

    ``committed=True`` only for the commit of ``peerlearn reproduce`` on the committed corpus."""
    path = Path(path)
    absolute = path if path.is_absolute() else Path.cwd() / path
    if absolute.name in ("", ".", ".."):
        raise OutputError(path, "is a folder; expected a file name", errno.EISDIR)
    target = absolute.parent.resolve() / absolute.name  # `..` and links in the folders resolved, not the name itself
    for raw in raw_folders(data_dir):
        if _inside(target, raw) or _inside(target.resolve(), raw):
            raise OutputError(path, f"inside the raw-data folder {raw}; nothing may write there", errno.EPERM)
    if not committed:
        for folder in committed_folders():
            if _inside(target, folder) or _inside(target.resolve(), folder):
                raise OutputError(
                    path,
                    f"inside {os.path.relpath(folder, REPO_ROOT)}/, the committed outputs, which "
                    f"only `peerlearn reproduce` writes; choose another place",
                    errno.EPERM,
                )
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return target
    except OSError as e:
        raise explain(path, e) from None
    if stat.S_ISDIR(mode):
        raise OutputError(path, "is a folder; expected a file name", errno.EISDIR)
    if not stat.S_ISREG(mode):
        kind = (
            "a symbolic link"
            if stat.S_ISLNK(mode)
            else "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise OutputError(path, f"is {kind}; only a regular file or a new name is replaced", errno.EEXIST)
    return target


def explain(path, e: OSError) -> OutputError:
    """``e`` as an OutputError: one line naming ``path``, the system's reason and what to do."""
    if isinstance(e, OutputError):
        return e
    advice = ADVICE.get(e.errno, "")
    return OutputError(path, f"cannot write ({e.strerror or e}){'; ' + advice if advice else ''}", e.errno or errno.EIO)


def file_mode() -> int:
    """0o666 with the process's umask applied: the mode a new file gets from any other tool."""
    try:  # Linux: read it without changing it (os.umask would change it for every thread for a moment)
        with open("/proc/self/status", encoding="ascii") as f:
            mask = next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def fsync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename in it survives a power cut (where the platform allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # not possible on every platform (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path, data: bytes, data_dir=None, committed: bool = False) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see the module's rules); returns the path.

    Raises :class:`OutputError` for a refused target or a failed write (the target is then unchanged)."""
    target = check_target(path, data_dir, committed)
    folder = target.parent
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.chmod(tmp, file_mode())  # not mkstemp's 0o600
            os.fsync(f.fileno())
        check_target(path, data_dir, committed)  # still a regular file or absent just before the rename
        os.replace(tmp, target)
        tmp = None
        fsync_folder(folder)
        note("writes", target)
    except OSError as e:
        raise explain(path, e) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return Path(path)


def move_into_place(src: Path, target: Path, committed: bool = False) -> None:
    """Rename the finished file ``src`` over ``target`` (checked like any output), durably: the file is
    fsync'ed before the rename and the folder after it."""
    check_target(target, committed=committed)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(src, "rb") as f:
            os.fsync(f.fileno())
        os.replace(src, target)
        fsync_folder(target.parent)
    except OSError as e:
        raise explain(target, e) from None


def check_folder(out, data_dir=None) -> Path:
    """The absolute path of ``out`` if a generated folder (a site) may be put there whole: not in a raw-data
    folder or the committed outputs, and not a link or a file where the folder would go. Raises OutputError."""
    out = Path(out)
    absolute = out if out.is_absolute() else Path.cwd() / out
    target = absolute.parent.resolve() / absolute.name
    try:
        is_dir = stat.S_ISDIR(target.lstat().st_mode)
    except FileNotFoundError:
        is_dir = True
    if not is_dir:
        raise OutputError(out, "is not a folder (a file or a link); refusing to replace it", errno.ENOTDIR)
    check_target(target.parent / f".{target.name}.new", data_dir)  # the same places as for a file
    return target


def new_folder(out) -> Path:
    """A new, empty, private folder beside ``out`` (checked with :func:`check_folder`) to build it in; hand it to
    :func:`replace_folder` when complete."""
    target = check_folder(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as e:
        raise explain(target, e) from None


def replace_folder(tmp: Path, out) -> Path:
    """Put the complete folder ``tmp`` (from :func:`new_folder`) in the place of ``out``: modes from the umask,
    every file fsync'ed, then two renames (the old folder aside, the new one in) and the old one removed."""
    import shutil

    target = check_folder(out)
    mode = file_mode()
    try:
        for p in sorted(tmp.rglob("*"), reverse=True):
            if p.is_dir():
                p.chmod(mode | (mode & 0o444) >> 2)  # r -> x for folders
            else:
                p.chmod(mode)
                with open(p, "rb") as f:
                    os.fsync(f.fileno())
        tmp.chmod(mode | (mode & 0o444) >> 2)
        old = target.parent / f".{target.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        fsync_folder(target.parent)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        raise explain(target, e) from None
    return target


def output_root() -> Path | None:
    """The output root named by $PEERLEARN_OUTPUT_DIR (absolute), or None: library calls then write nothing."""
    env = os.environ.get(OUTPUT_DIR_ENV)
    return Path(os.path.abspath(env)) if env else None


def figures_dir(root: Path | None = None) -> Path:
    """figures/ under ``root`` (default: the output root, else the repository's)."""
    return (root if root is not None else output_root() or REPO_ROOT) / "figures"


def processed_dir(root: Path | None = None) -> Path:
    """data/processed/ under ``root`` (default: the output root, else the repository's)."""
    return (root if root is not None else output_root() or REPO_ROOT) / "data" / "processed"


def write_processed(table: pd.DataFrame, name: str, path=None) -> Path | None:
    """Write a tidy table as CSV (UTF-8, LF, no index) to ``path``, else to data/processed/<name>.csv under the
    output root; without either nothing is written and None is returned."""
    if path is None:
        if output_root() is None:
            return None
        path = processed_dir() / f"{name}.csv"
    text = table.to_csv(index=False, lineterminator="\n")
    return atomic_write_bytes(path, text.encode("utf-8"))
