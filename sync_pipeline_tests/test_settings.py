"""Settings from the environment and .env: the seed's defaults, one clear line per wrong value, no secrets shown."""

from __future__ import annotations

import json
from uuid import UUID

import pytest
from pydantic import SecretStr

from sync_pipeline.erp import ErpConnection, OrderStatus
from sync_pipeline.mapping import ExtraField
from sync_pipeline.settings import Settings, SettingsError, load_settings
from sync_pipeline.wms import WmsConnection
from sync_pipeline_tests.settings_environment import REQUIRED, clear_settings, load, problems


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    clear_settings(monkeypatch, tmp_path)


def test_defaults_are_the_seeds(monkeypatch):
    settings = load(monkeypatch)
    assert settings.so24_base_url == "https://api.24sevenoffice.com"
    assert settings.so24_identity_id is None
    assert (settings.sync_articles, settings.sync_orders, settings.sync_suppliers, settings.sync_stock) == (True, True, False, True)
    assert settings.sync_interval_minutes == 15
    assert settings.sync_sensor_interval_seconds == 30
    assert settings.sync_order_status is OrderStatus.CONFIRMED
    assert settings.sync_report_shipped is True
    assert settings.sync_wms_sent_status == 450
    assert settings.sync_shipped_erp_status is OrderStatus.SENT
    assert settings.sync_shipped_erp_status.value == "OrderState_Sent"
    assert settings.sync_imported_erp_status is None
    assert settings.sync_stock_basis == "physical"
    assert settings.sync_variations is False
    assert settings.sync_extra_fields == ()
    assert settings.sync_alert_webhook_url is None


def test_values_come_from_a_dotenv_file_and_the_environment_wins(monkeypatch, tmp_path):
    lines = [f"{name}={value}" for name, value in REQUIRED.items()]
    lines += ["SYNC_SUPPLIERS=on", "SYNC_INTERVAL_MINUTES=5", "SYNC_IMPORTED_ERP_STATUS=", "OTHER_TOOL=x"]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("SYNC_INTERVAL_MINUTES", "30")
    settings = Settings.load()
    assert settings.sync_suppliers is True
    assert settings.sync_interval_minutes == 30
    assert settings.sync_imported_erp_status is None  # empty means not set
    assert settings.ongoing_password.get_secret_value() == "wms-pass-4711"


def test_switches_accept_on_off_and_the_usual_spellings(monkeypatch):
    settings = load(monkeypatch, SYNC_ARTICLES="1", SYNC_ORDERS="No", SYNC_SUPPLIERS="TRUE", SYNC_STOCK="0", SYNC_VARIATIONS="yes")
    assert (settings.sync_articles, settings.sync_orders, settings.sync_suppliers, settings.sync_stock) == (True, False, True, False)
    assert settings.sync_variations is True
    settings = load(monkeypatch, SYNC_ARTICLES="off", SYNC_SUPPLIERS="false")
    assert (settings.sync_articles, settings.sync_suppliers) == (False, False)


def test_suppliers_on_with_articles_off_is_refused_at_start(monkeypatch):
    """The warehouse takes a supplier only inside a whole article: it would overwrite articles that are off."""
    with pytest.raises(SettingsError) as refused:
        load(monkeypatch, SYNC_ARTICLES="off", SYNC_SUPPLIERS="on")
    assert "SYNC_SUPPLIERS is on but SYNC_ARTICLES is off" in str(refused.value)
    assert "switch SYNC_ARTICLES on, or SYNC_SUPPLIERS off" in str(refused.value)


def test_statuses_and_ids_are_parsed(monkeypatch):
    settings = load(
        monkeypatch,
        SO24_IDENTITY_ID="22222222-2222-2222-2222-222222222222",
        SYNC_ORDER_STATUS="Pack",
        SYNC_SHIPPED_ERP_STATUS="Invoiced",
        SYNC_IMPORTED_ERP_STATUS="Production",
        SYNC_WMS_SENT_STATUS="460",
        SYNC_STOCK_BASIS="Sellable",
    )
    assert settings.so24_identity_id == UUID("22222222-2222-2222-2222-222222222222")
    assert settings.sync_order_status is OrderStatus.PACK
    assert settings.sync_shipped_erp_status is OrderStatus.INVOICED
    assert settings.sync_imported_erp_status is OrderStatus.PRODUCTION
    assert settings.sync_wms_sent_status == 460
    assert settings.sync_stock_basis == "sellable"


def test_an_all_zero_identity_is_the_default_identity(monkeypatch):
    assert load(monkeypatch, SO24_IDENTITY_ID="00000000-0000-0000-0000-000000000000").so24_identity_id is None


def test_the_ongoing_url_is_the_warehouse_root(monkeypatch):
    settings = load(monkeypatch, ONGOING_BASE_URL="https://api.ongoingsystems.se/Lager1/service.asmx/")
    assert settings.ongoing_base_url == "https://api.ongoingsystems.se/Lager1"


def test_extra_fields_from_json(monkeypatch):
    customs = [
        {"map": "order_line", "target": "LinePrice", "source": "Price"},
        {"map": "article", "target": "PurchasePrice", "source": "InPrice"},
    ]
    settings = load(monkeypatch, SYNC_EXTRA_FIELDS=json.dumps(customs))
    assert settings.sync_extra_fields == (
        ExtraField(map="order_line", target="LinePrice", source="Price"),
        ExtraField(map="article", target="PurchasePrice", source="InPrice"),
    )


def test_every_missing_required_value_is_listed():
    with pytest.raises(SettingsError) as refused:
        Settings.load()
    assert refused.value.problems == [
        f"{name}: not set (required; set it in the environment or in .env)" for name in REQUIRED
    ]


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("SO24_BASE_URL", "api.24sevenoffice.com", "SO24_BASE_URL: must be an http(s) URL, got 'api.24sevenoffice.com'"),
        ("SO24_APPLICATION_ID", "my-app", "SO24_APPLICATION_ID: must be a UUID like 11111111-1111-1111-1111-111111111111, got 'my-app'"),
        ("SO24_APPLICATION_ID", "00000000-0000-0000-0000-000000000000", "SO24_APPLICATION_ID: must be your application's id, not all zeros"),
        ("SO24_IDENTITY_ID", "default", "SO24_IDENTITY_ID: must be a UUID like 11111111-1111-1111-1111-111111111111, got 'default'"),
        ("SO24_USERNAME", "   ", "SO24_USERNAME: must not be blank"),
        ("ONGOING_BASE_URL", "https://api.ongoingsystems.se/", "ONGOING_BASE_URL: must include the warehouse, like https://api.ongoingsystems.se/<Warehouse>"),
        ("ONGOING_BASE_URL", "ftp://api.ongoingsystems.se/Lager1", "ONGOING_BASE_URL: must be an http(s) URL"),
        ("ONGOING_GOODS_OWNER_CODE", " ", "ONGOING_GOODS_OWNER_CODE: must not be blank"),
        ("SYNC_ARTICLES", "sometimes", "SYNC_ARTICLES: must be on or off, got 'sometimes'"),
        ("SYNC_STOCK", "2", "SYNC_STOCK: must be on or off, got '2'"),
        ("SYNC_INTERVAL_MINUTES", "0", "SYNC_INTERVAL_MINUTES: must be a whole number of minutes from 1 to 1440 (one day), got '0'"),
        ("SYNC_INTERVAL_MINUTES", "1441", "SYNC_INTERVAL_MINUTES: must be a whole number of minutes from 1 to 1440"),
        ("SYNC_INTERVAL_MINUTES", "15m", "SYNC_INTERVAL_MINUTES: must be a whole number of minutes"),
        ("SYNC_SENSOR_INTERVAL_SECONDS", "0", "SYNC_SENSOR_INTERVAL_SECONDS: must be a whole number of seconds from 1 to 3600, got '0'"),
        ("SYNC_SENSOR_INTERVAL_SECONDS", "30s", "SYNC_SENSOR_INTERVAL_SECONDS: must be a whole number of seconds"),
        ("SYNC_ORDER_STATUS", "confirmed", "SYNC_ORDER_STATUS: 'confirmed' is not a 24SevenOffice order status (did you mean Confirmed?)"),
        ("SYNC_ORDER_STATUS", "Bekreftet", "SYNC_ORDER_STATUS: 'Bekreftet' is not a 24SevenOffice order status"),
        ("SYNC_SHIPPED_ERP_STATUS", "Sent", "SYNC_SHIPPED_ERP_STATUS: 'Sent' is not a 24SevenOffice order status: use OrderState_Sent"),
        ("SYNC_IMPORTED_ERP_STATUS", "sent", "SYNC_IMPORTED_ERP_STATUS: 'sent' is not a 24SevenOffice order status: use OrderState_Sent"),
        ("SYNC_IMPORTED_ERP_STATUS", "Confirmed", "SYNC_IMPORTED_ERP_STATUS equals SYNC_ORDER_STATUS: imported orders would be pulled again"),
        ("SYNC_WMS_SENT_STATUS", "Sent", "SYNC_WMS_SENT_STATUS: must be an Ongoing WMS order status number, like 450 (Sent), got 'Sent'"),
        ("SYNC_WMS_SENT_STATUS", "-1", "SYNC_WMS_SENT_STATUS: must be an Ongoing WMS order status number"),
        ("SYNC_STOCK_BASIS", "available", "SYNC_STOCK_BASIS: must be physical or sellable, got 'available'"),
        ("SYNC_EXTRA_FIELDS", "LinePrice=Price", "SYNC_EXTRA_FIELDS: must be a JSON list like"),
        ("SYNC_EXTRA_FIELDS", '{"map": "article"}', "SYNC_EXTRA_FIELDS: must be a JSON list of"),
        (
            "SYNC_EXTRA_FIELDS",
            '[{"map": "article", "target": "PurchasePrice", "source": "InPrice"}, {"map": "order_line", "target": "LinePrise", "source": "Price"}]',
            'SYNC_EXTRA_FIELDS: entry 2: extra field {"map": "order_line", "target": "LinePrise", "source": "Price"}: '
            "target 'LinePrise' is not in the WMS service description: CustomerOrderLine has no element 'LinePrise' (did you mean LinePrice?)",
        ),
        ("SYNC_EXTRA_FIELDS", '[{"map": "article", "target": "Price"}]', 'SYNC_EXTRA_FIELDS: entry 1: {"map": "article", "target": "Price"}: source: Field required'),
        (
            "SYNC_EXTRA_FIELDS",
            '[{"map": "article", "target": "Price", "source": "Price"}, {"map": "article", "target": "Price", "source": "InPrice"}]',
            "SYNC_EXTRA_FIELDS: entry 2: ",
        ),
        ("SYNC_ALERT_WEBHOOK_URL", "hooks.example.com/T0KEN", "SYNC_ALERT_WEBHOOK_URL: must be an http(s) URL (the value is not shown: it may carry a token)"),
    ],
)
def test_each_wrong_value_gets_one_clear_line(monkeypatch, name, value, expected):
    found = problems(monkeypatch, **{name: value})
    assert len(found) == 1, found
    assert expected in found[0]


def test_all_wrong_values_are_reported_at_once(monkeypatch):
    found = problems(monkeypatch, SYNC_INTERVAL_MINUTES="0", SYNC_STOCK_BASIS="x", SYNC_SHIPPED_ERP_STATUS="Sent")
    assert [line.split(":")[0] for line in found] == ["SYNC_INTERVAL_MINUTES", "SYNC_SHIPPED_ERP_STATUS", "SYNC_STOCK_BASIS"]


def test_secrets_never_show_in_repr_or_errors(monkeypatch):
    webhook = "https://hooks.example.com/services/T0KEN-SECRET"
    settings = load(monkeypatch, SYNC_ALERT_WEBHOOK_URL=webhook)
    shown = repr(settings) + str(settings) + repr(settings.erp_connection()) + repr(settings.wms_connection())
    for secret in ("demo-password", "wms-pass-4711", "T0KEN-SECRET"):
        assert secret not in shown
    assert settings.sync_alert_webhook_url.get_secret_value() == webhook

    with pytest.raises(SettingsError) as refused:
        load(monkeypatch, SYNC_ALERT_WEBHOOK_URL="mailto:T0KEN-SECRET", SYNC_INTERVAL_MINUTES="0")
    message = str(refused.value)
    for secret in ("demo-password", "wms-pass-4711", "T0KEN-SECRET"):
        assert secret not in message


def test_credentials_in_a_base_url_are_not_echoed(monkeypatch):
    found = problems(monkeypatch, ONGOING_BASE_URL="https://user:hunter2@api.ongoingsystems.se")
    assert "hunter2" not in found[0]
    assert "***@api.ongoingsystems.se" in found[0]


def test_connections_for_the_clients(monkeypatch):
    settings = load(monkeypatch, SO24_IDENTITY_ID="22222222-2222-2222-2222-222222222222")
    erp = settings.erp_connection(timeout=5)
    assert isinstance(erp, ErpConnection)
    assert (erp.base_url, erp.application_id, erp.username, erp.identity_id, erp.timeout) == (
        "https://api.24sevenoffice.com",
        UUID("11111111-1111-1111-1111-111111111111"),
        "demo@example.com",
        UUID("22222222-2222-2222-2222-222222222222"),
        5,
    )
    assert isinstance(erp.password, SecretStr) and erp.password.get_secret_value() == "demo-password"
    wms = settings.wms_connection(page_size=50)
    assert isinstance(wms, WmsConnection)
    assert (wms.service_url, wms.goods_owner_code, wms.username, wms.page_size) == (
        "https://api.ongoingsystems.se/Lager1/service.asmx",
        "DEMO",
        "demo",
        50,
    )
    assert wms.password.get_secret_value() == "wms-pass-4711"


def test_extra_fields_per_table_and_the_webhook_for_the_pipeline(monkeypatch):
    extra = [
        {"map": "order_line", "target": "LinePrice", "source": "Price"},
        {"map": "order_info", "target": "FreeText1", "source": "YourReference"},
        {"map": "article", "target": "PurchasePrice", "source": "InPrice"},
    ]
    webhook = "https://hooks.example.com/services/T0KEN"
    for name, value in {**REQUIRED, "SYNC_EXTRA_FIELDS": json.dumps(extra), "SYNC_ALERT_WEBHOOK_URL": webhook}.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert [f.target for f in settings.extra_fields_for("article")] == ["PurchasePrice"]
    assert [f.target for f in settings.extra_fields_for("order_info", "order_line")] == ["LinePrice", "FreeText1"]
    assert len(settings.extra_fields_for()) == 3
    with pytest.raises(ValueError, match="unknown map"):
        settings.extra_fields_for("orders")
    assert settings.alert_webhook_url() == webhook
