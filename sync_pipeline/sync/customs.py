"""Customs completeness before release: an export order is held, not pushed, while its articles lack customs data.

An order delivered outside the merchant's customs area (SYNC_CUSTOMS_AREA) needs, for every article on
it, an HS code, a country of origin and a customs value, or the warehouse cannot print its customs papers
and the parcel stops at the border. What counts is what the warehouse will use:

- HS code: the article's `StatisticsNumber` in the warehouse (6 to 10 digits; dots and spaces allowed);
- country of origin: the article's `CountryOfOriginCode` (two letters);
- customs value: the article's `Price` in the warehouse (Ongoing's article has no element named customs
  value: its `Price` is the article's value on the warehouse's customs papers), or the order line's own
  `OrderLineTotalCustomsValue` when SYNC_EXTRA_FIELDS maps one from the ERP row.

Extra fields of the article map (`StatisticsNumber`, `CountryOfOriginCode`, `Price`) reach the warehouse
through the article sync, which runs before the orders; so the warehouse's article is the one truth read
here (GetInventoryByQuery, one read per batch of orders).

A held order is a per-record failure the first time (the run's `failures`, the ledger's retry, the
`no_failed_records` check and so an alert) and again only when what it lacks changes or an operator's run
asks for it; while it stays the same, each run re-checks it (the ledger keeps it due) and lists it under
the metadata's `customs_held` without alerting again. Once the data is there the order is pushed like any
other and listed under `customs_released`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sync_pipeline.ledger import Kind
from sync_pipeline.mapping.order import invoice_rows, order_key
from sync_pipeline.mapping.paths import get_path
from sync_pipeline.soap.errors import RecordError
from sync_pipeline.sync.gate import version_of

if TYPE_CHECKING:
    from sync_pipeline.erp.models import InvoiceOrder
    from sync_pipeline.ledger import LedgerEntry
    from sync_pipeline.processes.protocols import Erp, Wms
    from sync_pipeline.sync.writer import RecordWriter
    from sync_pipeline.wms.models import InventoryLine

# The EU's member states (ISO 3166 alpha-2; Greece is GR here, as Ongoing and 24SevenOffice write it).
EU = frozenset({"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
                "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})
# Named areas SYNC_CUSTOMS_AREA accepts besides country codes. Norway is its own customs area.
AREAS: dict[str, frozenset[str]] = {"EU": EU, "NO": frozenset({"NO"})}
HELD = "customs_held"  # report detail: the orders held this run, with what each article lacks
RELEASED = "customs_released"  # report detail: orders pushed this run after a hold
HOLD_PREFIX = "held for customs"  # how a hold's message starts (in the ledger's last error too)

_HS_CODE = re.compile(r"^\d{6,10}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
LINE_CUSTOMS_VALUE = "OrderLineTotalCustomsValue"


def customs_area(value: str | Iterable[str]) -> frozenset[str]:
    """The country codes of SYNC_CUSTOMS_AREA: named areas (EU, NO) and codes, comma-separated; empty or
    `off`: no check. Raises ValueError naming a word that is neither."""
    words = value.split(",") if isinstance(value, str) else list(value)
    codes: set[str] = set()
    for word in (w.strip().upper() for w in words):
        if not word or word == "OFF":
            continue
        if word in AREAS:
            codes |= AREAS[word]
        elif _COUNTRY.match(word):
            codes.add(word)
        else:
            raise ValueError(f"{word!r} is neither a named area ({', '.join(AREAS)}) nor a two-letter country code")
    return frozenset(codes)


@dataclass(frozen=True)
class Lack:
    """One article of a held order and the customs data it lacks (the elements' names)."""

    article: str  # as people know it: "SKU-1003 (product 3)"
    lacks: tuple[str, ...]


@dataclass(frozen=True)
class Hold:
    order: str
    country: str
    articles: tuple[Lack, ...]

    def message(self) -> str:
        lacking = "; ".join(f"{a.article} lacks {', '.join(a.lacks)}" for a in self.articles)
        return (f"{HOLD_PREFIX} (delivery to {self.country}, outside the customs area): {lacking}; "
                "not sent to the warehouse until the data is there (checked again every run)")

    def fields(self) -> str:
        return ", ".join(sorted({name.split(" ")[0] for a in self.articles for name in a.lacks}))

    def detail(self) -> dict[str, Any]:
        return {"order": self.order, "country": self.country,
                "articles": {a.article: list(a.lacks) for a in self.articles}}


class CustomsCheck:
    """Holds the export orders of a batch whose articles lack customs data (SYNC_CUSTOMS_AREA)."""

    def __init__(self, erp: Erp, wms: Wms, area: frozenset[str]):
        self.erp, self.wms, self.area = erp, wms, area
        self._articles: dict[str, InventoryLine] = {}  # by ProductCode (the ERP product id)
        self._numbers: dict[str, str] = {}  # ERP product id -> product number

    @property
    def on(self) -> bool:
        return bool(self.area)

    def read(self, orders: Sequence[InvoiceOrder]) -> None:
        """Read, once per batch, the warehouse's articles on the batch's orders that leave the area."""
        if not self.on:
            return
        ids = sorted({int(product) for o in orders if self._leaves_area(_text(get_path(o, "Addresses.Delivery.Country")))
                      for row in invoice_rows(o) if (product := get_path(row, "ProductId")) is not None}
                     - {int(k) for k in self._numbers})
        if not ids:
            return
        products = self.erp.products(ids)
        self._numbers.update({str(p.Id): p.No for p in products if p.Id is not None and p.No})
        numbers = [self._numbers[str(i)] for i in ids if str(i) in self._numbers]
        self._articles.update({line.ProductCode: line for line in self.wms.inventory(article_numbers=numbers)
                               if line.ProductCode})

    def holds(self, writer: RecordWriter, order: InvoiceOrder, payload: Mapping[str, Any]) -> bool:
        """Whether this order, about to be pushed, is held (recorded as such); a released one is noted."""
        if not self.on:
            return False
        key = order_key(order)
        hold = self.hold(key, payload)
        if hold is None:
            _note_release(writer, key)
            return False
        _record_hold(writer, hold, version=version_of(order.DateChanged))
        return True

    def hold(self, key: str, payload: Mapping[str, Any]) -> Hold | None:
        """Why this order (as it would be pushed) must wait, or None when it may go."""
        country = _text(get_path(payload, "Customer.CountryCode")) if self.on else None
        if not country or not self._leaves_area(country):
            return None
        lacking = tuple(lack for line in payload.get("CustomerOrderLines") or []
                        if (lack := self._lack(line)) is not None)
        lacking = tuple({lack.article: lack for lack in lacking}.values())  # an article on two lines: once
        return Hold(key, country, lacking) if lacking else None

    def _leaves_area(self, country: str | None) -> bool:
        return country is not None and country not in self.area

    def _lack(self, line: Mapping[str, Any]) -> Lack | None:
        code = str(line.get("ProductCode") or "")
        number = self._numbers.get(code)
        name = f"{number} (product {code})" if number else f"product {code}"
        article = self._articles.get(code)
        if article is None:
            return Lack(name, ("the article itself (not in the warehouse)",))
        lacks: list[str] = []
        hs_code = re.sub(r"[\s.]", "", article.StatisticsNumber or "")
        if not hs_code:
            lacks.append("StatisticsNumber (HS code)")
        elif not _HS_CODE.match(hs_code):
            lacks.append(f"StatisticsNumber (HS code: {article.StatisticsNumber!r} is not 6 to 10 digits)")
        origin = (article.CountryOfOriginCode or "").strip().upper()
        if not origin:
            lacks.append("CountryOfOriginCode (country of origin)")
        elif not _COUNTRY.match(origin):
            lacks.append(f"CountryOfOriginCode (country of origin: {article.CountryOfOriginCode!r} is not two letters)")
        if not _positive(article.Price) and not _positive(line.get(LINE_CUSTOMS_VALUE)):
            lacks.append(f"Price (customs value; or the line's {LINE_CUSTOMS_VALUE})")
        return Lack(name, tuple(lacks)) if lacks else None


def _record_hold(writer: RecordWriter, hold: Hold, *, version: str | None) -> None:
    """A held order: a failure (alerted) when the hold is new or changed or an operator asked; else a detail.

    The ledger records a hold under a version of its own (the order's, marked with what it lacks): a
    new or changed hold starts at attempt 1 and a hold that stays the same is not recorded again, so a
    hold never counts its way to a dead letter; its retry stays due and every run checks it again.
    """
    error = RecordError(key=hold.order, message=hold.message(), field=hold.fields(), retryable=True)
    writer.report.details.setdefault(HELD, []).append(hold.detail())
    held_as = f"{version or ''}#{HOLD_PREFIX}:{hashlib.sha256(error.message.encode()).hexdigest()[:16]}"
    entry = _entry(writer, hold.order)
    if entry is None or entry.dead or entry.source_version != held_as:
        writer.fail(hold.order, error, version=held_as)
    elif writer.gate.retry_now:
        writer.report.fail(error)  # an operator asked about this order: told again, the ledger left as it is


def _note_release(writer: RecordWriter, key: str) -> None:
    """An order about to be pushed: listed as released when the ledger has it held."""
    entry = _entry(writer, key)
    if entry is not None and (entry.last_error or "").startswith(HOLD_PREFIX):
        writer.report.details.setdefault(RELEASED, []).append(key)


def _entry(writer: RecordWriter, key: str) -> LedgerEntry | None:
    """The order as the ledger has it now (None: no ledger, or never seen)."""
    ledger = writer.gate.ledger
    return ledger.get(Kind.ORDER, key) if ledger is not None else None


def _text(value: Any) -> str | None:
    return str(value).strip().upper() or None if value is not None else None


def _positive(value: Any) -> bool:
    try:
        return value is not None and Decimal(str(value)) > 0
    except ArithmeticError:
        return False
