"""The pipeline's settings, from the environment and a `.env` file, checked once at start.

Every wrong value gets its own line naming the variable and what is expected. Passwords and the
alert webhook URL are SecretStr: they never appear in repr(), logs or error messages (pydantic is
told to hide input values in its errors; our own messages only echo values that are not secret).

    settings = load_settings()          # raises SettingsError listing every wrong value
    erp = ErpClient(settings.erp_connection())
    wms = WmsClient(settings.wms_connection())
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Annotated, Any, Callable, Literal
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import BeforeValidator, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from sync_pipeline.celery_broker import check_broker_url
from sync_pipeline.erp.connection import DEFAULT_BASE_URL as SO24_DEFAULT_BASE_URL
from sync_pipeline.erp.budget import DEFAULT_REQUESTS_PER_HOUR
from sync_pipeline.erp.connection import ErpConnection
from sync_pipeline.erp.models import OrderStatus
from sync_pipeline.ledger.backoff import DEFAULT_ATTEMPTS, DEFAULT_BASE_SECONDS, DEFAULT_MAX_SECONDS
from sync_pipeline.ledger.engine import check_url as check_ledger_url
from sync_pipeline.ledger.model import LedgerError
from sync_pipeline.mapping.extra import ExtraField
from sync_pipeline.mapping.fieldmaps import MAPS
from sync_pipeline.mapping.variants import PART_ELEMENTS, VariantRule
from sync_pipeline.soap.transport import DEFAULT_MAX_REPLY_MB, MB
from sync_pipeline.sync.customs import customs_area
from sync_pipeline.sync.shipment import TRACKING_FIELDS
from sync_pipeline.urls import http_url, shown_url, wms_base_url
from sync_pipeline.wms.connection import WmsConnection


class SettingsError(ValueError):
    """The configuration cannot be used; the message has one line per wrong value."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid settings:\n" + "\n".join(f"  {line}" for line in problems))


_ON = {"on", "true", "yes", "1"}
_OFF = {"off", "false", "no", "0"}
_RETRY_WAIT_LIMIT = 7 * 24 * 3600  # a week: longer is a typo, and waits must fit a date
_RETRY_ATTEMPTS_LIMIT = 1000
_RETRY_WAIT = f"must be a whole number of seconds from 1 to {_RETRY_WAIT_LIMIT}"
_RETRY_ATTEMPTS = f"must be a whole number of attempts from 1 to {_RETRY_ATTEMPTS_LIMIT}"
_STOCK_HISTORY_DAYS_LIMIT = 3660  # ten years
_STOCK_HISTORY_DAYS = f"must be a whole number of days from 1 to {_STOCK_HISTORY_DAYS_LIMIT}"


def _whole_number(value: Any) -> int | None:
    """The value as a whole number (surrounding spaces allowed), None if it is not one."""
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _whole_check(low: int, high: int | None, expected: str) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        number = _whole_number(value)
        if number is None or number < low or (high is not None and number > high):
            raise ValueError(f"{expected}, got {value!r}")
        return number
    return check


def _whole(low: int, high: int | None, expected: str) -> BeforeValidator:
    """A field's constraint: a whole number from `low` to `high` (None: no bound); else "<expected>, got <value>"."""
    return BeforeValidator(_whole_check(low, high, expected))


def _unset_or_whole(low: int, high: int | None, expected: str) -> BeforeValidator:
    """As _whole, for a setting that may be left unset (None, or blank in the environment)."""
    check = _whole_check(low, high, expected)
    return BeforeValidator(lambda value: None if value is None or str(value).strip() == "" else check(value))


def _on_off(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _ON:
        return True
    if word in _OFF:
        return False
    raise ValueError(f"must be on or off, got {value!r}")


OnOff = Annotated[bool, BeforeValidator(_on_off)]  # a switch: on/off, true/false, yes/no, 1/0
_ORDER_STATES = ("sync_order_status", "sync_shipped_erp_status", "sync_imported_erp_status")


class Settings(BaseSettings):
    """One deployment: both systems' accounts and which processes run how."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # VAR= in .env means "not set", so defaults apply
        extra="ignore",  # the same .env may carry other tools' variables
        hide_input_in_errors=True,  # never echo a value (it could be a password) in a pydantic error
        frozen=True,
    )

    # 24SevenOffice
    so24_base_url: str = SO24_DEFAULT_BASE_URL
    so24_application_id: UUID
    so24_username: str
    so24_password: SecretStr
    so24_identity_id: UUID | None = None  # None: the user's default identity

    # Ongoing WMS
    ongoing_base_url: str  # the warehouse's API root: https://api.ongoingsystems.se/<Warehouse>
    ongoing_goods_owner_code: str
    ongoing_username: str
    ongoing_password: SecretStr

    # Processes (the seed's defaults)
    sync_articles: OnOff = True
    sync_orders: OnOff = True
    sync_suppliers: OnOff = False
    sync_stock: OnOff = True
    sync_interval_minutes: Annotated[int, _whole(1, 1440, "must be a whole number of minutes from 1 to 1440 (one day)")] = 15
    # how often the order sensors look for new and shipped orders
    sync_sensor_interval_seconds: Annotated[int, _whole(1, 3600, "must be a whole number of seconds from 1 to 3600")] = 30
    # how often wms_shipped_orders looks (Ongoing requests, not 24SevenOffice's); None: as the sensors above
    sync_shipped_sensor_interval_seconds: Annotated[
        int | None, _unset_or_whole(1, 3600, "must be a whole number of seconds from 1 to 3600")] = None
    sync_order_status: OrderStatus = OrderStatus.CONFIRMED  # orders in this ERP status are pulled
    sync_report_shipped: OnOff = True
    sync_returns: OnOff = True  # read the warehouse's return orders of our orders (processes/returns.py)
    # the WMS status number meaning "sent"
    sync_wms_sent_status: Annotated[int, _whole(1, None, "must be an Ongoing WMS order status number, like 450 (Sent)")] = 450
    sync_shipped_erp_status: OrderStatus = OrderStatus.SENT  # set in the ERP when shipped
    sync_imported_erp_status: OrderStatus | None = None  # set in the ERP when imported; None = off
    # the ERP order text field the shipped orders' waybills and carrier are appended to; None = off
    sync_tracking_field: str | None = "InvoiceText"
    sync_report_delivered: OnOff = True  # picked quantities -> the rows' QuantityDelivered / QuantityRest
    # Cancellations (sync/cancellations.py): ERP statuses that cancel the warehouse's order (deleted orders
    # always do), and the status a warehouse-cancelled order gets in the ERP (None: "off", alerted only).
    sync_cancellations: OnOff = True
    sync_cancel_erp_statuses: Annotated[tuple[OrderStatus, ...], NoDecode] = (
        OrderStatus.OFFER, OrderStatus.DRAFT, OrderStatus.INACTIVE)
    sync_wms_cancelled_erp_status: OrderStatus | None = OrderStatus.INACTIVE
    # rows without a product whose text matches (regular expression, any case) are freight rows: their
    # text becomes the way of delivery of an order without one; None = off
    sync_freight_row_pattern: str | None = None
    # whose names ways of delivery keep in the warehouse: the ERP's (renamed with it) or the warehouse's own
    sync_way_of_delivery_names: Literal["erp", "warehouse"] = "erp"
    # physical: the WMS's NumberOfItemsDecimal; sellable: SellableNumberOfItems (minus booked items).
    # Physical is the default: 24SevenOffice reserves its own open orders against Stock, so writing
    # sellable stock would count those orders twice.
    sync_stock_basis: Literal["physical", "sellable"] = "physical"
    # on: a delta stock cycle compares only the articles whose stock changed in the warehouse since its cursor
    # (StockInfoChangedFrom); off by default, see docs/operations.md ("The stock change feed")
    sync_stock_change_feed: OnOff = False
    sync_variations: OnOff = False  # on: each family of variants is one ArticleGroup in the WMS (mapping/variants.py)
    sync_variant_separator: str = "-"  # variant numbers are "<base><separator><variant>"
    sync_variant_parts: Annotated[tuple[str, ...], NoDecode] = ()  # e.g. color,size: what a variant's number parts are
    sync_extra_fields: Annotated[tuple[ExtraField, ...], NoDecode] = ()
    # Export orders (delivered outside these countries) wait for their articles' customs data; empty = off
    sync_customs_area: Annotated[frozenset[str], NoDecode] = frozenset()
    sync_alert_webhook_url: SecretStr | None = None  # URLs often carry a token
    # Alerts (docs/operations.md): links to runs, Slack and e-mail (each on only when its settings are set)
    sync_ui_base_url: str = "http://127.0.0.1:3000"  # the Dagster UI as operators reach it
    sync_slack_token: SecretStr | None = None
    sync_slack_channel: str | None = None
    sync_alert_email_from: str | None = None
    sync_alert_email_to: Annotated[tuple[str, ...], NoDecode] = ()  # comma-separated addresses
    sync_alert_email_smtp_host: str | None = None
    sync_alert_email_smtp_port: int | None = None  # default: 465 for SSL, 587 for STARTTLS
    sync_alert_email_smtp_type: Literal["SSL", "STARTTLS"] = "SSL"
    sync_alert_email_smtp_user: str | None = None  # default: the sender address
    sync_alert_email_smtp_password: SecretStr | None = None
    # Many merchants in one deployment (docs/tenants.md): a YAML file listing each merchant's logins and
    # settings; None: these variables are the one merchant.
    sync_tenants_file: Path | None = None
    # The distributed engine (docs/deploy.md): a Celery broker (redis://...) runs each step on Celery
    # workers (dagster-celery); None: steps run in the run's own process.
    sync_celery_broker_url: SecretStr | None = None  # a broker URL may carry a password
    # The sync ledger's database (docs/ledger.md); None: sync_ledger.sqlite under DAGSTER_HOME.
    sync_ledger_url: SecretStr | None = None  # a PostgreSQL URL carries its password
    # Where each stock cycle's rows are kept (stock/history.py); None: the ledger's PostgreSQL, else files.
    sync_stock_history_url: SecretStr | None = None
    # stock cycles older than this are pruned as each new one is kept
    sync_stock_history_days: Annotated[int, _whole(1, _STOCK_HISTORY_DAYS_LIMIT, _STOCK_HISTORY_DAYS)] = 400
    # Reconciliation (docs/operations.md, "Drift and latency")
    # settled differences between the systems tolerated before drift_report fails
    sync_drift_threshold: Annotated[int, _whole(0, None, "must be a whole number of differences, 0 or more")] = 0
    # a change this recent is in transit, not drift
    sync_drift_grace_minutes: Annotated[int, _whole(0, 1440, "must be a whole number of minutes, from 0 to 1440")] = 30
    # p95 target for confirmed -> in the WMS and shipped -> Sent
    sync_latency_target_minutes: Annotated[int, _whole(1, None, "must be a whole number of minutes, 1 or more")] = 60
    # Replies larger than this are refused (soap/transport.py): a bound on what one reply may hold in memory.
    sync_max_reply_mb: Annotated[int, _whole(1, None, "must be a whole number of megabytes, 1 or more")] = \
        DEFAULT_MAX_REPLY_MB
    # Requests to 24SevenOffice per merchant login in any hour (erp/budget.py); the service allows 7,200.
    sync_erp_requests_per_hour: Annotated[int, _whole(1, None, "must be a whole number of requests, 1 or more")] = \
        DEFAULT_REQUESTS_PER_HOUR
    # A failed record's retries (ledger/backoff.py): waits double from the base up to the max, less up
    # to half at random; after this many attempts it is dead-lettered.
    sync_retry_base_seconds: Annotated[int, _whole(1, _RETRY_WAIT_LIMIT, _RETRY_WAIT)] = DEFAULT_BASE_SECONDS
    sync_retry_max_seconds: Annotated[int, _whole(1, _RETRY_WAIT_LIMIT, _RETRY_WAIT)] = DEFAULT_MAX_SECONDS
    sync_retry_attempts: Annotated[int, _whole(1, _RETRY_ATTEMPTS_LIMIT, _RETRY_ATTEMPTS)] = DEFAULT_ATTEMPTS

    @classmethod
    def load(cls, env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
        """Settings from the environment, `env_file` (None: no file) and `overrides`.

        Raises SettingsError with one line per wrong or missing value.
        """
        try:
            return cls(_env_file=env_file, **overrides)
        except ValidationError as invalid:
            raise SettingsError([_problem(error) for error in invalid.errors()]) from None

    # -- checks ----------------------------------------------------------------------------

    @field_validator("so24_base_url", "ongoing_base_url", mode="before")
    @classmethod
    def _http_url(cls, value: Any, info: Any) -> Any:
        if not isinstance(value, str):
            return value
        if info.field_name != "ongoing_base_url":
            return http_url(value)
        url = wms_base_url(value)
        if not urlsplit(url).path.strip("/"):
            raise ValueError(
                f"must include the warehouse, like https://api.ongoingsystems.se/<Warehouse>, got {shown_url(value)!r}"
            )
        return url

    @field_validator("so24_application_id", "so24_identity_id", mode="before")
    @classmethod
    def _uuid(cls, value: Any, info: Any) -> Any:
        if value is None or isinstance(value, UUID):
            parsed = value
        else:
            try:
                parsed = UUID(str(value).strip())
            except ValueError:
                raise ValueError(f"must be a UUID like 11111111-1111-1111-1111-111111111111, got {value!r}") from None
        if parsed is not None and parsed.int == 0:
            if info.field_name == "so24_identity_id":
                return None  # all zeros is the service's own "default identity"
            raise ValueError("must be your application's id, not all zeros")
        return parsed

    @field_validator("so24_username", "ongoing_goods_owner_code", "ongoing_username", mode="before")
    @classmethod
    def _not_blank(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError("must not be blank")
        return value

    @model_validator(mode="after")
    def _retry_sense(self) -> Settings:
        if self.sync_retry_max_seconds < self.sync_retry_base_seconds:
            raise ValueError(
                f"SYNC_RETRY_MAX_SECONDS ({self.sync_retry_max_seconds}) is less than SYNC_RETRY_BASE_SECONDS "
                f"({self.sync_retry_base_seconds}): the longest wait between retries cannot be shorter than the first"
            )
        return self

    @field_validator(*_ORDER_STATES, mode="before")
    @classmethod
    def _order_status(cls, value: Any) -> Any:
        if value is None or isinstance(value, OrderStatus):
            return value
        name = str(value).strip()
        if name in OrderStatus._value2member_map_:
            return OrderStatus(name)
        if name.lower() == "sent":
            raise ValueError(f"{value!r} is not a 24SevenOffice order status: use OrderState_Sent (the service's name for Sent)")
        names = [status.value for status in OrderStatus]
        close = difflib.get_close_matches(name, names, n=1) or [n for n in names if n.lower() == name.lower()]
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"{value!r} is not a 24SevenOffice order status{hint}; one of: {', '.join(names)}")

    @field_validator("sync_tracking_field", mode="before")
    @classmethod
    def _tracking_field(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and value.strip().lower() in _OFF):
            return None
        name = str(value).strip()
        known = {field.lower(): field for field in TRACKING_FIELDS}
        if name.lower() not in known:
            raise ValueError(f"must be off or a text field of the 24SevenOffice order: {', '.join(TRACKING_FIELDS)}; "
                             f"got {value!r}")
        return known[name.lower()]

    @field_validator("sync_wms_sent_status")
    @classmethod
    def _sent_before_returned(cls, value: int) -> int:
        if value >= 800:
            raise ValueError(f"must be below 800 (800 is Returned, 1000 and up cancelled: not shipments), got {value}")
        return value

    @field_validator("sync_freight_row_pattern", mode="before")
    @classmethod
    def _freight_row_pattern(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            re.compile(value)
        except (re.error, TypeError) as wrong:
            raise ValueError(f"must be a regular expression like ^(frakt|freight), got {value!r}: {wrong}") from None
        return value

    @field_validator("sync_way_of_delivery_names", mode="before")
    @classmethod
    def _way_of_delivery_names(cls, value: Any) -> Any:
        word = str(value).strip().lower()
        if word not in ("erp", "warehouse"):
            raise ValueError(f"must be erp (names follow 24SevenOffice) or warehouse (the warehouse keeps its own), "
                             f"got {value!r}")
        return word

    @field_validator("sync_cancel_erp_statuses", mode="before")
    @classmethod
    def _cancel_statuses(cls, value: Any) -> Any:
        names = [part for part in str(value).split(",") if part.strip()] if isinstance(value, str) else value
        statuses = tuple(cls._order_status(name) for name in names)
        if not statuses:
            raise ValueError("name at least one 24SevenOffice order status, like Offer,Draft (or switch "
                             "SYNC_CANCELLATIONS off)")
        return statuses

    @field_validator("sync_wms_cancelled_erp_status", mode="before")
    @classmethod
    def _cancelled_status(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, OrderStatus) and str(value).strip().lower() in _OFF:
            return None
        return cls._order_status(value)

    @model_validator(mode="after")
    def _cancel_statuses_not_live(self) -> Settings:
        # An order in one of these statuses is the integration's own (pulled, imported, shipped): cancelling
        # on it would remove every order the moment it is pushed.
        live = {self.sync_order_status, self.sync_imported_erp_status, self.sync_shipped_erp_status}
        clash = [status.value for status in self.sync_cancel_erp_statuses if status in live]
        if clash:
            raise ValueError(f"SYNC_CANCEL_ERP_STATUSES names {', '.join(clash)}, which the integration itself "
                             "sets or pulls (SYNC_ORDER_STATUS, SYNC_IMPORTED_ERP_STATUS, SYNC_SHIPPED_ERP_STATUS)")
        marked = self.sync_wms_cancelled_erp_status
        if marked is not None and marked in (self.sync_order_status, self.sync_imported_erp_status):
            raise ValueError(f"SYNC_WMS_CANCELLED_ERP_STATUS {marked.value} is an "
                             "order status the integration pulls or sets itself: choose another, or off")
        return self

    @field_validator("sync_variant_separator", mode="before")
    @classmethod
    def _variant_separator(cls, value: Any) -> Any:
        if not isinstance(value, str) or not value or value.strip() != value:
            raise ValueError(f"must be one or more characters without surrounding spaces, like -, got {value!r}")
        return value

    @field_validator("sync_variant_parts", mode="before")
    @classmethod
    def _variant_parts(cls, value: Any) -> Any:
        parts = [p.strip().lower() for p in value.split(",")] if isinstance(value, str) else list(value)
        parts = [p for p in parts if p]
        try:
            VariantRule(parts=tuple(parts))
        except ValueError as wrong:
            raise ValueError(f"must be {' and/or '.join(PART_ELEMENTS)}, separated by a comma: {wrong}") from None
        return tuple(parts)

    @field_validator("sync_stock_basis", mode="before")
    @classmethod
    def _stock_basis(cls, value: Any) -> Any:
        word = str(value).strip().lower()
        if word not in ("physical", "sellable"):
            raise ValueError(f"must be physical or sellable, got {value!r}")
        return word

    @field_validator("sync_customs_area", mode="before")
    @classmethod
    def _customs_area(cls, value: Any) -> Any:
        try:
            return customs_area(value if isinstance(value, str) else [str(v) for v in value])
        except ValueError as wrong:
            raise ValueError(f"must be off, EU, NO or country codes separated by commas (e.g. EU,NO): {wrong}") from None

    @field_validator("sync_extra_fields", mode="before")
    @classmethod
    def _extra_fields(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as bad:
                raise ValueError(
                    f'must be a JSON list like [{{"map": "order_line", "target": "LinePrice", "source": "Price"}}]: {bad}'
                ) from None
        if not isinstance(value, (list, tuple)):
            raise ValueError('must be a JSON list of {"map": ..., "target": ..., "source": ...} objects')
        fields: list[ExtraField] = []
        problems: list[str] = []
        for position, entry in enumerate(value, start=1):
            try:
                field = entry if isinstance(entry, ExtraField) else ExtraField.model_validate(entry)
            except ValidationError as invalid:
                problems.append(f"entry {position}: {_extra_field_problem(entry, invalid)}")
                continue
            if any(f.map == field.map and f.target == field.target for f in fields):
                problems.append(f"entry {position}: {field.describe()} sets {field.map} {field.target} a second time")
                continue
            fields.append(field)
        if problems:
            raise ValueError("; ".join(problems))
        return tuple(fields)

    @field_validator("sync_alert_webhook_url", mode="before")
    @classmethod
    def _webhook(cls, value: Any) -> Any:
        secret = value.get_secret_value() if isinstance(value, SecretStr) else value
        if secret is None:
            return None
        parts = urlsplit(str(secret).strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL (the value is not shown: it may carry a token)")
        return str(secret).strip()

    @field_validator("sync_ui_base_url", mode="before")
    @classmethod
    def _ui_url(cls, value: Any) -> Any:
        url = str(value).strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be the http(s) address of the Dagster UI, got {shown_url(str(value))!r}")
        return url

    @field_validator("sync_alert_email_to", mode="before")
    @classmethod
    def _addresses(cls, value: Any) -> Any:
        addresses = [a.strip() for a in value.split(",")] if isinstance(value, str) else list(value)
        bad = [a for a in addresses if a and "@" not in a]
        if bad:
            raise ValueError(f"must be e-mail addresses separated by commas, got {', '.join(bad)}")
        return tuple(a for a in addresses if a)

    @field_validator("sync_alert_email_smtp_type", mode="before")
    @classmethod
    def _smtp_type(cls, value: Any) -> Any:
        word = str(value).strip().upper()
        if word not in ("SSL", "STARTTLS"):
            raise ValueError(f"must be SSL or STARTTLS, got {value!r}")
        return word

    @model_validator(mode="after")
    def _alert_channels_complete(self) -> Settings:
        slack = {"SYNC_SLACK_TOKEN": self.sync_slack_token, "SYNC_SLACK_CHANNEL": self.sync_slack_channel}
        email = {"SYNC_ALERT_EMAIL_FROM": self.sync_alert_email_from, "SYNC_ALERT_EMAIL_TO": self.sync_alert_email_to,
                 "SYNC_ALERT_EMAIL_SMTP_HOST": self.sync_alert_email_smtp_host,
                 "SYNC_ALERT_EMAIL_SMTP_PASSWORD": self.sync_alert_email_smtp_password}
        problems = []
        for channel, values in (("Slack alerts", slack), ("e-mail alerts", email)):
            missing = [name for name, value in values.items() if not value]
            if 0 < len(missing) < len(values):
                problems.append(f"{channel} need {', '.join(missing)} as well (or none of {', '.join(values)})")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def slack_alerts(self) -> tuple[str, str] | None:
        """(token, channel) in clear for the Slack sensor, or None when Slack alerts are off."""
        if self.sync_slack_token is None or not self.sync_slack_channel:
            return None
        return self.sync_slack_token.get_secret_value(), self.sync_slack_channel

    def email_alerts_on(self) -> bool:
        return bool(self.sync_alert_email_from and self.sync_alert_email_to and self.sync_alert_email_smtp_host
                    and self.sync_alert_email_smtp_password)

    @field_validator("sync_ledger_url", "sync_stock_history_url", mode="before")
    @classmethod
    def _ledger_url(cls, value: Any) -> Any:
        url = value.get_secret_value() if isinstance(value, SecretStr) else value
        if url is None:
            return None
        try:
            return check_ledger_url(str(url))
        except LedgerError as unusable:  # its message hides the password
            raise ValueError(str(unusable)) from None

    @field_validator("sync_celery_broker_url", mode="before")
    @classmethod
    def _celery_broker_url(cls, value: Any) -> Any:
        url = value.get_secret_value() if isinstance(value, SecretStr) else value
        return None if url is None or not str(url).strip() else check_broker_url(str(url))

    @model_validator(mode="after")
    def _variations_own_their_elements(self) -> Settings:
        if not self.sync_variations:
            return self
        owned = VariantRule(parts=self.sync_variant_parts).elements()
        clashes = [f"{field.describe()} (SYNC_EXTRA_FIELDS)" for field in self.sync_extra_fields
                   if field.map == "article" and field.target.split(".")[0] in owned]
        if clashes:
            raise ValueError(f"SYNC_VARIATIONS is on and fills the articles' {', '.join(owned)} itself, so "
                             f"extra fields may not: {'; '.join(clashes)}")
        return self

    @model_validator(mode="after")
    def _suppliers_ride_on_articles(self) -> Settings:
        # The warehouse takes a supplier only inside an article (ProcessArticle with MainSupplier), and
        # that write sends the whole article: with articles off it would overwrite articles their own
        # process is switched off for. So the combination is refused rather than half-honoured.
        if self.sync_suppliers and not self.sync_articles:
            raise ValueError(
                "SYNC_SUPPLIERS is on but SYNC_ARTICLES is off: Ongoing WMS takes a supplier only inside an "
                "article, so sending suppliers would overwrite the articles' own data; switch SYNC_ARTICLES on, "
                "or SYNC_SUPPLIERS off"
            )
        return self

    @model_validator(mode="after")
    def _status_sense(self) -> Settings:
        if self.sync_imported_erp_status is not None and self.sync_imported_erp_status == self.sync_order_status:
            raise ValueError(
                "SYNC_IMPORTED_ERP_STATUS equals SYNC_ORDER_STATUS: imported orders would be pulled again"
            )
        return self

    # -- for the pipeline --------------------------------------------------------------------

    def extra_fields_for(self, *maps: str) -> tuple[ExtraField, ...]:
        """The configured extra rows for the named tables (all of them when none are named).

        map_order reads four tables (order_info, customer, invoice_address, order_line): give it
        all of them, or simply `sync_extra_fields`; each mapper picks the rows of its own tables.
        """
        unknown = [name for name in maps if name not in MAPS]
        if unknown:
            raise ValueError(f"unknown map(s) {unknown}; use one of: {', '.join(MAPS)}")
        return tuple(field for field in self.sync_extra_fields if not maps or field.map in maps)

    def alert_webhook_url(self) -> str | None:
        """The alert webhook URL in clear, for the one place that posts to it (never log it)."""
        return self.sync_alert_webhook_url.get_secret_value() if self.sync_alert_webhook_url else None

    # -- connections -------------------------------------------------------------------------

    def erp_connection(self, **options: Any) -> ErpConnection:
        """The 24SevenOffice connection; `options` (timeout, retry) override the client defaults."""
        return ErpConnection(
            base_url=self.so24_base_url,
            application_id=self.so24_application_id,
            username=self.so24_username,
            password=self.so24_password,
            identity_id=self.so24_identity_id,
            **{"max_reply_bytes": self.sync_max_reply_mb * MB,
               "requests_per_hour": self.sync_erp_requests_per_hour, **options},
        )

    def wms_connection(self, **options: Any) -> WmsConnection:
        """The Ongoing WMS connection; `options` (timeout, retry, page_size) override the client defaults."""
        return WmsConnection(
            base_url=self.ongoing_base_url,
            goods_owner_code=self.ongoing_goods_owner_code,
            username=self.ongoing_username,
            password=self.ongoing_password,
            **{"max_reply_bytes": self.sync_max_reply_mb * MB, **options},
        )


def load_settings(env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
    """Settings.load(): the environment and `env_file`, or SettingsError listing every wrong value."""
    return Settings.load(env_file, **overrides)


def _problem(error: Any) -> str:
    location = error.get("loc") or ()
    name = str(location[0]).upper() if location else "settings"
    if error["type"] == "missing":
        return f"{name}: not set (required; set it in the environment or in .env)"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{name}: {message}"


def _extra_field_problem(entry: Any, invalid: ValidationError) -> str:
    """One entry's problems; our own checks already name the entry, pydantic's do not."""
    named = [str(e["msg"]).removeprefix("Value error, ") for e in invalid.errors() if e["type"] == "value_error"]
    unnamed = [
        f"{'.'.join(str(part) for part in e.get('loc') or ()) or 'entry'}: {e['msg']}"
        for e in invalid.errors()
        if e["type"] != "value_error"
    ]
    if unnamed:
        shown = json.dumps(entry, ensure_ascii=False, default=str)
        named.append(f"{shown}: " + "; ".join(unnamed))
    return "; ".join(named)
