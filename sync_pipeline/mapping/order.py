"""ERP InvoiceOrder -> WMS CustomerOrder business fields (the seed's sales order table).

Result shape (WSDL element names; the WMS client adds the operation/identification elements and
wraps the lines in the schema's array element):
    {"OrderInfo": {...}, "Customer": {..., "InvoiceAddress": {...}},
     "CustomerOrderLines": [{"ProductCode": ..., "ExternalOrderLineCode": ..., "NumberOfItems": ...,
                             "ArticleIdentification": "ProductCode"}, ...]}
When the order has no DeliveryDate, today's date (00:00 UTC) is sent: the WMS requires one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

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


def map_order(
    order: Any,
    company: Any = None,
    extra: Iterable[ExtraField] = (),
    *,
    now: datetime | None = None,
) -> dict[str, Any] | RecordError:
    """The CustomerOrder fields for one order, or why it cannot be sent.

    `company` is the CompanyService record of the order's customer (for the phone and e-mail
    fallbacks); `now` is the clock for the DeliveryDate fallback (default: the current UTC time).
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

    rows = invoice_rows(order)
    if not rows:
        return RecordError(record, "InvoiceOrder ⇒ InvoiceRows is empty: an order without rows cannot be picked", "InvoiceRows")
    line_map = extend_map(ORDER_LINE, extra)
    lines: list[dict[str, Any]] = []
    row_of_code: dict[str, int] = {}
    for index, row in enumerate(rows):
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
