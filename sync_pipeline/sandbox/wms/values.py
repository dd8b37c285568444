"""Conversions between request values (zeep), stored documents (JSON) and reply values."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Mapping

# .NET's DateTime.MinValue: what Ongoing renders for a required date-time that is not set.
# Clients must read it as "unknown".
NOT_SET_DATE = "0001-01-01T00:00:00"


def as_utc(value: datetime) -> datetime:
    """Date-times without an offset are taken as UTC (all Ongoing sandbox times are UTC)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def to_datetime(stored: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(stored)) if stored else None


def to_decimal(stored: Any) -> Decimal | None:
    return None if stored is None else Decimal(str(stored))


def strings(array: Mapping[str, Any] | None) -> list[str] | None:
    """The items of an ArrayOfString, or None when the array was not sent (an empty one filters all out)."""
    if array is None:
        return None
    return [item for item in (array.get("string") or []) if item is not None]


def items(array: Mapping[str, Any] | None, name: str) -> list[dict[str, Any]]:
    """The items of an ArrayOf<name> wrapper; absent wrappers and nil items give nothing."""
    if not array:
        return []
    return [item for item in (array.get(name) or []) if item is not None]


def present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a request actually carried (zeep gives None for absent elements)."""
    return {key: value for key, value in values.items() if value is not None}


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
