"""Conversions between request values (zeep), stored documents (JSON) and reply values."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Mapping

from sync_pipeline.sandbox.values import as_utc


def to_datetime(stored: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(stored)) if stored else None


def to_decimal(stored: Any) -> Decimal | None:
    return None if stored is None else Decimal(str(stored))


def strings(array: Mapping[str, Any] | None) -> list[str] | None:
    """The items of an ArrayOfString, or None when the array was not sent (an empty one filters all out)."""
    if array is None:
        return None
    return [item for item in (array.get("string") or []) if item is not None]


def present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a request actually carried (zeep gives None for absent elements)."""
    return {key: value for key, value in values.items() if value is not None}


def sent(values: Mapping[str, Any], leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """Everything a request record carried, nested, for keeping: elements not sent (None, and repeated or
    complex ones with nothing in them) left out, as are the names in `leave_out`."""
    return {key: kept for key, value in values.items() if key not in leave_out and _carried(kept := _sent(value))}


def _sent(value: Any) -> Any:
    if isinstance(value, Mapping):
        return sent(value)
    if isinstance(value, (list, tuple)):
        return [kept for item in value if _carried(kept := _sent(item))]
    return value


def _carried(value: Any) -> bool:
    return value is not None and value != [] and value != {}


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
