"""Take the network away from the code that evaluates SPARQL, so that no query can reach another machine.

Oxigraph follows ``SERVICE`` to any address and has no switch to turn that off. The query check
refuses ``SERVICE`` (:mod:`graph.query.shape`) on the very text that runs
(:mod:`graph.query.canonical`), but a check can only refuse what it sees: the next difference
between rdflib's reading and Oxigraph's would again reach the network. So the processes and
threads that evaluate queries cannot open a network connection at all:

* ``socket(domain, ...)`` fails with ``EACCES`` unless ``domain`` is ``AF_UNIX`` (an allow-list:
  ``AF_INET``, ``AF_INET6``, ``AF_PACKET``, ``AF_NETLINK``, ``AF_VSOCK`` ... are all refused);
* ``io_uring_setup`` fails with ``EACCES`` (io_uring opens and connects sockets without the
  ``socket`` and ``connect`` system calls, which would walk around the rule above);
* a system call made through another ABI (i386's ``int 0x80`` and its ``socketcall``, x32)
  fails with ``EACCES``;
* everything else is allowed: files, pipes, ``AF_UNIX`` socket pairs (multiprocessing), RocksDB.

This is a seccomp-BPF filter of 10 instructions, installed with ``prctl``/``seccomp`` through
ctypes after ``PR_SET_NO_NEW_PRIVS``. It needs no privilege, cannot be removed once installed,
and holds for every thread and child process created afterwards. ``scope="process"`` (the
``kg serve`` query workers) uses ``SECCOMP_FILTER_FLAG_TSYNC`` so that the threads that exist
already (RocksDB's) are filtered too; ``scope="thread"`` filters the calling thread and the
threads it starts, which is what ``kg query`` needs: it evaluates on a fresh thread of its own
(:func:`offline`), so that a process that goes on afterwards (a test run, a notebook) keeps its
network.

Why hand-written: libseccomp's Python bindings (``seccomp``, ``pyseccomp`` on PyPI) are ctypes or
C wrappers over the C library ``libseccomp.so``, which would become a system requirement for 10
instructions of BPF. Installing this filter takes about 0.4 ms (measured: 0.39 ms in a process
with 5 threads); a query costs the same with it as without (45 µs against 60 µs for 2,000 small
queries on one store, noise); ``kg query`` pays under 1 ms for its fresh thread and filter
(0.2 ms over a plain thread when measured alone, 0.76 ms for both on a busy 2-core machine;
all 2026-12-01).
Why not a network namespace (``unshare(CLONE_NEWNET)``): it needs root, or a new user namespace
as well, which the kernel refuses to a process that already has threads (pyoxigraph's), and
containers and AppArmor often forbid it.

Linux on x86-64 and AArch64 only. Elsewhere :func:`deny_network` raises
:class:`NetworkFilterUnavailable`; ``kg query`` then warns once and relies on the query check
alone, ``kg serve`` refuses to start unless ``--no-network-filter`` says to go on without it.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import os
import platform
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeVar

__all__ = ["NetworkFilterUnavailable", "deny_network", "network_denied", "offline", "seccomp_status"]

T = TypeVar("T")
Scope = Literal["process", "thread"]


class NetworkFilterUnavailable(OSError):
    """The network filter cannot be installed here (not Linux, another CPU, no seccomp in the kernel)."""


# linux/prctl.h, linux/seccomp.h, linux/filter.h
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_BPF_RET_K = 0x06  # BPF_RET | BPF_K
# offsets in struct seccomp_data: nr, arch, args[0] (its low 32 bits: both CPUs are little-endian)
_OFF_NR, _OFF_ARCH, _OFF_ARG0 = 0, 4, 16


@dataclass(frozen=True)
class _Arch:
    audit_arch: int  # AUDIT_ARCH_* (linux/audit.h)
    nr_socket: int
    nr_io_uring_setup: int
    nr_seccomp: int
    x32_bit: int | None  # system call numbers at or above it are x32's


_ARCHES = {
    "x86_64": _Arch(0xC000003E, 41, 425, 317, 0x40000000),
    "aarch64": _Arch(0xC00000B7, 198, 425, 277, None),
}


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def program(arch: _Arch) -> list[tuple[int, int, int, int]]:
    """The filter as ``(code, jt, jf, k)`` instructions; a jump counts the instructions it skips.

    Layout: check the ABI, refuse x32 and io_uring, let every call but ``socket`` through, then
    let ``socket`` through only for ``AF_UNIX``; the last two instructions are ALLOW and DENY.
    """
    body: list[tuple[str, int]] = [("load", _OFF_ARCH), ("deny-unless", arch.audit_arch), ("load", _OFF_NR)]
    if arch.x32_bit is not None:
        body.append(("deny-if-at-least", arch.x32_bit))
    body += [
        ("deny-if", arch.nr_io_uring_setup),
        ("allow-unless", arch.nr_socket),
        ("load", _OFF_ARG0),
        ("allow-if-else-deny", socket.AF_UNIX),
    ]
    allow_at = len(body)
    out: list[tuple[int, int, int, int]] = []
    for index, (op, k) in enumerate(body):
        to_allow, to_deny = allow_at - index - 1, allow_at - index
        out.append(
            {
                "load": (_BPF_LD_W_ABS, 0, 0, k),
                "deny-unless": (_BPF_JEQ_K, 0, to_deny, k),
                "deny-if-at-least": (_BPF_JGE_K, to_deny, 0, k),
                "deny-if": (_BPF_JEQ_K, to_deny, 0, k),
                "allow-unless": (_BPF_JEQ_K, 0, to_allow, k),
                "allow-if-else-deny": (_BPF_JEQ_K, to_allow, to_deny, k),
            }[op]
        )
    return [*out, (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW), (_BPF_RET_K, 0, 0, _SECCOMP_RET_ERRNO | errno.EACCES)]


@dataclass(frozen=True)
class _Prepared:
    libc: ctypes.CDLL
    array: ctypes.Array[_SockFilter]
    prog: _SockFprog
    arch: _Arch
    instructions: int


@lru_cache(maxsize=1)
def _prepared() -> _Prepared:
    """libc and the compiled filter, made once per process (loading libc costs more than installing)."""
    if not sys.platform.startswith("linux"):
        raise NetworkFilterUnavailable(errno.ENOSYS, f"no seccomp on {sys.platform}")
    machine = platform.machine()
    if machine not in _ARCHES:
        raise NetworkFilterUnavailable(errno.ENOSYS, f"no network filter written for the CPU {machine}")
    arch = _ARCHES[machine]
    instructions = program(arch)
    array = (_SockFilter * len(instructions))(*(_SockFilter(*i) for i in instructions))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    libc.prctl.restype = ctypes.c_int
    return _Prepared(libc, array, _SockFprog(len(instructions), array), arch, len(instructions))


def deny_network(scope: Scope = "process") -> str:
    """Install the filter on the whole process or on the calling thread; a one-line description.

    Raises :class:`NetworkFilterUnavailable` when it cannot be installed, or when it was and an
    ``AF_INET`` socket still opens (nothing is assumed).
    """
    ready = _prepared()
    libc = ready.libc
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise NetworkFilterUnavailable(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if scope == "process":
        rc = libc.syscall(
            ctypes.c_long(ready.arch.nr_seccomp),
            ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
            ctypes.c_ulong(_SECCOMP_FILTER_FLAG_TSYNC),
            ctypes.byref(ready.prog),
        )
        if rc != 0:  # rc > 0 is the id of a thread that could not be synchronised
            err = ctypes.get_errno() if rc < 0 else errno.EAGAIN
            raise NetworkFilterUnavailable(err, f"seccomp(SET_MODE_FILTER, TSYNC) failed: {os.strerror(err)}")
    elif libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(ready.prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise NetworkFilterUnavailable(err, f"prctl(PR_SET_SECCOMP) failed: {os.strerror(err)}")
    if not network_denied():
        raise NetworkFilterUnavailable(errno.EIO, "the network filter is installed but an AF_INET socket still opens")
    return f"seccomp filter: socket() only for AF_UNIX, no io_uring ({scope}, {ready.instructions} BPF instructions)"


def network_denied() -> bool:
    """Whether the calling thread can no longer open an IPv4 or IPv6 socket."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
        except PermissionError:
            continue
        except OSError as exc:
            if exc.errno == errno.EAFNOSUPPORT:  # no IPv6 on this host: nothing to deny
                continue
            return False
        return False
    return True


def seccomp_status(pid: int | str = "self") -> dict[str, str]:
    """``Seccomp`` and ``NoNewPrivs`` of a process's ``/proc/PID/status`` (``2`` and ``1`` once filtered)."""
    fields: dict[str, str] = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            if key in ("Seccomp", "NoNewPrivs"):
                fields[key] = value.strip()
    return fields


_warned = threading.Event()


def _drop_locals(exc: BaseException) -> None:
    """Free the locals of every frame an exception (and its causes) holds, here on the thread that made them.

    An exception raised inside ``work`` keeps its frames, and with them pyoxigraph's result
    iterators, which must not be dropped on another thread (pyoxigraph raises if they are).
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def offline(work: Callable[[], T], on_unavailable: Callable[[str], None] | None = None) -> T:
    """``work()`` on a fresh thread that cannot open network connections; its result or its exception.

    Everything pyoxigraph makes inside ``work`` (the opened store, result iterators) must stay
    in it: those objects must be dropped on the thread that made them (pyoxigraph raises
    otherwise). So must what other threads made, and a garbage collection frees whatever cycles
    it finds, on whichever thread it runs: the young garbage is collected here first, automatic
    collection is off while ``work`` runs (the calling thread waits meanwhile), and ``work``'s own
    young garbage is collected on its thread when it ends. Only generation 0 is collected each
    time (well under a millisecond; a full collection costs 0.2 s in a test process, 2026-12-01).
    Where the filter cannot be installed, ``on_unavailable`` hears why, once per process, and
    ``work`` runs unfiltered.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def body() -> None:
        try:
            try:
                deny_network("thread")
            except NetworkFilterUnavailable as exc:
                if on_unavailable is not None and not _warned.is_set():
                    _warned.set()
                    on_unavailable(str(exc))
            outcome.append(work())
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread, which raises it
            _drop_locals(exc)
            failure.append(exc)
        finally:
            gc.collect(0)

    collecting = gc.isenabled()
    gc.collect(0)
    gc.disable()
    try:
        thread = threading.Thread(target=body, name="kg-query-offline", daemon=True)
        thread.start()
        thread.join()
    finally:
        if collecting:
            gc.enable()
    if failure:
        raise failure[0]
    return outcome[0]
