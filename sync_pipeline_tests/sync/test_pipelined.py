"""read_ahead: records prepared in the background, handed over in order, failures where a loop has them."""

from __future__ import annotations

import threading

import pytest

from sync_pipeline.sync.pipelined import read_ahead


def test_items_come_in_order_with_what_preparing_gave():
    with read_ahead(range(100), lambda n: n * n, depth=4) as prepared:
        assert list(prepared) == [(n, n * n) for n in range(100)]
    with read_ahead([], lambda n: n) as prepared:
        assert list(prepared) == []


def test_the_next_items_are_prepared_while_the_caller_is_busy_with_one():
    third_prepared = threading.Event()

    def prepare(n: int) -> int:
        if n == 3:
            third_prepared.set()
        return n

    with read_ahead(range(5), prepare, depth=8) as prepared:
        for item, _ in prepared:
            if item == 0:
                # the caller is still at the first item: only a background thread can prepare the third
                assert third_prepared.wait(timeout=30)


def test_a_failure_is_raised_at_its_items_turn_after_the_items_before_it():
    def prepare(n: int) -> int:
        if n == 3:
            raise ValueError("cannot map 3")
        return n

    seen = []
    with pytest.raises(ValueError, match="cannot map 3"), read_ahead(range(10), prepare) as prepared:
        for item, _ in prepared:
            seen.append(item)
    assert seen == [0, 1, 2]


def test_leaving_early_stops_the_background_thread_even_on_an_error():
    done: list[int] = []
    with pytest.raises(RuntimeError, match="write failed"), read_ahead(range(10_000), done.append, depth=2) as items:
        for item, _ in items:
            if item == 1:
                raise RuntimeError("write failed")
    assert len(done) < 10_000  # it stopped instead of preparing everything
    assert not [thread for thread in threading.enumerate() if thread.name == "read-ahead"]
