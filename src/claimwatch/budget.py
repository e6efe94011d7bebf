"""A time budget for one piece of work in the current thread.

    with time_limit(60):
        extract(ann)          # raises OverBudget once 60 s have passed

One watchdog thread per process raises OverBudget in the thread whose budget ran out, through
CPython's asynchronous exception (PyThreadState_SetAsyncExc): the rules are plain Python, so the
exception lands between two bytecodes, wherever the work is. It works in the main thread of a
worker process and in a Dask worker's task thread alike, where signals (SIGALRM) cannot reach.
OverBudget is a BaseException so that an extractor's `except Exception` cannot swallow it.
"""
from __future__ import annotations

import ctypes
import threading
import time
from contextlib import contextmanager
from typing import Iterator, Optional


class OverBudget(BaseException):
    """The work ran past its time budget."""


_lock = threading.Condition()
_deadlines: dict[int, list] = {}   # thread id -> [deadline, fired]
_watchdog: Optional[threading.Thread] = None


def _raise_in(thread_id: int, exc: Optional[type]) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


def _watch() -> None:
    with _lock:
        while True:
            now = time.monotonic()
            waits = []
            for tid, entry in _deadlines.items():
                if entry[1]:
                    continue
                if entry[0] <= now:
                    entry[1] = True
                    _raise_in(tid, OverBudget)
                else:
                    waits.append(entry[0] - now)
            _lock.wait(min(waits) if waits else None)


def _ensure_watchdog() -> None:
    global _watchdog
    if _watchdog is None or not _watchdog.is_alive():
        _watchdog = threading.Thread(target=_watch, name="claimwatch-budget", daemon=True)
        _watchdog.start()


@contextmanager
def time_limit(seconds: Optional[float]) -> Iterator[None]:
    """Raise OverBudget in this thread once `seconds` have passed inside the block (None: no limit)."""
    if not seconds or seconds <= 0:
        yield
        return
    tid = threading.get_ident()
    with _lock:
        _ensure_watchdog()
        entry = [time.monotonic() + seconds, False]
        _deadlines[tid] = entry
        _lock.notify()
    try:
        yield
    finally:
        _disarm(tid, entry)


def _disarm(tid: int, entry: list) -> None:
    # The watchdog may fire between the end of the work and this point; the exception then
    # arrives here, and the disarming is simply done again (clearing anything still pending).
    while True:
        try:
            with _lock:
                if _deadlines.get(tid) is entry:
                    del _deadlines[tid]
                if entry[1]:
                    _raise_in(tid, None)
            return
        except OverBudget:
            continue
