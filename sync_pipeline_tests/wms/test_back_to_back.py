"""Writes sent back to back (WmsClient.back_to_back) against the WMS sandbox over real HTTP.

A BackToBack posts prepared writes one at a time from a thread of its own, holding the goods
owner's write slot; the test thread renders the messages and reads the ends. What a user relies
on: every write ends once, in submission order, with the same result or error a plain write would
give; a failure worth repeating can be repeated to success (WmsClient.repeat_write) without
duplicating the record; another holder of the write slot keeps the writes back; leaving the
with-block stops the poster; and the debug log shows the messages without the password.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Iterable

import pytest
import requests
from pydantic import SecretStr

from sync_pipeline.soap.client import RetryPolicy, call_with_retry
from sync_pipeline.soap.errors import AuthenticationError, RetryableError, TerminalError
from sync_pipeline.redaction import REDACTED
from sync_pipeline.wms import WmsClient
from sync_pipeline.wms.back_to_back import BackToBack, Finished
from sync_pipeline.wms.models import WriteResult
from sync_pipeline.wms.write_calls import WriteCall, article_write, order_write
from sync_pipeline.wms.write_lock import goods_owner_write_lock
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.conftest import PASSWORD
from sync_pipeline_tests.wms.samples import article, order

ARTICLES = ("SKU-3001", "SKU-3002", "SKU-3003")
# Sandbox fields that only say when something happened; two runs of the same writes differ there.
WHEN = {"Created", "ProcessArticleTime", "CreatedDate", "LastUpdated", "OrderStatusChangedTime", "StockInfoChanged"}


# -- helpers ---------------------------------------------------------------------------------


def an_order(index: int) -> dict[str, Any]:
    """Order B2B-<index> with two lines of the test articles."""
    return order(f"B2B-{index:03d}", (ARTICLES[index % 3], index + 1), (ARTICLES[(index + 1) % 3], 2))


def write_all(writes: BackToBack, calls: Iterable[tuple[Any, WriteCall]]) -> list[Finished]:
    """Submit each (token, call) as the pipeline does: take the ended writes after each submit, then drain."""
    ends: list[Finished] = []
    for token, call in calls:
        writes.submit(token, call)
        ends.extend(writes.finished())
    ends.extend(writes.drain())
    return ends


def call_log(admin: Admin) -> list[tuple[str, str | None, str]]:
    return [(entry["operation"], entry["key"], entry["outcome"]) for entry in admin.get("calls")["log"]]


def stored(admin: Admin) -> dict[str, Any]:
    """The sandbox's articles, orders and stock without their timestamps."""
    def without_times(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: without_times(v) for k, v in value.items() if k not in WHEN}
        if isinstance(value, list):
            return [without_times(v) for v in value]
        return value

    state = admin.get("state")
    return without_times({kind: state[kind] for kind in ("articles", "orders", "stock")})


def order_numbers(admin: Admin) -> list[str]:
    return sorted(o["GoodsOwnerOrderNumber"] for o in admin.get("state")["orders"])


def create_articles(client: WmsClient) -> None:
    for number in ARTICLES:
        assert client.process_article(article(number)).success


def poster_threads() -> set[threading.Thread]:
    return {thread for thread in threading.enumerate() if thread.name == "wms-writes"}


# -- results and order -----------------------------------------------------------------------


def test_writes_end_in_submission_order_and_match_one_by_one_writes(client: WmsClient, wms_admin: Admin) -> None:
    calls = [(("article", n), article_write(article(n))) for n in ARTICLES]
    calls += [(("order", i), order_write(an_order(i))) for i in range(12)]
    with client.back_to_back() as writes:
        ends = write_all(writes, calls)

    assert [end.token for end in ends] == [token for token, _ in calls]
    assert all(isinstance(end.result, WriteResult) and end.error is None for end in ends)
    assert [(end.result.success, end.result.key) for end in ends] == [(True, call.key) for _, call in calls]
    assert all(end.result.order_id for end in ends if end.token[0] == "order")
    # Posted once each, in the order submitted (the articles before the orders that need them).
    assert call_log(wms_admin) == [(call.operation, call.key, "ok") for _, call in calls]
    assert order_numbers(wms_admin) == sorted(f"B2B-{i:03d}" for i in range(12))
    back_to_back = stored(wms_admin)

    wms_admin.post("reset")  # the same records one by one, into an empty WMS
    create_articles(client)
    for index in range(12):
        assert client.process_order(an_order(index)).success
    assert stored(wms_admin) == back_to_back


def test_refused_record_ends_with_the_message_and_the_rest_go_through(client: WmsClient, wms_admin: Admin) -> None:
    create_articles(client)
    orders = [an_order(0), order("B2B-BAD", ("NO-SUCH-SKU", 1)), an_order(1), an_order(2)]
    with client.back_to_back() as writes:
        ends = write_all(writes, ((o["OrderInfo"]["GoodsOwnerOrderNumber"], order_write(o)) for o in orders))

    refused = ends[1]
    assert refused.token == "B2B-BAD" and refused.error is None
    assert refused.result.success is False and refused.result.key == "B2B-BAD"
    assert "NO-SUCH-SKU" in refused.result.message
    assert refused.result.record_error().retryable  # a missing article: the article sync may create it
    assert [end.result.success for end in ends] == [True, False, True, True]
    assert order_numbers(wms_admin) == ["B2B-000", "B2B-001", "B2B-002"]


# -- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, settings, client_timeout", [
    ("error", {"error_rate": 0.5}, 1.0),
    ("drop", {"drop_rate": 0.5}, 1.0),
    ("malformed", {"malformed_rate": 0.5}, 1.0),
    ("timeout", {"timeout_rate": 0.5, "timeout_hold_seconds": 0.05}, 1.0),  # the sandbox closes first
    ("timeout", {"timeout_rate": 0.3, "timeout_hold_seconds": 1.0}, 0.3),  # the client stops waiting first
])
def test_failed_writes_are_repeated_to_success_without_duplicates(
        make_client: Callable[..., WmsClient], wms_admin: Admin, kind: str, settings: dict,
        client_timeout: float) -> None:
    client = make_client(timeout=client_timeout)
    create_articles(client)
    wms_admin.post("faults", {"seed": 7, **settings})
    with client.back_to_back() as writes:
        ends = write_all(writes, ((i, order_write(an_order(i))) for i in range(10)))

    assert [end.token for end in ends] == list(range(10))
    failed = [end for end in ends if end.error is not None]
    assert failed, "no write failed: the test proved nothing"
    assert all(end.error.retryable for end in failed), [str(end.error) for end in failed]
    assert all(end.result.success for end in ends if end.error is None)
    for end in failed:
        repeated = client.repeat_write(end.call, end.error)
        assert repeated.success and repeated.key == end.call.key, repeated.message

    assert any(outcome.startswith(f"injected: {kind}") for _, _, outcome in call_log(wms_admin))
    wms_admin.post("faults", {})
    assert order_numbers(wms_admin) == [f"B2B-{i:03d}" for i in range(10)]  # each exactly once


def test_a_reply_over_the_size_limit_is_terminal_and_the_next_write_works(
        make_client: Callable[..., WmsClient], wms_admin: Admin) -> None:
    client = make_client(max_reply_bytes=1500)  # an ordinary write's reply is about 500 bytes
    create_articles(client)
    # The refusal repeats the unknown article number, so its reply is over the limit.
    oversized = order("B2B-BIG", ("NO-SUCH-" + "X" * 2000, 1))
    with client.back_to_back() as writes:
        big, after = write_all(writes, [("big", order_write(oversized)), ("after", order_write(an_order(0)))])

    assert big.result is None and isinstance(big.error, TerminalError) and not big.error.retryable
    assert "limit" in str(big.error)
    assert after.error is None and after.result.success
    assert [key for _, key, _ in call_log(wms_admin)][-2:] == ["B2B-BIG", "B2B-000"]


def test_wrong_password_ends_with_an_authentication_error(make_client: Callable[..., WmsClient],
                                                          wms_admin: Admin) -> None:
    client = make_client(password=SecretStr("not-the-password"))
    with client.back_to_back() as writes:
        (end,) = write_all(writes, [("a", article_write(article("SKU-3001")))])

    assert end.result is None and isinstance(end.error, AuthenticationError)
    assert "not-the-password" not in str(end.error)
    with pytest.raises(AuthenticationError) as plain:
        client.process_article(article("SKU-3001"))
    assert str(end.error) == str(plain.value)
    assert wms_admin.get("state")["articles"] == []


# -- the write slot and stopping -------------------------------------------------------------


def test_a_write_waits_for_the_goods_owners_write_slot(client: WmsClient, wms_admin: Admin) -> None:
    slot = goods_owner_write_lock(client.connection.service_url, client.connection.goods_owner_code)
    with client.back_to_back() as writes:
        slot.acquire()  # as if another thread's write were on its way
        try:
            writes.submit("a", article_write(article("SKU-3001")))
            deadline = time.monotonic() + 0.3
            while time.monotonic() < deadline:
                assert wms_admin.get("calls")["log"] == [], "a write went out while another held the write slot"
                time.sleep(0.03)
            assert list(writes.finished()) == []
        finally:
            slot.release()
        (end,) = list(writes.drain())

    assert end.result.success
    assert call_log(wms_admin) == [("ProcessArticle", "SKU-3001", "ok")]


@pytest.mark.timeout(20)
def test_leaving_the_block_stops_the_poster_before_the_queued_writes(client: WmsClient, wms_admin: Admin) -> None:
    before = poster_threads()
    wms_admin.post("faults", {"latency_ms": 400})
    numbers = [f"SKU-40{i:02d}" for i in range(4)]
    with client.back_to_back(window=4) as writes:
        for number in numbers:
            writes.submit(number, article_write(article(number)))

    # No clock decides: leaving joined the poster, so what it posted is all it will ever post.
    assert poster_threads() - before == set(), "the poster thread is still running"
    time.sleep(1.0)  # more than two latencies: a queued write would have arrived by now
    posted = [key for _, key, _ in call_log(wms_admin)]
    assert posted in ([], numbers[:1]), posted
    assert [a["ArticleNumber"] for a in wms_admin.get("state")["articles"]] == posted


@pytest.mark.timeout(20)
def test_leaving_the_block_while_the_slot_is_held_sends_nothing(client: WmsClient, wms_admin: Admin) -> None:
    slot = goods_owner_write_lock(client.connection.service_url, client.connection.goods_owner_code)
    writes = client.back_to_back()
    slot.acquire()
    try:
        writes.submit("a", article_write(article("SKU-3001")))
        while not writes._queue.empty():  # the poster has taken the write and waits for the slot
            time.sleep(0.01)
        closer = threading.Thread(target=writes.close)
        closer.start()
        closer.join(timeout=0.3)
    finally:
        slot.release()
    closer.join(timeout=60)  # generous: it ends when close() returns
    assert not closer.is_alive(), "close() did not return once the slot was free"
    time.sleep(0.2)
    assert call_log(wms_admin) == [], "a write went out after the batch was closed"


# -- repeating a write that failed elsewhere -------------------------------------------------


class Attempts:
    """A call that fails with `failures` (in turn), then returns "done"; counts its runs."""

    def __init__(self, *failures: Exception):
        self.failures, self.runs = list(failures), 0

    def __call__(self) -> str:
        self.runs += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


TINY = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.002)


def test_a_failed_first_attempt_counts_as_attempt_one() -> None:
    always = Attempts(*[requests.ConnectionError("lost")] * 5)
    with pytest.raises(RetryableError):
        call_with_retry("ProcessOrder", always, TINY, failed=RetryableError("ProcessOrder: timed out"))
    assert always.runs == 2


def test_a_terminal_first_attempt_raises_without_calling() -> None:
    never = Attempts()
    terminal = TerminalError("ProcessOrder: HTTP 400")
    with pytest.raises(TerminalError) as raised:
        call_with_retry("ProcessOrder", never, TINY, failed=terminal)
    assert raised.value is terminal and never.runs == 0


def test_a_repeat_that_succeeds_returns_its_value() -> None:
    once = Attempts()
    assert call_with_retry("ProcessOrder", once, TINY, failed=RetryableError("ProcessOrder: timed out")) == "done"
    assert once.runs == 1


def test_a_repeated_write_makes_only_the_attempts_the_policy_has_left(
        make_client: Callable[..., WmsClient], wms_admin: Admin) -> None:
    client = make_client(retry=TINY)
    wms_admin.post("faults", {"error_rate": 1.0})
    with client.back_to_back() as writes:
        (end,) = write_all(writes, [("a", article_write(article("SKU-3001")))])
    assert isinstance(end.error, RetryableError)
    with pytest.raises(RetryableError):
        client.repeat_write(end.call, end.error)
    assert wms_admin.get("calls")["counts"] == {"ProcessArticle": 3}  # as a plain write with this policy


# -- logging ---------------------------------------------------------------------------------


def test_debug_log_shows_the_post_and_reply_without_the_password(
        client: WmsClient, caplog: pytest.LogCaptureFixture) -> None:
    for name in ("", "zeep", "zeep.transports", "urllib3", "sync_pipeline"):
        caplog.set_level(logging.DEBUG, logger=name)
    with client.back_to_back() as writes:
        (end,) = write_all(writes, [("a", article_write(article("SKU-3001")))])
    assert end.result.success

    text = caplog.text + "".join(str(record.args) for record in caplog.records)
    posts = [r.getMessage() for r in caplog.records if r.getMessage().startswith("HTTP Post to")]
    replies = [r.getMessage() for r in caplog.records if r.getMessage().startswith("HTTP Response from")]
    assert any("ProcessArticle" in post and "SKU-3001" in post for post in posts), posts
    assert any("ProcessArticleResponse" in reply for reply in replies), replies
    assert f"Password>{REDACTED}</" in text
    assert PASSWORD not in text
