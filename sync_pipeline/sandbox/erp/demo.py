"""Demo data for `--seed-demo`: a small Scandinavian outdoor shop.

24 products (Id 1..24, No SKU-1001..SKU-1024, Stock = 5 × Id), customers 1..6, suppliers 7..9 and
orders 1..10 (eight Confirmed, one Offer, one Invoiced). Customers 2, 3 and 5 have phone and e-mail
only on the company, so their orders exercise the fallback to CompanyService.

Records also carry the everyday optional fields a shop fills in (cost and VAT rate, the supplier's
product code, long descriptions, categories; order dates, payment terms, the customer's reference,
currency; organisation and VAT numbers). ErpSandbox.seed_demo leaves out what the service description
in use does not define. Another tenant's demo (its DemoFlavour) has other article numbers and order ids.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

from sync_pipeline.sandbox.demo_flavour import DemoFlavour

PRODUCT_NAMES = [
    "Ullpledd Fjellrype", "Kaffekjele i støpejern", "Tursekk 40 liter", "Strikkede votter",
    "Skjærefjøl i eik", "Termokopp 0,5 l", "Refleksvest barn", "Hodelykt 300 lumen",
    "Sitteunderlag", "Fiskestang Älvkungen", "Regnjakke Björk", "Gummistøvler Åsa",
    "Sovepose dun −10 °C", "Bålpanne i stål", "Tollekniv rustfri", "Lusekofte herre",
    "Regntrekk til sekk", "Termos 1 l", "Kokeapparat gass", "Bestikksett titan",
    "Vandringsstav Kåge", "Ullsokker 3-pakning", "Førstehjelpsskrin", "Lommelykt LED",
]
SUPPLIER_IDS = (7, 8, 9)
# The supplier's own product code, by supplier (the warehouse demo registers the same numbers).
SUPPLIER_PREFIXES = {7: "NU", 8: "SF", 9: "BS"}
CATEGORIES = {1: "Tekstiler", 2: "Kjøkken og bål", 3: "Turutstyr"}  # CategoryId -> name (for the eye)
_CATEGORY_OF = {1: 1, 4: 1, 7: 1, 11: 1, 12: 1, 16: 1, 17: 1, 22: 1, 2: 2, 5: 2, 6: 2, 14: 2, 18: 2, 19: 2, 20: 2}

CUSTOMERS: list[dict[str, Any]] = [
    {"Id": 1, "Name": "Fjellstue Ørnereiret AS", "Type": "Business", "OrganizationNumber": "987654321",
     "VatNumber": "NO987654321MVA", "Country": "NO", "InvoiceLanguage": "NO", "PaymentTime": 30,
     "Url": "https://ornereiret.example.no",
     "Addresses": {"Post": {"Street": "Postboks 12", "PostalCode": "2680", "PostalArea": "Vågå", "City": "Vågå",
                            "Country": "NO"},
                   "Visit": {"Street": "Ørneveien 4", "PostalCode": "2680", "City": "Vågå", "Country": "NO"}},
     "PhoneNumbers": {"Work": {"Description": "Resepsjon", "Value": "+47 61 23 45 67"}},
     "EmailAddresses": {"Invoice": {"Name": "Faktura", "Value": "faktura@ornereiret.example.no"},
                        "Primary": {"Value": "post@ornereiret.example.no"}}},
    {"Id": 2, "Name": "Kari Nordmann", "Type": "Consumer", "FirstName": "Kari", "Country": "NO", "PaymentTime": 14,
     "Private": True,
     "Addresses": {"Post": {"Street": "Storgata 1", "PostalCode": "0155", "PostalArea": "Oslo", "City": "Oslo",
                            "Country": "NO"}},
     "PhoneNumbers": {"Mobile": {"Value": "+47 912 34 567"}},
     "EmailAddresses": {"Primary": {"Name": "Kari Nordmann", "Value": "kari.nordmann@example.no"}}},
    {"Id": 3, "Name": "Åsa Lindström", "Type": "Consumer", "FirstName": "Åsa", "Country": "SE", "InvoiceLanguage": "SE",
     "PaymentTime": 14, "Private": True,
     "Addresses": {"Post": {"Street": "Järnvägsgatan 7", "PostalCode": "831 34", "City": "Östersund",
                            "Country": "SE"}},
     "PhoneNumbers": {"Mobile": {"Value": "+46 70 123 45 67"}},
     "EmailAddresses": {"Home": {"Value": "asa.lindstrom@example.se"}}},
    {"Id": 4, "Name": "Sjøbua Bryggeri AS", "Type": "Business", "OrganizationNumber": "912345678",
     "VatNumber": "NO912345678MVA", "Country": "NO", "InvoiceLanguage": "NO", "PaymentTime": 30,
     "Addresses": {"Post": {"Street": "Bryggen 9", "PostalCode": "5003", "City": "Bergen", "Country": "NO"}},
     "PhoneNumbers": {"Primary": {"Value": "+47 55 12 34 56"}},
     "EmailAddresses": {"Invoice": {"Value": "regnskap@sjobua.example.no"}}},
    {"Id": 5, "Name": "Björn Ekström", "Type": "Consumer", "FirstName": "Björn", "Country": "SE",
     "InvoiceLanguage": "SE", "PaymentTime": 14, "Private": True,
     "Addresses": {"Post": {"Street": "Södra Vägen 22", "PostalCode": "412 54", "City": "Göteborg",
                            "Country": "SE"}},
     "PhoneNumbers": {"Home": {"Value": "+46 31 765 43 21"}, "Mobile": {"Value": "+46 73 987 65 43"}},
     "EmailAddresses": {"Primary": {"Value": "bjorn.ekstrom@example.se"}}},
    {"Id": 6, "Name": "Tromsø Turlag", "Type": "Business", "OrganizationNumber": "970123456", "Country": "NO",
     "InvoiceLanguage": "NO", "PaymentTime": 20,
     "Addresses": {"Post": {"Street": "Grønnegata 50", "PostalCode": "9008", "City": "Tromsø", "Country": "NO"}},
     "PhoneNumbers": {"Work": {"Value": "+47 77 68 51 75"}},
     "EmailAddresses": {"Primary": {"Value": "post@tromsoturlag.example.no"}}},
]

SUPPLIERS: list[dict[str, Any]] = [
    {"Id": 7, "Name": "Norsk Ullvare AS", "Type": "Supplier", "OrganizationNumber": "923456781",
     "VatNumber": "NO923456781MVA", "Country": "NO", "PaymentTime": 30,
     "Addresses": {"Post": {"Street": "Fabrikkvegen 3", "PostalCode": "6002", "PostalArea": "Ålesund",
                            "City": "Ålesund", "Country": "NO"}},
     "PhoneNumbers": {"Work": {"Value": "+47 70 11 22 33"}},
     "EmailAddresses": {"Work": {"Value": "ordre@ullvare.example.no"}}},
    {"Id": 8, "Name": "Svenska Friluftsprodukter AB", "Type": "Supplier", "OrganizationNumber": "556677-8899",
     "VatNumber": "SE556677889901", "Country": "SE", "CurrencyId": "SEK", "PaymentTime": 30,
     "Addresses": {"Post": {"Street": "Lagergatan 15", "PostalCode": "417 05", "City": "Göteborg",
                            "Country": "SE"}}},
    {"Id": 9, "Name": "Bergstål Verkstad AS", "Type": "Supplier", "OrganizationNumber": "934567812",
     "VatNumber": "NO934567812MVA", "Country": "NO", "PaymentTime": 45,
     "Addresses": {"Post": {"Street": "Smievegen 8", "PostalCode": "7080", "PostalArea": "Heimdal",
                            "City": "Trondheim", "Country": "NO"}}},
]

DELIVERY_METHODS = [
    {"Id": 1, "Description": "Posten Norge – Pakke til hentested"},
    {"Id": 2, "Description": "PostNord MyPack Collect"},
    {"Id": 3, "Description": "Henting på lager"},
]

# (order id, customer id, status, delivery method index, [(product id, quantity)], contact on the order?)
ORDERS = [
    (1, 1, "Confirmed", 0, [(1, 4), (2, 2), (14, 1)], True),
    (2, 2, "Confirmed", 0, [(3, 1), (22, 2)], False),
    (3, 3, "Confirmed", 1, [(10, 1), (11, 1), (12, 1)], False),
    (4, 4, "Confirmed", 2, [(5, 10)], True),
    (5, 5, "Confirmed", 1, [(13, 1), (8, 2)], False),
    (6, 6, "Confirmed", 0, [(7, 25), (23, 5), (24, 10)], True),
    (7, 1, "Confirmed", 0, [(16, 2)], True),
    (8, 2, "Offer", 0, [(18, 1), (19, 1)], False),
    (9, 4, "Invoiced", 2, [(6, 12), (20, 3)], True),
    (10, 6, "Confirmed", 0, [(21, 8), (9, 8)], True),
]


def ean13(body12: str) -> str:
    """A 12-digit body with its GS1 check digit."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def products(flavour: DemoFlavour = DemoFlavour()) -> list[dict[str, Any]]:
    result = []
    for product_id, name in enumerate(PRODUCT_NAMES, start=1):
        price = 99 + 50 * (product_id % 9)
        supplier_id = SUPPLIER_IDS[product_id % 3]
        result.append({
            "Id": product_id, "No": flavour.article_number(product_id), "Name": name,
            "Description": f"{name} – fra demokatalogen",
            "DescriptionLong": f"{name}. Laget for norsk vær, testet på fjellet. Se vaskeanvisning på etiketten.",
            "EAN1": ean13(f"7041234{product_id:05d}"),
            "Weight": f"{0.15 * (product_id % 8 + 1):.3f}",
            "Stock": str(5 * product_id), "StockControlled": True, "StatusId": 1,
            "Price": f"{price}.00", "InPrice": f"{price * 0.55:.2f}", "Cost": f"{price * 0.55 + 4:.2f}",
            "TaxRate": "25", "MinimumStock": str(product_id % 4 * 5), "OrderProposal": "20",
            "SupplierId": supplier_id, "SupplierProductCode": f"{SUPPLIER_PREFIXES[supplier_id]}-{4000 + 7 * product_id}",
            "SupplierProductName": name.split()[0], "CategoryId": _CATEGORY_OF.get(product_id, 3),
            "StockLocation": f"A-{1 + product_id // 8:02d}-{1 + product_id % 8:02d}", "Web": product_id % 4 != 0,
        })
    return result


def orders(today: datetime, flavour: DemoFlavour = DemoFlavour()) -> list[dict[str, Any]]:
    companies = {company["Id"]: company for company in CUSTOMERS}
    midnight = datetime.combine(today.date(), time(), tzinfo=timezone.utc)
    result = []
    for order_id, customer_id, status, method, lines, contact_on_order in ORDERS:
        customer = companies[customer_id]
        post = customer["Addresses"]["Post"]
        delivery = {**post, "Name": customer["Name"]}
        if "Postboks" in post["Street"]:
            delivery = {**customer["Addresses"]["Visit"], "Name": customer["Name"]}
        order: dict[str, Any] = {
            "OrderId": flavour.order_id(order_id), "CustomerId": customer_id, "CustomerName": customer["Name"],
            "CustomerDeliveryName": customer["Name"], "OrderStatus": status, "IncludeVAT": True,
            "YourReference": customer["Name"].split()[0], "ReferenceNumber": f"WEB-{20000 + flavour.order_id(order_id)}",
            "InvoiceTitle": "Ordre", "DeliveryDate": (midnight + timedelta(days=order_id % 4 + 1)).isoformat(),
            "DateOrdered": (midnight - timedelta(days=11 - order_id)).isoformat(),
            "PaymentTime": customer.get("PaymentTime", 14), "CustomerReferenceNo": f"PO-{4400 + flavour.order_id(order_id)}",
            "CustomerOrgNo": customer.get("OrganizationNumber"), "OurReference": 1 + order_id % 2,
            "Currency": {"Symbol": "NOK", "Rate": "1", "Unit": 1},
            "InvoiceText": "Takk for handelen! Bytterett 30 dager.",
            "DeliveryMethod": DELIVERY_METHODS[method],
            "Addresses": {"Delivery": delivery, "Invoice": {**post, "Name": customer["Name"]}},
            "InvoiceRows": [{"RowId": row_id, "ProductId": product_id, "Quantity": str(quantity), "Type": "Normal",
                             "DiscountRate": "10" if quantity >= 10 else "0", "SequenceNumber": row_id}
                            for row_id, (product_id, quantity) in enumerate(lines, start=1)],
        }
        if contact_on_order:
            phones = customer["PhoneNumbers"]
            order["CustomerDeliveryPhone"] = next(iter(phones.values()))["Value"]
            order["InvoiceEmailAddress"] = next(iter(customer["EmailAddresses"].values()))["Value"]
        if customer["Type"] == "Business":
            order["DeliveryAlternative"] = "Levering til varemottak, man–fre 08–16"
        result.append({name: value for name, value in order.items() if value is not None})
    return result
