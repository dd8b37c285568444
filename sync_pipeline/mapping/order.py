"""ERP InvoiceOrder -> WMS CustomerOrder business fields (the seed's sales order table).

Result shape (WSDL element names; the WMS client adds the operation/identification elements and
wraps the lines in the schema's array element):
    {"OrderInfo": {...}, "Customer": {..., "InvoiceAddress": {...}},
     "CustomerOrderLines": [{"ProductCode": ..., "ExternalOrderLineCode": ..., "NumberOfItems": ...,
                             "ArticleIdentification": "ProductCode"}, ...]}
When the order has no DeliveryDate, today's date (00:00 UTC) is sent: the WMS requires one.

Rows without a product (text rows, freight, fees, discounts: no ProductId, or RowType Text/TextBold)
are not lines to pick: they are left out of the WMS order (left_out_rows lists them for the report),
and an order with nothing else is refused. A freight row's text can become the way of delivery of an
order that has none (freight_rows: how the merchant's freight rows read).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, Literal

from ..soap.errors import RecordError
from .engine import FieldProblem, apply_map
from .extra import ExtraField, extend_map
from .fallbacks import MappingContext
from .fieldmaps import CUSTOMER, INVOICE_ADDRESS, ORDER_INFO, ORDER_LINE
from .paths import get_path
from .values import is_not_set, text


def order_key(order: Any) -> str:
    """How errors and logs name an order: its ERP OrderId (the WMS GoodsOwnerOrderNumber)."""
    order_id = get_path(order, "OrderId")
    return "InvoiceOrder (no OrderId)" if is_not_set(order_id) else str(order_id)


def needs_company(order: Any) -> bool:
    """True when the phone or e-mail fallback would look at the customer company.

    Lets the caller fetch companies only for the orders that need them.
    """
    return text(get_path(order, "CustomerDeliveryPhone")) is None or text(get_path(order, "InvoiceEmailAddress")) is None


def invoice_rows(order: Any) -> list[Any]:
    """The order's rows as a list; tolerates None and zeep's {"InvoiceRow": [...]} wrapping."""
    rows = get_path(order, "InvoiceRows")
    if rows is None:
        return []
    if isinstance(rows, Mapping):
        rows = rows.get("InvoiceRow") or []
    return list(rows)


# Whose names a way of delivery keeps: the ERP's (the warehouse's entry renamed to the ERP's name:
# WayOfDeliveryTypeOperation CreateOrUpdate) or the warehouse's (an existing entry linked unchanged: CreateOrFind).
DeliveryNames = Literal["erp", "warehouse"]
DELIVERY_NAME_OPERATIONS: dict[str, str] = {"erp": "CreateOrUpdate", "warehouse": "CreateOrFind"}

# InvoiceRow.Type (the description's RowType) of rows that only carry text.
TEXT_ROW_TYPES = frozenset({"Text", "TextBold"})


def is_product_row(row: Any) -> bool:
    """Whether the row is a line to pick: not one of the ERP's rows (it has a RowId) without a product or
    with text only. A row with neither RowId nor ProductId (a nil or damaged row) is mapped as a line, so
    it refuses its order by the field it lacks rather than letting the order ship without it."""
    if is_not_set(get_path(row, "RowId")):
        return True
    return not is_not_set(get_path(row, "ProductId")) and text(get_path(row, "Type")) not in TEXT_ROW_TYPES


def left_out_rows(order: Any) -> list[dict[str, Any]]:
    """The order's rows that do not go to the warehouse, as the run's report lists them."""
    return [_row_summary(index, row) for index, row in enumerate(invoice_rows(order)) if not is_product_row(row)]


def _row_summary(index: int, row: Any) -> dict[str, Any]:
    summary: dict[str, Any] = {"row": index + 1}
    for name in ("RowId", "Type", "Name", "Quantity", "Price"):
        value = get_path(row, name)
        if not is_not_set(value) and value != "":
            summary[name] = value if isinstance(value, (int, str)) else text(value)
    return summary


def freight_text(order: Any, freight_rows: re.Pattern[str]) -> str | None:
    """The text of the order's first row without a product that reads as freight, if any."""
    for row in invoice_rows(order):
        name = text(get_path(row, "Name"))
        if name and not is_product_row(row) and freight_rows.search(name):
            return name
    return None


def map_order(
    order: Any,
    company: Any = None,
    extra: Iterable[ExtraField] = (),
    *,
    now: datetime | None = None,
    freight_rows: re.Pattern[str] | None = None,
    delivery_names: DeliveryNames = "erp",
) -> dict[str, Any] | RecordError:
    """The CustomerOrder fields for one order, or why it cannot be sent.

    `company` is the CompanyService record of the order's customer (for the phone and e-mail
    fallbacks); `now` is the clock for the DeliveryDate fallback (default: the current UTC time).
    `freight_rows`: a row without a product whose text matches is a freight row, and its text is the
    way of delivery of an order without one (None: off). `delivery_names`: whether the warehouse's
    way of delivery takes the ERP's name ("erp") or keeps its own ("warehouse").
    """
    record = order_key(order)
    _check_company_matches(order, company)
    extra = tuple(extra)
    context = MappingContext(company=company, now=now or datetime.now(timezone.utc))
    try:
        info = apply_map(extend_map(ORDER_INFO, extra), order, context)
        customer = apply_map(extend_map(CUSTOMER, extra), order, context)
        invoice_address = apply_map(extend_map(INVOICE_ADDRESS, extra), order, context)
    except FieldProblem as problem:
        return RecordError(record, problem.message, problem.field)
    if invoice_address:
        customer["InvoiceAddress"] = invoice_address
    if freight_rows is not None and not info.get("WayOfDelivery") and not info.get("WayOfDeliveryType"):
        freight = freight_text(order, freight_rows)
        if freight:
            info["WayOfDelivery"] = freight
            info["WayOfDeliveryType"] = {"Name": freight}
    if info.get("WayOfDeliveryType") and delivery_names != "erp":
        # The ERP's names are the client's default (wms/payloads.py): orders mapped before keep their hash.
        info["WayOfDeliveryType"]["WayOfDeliveryTypeOperation"] = DELIVERY_NAME_OPERATIONS[delivery_names]

    rows = invoice_rows(order)
    if not rows:
        return RecordError(record, "InvoiceOrder ⇒ InvoiceRows is empty: an order without rows cannot be picked", "InvoiceRows")
    if not any(is_product_row(row) for row in rows):
        return RecordError(
            record,
            f"InvoiceOrder ⇒ InvoiceRows has only rows without a product ({len(rows)}: text, freight, fees "
            "or discounts): nothing to pick",
            "InvoiceRows",
        )
    line_map = extend_map(ORDER_LINE, extra)
    lines: list[dict[str, Any]] = []
    row_of_code: dict[str, int] = {}
    for index, row in enumerate(rows):
        if not is_product_row(row):
            continue  # not a line to pick: left_out_rows lists it
        where = f"InvoiceRows[{index}]"
        try:
            line = apply_map(line_map, row, context)
        except FieldProblem as problem:
            row_id = get_path(row, "RowId")
            which = f"row {index + 1}" if is_not_set(row_id) else f"row {index + 1} (RowId {row_id})"
            return RecordError(record, f"{which}: {problem.message}", f"{where}.{problem.field}")
        code = line["ExternalOrderLineCode"]
        if code in row_of_code:
            return RecordError(
                record,
                f"rows {row_of_code[code] + 1} and {index + 1} have the same InvoiceRow ⇒ RowId {code}; "
                "Ongoing WMS needs ExternalOrderLineCode unique within an order",
                f"{where}.RowId",
            )
        row_of_code[code] = index
        lines.append(line)
    return {"OrderInfo": info, "Customer": customer, "CustomerOrderLines": lines}


def _check_company_matches(order: Any, company: Any) -> None:
    if company is None:
        return
    customer_id, company_id = get_path(order, "CustomerId"), get_path(company, "Id")
    if not is_not_set(customer_id) and not is_not_set(company_id) and customer_id != company_id:
        # A caller bug, not a data problem: the wrong company's phone would reach the carrier.
        raise ValueError(f"company {company_id} is not the customer ({customer_id}) of order {order_key(order)}")
