"""A small JSON document store on SQLite (a file, or memory) holding what a sandbox knows.

A kind read whole (`view`) is also kept decoded in memory, and kept in step on every put, delete and
clear, so that a paged read costs what it returns, not the decoding of every document of its kind.
That assumes this object is the only writer of its namespace in the database (as the sandboxes run).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

from sync_pipeline.sandbox.views import Frozen, View, frozen


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
        self._decoded: dict[str, dict[str, Frozen]] = {}  # kind -> key -> document, for kinds viewed so far
        self._views: dict[str, View] = {}  # kind -> its view, until the kind next changes
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
        row = (self._kind(kind), str(key))
        with self._lock:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", (*row, body))
            self._changed(*row, body)

    def get(self, kind: str, key: Any) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM documents WHERE kind = ? AND key = ?",
                                   (self._kind(kind), str(key))).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, kind: str, key: Any) -> None:
        row = (self._kind(kind), str(key))
        with self._lock:
            with self._db:
                self._db.execute("DELETE FROM documents WHERE kind = ? AND key = ?", row)
            self._changed(*row, None)

    def all(self, kind: str) -> Iterator[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM documents WHERE kind = ? ORDER BY rowid",
                                    (self._kind(kind),)).fetchall()
        return (json.loads(body) for (body,) in rows)

    def view(self, kind: str) -> View:
        """The kind's documents as they are now, read-only and untouched by later writes.

        Cheap: the view is built (decoded documents shared, not copied) once per change of the kind.
        """
        kind = self._kind(kind)
        with self._lock:
            view = self._views.get(kind)
            if view is None:
                view = self._views[kind] = View(dict(self._decoded_documents(kind)))
            return view

    def _decoded_documents(self, kind: str) -> dict[str, Frozen]:
        documents = self._decoded.get(kind)
        if documents is None:
            rows = self._db.execute("SELECT key, body FROM documents WHERE kind = ? ORDER BY rowid", (kind,)).fetchall()
            documents = self._decoded[kind] = {key: frozen(json.loads(body)) for key, body in rows}
        return documents

    def _changed(self, kind: str, key: str, body: str | None) -> None:
        """Keep the decoded documents in step with a row written (body) or deleted (None)."""
        self._views.pop(kind, None)
        documents = self._decoded.get(kind)
        if documents is not None:
            documents.pop(key, None)  # a replaced row gets a new rowid: it moves to the end, as here
            if body is not None:
                documents[key] = frozen(json.loads(body))

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
            # A prefix compared as text, not LIKE: "_" in a tenant's namespace would match any character.
            within = (len(self._ns), self._ns)
            self._db.execute("DELETE FROM documents WHERE substr(kind, 1, ?) = ?", within)
            self._db.execute("DELETE FROM counters WHERE substr(name, 1, ?) = ?", within)
            self._decoded.clear()
            self._views.clear()
