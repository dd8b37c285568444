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
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_DONE = object()


@contextmanager
def read_ahead(items: Iterable[T], prepare: Callable[[T], R], *, depth: int = 32) -> Iterator[Iterator[tuple[T, R]]]:
    """(item, prepare(item)) for each item in order; `prepare` runs in a background thread, up to `depth` ahead.

        with read_ahead(orders, map_one) as mapped:
            for order, payload in mapped:
                write(payload)

    An exception raised by `prepare` (or by iterating `items`) is raised at that item's turn, as a
    plain loop would raise it. Leaving the block, however it is left, stops the thread. `prepare`
    must not use a client the caller uses meanwhile (zeep clients are not thread-safe).
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

    def handed_over() -> Iterator[tuple[T, R]]:
        while (entry := ready.get()) is not _DONE:
            item, prepared, error = entry
            if error is not None:
                raise error
            yield item, prepared

    worker = threading.Thread(target=work, name="read-ahead", daemon=True)
    worker.start()
    try:
        yield handed_over()
    finally:
        stop.set()
        worker.join()
