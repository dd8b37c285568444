"""Reply values cut to what the service description defines.

A simulated system builds its records with every element the real service fills; the description the
sandbox serves decides which of them exist (the project's descriptions may name fewer elements than
the real service has: then the others are left out rather than refused by zeep). Each complex type
gets one fitting function, made once; a reply costs a dictionary look-up per value it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Fit = Callable[[Any], Any]


class ReplyFitter:
    """Fits values to the elements of a zeep client's types (by qualified name)."""

    def __init__(self, client: Any):
        self._client = client
        self._by_type: dict[Any, Fit] = {}

    def element(self, qname: str) -> Fit:
        """The fitting function of a global element's type, e.g. "{ns}GetOrdersByQueryResponse"."""
        return self._for(self._client.get_element(qname).type)

    def _for(self, xsd_type: Any) -> Fit:
        key = id(xsd_type)
        if key not in self._by_type:
            elements = getattr(xsd_type, "elements", None)
            if not elements:
                self._by_type[key] = _same
            else:
                children: dict[str, tuple[bool, Fit]] = {}
                self._by_type[key] = _record(children)  # before the children: a type may contain itself
                children.update((name, (element.accepts_multiple, self._for(element.type)))
                                for name, element in elements)
        return self._by_type[key]


def _same(value: Any) -> Any:
    return value


def _record(children: dict[str, tuple[bool, Fit]]) -> Fit:
    def fit(value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value  # None, or a value zeep renders (and checks) itself
        result = {}
        for name, item in value.items():
            known = children.get(name)
            if known is None:
                continue
            multiple, child = known
            if multiple and isinstance(item, (list, tuple)):
                result[name] = [child(entry) for entry in item]
            elif child is _same:
                result[name] = item
            else:
                result[name] = child(item)
        return result
    return fit
