"""Keyset paging over an inclusive or exclusive "from id": no gaps, no repeats, few calls."""

from __future__ import annotations

import pytest

from sync_pipeline.wms.paging import walk_pages


class FakeService:
    """A list of ids served `size` at a time from a cursor, inclusive or not."""

    def __init__(self, ids: list[int], size: int, inclusive: bool):
        self.ids, self.size, self.inclusive = sorted(ids), size, inclusive
        self.cursors: list[int] = []

    def page(self, cursor: int) -> list[int]:
        self.cursors.append(cursor)
        chosen = [i for i in self.ids if (i >= cursor if self.inclusive else i > cursor)]
        return chosen[: self.size]


IDS = [3, 4, 7, 8, 9, 15, 16, 40, 41, 42, 100]


@pytest.mark.parametrize("inclusive", [True, False])
@pytest.mark.parametrize("size", [1, 2, 3, 5, 11, 50])
def test_every_id_exactly_once(inclusive: bool, size: int) -> None:
    service = FakeService(IDS, size, inclusive)
    assert list(walk_pages(service.page, lambda i: i)) == IDS


@pytest.mark.parametrize("inclusive", [True, False])
def test_calls_stay_close_to_one_per_page(inclusive: bool) -> None:
    service = FakeService(list(range(1, 101)), 10, inclusive)
    assert len(list(walk_pages(service.page, lambda i: i))) == 100
    # 10 full pages, then the empty one; an inclusive cursor costs at most one extra call.
    assert len(service.cursors) <= 12


def test_an_inclusive_cursor_moves_past_the_highest_id_once_detected() -> None:
    service = FakeService(list(range(1, 10)), 3, inclusive=True)
    list(walk_pages(service.page, lambda i: i))
    # 3 comes back when asked from 3: from then on the next page starts one past the highest id.
    assert service.cursors == [0, 3, 6, 9, 10]


def test_an_empty_first_page_ends_the_walk() -> None:
    service = FakeService([], 5, inclusive=True)
    assert list(walk_pages(service.page, lambda i: i)) == []
    assert service.cursors == [0]


def test_repeats_within_one_page_are_dropped() -> None:
    pages = {0: [1, 1, 2], 2: [2, 3], 3: [3], 4: []}
    assert list(walk_pages(lambda cursor: pages[cursor], lambda i: i)) == [1, 2, 3]


def test_a_service_that_keeps_answering_old_records_does_not_loop_forever() -> None:
    calls = []

    def stuck(cursor: int) -> list[int]:
        calls.append(cursor)
        return [1, 2]

    assert list(walk_pages(stuck, lambda i: i)) == [1, 2]
    assert len(calls) <= 3


def test_pages_are_fetched_lazily() -> None:
    service = FakeService(list(range(1, 31)), 10, inclusive=False)
    walk = walk_pages(service.page, lambda i: i)
    assert [next(walk) for _ in range(10)] == list(range(1, 11))
    assert service.cursors == [0]
