"""One ``peerlearn reproduce`` at a time in a repository: the lock .reproduce/lock."""

from __future__ import annotations

import contextlib
import errno

from ..paths import WORK_DIR

LOCK = WORK_DIR / "lock"  # held by a running `peerlearn reproduce` (and briefly by journal.recover())


class Busy(Exception):
    """Another ``peerlearn reproduce`` is running in this repository."""


@contextlib.contextmanager
def exclusive():
    """Hold .reproduce/lock for the block, or raise :class:`Busy` at once when another process holds it.

    A POSIX record lock (``lockf``): it belongs to this process alone (worker processes forked from it do not
    share it) and the system drops it when the process ends, so a killed run never leaves a stale lock.
    (No locking where ``fcntl`` does not exist, i.e. on Windows.)"""
    try:
        import fcntl
    except ImportError:
        yield
        return
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "a+b") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EAGAIN):
                raise Busy from None
            raise
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
