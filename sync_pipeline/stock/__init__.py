"""Process 4, stock balances: compare WMS stock with ERP stock and plan the writes.

Pure functions on pandas frames, no I/O: frames.py builds the frames from the clients' records,
diff.py compares them, writes.py lists the SetStockQuantity calls to make, snapshot.py renders
what an operator sees. Quantities travel as exact integer units (quantity.py).

The names below are loaded when first used (PEP 562), so importing one module of the package (the
code location needs quantity.py's conversions) does not load pandas in every run's process.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sync_pipeline.stock.diff import StockComparison, compare
    from sync_pipeline.stock.frames import BASES, Basis, erp_frame, wms_frame
    from sync_pipeline.stock.quantity import QUANTITY_DECIMALS, QuantityError, from_units, to_units
    from sync_pipeline.stock.snapshot import StockSnapshot
    from sync_pipeline.stock.writes import StockWrite, planned_writes

_MODULE_OF = {
    "StockComparison": "diff",
    "compare": "diff",
    "BASES": "frames",
    "Basis": "frames",
    "erp_frame": "frames",
    "wms_frame": "frames",
    "QUANTITY_DECIMALS": "quantity",
    "QuantityError": "quantity",
    "from_units": "quantity",
    "to_units": "quantity",
    "StockSnapshot": "snapshot",
    "StockWrite": "writes",
    "planned_writes": "writes",
}

__all__ = [
    "BASES",
    "Basis",
    "QUANTITY_DECIMALS",
    "QuantityError",
    "StockComparison",
    "StockSnapshot",
    "StockWrite",
    "compare",
    "erp_frame",
    "from_units",
    "planned_writes",
    "to_units",
    "wms_frame",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
