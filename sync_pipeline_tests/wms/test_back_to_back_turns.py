"""When a back-to-back write's end is told (WmsClient.back_to_back), against the WMS sandbox over real HTTP.

The caller maps, renders and records while a write is on the wire; the poster sends the next write
the moment a reply is in. Both need the interpreter lock, so the caller is told that a write ended
only once the next queued write has left: its work then runs while that write is on the wire, not
while the poster sends it. An end is not held back behind another writer's turn.
"""

from __future__ import annotations

import pytest

from sync_pipeline.wms import WmsClient
from sync_pipeline.wms.write_calls import order_write
from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.wms.test_back_to_back import an_order, create_articles


@pytest.mark.timeout(60)
def test_a_writes_end_is_told_once_the_next_write_has_left(client: WmsClient, wms_admin: Admin) -> None:
    create_articles(client)
    wms_admin.post("faults", {"latency_ms": 50})
    with client.back_to_back(window=4) as writes:
        for index in range(4):
            writes.submit(index, order_write(an_order(index)))
        postings = list(writes._pending)
        for ended, following in zip(postings, postings[1:]):
            assert ended.done.wait(30)
            assert following.sent.is_set(), "the caller was told of an end before the next write had left"
        ends = list(writes.drain())

    assert [(end.token, end.result.success) for end in ends] == [(i, True) for i in range(4)]

