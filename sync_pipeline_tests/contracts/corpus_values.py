"""Realistic values for generated replies: valid for their XSD type, chosen by the element's name.

Every value comes as the text the XML carries and the Python value that text means (str, int,
Decimal, float, bool, datetime). Choices are made by a Picker: a seeded random.Random for the
systematic variants, or hypothesis's draws for property-based tests, so both are deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, NamedTuple, Protocol, TypeVar

from hypothesis import strategies as st

from sync_pipeline_tests.contracts.corpus_schema import SimpleType

T = TypeVar("T")

# 24SevenOffice's "not set" values (see sync_pipeline/erp/sentinels.py); Ongoing has none.
INT_NOT_SET = "-2147483648"
DECIMAL_NOT_SET = "-79228162514264337593543950335"
DATETIME_NOT_SET = "0001-01-01T00:00:00"
GUID_NOT_SET = "00000000-0000-0000-0000-000000000000"


class Picker(Protocol):
    def below(self, n: int) -> int:
        """A whole number 0 <= i < n."""


class SeededPicker:
    def __init__(self, seed: int | str):
        self._random = random.Random(seed)

    def below(self, n: int) -> int:
        return self._random.randrange(n)


class DrawingPicker:
    """Choices drawn by hypothesis (shrinkable); after `budget` draws, from a Random seeded by one draw,
    so that large records stay within hypothesis's limit on the data one example may draw."""

    def __init__(self, draw: Callable[[Any], Any], budget: int = 600):
        self._draw = draw
        self._left = budget
        self._random: random.Random | None = None

    def below(self, n: int) -> int:
        if self._left > 0:
            self._left -= 1
            return self._draw(st.integers(0, n - 1))
        if self._random is None:
            self._random = random.Random(self._draw(st.integers(0, 2**32)))
        return self._random.randrange(n)


def choice(pick: Picker, items: Sequence[T]) -> T:
    return items[pick.below(len(items))]


def chance(pick: Picker, one_in: int) -> bool:
    return pick.below(one_in) == 0


def permutation(pick: Picker, items: Sequence[T]) -> list[T]:
    left, ordered = list(items), []
    while left:
        ordered.append(left.pop(pick.below(len(left))))
    return ordered


class Value(NamedTuple):
    text: str
    value: Any


# -- texts by element name ------------------------------------------------------------------------

PEOPLE = ["Kari Nordmann", "Ola Nordmann", "Åsa Lindström", "Jørgen Ødegård", "Märta Öberg", "Siri Hætta"]
COMPANIES = ["Fjellrype Ull AS", "Bergen Kaffebrenneri & Co AS", "Nordlys Friluft AB", "Høyfjell Sport <Outlet>",
             "Tromsø Isbre ANS", "Göteborgs Hamnlager AB"]
PRODUCTS = ["Ullpledd Fjellrype 130×170", "Sovepose dun −10 °C «ekstra»", "Kaffekjele i støpejern 1,5 l",
            "Votter str. M", "Bålpanne 🔥 60 cm", "Regnjakke \"Storm\" herre"]
STREETS = ["Strandgaten 12", "Storgata 1 B", "Drottninggatan 45", "Kongens gate 7, 3. etg.", "Postboks 250 Sentrum"]
CITIES = ["Bergen", "Oslo", "Trondheim", "Göteborg", "Tromsø", "Malmö"]
POSTCODES = ["5003", "0150", "7011", "411 05", "9008", "211 20"]
COUNTRIES = ["NO", "SE", "DK", "FI"]
COUNTRY_NAMES = ["Norge", "Sverige", "Danmark", "Suomi"]
EMAILS = ["kari.nordmann@fjellrype.no", "ordre@nordlys-friluft.se", "faktura+2024@bergen-kaffe.no",
          "lager@hoyfjell-sport.no"]
PHONES = ["+47 55 12 34 56", "+46 31 123 45 67", "922 33 444", "+47 400 00 000"]
URLS = ["https://sporing.example.no/PK123456789NO", "https://www.example.se/order?id=1042&lang=sv",
        "https://bilder.example.no/artikler/SKU-1042.jpg"]
SENTENCES = ["Leveres på bakrommet, ring på døra", "Pakkes i papir – ikke plast",
             "Obs: skjørt innhold <glass> & keramikk", "Kunden ønsker levering før kl. 12",
             "Returnert: feil størrelse", "Spørsmål? Ring 55 12 34 56"]
CURRENCIES = ["NOK", "SEK", "EUR", "DKK"]
ORGANISATION_NUMBERS = ["987654321", "NO 912 345 678 MVA", "556677-8899", "SE556677889901"]
STATES = ["Vestland", "Troms", "Västra Götaland", "Skåne"]
LANGUAGES = ["nb-NO", "sv-SE", "en-GB"]
WORDS = ["Standard", "Hylle A-12", "Blå", "XL", "Pall", "Sommer 2024", "Ekspress"]
EXCEPTION_TYPES = ["Exception", "ValidationException", "ArgumentException"]


def _code(prefix: str, digits: int) -> Callable[[Picker], str]:
    return lambda pick: f"{prefix}{pick.below(10 ** digits):0{digits}d}"


def _from(items: Sequence[str]) -> Callable[[Picker], str]:
    return lambda pick: choice(pick, items)


def _session_id(pick: Picker) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz012345"
    return "".join(choice(pick, alphabet) for _ in range(24))


# (exact names, parts of names) -> texts; the first rule that matches a name wins.
TEXT_RULES: list[tuple[tuple[str, ...], tuple[str, ...], Callable[[Picker], str]]] = [
    (("LoginResult",), (), _session_id),
    (("StackTrace",), (), _from(["   at Econ.InvoiceOrder.Save(InvoiceOrder order)", "at X.Y()"])),
    (("Type",), (), _from(EXCEPTION_TYPES)),
    (("Symbol",), (), _from(["kr", "€", "NOK"])),
    ((), ("orgno", "organi", "vatnumber"), _from(ORGANISATION_NUMBERS)),
    ((), ("state",), _from(STATES)),
    ((), ("email",), _from(EMAILS)),
    ((), ("phone", "fax", "mobile"), _from(PHONES)),
    ((), ("url", "link", "path"), _from(URLS)),
    ((), ("postcode", "postalcode", "zip"), _from(POSTCODES)),
    ((), ("city", "postalarea"), _from(CITIES)),
    ((), ("countryname",), _from(COUNTRY_NAMES)),
    ((), ("country",), _from(COUNTRIES)),
    ((), ("street", "address"), _from(STREETS)),
    ((), ("currency",), _from(CURRENCIES)),
    ((), ("language",), _from(LANGUAGES)),
    ((), ("message", "text", "remark", "comment", "description", "instruction", "note"), _from(SENTENCES)),
    ((), ("firstname", "lastname", "username", "contact", "person"), _from(PEOPLE)),
    ((), ("customer", "supplier", "goodsowner", "transporter", "company"), _from(COMPANIES + PEOPLE)),
    ((), ("name",), _from(PRODUCTS + COMPANIES + PEOPLE)),
    ((), ("waybill",), _code("PK", 9)),
    ((), ("barcode", "ean", "gln"), _code("704", 10)),
    (("No",), ("article", "product"), _code("SKU-", 4)),
    ((), ("number", "no", "code", "reference", "ocr", "serial", "batch", "id"), _code("A-", 6)),
]


def text_for(name: str, pick: Picker) -> str:
    lowered = name.lower()
    for exact, parts, make in TEXT_RULES:
        if name in exact or any(part in lowered for part in parts):
            return make(pick)
    return choice(pick, WORDS)


# -- values by type ---------------------------------------------------------------------------------

class Dialect(NamedTuple):
    """How one vendor writes values: 24SevenOffice has "not set" sentinels and naive UTC times,
    Ongoing no sentinels and times with or without an offset."""

    sentinels: bool
    offsets: bool


SO24 = Dialect(sentinels=True, offsets=False)
ONGOING = Dialect(sentinels=False, offsets=True)

STATUS_NUMBERS = [150, 200, 300, 320, 400, 450, 500, 800, 1000]


def value_for(name: str, xsd_type: SimpleType, dialect: Dialect, pick: Picker) -> Value:
    """A valid, realistic value for element `name` of `xsd_type`."""
    if xsd_type.enumeration:
        member = choice(pick, xsd_type.enumeration)
        return Value(member, member)
    kind = "guid" if xsd_type.name == "guid" else xsd_type.base
    maker = _MAKERS.get(kind)
    if maker is None or (xsd_type.pattern and kind != "guid"):
        raise NotImplementedError(f"no values for xsd:{xsd_type.base} ({name})")
    return maker(name, dialect, pick)


def _string(name: str, dialect: Dialect, pick: Picker) -> Value:
    text = text_for(name, pick)
    return Value(text, text)


def _integer(low: int, high: int) -> Callable[[str, Dialect, Picker], Value]:
    def make(name: str, dialect: Dialect, pick: Picker) -> Value:
        if dialect.sentinels and high == 2**31 - 1 and chance(pick, 8):
            return Value(INT_NOT_SET, int(INT_NOT_SET))
        if "status" in name.lower():
            number = choice(pick, STATUS_NUMBERS)
        elif "numberof" in name.lower():
            number = pick.below(500)
        elif any(part in name.lower() for part in ("time", "days", "length")):
            number = pick.below(61)
        else:
            number = 1 + pick.below(min(high, 999_999))
        if chance(pick, 12):
            number = choice(pick, [0, -1, low, high])  # the type's limits are valid values too
        return Value(str(number), number)

    return make


def _decimal(name: str, dialect: Dialect, pick: Picker) -> Value:
    if dialect.sentinels and chance(pick, 8):
        return Value(DECIMAL_NOT_SET, Decimal(DECIMAL_NOT_SET))
    scale = choice(pick, [0, 1, 2, 2, 3, 4])
    if any(part in name.lower() for part in ("rate", "percent", "discount")):
        whole = choice(pick, [0, 12, 15, 25, 100]) if chance(pick, 2) else pick.below(100)
    else:
        whole = pick.below(100_000) if chance(pick, 2) else pick.below(100)
    text = str(whole) if scale == 0 else f"{whole}.{pick.below(10 ** scale):0{scale}d}"
    if chance(pick, 6):
        text = "-" + text
    return Value(text, Decimal(text))


def _double(name: str, dialect: Dialect, pick: Picker) -> Value:
    text = choice(pick, ["0", "0.125", "149.5", "1234.75", "-12.5", "1E+3"])
    return Value(text, float(text))


def _boolean(name: str, dialect: Dialect, pick: Picker) -> Value:
    text = choice(pick, ["true", "false", "true", "false", "1", "0"])
    return Value(text, text in ("true", "1"))


def _datetime(name: str, dialect: Dialect, pick: Picker) -> Value:
    if dialect.sentinels and chance(pick, 8):
        return Value(DATETIME_NOT_SET, datetime(1, 1, 1))
    moment = datetime(2023, 1, 1) + timedelta(seconds=pick.below(3 * 365 * 86400))
    text = moment.isoformat()
    fraction = choice(pick, ["", "", ".5", ".123", ".1234567"])  # .NET writes up to seven digits
    if fraction:
        text += fraction
        moment = moment.replace(microsecond=int(fraction[1:7].ljust(6, "0")))  # beyond six: dropped
    if dialect.offsets:
        offset = choice(pick, [None, 0, 60, 120, -300])
        if offset is not None:
            text += "Z" if offset == 0 else f"{'+' if offset > 0 else '-'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
            moment = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    return Value(text, moment)


def _guid(name: str, dialect: Dialect, pick: Picker) -> Value:
    if dialect.sentinels and chance(pick, 4):
        return Value(GUID_NOT_SET, GUID_NOT_SET)
    digits = f"{pick.below(2**128):032x}"
    text = "-".join((digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:]))
    return Value(text, text)


_MAKERS: dict[str, Callable[[str, Dialect, Picker], Value]] = {
    "string": _string,
    "int": _integer(-2**31, 2**31 - 1),
    "long": _integer(-2**63, 2**63 - 1),
    "short": _integer(-2**15, 2**15 - 1),
    "decimal": _decimal,
    "double": _double,
    "boolean": _boolean,
    "dateTime": _datetime,
    "guid": _guid,
}
