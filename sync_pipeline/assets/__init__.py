"""Dagster assets, one group per sync process."""
