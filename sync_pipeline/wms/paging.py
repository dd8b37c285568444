"""Keyset paging as Ongoing does it: ask for at most N records with an id from X on.

Whether "from X" includes X is not the same everywhere (Ongoing's own advice is to ask from the
highest id seen plus one). The walk starts each next page at the highest id seen and drops ids it
has already yielded; once a page repeats the id it started from, the "from" is known to be
inclusive and later pages start one past the highest id. Either way no record is skipped or
yielded twice, and the walk ends on an empty page (or one with nothing new even past the highest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


def walk_pages(fetch_page: Callable[[int], list[T]], id_of: Callable[[T], int], start: int = 0) -> Iterator[T]:
    """Every record once, in page order; `fetch_page(from_id)` returns one page."""
    seen: set[int] = set()
    cursor = start
    highest: int | None = None
    inclusive = False
    while True:
        page = fetch_page(cursor)
        if not page:
            return
        fresh = []
        for record in page:
            key = id_of(record)
            if key in seen:
                inclusive = inclusive or key == cursor
                continue
            seen.add(key)
            fresh.append(record)
        if fresh:
            page_highest = max(id_of(record) for record in fresh)
            highest = page_highest if highest is None else max(highest, page_highest)
            yield from fresh
        elif highest is None or cursor > highest:
            return  # nothing new even past the highest id seen
        else:
            inclusive = True
        cursor = highest + 1 if inclusive else highest
