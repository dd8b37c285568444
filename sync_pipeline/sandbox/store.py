"""A small JSON document store on SQLite (a file, or memory) holding what a sandbox knows."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


class Store:
    """Documents by (kind, key), plus named counters; safe to share between server threads."""

    def __init__(self, path: Path | str | None = None, namespace: str = ""):
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._ns = namespace
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS documents (kind TEXT, key TEXT, body TEXT, "
                             "PRIMARY KEY (kind, key))")
            self._db.execute("CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER)")

    @property
    def lock(self) -> threading.RLock:
        """Hold it to make several reads and writes one atomic step."""
        return self._lock

    def _kind(self, kind: str) -> str:
        return f"{self._ns}{kind}"

    def put(self, kind: str, key: Any, document: dict[str, Any]) -> None:
        body = json.dumps(document, default=_default, ensure_ascii=False)
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", (self._kind(kind), str(key), body))

    def get(self, kind: str, key: Any) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM documents WHERE kind = ? AND key = ?",
                                   (self._kind(kind), str(key))).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, kind: str, key: Any) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM documents WHERE kind = ? AND key = ?", (self._kind(kind), str(key)))

    def all(self, kind: str) -> Iterator[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM documents WHERE kind = ? ORDER BY rowid",
                                    (self._kind(kind),)).fetchall()
        return (json.loads(body) for (body,) in rows)

    def count(self, kind: str) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM documents WHERE kind = ?", (self._kind(kind),)).fetchone()[0]

    def next_id(self, name: str, start: int = 1) -> int:
        """A fresh number from the named sequence (ids the system assigns)."""
        with self._lock, self._db:
            row = self._db.execute("SELECT value FROM counters WHERE name = ?", (self._kind(name),)).fetchone()
            value = (row[0] + 1) if row else start
            self._db.execute("INSERT OR REPLACE INTO counters VALUES (?, ?)", (self._kind(name), value))
        return value

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM documents WHERE kind LIKE ?", (self._ns + "%",))
            self._db.execute("DELETE FROM counters WHERE name LIKE ?", (self._ns + "%",))
