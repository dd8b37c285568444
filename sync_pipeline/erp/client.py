"""The 24SevenOffice client the pipeline uses: read products, orders and companies; write stock and status.

Every call goes through ErpSession.call: retries by the connection's RetryPolicy, a fresh login when
the session died, a timeout on every request, and zeep settings that refuse DTDs and entities.

Per-record outcome of writes: every write method returns `RecordError | None`. None means the
service accepted the change; a RecordError means it refused this one record (the service said
so in the reply: a false result or an APIException) and nothing else is wrong. Failures of the
call itself raise SyncError subclasses (RetryableError after retries ran out, TerminalError,
AuthenticationError). Invalid arguments (a status the service does not know, a "not set"
sentinel, a float quantity) raise ValueError/TypeError before anything is sent. All writes
set absolute values, so repeating one after a timeout is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import zeep
from zeep.helpers import serialize_object

from sync_pipeline.erp.connection import ErpConnection
from sync_pipeline.erp.models import (
    ApiException,
    Company,
    ErpModel,
    InvoiceOrder,
    InvoiceRow,
    OrderStatus,
    Product,
    unwrap_array,
)
from sync_pipeline.erp.sentinels import require_set
from sync_pipeline.erp.services import ErpService
from sync_pipeline.erp.session import ErpSession
from sync_pipeline.soap.client import build_client
from sync_pipeline.soap.errors import RecordError

log = logging.getLogger(__name__)
M = TypeVar("M", bound=ErpModel)


def _mapped_fields(model: type[ErpModel]) -> tuple[str, ...]:
    # APIException is not a property one asks for: the service adds it to refused records.
    return tuple(name for name in model.model_fields if name != "APIException")


# Return properties are mandatory and exactly what the models carry (nested ones by their name).
PRODUCT_RETURN_PROPERTIES = _mapped_fields(Product)
INVOICE_RETURN_PROPERTIES = _mapped_fields(InvoiceOrder)
ROW_RETURN_PROPERTIES = _mapped_fields(InvoiceRow)
COMPANY_RETURN_PROPERTIES = _mapped_fields(Company)

MAX_IDS_PER_CALL = 1000  # GetInvoices answers at most 1000 orders; the same bound keeps other id lists small
FAR_PAST = datetime(2000, 1, 1, tzinfo=timezone.utc)  # "everything": the services need some search parameter
CURSOR_STEP_BACK = timedelta(seconds=1)  # the service rounds ChangedAfter/DateChanged to the nearest second


class ErpClient:
    """One 24SevenOffice account. Not thread-safe: use one client per thread or process.

    `plugins` (zeep plugins) are added to all four services.
    """

    def __init__(self, connection: ErpConnection, plugins: Iterable[zeep.Plugin] = ()):
        plugins = list(plugins)
        self.connection = connection
        self.session = ErpSession(connection, plugins)
        self._products = self._proxy(ErpService.PRODUCT, plugins)
        self._invoices = self._proxy(ErpService.INVOICE, plugins)
        self._companies = self._proxy(ErpService.COMPANY, plugins)

    def __enter__(self) -> "ErpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def has_session(self) -> bool:
        """Diagnostics: whether the service still knows our session. Never needed before a call."""
        return self.session.has_session()

    # -- products ----------------------------------------------------------------------------

    def products_changed_since(self, since: datetime | None) -> list[Product]:
        """Products changed at or after `since` (None: all products)."""
        search = {"DateChanged": changed_after(since)}
        return self._get_products(search)

    def products(self, ids: Sequence[int]) -> list[Product]:
        found: list[Product] = []
        for chunk in _chunks(ids):
            found += self._get_products({"ProductIds": {"int": chunk}})
        return found

    def set_stock_quantity(self, product_id: int, quantity: Decimal | int) -> RecordError | None:
        """Set the product's stock to `quantity` (absolute, not a delta)."""
        if isinstance(quantity, float) or not isinstance(quantity, (Decimal, int)):
            raise TypeError(f"stock quantity must be a Decimal, not {type(quantity).__name__}")
        quantity = require_set("stockQuantity", Decimal(quantity))
        product_id = require_set("productId", product_id)
        accepted = self.session.call(
            "SetStockQuantity",
            lambda: self._products.SetStockQuantity(productId=product_id, stockQuantity=quantity),
        )
        if accepted:
            return None
        return RecordError(key=str(product_id), field="Stock",
                           message=f"24SevenOffice did not accept stock quantity {quantity}")

    def _get_products(self, search: dict[str, Any]) -> list[Product]:
        result = self.session.call(
            "GetProducts",
            lambda: self._products.GetProducts(searchParams=search,
                                               returnProperties=_strings(PRODUCT_RETURN_PROPERTIES)),
        )
        return _records(Product, result, "Product")

    # -- orders ------------------------------------------------------------------------------

    def order_ids_changed_since(self, since: datetime | None) -> list[int]:
        """Ids of orders changed at or after `since`, None: all (GetOrderSyncList: cheap even for wide ranges)."""
        cursor = changed_after(since)
        # RegisteredAfter is required. The list holds orders changed OR registered after the given
        # times, and registering an order changes it: the same cursor adds nothing and loses nothing.
        params = {"ChangedAfter": cursor, "RegisteredAfter": cursor}
        result = self.session.call("GetOrderSyncList", lambda: self._invoices.GetOrderSyncList(syncParams=params))
        return _unique(unwrap_array(serialize_object(result, dict), "int"))

    def orders(self, order_ids: Sequence[int],
               statuses: Iterable[OrderStatus | str] | None = None) -> list[InvoiceOrder]:
        """Orders by id (at most 1000 per GetInvoices call), optionally only those in `statuses`."""
        states = [OrderStatus.parse(s).value for s in statuses] if statuses is not None else None
        found: list[InvoiceOrder] = []
        for chunk in _chunks(order_ids):
            search: dict[str, Any] = {"OrderIds": {"int": chunk}}
            if states:
                search["OrderStates"] = {"OrderSlipStateType": states}
            result = self.session.call(
                "GetInvoices",
                lambda: self._invoices.GetInvoices(
                    searchParams=search,
                    invoiceReturnProperties=_strings(INVOICE_RETURN_PROPERTIES),
                    rowReturnProperties=_strings(ROW_RETURN_PROPERTIES),
                ),
            )
            found += _records(InvoiceOrder, result, "InvoiceOrder")
        return found

    def orders_changed_since(self, since: datetime | None,
                             statuses: Iterable[OrderStatus | str] | None = (OrderStatus.CONFIRMED,),
                             ) -> list[InvoiceOrder]:
        """Orders changed at or after `since` (None: all) that are in one of `statuses` (None: any status).

        A refused record comes back with `APIException` set; it is kept, not raised.
        """
        states = [OrderStatus.parse(s) for s in statuses] if statuses is not None else None
        ids = self.order_ids_changed_since(since)
        return self.orders(ids, states) if ids else []

    def set_order_status(self, order_id: int, status: OrderStatus | str) -> RecordError | None:
        """Change an order's status. "Sent" is OrderStatus.SENT ("OrderState_Sent"); plain "Sent" raises ValueError.

        Only OrderId and OrderStatus are sent. The schema requires IncludeVAT, which is nillable: it
        goes as xsi:nil ("no value given"), so the order's VAT setting is left as it is and no extra
        read is needed.
        """
        state = OrderStatus.parse(status)
        return self._save_invoice(order_id, {"OrderStatus": state.value}, field="OrderStatus")

    def set_external_status(self, order_id: int, value: int) -> RecordError | None:
        """Set the integration's own ExternalStatus number on an order."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("ExternalStatus must be an int")
        require_set("ExternalStatus", value)
        return self._save_invoice(order_id, {"ExternalStatus": value}, field="ExternalStatus")

    def _save_invoice(self, order_id: int, changes: dict[str, Any], field: str) -> RecordError | None:
        require_set("OrderId", order_id)
        invoice = {"OrderId": order_id, **changes}  # IncludeVAT left out: rendered as xsi:nil
        result = self.session.call("SaveInvoices",
                                   lambda: self._invoices.SaveInvoices(invoices={"InvoiceOrder": [invoice]}))
        for saved in unwrap_array(serialize_object(result, dict), "InvoiceOrder"):
            problem = saved.get("APIException")
            if problem:
                return RecordError(key=str(order_id), field=field,
                                   message=str(ApiException.model_validate(problem)))
        return None

    # -- companies ---------------------------------------------------------------------------

    def companies_changed_since(self, since: datetime | None) -> list[Company]:
        """Companies changed at or after `since` (None: all). There is no type filter: check `Type`."""
        return self._get_companies({"ChangedAfter": changed_after(since)})

    def companies(self, ids: Sequence[int]) -> list[Company]:
        found: list[Company] = []
        for chunk in _chunks(ids):
            found += self._get_companies({"CompanyIds": {"int": chunk}})
        return found

    def _get_companies(self, search: dict[str, Any]) -> list[Company]:
        result = self.session.call(
            "GetCompanies",
            lambda: self._companies.GetCompanies(searchParams=search,
                                                 returnProperties=_strings(COMPANY_RETURN_PROPERTIES)),
        )
        return _records(Company, result, "Company")

    # -- plumbing ----------------------------------------------------------------------------

    def _proxy(self, service: ErpService, plugins: list[zeep.Plugin]) -> Any:
        _, proxy = build_client(service.wsdl, self.connection.url(service), timeout=self.connection.timeout,
                                session=self.session.http, plugins=plugins)
        return proxy


def changed_after(since: datetime | None) -> datetime:
    """The search value for "changed at or after `since`", in UTC and one second earlier.

    The service rounds the value to the nearest second, so without the step back a record changed
    at `since` could be missed (12:00:00.6 is searched as 12:00:01). With it the search reaches back
    at most 1.5 seconds; the few records seen twice are harmless.
    """
    if since is None:
        return FAR_PAST
    if since.tzinfo is None or since.utcoffset() is None:
        raise ValueError(f"since must be timezone-aware (got naive {since.isoformat()}); the service works in UTC")
    return since.astimezone(timezone.utc) - CURSOR_STEP_BACK


def _strings(values: Sequence[str]) -> dict[str, list[str]]:
    return {"string": list(values)}


def _records(model: type[M], result: Any, item: str) -> list[M]:
    return [model.model_validate(entry) for entry in unwrap_array(serialize_object(result, dict), item)]


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _chunks(ids: Sequence[int], size: int = MAX_IDS_PER_CALL) -> Iterator[list[int]]:
    unique = _unique(ids)
    for start in range(0, len(unique), size):
        yield unique[start:start + size]
