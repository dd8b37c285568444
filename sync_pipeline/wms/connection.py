"""Where the Ongoing WMS lives and how to log in to it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.soap.transport import DEFAULT_MAX_REPLY_BYTES
from sync_pipeline.urls import WMS_SERVICE_PATH, wms_base_url

SERVICE_PATH = WMS_SERVICE_PATH


class WmsConnection(BaseModel):
    """Settings of one goods owner in one Ongoing warehouse.

    `base_url` is the warehouse's API root, e.g. "https://api.ongoingsystems.se/<Warehouse>";
    the SOAP service is `base_url + "/service.asmx"`. The password is a SecretStr, so it never
    shows in repr() or in logged settings.
    """

    model_config = ConfigDict(frozen=True)

    base_url: str
    goods_owner_code: str = Field(min_length=1)
    username: str = Field(min_length=1)
    password: SecretStr
    timeout: float = Field(default=30.0, gt=0)
    retry: RetryPolicy = RetryPolicy()
    page_size: int = Field(default=1000, ge=1)
    max_reply_bytes: int = Field(default=DEFAULT_MAX_REPLY_BYTES, gt=0)  # larger replies are refused

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return wms_base_url(value)

    @property
    def service_url(self) -> str:
        if self.base_url.lower().endswith(".asmx"):  # another service address, as given
            return self.base_url
        return self.base_url + SERVICE_PATH
