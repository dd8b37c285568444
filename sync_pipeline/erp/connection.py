"""Where and as whom the pipeline talks to 24SevenOffice."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from sync_pipeline.erp.services import ErpService
from sync_pipeline.soap.client import RetryPolicy
from sync_pipeline.soap.transport import DEFAULT_MAX_REPLY_BYTES
from sync_pipeline.urls import http_url

DEFAULT_BASE_URL = "https://api.24sevenoffice.com"


class ErpConnection(BaseModel):
    """Settings of one 24SevenOffice client. The password is a SecretStr: it never shows in repr or logs."""

    model_config = ConfigDict(frozen=True)

    base_url: str = DEFAULT_BASE_URL
    application_id: UUID
    username: str
    password: SecretStr
    identity_id: UUID | None = None  # None: the user's default identity
    timeout: float = Field(default=30.0, gt=0, description="seconds, for connecting and for each reply")
    retry: RetryPolicy = Field(default_factory=RetryPolicy)
    max_reply_bytes: int = Field(default=DEFAULT_MAX_REPLY_BYTES, gt=0, description="larger replies are refused")
    # The login's request budget (erp/budget.py); None: none kept (the settings give the pipeline 7,200).
    requests_per_hour: int | None = Field(default=None, gt=0)
    merchant: str | None = None  # how a spent budget names the merchant (its tenants file key); None: the login

    def login_key(self) -> tuple[str, str, str, str]:
        """What one budget is kept for: the login, whichever client or thread uses it."""
        return self.base_url, str(self.application_id), self.username, str(self.identity_id or "")

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return http_url(value)

    def url(self, service: ErpService) -> str:
        return self.base_url + service.path
