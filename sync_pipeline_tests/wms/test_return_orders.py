"""Reading GetReturnOrdersByQuery's result tolerantly, as the other reads: refusals said, odd records skipped."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from sync_pipeline.wms.models import ReturnOrdersRefused, return_orders_of


def line(line_id: int | None, returned: str = "1") -> dict:
    return {"ReturnOrderLineId": line_id, "ArticleNumber": "SKU-1", "PickedNumberOfItems": Decimal(2),
            "ToBeReturnedNumberOfItems": Decimal(2), "ReturnedNumberOfItems": Decimal(returned)}


def test_a_refused_query_names_its_errors():
    result = {"Success": False, "ReturnOrders": None, "GetReturnOrdersErrors": {"GetReturnOrdersError": [
        {"ErrorType": "LogonError", "Message": "Wrong password"}]}}
    with pytest.raises(ReturnOrdersRefused, match="LogonError: Wrong password"):
        return_orders_of(result)


def test_records_without_their_id_are_skipped_and_not_set_dates_are_none(caplog):
    result = {"Success": True, "ReturnOrders": {"ReturnOrderInfo": [
        {"ReturnOrderId": None, "OrderNumber": "1"},
        {"ReturnOrderId": 7, "OrderId": 3, "OrderNumber": "2", "ReturnInDate": datetime(1, 1, 1),
         "ReturnOrderStatusId": 100, "ReturnCauseName": "Wrong size",
         "ReturnOrderLines": {"ReturnOrderLineInfo": [line(1, "0"), line(None), dict.fromkeys(line(2))]}}]}}

    (found,) = return_orders_of(result)

    assert (found.ReturnOrderId, found.OrderNumber, found.ReturnInDate) == (7, "2", None)
    assert [(x.ReturnOrderLineId, x.ReturnedNumberOfItems) for x in found.Lines] == [(1, Decimal(0))]
    assert found.cause_of(found.Lines[0]) == "Wrong size"
    assert "without ReturnOrderId" in caplog.text and "without ReturnOrderLineId" in caplog.text


def test_an_empty_result_is_no_returns():
    assert return_orders_of({"Success": True, "ReturnOrders": None}) == []
    assert return_orders_of(None) == []
