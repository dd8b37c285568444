"""24SevenOffice records as immutable pydantic models.

Attribute names are the service's element names, so field maps can name them as the vendor does.
Build them from a zeep result with `from_zeep` (or `model_validate` on plain dicts): "not set"
sentinels become None, decimals stay Decimal, datetimes become timezone-aware UTC (the service
sends naive UTC), and arrays such as {"InvoiceRow": [...]} become plain lists.

A record also keeps the elements of the reply it does not model, as pydantic extras, when they have
a value (`extra_value`: "not set" sentinels and None are left out, date-times in UTC, nested values
alike): any element of the real record can be the source of an extra field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator, model_validator
from zeep.helpers import serialize_object

from sync_pipeline.erp.sentinels import none_if_not_set
from sync_pipeline.soap.values import as_utc, unwrap_array

UtcDateTime = Annotated[datetime, AfterValidator(as_utc)]


def extra_value(value: Any) -> Any:
    """An unmodelled element's value (zeep's plain value) as a record keeps it; None: not kept.

    "Not set" sentinels are None, date-times aware UTC; in a nested value (a complex element, an
    array) the same holds for each part, and parts without a value are left out.
    """
    if isinstance(value, Mapping):
        kept = {key: part for key, part in ((key, extra_value(part)) for key, part in value.items())
                if part is not None}
        return kept or None
    if isinstance(value, list):
        return [part for part in map(extra_value, value) if part is not None] or None
    value = none_if_not_set(value)
    return as_utc(value) if isinstance(value, datetime) else value


# Elements a record never keeps, whatever the reply holds: a Company's login password would
# otherwise travel on in records (and from there into metadata or a log line).
NEVER_KEPT = frozenset({"Password"})


class ErpModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    @model_validator(mode="before")
    @classmethod
    def _sentinels_to_none(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            fields, keeps_extras = cls.model_fields, cls.model_config.get("extra") == "allow"
            cleaned = {}
            for key, value in data.items():
                if key in fields:
                    cleaned[key] = none_if_not_set(value)
                elif keeps_extras and key not in NEVER_KEPT and (value := extra_value(value)) is not None:
                    cleaned[key] = value
            return cleaned
        return data

    @classmethod
    def from_zeep(cls, value: Any) -> Self:
        return cls.model_validate(serialize_object(value, dict))


def service_text(value: StrEnum | str | None) -> str:
    """An enum member (OrderStatus, a company type) or its text, as the text the service uses; "" for none."""
    return (value.value if isinstance(value, StrEnum) else value) or ""


class OrderStatus(StrEnum):
    """OrderSlipStateType. "Sent" is OrderState_Sent: there is no plain "Sent"."""

    NONE = "None"
    OFFER = "Offer"
    PACK = "Pack"
    INVOICED = "Invoiced"
    WEB = "Web"
    REPEATING = "Repeating"
    COLLECTING_ORDER = "CollectingOrder"
    RETURN = "Return"
    DISTRIBUTION = "Distribution"
    REST = "Rest"
    FOR_INVOICING = "ForInvoicing"
    OVERTIME_RENT = "OvertimeRent"
    CONFIRMED = "Confirmed"
    SENT = "OrderState_Sent"
    PRODUCTION = "Production"
    PAYMENT_REMINDER = "PaymentReminder"
    ON_ACCOUNT = "OnAccount"
    LENDING = "Lending"
    INVOICED_CASH_ACCOUNT = "InvoicedCashAccount"
    INVOICED_PACK = "InvoicedPack"
    INACTIVE = "Inactive"
    HOURS = "Hours"
    SUPER_STORE = "OrderState_SuperStore"
    DRAFT = "Draft"

    @classmethod
    def parse(cls, value: "OrderStatus | str") -> "OrderStatus":
        """The status named exactly as the service names it; ValueError otherwise (zeep would send anything)."""
        try:
            return cls(value)
        except ValueError:
            hint = " (did you mean OrderState_Sent?)" if str(value).lower() == "sent" else ""
            raise ValueError(f"{value!r} is not a 24SevenOffice order status{hint}") from None


class CompanyType(StrEnum):
    NONE = "None"
    LEAD = "Lead"
    CONSUMER = "Consumer"
    BUSINESS = "Business"
    SUPPLIER = "Supplier"


class ApiException(ErpModel):
    """A per-record error inside a result (the service's StackTrace is dropped)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    Type: str | None = None
    Message: str | None = None

    def __str__(self) -> str:
        return ": ".join(part for part in (self.Type, self.Message) if part) or "unknown error"


class Product(ErpModel):
    Id: int | None = None
    No: str | None = None
    Name: str | None = None
    Description: str | None = None
    EAN1: str | None = None
    Weight: Decimal | None = None  # kg
    Stock: Decimal | None = None
    StockControlled: bool | None = None
    SupplierId: int | None = None
    StatusId: int | None = None
    DateChanged: UtcDateTime | None = None
    Price: Decimal | None = None
    InPrice: Decimal | None = None
    APIException: ApiException | None = None


@dataclass(frozen=True)
class ProductPages:
    """Products read a page at a time. listed_up_to: the newest change the listing of them saw, or None
    when they are one read. A page read after the listing may hold a product changed since (newer
    than that), while a product added meanwhile is in no page: a cursor must not move past
    listed_up_to, so that the next delta reads what the listing could not see."""

    pages: Iterator[list[Product]]
    listed_up_to: datetime | None

    @classmethod
    def one_read(cls, products: list[Product]) -> ProductPages:
        return cls(iter([products]), listed_up_to=None)


class Address(ErpModel):
    Street: str | None = None
    State: str | None = None
    PostalCode: str | None = None
    PostalArea: str | None = None
    Name: str | None = None
    City: str | None = None
    Country: str | None = None


class Addresses(ErpModel):
    Post: Address | None = None
    Delivery: Address | None = None
    Visit: Address | None = None
    Invoice: Address | None = None


class DeliveryMethod(ErpModel):
    Id: int | None = None
    Description: str | None = None


class RowType(StrEnum):
    """InvoiceRow.Type: a row that only carries text is Text or TextBold."""

    NORMAL = "Normal"
    TEXT = "Text"
    TEXT_BOLD = "TextBold"


class InvoiceRow(ErpModel):
    ProductId: int | None = None
    RowId: int | None = None
    Quantity: Decimal | None = None
    Price: Decimal | None = None
    Name: str | None = None
    ProductNo: str | None = None
    QuantityDelivered: Decimal | None = None
    QuantityRest: Decimal | None = None
    Type: RowType | None = None


class PhoneNumber(ErpModel):
    Description: str | None = None
    Value: str | None = None


class PhoneNumbers(ErpModel):
    Home: PhoneNumber | None = None
    Fax: PhoneNumber | None = None
    Mobile: PhoneNumber | None = None
    Primary: PhoneNumber | None = None
    Work: PhoneNumber | None = None


class EmailAddress(ErpModel):
    Description: str | None = None
    Name: str | None = None
    Value: str | None = None


class EmailAddresses(ErpModel):
    Home: EmailAddress | None = None
    Invoice: EmailAddress | None = None
    Primary: EmailAddress | None = None
    Work: EmailAddress | None = None
    Alternative: EmailAddress | None = None


# Fields named like their types (InvoiceOrder.OrderStatus: OrderStatus) would shadow the type
# inside the class body, where pydantic resolves annotations; these aliases keep them apart.
_OrderStatus = OrderStatus
_DeliveryMethod = DeliveryMethod
_Addresses = Addresses
_PhoneNumbers = PhoneNumbers
_EmailAddresses = EmailAddresses


class InvoiceOrder(ErpModel):
    OrderId: int | None = None
    OrderStatus: _OrderStatus | None = None
    DeliveryDate: UtcDateTime | None = None
    ReferenceNumber: str | None = None
    YourReference: str | None = None
    DeliveryMethod: _DeliveryMethod | None = None
    InvoiceTitle: str | None = None
    InvoiceText: str | None = None  # printed on the invoice; the shipped process appends tracking to it
    DeliveryAlternative: str | None = None
    CustomerId: int | None = None
    CustomerName: str | None = None
    CustomerDeliveryName: str | None = None
    CustomerDeliveryPhone: str | None = None
    InvoiceEmailAddress: str | None = None
    Addresses: _Addresses | None = None
    InvoiceRows: list[InvoiceRow] = []
    DateChanged: UtcDateTime | None = None
    ExternalStatus: int | None = None
    APIException: ApiException | None = None

    @field_validator("InvoiceRows", mode="before")
    @classmethod
    def _rows_as_list(cls, value: Any) -> list[Any]:
        return unwrap_array(value, "InvoiceRow")


class RowDelivery(BaseModel):
    """What the warehouse delivered of one order row, as SaveInvoices writes it (ChangeState Edit)."""

    model_config = ConfigDict(frozen=True)

    RowId: int
    QuantityDelivered: Decimal
    QuantityRest: Decimal


class OrderShipment(BaseModel):
    """Everything the shipped process writes to one order in one SaveInvoices: the shipped status, the
    whole new text of free-text fields (the merchant's text with the tracking line appended) and the
    delivered quantities of its rows. Absolute values: writing it twice gives the same order."""

    model_config = ConfigDict(frozen=True)

    status: OrderStatus
    texts: dict[str, str] = {}
    rows: tuple[RowDelivery, ...] = ()


class Company(ErpModel):
    Id: int | None = None
    Name: str | None = None
    Type: CompanyType | None = None
    Addresses: _Addresses | None = None
    PhoneNumbers: _PhoneNumbers | None = None
    EmailAddresses: _EmailAddresses | None = None
    DateChanged: UtcDateTime | None = None
    APIException: ApiException | None = None
