"""Work of a full build that needs no store, done in a thread while Oxigraph's bulk loader finishes.

Once the last N-Quads are handed over, Oxigraph's bulk loader still sorts and writes its last
batches, on one thread of its own: at 1,000,000 statements the floor (the same N-Quads loaded by
pyoxigraph alone) spent its last ~100 s of 276 s at 0.9 cores, and the build its last ~120 s
of the load with the second core idle (2026-12-06, samples of CPU and RSS every second). The
network cache was written after that, 24.3 s on one core, though all but ``dataset.json``
comes from the rows the workers sent and the entity records, not from the store
(:func:`graph.network.write.write_rows`). ``bulk_load`` releases the GIL (a Python thread
counted at its full speed during the loader's last 5 s), so a thread of this process writes the
cache there; the main thread joins it after the data checks, then writes ``dataset.json`` from
the finished store.

A thread, not a process: the rows and the spill's offsets are in this process, and a process
would have to be sent them (tens of MB) and import the cache's modules first. A failed or
stopped build stops the thread between two steps (:meth:`Beside.stop`) and waits for it, so that
nothing is written into a staging folder after it is removed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Stopped(Exception):
    """Raised by the ``between`` callback of a thread that was asked to stop."""


class Beside:
    """``work(between)`` in a thread; ``between()`` raises :class:`Stopped` once :meth:`stop` was called."""

    def __init__(self, name: str, work: Callable[[Callable[[], None]], object]):
        self.name = name
        self._work = work
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        #: the thread's own wall time, for the build's timings
        self.seconds = 0.0

    def start(self) -> None:
        # daemon: the build stops and joins it itself (result, stop); the interpreter's exit
        # must never wait for it on top of that
        self._thread = threading.Thread(target=self._run, name=f"quotegraph: {self.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            self._work(self._between)
        except Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread by result(), raised there
            self._error = exc
        finally:
            self.seconds = time.perf_counter() - started

    def _between(self) -> None:
        if self._stop.is_set():
            raise Stopped(self.name)

    @property
    def started(self) -> bool:
        return self._thread is not None

    def result(self) -> None:
        """Wait for the work; raise what it raised."""
        if self._thread is None:
            raise RuntimeError(f"{self.name} was never started")
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def stop(self) -> None:
        """Ask the work to stop at its next step and wait until it has (nothing if it is over).

        A second Ctrl-C (or SIGTERM, :func:`graph.processes.terminate_as_interrupt`) does not cut
        the wait short: the staging folder is removed right after, and the thread would write into
        it again. The interrupt is raised once the thread is gone.
        """
        self._stop.set()
        if self._thread is None:
            return
        interrupted: KeyboardInterrupt | None = None
        while self._thread.is_alive():
            try:
                self._thread.join()
            except KeyboardInterrupt as exc:
                interrupted = exc
        if interrupted is not None:
            raise interrupted
