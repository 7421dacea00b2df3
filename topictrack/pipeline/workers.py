"""Worker processes that end with their parent, and a pool map that survives a dead worker.

- :func:`die_with_parent` (run first in every worker) makes the kernel end the worker when the
  parent dies (Linux ``PR_SET_PDEATHSIG``), with a watchdog thread as the fallback elsewhere:
  killing ``topictrack score -j N`` leaves no workers behind.
- :func:`resilient_map` yields results in task order like a plain windowed map, but when a
  worker dies (killed, out of memory, a crash in native code) the pool is started again and the
  tasks that were in flight are run again one at a time: the one that kills its worker again is
  split (when it is a batch) and, once alone, reported through ``on_crash`` instead of ending
  the run. It runs on any pool with ``submit``, ``restart`` and ``close`` and a ``crashed``
  tuple of the exceptions a dead worker raises: :class:`ProcessPool` here, the Dask engine's
  pool in :mod:`.engines`.
"""

from __future__ import annotations

import collections
import os
import signal
import sys
import threading
import time
from concurrent.futures.process import BrokenProcessPool

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """End this process when its parent process ends."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="topictrack-parent-watch", daemon=True).start()


_END = object()


class ProcessPool:
    """A :class:`~concurrent.futures.ProcessPoolExecutor` from ``make_pool()``, made afresh by
    :meth:`restart` once a dead worker has broken it."""

    crashed = (BrokenProcessPool,)

    def __init__(self, make_pool):
        self._make = make_pool
        self._pool = make_pool()

    def submit(self, func, task):
        return self._pool.submit(func, task)

    def restart(self) -> None:
        self.close()
        self._pool = self._make()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def resilient_map(pool, func, tasks, window, *, on_crash, split=None, join=None):
    """Yield ``func(task)`` for each task in order, at most ``window`` tasks in flight.

    ``pool`` submits tasks (``pool.submit(func, task)`` -> a future) and is closed at the end.
    When a future raises one of ``pool.crashed`` (its worker died), ``pool.restart()`` drops
    every task in flight and every one of them is run again alone; a task that kills its worker
    again is split with ``split(task)`` (a list of smaller tasks, or None) and its parts' results
    combined with ``join(results)``, and a task that cannot be split yields ``on_crash(task)``.
    """

    def alone(task):
        try:
            return pool.submit(func, task).result()
        except pool.crashed:
            pool.restart()
            parts = split(task) if split is not None else None
            if parts and len(parts) > 1:
                return join([alone(part) for part in parts])
            return on_crash(task)

    pending = collections.deque()
    tasks = iter(tasks)
    try:
        while True:
            while len(pending) < window:
                task = next(tasks, _END)
                if task is _END:
                    break
                pending.append((task, pool.submit(func, task)))
            if not pending:
                return
            task, future = pending[0]
            try:
                result = future.result()
            except pool.crashed:
                pool.restart()
                stuck = [t for t, _ in pending]
                pending.clear()
                for task in stuck:
                    yield alone(task)
                continue
            pending.popleft()
            yield result
    finally:
        for _, future in pending:
            future.cancel()
        pool.close()
