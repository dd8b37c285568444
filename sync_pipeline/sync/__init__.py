"""The four sync processes as plain functions over the two clients (Dagster calls these)."""
