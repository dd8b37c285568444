"""24SevenOffice's "not set" values.

The service cannot say "missing" for ints, decimals, datetimes and guids, so it uses the smallest
value of each type instead. They are read as None and must never be sent as data.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sync_pipeline.soap.values import DATETIME_MIN, is_datetime_min

INT_NOT_SET = -2147483648
DECIMAL_NOT_SET = Decimal("-79228162514264337593543950335")
DATETIME_NOT_SET = DATETIME_MIN
GUID_NOT_SET = "00000000-0000-0000-0000-000000000000"

# The sentinels a value equals when "not set", by the type of value (a str is a guid's text).
_NOT_SET_BY_TYPE = ((int, INT_NOT_SET), (Decimal, DECIMAL_NOT_SET), (str, GUID_NOT_SET))


def is_not_set(value: Any) -> bool:
    """Whether `value` is one of the sentinels (compared by type: a Decimal -2147483648 is a real value)."""
    if isinstance(value, bool):
        return False
    for kind, sentinel in _NOT_SET_BY_TYPE:
        if isinstance(value, kind):
            return value == sentinel
    if isinstance(value, datetime):
        return is_datetime_min(value)
    if isinstance(value, UUID):
        return value.int == 0
    return False


def none_if_not_set(value: Any) -> Any:
    return None if is_not_set(value) else value


def not_set_value(kind: type) -> Any:
    """The sentinel that values of `kind` (int, Decimal or str) equal when "not set".

    For readers that know a field's type in advance and compare each value themselves: for such a
    value v, is_not_set(v) is v == not_set_value(type(v)).
    """
    if not issubclass(kind, bool):
        for compared, sentinel in _NOT_SET_BY_TYPE:
            if issubclass(kind, compared):
                return sentinel
    raise TypeError(f"{kind.__name__} values have no sentinel to compare with")


def require_set(name: str, value: Any) -> Any:
    """`value` unchanged, or ValueError when it is a sentinel (sending one would mean "not set")."""
    if value is None or is_not_set(value):
        raise ValueError(f"{name} must be a real value, not {value!r} (24SevenOffice reads that as 'not set')")
    return value
