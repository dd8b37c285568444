"""Value conversions from ERP values to what a WMS element takes, by name.

Each converter takes the raw ERP value and returns the value to send, or None for "leave the
element out" (empty strings and missing values are never sent). A value that cannot be sent raises
`Refused`; the mapper turns that into a RecordError naming the record and the ERP field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from ..erp.sentinels import DATETIME_NOT_SET, DECIMAL_NOT_SET, GUID_NOT_SET, INT_NOT_SET
from ..erp.sentinels import is_not_set as erp_sentinel


class Refused(ValueError):
    """This value cannot be sent; the message completes a sentence that starts with the field name."""


# C0 controls are not allowed in XML 1.0 (except tab, LF, CR); DEL and the non-characters confuse
# label printers and carrier systems downstream. U+FFFD is how the clients read a control character
# the ERP sent as a character reference (soap/transport.py): it goes the same way.
_CONTROLS_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufffe\uffff\ud800-\udfff]")
_CONTROLS_IN_KEY = re.compile("[\x00-\x1f\x7f\ufffd\ufffe\uffff\ud800-\udfff]")


def is_not_set(value: Any) -> bool:
    """True for None and the ERP's "not set" sentinels (in case a caller hands over raw service data)."""
    return value is None or erp_sentinel(value)


# 24SevenOffice writes "not set" as the smallest value of the element's type. The type-blind check
# above knows int, decimal, dateTime and guid; a short's -32768 is a real value in an int element,
# so these are checked by the XSD type of the source element (extra fields know it). long and double
# follow the service's convention for the other types (their smallest value); none is in a mapped record.
NOT_SET_BY_XSD_TYPE: dict[str, int | float | Decimal | datetime | str] = {
    "short": -32768,
    "int": INT_NOT_SET,
    "long": -9223372036854775808,
    "decimal": DECIMAL_NOT_SET,
    "double": -1.7976931348623157e308,
    "dateTime": DATETIME_NOT_SET,
    "guid": GUID_NOT_SET,
}


def not_set_for(xsd_type: str | None, value: Any) -> bool:
    """True when `value` is the "not set" value of an element of `xsd_type` (or None)."""
    if value is None:
        return True
    if isinstance(value, bool) or xsd_type not in NOT_SET_BY_XSD_TYPE:
        return False
    sentinel = NOT_SET_BY_XSD_TYPE[xsd_type]
    if xsd_type == "dateTime":
        return erp_sentinel(value)
    if xsd_type == "guid":
        return str(value).strip().lower() == sentinel
    try:
        return Decimal(str(value).strip()) == Decimal(repr(sentinel) if isinstance(sentinel, float) else str(sentinel))
    except (InvalidOperation, ValueError):
        return False


def text(value: Any) -> str | None:
    """Free text: surrounding whitespace and control characters (except tab and newline) removed.

    Numbers are written in plain decimal notation (a double 1e-07 as 0.0000001), as for decimals.
    """
    if is_not_set(value):
        return None
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        value = _plain_number(value)
    cleaned = _CONTROLS_IN_TEXT.sub("", str(value)).strip()
    return cleaned or None


def _plain_number(value: float | Decimal) -> str:
    number = Decimal(repr(value)) if isinstance(value, float) else value
    return format(number, "f") if number.is_finite() else str(value)


def key(value: Any) -> str | None:
    """An identifier sent as a string (ints become their decimal digits); control characters refused."""
    if is_not_set(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise Refused(f"must be an identifier (whole number or text), got {type(value).__name__}")
    as_text = str(value)
    if not as_text.strip():
        return None
    if _CONTROLS_IN_KEY.search(as_text):
        raise Refused(f"contains control characters (tab, newline or similar): {as_text!r}")
    return as_text


def country(value: Any) -> str | None:
    """A country code, upper-cased; codes other than two letters are passed on for the WMS to judge."""
    cleaned = text(value)
    return cleaned.upper() if cleaned else None


def decimal(value: Any) -> Decimal | None:
    """A number as Decimal (never float: the services mis-read scientific notation).

    A float (an xs:double such as Product.CashPriceIncTax) becomes the shortest decimal that reads
    back as the same double, which is the number the reply's text held (49.9, not 49.899999…).
    """
    if is_not_set(value):
        return None
    if isinstance(value, bool):
        raise Refused(f"is not a number: {value!r}")
    if isinstance(value, str) and not value.strip():
        return None
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(str(value).strip())
    except InvalidOperation:
        raise Refused(f"is not a number: {value!r}") from None
    if not number.is_finite():
        raise Refused(f"is not a finite number: {value!r}")
    return number


def quantity(value: Any) -> Decimal:
    """An ordered quantity: a number above zero, required."""
    number = decimal(value)
    if number is None:
        raise Refused("is missing")
    if number <= 0:
        raise Refused(f"must be above zero, got {number}")
    return number


def integer(value: Any) -> int | None:
    if is_not_set(value):
        return None
    if isinstance(value, bool):
        raise Refused(f"is not a whole number: {value!r}")
    number = decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise Refused(f"is not a whole number: {value!r}")
    return int(number)


def boolean(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _XSD_BOOLEAN:
        return _XSD_BOOLEAN[value.strip().lower()]
    raise Refused(f"is not true or false: {value!r}")


_XSD_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}


def timestamp(value: Any) -> datetime | None:
    """A point in time, timezone-aware; naive values are UTC (as everything in both systems)."""
    if is_not_set(value):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=timezone.utc)
    if isinstance(value, str) and value.strip():
        try:
            return timestamp(datetime.fromisoformat(value.strip()))
        except ValueError:
            pass
    raise Refused(f"is not a date and time: {value!r}")


@dataclass(frozen=True)
class Converter:
    name: str
    description: str
    convert: Callable[[Any], Any]


CONVERTERS: dict[str, Converter] = {
    c.name: c
    for c in (
        Converter("text", "text; control characters except tab/newline removed, blank left out", text),
        Converter("key", "identifier as text (numbers as digits); control characters refused", key),
        Converter("country", "text, upper-cased (not otherwise checked)", country),
        Converter("decimal", "decimal number", decimal),
        Converter("quantity", "decimal number above zero, required", quantity),
        Converter("int", "whole number", integer),
        Converter("bool", "true/false", boolean),
        Converter("datetime", "date and time in UTC", timestamp),
    )
}

# The converter an extra field gets from the XSD type of its WMS target element.
CONVERTER_FOR_XSD_TYPE = {
    "string": "text",
    "decimal": "decimal",
    "double": "decimal",
    "int": "int",
    "short": "int",
    "long": "int",
    "boolean": "bool",
    "dateTime": "datetime",
}


def convert(converter: str, value: Any) -> Any:
    return CONVERTERS[converter].convert(value)
