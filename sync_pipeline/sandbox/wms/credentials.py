"""The login every Ongoing operation carries: GoodsOwnerCode, UserName and Password."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any, Mapping

from sync_pipeline.sandbox.soap import SoapFault

WRONG_CREDENTIALS = "Server was unable to process request. ---> Wrong UserName, Password or GoodsOwnerCode."


@dataclass(frozen=True)
class Credentials:
    """The one goods owner and user the sandbox knows."""

    goods_owner_code: str = "DEMO"
    username: str = "demo"
    password: str = field(default="demo-password", repr=False)

    def check(self, values: Mapping[str, Any]) -> str:
        """The goods owner code of a request with valid credentials; a SOAP fault otherwise."""
        sent = (values.get("GoodsOwnerCode") or "", values.get("UserName") or "", values.get("Password") or "")
        expected = (self.goods_owner_code, self.username, self.password)
        if not all(hmac.compare_digest(a.encode(), b.encode()) for a, b in zip(sent, expected)):
            raise SoapFault(WRONG_CREDENTIALS)
        return self.goods_owner_code
