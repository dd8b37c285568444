"""Building zeep clients with safe parsing and timeouts, and calling them with retries."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

import requests
import tenacity
import zeep

from sync_pipeline.soap.errors import QuarantineError, SyncError, classify, safe_cause
from sync_pipeline.soap.tolerant import TolerantReading
from sync_pipeline.soap.transport import DEFAULT_MAX_REPLY_BYTES, GuardedTransport, SoapBodyCheck
from sync_pipeline.soap.unknown import UnknownElements

log = logging.getLogger(__name__)
T = TypeVar("T")


def build_client(
    wsdl: Path,
    address: str,
    *,
    timeout: float,
    session: requests.Session | None = None,
    plugins: Iterable[zeep.Plugin] = (),
    max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
    unknown_elements: UnknownElements | None = None,
) -> tuple[zeep.Client, Any]:
    """A zeep client for one of our service descriptions and its service proxy bound to `address`.

    Replies larger than `max_reply_bytes` are refused (see transport.py). Replies are read tolerantly
    (tolerant.py), after every other plugin: elements the description lacks are skipped and noted in
    `unknown_elements` (a collector of its own if none is given).
    """
    settings = zeep.Settings(
        strict=True,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
        xml_huge_tree=True,  # large catalogues; entity expansion stays forbidden
    )
    transport = GuardedTransport(session=session or requests.Session(), timeout=timeout, operation_timeout=timeout,
                                 max_reply_bytes=max_reply_bytes)
    client = zeep.Client(str(wsdl), settings=settings, transport=transport, plugins=[SoapBodyCheck(), *plugins])
    collector = UnknownElements() if unknown_elements is None else unknown_elements
    client.plugins.append(TolerantReading(client.wsdl.types, collector))
    binding = next(iter(client.wsdl.bindings))
    return client, client.create_service(binding, address)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a retryable failure is tried again."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_quarantine_wait: float = 300.0

    def delay(self, attempt: int, error: SyncError) -> float:
        if isinstance(error, QuarantineError):
            if error.retry_at is None:
                return self.max_delay
            wait = (error.retry_at - datetime.now(timezone.utc)).total_seconds()
            # An end given to the whole second may have been truncated: wait out that second too.
            margin = 1.0 if error.retry_at.microsecond == 0 else 0.1
            return min(max(wait, 0.0) + margin, self.max_quarantine_wait)
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return random.uniform(backoff / 2, backoff)  # jitter keeps parallel clients from re-colliding


def call_with_retry(
    operation: str,
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    on_retry: Callable[[SyncError], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    failed: SyncError | None = None,
) -> T:
    """Run `call`, retrying retryable failures by `policy`; terminal ones raise at once.

    Every failure is raised as classify() sorts it, its cause passed on only as safe_cause() allows.
    on_retry: called with the error before each wait (it may raise to stop the retries).
    failed: the error of a first attempt made elsewhere (a write sent back to back); it counts as
    attempt 1, so `call` runs only for the attempts the policy has left.
    """
    made_elsewhere = [] if failed is None else [failed]

    def attempt() -> T:
        if made_elsewhere:
            raise made_elsewhere.pop()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - every failure is sorted by classify()
            caught = exc
        # Raised outside the except block, so the unredacted original is not kept as the context.
        error = classify(caught, operation)
        if error is caught:
            raise error
        raise error from safe_cause(caught)

    def before_wait(state: tenacity.RetryCallState) -> None:
        error = _failure(state)
        if on_retry is not None:
            on_retry(error)
        log.warning("%s failed (attempt %d of %d), retrying in %.1fs: %s",
                    operation, state.attempt_number, policy.attempts, state.upcoming_sleep, error)

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(lambda error: isinstance(error, SyncError) and error.retryable),
        stop=tenacity.stop_after_attempt(policy.attempts),
        wait=lambda state: policy.delay(state.attempt_number, _failure(state)),
        before_sleep=before_wait,
        sleep=sleep,
        reraise=True,
    )
    return retrying(attempt)


def _failure(state: tenacity.RetryCallState) -> SyncError:
    """The failure tenacity is about to retry: always a SyncError (see call_with_retry's retry=)."""
    error = state.outcome.exception() if state.outcome is not None else None
    if not isinstance(error, SyncError):
        raise TypeError(f"only SyncErrors are retried, got {error!r}")
    return error
