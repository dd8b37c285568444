"""Reconciliation: how far the two systems have drifted apart, and how long orders take between them.

Pure functions over what the clients and the ledger read (drift.py, latency.py, markdown.py), so
they are tested with plain data; gather.py does the reading. The Dagster assets drift_report and
order_latency (sync_pipeline/assets/) only wire them up. See docs/operations.md, "Drift and latency".
"""
