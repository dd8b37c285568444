"""Read-only views of stored documents, shared between requests without copying.

A view's documents are frozen (objects as read-only mappings, arrays as tuples), so no reader can
change what the next reader sees; a writer reads its own copy with Store.get.
"""

from __future__ import annotations

from operator import itemgetter
from types import MappingProxyType
from typing import Any, Iterator, Mapping

Frozen = Mapping[str, Any]  # a document no one can change


def frozen(value: Any) -> Any:
    """A decoded JSON value that cannot be changed."""
    if isinstance(value, dict):
        return MappingProxyType({key: frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(frozen(item) for item in value)
    return value


class View(Mapping[str, Frozen]):
    """One kind's documents at one moment, by key (any key is looked up as its string, as Store.get does),
    in the order they were last written (as Store.all returns them)."""

    def __init__(self, documents: dict[str, Frozen]):
        self._documents = documents  # the view's own: nothing else holds or changes this dict
        self._sorted: dict[str, tuple[Frozen, ...]] = {}
        self._indexes: dict[str, Mapping[Any, Frozen]] = {}

    def __getitem__(self, key: Any) -> Frozen:
        return self._documents[str(key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    def __len__(self) -> int:
        return len(self._documents)

    # Worked out once per view: a view never changes. Two threads may both work one out; either result is kept.

    def sorted_by(self, field: str) -> tuple[Frozen, ...]:
        """Every document (each has `field`) by ascending `field`; equal ones in the order they were written."""
        if field not in self._sorted:
            self._sorted[field] = tuple(sorted(self._documents.values(), key=itemgetter(field)))
        return self._sorted[field]

    def index_by(self, field: str) -> Mapping[Any, Frozen]:
        """The documents by their value of `field` (each has it; of equal values the last written wins)."""
        if field not in self._indexes:
            self._indexes[field] = MappingProxyType({document[field]: document
                                                     for document in self._documents.values()})
        return self._indexes[field]
