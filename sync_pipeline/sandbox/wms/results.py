"""FileResultClass, the answer of ProcessArticle and ProcessOrder: a refused record is Success=false, not a fault."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """A record the warehouse does not accept; answered with Success=false and this message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def file_result(message: str, *, order_id: int = 0, article_def_id: int | None = None,
                goods_owner_order_number: str | None = None) -> dict[str, Any]:
    return {"ErrorMessage": None, "GoodsOwnerOrderNumber": goods_owner_order_number, "OrderId": order_id,
            "InOrderId": 0, "ArticleDefId": article_def_id, "Success": True, "Message": message}


def refused_result(message: str, *, order_id: int = 0, article_def_id: int | None = None,
                   goods_owner_order_number: str | None = None) -> dict[str, Any]:
    # The text goes in both fields: clients differ in which one they read.
    return {"ErrorMessage": message, "GoodsOwnerOrderNumber": goods_owner_order_number, "OrderId": order_id,
            "InOrderId": 0, "ArticleDefId": article_def_id, "Success": False, "Message": message}
