"""Completing the Ongoing structures that extra fields write into (ArticleGroup, ArticleColor, …).

Many nested Ongoing structures are lookups of a warehouse register, with required elements that
say how to find the entry: ArticleGroup needs ArticleGroupOperation and ArticleGroupIdentification
beside the code or name, ArticleColor its ArticleColorOperation. A configured value inside such a
structure is only sendable with those, so the sync fills them, by these rules read from the
service description (nothing here names a type):

- an operation (a required enumeration named "…Operation") is the first of OPERATIONS it offers:
  the warehouse's own entry is linked unchanged, a missing one is created, none is ever renamed;
- an identification (a required enumeration named "…Identification…") is its first value that is
  the name of an element the record sets (ArticleGroupCode before ArticleGroupName), so it depends
  on the record: a product with only a group name is found by name;
- any other required element that is nillable is sent as nil ("not set").
A structure with another required element (IsLocked, a country enumeration, a required attribute)
cannot be completed: targets inside it are refused at start, naming that element.
"""

from __future__ import annotations

from collections.abc import Collection, MutableMapping
from dataclasses import dataclass
from typing import Any

from .schema import ServiceSchema

OPERATIONS = ("FindOrCreate", "CreateOrFind", "Find")


class Incomplete(ValueError):
    """The structure cannot be completed; the message names the element and why."""


def _is_operation(name: str) -> bool:
    return name.endswith("Operation")


def _is_identification(name: str) -> bool:
    return "Identification" in name


def completion(schema: ServiceSchema, type_name: str, present: Collection[str],
               skip: Collection[str] = ()) -> dict[str, Any]:
    """The values of the required elements of `type_name` that neither `present` (set by the record)
    nor `skip` (filled by the WMS client) covers; Incomplete when one cannot be chosen."""
    attributes = schema.required_attributes(type_name)
    if attributes:
        raise Incomplete(f"{type_name} needs the attribute {attributes[0]}, which the sync cannot choose")
    values: dict[str, Any] = {}
    for name, field in schema.fields(type_name).items():
        if name in present or name in skip or not field.required:
            continue
        if field.enumeration and _is_operation(name):
            choice = next((op for op in OPERATIONS if op in field.enumeration), None)
            if choice is None:
                raise Incomplete(f"{type_name}.{name} offers only {', '.join(field.enumeration)}")
            values[name] = choice
        elif field.enumeration and _is_identification(name):
            choice = next((value for value in field.enumeration if value in present), None)
            if choice is None:
                raise Incomplete(f"{type_name}.{name} identifies by {', '.join(field.enumeration)}, "
                                 f"and the record sets none of them")
            values[name] = choice
        elif field.nillable:
            values[name] = None
        else:
            raise Incomplete(f"{type_name}.{name} is required with it and the sync cannot choose its value")
    return values


@dataclass(frozen=True)
class NestedStructure:
    """A structure configured rows write into, completed in every record that sets something in it."""

    path: str  # relative to the map's WMS object, e.g. "ArticleGroup"
    type_name: str
    skip: frozenset[str] = frozenset()  # its elements the WMS client fills

    def complete(self, schema: ServiceSchema, mapped: MutableMapping[str, Any]) -> None:
        node = _node(mapped, self.path)
        if node:
            present = {name for name, value in node.items() if value is not None}
            for name, value in completion(schema, self.type_name, present, self.skip).items():
                node.setdefault(name, value)


def _node(mapped: MutableMapping[str, Any], path: str) -> MutableMapping[str, Any] | None:
    current: Any = mapped
    for name in path.split("."):
        if not isinstance(current, MutableMapping):
            return None
        current = current.get(name)
    return current if isinstance(current, MutableMapping) else None
