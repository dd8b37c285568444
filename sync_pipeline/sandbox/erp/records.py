"""Records as the sandbox keeps them (JSON documents), and their conversion from input and to replies.

A stored record uses the WSDL's field names; decimals are fixed-point strings, times ISO strings in
UTC, repeated elements plain lists. Keys starting with "_" are the sandbox's own bookkeeping and never
leave it.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, Sequence

from sync_pipeline.sandbox.erp.clock import rounded_to_second
from sync_pipeline.sandbox.erp.errors import InvalidRecord, service_fault
from sync_pipeline.sandbox.erp.shapes import (
    BOOLEAN,
    DATETIME,
    DECIMAL,
    DOUBLE,
    ENUM,
    INT,
    LIST,
    NOT_SET_DECIMAL,
    NOT_SET_INT,
    RECORD,
    STRING,
    Field,
    Shape,
)
from sync_pipeline.sandbox.values import as_utc, is_set
from sync_pipeline.sandbox.views import Frozen

__all__ = ["NOT_SET_DECIMAL", "NOT_SET_INT"]  # used by the services with the helpers below
Document = dict[str, Any]


# -- input -------------------------------------------------------------------------------------

def from_json(shape: Shape, data: Any, path: str = "", *, keep_nulls: bool = False) -> Document:
    """Check one record given as JSON and return it in stored form; raises InvalidRecord.

    With `keep_nulls` a top-level null stays in the result (an upsert uses it to clear that field).
    """
    if not isinstance(data, dict):
        raise InvalidRecord(path, f"expected a {shape.name} object, got {_json_type(data)}")
    result: Document = {}
    for name, value in data.items():
        where = f"{path}.{name}" if path else name
        spec = shape.fields.get(name)
        if spec is None:
            raise InvalidRecord(where, f"unknown field; a {shape.name} has {', '.join(shape.fields)}")
        if value is None:
            if keep_nulls:
                result[name] = None
            continue
        result[name] = _from_json_value(spec, value, where)
    return result


def _from_json_value(spec: Field, value: Any, where: str) -> Any:
    if spec.kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidRecord(where, f"expected an integer, got {_json_type(value)}")
        if not -2**(spec.bits - 1) <= value < 2**(spec.bits - 1):
            raise InvalidRecord(where, f"{value} does not fit a {spec.bits}-bit int")
        if value == spec.not_set:
            raise InvalidRecord(where, f"{value} is the service's 'not set' value, not data")
        return value
    if spec.kind == DECIMAL:
        return _decimal_text(value, where)
    if spec.kind == DOUBLE:
        return _double_text(value, spec, where)
    if spec.kind == DATETIME:
        if not isinstance(value, str):
            raise InvalidRecord(where, f"expected an ISO 8601 date-time string, got {_json_type(value)}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidRecord(where, f"{value!r} is not an ISO 8601 date-time") from None
        if not is_set(moment):
            raise InvalidRecord(where, f"{value!r} is the service's 'not set' value, not data")
        return as_utc(moment).isoformat()
    if spec.kind == BOOLEAN:
        if not isinstance(value, bool):
            raise InvalidRecord(where, f"expected true or false, got {_json_type(value)}")
        return value
    if spec.kind == STRING:
        if not isinstance(value, str):
            raise InvalidRecord(where, f"expected a string, got {_json_type(value)}")
        if value == spec.not_set:
            raise InvalidRecord(where, f"{value!r} is the service's 'not set' value, not data")
        return value
    if spec.kind == ENUM:
        if value not in spec.choices:
            raise InvalidRecord(where, f"{value!r} is not one of {', '.join(spec.choices)}")
        return value
    if spec.kind == RECORD:
        return from_json(spec.shape, value, where)
    if spec.kind == LIST:
        if not isinstance(value, list):
            raise InvalidRecord(where, f"expected a list of {spec.shape.name} objects, got {_json_type(value)}")
        return [from_json(spec.shape, item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise AssertionError(spec.kind)


def _decimal_text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidRecord(where, f"expected a decimal number, got {_json_type(value)}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidRecord(where, f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise InvalidRecord(where, f"{value!r} is not a finite number")
    if number == NOT_SET_DECIMAL:
        raise InvalidRecord(where, f"{value} is the service's 'not set' value, not data")
    return format(number, "f")  # fixed-point: "1E+2" would be unreadable to some clients


def _double_text(value: Any, spec: Field, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidRecord(where, f"expected a number, got {_json_type(value)}")
    try:
        number = float(str(value).strip())
    except ValueError:
        raise InvalidRecord(where, f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise InvalidRecord(where, f"{value!r} is not a finite number")
    if number == spec.not_set:
        raise InvalidRecord(where, f"{value} is the service's 'not set' value, not data")
    return repr(number)


def known(shape: Shape, data: Mapping[str, Any]) -> Document:
    """`data` (JSON) without the fields `shape` does not define, at every level: for demo data, written for the
    real records, when the sandbox serves a description with fewer elements."""
    result: Document = {}
    for name, value in data.items():
        spec = shape.fields.get(name)
        if spec is None:
            continue
        if spec.kind == RECORD and isinstance(value, Mapping):
            value = known(spec.shape, value)
        elif spec.kind == LIST and isinstance(value, list):
            value = [known(spec.shape, item) for item in value]
        result[name] = value
    return result


def from_soap(shape: Shape, values: Mapping[str, Any] | None, path: str = "") -> Document:
    """A record as zeep parsed it from a request, in stored form; absent and 'not set' values are left out."""
    return from_json(shape, _soap_to_json(shape, values or {}), path)


def _soap_to_json(shape: Shape, values: Mapping[str, Any]) -> Document:
    result: Document = {}
    for name, value in values.items():
        spec = shape.fields.get(name)
        if spec is None or _not_set(spec, value):
            continue
        if spec.kind == RECORD:
            value = _soap_to_json(spec.shape, value)
        elif spec.kind == LIST:
            value = [_soap_to_json(spec.shape, item or {}) for item in (value.get(spec.item_name) or [])]
        elif isinstance(value, Decimal):
            value = format(value, "f")
        elif isinstance(value, datetime):
            value = value.isoformat()
        result[name] = value
    return result


def _not_set(spec: Field, value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, datetime):
        return not is_set(value)
    return spec.not_set is not None and not isinstance(value, bool) and value == spec.not_set


# -- output ------------------------------------------------------------------------------------

def requested(shape: Shape, properties: Mapping[str, Any] | None, parameter: str) -> list[str]:
    """The field names in a request's ArrayOfString of return properties; faults when none or unknown."""
    names = [name for name in ((properties or {}).get("string") or []) if name]
    if not names:
        raise service_fault(f"{parameter} must be specified: the service returns only the properties asked for")
    unknown = [name for name in names if name not in shape.fields]
    if unknown:
        raise service_fault(f"Unknown property {', '.join(map(repr, unknown))} in {parameter}; "
                            f"a {shape.name} has {', '.join(shape.fields)}")
    return names


def to_reply(shape: Shape, document: Mapping[str, Any], only: Iterable[str] | None = None,
             nested: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
    """A stored record as values zeep renders: only the fields in `only` (all when None).

    `nested` narrows a list or record field to some of its own fields (e.g. InvoiceRows to the row
    return properties). Fields the schema requires are always present, as nil when unknown.
    """
    wanted = set(shape.fields) if only is None else set(only)
    nested = nested or {}
    result: dict[str, Any] = {}
    for name, spec in shape.fields.items():
        if name not in wanted and not spec.required:
            continue
        value = document.get(name)
        if value is None:
            if spec.required:
                result[name] = None
            continue
        result[name] = _reply_value(spec, value, nested.get(name))
    return result


def _reply_value(spec: Field, value: Any, only: Iterable[str] | None) -> Any:
    if spec.kind == INT:
        return int(value)
    if spec.kind == DECIMAL:
        return Decimal(value)
    if spec.kind == DOUBLE:
        return float(value)
    if spec.kind == DATETIME:
        return as_utc(datetime.fromisoformat(value))
    if spec.kind == RECORD:
        return to_reply(spec.shape, value, only)
    if spec.kind == LIST:
        return {spec.item_name: [to_reply(spec.shape, item, only) for item in value]}
    return value


def changed_at(document: Mapping[str, Any], field: str = "DateChanged") -> datetime:
    return datetime.fromisoformat(document[field])


def changed_since(documents: Sequence[Frozen], moment: datetime | None) -> Sequence[Frozen]:
    """The documents changed at or after `moment` as the service rounds it; all of them when it is not set."""
    if not is_set(moment):
        return documents
    since = rounded_to_second(moment)
    return [document for document in documents if changed_at(document) >= since]


def public(document: Mapping[str, Any]) -> Document:
    """A stored record without the sandbox's own bookkeeping, as the admin API shows it."""
    return {name: value for name, value in document.items() if not name.startswith("_")}


def call_key(ids: Iterable[Any], limit: int = 10) -> str | None:
    """The record key for the call log: the ids handled, shortened when there are many."""
    ids = [str(i) for i in ids]
    if not ids:
        return None
    if len(ids) <= limit:
        return ",".join(ids)
    return ",".join(ids[:limit]) + f",… ({len(ids)} in all)"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f"string {value!r}"
    return "an array" if isinstance(value, list) else "an object"
