"""The payload hash: sha256 of a canonical JSON text, equal for payloads that send the same thing.

SOAP puts every value on the wire as text, so numbers are canonicalised to their shortest decimal
text (Decimal("1.50"), 1.5 and "1.5" are the same value sent) and datetimes to UTC. Keys are
sorted; list order is kept (order lines go out in that order). Types the ledger cannot put into a
stable form are refused rather than hashed by repr().
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from sync_pipeline.utc import utc_iso


def canonical_json(payload: Any) -> str:
    return json.dumps(_canonical(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def payload_hash(payload: Any) -> str:
    """sha256 (hex) of the payload's canonical JSON."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, (int, float, Decimal)):
        return _number(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()  # a naive time is sent as it is; it cannot be moved to UTC
        return utc_iso(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {_dict_key(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if hasattr(value, "model_dump"):  # a pydantic model
        return _canonical(value.model_dump(mode="python"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _canonical(dataclasses.asdict(value))
    raise TypeError(f"cannot hash a {type(value).__name__} payload value: give str, numbers, datetimes, "
                    "lists or dicts")


def _number(value: int | float | Decimal) -> str:
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    if not number.is_finite():
        raise ValueError(f"cannot hash a non-finite number ({value!r})")
    if number.is_zero():
        return "0"
    return format(number.normalize(), "f")


def _dict_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, Enum):
        return str(key.value)
    if isinstance(key, (int, Decimal)) and not isinstance(key, bool):
        return _number(key)
    raise TypeError(f"cannot hash a payload with a {type(key).__name__} dict key")
