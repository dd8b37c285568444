"""The ERP's JSON admin routes: list and upsert products, orders and companies.

Records use the WSDL's own field names, nested objects as objects and repeated elements as plain
arrays, e.g. `{"OrderId": 7, "OrderStatus": "Confirmed", "InvoiceRows": [{"ProductId": 1, "Quantity": 2}]}`.
An upsert changes only the fields given (null clears one); DateChanged is always set by the sandbox.
A batch with one bad record is refused whole (HTTP 400 naming the record and field).

To stage changes on another day (e.g. for a daily resync), `POST /_sandbox/<kind>/date_changed` with
`[{"OrderId": 7, "DateChanged": "2026-11-20T10:00:00+00:00"}]` sets the DateChanged of existing
records (and an order's registration time, if later) and changes nothing else. Times need an offset.

`POST /_sandbox/<kind>/delete` with `[{"OrderId": 7}]` deletes records, as a user deleting an order in
24SevenOffice: the service no longer lists or returns it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from sync_pipeline.sandbox.erp.errors import InvalidRecord
from sync_pipeline.sandbox.erp.records import changed_at, from_json, public
from sync_pipeline.sandbox.erp.repository import Repository
from sync_pipeline.sandbox.server import AdminError


class ErpAdmin:
    def __init__(self, repositories: dict[str, Repository], seed_demo: Callable[[], dict[str, int]]):
        self._repositories = repositories  # route name ("products") -> records
        self._seed_demo = seed_demo

    def handle(self, method: str, route: str, body: Any) -> Any:
        repository = self._repositories.get(route)
        if repository is not None and method == "GET":
            return [public(document) for document in repository.all()]
        if repository is not None and method == "POST":
            records = [self._checked(repository, route, index, item) for index, item in enumerate(_as_list(body))]
            return [public(document) for document in repository.upsert(records)]
        if (method, route) == ("POST", "demo"):
            return self._seed_demo()
        kind, _, action = route.partition("/")
        if method == "POST" and action == "date_changed" and kind in self._repositories:
            return _set_dates(self._repositories[kind], kind, _as_list(body))
        if method == "POST" and action == "delete" and kind in self._repositories:
            return _delete(self._repositories[kind], kind, _as_list(body))
        known = ", ".join([f"GET/POST {name}" for name in self._repositories]
                          + [f"POST {name}/date_changed" for name in self._repositories]
                          + [f"POST {name}/delete" for name in self._repositories] + ["POST demo"])
        raise AdminError(f"no admin route {method} /_sandbox/{route} (this sandbox has: {known})", 404)

    @staticmethod
    def _checked(repository: Repository, route: str, index: int, item: Any) -> dict[str, Any]:
        label = f"{route}[{index}]"
        if isinstance(item, dict) and item.get(repository.key) is not None:
            label += f" ({repository.key} {item[repository.key]})"
        try:
            record = from_json(repository.shape, item, keep_nulls=True)
            if record.get(repository.key, 0) is None:
                raise InvalidRecord(repository.key, "the key cannot be cleared")
            repository.check(record)
        except InvalidRecord as error:
            where = f", field {error.path}" if error.path else ""
            raise AdminError(f"{label}{where}: {error.message}") from None
        return record


def _set_dates(repository: Repository, route: str, items: list[Any]) -> list[dict[str, Any]]:
    changes = []
    for index, item in enumerate(items):
        key = item.get(repository.key) if isinstance(item, dict) else None
        label = f"{route}[{index}] ({repository.key} {key})"
        if not isinstance(item, dict) or set(item) != {repository.key, "DateChanged"}:
            raise AdminError(f"{route}[{index}]: expected exactly {{\"{repository.key}\": ..., \"DateChanged\": ...}}")
        try:
            moment = datetime.fromisoformat(str(item["DateChanged"]).replace("Z", "+00:00"))
        except ValueError:
            raise AdminError(f"{label}, field DateChanged: not an ISO 8601 time") from None
        if moment.utcoffset() is None:
            raise AdminError(f"{label}, field DateChanged: needs a UTC offset, like 2026-11-20T10:00:00+00:00")
        if repository.get(key) is None:
            raise AdminError(f"{label}: no such record", 404)
        changes.append((key, moment.astimezone(timezone.utc)))
    with repository.store.lock:
        saved = []
        for key, moment in changes:
            document = repository.get(key)
            document["DateChanged"] = moment.isoformat()
            if "_Registered" in document and changed_at(document, "_Registered") > moment:
                document["_Registered"] = moment.isoformat()  # never changed before it was registered
            repository.store.put(repository.kind, key, document)
            saved.append(public(document))
    return saved


def _delete(repository: Repository, route: str, items: list[Any]) -> dict[str, list[Any]]:
    keys = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or set(item) != {repository.key}:
            raise AdminError(f"{route}[{index}]: expected exactly {{\"{repository.key}\": ...}}")
        if repository.get(item[repository.key]) is None:
            raise AdminError(f"{route}[{index}] ({repository.key} {item[repository.key]}): no such record", 404)
        keys.append(item[repository.key])
    with repository.store.lock:
        for key in keys:
            repository.store.delete(repository.kind, key)
    return {"deleted": keys}


def _as_list(body: Any) -> list[Any]:
    if isinstance(body, dict):
        return [body]
    if isinstance(body, list):
        return body
    raise AdminError("expected a JSON object or a list of objects")
