"""Steps that write to the warehouse come after the articles in every job, also when each step runs on a
worker of its own (the Celery engine runs steps with no dependency between them at once). Suppliers and
orders are not ordered between them: an order's upstream that is switched off by default (suppliers)
would make the UI ask "are you sure?" before every Materialize of the orders (docs/deploy.md)."""

from __future__ import annotations

from itertools import combinations


from sync_pipeline.processes.registry import PROCESSES


def upstream(graph: dict[str, set[str]], key: str) -> set[str]:
    seen: set[str] = set()
    todo = [key]
    while todo:
        for parent in graph.get(todo.pop(), set()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_the_articles_come_before_every_other_warehouse_writer(stack) -> None:
    from sync_pipeline.definitions import build_definitions

    defs = build_definitions()
    graph = {spec.key.to_user_string(): {dep.asset_key.to_user_string() for dep in spec.deps}
             for spec in defs.resolve_all_asset_specs()}
    writers = [p.asset.key for p in PROCESSES if p.asset.pool is not None]
    assert {"wms_articles", "wms_suppliers", "wms_orders"} <= set(writers)
    for writer in writers:
        assert writer == "wms_articles" or "wms_articles" in upstream(graph, writer), writer
    unordered = [(a, b) for a, b in combinations(writers, 2) if a not in upstream(graph, b) and b not in upstream(graph, a)]
    assert unordered == [("wms_suppliers", "wms_orders"), ("wms_suppliers", "order_cancellations")], unordered
