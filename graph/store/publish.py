"""Writing a build: one build at a time, published atomically, and no debris when it fails.

A build takes the output folder's lock before it creates anything there, then writes a
complete new build folder under ``builds/.staging-<id>`` and only then points ``current`` at it
with one ``rename`` of a symlink, which POSIX makes atomic. A failed or interrupted build
removes what it created (its staging folder, and the output folder itself when the build made
it), and nothing else: a build that finds the lock taken says so and leaves, deleting nothing.
Leftovers of a killed build (``kill -9`` runs no clean-up) are stale as soon as someone holds
the lock, so the next build removes them first, whether it then succeeds or not.

A reader that must keep one build that ``current`` no longer points at (``kg serve --build
builds/<id>``) holds a lease on it: a shared lock on ``builds/<id>/.lease``. Pruning skips a
build whose lease someone holds, and removes it at the first build after the reader is gone.

``kg validate`` builds its store in a scratch folder under the temporary directory; a lock
inside it tells the next run whether the folder belongs to a run that is still going.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import os
import secrets
import shutil
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from graph.errors import StoreError
from graph.store.builds import OutDir

LOCK_NAME = ".lock"
LEASE_NAME = ".lease"
STAGING_PREFIX = ".staging-"
SCRATCH_PREFIX = "quotegraph-check-"
#: How often a build tries again when the lock file vanished under it (a failed first build removed its folder).
_LOCK_ATTEMPTS = 5


class BuildRunning(StoreError):
    """Another build holds the output folder's lock."""


def release(exc: BaseException) -> None:
    """Drop what a failed run still holds through the frames of its traceback, then collect.

    An open Oxigraph store keeps RocksDB threads writing into its folder; removing the folder
    while they do fails with "Directory not empty" (or leaves files behind). The store is closed
    only when the last reference goes, and a traceback keeps every frame's locals alive.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__context__ or current.__cause__
    gc.collect()


def _make_dirs(path: Path) -> list[Path]:
    """Create ``path`` and its missing parents; return the ones this call created, deepest first."""
    missing = []
    for folder in [path, *path.parents]:
        if folder.exists():
            break
        missing.append(folder)
    created = []
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            continue  # another process made it: not ours to remove
        created.append(folder)
    return created[::-1]


def _open_lock(root: Path) -> tuple[IO[str], bool, list[Path]]:
    """The locked lock file of ``root``, whether this call created it, and the folders it created."""
    for _attempt in range(_LOCK_ATTEMPTS):
        created = _make_dirs(root)
        path = root / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
            made = True
        except FileExistsError:
            made = False
            try:
                fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
            except FileNotFoundError:
                continue  # removed in between by a build that failed: start again
        except FileNotFoundError:
            continue  # the folder itself was removed in between
        handle = os.fdopen(fd, "r+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise BuildRunning(f"another build is running in {root}; wait for it to finish") from None
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle, made, created
        handle.close()  # we locked a lock file that a failed build had just removed
    raise StoreError(f"cannot take the lock of {root}: it keeps disappearing")


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the output folder's lock; on failure remove what this build created there, and only that."""
    handle, made_lock, created = _open_lock(root)
    try:
        _remove_leftovers(root)
        yield
    except BaseException:
        if root in created:  # a first build that failed leaves no trace, not even an empty folder
            shutil.rmtree(root, ignore_errors=True)
        elif made_lock:
            (root / LOCK_NAME).unlink(missing_ok=True)
        for folder in created:  # parents of the output folder made for it, if nothing else is in them
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        handle.close()  # closing releases the lock


def _remove_leftovers(root: Path) -> None:
    """Staging folders and link files of builds that were killed; stale, since we hold the lock."""
    builds = root / "builds"
    if builds.is_dir():
        for child in builds.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(child, ignore_errors=True)
    for leftover in root.glob(".current-*"):
        leftover.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def new_build(out: OutDir) -> Iterator[Path]:
    """Yield an empty folder to build into; publish it as ``current`` only if the block succeeds."""
    if out.current_link.exists() and not out.current_link.is_symlink():
        raise StoreError(f"{out.current_link} is not a symlink; refusing to write into a folder kg build did not create")
    with locked(out.root):
        yield from _staged(out)


def _staged(out: OutDir) -> Iterator[Path]:
    """Build into a staging folder; rename it and swap ``current`` only when the block succeeds."""
    made_builds = not out.builds.exists()
    out.builds.mkdir(exist_ok=True)
    build_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    staging = out.builds / f"{STAGING_PREFIX}{build_id}"
    staging.mkdir()
    try:
        yield staging
        final = out.builds / build_id
        os.rename(staging, final)
        link_tmp = out.root / f".current-{build_id}"
        os.symlink(Path("builds") / build_id, link_tmp)
        previous = out.current_link.resolve() if out.current_link.is_symlink() else None
        os.replace(link_tmp, out.current_link)  # the atomic step
        _fsync_dir(out.root)
    except BaseException as exc:
        release(exc)  # the store in the staging folder must be closed before the folder goes
        shutil.rmtree(staging, ignore_errors=True)
        if made_builds:
            with contextlib.suppress(OSError):
                out.builds.rmdir()
        raise
    _prune(out, keep={final, previous})


def _prune(out: OutDir, keep: set[Path | None]) -> None:
    """Remove old builds and leftovers of interrupted ones; keep the current and previous build."""
    # compare resolved paths on both sides: with a relative --out, ``final`` is relative too, and
    # a relative path never equals a resolved one (that pruned the build just published)
    kept = {path.resolve() for path in keep if path is not None}
    for child in out.builds.iterdir():
        if child.resolve() not in kept and not _leased(child):
            shutil.rmtree(child, ignore_errors=True)
    for leftover in out.root.glob(".current-*"):
        leftover.unlink(missing_ok=True)


def _leased(build: Path) -> bool:
    """Whether a reader holds the lease of this build folder (then it is not pruned)."""
    try:
        handle = open(build / LEASE_NAME)  # noqa: SIM115 - closed below
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@contextlib.contextmanager
def lease(build: Path) -> Iterator[None]:
    """Keep ``build`` from being pruned while the block runs (a shared lock; any number of readers)."""
    try:
        handle = open(build / LEASE_NAME, "a")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise StoreError(f"cannot hold the build {build}: {exc.strerror}") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A fresh folder under the temporary directory, removed afterwards; stale ones of killed runs go first."""
    _remove_stale_scratch()
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    # locked before it gets its name, so that no other run ever sees an unlocked lock of a live run
    handle = open(folder / f"{LOCK_NAME}.new", "w")  # noqa: SIM115 - held for the whole block
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.rename(folder / f"{LOCK_NAME}.new", folder / LOCK_NAME)
        yield folder
    except BaseException as exc:
        release(exc)  # close the store before its folder goes ("Directory not empty: 'store'")
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        handle.close()


def _remove_stale_scratch() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        try:
            handle = open(folder / LOCK_NAME)  # noqa: SIM115 - closed below
        except OSError:
            continue  # no lock yet (a run starting), or not ours
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a run that is still going
            shutil.rmtree(folder, ignore_errors=True)
