"""ArticleClass, an article as GetInventoryByQuery and GetOrdersByQuery show it, from the stored
ArticleDefinition (what ProcessArticle sent, and the warehouse's own details).

Most elements have the same name in both types; some are renamed (ArticleName -> Name) and some are
flattened from a nested definition (ArticleGroup{ArticleGroupCode} -> ArticleGroupCode). Elements the
real service derives itself (SystemId, ArticleKind, ProcessArticleTime, the supplier's name) come from
the sandbox. Elements the description the sandbox serves lacks are left out when rendered (fit.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync_pipeline.sandbox.wms.values import to_datetime

Document = Mapping[str, Any]

SAME_NAME = (
    "ArticleNumber", "ProductCode", "BarCode", "SupplierArticleNumber", "StatisticsNumber", "CountryOfOriginCode",
    "ArticleUnitCode", "PurchaseCurrencyCode", "BarCodePackage", "BarCodePallet", "LinkToPicture",
    "CustomsExportConditions", "ArticleReturnHandlingComment", "ArticleCustomsDescription", "DangerousGoods",
    "Length", "Width", "Height", "Price", "CustomerPrice", "PurchasePrice", "Weight", "NetWeight", "Volume",
    "QuantityPerPallet", "QuantityPerPackage", "MaxStackNumberOfLevels", "SubQuantityPerItem", "IsSerialNumberArticle",
)
# ArticleClass element <- ArticleDefinition element
RENAMED = {
    "Name": "ArticleName", "Description": "ArticleDescription",
    "FreeDecimal1": "ArticleFreeDecimal1", "FreeDecimal2": "ArticleFreeDecimal2", "FreeDecimal3": "ArticleFreeDecimal3",
}
# ArticleClass element <- (ArticleDefinition element, its child)
FLATTENED = {
    "ArticleGroupCode": ("ArticleGroup", "ArticleGroupCode"), "ArticleGroupName": ("ArticleGroup", "ArticleGroupName"),
    "ArticleCategoryCode": ("ArticleCategory", "Code"), "ArticleCategoryName": ("ArticleCategory", "Name"),
    "VatCode": ("VatCode", "VatCode"), "VatPercent": ("VatCode", "VatPercent"),
    "ColorCode": ("ArticleColor", "ColorCode"), "ColorName": ("ArticleColor", "ColorName"),
    "SizeCode": ("ArticleSize", "SizeCode"), "SizeName": ("ArticleSize", "SizeName"),
    "ArticleStorageClassName": ("StorageClass", "Name"), "DefaultPickingLocation": ("DefaultLocation", "LocationName"),
}
# Required in ArticleClass, nillable: nil unless the article has a value.
NILLABLE = ("VatPercent", "Length", "Width", "Height", "Price", "CustomerPrice", "PurchasePrice", "Weight", "NetWeight",
            "Volume", "QuantityPerPallet", "QuantityPerPackage", "ExternalNumberOfItems", "FreeDecimal1",
            "FreeDecimal2", "StockLimit", "DefaultPickingLocationMaxNumberOfItems", "MaxStackNumberOfLevels",
            "FreeDecimal3", "IsSerialNumberArticle", "MinReOrderQuantity", "DefaultLocationStockLimit",
            "SubQuantityPerItem")
FREE_BOOLEANS = {"FreeBoolean1": "ArticleFreeBoolean1", "FreeBoolean2": "ArticleFreeBoolean2",
                 "FreeBoolean3": "ArticleFreeBoolean3"}


# Looked up by the stored article's own keys: a page costs what its articles hold, not every element.
_SHOWN_AS = {**{name: name for name in SAME_NAME}, **{source: name for name, source in RENAMED.items()}}
_NESTED: dict[str, list[tuple[str, str]]] = {}
for _name, (_parent, _child) in FLATTENED.items():
    _NESTED.setdefault(_parent, []).append((_child, _name))
_EVERY_ARTICLE = {**dict.fromkeys(NILLABLE), **dict.fromkeys(FREE_BOOLEANS, False), "ArticleKind": "Stock"}


def article_class(article: Document, supplier: Document | None) -> dict[str, Any]:
    shown = dict(_EVERY_ARTICLE)
    for key, value in article.items():
        if key in _SHOWN_AS:
            shown[_SHOWN_AS[key]] = value
        elif key in _NESTED:
            shown.update((name, value[child]) for child, name in _NESTED[key] if value.get(child) is not None)
    for name, source in FREE_BOOLEANS.items():
        if article.get(source):
            shown[name] = True
    if article.get("TaricNumbers"):
        shown["TaricNumbers"] = {"TaricNumber": [
            {"CountryCode": (taric.get("Country") or {}).get("CountryCode"), "TaricNumber": taric.get("TaricNumber")}
            for taric in article["TaricNumbers"].get("TaricNumber", [])]}
    if article.get("GoodsCategory"):
        category = article["GoodsCategory"]
        shown["GoodsCategory"] = {"Name": category.get("GoodsCategoryName"), "Code": category.get("GoodsCategoryCode")}
    shown.update({
        "SystemId": article["SystemId"], "MainSupplierNumber": article.get("MainSupplierNumber"),
        "MainSupplierName": (supplier or {}).get("SupplierName"),
        "IsStockArticle": article.get("IsStockArticle") is not False,
        "ProcessArticleTime": to_datetime(article.get("ProcessArticleTime")),
    })
    return shown
