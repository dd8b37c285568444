"""One ordinary reply of each operation the clients read, in the descriptions' order (hand-written).

Each carries nested records (rows, addresses, lines, tracking) so that every level of a reply can be
altered by the tolerant-reading tests.
"""

from __future__ import annotations

ERP = "http://24sevenOffice.com/webservices"
WMS = "http://ongoingsystems.se/WSI"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def envelope(namespace: str, operation: str, result: str) -> bytes:
    """A reply of `operation`: <Op>Response > <Op>Result > `result` (None: no result element)."""
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP}" xmlns:xsi="{XSI}">'
            f'<soap:Body><{operation}Response xmlns="{namespace}"><{operation}Result>{result}</{operation}Result>'
            f"</{operation}Response></soap:Body></soap:Envelope>").encode()


def fault(message: str) -> bytes:
    return (f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode>'
            f"<faultstring>{message}</faultstring></soap:Fault></soap:Body></soap:Envelope>").encode()


_ADDRESS = "<Street>Storgata 1</Street><PostalCode>0150</PostalCode><Name>Kari</Name><City>Oslo</City>"
_ROW = ("<InvoiceRow><ProductId>{n}</ProductId><RowId>{n}</RowId><Price>149.00</Price><Name>Pledd</Name>"
        "<Quantity>2</Quantity><ProductNo>SKU-{n}</ProductNo></InvoiceRow>")
_ORDER = ("<InvoiceOrder><OrderId>{n}</OrderId><CustomerId>3</CustomerId><CustomerName>Kari Nordmann</CustomerName>"
          f"<Addresses><Post>{_ADDRESS}</Post><Delivery>{_ADDRESS}</Delivery></Addresses>"
          "<OrderStatus>Confirmed</OrderStatus><DateChanged>2024-05-01T08:00:00</DateChanged>"
          "<IncludeVAT>true</IncludeVAT><YourReference>Ola</YourReference>"
          f"<InvoiceRows>{_ROW.format(n=1)}{_ROW.format(n=2)}</InvoiceRows>"
          "<DeliveryDate>2024-06-01T00:00:00</DeliveryDate>"
          "<DeliveryMethod><Id>3</Id><Description>Posten</Description></DeliveryMethod></InvoiceOrder>")
_PRODUCT = ("<Product><Id>{n}</Id><Name>Pledd</Name><Stock>5.000</Stock><InPrice>60</InPrice><Price>149.00</Price>"
            "<No>SKU-{n}</No><DateChanged>2024-05-01T08:00:00</DateChanged><StockControlled>true</StockControlled>"
            "</Product>")
_COMPANY = (f"<Company><Id>{{n}}</Id><Name>Ull AS</Name><Addresses><Post>{_ADDRESS}</Post></Addresses>"
            "<PhoneNumbers><Mobile><Value>+47 900 00 000</Value></Mobile>"
            "<Work><Description>Sentral</Description><Value>+47 55 00 00 00</Value></Work></PhoneNumbers>"
            "<EmailAddresses><Primary><Value>post@ull.example</Value></Primary></EmailAddresses>"
            "<Type>Supplier</Type><DateChanged>2024-05-01T08:00:00</DateChanged></Company>")
_SAVED = (f"<InvoiceOrder><OrderId>7</OrderId><Addresses><Delivery>{_ADDRESS}</Delivery></Addresses>"
          "<OrderStatus>OrderState_Sent</OrderStatus><IncludeVAT xsi:nil=\"true\"/>"
          f"<InvoiceRows>{_ROW.format(n=1)}</InvoiceRows></InvoiceOrder>")

_ARTICLE = ("<Article><SystemId>{n}</SystemId><Name>Pledd</Name><ArticleNumber>SKU-{n}</ArticleNumber>"
            "<ProductCode>P-{n}</ProductCode></Article>")
_LINE = (f"<InventoryLine>{_ARTICLE}<NumberOfBookedItems>2</NumberOfBookedItems><NumberOfItems>7</NumberOfItems>"
         "<NumberOfLockedItems>0</NumberOfLockedItems><LastInDate>2024-01-01T00:00:00</LastInDate>"
         "<ToReceiveNumberOfItems>0</ToReceiveNumberOfItems><AllocatedNumberOfItems>0</AllocatedNumberOfItems>"
         "<LockedForSaleNumberOfItems>0</LockedForSaleNumberOfItems><NumberOfItemsDecimal>7.5</NumberOfItemsDecimal>"
         "<NumberOfBookedItemsDecimal>2</NumberOfBookedItemsDecimal>"
         "<PickedToBeCollectedNumberOfItems>0</PickedToBeCollectedNumberOfItems>"
         "<ReceivedToBeFinishedNumberOfItems>0</ReceivedToBeFinishedNumberOfItems>"
         "<TotalStockValuationPrice>0</TotalStockValuationPrice><SellableNumberOfItems>5.5</SellableNumberOfItems>"
         "</InventoryLine>")
_NOT_SET = "0001-01-01T00:00:00"
_PICKED = (f"<PickedOrderLine>{_ARTICLE}<OrderLineSystemId>10{{n}}</OrderLineSystemId>"
           f"<DeliveryDate>{_NOT_SET}</DeliveryDate><LastPickingTime>{_NOT_SET}</LastPickingTime>"
           f"<StartPickingTime>{_NOT_SET}</StartPickingTime><OrderedNumberOfItems>2</OrderedNumberOfItems>"
           "<PickedNumberOfItems>2</PickedNumberOfItems><ExternalOrderLineCode>{n}</ExternalOrderLineCode>"
           "</PickedOrderLine>")
_WMS_ORDER = ("<Order><Consignee><Id>5</Id><Name>Kari</Name><Address>Storgata 1</Address><Address2>H0101</Address2>"
              "<PostCode>0150</PostCode><City>Oslo</City><CountryCode>NO</CountryCode><IsEuCountry>false</IsEuCountry>"
              "<Email>kari@example.no</Email><NotifyByEmail>false</NotifyByEmail><NotifyBySms>false</NotifyBySms>"
              "<NotifyByTelephone>false</NotifyByTelephone><CustomerNumber>C-3</CustomerNumber>"
              "<InvoiceAddress><AddressId>9</AddressId><Name>Kari</Name><City>Bergen</City></InvoiceAddress>"
              "</Consignee>"
              "<OrderInfo><OrderId>1{n}</OrderId><ReferenceNumber>R-{n}</ReferenceNumber>"
              "<GoodsOwnerOrderNumber>{n}</GoodsOwnerOrderNumber>"
              f"<PickUpDate>{_NOT_SET}</PickUpDate><DeliveryDate>2024-02-01T00:00:00</DeliveryDate>"
              "<CreatedDate>2024-01-01T10:00:00</CreatedDate><ShippedTime>2024-01-03T12:00:00</ShippedTime>"
              f"<ArrivalDate>{_NOT_SET}</ArrivalDate><ArrivalDateFrom>{_NOT_SET}</ArrivalDateFrom>"
              f"<PrintedTime>{_NOT_SET}</PrintedTime><WayBill>WB-{{n}}</WayBill><CustomerPrice>0</CustomerPrice>"
              "<FreightPrice>0</FreightPrice><OrderStatusNumber>450</OrderStatusNumber>"
              "<OrderStatusText>Sent</OrderStatusText></OrderInfo><Success>true</Success>"
              f"<PickedOrderLines>{_PICKED}</PickedOrderLines><ExternalSystemId>0</ExternalSystemId>"
              "<Tracking><OrderTrackingInfo><TrackingUrl>https://track.example/{n}</TrackingUrl>"
              "<Waybill>WB-R{n}</Waybill><Created>2024-01-03T12:00:00</Created><IsReturn>false</IsReturn>"
              "</OrderTrackingInfo></Tracking></Order>")
_FILE_RESULT = ("<GoodsOwnerOrderNumber>1</GoodsOwnerOrderNumber><OrderId>17</OrderId><InOrderId>0</InOrderId>"
                "<ArticleDefId>0</ArticleDefId><Success>true</Success><Message>Created</Message>")

REPLIES: dict[str, bytes] = {
    "GetProducts": envelope(ERP, "GetProducts", _PRODUCT.format(n=1) + _PRODUCT.format(n=2)),
    "GetInvoices": envelope(ERP, "GetInvoices", _ORDER.format(n=7) + _ORDER.format(n=8)),
    "GetCompanies": envelope(ERP, "GetCompanies", _COMPANY.format(n=8)),
    "SaveInvoices": envelope(ERP, "SaveInvoices", _SAVED),
    "GetInventoryByQuery": envelope(WMS, "GetInventoryByQuery", f"<InventoryLines>{_LINE.format(n=1)}"
                                    f"{_LINE.format(n=2)}</InventoryLines><GoodsOwnerId>1</GoodsOwnerId>"),
    "GetOrdersByQuery": envelope(WMS, "GetOrdersByQuery", f"<Orders>{_WMS_ORDER.format(n=1)}</Orders>"),
    "ProcessOrder": envelope(WMS, "ProcessOrder", _FILE_RESULT),
}

# What each reply reads as another operation's reply (the refused "reply of another operation").
OTHER_OPERATION = {"GetProducts": "GetCompanies", "GetInvoices": "SaveInvoices", "GetCompanies": "GetProducts",
                   "SaveInvoices": "GetInvoices", "GetInventoryByQuery": "GetOrdersByQuery",
                   "GetOrdersByQuery": "GetInventoryByQuery", "ProcessOrder": "GetOrdersByQuery"}
