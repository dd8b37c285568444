"""What the processes take from the settings: switches and options, typed, with the settings' defaults.

Built once from the validated Settings (ProcessConfig.from_settings); tests and benchmarks use the
defaults without a whole deployment's configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sync_pipeline.mapping.extra import ExtraField
from sync_pipeline.mapping.variants import VariantRule
from sync_pipeline.sync.cancellations import CancelOptions
from sync_pipeline.sync.orders import OrderOptions
from sync_pipeline.sync.shipment import ShipmentOptions

if TYPE_CHECKING:
    from sync_pipeline.settings import Settings
    from sync_pipeline.stock.frames import Basis  # frames imports pandas: not needed at run time here


@dataclass(frozen=True)
class ProcessConfig:
    # The switches, named as the settings fields (SYNC_ARTICLES, ...) that hold them.
    sync_articles: bool = True
    sync_orders: bool = True
    sync_suppliers: bool = False
    sync_stock: bool = True
    sync_report_shipped: bool = True
    sync_returns: bool = True
    sync_cancellations: bool = True
    orders: OrderOptions = OrderOptions()
    cancellations: CancelOptions = CancelOptions()
    shipment: ShipmentOptions = ShipmentOptions()
    extra: tuple[ExtraField, ...] = ()
    variants: VariantRule | None = None  # SYNC_VARIATIONS on: how variants are named
    stock_basis: Basis = "physical"
    stock_change_feed: bool = False  # SYNC_STOCK_CHANGE_FEED
    # The steps of one run share the ERP's product catalogue (processes/shared_reads.py): they run in the
    # run's own process one after another. Off with SYNC_CELERY_BROKER_URL: each step reads for itself.
    share_reads: bool = True

    def switched_on(self, switch: str) -> bool:
        return bool(getattr(self, switch))

    @classmethod
    def from_settings(cls, settings: Settings) -> ProcessConfig:
        return cls(
            sync_articles=settings.sync_articles, sync_orders=settings.sync_orders,
            sync_suppliers=settings.sync_suppliers, sync_stock=settings.sync_stock,
            sync_report_shipped=settings.sync_report_shipped, sync_returns=settings.sync_returns,
            orders=OrderOptions(pull_status=settings.sync_order_status,
                                imported_status=settings.sync_imported_erp_status,
                                wms_sent_status=settings.sync_wms_sent_status,
                                shipped_status=settings.sync_shipped_erp_status,
                                customs_area=settings.sync_customs_area,
                                freight_row_pattern=settings.sync_freight_row_pattern,
                                way_of_delivery_names=settings.sync_way_of_delivery_names),
            sync_cancellations=settings.sync_cancellations,
            cancellations=CancelOptions(cancel_statuses=settings.sync_cancel_erp_statuses,
                                        cancelled_status=settings.sync_wms_cancelled_erp_status),
            shipment=ShipmentOptions(tracking_field=settings.sync_tracking_field,
                                     report_delivered=settings.sync_report_delivered),
            extra=settings.extra_fields_for(),
            variants=(VariantRule(settings.sync_variant_separator, settings.sync_variant_parts)
                      if settings.sync_variations else None),
            stock_basis=settings.sync_stock_basis,
            stock_change_feed=settings.sync_stock_change_feed,
            share_reads=settings.sync_celery_broker_url is None,
        )
