"""Times shown or stored as UTC text: the one way each is written."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_iso(moment: datetime, timespec: str = "auto") -> str:
    """ISO 8601 in UTC with a Z, e.g. 2024-05-17T12:00:00Z (an aware time)."""
    return moment.astimezone(timezone.utc).isoformat(timespec=timespec).replace("+00:00", "Z")


def utc_text(moment: datetime) -> str:
    """For people: 2024-05-17 12:00:00 UTC (an aware time)."""
    return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S} UTC"
