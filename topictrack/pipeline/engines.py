"""Where per-file scoring runs: in this process, in a local process pool, or on a Dask cluster.

Every engine has one method, :meth:`imap`, which applies a function to a stream of tasks and
yields the results *in task order* while keeping only a bounded number of tasks in flight, so
memory stays flat however many files go in. The function must be a picklable top-level
callable (or a :func:`functools.partial` of one) that loads whatever it needs once per process
(with :func:`functools.lru_cache`), because the same function runs unchanged on every engine.
"""

from __future__ import annotations

import collections
import functools
import logging
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

from topictrack.pipeline import workers
from topictrack.errors import ConfigError

ENGINES = ("local", "dask")


def default_jobs() -> int:
    """Number of worker processes used when none is asked for: every core this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_start(initializer, initargs):
    # Ctrl-C goes to the whole process group; only the parent decides what to do with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    workers.die_with_parent()  # killing the parent ends its workers
    if initializer is not None:
        initializer(*initargs)


class LocalEngine:
    """Run tasks on this machine: in-process for ``jobs=1``, else in a pool of ``jobs`` processes
    (forked where the platform can: then the initializer runs in this process first)."""

    def __init__(self, jobs: int | None = None, *, window: int | None = None):
        if jobs is not None and jobs < 1:
            raise ConfigError(f"jobs must be at least 1, got {jobs}")
        self.jobs = jobs or default_jobs()
        self.window = window or 4 * self.jobs

    def __repr__(self) -> str:
        return f"LocalEngine(jobs={self.jobs})"

    def imap(self, func, tasks, *, initializer=None, initargs=(), on_crash=None, split=None,
             join=None):
        """Yield ``func(task)`` for each task, in order. With ``on_crash``, a worker that dies
        costs only its task (see :func:`.workers.resilient_map`)."""
        if self.jobs == 1:
            if initializer is not None:
                initializer(*initargs)
            for task in tasks:
                yield func(task)
            return
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        if method == "fork" and initializer is not None:
            # forked workers start with what the initializer loads here: it is loaded once,
            # not once per worker (their own call of it then finds everything loaded)
            initializer(*initargs)
        if on_crash is not None:
            make_pool = functools.partial(ProcessPoolExecutor, max_workers=self.jobs, mp_context=context,
                                          initializer=_worker_start, initargs=(initializer, initargs))
            yield from workers.resilient_map(workers.ProcessPool(make_pool), func, tasks, self.window,
                                             on_crash=on_crash, split=split, join=join)
            return
        pool = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=context,
            initializer=_worker_start,
            initargs=(initializer, initargs),
        )
        try:
            yield from _ordered(pool.submit, func, tasks, self.window)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """Run tasks on a Dask distributed cluster.

    ``scheduler`` is a scheduler address (``"tcp://host:8786"``), an existing
    ``distributed.Client``, or None for a ``LocalCluster`` on this machine with ``jobs`` worker
    processes. The cluster's workers need topictrack installed and must be able to read the
    input files at the same paths.
    """

    def __init__(self, scheduler=None, *, jobs: int | None = None, window: int | None = None):
        self.scheduler = scheduler
        self.jobs = jobs
        self.window = window

    def __repr__(self) -> str:
        return f"DaskEngine(scheduler={self.scheduler!r})"

    def imap(self, func, tasks, *, initializer=None, initargs=(), on_crash=None, split=None,
             join=None):
        """Yield ``func(task)`` for each task, in order (the initializer is not needed here:
        ``func`` loads what it needs once per worker process). With ``on_crash``, a task whose
        worker dies costs only that task, as on the local engine (a cluster of our own gives up
        on a task at its first dead worker, since the task is run again alone here anyway)."""
        try:
            from distributed import Client, KilledWorker, LocalCluster
        except ImportError:
            raise ConfigError(
                "the dask engine needs dask[distributed]: pip install 'topictrack[dask]'"
            ) from None
        owned = []
        chatty = logging.getLogger("distributed")
        level = chatty.level
        if self.scheduler is None:
            # a cluster of our own is an implementation detail: keep its start-up chatter quiet
            chatty.setLevel(logging.WARNING)
            cluster = LocalCluster(n_workers=self.jobs or default_jobs(), threads_per_worker=1,
                                   dashboard_address=None, silence_logs=logging.WARNING,
                                   scheduler_kwargs={"allowed_failures": 0})
            owned.append(cluster)
            # and so are its reports of a dead worker: the file it was scoring is listed as failed
            chatty.setLevel(logging.CRITICAL)
            client = Client(cluster)
            owned.append(client)
        elif isinstance(self.scheduler, Client):
            client = self.scheduler
        else:
            try:
                client = Client(self.scheduler, timeout="10s")
            except OSError as exc:
                raise ConfigError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
            owned.append(client)
        window = self.window or 4 * max(1, len(client.scheduler_info().get("workers", {})))

        pool = _DaskPool(client, (KilledWorker,))
        try:
            if on_crash is not None:
                yield from workers.resilient_map(pool, func, tasks, window, on_crash=on_crash,
                                                 split=split, join=join)
            else:
                yield from _ordered(pool.submit, func, tasks, window)
        finally:
            for thing in reversed(owned):
                thing.close()
            chatty.setLevel(level)


class _DaskPool:
    """Tasks submitted to a Dask client, in the shape :func:`.workers.resilient_map` runs on.

    The cluster starts dead workers again itself; :meth:`restart` cancels the tasks still in
    flight, so that each of them can be run again alone."""

    def __init__(self, client, crashed):
        self.client = client
        self.crashed = crashed
        self._running = []

    def submit(self, func, task):
        future = self.client.submit(func, task, pure=False)
        self._running = [f for f in self._running if not f.done()]
        self._running.append(future)
        return future

    def restart(self) -> None:
        self.close()

    def close(self) -> None:
        if self._running:
            self.client.cancel(self._running)
        self._running = []


def _ordered(submit, func, tasks, window):
    """Submit tasks keeping at most ``window`` in flight; yield their results in task order."""
    pending = collections.deque()
    try:
        for task in tasks:
            pending.append(submit(func, task))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def make_engine(engine: str = "local", *, jobs: int | None = None, scheduler=None):
    """The engine named ``engine`` ("local" or "dask")."""
    if engine == "local":
        if scheduler is not None:
            raise ConfigError("--scheduler is for the dask engine; add --engine dask")
        return LocalEngine(jobs)
    if engine == "dask":
        return DaskEngine(scheduler, jobs=jobs)
    raise ConfigError(f"engine {engine!r} is unknown; expected one of: {', '.join(ENGINES)}")
