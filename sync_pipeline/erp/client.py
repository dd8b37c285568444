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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from itertools import chain
from typing import Any, TypeVar

import zeep
from zeep.helpers import serialize_object

from sync_pipeline.erp.connection import ErpConnection
from sync_pipeline.erp.fast_decode import FastReader
from sync_pipeline.erp.models import (
    ApiException,
    Company,
    ErpModel,
    InvoiceOrder,
    InvoiceRow,
    OrderShipment,
    OrderStatus,
    Product,
    ProductPages,
)
from sync_pipeline.erp.sentinels import require_set
from sync_pipeline.erp.services import ErpService
from sync_pipeline.erp.session import ErpSession
from sync_pipeline.soap.client import build_client
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.soap.unknown import UnknownElements
from sync_pipeline.soap.values import require_utc, string_array, unwrap_array

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
# What a listing of the whole catalogue asks for: which products there are, how new each is, and the
# number that names a product without an Id (it cannot be read by id, and fails as listed).
PRODUCT_LISTING_PROPERTIES = ("Id", "No", "DateChanged")

MAX_IDS_PER_CALL = 1000  # GetInvoices answers at most 1000 orders; the same bound keeps other id lists small
FAR_PAST = datetime(2000, 1, 1, tzinfo=timezone.utc)  # "everything": the services need some search parameter
CURSOR_STEP_BACK = timedelta(seconds=1)  # the service rounds ChangedAfter/DateChanged to the nearest second
# How far back GetInvoices is asked by ChangedAfter directly; wider ranges time out, so an older
# moment goes the long way (GetOrderSyncList, then GetInvoices by id).
ONE_READ_SPAN = timedelta(hours=6)


class ErpClient:
    """One 24SevenOffice account. Not thread-safe: use one client per thread or process.

    `plugins` (zeep plugins) are added to all four services. Elements of replies that no service
    description defines are skipped and counted in `unknown_elements` (soap/unknown.py).
    `extra_properties` ({"Product": ("ProductCode",), "InvoiceRow": (...), ...}) are asked for besides
    the models' own, for extra fields (mapping.extra.erp_return_properties); records keep them as extras.
    """

    def __init__(self, connection: ErpConnection, plugins: Iterable[zeep.Plugin] = (),
                 extra_properties: Mapping[str, Sequence[str]] | None = None):
        plugins = list(plugins)
        self.connection = connection
        self._properties = _return_properties(extra_properties or {})
        self.unknown_elements = UnknownElements()
        self.session = ErpSession(connection, plugins, unknown_elements=self.unknown_elements)
        self._products = self._proxy(ErpService.PRODUCT, plugins)
        self._invoices = self._proxy(ErpService.INVOICE, plugins)
        self._companies = self._proxy(ErpService.COMPANY, plugins)
        # Large reads skip zeep's slow decoding of replies and give the same records (see fast_decode).
        self._products_reader = FastReader(self._products, "GetProducts", Product, "Product")
        self._invoices_reader = FastReader(self._invoices, "GetInvoices", InvoiceOrder, "InvoiceOrder")
        self._companies_reader = FastReader(self._companies, "GetCompanies", Company, "Company")

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
        return self._get_products({"DateChanged": changed_after(since)})

    def products(self, ids: Sequence[int]) -> list[Product]:
        return _in_chunks(ids, self._products_by_id)

    def product_pages(self, since: datetime | None) -> ProductPages:
        """products_changed_since(since), a page at a time as the caller takes them.

        A delta is one read, one page. The whole catalogue (since None) is listed first (Id, No and
        DateChanged only: a product without an Id comes as listed, to be refused by its mapping) and
        then read by id, MAX_IDS_PER_CALL a request: its first records are
        written while the rest are still to be read, and no reply holds all of it (one of 100,000
        products took the sandbox 26 s to build, and the client 228 MB to hold).
        """
        if since is not None:
            return ProductPages.one_read(self.products_changed_since(since))
        listing = self._search(self._products_reader, {"DateChanged": changed_after(None)}, PRODUCT_LISTING_PROPERTIES)
        ids = [p.Id for p in listing if p.Id is not None]
        without_id = [p for p in listing if p.Id is None]  # no read by id finds them: they go as listed
        newest = max((p.DateChanged for p in listing if p.DateChanged is not None), default=None)
        del listing
        by_id = map(self._products_by_id, id_chunks(ids))
        return ProductPages(chain([without_id], by_id) if without_id else by_id, listed_up_to=newest)

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

    def _products_by_id(self, chunk: list[int]) -> list[Product]:
        return self._get_products({"ProductIds": {"int": chunk}})

    def _get_products(self, search: dict[str, Any]) -> list[Product]:
        return self._search(self._products_reader, search, self._properties["Product"])

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
        return [order for batch in self.order_batches(order_ids, statuses) for order in batch]

    def order_batches(self, order_ids: Sequence[int], statuses: Iterable[OrderStatus | str] | None = None,
                      ) -> Iterator[list[InvoiceOrder]]:
        """Orders by id, one GetInvoices call (up to 1000 ids) at a time."""
        states = [OrderStatus.parse(s).value for s in statuses] if statuses is not None else None

        def get_invoices(chunk: list[int]) -> list[InvoiceOrder]:
            search: dict[str, Any] = {"OrderIds": {"int": chunk}}
            if states:
                search["OrderStates"] = {"OrderSlipStateType": states}
            return self._get_invoices(search)

        return map(get_invoices, id_chunks(order_ids))

    def _get_invoices(self, search: dict[str, Any]) -> list[InvoiceOrder]:
        return self.session.call(
            "GetInvoices",
            lambda: self._invoices_reader(
                searchParams=search,
                invoiceReturnProperties=string_array(self._properties["InvoiceOrder"]),
                rowReturnProperties=string_array(self._properties["InvoiceRow"]),
            ),
        )

    def orders_changed_since(self, since: datetime | None,
                             statuses: Iterable[OrderStatus | str] | None = (OrderStatus.CONFIRMED,),
                             ) -> list[InvoiceOrder]:
        """Orders changed at or after `since` (None: all) that are in one of `statuses` (None: any status).

        A refused record comes back with `APIException` set; it is kept, not raised.
        """
        states = [OrderStatus.parse(s) for s in statuses] if statuses is not None else None
        ids = self.order_ids_changed_since(since)
        return self.orders(ids, states) if ids else []

    def orders_changed_recently(self, since: datetime | None,
                                statuses: Iterable[OrderStatus | str] | None = None) -> list[InvoiceOrder]:
        """orders_changed_since, in one request when `since` is recent (orders_in_one_read).

        A sensor looking every few seconds then pays one request a look instead of two.
        """
        found = self.orders_in_one_read(since, statuses)
        return found if found is not None else self.orders_changed_since(since, statuses)

    def orders_in_one_read(self, since: datetime | None,
                           statuses: Iterable[OrderStatus | str] | None = None) -> list[InvoiceOrder] | None:
        """Orders changed at or after `since` in one GetInvoices by ChangedAfter, instead of GetOrderSyncList
        and GetInvoices by id; None when one read cannot be trusted with it: no `since` or one older than
        ONE_READ_SPAN (wide ranges time out), or a reply as full as the service makes them (it may have
        left orders out). A refused record comes back with `APIException` set.
        """
        if since is None or datetime.now(timezone.utc) - require_utc(since, "since") > ONE_READ_SPAN:
            return None
        search: dict[str, Any] = {"ChangedAfter": changed_after(since)}
        if statuses is not None:
            search["OrderStates"] = {"OrderSlipStateType": [OrderStatus.parse(s).value for s in statuses]}
        found = self._get_invoices(search)
        return found if len(found) < MAX_IDS_PER_CALL else None

    def set_order_status(self, order_id: int, status: OrderStatus | str) -> RecordError | None:
        """Change an order's status. "Sent" is OrderStatus.SENT ("OrderState_Sent"); plain "Sent" raises ValueError.

        Only OrderId and OrderStatus are sent. The schema requires IncludeVAT, which is nillable: it
        goes as xsi:nil ("no value given"), so the order's VAT setting is left as it is and no extra
        read is needed.
        """
        state = OrderStatus.parse(status)
        return self._save_invoice(order_id, {"OrderStatus": state.value}, field="OrderStatus")

    def report_shipment(self, order_id: int, shipment: OrderShipment) -> RecordError | None:
        """Write a shipment to its order in one SaveInvoices: status, free-text fields, delivered rows.

        Rows go as the description has it for changing rows of a saved order: RowId with ChangeState
        Edit and only QuantityDelivered and QuantityRest, so the rows' products, prices and the rows not
        named are left as they are.
        """
        return self.report_shipments({order_id: shipment})[order_id]

    def report_shipments(self, shipments: Mapping[int, OrderShipment]) -> dict[int, RecordError | None]:
        """Write several orders' shipments in one SaveInvoices (its `invoices` is an array).

        The service saves each order on its own and answers each with the order or its APIException:
        a refused order is that order's RecordError, the others are saved.
        """
        return self._save_invoices({order_id: _shipment_changes(shipment) for order_id, shipment in shipments.items()},
                                   field="OrderStatus")

    def _save_invoice(self, order_id: int, changes: dict[str, Any], field: str) -> RecordError | None:
        return self._save_invoices({order_id: changes}, field)[order_id]

    def _save_invoices(self, changes: Mapping[int, dict[str, Any]], field: str) -> dict[int, RecordError | None]:
        """Save `changes` to each order, at most once, in one SaveInvoices.

        A timed-out or garbled reply does not tell whether the save happened (the service may have
        done the work and lost only the answer). So a repeated attempt first reads the orders: those
        that already hold their changes landed in an earlier attempt and are not sent again.
        """
        for order_id in changes:
            require_set("OrderId", order_id)
        outcome: dict[int, RecordError | None] = {order_id: None for order_id in changes}
        attempts = 0
        sent: list[int] = []

        def save() -> Any:
            nonlocal attempts, sent
            attempts += 1
            sent = list(changes) if attempts == 1 else self._orders_lacking(changes)
            if not sent:
                return None
            # IncludeVAT left out: rendered as xsi:nil
            return self._invoices.SaveInvoices(invoices={"InvoiceOrder": [{"OrderId": order_id, **changes[order_id]}
                                                                          for order_id in sent]})

        result = self.session.call("SaveInvoices", save)
        if result is None:  # a reply without SaveInvoicesResult (the description allows it): no order refused
            return outcome
        answers = unwrap_array(serialize_object(result, dict), "InvoiceOrder")
        for position, order_id in enumerate(sent):
            if position >= len(answers):
                outcome[order_id] = RecordError(key=str(order_id), field=field, retryable=True,
                                                message="24SevenOffice answered nothing for this order")
            else:
                outcome[order_id] = _refusal(answers[position], str(order_id), field)
        return outcome

    def _orders_lacking(self, changes: Mapping[int, dict[str, Any]]) -> list[int]:
        """The orders (read inside a call's retry: no retries of their own) not holding their changes yet."""
        fields = sorted({name for change in changes.values() for name in change})
        found = self._invoices_reader(
            searchParams={"OrderIds": {"int": list(changes)}},
            invoiceReturnProperties=string_array(["OrderId", *fields]),
            rowReturnProperties=string_array(ROW_RETURN_PROPERTIES))
        holding = {order.OrderId for order in found
                   if order.OrderId is not None and order.OrderId in changes
                   and all(_holds(getattr(order, name, None), value) for name, value in changes[order.OrderId].items())}
        return [order_id for order_id in changes if order_id not in holding]

    # -- companies ---------------------------------------------------------------------------

    def companies_changed_since(self, since: datetime | None) -> list[Company]:
        """Companies changed at or after `since` (None: all). There is no type filter: check `Type`."""
        return self._get_companies({"ChangedAfter": changed_after(since)})

    def companies(self, ids: Sequence[int]) -> list[Company]:
        return _in_chunks(ids, lambda chunk: self._get_companies({"CompanyIds": {"int": chunk}}))

    def _get_companies(self, search: dict[str, Any]) -> list[Company]:
        return self._search(self._companies_reader, search, self._properties["Company"])

    # -- plumbing ----------------------------------------------------------------------------

    def _search(self, read: FastReader[M], search: dict[str, Any], properties: Sequence[str]) -> list[M]:
        """GetProducts / GetCompanies: the records `search` selects, with the given return properties."""
        returned = string_array(properties)
        return self.session.call(read.operation_name, lambda: read(searchParams=search, returnProperties=returned))

    def _proxy(self, service: ErpService, plugins: list[zeep.Plugin]) -> Any:
        _, proxy = build_client(service.wsdl, self.connection.url(service), timeout=self.connection.timeout,
                                session=self.session.http, plugins=plugins,
                                max_reply_bytes=self.connection.max_reply_bytes,
                                unknown_elements=self.unknown_elements)
        return proxy


def save_refusal(saved: Any, key: str, field: str) -> RecordError | None:
    """The refusal in a SaveInvoices result (zeep's plain values): the first order's APIException, if any.

    TolerantReading has already moved an APIException found deeper in an order (a row, an address) to it.
    """
    for order in unwrap_array(saved, "InvoiceOrder"):
        refused = _refusal(order, key, field)
        if refused is not None:
            return refused
    return None


def _refusal(order: Any, key: str, field: str) -> RecordError | None:
    """One answered order's APIException as its RecordError."""
    problem = order.get("APIException") if isinstance(order, dict) else None
    if problem:
        return RecordError(key=key, field=field, message=str(ApiException.model_validate(problem)))
    return None


def _shipment_changes(shipment: OrderShipment) -> dict[str, Any]:
    """A shipment as the InvoiceOrder fields SaveInvoices changes (see ErpClient.report_shipment)."""
    changes: dict[str, Any] = {"OrderStatus": OrderStatus.parse(shipment.status).value, **shipment.texts}
    if shipment.rows:
        changes["InvoiceRows"] = {"InvoiceRow": [
            {"RowId": require_set("RowId", row.RowId), "ChangeState": "Edit",
             "QuantityDelivered": require_set("QuantityDelivered", row.QuantityDelivered),
             "QuantityRest": require_set("QuantityRest", row.QuantityRest)} for row in shipment.rows]}
    return changes


def _return_properties(extra: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    own = {"Product": PRODUCT_RETURN_PROPERTIES, "InvoiceOrder": INVOICE_RETURN_PROPERTIES,
           "InvoiceRow": ROW_RETURN_PROPERTIES, "Company": COMPANY_RETURN_PROPERTIES}
    unknown = set(extra) - set(own)
    if unknown:
        raise ValueError(f"no return properties for {sorted(unknown)}; records: {', '.join(own)}")
    return {record: tuple(dict.fromkeys((*names, *extra.get(record, ())))) for record, names in own.items()}


def changed_after(since: datetime | None) -> datetime:
    """The search value for "changed at or after `since`", in UTC and one second earlier.

    The service rounds the value to the nearest second, so without the step back a record changed
    at `since` could be missed (12:00:00.6 is searched as 12:00:01). With it the search reaches back
    at most 1.5 seconds; the few records seen twice are harmless.
    """
    if since is None:
        return FAR_PAST
    return require_utc(since, "since") - CURSOR_STEP_BACK


def _holds(current: Any, sent: Any) -> bool:
    """Whether a field read back holds what was sent; sent rows ({"InvoiceRow": [...]}) by RowId, each
    holding its sent values (ChangeState is an instruction, not a value)."""
    if isinstance(sent, dict) and "InvoiceRow" in sent:
        rows = {row.RowId: row for row in current or []}
        return all(row["RowId"] in rows and all(_plain(getattr(rows[row["RowId"]], name, None)) == value
                                                for name, value in row.items() if name != "ChangeState")
                   for row in sent["InvoiceRow"])
    return bool(_plain(current) == sent)


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)  # an enum (OrderStatus) as the text the service uses


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _in_chunks(ids: Sequence[int], fetch: Callable[[list[int]], list[M]]) -> list[M]:
    """fetch(chunk) for every chunk of at most MAX_IDS_PER_CALL distinct ids, the results joined."""
    return [record for chunk in id_chunks(ids) for record in fetch(chunk)]


def id_chunks(ids: Sequence[int], first: int = MAX_IDS_PER_CALL) -> Iterator[list[int]]:
    """The distinct ids in chunks as the reads by id ask for them: `first` of them, then at most MAX_IDS_PER_CALL each."""
    unique = _unique(ids)
    start, size = 0, max(1, min(first, MAX_IDS_PER_CALL))
    while start < len(unique):
        yield unique[start:start + size]
        start, size = start + size, MAX_IDS_PER_CALL
