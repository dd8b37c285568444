"""Values both simulated systems handle alike: UTC times, .NET's "no date", SOAP arrays as zeep parses them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, Mapping

Now = Callable[[], datetime]

# .NET's DateTime.MinValue: what both services send and render for a date-time that is not set.
NOT_SET_DATE = datetime(1, 1, 1)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A moment in aware UTC; one without an offset is taken to be UTC already (both services speak UTC)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def is_set(moment: datetime | None) -> bool:
    return moment is not None and moment.replace(tzinfo=None) != NOT_SET_DATE


def items(array: Mapping[str, Any] | None, name: str) -> list[Any]:
    """The items of an ArrayOf<name> wrapper ({"int": [...]}, {"CustomerOrderLine": [...]}); absent
    wrappers and nil items give nothing."""
    if not array:
        return []
    return [item for item in (array.get(name) or []) if item is not None]
