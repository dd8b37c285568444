"""Whatever a client writes is kept and read back where the real service shows it, and the warehouse
fills in what it knows itself.

Articles and orders are written with a value in EVERY element of the real ArticleDefinition and
CustomerOrder (samples.py), through a client of the real description whose requests and replies are
checked against the real schema.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zeep.helpers import serialize_object

from sync_pipeline_tests.conftest import Admin
from sync_pipeline_tests.contracts.real import ONGOING_2024
from sync_pipeline_tests.sandbox.samples import sample
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing, line, order

ARTICLE_INSTRUCTIONS = {"ArticleOperation", "ArticleIdentification", "ArticleSystemId", "MainSupplier"}
INFO_INSTRUCTIONS = {"OrderIdentification", "OrderOperation", "OrderId", "GoodsOwnerOrderNumber"}
CUSTOMER_INSTRUCTIONS = {"CustomerOperation", "CustomerIdentification", "CustomerId", "DeliveryAddressId",
                         "InvoiceAddressId"}
LINE_INSTRUCTIONS = {"OrderLineIdentification", "ArticleIdentification", "SubOrderLineSpecification",
                     "OrderLineSystemId", "ArticleSystemId", "ProductCode"}


def full_article(number: str) -> dict[str, Any]:
    art = sample(ONGOING_2024, "ArticleDefinition")
    art.update(ArticleOperation="CreateOrUpdate", ArticleIdentification="ArticleNumber", ArticleSystemId=None,
               ArticleNumber=number)
    art["MainSupplier"].update(SupplierIdentificationType="SupplierNumber", SupplierOperation="CreateOrUpdate",
                               SupplierNumber="SUP-1")
    return art


def full_order(number: str, article_number: str) -> dict[str, Any]:
    co = sample(ONGOING_2024, "CustomerOrder")
    co["OrderInfo"].update(OrderIdentification="GoodsOwnerOrderNumber", OrderOperation="CreateOrUpdate",
                           GoodsOwnerOrderNumber=number, OrderId=None)
    co["Customer"].update(CustomerOperation="CreateOrUpdate", CustomerIdentification="CustomerNumber", CustomerId=None,
                          DeliveryAddressId=None, InvoiceAddressId=None)
    (order_line,) = co["CustomerOrderLines"]["CustomerOrderLine"]
    order_line.update(OrderLineIdentification="ExternalOrderLineCode", ArticleIdentification="ArticleNumber",
                      ArticleNumber=article_number, NumberOfItems=Decimal(2), ArticleSystemId=None,
                      OrderLineSystemId=None, ProductCode=None)
    return co


def test_every_element_of_an_article_definition_is_kept(ongoing: Ongoing, wms_admin: Admin) -> None:
    art = full_article("SKU-1")

    assert ongoing.call("ProcessArticle", art=art).Success is True

    (stored,) = wms_admin.get("state")["articles"]
    assert set(art) - ARTICLE_INSTRUCTIONS - set(stored) == set()
    assert stored["ArticleGroup"]["ArticleGroupName"] == art["ArticleGroup"]["ArticleGroupName"]
    assert stored["MainSupplierNumber"] == "SUP-1"


def test_an_article_reads_back_where_article_class_shows_it(ongoing: Ongoing) -> None:
    art = full_article("SKU-1")
    ongoing.call("ProcessArticle", art=art)

    shown = ongoing.inventory_of("SKU-1").Article

    same_name = ("ArticleNumber", "ProductCode", "BarCode", "SupplierArticleNumber", "StatisticsNumber",
                 "CountryOfOriginCode", "ArticleUnitCode", "PurchaseCurrencyCode", "BarCodePackage", "BarCodePallet",
                 "LinkToPicture", "CustomsExportConditions", "ArticleReturnHandlingComment",
                 "ArticleCustomsDescription", "Weight", "NetWeight", "Volume", "Length", "Price", "PurchasePrice",
                 "MaxStackNumberOfLevels", "SubQuantityPerItem")
    assert {name: getattr(shown, name) for name in same_name} == {name: art[name] for name in same_name}
    assert (shown.QuantityPerPallet, shown.QuantityPerPackage) == (art["QuantityPerPallet"], art["QuantityPerPackage"])
    assert (shown.Name, shown.Description, shown.FreeDecimal1, shown.FreeBoolean1) == (
        art["ArticleName"], art["ArticleDescription"], art["ArticleFreeDecimal1"], True)
    flattened = {"ArticleGroupCode": art["ArticleGroup"]["ArticleGroupCode"],
                 "ArticleGroupName": art["ArticleGroup"]["ArticleGroupName"],
                 "ArticleCategoryCode": art["ArticleCategory"]["Code"], "VatCode": art["VatCode"]["VatCode"],
                 "VatPercent": art["VatCode"]["VatPercent"], "ColorCode": art["ArticleColor"]["ColorCode"],
                 "ColorName": art["ArticleColor"]["ColorName"], "SizeCode": art["ArticleSize"]["SizeCode"],
                 "SizeName": art["ArticleSize"]["SizeName"], "ArticleStorageClassName": art["StorageClass"]["Name"],
                 "DefaultPickingLocation": art["DefaultLocation"]["LocationName"]}
    assert {name: getattr(shown, name) for name in flattened} == flattened
    (taric,) = shown.TaricNumbers.TaricNumber
    assert (taric.CountryCode, taric.TaricNumber) == (art["TaricNumbers"]["TaricNumber"][0]["Country"]["CountryCode"],
                                                      art["TaricNumbers"]["TaricNumber"][0]["TaricNumber"])
    assert shown.GoodsCategory.Code == art["GoodsCategory"]["GoodsCategoryCode"]
    assert serialize_object(shown.DangerousGoods, dict) == art["DangerousGoods"]
    assert (shown.MainSupplierNumber, shown.MainSupplierName) == ("SUP-1", art["MainSupplier"]["SupplierName"])


def test_every_element_of_a_customer_order_is_kept(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1", ArticleName="Tent")
    co = full_order("ORD-1", "SKU-1")

    assert ongoing.process_order(co).Success is True

    (stored,) = wms_admin.get("state")["orders"]
    assert set(co["OrderInfo"]) - INFO_INSTRUCTIONS - set(stored["OrderInfo"]) == set()
    assert set(co["Customer"]) - CUSTOMER_INSTRUCTIONS - set(stored["Customer"]) == set()
    (sent_line,), (stored_line,) = co["CustomerOrderLines"]["CustomerOrderLine"], stored["Lines"]
    assert set(sent_line) - LINE_INSTRUCTIONS - set(stored_line) == set()
    assert set(co) - {"OrderInfo", "Customer", "CustomerOrderLines"} - set(stored) == set()


def test_an_order_reads_back_where_order_shows_it(ongoing: Ongoing) -> None:
    ongoing.process_article("SKU-1", ArticleName="Tent")
    co = full_order("ORD-1", "SKU-1")
    ongoing.process_order(co)

    shown = ongoing.order("ORD-1")

    customer, info = co["Customer"], co["OrderInfo"]
    consignee = {"Name", "Address", "Address2", "Address3", "PostCode", "City", "CountryCode", "CountryStateCode",
                 "TelePhone", "MobilePhone", "Remark", "Email", "DeliveryInstruction", "CustomerNumber", "DoorCode",
                 "OrganisationNumber"}
    assert {name: getattr(shown.Consignee, name) for name in consignee} == {name: customer[name] for name in consignee}
    assert (shown.Consignee.CustomerVATNumber, shown.Consignee.CustomerGroupCode, shown.Consignee.NotifyBySms) == (
        customer["VATNumber"], customer["CustomerGroup"]["CustomerGroupCode"], True)
    assert (shown.Consignee.InvoiceAddress.Address2, shown.Consignee.InvoiceAddress.Address3) == (
        customer["InvoiceAddress"]["Address2"], customer["InvoiceAddress"]["Address3"])
    order_info = {"ReferenceNumber", "ProfitCenter", "Communication", "GoodsOwnerOrderId", "TransporterOrderNumber",
                  "ConsigneeOrderNumber", "SalesCode", "OrderRemark", "DeliveryInstruction", "WayOfDelivery",
                  "TermsOfDelivery", "TermsOfPayment", "Language", "InvoiceNumber", "ProductionCode", "FreeText1",
                  "FreeText3", "MarketPlace", "MarketPlaceOrderNumber", "WarehouseInstruction", "PickingPriority",
                  "FreightPrice", "CustomerPrice", "ArrivalDate", "OrderFreeDateTime2"}
    assert {name: getattr(shown.OrderInfo, name) for name in order_info} == {name: info[name] for name in order_info}
    assert (shown.OrderInfo.OrderTypeCode, shown.OrderInfo.WayOfDeliveryTypeName, shown.OrderInfo.TermsOfDeliveryType.Code,
            shown.OrderInfo.OrderCustomsInfo.CustomsValueCurrencyCode, shown.OrderInfo.OrderClasses.OrderClassInfo[0].Code,
            shown.OrderInfo.EmailNotification.Value) == (
        info["OrderType"]["OrderTypeCode"], info["WayOfDeliveryType"]["Name"], info["TermsOfDeliveryType"]["Code"],
        info["Customs"]["CustomsValueCurrencyCode"], info["OrderClasses"]["Classes"]["Class"][0]["Code"],
        info["OrderNotification"]["Email"])
    assert shown.CommunicationInfo.MessageId == co["CommunicationInfo"]["MessageId"]
    assert shown.Transporter.Code == co["TransporterContract"]["TransporterCode"]
    (sent_line,), (picked,) = co["CustomerOrderLines"]["CustomerOrderLine"], shown.PickedOrderLines.PickedOrderLine
    same = {"OrderLineComment", "ExternalOrderLineCode", "LinePrice", "Discount", "CurrencyCode", "Batch",
            "OrderLineCaseNo", "CustomerArticleNumber", "OrderLineTotalCustomsValue", "OrderLineFreeText1"}
    assert {name: getattr(picked, name) for name in same} == {name: sent_line[name] for name in same}
    assert (picked.OrderLineWarehouseInstruction, picked.OrderLineType.Code) == (
        sent_line["WarehouseInstruction"], sent_line["OrderLineType"]["Code"])


def test_the_warehouse_fills_held_allocated_and_picked_items_and_tracking(ongoing: Ongoing, wms_admin: Admin) -> None:
    ongoing.process_article("SKU-1", ArticleName="Tent")
    wms_admin.post("stock", {"ArticleNumber": "SKU-1", "NumberOfItems": 10})
    ongoing.process_order(order("ORD-1", [line("1", 3, article_number="SKU-1")]))

    def quantities() -> tuple[Any, ...]:
        stock = ongoing.inventory_of("SKU-1")
        return (stock.NumberOfBookedItems, stock.AllocatedNumberOfItems, stock.PickedToBeCollectedNumberOfItems,
                stock.NumberOfItems)

    assert quantities() == (3, 0, 0, 10)
    assert ongoing.inventory_of("SKU-1").LastInDate is not None, "stock came in"
    ongoing.update_order("ORD-1", status=320)
    assert quantities() == (3, 3, 0, 10)
    assert ongoing.order("ORD-1").PickedOrderLines.PickedOrderLine[0].AllocatedNumberOfItems == 3
    ongoing.update_order("ORD-1", status=400)
    assert quantities() == (3, 3, 3, 10)
    ongoing.update_order("ORD-1", status=450, waybill="70712345678")
    assert quantities() == (0, 0, 0, 7)
    (tracking,) = ongoing.order("ORD-1").Tracking.OrderTrackingInfo
    assert (tracking.Waybill, tracking.IsReturn) == ("70712345678", False)
    assert tracking.TrackingUrl.endswith("70712345678")


def test_the_demo_warehouse_holds_realistic_article_details(ongoing: Ongoing, wms_admin: Admin) -> None:
    wms_admin.post("demo")
    ongoing.process_article("SKU-1004", ArticleName="Strikkede votter")  # as the article sync creates them
    ongoing.process_article("SKU-1005", ArticleName="Skjærefjøl i eik")

    line_4, line_5 = ongoing.inventory_of("SKU-1004"), ongoing.inventory_of("SKU-1005")

    shown = line_4.Article
    assert (shown.Name, shown.ArticleUnitCode, shown.CountryOfOriginCode, shown.ArticleGroupCode, shown.ColorName,
            shown.SizeCode) == ("Strikkede votter", "par", "NO", "TEKSTIL", "Grå", "M")
    assert shown.SupplierArticleNumber and len(shown.StatisticsNumber) == 8 and shown.DefaultPickingLocation
    assert (line_4.ToReceiveNumberOfItems, line_5.ToReceiveNumberOfItems) == (0, 20)
    assert line_5.Article.ColorCode is None, "only clothes have colours and sizes"
