"""The tests' PostgreSQL: the URL of Dagster's own server, from the DAGSTER_PG_* variables dagster.yaml reads."""

from __future__ import annotations

import os
from collections.abc import Mapping

from sqlalchemy.engine import URL

from sync_pipeline.ledger import LedgerError


def dagster_postgres_url(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    missing = [name for name in ("DAGSTER_PG_HOST", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB")
               if not environ.get(name)]
    if missing:
        raise LedgerError(f"not set: {', '.join(missing)} (Dagster's PostgreSQL server)")
    return URL.create(
        "postgresql+psycopg2",
        username=environ["DAGSTER_PG_USER"],
        password=environ["DAGSTER_PG_PASSWORD"],
        host=environ["DAGSTER_PG_HOST"],
        port=int(environ.get("DAGSTER_PG_PORT") or 5432),
        database=environ["DAGSTER_PG_DB"],
    ).render_as_string(hide_password=False)
