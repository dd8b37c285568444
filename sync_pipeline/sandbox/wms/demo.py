"""Demo data for `--seed-demo`: the warehouse side of SKU-1001..SKU-1024, the ERP demo's article numbers.

Stock: the ERP demo has Stock = 5 × Id for product Id 1..24 (No SKU-{1000+Id}). The warehouse holds
the same for two thirds of them and 3 more items for every Id divisible by 3 (8 articles), so the stock
sync has work to do; every fifth article has items on their way in (ToReceiveNumberOfItems).

Article details: what the warehouse has registered for each article number (unit, the supplier's own
article number, customs tariff number and country of origin, article group, colour and size of the
clothes, picking location), in ArticleDefinition's names. They show once the article sync has created
the article (as the stock does); what the sync sends overwrites them.
Another tenant's demo (its DemoFlavour) has the article numbers of that tenant's ERP demo.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sync_pipeline.sandbox.demo_flavour import DemoFlavour

DEMO_PRODUCT_IDS = range(1, 25)

# Product id -> (unit, customs tariff number (HS, 8 digits), country of origin, group code)
_ARTICLES: dict[int, tuple[str, str, str, str]] = {
    1: ("st", "63012090", "NO", "TEKSTIL"), 2: ("st", "73239100", "NO", "KJOKKEN"),
    3: ("st", "42029291", "SE", "UTSTYR"), 4: ("par", "61169100", "NO", "TEKSTIL"),
    5: ("st", "44191900", "SE", "KJOKKEN"), 6: ("st", "96170000", "CN", "KJOKKEN"),
    7: ("st", "62114390", "NO", "TEKSTIL"), 8: ("st", "85131000", "CN", "LYS"),
    9: ("st", "39269097", "SE", "UTSTYR"), 10: ("st", "95071000", "SE", "UTSTYR"),
    11: ("st", "62014000", "SE", "TEKSTIL"), 12: ("par", "64019900", "SE", "FOTTOY"),
    13: ("st", "94043000", "NO", "UTSTYR"), 14: ("st", "73218900", "NO", "KJOKKEN"),
    15: ("st", "82119200", "NO", "UTSTYR"), 16: ("st", "61101100", "NO", "TEKSTIL"),
    17: ("st", "63069000", "SE", "TEKSTIL"), 18: ("st", "96170000", "CN", "KJOKKEN"),
    19: ("st", "73211100", "SE", "KJOKKEN"), 20: ("st", "82159900", "NO", "KJOKKEN"),
    21: ("st", "66020000", "SE", "UTSTYR"), 22: ("pk", "61159400", "NO", "TEKSTIL"),
    23: ("st", "30065000", "SE", "UTSTYR"), 24: ("st", "85131000", "CN", "LYS"),
}
_GROUPS = {"TEKSTIL": "Tekstiler", "KJOKKEN": "Kjøkken og bål", "UTSTYR": "Turutstyr", "LYS": "Lys og lykter",
           "FOTTOY": "Fottøy"}
# Clothes: product id -> ((colour code, colour name), (size code, size name))
_VARIANTS: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {
    4: (("GRA", "Grå"), ("M", "Medium")), 7: (("GUL", "Gul"), ("S", "Small")),
    11: (("GRONN", "Grønn"), ("L", "Large")), 12: (("SORT", "Sort"), ("42", "42")),
    16: (("NATUR", "Natur"), ("L", "Large")), 22: (("GRA", "Grå"), ("40-42", "40–42")),
}
# The ERP demo's supplier of product i is company 7, 8 or 9 (i % 3); their article number prefixes.
_SUPPLIER_PREFIXES = ("NU", "SF", "BS")


def article_number(product_id: int, flavour: DemoFlavour = DemoFlavour()) -> str:
    return flavour.article_number(product_id)


def demo_stock(flavour: DemoFlavour = DemoFlavour()) -> dict[str, Decimal]:
    """Article number -> physical items."""
    return {article_number(i, flavour): Decimal(5 * i + (3 if i % 3 == 0 else 0)) for i in DEMO_PRODUCT_IDS}


def demo_inbound(flavour: DemoFlavour = DemoFlavour()) -> dict[str, Decimal]:
    """Article number -> items the warehouse expects to receive."""
    return {article_number(i, flavour): Decimal(20) for i in DEMO_PRODUCT_IDS if i % 5 == 0}


def demo_article_details(flavour: DemoFlavour = DemoFlavour()) -> dict[str, dict[str, Any]]:
    """Article number -> what the warehouse holds for it (ArticleDefinition's element names)."""
    details = {}
    for product_id, (unit, tariff, origin, group) in _ARTICLES.items():
        article: dict[str, Any] = {
            "ArticleUnitCode": unit,
            "SupplierArticleNumber": f"{_SUPPLIER_PREFIXES[product_id % 3]}-{4000 + 7 * product_id}",
            "StatisticsNumber": tariff, "CountryOfOriginCode": origin,
            "ArticleGroup": {"ArticleGroupCode": group, "ArticleGroupName": _GROUPS[group]},
            "DefaultLocation": {"LocationName": f"A-{1 + product_id // 8:02d}-{1 + product_id % 8:02d}"},
        }
        if product_id in _VARIANTS:
            (color_code, color_name), (size_code, size_name) = _VARIANTS[product_id]
            article["ArticleColor"] = {"ColorCode": color_code, "ColorName": color_name}
            article["ArticleSize"] = {"SizeCode": size_code, "SizeName": size_name}
        details[article_number(product_id, flavour)] = article
    return details
