"""Dry run from the UI: the writes a resync (or the next cycle) of every enabled process would make, none made."""

import json
from typing import Literal

import dagster as dg
from pydantic import Field

from sync_pipeline.assets.merchant_scope import merchant_of
from sync_pipeline.assets.reporting import OWNERS, cell, failures_markdown
from sync_pipeline.ledger import Ledger
from sync_pipeline.processes import runner
from sync_pipeline.processes.config import ProcessConfig
from sync_pipeline.processes.planning import Plan, PlannedWrite, PlanningErp, PlanningWms
from sync_pipeline.processes.protocols import Erp, Wms
from sync_pipeline.processes.registry import PROCESSES
from sync_pipeline.processes.selection import Delta, Everything, Selection
from sync_pipeline.tenants import Merchants
from sync_pipeline.sync.report import SyncReport

MAX_PLAN_ROWS = 500
MAX_CELL_CHARS = 300
STOCK_NOTE = ("Stock is compared with the warehouse as it is now: the stock of articles this cycle would "
              "create shows in the warehouse only once they exist, so it appears in the next dry run.")


class DryRunConfig(dg.Config):
    read: Literal["everything", "changes"] = Field(
        default="everything",
        description="everything: what rematerializing every process would write (each record compared with what "
                    "the target holds); changes: what the next scheduled cycle would write.")


def plan_cycle(context: dg.AssetExecutionContext, config: ProcessConfig, erp: Erp, wms: Wms,
               store: Ledger, selection: Selection = Everything()) -> tuple[Plan, list[SyncReport]]:
    """One run of every switched-on process, in the registry's order, on planning systems."""
    plan = Plan()
    reports = []
    for process in PROCESSES:
        if process.switched_off(config) is not None:
            continue
        result = runner.run(process, selection, erp=PlanningErp(erp, plan), wms=PlanningWms(wms, plan), ledger=store,
                            config=config, planning=True, operator=not isinstance(selection, Delta))
        reports.append(result.report)
    return plan, reports


@dg.asset(
    group_name="operations",
    kinds={"24sevenoffice", "ongoing"},
    owners=OWNERS,
    description=(
        "Dry run: what rematerializing every enabled process would write (or, with read: changes, the next "
        "scheduled cycle) — which articles and orders to the warehouse, which order statuses and stock "
        "balances to 24SevenOffice — each with what the target holds now (before) and what would be sent "
        "(after). Every record is compared with what the target holds, not with what the ledger remembers. "
        "Nothing is written anywhere: not to either system, not to the sync ledger; cursors do not move. "
        "Run it before going live, after changing a mapping, and before a resync."
    ),
)
def dry_run_plan(context: dg.AssetExecutionContext, config: DryRunConfig, merchants: dg.ResourceParam[Merchants]):
    merchant = merchant_of(context, merchants)
    store = merchant.ledger(home=context.instance.root_directory)
    selection: Selection = Delta() if config.read == "changes" else Everything()
    plan, reports = plan_cycle(context, ProcessConfig.from_settings(merchant.settings), merchant.erp(), merchant.wms(),
                               store, selection)
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

