"""Steps that write to the warehouse follow one another in every job, also when each step runs on a
worker of its own (the Celery engine runs steps with no dependency between them at once)."""

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


def test_every_two_warehouse_writers_are_ordered_by_their_dependencies(stack) -> None:
    from sync_pipeline.definitions import build_definitions

    defs = build_definitions()
    graph = {spec.key.to_user_string(): {dep.asset_key.to_user_string() for dep in spec.deps}
             for spec in defs.resolve_all_asset_specs()}
    writers = [p.asset.key for p in PROCESSES if p.asset.pool is not None]
    assert {"wms_articles", "wms_suppliers", "wms_orders"} <= set(writers)
    for first, second in combinations(writers, 2):
        assert first in upstream(graph, second) or second in upstream(graph, first), (first, second)
