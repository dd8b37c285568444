"""Our subset service descriptions agree with the vendors' real ones (../shared/contracts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
import zeep
from lxml import etree

from sync_pipeline_tests.contracts import compare as cmp
from sync_pipeline_tests.contracts.real import (
    ERP_WSDL_DIR,
    ONGOING_2017,
    PROJECT_ROOT,
    REAL_WSDL,
    WMS_WSDL_DIR,
    RealSchemaValidator,
    body_child,
    contracts_dir,
    real_wsdl,
    validate_element,
    validate_envelope,
)

AUTHENTICATE = ERP_WSDL_DIR / "authenticate.wsdl"
PRODUCT = ERP_WSDL_DIR / "product.wsdl"
INVOICE = ERP_WSDL_DIR / "invoice.wsdl"
COMPANY = ERP_WSDL_DIR / "company.wsdl"
ONGOING = WMS_WSDL_DIR / "ongoing.wsdl"
OURS = [AUTHENTICATE, PRODUCT, INVOICE, COMPANY, ONGOING]
ERP_NS = "http://24sevenOffice.com/webservices"
WMS_NS = "http://ongoingsystems.se/WSI"

APPLICATION_ID = "3f2c1a9e-7b4d-4e8a-9c1f-2d5e6a7b8c9d"
NO_IDENTITY = "00000000-0000-0000-0000-000000000000"
T0 = datetime(2024, 5, 1, 6, 30, tzinfo=timezone.utc)
CREDENTIALS = {"GoodsOwnerCode": "ACME", "UserName": "api-user", "Password": "secret"}

def _id(path: Path) -> str:
    return path.name


def _client(ours: Path) -> zeep.Client:
    return zeep.Client(str(ours), settings=zeep.Settings(strict=True, forbid_external=True))


def _our_operations(ours: Path) -> set[str]:
    return set(cmp.load(ours).operations)


# ---------------------------------------------------------------------------------------------
# Sample requests: plausible arguments exercising the nested types. A required nillable element
# left out (or given None) is rendered by zeep as xsi:nil="true"; zeep.xsd.SkipValue would drop
# it altogether, which the real schema rejects (see test_skipping_a_required_element_is_caught).
# ---------------------------------------------------------------------------------------------


def _return_properties(*names: str) -> dict[str, list[str]]:
    return {"string": list(names)}


def _supplier_address() -> dict[str, Any]:
    return {
        "Name": "Nordic Parts AS",
        "Address": "Industriveien 4",
        "PostCode": "0581",
        "City": "Oslo",
        "CountryCode": "NO",
        "IsVisible": True,
        "NotifyBySMS": False,
        "NotifyByEmail": False,
        "NotifyByTelephone": False,
    }


def _article_definition() -> dict[str, Any]:
    return {
        "ArticleOperation": "CreateOrUpdate",
        "ArticleIdentification": "ArticleNumber",
        "ArticleNumber": "SKU-100",
        "ArticleName": "Bolt M8 x 40",
        "ProductCode": "7031234567890",
        "BarCode": "7031234567890",
        "ArticleDescription": "Zinc plated",
        "Weight": Decimal("0.025"),
        "Price": Decimal("12.50"),
        "PurchasePrice": Decimal("4.10"),
        "IsStockArticle": True,
        "MainSupplier": {
            "SupplierIdentificationType": "SupplierNumber",
            "SupplierOperation": "CreateOrUpdate",
            "SupplierNumber": "2001",
            "SupplierName": "Nordic Parts AS",
            "Address": _supplier_address(),
        },
    }


def _customer_order() -> dict[str, Any]:
    return {
        "OrderInfo": {
            "OrderIdentification": "GoodsOwnerOrderNumber",
            "OrderOperation": "CreateOrUpdate",
            "ReferenceNumber": "PO-77",
            "GoodsOwnerOrderNumber": "10042",
            "SalesCode": "WEB",
            "OrderRemark": "Leave at the back door",
            "WayOfDelivery": "Standard",
            "DeliveryDate": T0,
            "WayOfDeliveryType": {
                "WayOfDeliveryTypeOperation": "CreateOrFind",
                "WayOfDeliveryTypeIdentification": "Code",
                "Code": "PN-PARCEL",
                "Name": "Posten parcel",
            },
        },
        "Customer": {
            "CustomerOperation": "CreateOrUpdate",
            "CustomerIdentification": "CustomerNumber",
            "CustomerNumber": "5001",
            "Name": "Kari Nordmann",
            "Address": "Storgata 1",
            "PostCode": "0155",
            "City": "Oslo",
            "TelePhone": "+4722000000",
            "Email": "kari@example.com",
            "CountryCode": "NO",
            "IsVisible": True,
            "NotifyBySMS": True,
            "NotifyByEmail": True,
            "NotifyByTelephone": False,
            "InvoiceAddress": {
                "Name": "Nordmann Holding AS",
                "Address": "Postboks 12",
                "PostCode": "0101",
                "City": "Oslo",
                "CountryCode": "NO",
                "IsVisible": True,
                "NotifyBySMS": False,
                "NotifyByEmail": False,
                "NotifyByTelephone": False,
            },
        },
        "CustomerOrderLines": {
            "CustomerOrderLine": [
                {
                    "OrderLineIdentification": "ExternalOrderLineCode",
                    "ArticleIdentification": "ArticleNumber",
                    "ExternalOrderLineCode": f"10042-{row}",
                    "ArticleNumber": sku,
                    "NumberOfItems": quantity,
                }
                for row, (sku, quantity) in enumerate([("SKU-100", Decimal("4")), ("SKU-200", Decimal("1.5"))], 1)
            ]
        },
    }


def _invoice_order() -> dict[str, Any]:
    address = {"Street": "Storgata 1", "PostalCode": "0155", "PostalArea": "Oslo", "Name": "Kari", "Country": "NO"}
    return {
        "OrderId": 10042,
        "CustomerId": 5001,
        "Addresses": {"Delivery": address, "Invoice": address},
        "OrderStatus": "OrderState_Sent",
        "IncludeVAT": None,  # required and nillable: rendered as xsi:nil
        "ExternalStatus": 2,
        "InvoiceRows": {"InvoiceRow": [{"ProductId": 7, "RowId": 1, "Quantity": Decimal("4")}]},
        "DeliveryMethod": {"Id": 3, "Description": "Posten"},
    }


SAMPLE_REQUESTS: dict[Path, dict[str, dict[str, Any]]] = {
    AUTHENTICATE: {
        "Login": {
            "credential": {
                "ApplicationId": APPLICATION_ID,
                "IdentityId": NO_IDENTITY,
                "Password": "pw",
                "Username": "integration@example.com",
            }
        },
        "HasSession": {},
    },
    PRODUCT: {
        "GetProducts": {
            "searchParams": {"DateChanged": T0, "ProductIds": {"int": [7, 8]}},
            "returnProperties": _return_properties("Id", "No", "Name", "EAN1", "Stock", "StockControlled"),
        },
        "SetStockQuantity": {"productId": 7, "stockQuantity": Decimal("12.5")},
    },
    INVOICE: {
        "GetOrderSyncList": {"syncParams": {"ChangedAfter": T0, "RegisteredAfter": T0}},
        "GetInvoices": {
            "searchParams": {
                "ChangedAfter": T0,
                "OrderStates": {"OrderSlipStateType": ["Confirmed"]},
                "OrderIds": {"int": [10042, 10043]},
                "ExternalStatus": {"int": [0]},
            },
            "invoiceReturnProperties": _return_properties("OrderId", "OrderStatus", "Addresses", "InvoiceRows"),
            "rowReturnProperties": _return_properties("ProductId", "RowId", "Quantity"),
        },
        "SaveInvoices": {"invoices": {"InvoiceOrder": [_invoice_order()]}},
    },
    COMPANY: {
        "GetCompanies": {
            "searchParams": {"CompanyIds": {"int": [2001]}, "ChangedAfter": T0},
            "returnProperties": _return_properties("Id", "Name", "Type", "PhoneNumbers", "EmailAddresses"),
        }
    },
    ONGOING: {
        "ProcessArticle": {**CREDENTIALS, "art": _article_definition()},
        "ProcessOrder": {**CREDENTIALS, "co": _customer_order()},
        "GetInventoryByQuery": {
            **CREDENTIALS,
            "GetInventoryQuery": {
                "ArticleNumbersToGet": {"string": ["SKU-100", "SKU-200"]},
                "StockInfoChangedFrom": T0,
                "MaxArticlesToGet": 500,
                "ArticleSystemIdFrom": 0,
            },
        },
        "GetOrdersByQuery": {
            **CREDENTIALS,
            "query": {
                "OrderStatusFrom": 400,
                "OrderStatusTo": 450,
                "OrderNumbersToGet": {"string": ["10042"]},
                "MaxOrdersToGet": 100,
                "OrderIdFrom": 0,
                "OrderStatusChangedTimeFrom": T0,
            },
        },
        "GetOrderStatuses": dict(CREDENTIALS),
        "GetInventoryChanges": {
            **CREDENTIALS,
            "query": {"FromDate": None, "ToDate": None, "InventoryId": None, "UnReported": True, "ToTime": None},
        },
        "SetInventoryChangesToReported": {**CREDENTIALS, "Operation": {"ArticleSystemId": 501, "InventoryId": 7}},
        "GetReturnOrdersByQuery": {
            **CREDENTIALS,
            "ReturnOrdersQuery": {"CustomerOrderNumbersToGet": {"string": ["10042"]}, "GoodsReturnedFromDate": T0},
        },
        "UpdateOrder": {
            **CREDENTIALS,
            "updateOrder": {
                "OrderUpdateIdentification": {
                    "OrderIdentificationType": "GoodsOwnerOrderNumber",
                    "GoodsOwnerOrderNumber": "10042",
                },
                "UpdateOrderStatus": {"OrderStatus": 450},
                "UpdateOrderWaybill": {"Waybill": "70701234567"},
            },
        },
    },
}


# ---------------------------------------------------------------------------------------------
# Sample replies, rendered from OUR description the way the sandboxes do.
# ---------------------------------------------------------------------------------------------


def _article_class() -> dict[str, Any]:
    return {
        "SystemId": 501,
        "Name": "Bolt M8 x 40",
        "ArticleNumber": "SKU-100",
        "IsStockArticle": True,
        "ArticleKind": "Stock",
        "FreeBoolean1": False,
        "FreeBoolean2": False,
        "FreeBoolean3": False,
    }


def _inventory_line() -> dict[str, Any]:
    decimals = [
        "NumberOfLockedItems", "ToReceiveNumberOfItems", "LockedForSaleNumberOfItems", "NumberOfBookedItemsDecimal",
        "PickedToBeCollectedNumberOfItems", "ReceivedToBeFinishedNumberOfItems", "TotalStockValuationPrice",
        "PickedToBeReportedNumberOfItems", "ReturnedToBeReportedNumberOfItems", "ReceivedToBeReportedNumberOfItems",
    ]  # fmt: skip
    return {
        "Article": _article_class(),
        "NumberOfBookedItems": 2,
        "NumberOfItems": 10,
        **{name: Decimal("0") for name in decimals},
        "NumberOfItemsDecimal": Decimal("10"),
        "SellableNumberOfItems": Decimal("-1"),  # sellable stock may be negative
    }


def _order() -> dict[str, Any]:
    times = ["PickUpDate", "DeliveryDate", "CreatedDate", "ShippedTime", "ArrivalDate", "ArrivalDateFrom"]
    times.append("PrintedTime")
    return {
        "Consignee": {"Id": 9, "Name": "Kari", "IsEuCountry": False, "NotifyByEmail": True, "NotifyBySms": False},
        "OrderInfo": {
            "OrderId": 77,
            "GoodsOwnerOrderNumber": "10042",
            **{name: T0 for name in times},
            "WayBill": "70701234567",
            "OrderStatusNumber": 450,
            "OrderStatusText": "Sent",
            "PickedNumberOfItems": Decimal("5.5"),
            "OrderedNumberOfItems": Decimal("5.5"),
        },
        "Success": True,
        "PickedOrderLines": {
            "PickedOrderLine": [
                {
                    "Article": _article_class(),
                    "OrderLineSystemId": 1,
                    "OrderedNumberOfItems": Decimal("4"),
                    "PickedNumberOfItems": Decimal("4"),
                    "ExternalOrderLineCode": "10042-1",
                    "IsParentLine": False,
                    "DoPick": True,
                    "AllocatedNumberOfItems": Decimal("4"),
                    "IsPickedWithErrors": False,
                    "ReturnedNumberOfItems": Decimal("0"),
                    "PackedNumberOfItems": Decimal("4"),
                }
            ]
        },
        "ExternalSystemId": 0,
        "Tracking": {"OrderTrackingInfo": [{"Waybill": "70701234567", "Created": T0, "IsReturn": False}]},
    }


def _file_result() -> dict[str, Any]:
    return {"OrderId": 77, "InOrderId": 0, "ArticleDefId": None, "Success": True, "GoodsOwnerOrderNumber": "10042"}


def _company() -> dict[str, Any]:
    return {
        "Id": 2001,
        "Name": "Nordic Parts AS",
        "PhoneNumbers": {"Work": {"Value": "+4722000001"}},
        "EmailAddresses": {"Invoice": {"Description": "Invoice", "Name": "Nordic", "Value": "invoice@example.com"}},
        "Type": "Supplier",
        "DateChanged": T0,
    }


SAMPLE_REPLIES: dict[Path, dict[str, dict[str, Any]]] = {
    AUTHENTICATE: {
        "Login": {"LoginResult": "0123456789abcdef"},
        "HasSession": {"HasSessionResult": True},
    },
    PRODUCT: {
        "GetProducts": {
            "GetProductsResult": {
                "Product": [{"Id": 7, "No": "SKU-100", "Name": "Bolt", "Stock": Decimal("3"), "StockControlled": True}]
            }
        },
        "SetStockQuantity": {"SetStockQuantityResult": True},
    },
    INVOICE: {
        "GetOrderSyncList": {"GetOrderSyncListResult": {"int": [10042, 10043]}},
        "GetInvoices": {"GetInvoicesResult": {"InvoiceOrder": [_invoice_order()]}},
        "SaveInvoices": {
            "SaveInvoicesResult": {
                "InvoiceOrder": [{"OrderId": 10042, "IncludeVAT": None, "APIException": {"Message": "Invoiced"}}]
            }
        },
    },
    COMPANY: {"GetCompanies": {"GetCompaniesResult": {"Company": [_company()]}}},
    ONGOING: {
        "ProcessArticle": {"ProcessArticleResult": {**_file_result(), "ArticleDefId": 501}},
        "ProcessOrder": {"ProcessOrderResult": _file_result()},
        "GetInventoryByQuery": {
            "GetInventoryByQueryResult": {"InventoryLines": {"InventoryLine": [_inventory_line()]}, "GoodsOwnerId": 1}
        },
        "GetOrdersByQuery": {"GetOrdersByQueryResult": {"Orders": {"Order": [_order()]}}},
        "GetOrderStatuses": {
            "GetOrderStatusesResult": {
                "OrderStatuses": {"OrderStatus": [{"OrderStatusId": 450, "OrderStatusName": "Sent"}]}
            }
        },
        "UpdateOrder": {"UpdateOrderResult": {"Success": True, "OrderId": 77}},
        "GetInventoryChanges": {"GetInventoryChangesResult": {"GoodsOwnerId": 1, "InventoryChangeLines": {
            "InventoryChangeLine": [{"Article": _article_class(),
                                     "InventoryChangesNumberOfItems": Decimal("-2"),
                                     "InventoryTransactions": {"InventoryTransaction": [{
                                         "InventoryChangesNumberOfItems": Decimal("-2"), "InventoryTime": T0,
                                         "InventoryId": 7, "LocationIsLocked": False, "ExpiryDate": None,
                                         "ByInventoryCountTask": False, "WarehouseId": 1,
                                         "LocationIsLockedForSale": False}]}}]}}},
        "SetInventoryChangesToReported": {"SetInventoryChangesToReportedResult": {"Success": True}},
        "GetReturnOrdersByQuery": {"GetReturnOrdersByQueryResult": {"Success": True, "ReturnOrders": {"ReturnOrderInfo": [{
            "OrderId": 77, "OrderNumber": "10042", "ReturnOrderId": 5, "ReturnOrderNumber": "R-10042",
            "ReturnInDate": T0, "ReturnCauseCode": "DMG", "ReturnCauseName": "Damaged", "ReturnCauseId": 3,
            "ReturnOrderStatusId": 100, "ReturnOrderStatusText": "Returned",
            "ReturnOrderLines": {"ReturnOrderLineInfo": [{
                "ArticleNumber": "SKU-100", "ReturnOrderLineId": 9, "ExternalOrderLineCode": "1",
                "PickedNumberOfItems": Decimal("2"), "ToBeReturnedNumberOfItems": Decimal("2"),
                "ReturnedNumberOfItems": Decimal("1"), "ReturnCauseId": None, "ParentReturnOrderLineId": None,
                "ReturnedRemovedByInventoryNumberOfItems": Decimal("0")}]}}]}}},
    },
}

REQUEST_CASES = [(ours, op) for ours, ops in SAMPLE_REQUESTS.items() for op in ops]
REPLY_CASES = [(ours, op) for ours, ops in SAMPLE_REPLIES.items() for op in ops]


def _case_id(case: Any) -> str:
    return case.name if isinstance(case, Path) else str(case)


def render_reply(client: zeep.Client, ours: Path, operation: str, values: dict[str, Any]) -> etree._Element:
    """A reply wrapper element rendered from our description (as the sandboxes do)."""
    output_element = cmp.load(ours).operations[operation].output_element
    element = client.get_element(output_element)
    parent = etree.Element("parent")
    element.render(parent, element(**values))
    return parent[0]


# ---------------------------------------------------------------------------------------------
# The real files are there, and the schema built from them really validates.
# ---------------------------------------------------------------------------------------------


def test_contracts_dir_holds_every_real_file() -> None:
    for names in REAL_WSDL.values():
        for name in names:
            assert (contracts_dir() / name).is_file(), name


def test_contracts_dir_raises_for_a_wrong_env_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SYNC_CONTRACTS_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="SYNC_CONTRACTS_DIR"):
        contracts_dir()


def test_contracts_dir_follows_the_env_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SYNC_CONTRACTS_DIR", str(tmp_path))
    assert contracts_dir() == tmp_path


def test_real_files_are_not_copied_into_the_project() -> None:
    real_texts = {(contracts_dir() / n).read_bytes() for names in REAL_WSDL.values() for n in names}
    project_files = [p for p in PROJECT_ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts]
    descriptions = [p for p in project_files if p.is_file() and p.suffix in (".wsdl", ".xsd", ".xml")]
    copies = [p for p in descriptions if p.read_bytes() in real_texts]
    assert copies == []


def test_real_schema_rejects_what_the_real_types_forbid() -> None:
    real = real_wsdl(AUTHENTICATE)
    valid = etree.fromstring(
        f'<Login xmlns="{ERP_NS}"><credential><ApplicationId>{APPLICATION_ID}</ApplicationId></credential></Login>'
    )
    validate_element(real, valid)

    bad_guid = etree.fromstring(
        f'<Login xmlns="{ERP_NS}"><credential><ApplicationId>x</ApplicationId></credential></Login>'
    )
    with pytest.raises(AssertionError, match="pattern"):
        validate_element(real, bad_guid)

    unknown = etree.fromstring(f'<NoSuchOperation xmlns="{ERP_NS}"/>')
    with pytest.raises(AssertionError, match="No matching global declaration"):
        validate_element(real, unknown)


# ---------------------------------------------------------------------------------------------
# Our descriptions agree with the real ones.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ours", OURS, ids=_id)
def test_subset_agrees_with_the_real_description(ours: Path) -> None:
    assert cmp.compare(ours, real_wsdl(ours)) == []


@pytest.mark.parametrize("ours", OURS, ids=_id)
def test_subset_declares_operations_and_types(ours: Path) -> None:
    # guards against a comparator that passes because it found nothing to compare
    description = cmp.load(ours)
    assert description.operations
    assert all(schema.elements for schema in description.schemas.values() if schema.complex_types)


@pytest.mark.parametrize("ours", [AUTHENTICATE, PRODUCT, INVOICE, COMPANY], ids=_id)
def test_erp_endpoints_are_the_real_ones(ours: Path) -> None:
    def soap11_addresses(path: Path) -> set[str]:
        ns = {"soap": cmp.SOAP11}
        return set(etree.parse(str(path)).xpath("//soap:address/@location", namespaces=ns))

    assert soap11_addresses(ours) <= soap11_addresses(real_wsdl(ours))
    assert soap11_addresses(ours)


def _request_wrapper_children(description: cmp.Description, operation: str) -> list[str]:
    qname = etree.QName(description.operations[operation].input_element)
    wrapper = description.schemas[qname.namespace].elements[qname.localname]
    return [p.name for p in cmp.content_model(wrapper.find(f"{{{cmp.XSD}}}complexType")).particles]


_WRAPPER_CASES = [
    pytest.param(ours, op, id=f"{ours.name}-{op}") for ours in OURS for op in sorted(_our_operations(ours))
]


@pytest.mark.parametrize("ours, operation", _WRAPPER_CASES)
def test_request_wrappers_keep_every_parameter(ours: Path, operation: str) -> None:
    # A parameter left out of a request wrapper cannot be sent at all (e.g. the credentials).
    ours_children = _request_wrapper_children(cmp.load(ours), operation)
    real_children = _request_wrapper_children(cmp.load(real_wsdl(ours)), operation)
    assert ours_children == real_children


# ---------------------------------------------------------------------------------------------
# Ongoing: we follow the 2024 description; this is what the 2017 one lacks.
# ---------------------------------------------------------------------------------------------


def test_ongoing_subset_uses_nothing_the_2024_description_lacks() -> None:
    assert cmp.missing_in(ONGOING, real_wsdl(ONGOING)) == []


def test_ongoing_2017_differs_only_by_lacking_things() -> None:
    problems = cmp.compare(ONGOING, contracts_dir() / ONGOING_2017)
    assert problems
    lacking = ("does not exist in the real", "enumeration values not in the real type")
    # The elements the 2024 description relaxed: required (nil allowed) in 2017, optional since.
    # The clients never send OrderSpecialFilters, so requests are valid against both; GoodsReturnedFromDate
    # is sent on every delta read of returns and left out only to read them all (as the 2024 one allows).
    relaxed = [
        "complexType OrderSpecialFilters.OnlyOrdersWithOrderLinesToReport: minOccurs ours='0' real='1'",
        "complexType OrderSpecialFilters.OnlyOrdersWithOrderLinesToReport: nillable ours='false' real='true'",
        "complexType GetReturnOrdersQuery.GoodsReturnedFromDate: minOccurs ours='0' real='1'",
        "complexType GetReturnOrdersQuery.GoodsReturnedFromDate: nillable ours='false' real='true'",
    ]
    unexplained = [p for p in problems if not any(reason in p for reason in lacking)]
    assert unexplained == relaxed


# ---------------------------------------------------------------------------------------------
# The comparator can fail: modified copies of our descriptions.
# ---------------------------------------------------------------------------------------------

XS = {"s": cmp.XSD, "wsdl": cmp.WSDL, "soap": cmp.SOAP11}


def _mutated_copy(source: Path, tmp_path: Path, *mutations: Callable[[etree._ElementTree], None]) -> Path:
    tree = etree.parse(str(source))
    for mutate in mutations:
        mutate(tree)
    target = tmp_path / source.name
    tree.write(str(target), xml_declaration=True, encoding="utf-8")
    return target


def _one(tree: etree._ElementTree, xpath: str) -> etree._Element:
    found = tree.xpath(xpath, namespaces=XS)
    assert len(found) == 1, xpath
    return found[0]


def rename_product_no(tree: etree._ElementTree) -> None:
    _one(tree, "//s:complexType[@name='InvoiceRow']//s:element[@name='ProductNo']").set("name", "ProductNumber")


def swap_street_and_state(tree: etree._ElementTree) -> None:
    street = _one(tree, "//s:complexType[@name='Address']//s:element[@name='Street']")
    street.getparent().remove(street)
    _one(tree, "//s:complexType[@name='Address']//s:element[@name='State']").addnext(street)


def drop_include_vat(tree: etree._ElementTree) -> None:
    element = _one(tree, "//s:complexType[@name='InvoiceOrder']//s:element[@name='IncludeVAT']")
    element.getparent().remove(element)


def make_order_id_required(tree: etree._ElementTree) -> None:
    _one(tree, "//s:complexType[@name='InvoiceOrder']//s:element[@name='OrderId']").set("minOccurs", "1")


def change_quantity_type(tree: etree._ElementTree) -> None:
    _one(tree, "//s:complexType[@name='InvoiceRow']//s:element[@name='Quantity']").set("type", "s:int")


def drop_nillable(tree: etree._ElementTree) -> None:
    del _one(tree, "//s:complexType[@name='ArrayOfInvoiceOrder']/s:sequence/s:element").attrib["nillable"]


def change_sentinel(tree: etree._ElementTree) -> None:
    _one(tree, "//s:complexType[@name='InvoiceRow']//s:element[@name='RowId']").set("default", "0")


def drop_enumeration(tree: etree._ElementTree) -> None:
    value = _one(tree, "//s:simpleType[@name='OrderSlipStateType']//s:enumeration[@value='Draft']")
    value.getparent().remove(value)


def add_enumeration(tree: etree._ElementTree) -> None:
    restriction = _one(tree, "//s:simpleType[@name='OrderSlipStateType']/s:restriction")
    etree.SubElement(restriction, f"{{{cmp.XSD}}}enumeration", value="Shipped")


def add_unknown_type(tree: etree._ElementTree) -> None:
    schema = _one(tree, "//s:schema[@targetNamespace='http://24sevenOffice.com/webservices']")
    etree.SubElement(schema, f"{{{cmp.XSD}}}complexType", name="ShipmentNotice")


def rename_wrapper_parameter(tree: etree._ElementTree) -> None:
    _one(tree, "//s:element[@name='GetInvoices']//s:element[@name='searchParams']").set("name", "search")


def change_soap_action(tree: etree._ElementTree) -> None:
    _one(tree, "//soap:operation[@soapAction='http://24sevenOffice.com/webservices/GetInvoices']").set(
        "soapAction", "http://24sevenOffice.com/webservices/GetInvoice"
    )


def make_rpc(tree: etree._ElementTree) -> None:
    _one(tree, "//wsdl:binding/wsdl:operation[@name='SaveInvoices']/soap:operation").set("style", "rpc")


def swap_output_element(tree: etree._ElementTree) -> None:
    _one(tree, "//wsdl:message[@name='SaveInvoicesSoapOut']/wsdl:part").set("element", "tns:GetInvoicesResponse")


def unqualify_elements(tree: etree._ElementTree) -> None:
    schema = _one(tree, "//s:schema[@targetNamespace='http://24sevenOffice.com/webservices']")
    schema.set("elementFormDefault", "unqualified")


MUTATIONS = [
    (rename_product_no, "complexType InvoiceRow: element 'ProductNumber' does not exist in the real type"),
    (swap_street_and_state,
     "complexType Address: element 'Street' follows 'State' in ours but precedes it in the real type"),
    (drop_include_vat, "complexType InvoiceOrder: required element 'IncludeVAT' (minOccurs=1) is missing"),
    (make_order_id_required, "complexType InvoiceOrder.OrderId: minOccurs ours='1' real='0'"),
    (change_quantity_type,
     "complexType InvoiceRow.Quantity: type ours='{http://www.w3.org/2001/XMLSchema}int' "
     "real='{http://www.w3.org/2001/XMLSchema}decimal'"),
    (drop_nillable, "complexType ArrayOfInvoiceOrder.InvoiceOrder: nillable ours='false' real='true'"),
    (change_sentinel, "complexType InvoiceRow.RowId: default ours='0' real='-2147483648'"),
    (drop_enumeration, "simpleType OrderSlipStateType: enumeration values of the real type missing in ours: ['Draft']"),
    (add_enumeration, "simpleType OrderSlipStateType: enumeration values not in the real type: ['Shipped']"),
    (add_unknown_type, "complexType ShipmentNotice: does not exist in the real description"),
    (rename_wrapper_parameter, "element GetInvoices: element 'search' does not exist in the real type"),
    (change_soap_action,
     "operation GetInvoices: soap_action ours='http://24sevenOffice.com/webservices/GetInvoice' "
     "real='http://24sevenOffice.com/webservices/GetInvoices'"),
    (swap_output_element,
     "operation SaveInvoices: output_element ours='{http://24sevenOffice.com/webservices}GetInvoicesResponse' "
     "real='{http://24sevenOffice.com/webservices}SaveInvoicesResponse'"),
    (unqualify_elements,
     "schema http://24sevenOffice.com/webservices: elementFormDefault ours='unqualified' real='qualified'"),
]


def test_unmodified_copy_agrees(tmp_path: Path) -> None:
    assert cmp.compare(_mutated_copy(INVOICE, tmp_path), real_wsdl(INVOICE)) == []


@pytest.mark.parametrize("mutation, expected", MUTATIONS, ids=[m.__name__ for m, _ in MUTATIONS])
def test_comparator_reports_the_change(tmp_path: Path, mutation: Callable, expected: str) -> None:
    assert cmp.compare(_mutated_copy(INVOICE, tmp_path, mutation), real_wsdl(INVOICE)) == [expected]


def test_comparator_reports_rpc_style(tmp_path: Path) -> None:
    problems = cmp.compare(_mutated_copy(INVOICE, tmp_path, make_rpc), real_wsdl(INVOICE))
    assert problems == [
        "operation SaveInvoices: ours is not document/literal (rpc/literal/literal)",
        "operation SaveInvoices: style ours='rpc' real='document'",
    ]


def test_comparator_reports_each_of_several_changes(tmp_path: Path) -> None:
    copy = _mutated_copy(INVOICE, tmp_path, rename_product_no, swap_street_and_state, drop_include_vat)
    problems = cmp.compare(copy, real_wsdl(INVOICE))
    assert sorted(problems) == sorted(expected for m, expected in MUTATIONS[:3])


def test_comparator_finds_a_dropped_ongoing_requirement(tmp_path: Path) -> None:
    def drop_delivery_date(tree: etree._ElementTree) -> None:
        element = _one(tree, "//s:complexType[@name='OrderInfoClass']//s:element[@name='DeliveryDate']")
        element.getparent().remove(element)

    problems = cmp.compare(_mutated_copy(ONGOING, tmp_path, drop_delivery_date), real_wsdl(ONGOING))
    assert problems == ["complexType OrderInfoClass: required element 'DeliveryDate' (minOccurs=1) is missing"]


# ---------------------------------------------------------------------------------------------
# zeep loads our descriptions, and what it builds from them matches the real schemas.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ours", OURS, ids=_id)
def test_samples_cover_every_operation(ours: Path) -> None:
    assert set(SAMPLE_REQUESTS[ours]) == _our_operations(ours)
    assert set(SAMPLE_REPLIES[ours]) == _our_operations(ours)


@pytest.mark.parametrize("ours", OURS, ids=_id)
def test_zeep_loads_our_description(ours: Path) -> None:
    client = _client(ours)
    bindings = list(client.wsdl.bindings.values())
    assert len(bindings) == 1
    assert set(bindings[0]._operations) == _our_operations(ours)


@pytest.mark.parametrize("ours, operation", REQUEST_CASES, ids=_case_id)
def test_request_built_from_ours_matches_the_real_schema(ours: Path, operation: str) -> None:
    client = _client(ours)
    envelope = client.create_message(client.service, operation, **SAMPLE_REQUESTS[ours][operation])
    child = validate_envelope(real_wsdl(ours), envelope)
    assert etree.QName(child).localname == operation


@pytest.mark.parametrize("ours, operation", REPLY_CASES, ids=_case_id)
def test_reply_rendered_from_ours_matches_the_real_schema(ours: Path, operation: str) -> None:
    reply = render_reply(_client(ours), ours, operation, SAMPLE_REPLIES[ours][operation])
    validate_element(real_wsdl(ours), reply)
    assert etree.QName(reply).localname == f"{operation}Response"


def test_required_nillable_elements_render_as_nil() -> None:
    client = _client(ONGOING)
    envelope = client.create_message(client.service, "ProcessArticle", **SAMPLE_REQUESTS[ONGOING]["ProcessArticle"])
    system_id = body_child(envelope).find(f".//{{{WMS_NS}}}ArticleSystemId")
    assert system_id is not None
    assert system_id.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"


def test_skipping_a_required_element_is_caught() -> None:
    client = _client(ONGOING)
    args = SAMPLE_REQUESTS[ONGOING]["ProcessArticle"]
    art = {**args["art"], "ArticleSystemId": zeep.xsd.SkipValue}
    envelope = client.create_message(client.service, "ProcessArticle", **{**args, "art": art})
    with pytest.raises(AssertionError, match="ArticleSystemId"):
        validate_envelope(real_wsdl(ONGOING), envelope)


SENTINELS = {
    "int": "-2147483648",
    "decimal": "-79228162514264337593543950335",
    "dateTime": "0001-01-01T00:00:00",
    "guid": NO_IDENTITY,
    "short": "-32768",
}
# Defaults of the real records that are values, not "not set" markers (Company.Discount 0.0,
# InvoiceOrder.Rate 1, InvoiceRow.Unit 1, Company.AccountDebit/AccountCredit 0).
GENUINE_DEFAULTS = {("decimal", "0.0"), ("decimal", "1"), ("short", "0"), ("short", "1")}


def test_our_numeric_and_date_defaults_are_the_not_set_sentinels() -> None:
    # compare() already holds each default equal to the real one; this pins what "not set" looks like
    # (the real files also carry a few genuine defaults, e.g. Discount 0.0, which we do not use).
    defaults = {
        (etree.QName(_resolve_type(e)).localname, e.get("default"))
        for ours in (AUTHENTICATE, PRODUCT, INVOICE, COMPANY)
        for e in etree.parse(str(ours)).xpath("//s:element[@default]", namespaces=XS)
    }
    assert {(t, v) for t, v in defaults if t in SENTINELS} - GENUINE_DEFAULTS == set(SENTINELS.items())


def _resolve_type(element: etree._Element) -> str:
    prefix, _, local = element.get("type").rpartition(":")
    return f"{{{element.nsmap[prefix or None]}}}{local}"


# ---------------------------------------------------------------------------------------------
# The zeep plugin validates what a client really sends and receives.
# ---------------------------------------------------------------------------------------------


class CannedTransport(zeep.Transport):
    """Answers every POST with one canned envelope; records what was posted."""

    def __init__(self, reply: bytes):
        super().__init__()
        self.reply = reply
        self.posted: list[bytes] = []

    def post_xml(self, address: str, envelope: etree._Element, headers: dict) -> requests.Response:
        self.posted.append(etree.tostring(envelope))
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "text/xml; charset=utf-8"
        response._content = self.reply
        return response


def _envelope(child: etree._Element) -> bytes:
    envelope = etree.Element("{http://schemas.xmlsoap.org/soap/envelope/}Envelope")
    etree.SubElement(envelope, "{http://schemas.xmlsoap.org/soap/envelope/}Body").append(child)
    return etree.tostring(envelope)


def test_plugin_validates_requests_and_replies_of_a_real_call() -> None:
    reply = render_reply(_client(AUTHENTICATE), AUTHENTICATE, "Login", {"LoginResult": "session-1"})
    validator = RealSchemaValidator(real_wsdl(AUTHENTICATE), validate_replies=True)
    transport = CannedTransport(_envelope(reply))
    client = zeep.Client(str(AUTHENTICATE), transport=transport, plugins=[validator])

    result = client.service.Login(credential=SAMPLE_REQUESTS[AUTHENTICATE]["Login"]["credential"])

    assert result == "session-1"
    assert validator.validated == ["Login"]
    assert validator.validated_replies == ["Login"]
    assert len(transport.posted) == 1


def test_plugin_stops_a_request_the_real_schema_rejects() -> None:
    validator = RealSchemaValidator(real_wsdl(AUTHENTICATE))
    transport = CannedTransport(b"")
    client = zeep.Client(str(AUTHENTICATE), transport=transport, plugins=[validator])
    credential = {**SAMPLE_REQUESTS[AUTHENTICATE]["Login"]["credential"], "ApplicationId": "not-a-guid"}

    with pytest.raises(AssertionError, match="ApplicationId"):
        client.service.Login(credential=credential)

    assert validator.validated == []
    assert transport.posted == []


def test_plugin_rejects_a_reply_the_real_schema_rejects() -> None:
    bad_reply = etree.fromstring(
        f'<HasSessionResponse xmlns="{ERP_NS}"><HasSessionResult>maybe</HasSessionResult></HasSessionResponse>'
    )
    validator = RealSchemaValidator(real_wsdl(AUTHENTICATE), validate_replies=True)
    client = zeep.Client(str(AUTHENTICATE), transport=CannedTransport(_envelope(bad_reply)), plugins=[validator])

    with pytest.raises(AssertionError, match="HasSessionResult"):
        client.service.HasSession()

    assert validator.validated == ["HasSession"]
    assert validator.validated_replies == []
