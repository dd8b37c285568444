"""Extra fields over the real records whole: real-only sources and targets, their types, nested
structures, and refusals that name the field and say why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from sync_pipeline.mapping import MAPS, ExtraField, map_article, map_order, map_supplier
from sync_pipeline.mapping.extra import (
    configurable_targets,
    configurable_targets_text,
    erp_return_properties,
)
from sync_pipeline.soap.errors import RecordError

from .records import company, order, product


def extra(*rows: tuple[str, str, str]) -> tuple[ExtraField, ...]:
    return tuple(ExtraField(map=m, target=t, source=s) for m, t, s in rows)


def real_product(**fields) -> dict:
    """A product as the client reads it, with elements only the real description has."""
    return {**product().model_dump(exclude_none=True), **fields}


def real_order(rows: list[dict], **fields) -> dict:
    return {**order().model_dump(exclude_none=True), "InvoiceRows": rows, **fields}


# -- sources and targets the subset did not have --------------------------------------------------


def test_customs_data_from_real_only_product_elements():
    rows = extra(("article", "StatisticsNumber", "ProductCode"),
                 ("article", "CountryOfOriginCode", "StockLocation"),
                 ("article", "SupplierArticleNumber", "SupplierProductCode"),
                 ("article", "ArticleCustomsDescription", "DescriptionLong"))
    article = map_article(real_product(ProductCode="0901.21.00", StockLocation=" co ", SupplierProductCode="LEV-77",
                                       DescriptionLong="Brent kaffe, hele bønner"), rows)
    assert (article["StatisticsNumber"], article["CountryOfOriginCode"], article["SupplierArticleNumber"],
            article["ArticleCustomsDescription"]) == ("0901.21.00", "CO", "LEV-77", "Brent kaffe, hele bønner")


@pytest.mark.parametrize("double, sent", [
    (1249.5, Decimal("1249.5")),
    (0.1, Decimal("0.1")),  # not 0.1000000000000000055511151231257827…
    (49.9, Decimal("49.9")),
    (1e-07, Decimal("1E-7")),  # rendered by zeep as 0.0000001
    (12345678.12, Decimal("12345678.12")),
])
def test_a_double_source_becomes_the_decimal_the_service_wrote(double, sent):
    article = map_article(real_product(CashPriceIncTax=double), extra(("article", "CustomerPrice", "CashPriceIncTax")))
    assert isinstance(article["CustomerPrice"], Decimal)
    assert article["CustomerPrice"] == sent and str(article["CustomerPrice"]) == str(sent)


def test_a_double_sent_as_text_is_written_in_plain_decimal_notation():
    rows = extra(("article", "ArticleFreeText1", "CashPriceIncTax"))
    assert map_article(real_product(CashPriceIncTax=1e-07), rows)["ArticleFreeText1"] == "0.0000001"
    assert map_article(real_product(CashPriceIncTax=1.5e20), rows)["ArticleFreeText1"] == "150000000000000000000"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_double_that_is_not_a_number_refuses_that_record(value):
    result = map_article(real_product(CashPriceIncTax=value), extra(("article", "CustomerPrice", "CashPriceIncTax")))
    assert isinstance(result, RecordError) and result.field == "CashPriceIncTax"


def test_not_set_values_follow_the_source_type():
    rows = extra(("order_line", "OrderLineFreeText1", "SequenceNumber"),  # xs:short
                 ("order_info", "FreeText1", "PaymentTime"),  # xs:int
                 ("order_info", "FreeText2", "InvoiceTemplateId"))  # guid
    lines = [{"ProductId": 1, "RowId": 1, "Quantity": 1, "SequenceNumber": -32768},
             {"ProductId": 2, "RowId": 2, "Quantity": 1, "SequenceNumber": 3}]
    unset = map_order(real_order(lines, PaymentTime=-2147483648,
                                 InvoiceTemplateId="00000000-0000-0000-0000-000000000000"), extra=rows)
    assert [line.get("OrderLineFreeText1") for line in unset["CustomerOrderLines"]] == [None, "3"]
    assert {"FreeText1", "FreeText2"} & set(unset["OrderInfo"]) == set()
    # -32768 is a real value of an xs:int element
    assert map_order(real_order(lines, PaymentTime=-32768), extra=rows)["OrderInfo"]["FreeText1"] == "-32768"


def test_row_order_info_and_consignee_real_only_elements():
    rows = extra(("order_line", "Discount", "DiscountRate"),
                 ("order_line", "OrderLineTotalCustomsValue", "Cost"),
                 ("order_info", "ConsigneeOrderNumber", "CustomerReferenceNo"),
                 ("order_info", "Customs.CustomsValueCurrencyCode", "Currency.Symbol"),
                 ("customer", "Address2", "Addresses.Delivery.Name"),
                 ("invoice_address", "Address3", "CustomerOrgNo"))
    lines = [{"ProductId": 1, "RowId": 1, "Quantity": 2, "DiscountRate": Decimal("12.5"), "Cost": Decimal(80)}]
    mapped = map_order(real_order(lines, CustomerReferenceNo="PO-4411", Currency={"Symbol": "EUR"},
                                  CustomerOrgNo="NO 999 888 777"), extra=rows)
    assert mapped["CustomerOrderLines"][0]["Discount"] == Decimal("12.5")
    assert mapped["CustomerOrderLines"][0]["OrderLineTotalCustomsValue"] == Decimal(80)
    assert mapped["OrderInfo"]["ConsigneeOrderNumber"] == "PO-4411"
    assert mapped["OrderInfo"]["Customs"] == {"CustomsValueCurrencyCode": "EUR"}
    assert "Address2" not in mapped["Customer"], "the delivery address has no Name: left out"
    assert mapped["Customer"]["InvoiceAddress"]["Address3"] == "NO 999 888 777"


def test_a_second_address_line_from_the_delivery_address_name():
    rows = extra(("customer", "Address2", "Addresses.Delivery.Name"))
    record = real_order([{"ProductId": 1, "RowId": 1, "Quantity": 1}])
    record["Addresses"]["Delivery"]["Name"] = "c/o Lagerbygget"
    assert map_order(record, extra=rows)["Customer"]["Address2"] == "c/o Lagerbygget"


# -- nested structures: the sync fills what they require ------------------------------------------


def test_a_lookup_structure_gets_its_operation_and_identification():
    rows = extra(("article", "ArticleGroup.ArticleGroupCode", "CategoryId"),
                 ("article", "ArticleGroup.ArticleGroupName", "SupplierProductName"),
                 ("article", "ArticleColor.ColorName", "DescriptionLong"))
    article = map_article(real_product(CategoryId=14, SupplierProductName="Kaffe", DescriptionLong="Brun"), rows)
    assert article["ArticleGroup"] == {"ArticleGroupCode": "14", "ArticleGroupName": "Kaffe",
                                       "ArticleGroupOperation": "FindOrCreate",
                                       "ArticleGroupIdentification": "ArticleGroupCode"}
    assert article["ArticleColor"] == {"ColorName": "Brun", "ArticleColorOperation": "FindOrCreate"}
    by_name = map_article(real_product(SupplierProductName="Kaffe"), rows)
    assert by_name["ArticleGroup"]["ArticleGroupIdentification"] == "ArticleGroupName", "found by what the record has"
    assert "ArticleGroup" not in map_article(real_product(), rows), "nothing to set: no structure at all"


def test_order_structures_and_nil_for_required_nillable_elements():
    rows = extra(("order_info", "OrderType.OrderTypeCode", "TypeOfSaleId"),
                 ("order_info", "OutboundWarehouse.WarehouseCode", "DeliveryAlternative"),
                 ("order_line", "VatCode.VatPercent", "VatRate"))
    lines = [{"ProductId": 1, "RowId": 1, "Quantity": 1, "VatRate": Decimal(25)}]
    mapped = map_order(real_order(lines, TypeOfSaleId=4, DeliveryAlternative="OSLO"), extra=rows)
    assert mapped["OrderInfo"]["OrderType"] == {"OrderTypeCode": "4", "OrderTypeOperation": "CreateOrFind",
                                                "OrderTypeIdentification": "OrderTypeCode"}
    assert mapped["OrderInfo"]["OutboundWarehouse"] == {"WarehouseCode": "OSLO", "WarehouseId": None,
                                                        "WarehouseIdentification": "WarehouseCode"}
    assert mapped["CustomerOrderLines"][0]["VatCode"] == {"VatPercent": Decimal(25), "VatCodeOperation": "Find",
                                                          "VatCodeIdentification": "VatPercent"}


def test_the_supplier_address_leaves_its_flags_to_the_wms_client():
    record = {**company(Addresses={"Post": {"Name": "Lager Øst"}}).model_dump(exclude_none=True),
              "Note": "Ring før levering"}
    supplier = map_supplier(record, extra(("supplier", "Address.Remark", "Note")))
    assert supplier["Address"] == {"Remark": "Ring før levering"}


def test_erp_return_properties_ask_for_each_configured_source_once_by_top_level_name():
    rows = extra(("article", "StatisticsNumber", "ProductCode"), ("article", "ArticleFreeText1", "ProductCode"),
                 ("order_info", "Customs.CustomsValueCurrencyCode", "Currency.Symbol"),
                 ("customer", "Address2", "Addresses.Delivery.Name"),
                 ("order_line", "Discount", "DiscountRate"), ("supplier", "comment", "Note"))
    assert erp_return_properties(rows) == {"Product": ("ProductCode",), "InvoiceOrder": ("Currency", "Addresses"),
                                           "InvoiceRow": ("DiscountRate",), "Company": ("Note",)}


# -- refusals name the field and say why ----------------------------------------------------------


@pytest.mark.parametrize("entry, words", [
    ({"map": "article", "target": "StatisticNumber", "source": "ProductCode"},
     ("target 'StatisticNumber' is not in the WMS service description: ArticleDefinition has no "
      "element 'StatisticNumber' (did you mean StatisticsNumber?)")),
    ({"map": "article", "target": "StatisticsNumber", "source": "HsCode"}, "source 'HsCode' is not in the 24SevenOffice service description: Product has no element 'HsCode'"),
    ({"map": "article", "target": "QuantityPerPallet", "source": "CashPriceIncTax"},
     "source 'CashPriceIncTax' is a double but target 'QuantityPerPallet' needs a int"),
    ({"map": "order_line", "target": "MinDaysToExpiryDate", "source": "Quantity"}, "is a decimal but target"),
    ({"map": "article", "target": "IsObsolete", "source": "StatusId"}, "is a int but target 'IsObsolete' needs a boolean"),
    ({"map": "article", "target": "ArticleSystemId", "source": "Id"}, "filled by the sync itself (ArticleDefinition.ArticleSystemId)"),
    ({"map": "order_info", "target": "OrderId", "source": "OrderId"}, "filled by the sync itself (OrderInfoClass.OrderId)"),
    ({"map": "article", "target": "MainSupplier.SupplierName", "source": "Name"}, "filled by the sync itself"),
    ({"map": "customer", "target": "InvoiceAddress.Address2", "source": "CustomerName"}, "filled by the sync itself"),
    ({"map": "article", "target": "ArticleGroup.ArticleGroupOperation", "source": "Name"},
     "is a choice among fixed values (Find, FindOrCreate, Clear, CreateOrUpdate)"),
    ({"map": "article", "target": "DangerousGoods.UNNumber", "source": "ProductCode"},
     "inside DangerousGoods, which repeats"),
    ({"map": "order_line", "target": "OrderLineArticleItemStatus.ArticleItemStatusCode", "source": "Name"},
     "cannot be sent alone: OrderLineArticleItemStatus.IsLocked is required with it"),
    ({"map": "article", "target": "ArticleGroup", "source": "CategoryId"}, "is a structure, not a single value"),
    ({"map": "order_info", "target": "FreeText1", "source": "InvoiceRows.InvoiceRow.Name"},
     "inside InvoiceRows.InvoiceRow, which repeats"),
    ({"map": "supplier", "target": "comment", "source": "Password"}, "is a secret"),
    ({"map": "order_info", "target": "FreeText1", "source": "Currency"}, "is a structure, not a single value"),
])
def test_refused_entries_name_the_field_and_why(entry, words):
    with pytest.raises(ValidationError) as refused:
        ExtraField.model_validate(entry)
    assert words in str(refused.value)
    assert f'"target": "{entry["target"]}", "source": "{entry["source"]}"' in str(refused.value)


def test_recursive_types_are_followed_by_path_and_refused_in_words():
    # ArticleDefinition ⇒ ArticleStructureSpecification ⇒ StructureArticleDefinition ⇒ SubArticleDefinition
    # is an ArticleDefinition again.
    deep = "ArticleStructureSpecification.StructureArticleDefinition.SubArticleDefinition.ArticleName"
    with pytest.raises(ValidationError, match="inside ArticleStructureSpecification.StructureArticleDefinition, which repeats"):
        ExtraField(map="article", target=deep, source="Name")


def test_the_list_of_targets_an_operator_reads_is_short_and_says_how_deeper_paths_are_written():
    with pytest.raises(ValidationError) as refused:
        ExtraField(map="article", target="ArticleSystemId", source="Id")
    message = str(refused.value)
    assert len(message) < 2500
    assert "ArticleGroup.{ArticleGroupCode, ArticleGroupName}" in message
    assert "dotted paths" in message
    for fieldmap in MAPS.values():
        targets = configurable_targets(fieldmap)
        assert all(path.count(".") <= 1 for path in targets), fieldmap.name
        assert len(configurable_targets_text(fieldmap)) < 2000


def test_every_listed_target_is_accepted_and_produces_a_valid_row():
    for fieldmap in MAPS.values():
        for target in configurable_targets(fieldmap):
            source = "Id" if fieldmap.erp_record in ("Product", "Company") else "ProductId" if fieldmap.erp_record == "InvoiceRow" else "OrderId"
            try:
                ExtraField(map=fieldmap.name, target=target, source=source)
            except ValidationError as refused:  # only a type mismatch may refuse an int source
                assert "but target" in str(refused), (fieldmap.name, target, str(refused))
