"""The WMS writes, each described once: operation, arguments, record key, and how to read the reply.

The client sends them one by one (WmsClient.process_order, …) or back to back (back_to_back.py);
both read the same descriptions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zeep.helpers import serialize_object

from sync_pipeline.wms import payloads
from sync_pipeline.wms.models import WriteResult


@dataclass(frozen=True)
class WriteCall:
    operation: str
    arguments: dict[str, Any]  # without the credentials, which the client adds
    key: str  # the record, as the WriteResult names it
    reads: Callable[[str, Mapping[str, Any] | None], WriteResult]
    record: Mapping[str, Any] | None = None  # what the call was made from (the mapped article or order)

    def result(self, reply: Any) -> WriteResult:
        return self.reads(self.key, serialize_object(reply, dict))


def article_write(article: Mapping[str, Any]) -> WriteCall:
    """Create or update one article by ArticleNumber (with its MainSupplier, if given)."""
    art = payloads.article_definition(article)
    return WriteCall("ProcessArticle", {"art": art}, art["ArticleNumber"], WriteResult.from_file_result, article)


def order_write(order: Mapping[str, Any]) -> WriteCall:
    """Create or update one customer order by GoodsOwnerOrderNumber."""
    co = payloads.customer_order(order)
    return WriteCall("ProcessOrder", {"co": co}, co["OrderInfo"]["GoodsOwnerOrderNumber"],
                     WriteResult.from_file_result, order)



def order_removal(number: str, delivery_date: datetime) -> WriteCall:
    """Cancel one customer order by GoodsOwnerOrderNumber: ProcessOrder with OrderOperation Remove.

    Ongoing cancels it while the warehouse has not begun picking and answers Success=false after.
    The description requires a DeliveryDate even here: the order's own is sent back.
    """
    info = {"OrderIdentification": "GoodsOwnerOrderNumber", "OrderOperation": "Remove",
            "GoodsOwnerOrderNumber": number, "DeliveryDate": delivery_date}
    return WriteCall("ProcessOrder", {"co": {"OrderInfo": info}}, number, WriteResult.from_file_result)
