"""Applying one FieldMap to one ERP record."""

from __future__ import annotations

from typing import Any

from .fallbacks import FALLBACKS, MappingContext
from .fieldmaps import FieldMap, FieldRow
from .paths import get_path
from .schema import wms_schema
from .values import Refused, convert, not_set_for


class FieldProblem(Exception):
    """A value of one ERP field that stops the whole record; `field` is the ERP field path."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def erp_label(fieldmap: FieldMap, row: FieldRow) -> str:
    return " ⇒ ".join([fieldmap.erp_record, *row.source.split(".")])


def wms_label(fieldmap: FieldMap, row: FieldRow) -> str:
    return " ⇒ ".join([*fieldmap.wms_object.split(" ⇒ "), *row.target.split(".")])


def row_value(fieldmap: FieldMap, row: FieldRow, record: Any, context: MappingContext) -> Any:
    """The value to send for one row, or None to leave the element out."""
    raw = get_path(record, row.source)
    if row.source_type and not_set_for(row.source_type, raw):
        raw = None
    try:
        value = convert(row.converter, raw)
        if value is None and row.fallback:
            value = convert(row.converter, FALLBACKS[row.fallback].value(context))
    except Refused as problem:
        raise FieldProblem(row.source, f"{erp_label(fieldmap, row)} {problem}") from None
    if value is None and row.required:
        raise FieldProblem(
            row.source, f"{erp_label(fieldmap, row)} is missing; Ongoing WMS needs it for {wms_label(fieldmap, row)}"
        )
    return value


def apply_map(fieldmap: FieldMap, record: Any, context: MappingContext) -> dict[str, Any]:
    """The WMS object (nested dict with WSDL element names) for `record`; empty values left out.

    Raises FieldProblem for the first field that cannot be sent.
    """
    result: dict[str, Any] = {}
    for row in fieldmap.rows:
        value = row_value(fieldmap, row, record, context)
        if value is not None:
            _set_path(result, row.target, value)
    for structure in fieldmap.structures:
        structure.complete(wms_schema(), result)
    result.update(fieldmap.constants)
    return result


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for name in parents:
        target = target.setdefault(name, {})
    target[leaf] = value
