"""The moments an order passes between the two systems, as the ledger keeps them (table stage_times).

Each stage keeps the first time it was reached: recording it again (an overlapping run, a retry,
an order pushed again after a change) changes nothing. The times come from where the moment
happened when the systems tell it (the ERP's DateChanged, the WMS's ShippedTime), else from this
machine's clock when the integration saw it happen.
"""

from __future__ import annotations

from enum import StrEnum

from sync_pipeline.ledger.model import LedgerError


class Stage(StrEnum):
    CONFIRMED = "confirmed"  # the ERP's DateChanged of the order version first pushed
    CREATED_IN_WMS = "created_in_wms"  # the WMS confirmed the push (this machine's clock)
    SHIPPED = "shipped"  # the WMS's ShippedTime
    REPORTED = "reported"  # the ERP confirmed the shipped status (this machine's clock)
    RETURNED = "returned"  # the WMS's ReturnInDate of the order's first return order whose goods came in


def stage_of(value: str | Stage) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise LedgerError(f"unknown stage {value!r}; one of: {', '.join(Stage)}") from None
