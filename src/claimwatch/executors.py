"""Where the workers run: in this process, in a process pool over the machine's cores, or on a
Dask cluster. All three take the same task (pipeline.process_batch with its options) and the
same stream of batches, and give back (batch, result) in the order of the batches, however the
work was spread: the one writer commits them in that order.

Only a few batches per worker are in flight, so that memory stays flat however long the stream.
A worker that dies loses nothing: its batches are done again (the pool is restarted; Dask
reschedules them itself). A batch that keeps killing its workers is done one article at a time
on its own, so that only the article that kills the worker fails.
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from typing import Callable, Iterable, Iterator, Optional

IN_FLIGHT_PER_WORKER = 4
MAX_DEATHS = 2          # a batch in flight when workers died this often is retried alone


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def make_executor(workers: int = 1, dask: Optional[str] = None):
    """The executor for `claimwatch ingest --workers N` / `--dask local|ADDRESS`."""
    if dask:
        return DaskExecutor(dask, workers)
    if workers and workers > 1:
        return PoolExecutor(workers)
    return InlineExecutor()


class InlineExecutor:
    """The workers' task run in this process, batch after batch."""
    redone = 0

    def warm(self) -> None:
        worker_setup()

    def run(self, task: Callable, batches: Iterable) -> Iterator:
        for batch in batches:
            yield batch, task(batch.work) if batch.work else None

    def close(self) -> None:
        pass


def worker_setup() -> None:
    """Each worker process loads the language model once, before its first batch. One worker per
    core: the numeric libraries get one thread each (as Dask's nanny sets them), not one per core."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from . import nlp, registry
    registry.load_plugins()
    nlp.load()


def pool_worker_setup(parent: int) -> None:
    """A pool worker: the model, and an end of its own when the ingest that started it is gone
    (killed), instead of waiting for work forever."""
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="claimwatch-parent", daemon=True).start()
    worker_setup()


def worker_ready(wait: float = 0.0) -> int:
    """A no-op task: once it returns, the worker that ran it has loaded the model."""
    import time
    time.sleep(wait)
    return os.getpid()


AGAIN = object()   # what `collect` returns when the batches in flight were sent again


def in_order(batches: Iterable, limit: int, submit: Callable, collect: Callable) -> Iterator:
    """(batch, result) in the order of the batches, with at most `limit` in flight. Each entry in
    flight is [batch, future, deaths]; `collect(entry, window)` gives its result, or AGAIN when
    it had the window's batches sent again."""
    window: deque = deque()
    it = iter(batches)

    def fill():
        while len(window) < limit:
            b = next(it, None)
            if b is None:
                return
            window.append([b, submit(b) if b.work else None, 0])

    fill()
    while window:
        entry = window[0]
        result = collect(entry, window) if entry[1] is not None else None
        if result is AGAIN:
            continue
        window.popleft()
        yield entry[0], result
        fill()


class PoolExecutor:
    """A pool of worker processes (concurrent.futures, started by 'spawn': a clean interpreter that
    imports claimwatch and loads the model once). With a single batch of work, it runs here."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self.pool = None
        self.redone = 0

    def _start(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=pool_worker_setup, initargs=(os.getpid(),))
        return self.pool

    def warm(self) -> None:
        """Start every worker and wait until each has loaded the model."""
        pool = self._start()
        for f in [pool.submit(worker_ready, 1.0) for _ in range(self.workers)]:
            f.result()

    def _restart(self):
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
        return self._start()

    def run(self, task: Callable, batches: Iterable) -> Iterator:
        from concurrent.futures.process import BrokenProcessPool
        it = iter(batches)
        first = next(it, None)
        if first is None:
            return
        second = next(it, None)
        if second is None and self.pool is None:  # one batch: not worth starting processes for
            yield first, task(first.work) if first.work else None
            return

        def collect(entry, window):
            try:
                return entry[1].result()
            except BrokenProcessPool:
                self._after_death(window, task)
                return AGAIN

        yield from in_order(itertools.chain([first, second], it), self.workers * IN_FLIGHT_PER_WORKER,
                            lambda b: self._start().submit(task, b.work), collect)

    def _after_death(self, window: deque, task: Callable) -> None:
        """A worker died: every batch in flight is done again; one that was in flight at every
        death of late is done alone, one article at a time, so that the culprit is found."""
        lost = [e for e in window if e[1] is not None and not _succeeded(e[1])]
        self.redone += len(lost)
        pool = self._restart()
        for entry in lost:
            entry[2] += 1
            if entry[2] >= MAX_DEATHS:
                entry[1] = _Resolved(self._alone(task, entry[0]))
            else:
                entry[1] = pool.submit(task, entry[0].work)

    def _alone(self, task: Callable, batch):
        """Each article of the batch by itself, with nothing else in flight."""
        from concurrent.futures.process import BrokenProcessPool
        from .pipeline import BatchResult, Failed
        outcomes, worker, peak = [], "", 0.0
        for doc_id, art in batch.work:
            try:
                r = self._start().submit(task, [(doc_id, art)]).result()
                outcomes += r.outcomes
                worker, peak = r.worker, max(peak, r.peak_rss_mb)
            except BrokenProcessPool:
                self._restart()
                outcomes.append(Failed(doc_id, art.path, "the worker process died while processing it"))
        return BatchResult(outcomes, worker, peak)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _succeeded(future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


class _Resolved:
    """A result already at hand, in the place of a future."""

    def __init__(self, value):
        self.value = value

    def done(self) -> bool:
        return True

    def cancelled(self) -> bool:
        return False

    def exception(self):
        return None

    def result(self):
        return self.value


class DaskExecutor:
    """Batches as tasks on a Dask cluster: `local` starts a LocalCluster of worker processes on this
    machine (one thread each, loopback only); an address connects to a running scheduler, whose
    workers must have claimwatch installed. The model is loaded once per worker by a WorkerPlugin."""

    def __init__(self, address: str, workers: int = 0):
        from distributed import Client, LocalCluster
        from .dask_plugin import ModelPlugin
        self.cluster = None
        self.redone = 0
        if address == "local":
            self.cluster = LocalCluster(n_workers=max(1, workers or default_workers()), threads_per_worker=1,
                                        processes=True, dashboard_address="127.0.0.1:0", host="127.0.0.1")
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        self.client.register_plugin(ModelPlugin(), name="claimwatch-model")
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers or 1)

    def warm(self) -> None:
        """Wait for the workers (the plugin has loaded the model on each as it joined)."""
        self.client.wait_for_workers(self.workers)
        self.client.run(worker_ready)

    def run(self, task: Callable, batches: Iterable) -> Iterator:
        from distributed import KilledWorker

        def collect(entry, window):
            try:
                return entry[1].result()
            except KilledWorker:  # Dask gave up after its own retries: find the article that kills workers
                self.redone += 1
                return self._alone(task, entry[0])

        yield from in_order(batches, self.workers * IN_FLIGHT_PER_WORKER,
                            lambda b: self.client.submit(task, b.work, pure=False), collect)

    def _alone(self, task: Callable, batch):
        from distributed import KilledWorker
        from .pipeline import BatchResult, Failed
        outcomes, worker, peak = [], "", 0.0
        for doc_id, art in batch.work:
            try:
                r = self.client.submit(task, [(doc_id, art)], pure=False).result()
                outcomes += r.outcomes
                worker, peak = r.worker, max(peak, r.peak_rss_mb)
            except KilledWorker:
                outcomes.append(Failed(doc_id, art.path, "the worker process died while processing it"))
        return BatchResult(outcomes, worker, peak)

    def close(self) -> None:
        import logging
        # a worker holding the model takes a few seconds to exit; the nanny then ends it, with a warning
        # that says nothing about our work
        nanny = logging.getLogger("distributed.nanny")
        level = nanny.level
        nanny.setLevel(logging.ERROR)
        try:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()
        finally:
            nanny.setLevel(level)
