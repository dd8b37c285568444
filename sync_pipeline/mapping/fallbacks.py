"""Where a mapped value comes from when the ERP record's own field is empty (None or blank).

The seed says: phone "If null or empty: try CompanyService phonenumbers", e-mail "If null or empty:
try CompanyService email addresses". It does not say in which order; the orders are fixed here
and documented in docs/field-maps.md:

- MobilePhone: the company's Mobile, then Primary, Work, Home (a number that can take a text
  message first; any reachable number is better than none for a carrier's delivery notice).
- TelePhone: the company's Primary, then Work, Home, Mobile.
- Email: the company's Invoice address (the seed's own source is the invoice e-mail), then
  Primary, Work, Home, Alternative.
- DeliveryDate (required by the WMS): today's date, 00:00 UTC, when the order has none.

Fax numbers are never used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timezone
from typing import Any

from .paths import get_path
from .values import text

MOBILE_PHONE_ORDER = ("Mobile", "Primary", "Work", "Home")
TELEPHONE_ORDER = ("Primary", "Work", "Home", "Mobile")
EMAIL_ORDER = ("Invoice", "Primary", "Work", "Home", "Alternative")


@dataclass(frozen=True)
class MappingContext:
    """What a fallback may look at besides the record: the order's customer company and the clock."""

    company: Any = None  # the CompanyService record of InvoiceOrder.CustomerId, if fetched
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass(frozen=True)
class Fallback:
    name: str
    description: str
    value: Callable[[MappingContext], Any]


def _first_company_value(container: str, kinds: tuple[str, ...]) -> Callable[[MappingContext], Any]:
    def first(context: MappingContext) -> Any:
        for kind in kinds:
            value = text(get_path(context.company, f"{container}.{kind}.Value"))
            if value:
                return value
        return None

    return first


def _today_utc(context: MappingContext) -> datetime:
    now = context.now if context.now.tzinfo else context.now.replace(tzinfo=timezone.utc)
    return datetime.combine(now.astimezone(timezone.utc).date(), time(), tzinfo=timezone.utc)


def _company_order(container: str, kinds: tuple[str, ...]) -> str:
    return f"the first non-empty of Company ⇒ {container} ⇒ {', '.join(kinds)} (⇒ Value), from CompanyService"


FALLBACKS: dict[str, Fallback] = {
    f.name: f
    for f in (
        Fallback(
            "company_mobile_phone",
            _company_order("PhoneNumbers", MOBILE_PHONE_ORDER),
            _first_company_value("PhoneNumbers", MOBILE_PHONE_ORDER),
        ),
        Fallback(
            "company_telephone",
            _company_order("PhoneNumbers", TELEPHONE_ORDER),
            _first_company_value("PhoneNumbers", TELEPHONE_ORDER),
        ),
        Fallback(
            "company_email",
            _company_order("EmailAddresses", EMAIL_ORDER),
            _first_company_value("EmailAddresses", EMAIL_ORDER),
        ),
        Fallback("today_utc", "today's date, 00:00 UTC (the WMS requires a delivery date)", _today_utc),
    )
}
