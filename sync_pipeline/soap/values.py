"""Values as both services exchange them: UTC times, .NET's "no date", SOAP arrays.

Both are .NET services that speak UTC and send naive date-times; both render a date-time they do not
have as DateTime.MinValue (0001-01-01T00:00:00); both wrap repeated elements in an ArrayOf… element
({"string": [...]}, {"InvoiceRow": [...]}).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, overload

DATETIME_MIN = datetime(1, 1, 1)  # .NET's DateTime.MinValue: "not set"


def is_datetime_min(value: datetime) -> bool:
    return value.replace(tzinfo=None) == DATETIME_MIN


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one from the service is UTC already."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utc_or_none(value: datetime | None) -> datetime | None:
    """A date-time from a reply as aware UTC; None when missing or in year 1 (DateTime.MinValue, "not set").

    All of year 1 counts as "not set", as it always did for the WMS: such a time with an offset
    (0001-01-01T00:30:00+01:00) has no UTC equivalent, and no real record has one.
    """
    if value is None or value.year <= 1:
        return None
    return as_utc(value)


@overload
def require_utc(value: datetime, name: str) -> datetime: ...
@overload
def require_utc(value: None, name: str) -> None: ...


def require_utc(value: datetime | None, name: str) -> datetime | None:
    """A time we send, in UTC (None stays None); a naive one is refused, as what it means is a guess."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got naive {value.isoformat()}")
    return value.astimezone(timezone.utc)


def unwrap_array(value: Any, item: str) -> list[Any]:
    """A SOAP array ({"Item": [...]}, a list, one item, or None) as a list without nil entries."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = value.get(item)
        if value is None:
            return []
    if not isinstance(value, (list, tuple)):
        value = [value]
    return [entry for entry in value if entry is not None]


def string_array(values: Iterable[str]) -> dict[str, list[str]]:
    """An ArrayOfString request value."""
    if isinstance(values, str):
        raise TypeError("give a list of strings, not one string")
    return {"string": list(values)}
