"""Dry run from the UI: the writes one cycle of every enabled process would make, none of them made."""

import json

import dagster as dg

from sync_pipeline.assets.articles import articles_process
from sync_pipeline.assets.orders import push_process, shipped_process
from sync_pipeline.assets.reporting import OWNERS, cell, failures_markdown
from sync_pipeline.assets.runner import Process, saved_cursor
from sync_pipeline.assets.stock import compare_stock
from sync_pipeline.assets.suppliers import suppliers_process
from sync_pipeline.ledger import Kind
from sync_pipeline.resources import ErpResource, LedgerResource, WmsResource
from sync_pipeline.settings import Settings, load_settings
from sync_pipeline.sync.dry_run import DryRunErp, DryRunGate, DryRunWms, Plan, PlannedWrite

MAX_PLAN_ROWS = 500
MAX_CELL_CHARS = 300
STOCK_NOTE = ("Stock is compared with the warehouse as it is now: the stock of articles this cycle would "
              "create shows in the warehouse only once they exist, so it appears in the next dry run.")


def cycle(settings: Settings, erp, wms) -> list[tuple[str, Kind, str | None, Process]]:
    """Each enabled process of one sync_all cycle, in its order: (asset, ledger kind, cursor name, call).

    The calls are the assets' own (articles.py, suppliers.py, orders.py, stock.py), on the dry run's clients.
    """
    steps: list[tuple[str, Kind, str | None, Process]] = []
    if settings.sync_articles:
        steps.append(("wms_articles", Kind.ARTICLE, "articles", articles_process(settings, erp, wms)))
    if settings.sync_suppliers:
        steps.append(("wms_suppliers", Kind.SUPPLIER, "suppliers", suppliers_process(settings, erp, wms)))
    if settings.sync_orders:
        steps.append(("wms_orders", Kind.ORDER, "orders", push_process(settings, erp, wms)))
        if settings.sync_report_shipped:
            steps.append(("erp_shipped_orders", Kind.ORDER, "shipped", shipped_process(erp, wms)))
    if settings.sync_stock:
        steps.append(("stock_snapshot", Kind.STOCK, None,
                      lambda gate, _cursor: compare_stock(settings, erp, wms, gate)[0]))
    return steps


@dg.asset(
    group_name="operations",
    kinds={"24sevenoffice", "ongoing"},
    owners=OWNERS,
    description=(
        "Dry run: what one cycle of every enabled process would write — which articles and orders to "
        "the warehouse, which order statuses and stock balances to 24SevenOffice — each with what the "
        "target holds now (before) and what would be sent (after). Nothing is written anywhere: not to "
        "either system, not to the sync ledger; cursors do not move. Run it before going live and after "
        "changing a mapping."
    ),
)
def dry_run_plan(context: dg.AssetExecutionContext, erp: ErpResource, wms: WmsResource, ledger: LedgerResource):
    settings = load_settings()
    store = ledger.ledger(home=context.instance.root_directory)
    plan = Plan()
    reports = []
    for asset, kind, cursor_name, call in cycle(settings, DryRunErp(erp.client(), plan), DryRunWms(wms.client(), plan)):
        cursor = saved_cursor(context, store, cursor_name, dg.AssetKey(asset)) if cursor_name is not None else None
        reports.append(call(DryRunGate(store, kind), cursor))
    writes = plan.writes
    context.log.info(f"dry run: {len(writes)} write(s) planned, none made")
    return dg.MaterializeResult(metadata={
        "planned_writes": dg.MetadataValue.int(len(writes)),
        **{operation: dg.MetadataValue.int(count) for operation, count in sorted(plan.counts().items())},
        "plan": dg.MetadataValue.md(plan_markdown(writes)),
        "plan_json": dg.MetadataValue.json([_as_json(w) for w in writes[:MAX_PLAN_ROWS]]),
        "processes": dg.MetadataValue.md("\n".join(f"- {r.summary()}" for r in reports) or "no process enabled"),
        "would_fail": dg.MetadataValue.md("\n\n".join(
            f"**{r.process}**\n\n{failures_markdown(r)}" for r in reports if r.failures) or "No record would fail."),
        "note": dg.MetadataValue.text(STOCK_NOTE),
    })


def plan_markdown(writes: list[PlannedWrite]) -> str:
    if not writes:
        return "Nothing to write: both systems already agree."
    rows = ["| system | operation | record | change | before | after |", "|---|---|---|---|---|---|"]
    for write in writes[:MAX_PLAN_ROWS]:
        rows.append(f"| {write.system} | {write.operation} | {cell(write.record)} | {write.change()} | "
                    f"{cell(_brief(write.before))} | {cell(_brief(write.after))} |")
    if len(writes) > MAX_PLAN_ROWS:
        rows.append(f"| … | | {len(writes) - MAX_PLAN_ROWS} more | | | |")
    return "\n".join(rows)


def _as_json(write: PlannedWrite) -> dict:
    return {"system": write.system, "operation": write.operation, "record": write.record,
            "change": write.change(), "before": write.before, "after": write.after}


def _brief(values: dict | None) -> str:
    if values is None:
        return "—"
    text = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v}"
                     for k, v in values.items())
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + " …"

