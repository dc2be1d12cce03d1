"""Child processes that end with the process that started them, however it ends.

A worker pool's processes wait on pipes that they themselves keep open, so they do not notice
when their parent is killed: after ``kill -9`` of ``kg build`` the workers (about 400 MB each)
and the resource tracker lived on. Linux can send a signal to a process when its parent dies
(``PR_SET_PDEATHSIG``); the workers ask for SIGKILL as their first act. SIGTERM, the polite
way to stop a process, is turned into the clean-up path of Ctrl-C.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent goes away (a no-op elsewhere).

    ``parent`` is the pid the parent had when it started us: if it is gone already (it died
    between the start and this call), the request would come too late, so we end at once.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM is handled as Ctrl-C is: KeyboardInterrupt, clean-up, exit.

    Python's default for SIGTERM is to end at once, without running a single ``finally``: a
    build stopped that way left its staging folder (hundreds of MB) and its workers behind.
    Only the main thread can install a handler; elsewhere the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt("terminated (SIGTERM)")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
