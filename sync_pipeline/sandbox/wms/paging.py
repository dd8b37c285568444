"""Id-cursor paging shared by GetOrdersByQuery and GetInventoryByQuery.

The cursor is inclusive: `OrderIdFrom=N` / `ArticleSystemIdFrom=N` return ids >= N, ascending. To page,
ask for the highest id seen plus one, until a page comes back empty. (A client that passes the highest
id seen itself gets that one record again, never a gap.)
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import islice
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

MAX_PAGE = 1000  # also the default when no (or a non-positive) maximum is asked for


def page_size(requested: int | None) -> int:
    if requested is None or requested <= 0:
        return MAX_PAGE
    return min(requested, MAX_PAGE)


def page(records: Sequence[T], id_of: Callable[[T], int], wanted: Callable[[T], bool], id_from: int | None,
         requested: int | None) -> list[T]:
    """The wanted records with id >= id_from, by ascending id, at most page_size(requested) of them.

    `records` are sorted by id already: the page starts where the cursor falls and reads on only until it
    is full, so a page costs about what it returns, whatever the size of the whole.
    """
    first = bisect_left(records, id_from or 0, key=id_of)
    return list(islice(filter(wanted, islice(records, first, None)), page_size(requested)))
