"""Comparing what a client read with what a generated reply holds (corpus.py's expected values).

Each check returns the differences as readable lines ("<path>: read X, the reply holds Y"), so one
assertion shows every element read wrongly. The rules the clients promise, written out here rather
than taken from their code:

- zeep's plain values (serialize_object) hold every element's value as the XML has it; an element
  the reply leaves out is None (an array's items: []), and so is an element without children; a
  nil complex element may also read as one whose every element is None (zeep's way);
- a 24SevenOffice record has every element of the reply: as its typed field, or else as a pydantic
  extra; "not set" sentinels read as None (an extra then is not kept, nor is a None), date-times as
  aware UTC (the service's naive times are UTC), parts of a nested extra alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from sync_pipeline.erp.models import NEVER_KEPT
from sync_pipeline.soap.errors import RetryableError, TerminalError
from sync_pipeline_tests.contracts.corpus_values import (
    DATETIME_NOT_SET,
    DECIMAL_NOT_SET,
    GUID_NOT_SET,
    INT_NOT_SET,
)

Problems = list[str]


def _same_simple(read: Any, held: Any) -> bool:
    """Equal and of the same kind (True is not 1, 7 is not Decimal 7)."""
    if isinstance(held, bool) or isinstance(read, bool):
        return type(read) is type(held) and read == held
    if isinstance(held, Decimal):
        return isinstance(read, Decimal) and read == held
    if isinstance(held, datetime):
        return isinstance(read, datetime) and (read.tzinfo is None) == (held.tzinfo is None) and read == held
    return type(read) is type(held) and read == held


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def zeep_value_problems(read: Any, held: Any, path: str = "") -> Problems:
    """Differences between zeep's plain values and what the reply holds."""
    if isinstance(held, Mapping):
        if not held:
            return [] if _empty(read) else [f"{path}: read {read!r}, the reply holds an empty element"]
        if not isinstance(read, Mapping):
            return [f"{path}: read {read!r}, the reply holds {held!r}"]
        problems = [problem for name, value in held.items()
                    for problem in zeep_value_problems(read.get(name), value, f"{path}/{name}")]
        problems += [f"{path}/{name}: read {value!r}, the reply has no such element"
                     for name, value in read.items() if name not in held and not _empty(value)]
        return problems
    if isinstance(held, list):
        if not isinstance(read, list) or len(read) != len(held):
            return [f"{path}: read {read!r}, the reply holds {len(held)} items"]
        return [problem for index, (got, value) in enumerate(zip(read, held))
                for problem in zeep_value_problems(got, value, f"{path}[{index}]")]
    if held is None:  # zeep reads a nil complex element as one whose every element is None
        nothing = read is None or (isinstance(read, Mapping) and all(_empty(value) for value in read.values()))
        return [] if nothing else [f"{path}: read {read!r}, the reply holds nil"]
    return [] if _same_simple(read, held) else [f"{path}: read {read!r}, the reply holds {held!r}"]


# -- 24SevenOffice records ----------------------------------------------------------------------------

def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def is_not_set(value: Any) -> bool:
    """24SevenOffice's "not set" values, as corpus_values writes them."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == int(INT_NOT_SET)
    if isinstance(value, Decimal):
        return value == Decimal(DECIMAL_NOT_SET)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) == datetime.fromisoformat(DATETIME_NOT_SET)
    return value == GUID_NOT_SET


def erp_simple(value: Any) -> Any:
    """A simple value as an ERP record field holds it: sentinels None, date-times aware UTC."""
    if is_not_set(value):
        return None
    return utc(value) if isinstance(value, datetime) else value


def kept_extra(value: Any) -> Any:
    """What a record keeps of an element it does not model; None: nothing."""
    if isinstance(value, Mapping):
        kept = {name: part for name, part in ((name, kept_extra(part)) for name, part in value.items())
                if part is not None}
        return kept or None
    if isinstance(value, list):
        return [part for part in map(kept_extra, value) if part is not None] or None
    return None if value is None else erp_simple(value)


def holds_nothing(record: BaseModel) -> bool:
    return all(_empty(value) for value in record.__dict__.values()) and not record.__pydantic_extra__


def erp_record_problems(record: BaseModel | None, held: Any, path: str) -> Problems:
    """Differences between an ERP record (a model) and the element the reply holds for it."""
    if held is None or held == {}:  # nil, or without children: a record that holds nothing
        if record is None or holds_nothing(record):
            return []
        return [f"{path}: read {record!r}, the reply holds nothing"]
    if record is None:
        return [f"{path}: read nothing, the reply holds {held!r}"]
    problems: Problems = []
    fields = type(record).model_fields
    for name in fields:
        problems += _field_problems(getattr(record, name), held.get(name), f"{path}/{name}")
    extras = record.__pydantic_extra__ or {}
    keeps_extras = type(record).model_config.get("extra") == "allow"  # ApiException drops StackTrace
    expected_extras = {name: kept for name, value in held.items() if name not in fields and keeps_extras
                       and name not in NEVER_KEPT and (kept := kept_extra(value)) is not None}
    for name in sorted(set(extras) | set(expected_extras)):
        problems += zeep_value_problems(extras.get(name), expected_extras.get(name), f"{path}/{name} (extra)")
    return problems


def _field_problems(read: Any, held: Any, path: str) -> Problems:
    if isinstance(read, BaseModel) or (isinstance(held, Mapping) and not isinstance(read, list)):
        return erp_record_problems(read, held, path)
    if isinstance(read, list):  # an array of records, e.g. InvoiceRows: {"InvoiceRow": [...]}
        items = [] if not held else next(iter(held.values()))
        if len(read) != len(items):
            return [f"{path}: read {len(read)} items, the reply holds {len(items)}"]
        return [problem for index, (record, item) in enumerate(zip(read, items))
                for problem in erp_record_problems(record, item, f"{path}[{index}]")]
    expected = None if held is None else erp_simple(held)
    if isinstance(read, Enum):
        read = read.value
    if expected is None:
        return [] if read is None else [f"{path}: read {read!r}, the reply holds none"]
    if isinstance(expected, datetime):
        if not (isinstance(read, datetime) and read.utcoffset() is not None and read.utcoffset().total_seconds() == 0
                and read == expected):
            return [f"{path}: read {read!r}, the reply holds {held!r} (UTC {expected!r})"]
        return []
    return [] if _same_simple(read, expected) else [f"{path}: read {read!r}, the reply holds {held!r}"]


def zeep_result_problems(read: Any, held: Any) -> Problems:
    """zeep_value_problems for an operation's result: zeep hands back a result whose only element is an
    array (GetProductsResult, GetOrdersResult > Orders) as what that element holds, or its items."""
    while isinstance(held, Mapping) and len(held) == 1 and not (isinstance(read, Mapping) and set(held) <= set(read)):
        (held,) = held.values()
    return zeep_value_problems(read, held)


# -- what is not a reply --------------------------------------------------------------------------------

def non_reply_problems(label: str, operation: str, error: BaseException | object) -> Problems:
    """Differences between how a call ended and how it must end for what is not a reply of `operation`
    (corpus.non_replies): an HTML page or a SOAP fault is a TerminalError, an HTML error page (HTTP
    503) or a cut-off reply a RetryableError, another operation's reply a TerminalError saying so."""
    if label == "HTML error page" or label == "cut-off reply":
        expected, says = RetryableError, ""
    elif label.startswith("reply of "):
        expected, says = TerminalError, f"not a reply of {operation}"
    elif label == "SOAP fault":
        expected, says = TerminalError, "Object reference not set to an instance of an object"
    else:
        expected, says = TerminalError, ""
    if not isinstance(error, expected) or says not in str(error):
        return [f"{operation} {label}: ended in {type(error).__name__}: {error}; expected a {expected.__name__}"
                + (f" saying {says!r}" if says else "")]
    return []
