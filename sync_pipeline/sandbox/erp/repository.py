"""One kind of ERP record in the store: read, upsert by key, a DateChanged that moves on every change,
and the service's reads of it (which need a live session)."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from sync_pipeline.sandbox.erp.auth import Sessions
from sync_pipeline.sandbox.erp.clock import Clock
from sync_pipeline.sandbox.erp.records import Document, call_key, requested, to_reply
from sync_pipeline.sandbox.erp.shapes import Shape
from sync_pipeline.sandbox.soap import RequestContext
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.views import Frozen


class Repository:
    """Records of one kind keyed by an int field; subclasses fill in what the ERP derives itself."""

    kind: str
    key: str
    shape: Shape
    maintained = ("DateChanged", "APIException")  # set by the service, never taken from input

    def __init__(self, store: Store, clock: Clock, sessions: Sessions):
        self.store = store
        self.clock = clock
        self.sessions = sessions

    def get(self, key: Any) -> Document | None:
        return self.store.get(self.kind, key)

    def all(self) -> list[Document]:
        return sorted(self.store.all(self.kind), key=lambda document: document[self.key])

    def current(self) -> Sequence[Frozen]:
        """Every record by key, as they are now: read-only (see sandbox.views), what searches filter."""
        return self.store.view(self.kind).sorted_by(self.key)

    def search(self, params: dict[str, Any]) -> Sequence[Frozen]:
        """The records a request's searchParams select (from current())."""
        raise NotImplementedError

    def answer_search(self, values: dict[str, Any], context: RequestContext, result: str) -> dict[str, Any]:
        """The reply of GetProducts / GetCompanies: the records searchParams selects, each with only the
        returnProperties asked for."""
        self.sessions.require(context)
        wanted = requested(self.shape, values.get("returnProperties"), "returnProperties")
        found = self.search(values.get("searchParams") or {})
        context.record_key = call_key(record[self.key] for record in found)
        return {result: {self.shape.name: [to_reply(self.shape, record, wanted) for record in found]}}

    def check(self, record: Document) -> None:
        """Refuse a record the real service would refuse (raise InvalidRecord); fields are typed already."""

    def complete(self, document: Document, created: bool) -> None:
        """Fill in what the ERP derives itself when a record is saved."""

    def upsert(self, changes: Iterable[Document]) -> list[Document]:
        """Create or change records; a top-level None clears that field. Returns the stored records."""
        saved = []
        with self.store.lock:
            for change in changes:
                change = {name: value for name, value in change.items() if name not in self.maintained}
                key = change.get(self.key)
                existing = self.get(key) if key is not None else None
                if key is None:
                    key = change[self.key] = self.free_key()
                document = {**(existing or {}), **change}
                document = {name: value for name, value in document.items() if value is not None}
                self.complete(document, created=existing is None)
                saved.append(self.save(document))
        return saved

    def save(self, document: Document) -> Document:
        document["DateChanged"] = self.clock.stamp().isoformat()
        self.store.put(self.kind, document[self.key], document)
        return document

    def free_key(self) -> int:
        with self.store.lock:
            while True:
                candidate = self.store.next_id(self.kind)
                if self.get(candidate) is None:
                    return candidate
