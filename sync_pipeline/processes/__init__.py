"""The sync processes, each one declarative object (registry.py), and the one runner that runs them.

See docs/architecture.md: one module per process, the registry lists them, runner.py runs any of
them for a selection; the Dagster layer (assets/process_assets.py) is generated from the registry.
"""
