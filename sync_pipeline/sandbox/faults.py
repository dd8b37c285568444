"""Deterministic fault injection and the request-rate quarantine of a sandbox."""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta, timezone
from typing import Any


@dataclass
class FaultConfig:
    """What `POST /_sandbox/faults` sets; every rate is a probability per SOAP call."""

    seed: int = 0
    latency_ms: float = 0.0
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    drop_rate: float = 0.0
    malformed_rate: float = 0.0
    expire_sessions: bool = False
    quarantine_seconds: float = 0.0
    # The quarantine starts with the next SOAP call (refused) instead of now: a caller is sure to meet it.
    quarantine_from_next_call: bool = False
    timeout_hold_seconds: float = 3.0  # how long a "timed out" call holds the connection before closing it
    rate_limit_per_hour: int = 7200
    unknown_elements: bool = False  # replies' records carry elements no description defines (sandbox/unknown_elements.py)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "FaultConfig":
        """Keys left out take their defaults, so `{}` turns every fault off."""
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        return cls(**{**asdict(cls()), **data})

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# What the injector decided for one call, in the order the server applies them.
ERROR, TIMEOUT, DROP, MALFORMED = "error", "timeout", "drop", "malformed"


class FaultInjector:
    """Decides, reproducibly for a seed, which calls fail and how."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.config = FaultConfig()
        self._random = random.Random(0)
        self._quarantine_until: datetime | None = None
        self._quarantine_pending = False  # waits for the next call to start
        self._recent: deque[float] = deque()

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._random = random.Random(config.seed)
            forced = config.quarantine_seconds > 0
            self._quarantine_pending = forced and config.quarantine_from_next_call
            self._quarantine_until = (
                datetime.now(timezone.utc) + timedelta(seconds=config.quarantine_seconds)
                if forced and not self._quarantine_pending else None
            )

    def reset(self) -> None:
        self.configure(FaultConfig())
        with self._lock:
            self._recent.clear()

    def latency(self) -> float:
        return self.config.latency_ms / 1000.0

    def quarantine_message(self) -> str | None:
        """The refusal to send when this caller is over its limit or in a forced quarantine."""
        now = datetime.now(timezone.utc)
        with self._lock:
            stamp = time.monotonic()
            self._recent.append(stamp)
            while self._recent and stamp - self._recent[0] > 3600:
                self._recent.popleft()
            if self._quarantine_pending:
                self._quarantine_pending = False
                self._quarantine_until = now + timedelta(seconds=self.config.quarantine_seconds)
            if self._quarantine_until is None and len(self._recent) > self.config.rate_limit_per_hour:
                self._quarantine_until = now + timedelta(minutes=1)
            if self._quarantine_until is None or now >= self._quarantine_until:
                self._quarantine_until = None
                return None
            # Rounded up to the second: a caller that waits until the announced end must be let in.
            until = self._quarantine_until
            ends = (until.replace(microsecond=0) + timedelta(seconds=1 if until.microsecond else 0)).isoformat()
        return f"Limit exceeded. Request is blocked. Quarantine ends at {ends}"

    def quarantined(self) -> bool:
        """Whether a quarantine refuses calls now or waits for the next call to start."""
        with self._lock:
            return self._quarantine_pending or (
                self._quarantine_until is not None and datetime.now(timezone.utc) < self._quarantine_until)

    def draw(self) -> str | None:
        """The fault to inject into this call, if any."""
        with self._lock:
            roll = self._random.random()
            config = self.config
        for kind, rate in ((ERROR, config.error_rate), (TIMEOUT, config.timeout_rate),
                           (DROP, config.drop_rate), (MALFORMED, config.malformed_rate)):
            if roll < rate:
                return kind
            roll -= rate
        return None
