"""No secrets in the ledger: it stores keys, hashes, versions and reasons, and scrubs the reasons."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import make_url, text

from sync_pipeline.ledger import Ledger
from sync_pipeline.soap.errors import RecordError

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)
PASSWORD = "Wms-Pass-4711-distinctive"
SESSION = "k3xq9sessionid0000abcd"


def everything_stored(store) -> str:
    prefix = "" if store.backend == "sqlite" else f'"{store.schema}".'
    with store.engine().connect() as connection:
        return repr([connection.execute(text(f"SELECT * FROM {prefix}{table}")).all()
                     for table in ("entries", "cursors", "stage_times", "alembic_version")])


def test_reasons_are_scrubbed_before_they_are_stored(store):
    ledger = store.open(secrets=[PASSWORD])
    ledger.record_failure("order", "7", RecordError("7", f"login as demo with {PASSWORD} refused", retryable=True),
                          now=NOW)
    ledger.record_failure("order", "8", f"HTTP 500, cookie ASP.NET_SessionId={SESSION}", retryable=True, now=NOW)
    ledger.record_failure("article", "SKU-1", "<Password>hunter2-also</Password> rejected", now=NOW)
    ledger.record_success("article", "SKU-2", {"ArticleNumber": "SKU-2", "note": PASSWORD}, now=NOW)  # hashed only
    ledger.set_cursor("orders", '{"moment": null, "recent": {}}', now=NOW)
    stored = everything_stored(store)
    assert "login as demo with *** refused" in stored  # the scan reads what the ledger holds
    for secret in (PASSWORD, SESSION, "hunter2-also"):
        assert secret not in stored
    if store.backend == "sqlite":  # nor in the file's bytes (the write-ahead log included)
        files = list(Path(make_url(store.url).database).parent.glob("ledger.sqlite*"))
        assert files
        for file in files:
            assert PASSWORD.encode() not in file.read_bytes() and SESSION.encode() not in file.read_bytes()


def test_the_ledger_never_shows_its_database_password(postgres_url, postgres_schemas):
    with Ledger(postgres_url, schema=postgres_schemas()) as ledger:
        password = make_url(postgres_url).password
        assert password and f":{password}@" not in repr(ledger)
        assert ":***@" in repr(ledger)
