"""`sync-pipeline sandbox` as a newcomer runs it: the installed command in its own process, on free ports.

Clients built from the vendors' REAL service descriptions (every reply checked against the real schema)
log in, read the demo data and write what the pipeline writes; `--state` keeps data across restarts;
SIGTERM stops the command cleanly.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import requests
from lxml import etree

from sync_pipeline.erp import (
    COMPANY_RETURN_PROPERTIES,
    INVOICE_RETURN_PROPERTIES,
    PRODUCT_RETURN_PROPERTIES,
    ROW_RETURN_PROPERTIES,
)
from sync_pipeline.erp.client import FAR_PAST
from sync_pipeline_tests.ports import free_ports
from sync_pipeline_tests.sandbox.erp.support import APPLICATION_ID, PASSWORD, SERVICES, USERNAME, ErpClient
from sync_pipeline_tests.sandbox.wms import ongoing as wms
from sync_pipeline_tests.sandbox.wms.ongoing import Ongoing

COMMAND = Path(sys.executable).with_name("sync-pipeline")
SOAP_ADDRESSES = ("{http://schemas.xmlsoap.org/wsdl/soap/}address", "{http://schemas.xmlsoap.org/wsdl/soap12/}address")
ERP_OPERATIONS = {"Login", "GetProducts", "GetOrderSyncList", "GetInvoices", "GetCompanies"}


@dataclass(frozen=True)
class Sandbox:
    erp: str  # base URLs
    wms: str
    banner: str  # what the command printed at start


@contextmanager
def sandbox_command(*options: str, log: Path) -> Iterator[Sandbox]:
    """Run the command until the block ends, then stop it with SIGTERM; it must exit with 0."""
    assert COMMAND.exists(), f"{COMMAND} is missing: install the project (./dev does) to get the console script"
    erp_port, wms_port = free_ports(2)
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [str(COMMAND), "sandbox", "--erp-port", str(erp_port), "--wms-port", str(wms_port), *options],
            stdout=subprocess.PIPE, stderr=stderr, text=True,
        )
    try:
        banner = _read_banner(process, log)
        yield Sandbox(f"http://127.0.0.1:{erp_port}", f"http://127.0.0.1:{wms_port}", banner)
        process.send_signal(signal.SIGTERM)
        exit_code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    assert exit_code == 0, f"exit code {exit_code} after SIGTERM:\n{log.read_text()}"


def _read_banner(process: subprocess.Popen, log: Path) -> str:
    lines = []
    while not lines or not lines[-1].startswith("Admin API:"):
        line = process.stdout.readline()
        if not line:
            process.wait()
            raise AssertionError(f"the command ended (exit code {process.returncode}) before it had started:\n"
                                 f"{''.join(lines)}{log.read_text()}")
        lines.append(line)
    return "".join(lines)


# -- what the pipeline reads and writes, through clients of the real descriptions -------------------

def erp_login(sandbox: Sandbox) -> ErpClient:
    erp = ErpClient(sandbox.erp, timeout=10.0)
    assert erp.login(), "the demo credentials were refused"
    return erp


def erp_products(erp: ErpClient, **search: Any) -> dict[int, Any]:
    return {product.Id: product for product in erp.products_by(*PRODUCT_RETURN_PROPERTIES, **search)}


def erp_orders(erp: ErpClient, ids: list[int]) -> dict[int, Any]:
    found = erp.invoices_by(list(INVOICE_RETURN_PROPERTIES), list(ROW_RETURN_PROPERTIES), OrderIds={"int": ids})
    return {order.OrderId: order for order in found}


def erp_companies(erp: ErpClient, **search: Any) -> dict[int, Any]:
    found = erp.companies.GetCompanies(searchParams=search,
                                       returnProperties={"string": list(COMPANY_RETURN_PROPERTIES)}) or []
    return {company.Id: company for company in found}


def changed_order_ids(erp: ErpClient, *states: str) -> list[int]:
    ids = erp.invoices.GetOrderSyncList(syncParams={"ChangedAfter": FAR_PAST, "RegisteredAfter": FAR_PAST}) or []
    if not states:
        return sorted(ids)
    found = erp.invoices_by(["OrderId"], OrderIds={"int": ids}, OrderStates={"OrderSlipStateType": list(states)})
    return sorted(order.OrderId for order in found)


def mark_sent(erp: ErpClient, order_id: int) -> None:
    (saved,) = erp.invoices.SaveInvoices(invoices={"InvoiceOrder": [
        {"OrderId": order_id, "OrderStatus": "OrderState_Sent", "IncludeVAT": None}]})
    assert saved.APIException is None, saved.APIException


def push_article(ongoing: Ongoing, product: Any, supplier: Any) -> None:
    result = ongoing.process_article(
        product.No, ArticleName=product.Name, BarCode=product.EAN1, Weight=product.Weight,
        MainSupplier=wms.supplier(str(supplier.Id), supplier.Name))
    assert result.Success, result.ErrorMessage


def push_order(ongoing: Ongoing, order: Any) -> Any:
    delivery, invoice = order.Addresses.Delivery, order.Addresses.Invoice
    customer = wms.customer(
        CustomerNumber=str(order.CustomerId), Name=delivery.Name, Address=delivery.Street,
        PostCode=delivery.PostalCode, City=delivery.City, CountryCode=delivery.Country,
        TelePhone=order.CustomerDeliveryPhone, Email=order.InvoiceEmailAddress,
        InvoiceAddress=wms.invoice_address(Name=invoice.Name, Address=invoice.Street, PostCode=invoice.PostalCode,
                                           City=invoice.City, CountryCode=invoice.Country))
    lines = [wms.line(str(row.RowId), row.Quantity, article_number=row.ProductNo)
             for row in order.InvoiceRows.InvoiceRow]
    result = ongoing.process_order(wms.order(str(order.OrderId), lines, customer=customer,
                                             ReferenceNumber=order.ReferenceNumber))
    assert result.Success, result.ErrorMessage
    return result


def push_order_with_its_articles(erp: ErpClient, ongoing: Ongoing, order_id: int) -> Any:
    order = erp_orders(erp, [order_id])[order_id]
    products = erp_products(erp, ProductIds={"int": [row.ProductId for row in order.InvoiceRows.InvoiceRow]})
    suppliers = erp_companies(erp, CompanyIds={"int": sorted({p.SupplierId for p in products.values()})})
    for product in products.values():
        push_article(ongoing, product, suppliers[product.SupplierId])
    push_order(ongoing, order)
    return order


# -- the tests ------------------------------------------------------------------------------------------

def test_the_command_prints_where_and_how_to_log_in(tmp_path: Path) -> None:
    with sandbox_command("--seed-demo", log=tmp_path / "stderr.log") as sandbox:
        printed = " ".join(sandbox.banner.split())
    assert f"24SevenOffice sandbox {sandbox.erp} " in printed
    assert f"ApplicationId {APPLICATION_ID} Username {USERNAME} Password {PASSWORD} " in printed
    assert f"Ongoing WMS sandbox {sandbox.wms}/sandbox " in printed
    credentials = wms.CREDENTIALS
    assert (f"GoodsOwnerCode {credentials['GoodsOwnerCode']} UserName {credentials['UserName']} "
            f"Password {credentials['Password']} ") in printed


def test_a_client_of_the_real_descriptions_reads_the_demo_data(tmp_path: Path) -> None:
    with sandbox_command("--seed-demo", log=tmp_path / "stderr.log") as sandbox:
        erp = erp_login(sandbox)
        products = erp_products(erp, DateChanged=FAR_PAST)
        all_orders = changed_order_ids(erp)
        confirmed = changed_order_ids(erp, "Confirmed")
        first_order = erp_orders(erp, [1])[1]
        companies = erp_companies(erp, ChangedAfter=FAR_PAST)
        ongoing = Ongoing(sandbox.wms, timeout=10.0)
        statuses = ongoing.call("GetOrderStatuses")
        inventory, wms_orders = ongoing.inventory(), ongoing.orders()

    assert {(p.Id, p.No, p.Stock) for p in products.values()} == {
        (i, f"SKU-{1000 + i}", Decimal(5 * i)) for i in range(1, 25)}
    assert all(p.Name and p.EAN1 and p.SupplierId in (7, 8, 9) for p in products.values())
    assert all_orders == list(range(1, 11)) and confirmed == [1, 2, 3, 4, 5, 6, 7, 10]
    assert [(r.ProductId, r.ProductNo, r.Quantity) for r in first_order.InvoiceRows.InvoiceRow] == [
        (1, "SKU-1001", 4), (2, "SKU-1002", 2), (14, "SKU-1014", 1)]
    assert (first_order.CustomerId, first_order.Addresses.Delivery.Street) == (1, "Ørneveien 4")
    assert sorted(companies) == list(range(1, 10))
    assert {i for i, c in companies.items() if c.Type == "Supplier"} == {7, 8, 9}
    assert companies[2].PhoneNumbers.Mobile.Value and companies[2].EmailAddresses.Primary.Value
    assert ERP_OPERATIONS <= set(erp.replies_validated())
    assert [s.OrderStatusId for s in statuses.OrderStatus] == [150, 200, 300, 320, 400, 450, 500, 800, 1000]
    assert (inventory, wms_orders) == ([], [])  # the demo stock shows once the article sync has made the articles


def test_what_the_pipeline_writes_is_read_back(tmp_path: Path) -> None:
    with sandbox_command("--seed-demo", log=tmp_path / "stderr.log") as sandbox:
        erp, ongoing = erp_login(sandbox), Ongoing(sandbox.wms, timeout=10.0)
        order = push_order_with_its_articles(erp, ongoing, 1)  # ProcessArticle (with MainSupplier), ProcessOrder
        placed, booked = ongoing.order("1"), ongoing.inventory_of("SKU-1001")
        assert ongoing.update_order("1", status=450, waybill="WB-1").Success
        shipped, stock = ongoing.order("1"), ongoing.inventory_of("SKU-1001")
        assert erp.products.SetStockQuantity(productId=1, stockQuantity=stock.NumberOfItemsDecimal) is True
        mark_sent(erp, 1)
        product, sent = erp_products(erp, ProductIds={"int": [1]})[1], erp_orders(erp, [1])[1]

    article = booked.Article
    assert (article.ArticleNumber, article.Name, article.BarCode) == ("SKU-1001", "Ullpledd Fjellrype",
                                                                      "7041234000018")
    assert (article.MainSupplierNumber, article.MainSupplierName) == ("8", "Svenska Friluftsprodukter AB")
    assert (booked.NumberOfItemsDecimal, booked.NumberOfBookedItemsDecimal) == (5, 4)
    consignee = placed.Consignee
    assert (consignee.CustomerNumber, consignee.Name, consignee.Address, consignee.TelePhone) == (
        "1", "Fjellstue Ørnereiret AS", "Ørneveien 4", order.CustomerDeliveryPhone)
    assert (consignee.InvoiceAddress.Address, consignee.InvoiceAddress.PostCode) == ("Postboks 12", "2680")
    assert [(line.ExternalOrderLineCode, line.Article.ArticleNumber, line.OrderedNumberOfItems)
            for line in placed.PickedOrderLines.PickedOrderLine] == [
        ("1", "SKU-1001", 4), ("2", "SKU-1002", 2), ("3", "SKU-1014", 1)]
    assert (placed.OrderInfo.OrderStatusNumber, placed.OrderInfo.ReferenceNumber) == (200, "WEB-20001")
    assert (shipped.OrderInfo.OrderStatusNumber, shipped.OrderInfo.WayBill) == (450, "WB-1")
    assert shipped.OrderInfo.ShippedTime != wms.NOT_SET
    assert (stock.NumberOfItemsDecimal, stock.NumberOfBookedItemsDecimal) == (1, 0)  # 4 of 5 left the warehouse
    assert product.Stock == 1
    assert sent.OrderStatus == "OrderState_Sent"
    assert {"SetStockQuantity", "SaveInvoices"} <= set(erp.replies_validated())


def test_every_endpoint_describes_itself_with_the_sandbox_as_address(tmp_path: Path) -> None:
    with sandbox_command(log=tmp_path / "stderr.log") as sandbox:
        urls = [sandbox.erp + path for _, path in SERVICES.values()] + [sandbox.wms + "/sandbox/service.asmx"]
        described = {url: requests.get(url + "?WSDL", timeout=10) for url in urls}

    for url, reply in described.items():
        assert reply.status_code == 200, url
        document = etree.fromstring(reply.content, etree.XMLParser(resolve_entities=False, no_network=True))
        addresses = [node.get("location") for tag in SOAP_ADDRESSES for node in document.iter(tag)]
        assert addresses and set(addresses) == {url}, (url, addresses)


def test_a_state_file_keeps_the_data_across_restarts(tmp_path: Path) -> None:
    state = str(tmp_path / "sandbox.sqlite")
    with sandbox_command("--seed-demo", "--state", state, log=tmp_path / "first.log") as sandbox:
        erp, ongoing = erp_login(sandbox), Ongoing(sandbox.wms, timeout=10.0)
        push_order_with_its_articles(erp, ongoing, 2)
        assert erp.products.SetStockQuantity(productId=1, stockQuantity=Decimal("42")) is True
        mark_sent(erp, 2)
        first_order_id = ongoing.order("2").OrderInfo.OrderId

    with sandbox_command("--state", state, log=tmp_path / "second.log") as sandbox:
        erp, ongoing = erp_login(sandbox), Ongoing(sandbox.wms, timeout=10.0)
        products, orders = erp_products(erp, DateChanged=FAR_PAST), erp_orders(erp, changed_order_ids(erp))
        companies = erp_companies(erp, ChangedAfter=FAR_PAST)
        kept, article = ongoing.order("2"), ongoing.inventory_of("SKU-1003")
        push_article(ongoing, products[4], companies[products[4].SupplierId])
        assert ongoing.process_order(wms.order("4", [wms.line("1", 1, article_number="SKU-1004")],
                                               customer=wms.customer(CustomerNumber="4"))).Success
        second_order_id = ongoing.order("4").OrderInfo.OrderId

    assert (len(products), products[1].Stock, products[2].Stock) == (24, 42, 10)
    assert (len(orders), orders[2].OrderStatus, orders[1].OrderStatus) == (10, "OrderState_Sent", "Confirmed")
    assert len(companies) == 9
    assert (kept.OrderInfo.OrderId, kept.Consignee.Name) == (first_order_id, "Kari Nordmann")
    assert [line.Article.ArticleNumber for line in kept.PickedOrderLines.PickedOrderLine] == ["SKU-1003", "SKU-1022"]
    assert (article.Article.MainSupplierName, article.NumberOfItemsDecimal) == ("Norsk Ullvare AS", 18)
    assert second_order_id != first_order_id  # the ids the sandbox hands out go on where they were


def test_without_a_state_file_a_restart_starts_empty(tmp_path: Path) -> None:
    with sandbox_command("--seed-demo", log=tmp_path / "first.log") as sandbox:
        ongoing = Ongoing(sandbox.wms, timeout=10.0)
        assert ongoing.process_article("SKU-1001", ArticleName="Ullpledd").Success
        assert len(ongoing.inventory()) == 1 and erp_products(erp_login(sandbox), DateChanged=FAR_PAST)

    with sandbox_command(log=tmp_path / "second.log") as sandbox:
        erp, ongoing = erp_login(sandbox), Ongoing(sandbox.wms, timeout=10.0)
        erp_data = (erp_products(erp, DateChanged=FAR_PAST), changed_order_ids(erp),
                    erp_companies(erp, ChangedAfter=FAR_PAST))
        wms_data = (ongoing.inventory(), ongoing.orders())

    assert erp_data == ({}, [], {})
    assert wms_data == ([], [])
