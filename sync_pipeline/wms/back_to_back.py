"""Writes back to back: one thread only posts, the caller renders, reads and records.

Ongoing takes one write at a time per goods owner, so pushing a batch is a chain of round trips.
Everything else a write needs (mapping and rendering the next message, reading the last reply,
recording its outcome) is done by the caller while a write is on the wire. The poster thread
holds the goods owner's write slot for each post and sends the next message (prepared whole by the
caller, soap/direct.py) the moment a reply is in, so the chain is the round trips themselves. It
tells the caller that a write ended only once the next one has left (or when there is none yet, or
it must wait for another writer's turn): the caller's work, which holds the interpreter lock, then
runs while a write is on the wire and not while the poster sends the next.

While a chain runs, the objects older than it are left out of the garbage collector's full
collections (gc.freeze): a full collection walks every object the process holds (the code
location's imports are most of them), 70-80 ms here with the interpreter lock held, and a reply
that comes in meanwhile waits for it, with the write slot idle. The objects the chain makes are
collected as ever; the older ones go back to the collector when the last chain ends.

Each message is posted once. A failure worth repeating comes back as its error, and the caller
repeats that write through the client's ordinary path (WmsClient.repeat_write), with the retry
policy's remaining attempts; the other writes go on meanwhile.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sync_pipeline.soap.direct import DirectPost, Prepared, Reply
from sync_pipeline.soap.errors import SyncError
from sync_pipeline.wms.models import WriteResult
from sync_pipeline.wms.write_calls import WriteCall

T = TypeVar("T")
SEND_GRACE_SECONDS = 0.005


@dataclass
class Finished(Generic[T]):
    """One write's end: what the caller submitted it with, and the result or the error."""

    token: T
    call: WriteCall
    result: WriteResult | None = None
    error: SyncError | None = None


@dataclass
class _Posting:
    token: Any
    call: WriteCall
    request: Prepared
    sent: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    reply: Reply | None = None
    failure: BaseException | None = None


class BackToBack(Generic[T]):
    """Submit writes in order; take their ends in the same order.

        with wms.back_to_back() as writes:
            for order in orders:
                writes.submit(order, order_write(payload))
                for end in writes.finished():
                    record(end)
            for end in writes.drain():
                record(end)

    At most `window` writes are on their way (queued or posting); take the ended ones after each
    submit, so that their outcomes are recorded as soon as they are known.
    """

    def __init__(self, render: Callable[[WriteCall], tuple[bytes, dict[str, str]]],
                 read: Callable[[WriteCall, Reply | None, BaseException | None],
                                tuple[WriteResult | None, SyncError | None]],
                 post: DirectPost, write_slot: threading.Lock, *, window: int = 4):
        self._render, self._read, self._post, self._slot = render, read, post, write_slot
        self._window = window
        self._pending: deque[_Posting] = deque()
        self._queue: queue.Queue[_Posting | None] = queue.Queue()  # None: stop
        self._thread = threading.Thread(target=self._run, name="wms-writes", daemon=True)
        _freeze_older_objects()
        self._frozen = True
        self._thread.start()

    def submit(self, token: T, call: WriteCall) -> None:
        """Render one write and queue it; waits while `window` writes are on their way."""
        while len(self._pending) >= self._window and not self._pending[0].done.is_set():
            self._pending[0].done.wait()
        posting = _Posting(token, call, self._post.prepare(*self._render(call)))
        self._pending.append(posting)
        self._queue.put(posting)

    def finished(self) -> Iterator[Finished[T]]:
        """The writes that have ended, oldest first, without waiting for any (but the moment the next needs to leave)."""
        while self._pending and self._pending[0].done.is_set():
            yield self._take(block=False)

    def drain(self) -> Iterator[Finished[T]]:
        """Every write not taken yet, oldest first, waiting for each."""
        while self._pending:
            yield self._take(block=True)

    def close(self) -> None:
        """Stop the poster after its current post; writes not taken are left (they were idempotent)."""
        for posting in self._pending:
            posting.failure = posting.failure or RuntimeError("not sent: the batch stopped")
        try:
            self._queue.put(None)
            self._thread.join()
            self._post.close()
        finally:
            if self._frozen:
                self._frozen = False
                _unfreeze_older_objects()

    def __enter__(self) -> "BackToBack[T]":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _take(self, *, block: bool) -> Finished[T]:
        posting = self._pending[0]
        if block:
            posting.done.wait()
        if len(self._pending) > 1:
            # Read the reply once the next write is on the wire (a write submitted after the poster
            # told this end may still be leaving): the poster needs the interpreter lock to send it,
            # and reading and recording would hold it for a while. Not longer: the next write may be
            # waiting for another writer's turn.
            self._pending[1].sent.wait(SEND_GRACE_SECONDS)
        self._pending.popleft()
        result, error = self._read(posting.call, posting.reply, posting.failure)
        return Finished(posting.token, posting.call, result, error)

    def _run(self) -> None:
        ended: _Posting | None = None  # posted, its end not yet told: that waits for the next write to leave
        while True:
            try:
                posting = self._queue.get_nowait()
            except queue.Empty:
                _tell(ended)  # nothing to send next: tell it now
                ended = None
                posting = self._queue.get()
            if posting is None:
                _tell(ended)
                return
            if not self._slot.acquire(blocking=False):
                _tell(ended)  # another writer's turn first: the caller need not wait for it to read this end
                self._slot.acquire()
            try:
                if posting.failure is None:  # close() may have come while the slot was taken
                    posting.reply = self._post.send(posting.request, _Sent(posting, ended).set)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller with its write
                posting.failure = exc
            finally:
                self._slot.release()
            posting.sent.set()
            _tell(ended)
            ended = posting


_chains = 0  # chains running in this process (threads may each run one)
_chains_lock = threading.Lock()


def _freeze_older_objects() -> None:
    global _chains
    with _chains_lock:
        _chains += 1
        gc.freeze()  # again for a second chain: what the first has made since is old to this one


def _unfreeze_older_objects() -> None:
    global _chains
    with _chains_lock:
        _chains -= 1
        if _chains == 0:
            gc.unfreeze()


@dataclass
class _Sent:
    """What happens once a write has left: the caller, told that the write before it ended, can read
    that reply and record it while this one is on the wire. Telling it earlier would wake the caller
    (and its mapping, rendering and recording, which hold the interpreter lock) exactly while this
    write is being sent."""

    posting: _Posting
    ended: _Posting | None

    def set(self) -> None:
        self.posting.sent.set()
        _tell(self.ended)


def _tell(ended: _Posting | None) -> None:
    if ended is not None:
        ended.done.set()
