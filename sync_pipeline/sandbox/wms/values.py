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


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
