"""Id-cursor paging shared by GetOrdersByQuery and GetInventoryByQuery.

The cursor is inclusive: `OrderIdFrom=N` / `ArticleSystemIdFrom=N` return ids >= N, ascending. To page,
ask for the highest id seen plus one, until a page comes back empty. (A client that passes the highest
id seen itself gets that one record again, never a gap.)
"""

from __future__ import annotations

from typing import Callable, Iterable, TypeVar

T = TypeVar("T")

MAX_PAGE = 1000  # also the default when no (or a non-positive) maximum is asked for


def page_size(requested: int | None) -> int:
    if requested is None or requested <= 0:
        return MAX_PAGE
    return min(requested, MAX_PAGE)


def page(records: Iterable[T], id_of: Callable[[T], int], id_from: int | None, requested: int | None) -> list[T]:
    """Records with id >= id_from, by ascending id, at most page_size(requested) of them."""
    start = id_from or 0
    selected = sorted((r for r in records if id_of(r) >= start), key=id_of)
    return selected[: page_size(requested)]
