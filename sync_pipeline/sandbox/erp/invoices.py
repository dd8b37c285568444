"""InvoiceService: GetOrderSyncList, GetInvoices and SaveInvoices over the sandbox's orders.

SaveInvoices on a saved order: the fields sent change, the others are kept. Its rows follow each row's
ChangeState (the description's Add, Edit, Delete, None): Edit changes the fields sent of the row with that
RowId (an unknown RowId refuses the order), Delete removes it, Add appends a row, None leaves it; rows
sent all without a ChangeState (or None) replace the order's rows, as a new order's do. ChangeState is an
instruction, never kept. QuantityDelivered and QuantityRest are stored as sent: the description does not
say the service derives one from the other.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from sync_pipeline.sandbox.erp.auth import Sessions
from sync_pipeline.sandbox.erp.clock import Clock, rounded_to_second
from sync_pipeline.sandbox.erp.companies import Companies
from sync_pipeline.sandbox.erp.errors import INVOICED_ORDER_LOCKED, InvalidRecord, service_fault
from sync_pipeline.sandbox.erp.products import Products
from sync_pipeline.sandbox.erp.records import (
    NOT_SET_INT,
    Document,
    call_key,
    changed_at,
    changed_since,
    from_soap,
    requested,
    to_reply,
)
from sync_pipeline.sandbox.erp.repository import Repository
from sync_pipeline.sandbox.erp.shapes import INVOICE_WSDL, shape_of
from sync_pipeline.sandbox.soap import RequestContext
from sync_pipeline.sandbox.store import Store
from sync_pipeline.sandbox.values import is_set, items
from sync_pipeline.sandbox.views import Frozen

INVOICED_STATES = frozenset({"Invoiced", "InvoicedCashAccount", "InvoicedPack"})
TOTALS = ("OrderTotalIncVat", "OrderTotalVat")  # the service adds the rows up itself
# Row field <- its product's field: what a row takes from its product unless given.
FROM_PRODUCT = (("ProductNo", "No"), ("Name", "Name"), ("Price", "Price"), ("VatRate", "TaxRate"),
                ("InPrice", "InPrice"), ("Cost", "Cost"))
MAX_ORDER_IDS = 1000  # per GetInvoices call
NEW_ORDER_STATUS = "Offer"
# What a query too wide for the service's database answers (a retryable-looking timeout, as in production).
WIDE_QUERY_TIMEOUT = ("Execution Timeout Expired. The timeout period elapsed prior to completion of the "
                      "operation or the server is not responding.")


class Orders(Repository):
    kind = "order"
    key = "OrderId"
    shape = shape_of(INVOICE_WSDL, "InvoiceOrder")
    row_shape = shape.fields["InvoiceRows"].shape
    maintained = (*Repository.maintained, *TOTALS)

    def __init__(self, store: Store, clock: Clock, sessions: Sessions, products: Products, companies: Companies,
                 wide_query_limit: int):
        super().__init__(store, clock, sessions)
        self._products = products
        self._companies = companies
        self._wide_query_limit = wide_query_limit

    def complete(self, document: Document, created: bool) -> None:
        if created:
            document.setdefault("OrderStatus", NEW_ORDER_STATUS)
            document.setdefault("IncludeVAT", True)
            document["_Registered"] = self.clock.stamp().isoformat()
            if "DateOrdered" in self.shape.fields:
                document.setdefault("DateOrdered", self.clock.now().isoformat())
        customer = self._companies.get(document["CustomerId"]) if "CustomerId" in document else None
        for field, company_field in (("CustomerName", "Name"), ("CustomerOrgNo", "OrganizationNumber")):
            if customer and company_field in customer and field in self.shape.fields:
                document.setdefault(field, customer[company_field])
        rows = document.get("InvoiceRows") or []
        next_row_id = max((row.get("RowId", 0) for row in rows), default=0) + 1
        for row in rows:
            if "RowId" not in row:
                row["RowId"], next_row_id = next_row_id, next_row_id + 1
            product = self._products.get(row["ProductId"]) if "ProductId" in row else None
            if product:
                for row_field, product_field in FROM_PRODUCT:
                    if product_field in product and row_field in self.row_shape.fields:
                        row.setdefault(row_field, product[product_field])
        if set(TOTALS) <= set(self.shape.fields):
            document.update(_totals(rows))

    def handlers(self) -> dict:
        return {"GetOrderSyncList": self.get_order_sync_list, "GetInvoices": self.get_invoices,
                "SaveInvoices": self.save_invoices}

    # -- reading ---------------------------------------------------------------------------------

    def get_order_sync_list(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        """Ids of orders changed at or after ChangedAfter, or registered at or after RegisteredAfter."""
        self.sessions.require(context)
        params = values.get("syncParams") or {}
        changed, registered = params.get("ChangedAfter"), params.get("RegisteredAfter")
        found = self.current()
        if is_set(changed) or is_set(registered):
            found = [order for order in found
                     if (is_set(changed) and changed_at(order) >= rounded_to_second(changed))
                     or (is_set(registered) and changed_at(order, "_Registered") >= rounded_to_second(registered))]
        return {"GetOrderSyncListResult": {"int": [order["OrderId"] for order in found]}}

    def get_invoices(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        self.sessions.require(context)
        params = values.get("searchParams") or {}
        order_ids = items(params.get("OrderIds"), "int")
        if len(order_ids) > MAX_ORDER_IDS:
            raise service_fault(f"Too many OrderIds: {len(order_ids)} given, at most {MAX_ORDER_IDS} per call")
        wanted = requested(self.shape, values.get("invoiceReturnProperties"), "invoiceReturnProperties")
        row_wanted = None
        if "InvoiceRows" in wanted:
            row_wanted = requested(self.row_shape, values.get("rowReturnProperties"), "rowReturnProperties")
        found = self.search(params)
        if not order_ids and len(found) > self._wide_query_limit:
            raise service_fault(WIDE_QUERY_TIMEOUT)
        context.record_key = call_key(order["OrderId"] for order in found)
        replies = [to_reply(self.shape, order, wanted, {"InvoiceRows": row_wanted}) for order in found]
        return {"GetInvoicesResult": {"InvoiceOrder": replies}}

    def search(self, params: dict[str, Any]) -> Sequence[Frozen]:
        found = self.current()
        if items(params.get("InvoiceIds"), "int"):
            return []  # no sandbox order has been turned into an invoice with a number
        for parameter, field in (("CustomerIds", "CustomerId"), ("OrderIds", "OrderId"),
                                 ("ExternalStatus", "ExternalStatus")):
            wanted = set(items(params.get(parameter), "int"))
            if wanted:
                found = [order for order in found if order.get(field) in wanted]
        states = set((params.get("OrderStates") or {}).get("OrderSlipStateType") or [])
        if states:
            found = [order for order in found if order.get("OrderStatus") in states]
        return changed_since(found, params.get("ChangedAfter"))

    # -- writing ---------------------------------------------------------------------------------

    def save_invoices(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        """Save each order on its own: a refused one carries an APIException, the others are saved."""
        self.sessions.require(context)
        orders = (values.get("invoices") or {}).get("InvoiceOrder") or []
        with self.store.lock:
            results = [self._save_one(order or {}) for order in orders]
        # Every order saved is named, however many: the call log is how tests count each order's saves.
        context.record_key = call_key((result["OrderId"] for result in results if result.get("OrderId") is not None),
                                      limit=len(results))
        return {"SaveInvoicesResult": {"InvoiceOrder": results}}

    def _save_one(self, item: dict[str, Any]) -> dict[str, Any]:
        order_id = item.get("OrderId")
        order_id = None if order_id == NOT_SET_INT else order_id
        try:
            change = from_soap(self.shape, item)
        except InvalidRecord as error:
            return _refused(order_id, str(error))
        existing = None
        if order_id is not None:
            existing = self.get(order_id)
            if existing is None:
                return _refused(order_id, f"Order {order_id} does not exist")
            if existing.get("OrderStatus") in INVOICED_STATES:
                return _refused(order_id, INVOICED_ORDER_LOCKED)
        elif "CustomerId" not in change:
            return _refused(None, "CustomerId is required to create an order")
        if "InvoiceRows" in change:
            try:
                change["InvoiceRows"] = _rows_after(existing, change["InvoiceRows"])
            except InvalidRecord as error:
                return _refused(order_id, str(error))
        saved = self.upsert([change])[0]
        return to_reply(self.shape, saved)


def _rows_after(existing: Document | None, sent: list[Document]) -> list[Document]:
    """The order's rows after a save sending `sent` (see the module's docstring)."""
    states = [row.pop("ChangeState", "None") for row in sent]
    if existing is None or all(state == "None" for state in states):
        return sent
    rows = [dict(row) for row in existing.get("InvoiceRows") or []]
    for position, (row, state) in enumerate(zip(sent, states)):
        if state == "Add":
            rows.append(row)
            continue
        if state == "None":
            continue
        index = next((i for i, kept in enumerate(rows) if "RowId" in row and kept.get("RowId") == row["RowId"]), None)
        if index is None:
            raise InvalidRecord(f"InvoiceRows[{position}].RowId",
                                f"no row with RowId {row.get('RowId')} to {state.lower()} in this order")
        if state == "Edit":
            rows[index] = {**rows[index], **row}
        else:
            del rows[index]
    return rows


def _totals(rows: list[Document]) -> dict[str, str]:
    """The order's VAT and total including VAT: each row's price × quantity less its discount, plus its VAT."""
    net = vat = Decimal(0)
    for row in rows:
        if "Price" in row and "Quantity" in row:
            amount = Decimal(row["Price"]) * Decimal(row["Quantity"]) * (1 - Decimal(row.get("DiscountRate", 0)) / 100)
            net += amount
            vat += amount * Decimal(row.get("VatRate", 0)) / 100
    cents = Decimal("0.01")
    return {"OrderTotalVat": format(vat.quantize(cents), "f"), "OrderTotalIncVat": format((net + vat).quantize(cents), "f")}


def _refused(order_id: int | None, message: str) -> dict[str, Any]:
    reply: dict[str, Any] = {"IncludeVAT": None, "APIException": {"Type": "Exception", "Message": message}}
    if order_id is not None:
        reply["OrderId"] = order_id
    return reply
