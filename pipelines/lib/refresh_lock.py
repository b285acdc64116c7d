"""One refresh at a time per warehouse: an advisory lock on `<warehouse>/refresh.lock`.

The lock is `flock` on that file. The kernel drops it when its process ends, however it ends,
so a lock file that still names a holder while its lock is free belongs to a run that was
killed: the next run says so and takes it. `flock` rather than `lockf`: a `flock` lock belongs
to the open file, so closing some other descriptor of the file (or taking it twice in one
process) never drops it by accident. The file names the holder (pid, run id, start time) for
the message a second run prints; a run that ends normally empties it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

LOCK_FILE_NAME = "refresh.lock"


class RefreshRunningError(RuntimeError):
    """Another refresh holds the warehouse's lock."""


@dataclass(frozen=True)
class LockHolder:
    pid: int
    run_id: str
    started_at: str

    def describe(self) -> str:
        return f"pid {self.pid}, run {self.run_id}, started at {self.started_at}"


@dataclass(frozen=True)
class HeldLock:
    holder: LockHolder
    stale: str  # what the file said of a run that died holding the lock; empty if none


def lock_path(warehouse_dir: Path) -> Path:
    return warehouse_dir / LOCK_FILE_NAME


@contextmanager
def refresh_lock(
    warehouse_dir: Path, run_id: str, *, wait: bool, log: Callable[[str], None]
) -> Iterator[HeldLock]:
    """Hold the warehouse's refresh lock for the body; raise RefreshRunningError at once if
    another run holds it (or, with `wait`, block until it is released)."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock_path(warehouse_dir), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            running = _running_holder_text(descriptor)
            if not wait:
                raise RefreshRunningError(
                    f"a refresh is already running ({running}) on {warehouse_dir}: wait for it "
                    "to finish, or pass --wait to queue behind it"
                ) from None
            log(f"waiting for the refresh already running ({running})")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        stale = _holder_text(descriptor)
        if stale == _NO_HOLDER:
            stale = ""
        else:
            log(f"stale refresh lock of a run that did not finish ({stale}): taken over")
        holder = LockHolder(
            pid=os.getpid(),
            run_id=run_id,
            started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        _write(descriptor, json.dumps(asdict(holder)))
        try:
            yield HeldLock(holder=holder, stale=stale)
        finally:
            _write(descriptor, "")  # released normally: not stale for the next run
    finally:
        os.close(descriptor)  # drops the lock


_NO_HOLDER = "no holder recorded"
_HOLDER_WRITE_SECONDS = 2.0


def _holder_text(descriptor: int) -> str:
    holder = _read_holder(descriptor)
    return holder.describe() if isinstance(holder, LockHolder) else holder


def _running_holder_text(descriptor: int) -> str:
    """The running holder as the file names it. A run writes itself there just after taking
    the lock: until it has, the file may still name a run killed before, so look again
    briefly until it names a live process."""
    deadline = time.monotonic() + _HOLDER_WRITE_SECONDS
    while True:
        holder = _read_holder(descriptor)
        alive = isinstance(holder, LockHolder) and _is_alive(holder.pid)
        if alive or time.monotonic() > deadline:
            return holder.describe() if isinstance(holder, LockHolder) else holder
        time.sleep(0.05)


def _read_holder(descriptor: int) -> LockHolder | str:
    os.lseek(descriptor, 0, os.SEEK_SET)
    text = os.read(descriptor, 4096).decode("utf-8", errors="replace").strip()
    if not text:
        return _NO_HOLDER
    try:
        return LockHolder(**json.loads(text))
    except (ValueError, TypeError):
        return f"unreadable lock file content {text[:80]!r}"


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def _write(descriptor: int, text: str) -> None:
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, text.encode(), 0)
    os.fsync(descriptor)
