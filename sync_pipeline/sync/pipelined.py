"""Preparing the next records while the WMS writes the current one.

The WMS takes one write at a time per goods owner, so a push is a chain of round trips and the
process sits idle during each. read_ahead() uses that time: a background thread prepares (maps)
the records ahead of the writer, which then only writes. Records come out in their order, with
what preparing gave (a payload or a RecordError), so per-record outcomes are those of a plain loop.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_DONE = object()


def read_ahead(items: Iterable[T], prepare: Callable[[T], R], *, depth: int = 32) -> Iterator[tuple[T, R]]:
    """(item, prepare(item)) for each item in order; `prepare` runs in a background thread, up to `depth` ahead.

    An exception raised by `prepare` (or by iterating `items`) is raised here, at that item's turn,
    as a plain loop would raise it. Leaving the loop early stops the thread. `prepare` must not use
    a client the caller uses meanwhile (zeep clients are not thread-safe): mapping needs none.
    """
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def hand_over(entry: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not hand_over((item, prepare(item), None)):
                    return
        except BaseException as error:  # noqa: BLE001 - handed to the caller, raised there
            hand_over((None, None, error))
            return
        hand_over(_DONE)

    worker = threading.Thread(target=work, name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            entry = ready.get()
            if entry is _DONE:
                return
            item, prepared, error = entry
            if error is not None:
                raise error
            yield item, prepared
    finally:
        stop.set()
        worker.join()
