"""Child processes that share the fate of the run that started them.

``peerlearn reproduce`` runs notebooks in pool workers, each of which starts a
Jupyter kernel. Killed from outside (SIGTERM, SIGKILL), the run cannot clean up
after itself, so its children arrange to die with their parent instead: each
worker and each kernel asks Linux for a parent-death signal (``prctl
PR_SET_PDEATHSIG``, SIGKILL) as it starts, and a worker whose parent is already
gone exits at once. Kernels are children of the worker that runs their
notebook, so killing the run ends the workers, which ends the kernels. Where
``prctl`` does not exist (not Linux), ipykernel's own parent poller still ends a
kernel about a second after its parent.
"""

from __future__ import annotations

import os
import signal

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

try:
    import ctypes

    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (ImportError, OSError, AttributeError):  # not Linux
    _prctl = None


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Have the system send ``sig`` to this process when the thread that started it ends; True if it could.

    (The main thread of the parent: the pool's workers and the kernels are started from it.)"""
    return _prctl is not None and _prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0


def worker_init(parent: int) -> None:
    """Pool-worker initializer: die with the run whose process id is ``parent`` (also if it died already)."""
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)


def kernel_manager_class():
    """A Jupyter kernel manager whose kernels get the parent-death signal, for nbclient's ``kernel_manager_class``."""
    from jupyter_client.manager import AsyncKernelManager

    class BoundKernelManager(AsyncKernelManager):
        """Kernels that end with the process that started them."""

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["preexec_fn"] = die_with_parent  # runs in the kernel's process between fork and exec
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return BoundKernelManager
