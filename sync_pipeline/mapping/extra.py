"""Extra field rows from configuration (SYNC_EXTRA_FIELDS), checked against both services' fields.

An extra row extends one of the seed's tables, e.g. prices for customs papers:
    {"map": "order_line", "target": "LinePrice", "source": "Price"}
    {"map": "article", "target": "PurchasePrice", "source": "InPrice"}
The target must be a plain value element of the map's WMS type in the project's service description
(not an operation/identification field the client fills, not one the seed's table already sets); the
source must be a plain value field of the map's ERP record that the ERP client reads. The conversion
follows the target's XSD type.
"""

from __future__ import annotations

import functools
import importlib
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from .fieldmaps import MAPS, FieldMap, FieldRow
from .schema import SchemaField, SchemaPathError, erp_schema, wms_schema
from .values import CONVERTER_FOR_XSD_TYPE

# Which ERP value kinds a WMS element kind takes.
_ACCEPTS = {
    "string": {"string", "int", "long", "decimal", "enum"},
    "decimal": {"decimal", "int", "long"},
    "int": {"int", "long"},
    "long": {"int", "long"},
    "boolean": {"boolean"},
    "dateTime": {"dateTime"},
}


class ExtraField(BaseModel):
    """One configured row: WMS `target` in table `map` gets the value of ERP field `source`."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    map: str
    target: str
    source: str

    @model_validator(mode="after")
    def _exists_on_both_sides(self) -> ExtraField:
        problem = extra_field_problem(self.map, self.target, self.source)
        if problem:
            raise ValueError(f"extra field {self.describe()}: {problem}")
        return self

    def describe(self) -> str:
        return f'{{"map": "{self.map}", "target": "{self.target}", "source": "{self.source}"}}'

    def row(self) -> FieldRow:
        target_type = wms_schema().resolve(MAPS[self.map].wms_type, self.target).type_name
        return FieldRow(self.target, self.source, converter=CONVERTER_FOR_XSD_TYPE[target_type], configured=True)


def extra_field_problem(map_name: str, target: str, source: str) -> str | None:
    """Why this row cannot work, or None when it can."""
    fieldmap = MAPS.get(map_name)
    if fieldmap is None:
        return f"unknown map {map_name!r}; use one of: {', '.join(MAPS)}"
    try:
        target_field = wms_schema().resolve(fieldmap.wms_type, target)
    except SchemaPathError as missing:
        return f"target {target!r} is not in the WMS service description: {missing}"
    existing = fieldmap.row_for(target)
    if existing is not None:
        return f"target {target!r} is already mapped from {fieldmap.erp_record}.{existing.source}"
    if not extra_field_target_free(fieldmap, target, target_field):
        return (
            f"target {target!r} ({fieldmap.wms_type}) is filled by the sync itself or is not a single value; "
            f"configurable targets: {', '.join(configurable_targets(fieldmap))}"
        )
    try:
        source_field = erp_schema().resolve(fieldmap.erp_record, source)
    except SchemaPathError as missing:
        return f"source {source!r} is not in the 24SevenOffice service description: {missing}"
    source_kind = _kind(source_field)
    if source_kind is None:
        return f"source {source!r} is a structure, not a single value; name one of its fields"
    if source_kind not in _ACCEPTS[target_field.type_name]:
        return (
            f"source {source!r} is a {source_kind} but target {target!r} needs a {target_field.type_name}"
        )
    if not _erp_client_reads(fieldmap, source):
        return f"source {source!r} is not read by the ERP client (not a field of its {fieldmap.erp_record} model)"
    return None


def extend_map(fieldmap: FieldMap, extra: Iterable[ExtraField]) -> FieldMap:
    """`fieldmap` with the configured rows that name it appended."""
    return fieldmap.extended(_rows_for(fieldmap.name, tuple(extra)))


@functools.lru_cache(maxsize=64)
def _rows_for(map_name: str, extra: tuple[ExtraField, ...]) -> tuple[FieldRow, ...]:
    # Mappers run once per record with the same configuration: build the rows once.
    return tuple(field.row() for field in extra if field.map == map_name)


def _kind(field: SchemaField) -> str | None:
    if field.enumeration:
        return "enum"
    if field.is_simple_value:
        return field.type_name
    return None


def _erp_client_reads(fieldmap: FieldMap, source: str) -> bool:
    """True when the ERP model for the record carries `source` (or the models are not there yet)."""
    try:
        models = importlib.import_module("sync_pipeline.erp.models")
    except ModuleNotFoundError:
        return True
    model = getattr(models, fieldmap.erp_record, None)
    if model is None:
        return True
    for step in source.split("."):
        fields = getattr(model, "model_fields", None)
        if fields is None or step not in fields:
            return False
        model = _model_inside(fields[step].annotation)
    return True


def _model_inside(annotation: Any) -> Any:
    """The pydantic model class inside Optional[...] / list[...] / Annotated[...], else the annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_inside(argument)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def configurable_targets(fieldmap: FieldMap) -> list[str]:
    """WMS elements of the map's type an extra row may fill (plain values nobody else sets)."""
    found: list[str] = []

    def walk(type_name: str, prefix: str) -> None:
        for name, field in wms_schema().fields(type_name).items():
            path = prefix + name
            if field.is_complex and path not in fieldmap.client_fields:
                walk(field.type_name, path + ".")
            elif extra_field_target_free(fieldmap, path, field):
                found.append(path)

    walk(fieldmap.wms_type, "")
    return found


def extra_field_target_free(fieldmap: FieldMap, name: str, field: SchemaField) -> bool:
    return (
        field.is_simple_value
        and not field.enumeration
        and field.type_name in CONVERTER_FOR_XSD_TYPE
        and name not in fieldmap.client_fields
        and fieldmap.row_for(name) is None
    )


def readable_sources(fieldmap: FieldMap) -> list[str]:
    """Plain-value fields directly on the map's ERP record that the ERP client reads."""
    return [
        name
        for name, field in erp_schema().fields(fieldmap.erp_record).items()
        if _kind(field) is not None and _erp_client_reads(fieldmap, name)
    ]
