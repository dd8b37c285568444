"""Process 4, stock balances: compare WMS stock with ERP stock and plan the writes.

Pure functions on pandas frames, no I/O: frames.py builds the frames from the clients' records,
diff.py compares them, writes.py lists the SetStockQuantity calls to make, snapshot.py renders
what an operator sees. Quantities travel as exact integer units (quantity.py).
"""

from sync_pipeline.stock.diff import StockComparison, compare
from sync_pipeline.stock.frames import BASES, Basis, erp_frame, wms_frame
from sync_pipeline.stock.quantity import QUANTITY_DECIMALS, QuantityError, from_units, to_units
from sync_pipeline.stock.snapshot import StockSnapshot
from sync_pipeline.stock.writes import StockWrite, planned_writes

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
