"""Extra field rows from configuration (SYNC_EXTRA_FIELDS), checked against both services' descriptions.

An extra row extends one of the seed's tables, e.g. customs data:
    {"map": "article", "target": "StatisticsNumber", "source": "ProductCode"}
    {"map": "order_line", "target": "LinePrice", "source": "Price"}
The target is any single-value element of the map's Ongoing record (dotted inside its nested
structures: "ArticleGroup.ArticleGroupCode"; structures.py fills what such a structure requires)
that the sync does not fill itself; the source is any single-value element of the map's
24SevenOffice record in the service descriptions (the ERP client asks for it: erp_return_properties).
The conversion follows the target's XSD type; the source's type must suit it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, model_validator

from .fieldmaps import MAPS, FieldMap, FieldRow
from .schema import SchemaField, SchemaPathError, erp_schema, wms_schema
from .structures import Incomplete, NestedStructure, completion
from .values import CONVERTER_FOR_XSD_TYPE

# Which source value kinds each target type takes. Text takes numbers (written in plain decimal
# notation) and enumerations; whole-number targets take only sources that always fit them.
_NUMBERS = {"decimal", "double", "int", "short", "long"}
_ACCEPTS = {
    "string": {"string", "guid", "enum"} | _NUMBERS,
    "decimal": _NUMBERS,
    "double": _NUMBERS,
    "long": {"int", "short", "long"},
    "int": {"int", "short"},
    "short": {"short"},
    "boolean": {"boolean"},
    "dateTime": {"dateTime"},
}
# Not data: the service's report of a refused record.
_NOT_SOURCES = {"APIException"}
# Secrets of the ERP record (a company's web login): never sent to the warehouse.
_SECRET_SOURCES = {"Password"}
# How the listing of configurable targets writes deeper paths.
_DEEPER = "elements deeper inside are written as dotted paths too (Structure.Inner.Element)"


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
        fieldmap = MAPS[self.map]
        target_type = wms_schema().resolve(fieldmap.wms_type, self.target).type_name
        source_type = erp_schema().resolve(fieldmap.erp_record, self.source).value_kind
        return FieldRow(self.target, self.source, converter=_converter(self.target, target_type), configured=True,
                        source_type=source_type)

    def structures(self) -> tuple[NestedStructure, ...]:
        """The nested structures along the target's path, outermost first."""
        fieldmap = MAPS[self.map]
        steps = wms_schema().steps(fieldmap.wms_type, self.target)
        names = self.target.split(".")
        return tuple(
            NestedStructure(".".join(names[: depth + 1]), step.type_name,
                            _client_filled_inside(fieldmap, ".".join(names[: depth + 1])))
            for depth, step in enumerate(steps[:-1])
        )


def _converter(target: str, target_type: str) -> str:
    """The target type's conversion; country codes (CountryCode, CountryOfOriginCode) upper-cased as
    the seed's rows do."""
    leaf = target.rsplit(".", 1)[-1]
    if target_type == "string" and leaf.startswith("Country") and leaf.endswith("Code"):
        return "country"
    return CONVERTER_FOR_XSD_TYPE[target_type]


def extra_field_problem(map_name: str, target: str, source: str) -> str | None:
    """Why this row cannot work, or None when it can."""
    fieldmap = MAPS.get(map_name)
    if fieldmap is None:
        return f"unknown map {map_name!r}; use one of: {', '.join(MAPS)}"
    target_problem, hint = _target_problem(fieldmap, target)
    if target_problem:
        return f"{target_problem}; {_targets_hint(fieldmap)}" if hint else target_problem
    target_type = wms_schema().resolve(fieldmap.wms_type, target).type_name
    source_problem, source_kind = _source_problem(fieldmap, source)
    if source_problem:
        return source_problem
    if source_kind not in _ACCEPTS[target_type]:
        return f"source {source!r} is a {source_kind} but target {target!r} needs a {target_type}"
    return None


def _target_problem(fieldmap: FieldMap, target: str) -> tuple[str | None, bool]:
    """Why `target` cannot be filled (None: it can), and whether the list of targets helps."""
    schema = wms_schema()
    try:
        steps = schema.steps(fieldmap.wms_type, target)
    except SchemaPathError as missing:
        return f"target {target!r} is not in the WMS service description: {missing}", False
    existing = fieldmap.row_for(target)
    if existing is not None:
        return f"target {target!r} is already mapped from {fieldmap.erp_record}.{existing.source}", False
    names = target.split(".")
    for depth in range(len(steps)):
        path = ".".join(names[: depth + 1])
        if path in fieldmap.client_fields:
            return f"target {target!r} is filled by the sync itself ({fieldmap.wms_type}.{path})", True
        if steps[depth].repeated:
            return f"target {target!r} is inside {path}, which repeats; the sync sends single values", True
    field = steps[-1]
    if field.is_complex:
        first = next(iter(schema.fields(field.type_name)), "…")
        return f"target {target!r} is a structure, not a single value; name one of its elements (e.g. {target}.{first})", False
    if field.enumeration:
        shown = ", ".join(field.enumeration[:4]) + ("…" if len(field.enumeration) > 4 else "")
        return f"target {target!r} is a choice among fixed values ({shown}) that the sync fills itself where needed", True
    if field.type_name not in CONVERTER_FOR_XSD_TYPE:
        return f"target {target!r} is of type {field.type_name}, which the sync cannot write", True
    for depth, step in enumerate(steps[:-1]):
        path = ".".join(names[: depth + 1])
        try:
            completion(schema, step.type_name, {names[depth + 1]}, _client_filled_inside(fieldmap, path))
        except Incomplete as why:
            return f"target {target!r} cannot be sent alone: {why}", True
    return None, False


def _source_problem(fieldmap: FieldMap, source: str) -> tuple[str | None, str | None]:
    try:
        steps = erp_schema().steps(fieldmap.erp_record, source)
    except SchemaPathError as missing:
        return f"source {source!r} is not in the 24SevenOffice service description: {missing}", None
    if steps[0].name in _NOT_SOURCES:
        return f"source {source!r} is the service's error report on a refused record, not data", None
    if steps[-1].name in _SECRET_SOURCES:
        return f"source {source!r} is a secret and is never sent to the warehouse", None
    names = source.split(".")
    for depth, step in enumerate(steps):
        if step.repeated:
            return (f"source {source!r} is inside {'.'.join(names[: depth + 1])}, which repeats; "
                    "name a single value"), None
    kind = steps[-1].value_kind
    if kind is None:
        return f"source {source!r} is a structure, not a single value; name one of its fields", None
    return None, kind


def _client_filled_inside(fieldmap: FieldMap, path: str) -> frozenset[str]:
    prefix = path + "."
    return frozenset(name[len(prefix):] for name in fieldmap.client_fields if name.startswith(prefix))


def extend_map(fieldmap: FieldMap, extra: Iterable[ExtraField]) -> FieldMap:
    """`fieldmap` with the configured rows that name it appended."""
    rows, structures = _rows_for(fieldmap.name, tuple(extra))
    return fieldmap.extended(rows, structures)


@functools.lru_cache(maxsize=64)
def _rows_for(map_name: str, extra: tuple[ExtraField, ...]) -> tuple[tuple[FieldRow, ...], tuple[NestedStructure, ...]]:
    # Mappers run once per record with the same configuration: build the rows once.
    mine = [field for field in extra if field.map == map_name]
    structures = dict.fromkeys(structure for field in mine for structure in field.structures())
    return tuple(field.row() for field in mine), tuple(structures)


def erp_return_properties(extra: Iterable[ExtraField]) -> dict[str, tuple[str, ...]]:
    """The return properties the ERP client must ask for besides its own, by ERP record name.

    24SevenOffice returns only the properties asked for, a nested one whole by its top-level name
    ("Currency" for "Currency.Symbol"); InvoiceRow properties go in rowReturnProperties.
    """
    wanted: dict[str, dict[str, None]] = {}
    for field in extra:
        record = MAPS[field.map].erp_record
        wanted.setdefault(record, {})[field.source.split(".")[0]] = None
    return {record: tuple(names) for record, names in wanted.items()}


# -- what an operator may configure (for error messages and docs/field-maps.md) -------------------


def configurable_targets(fieldmap: FieldMap) -> list[str]:
    """The map's own single values an extra row may fill, then those in its nested structures
    (one level: ArticleGroup.ArticleGroupCode). Deeper paths are checked the same way when named;
    they are not listed, as the types are recursive."""
    return list(_configurable_targets(fieldmap.name))


@functools.cache
def _configurable_targets(map_name: str) -> tuple[str, ...]:
    fieldmap, schema = MAPS[map_name], wms_schema()
    found: list[str] = []
    nested: list[str] = []
    for name, field in schema.fields(fieldmap.wms_type).items():
        if field.is_complex and not field.repeated and name not in fieldmap.client_fields:
            nested += [f"{name}.{inner}" for inner in schema.fields(field.type_name)]
        else:
            found.append(name)
    return tuple(path for path in found + nested if _target_problem(fieldmap, path)[0] is None)


def configurable_targets_text(fieldmap: FieldMap) -> str:
    """configurable_targets as an operator reads it: values, then structures with their elements."""
    values: list[str] = []
    structures: dict[str, list[str]] = {}
    for path in configurable_targets(fieldmap):
        outer, _, inner = path.partition(".")
        if inner:
            structures.setdefault(outer, []).append(inner)
        else:
            values.append(outer)
    parts = [", ".join(values)] if values else []
    if structures:
        parts.append("in structures: " + "; ".join(
            f"{outer}.{inner[0]}" if len(inner) == 1 else f"{outer}.{{{', '.join(inner)}}}"
            for outer, inner in structures.items()))
    return "; ".join(parts) or "none"


def _targets_hint(fieldmap: FieldMap) -> str:
    return f"configurable targets of {fieldmap.name}: {configurable_targets_text(fieldmap)} ({_DEEPER})"


def readable_sources(fieldmap: FieldMap) -> list[str]:
    """Single-value elements directly on the map's ERP record (nested ones are named by dotted path)."""
    return [name for name, field in erp_schema().fields(fieldmap.erp_record).items()
            if name not in _NOT_SOURCES | _SECRET_SOURCES and field.value_kind is not None]


def source_structures(fieldmap: FieldMap) -> list[str]:
    """The ERP record's nested structures whose values can be named as Structure.Element."""
    return [name for name, field in erp_schema().fields(fieldmap.erp_record).items()
            if name not in _NOT_SOURCES and field.is_complex and not field.repeated
            and not _repeats_inside(field)]


def _repeats_inside(field: SchemaField) -> bool:
    inner = erp_schema().fields(field.type_name)
    return bool(inner) and all(f.repeated for f in inner.values())


def accepted_sources() -> Mapping[str, frozenset[str]]:
    """Target type -> the source kinds it takes (for docs/field-maps.md)."""
    return {target: frozenset(kinds) for target, kinds in _ACCEPTS.items()}
