"""The ways the simulated ERP says no: SOAP faults worded as the real .NET service words them."""

from __future__ import annotations

from sync_pipeline.sandbox.soap import SoapFault

NOT_AUTHENTICATED = "Not authenticated: the session has expired or you are not logged in."
IDENTITY_BLOCKED = "The provided IdentityId is blocked"
INVOICED_ORDER_LOCKED = "Invoiced orders cannot be changed"


def service_fault(message: str) -> SoapFault:
    """An HTTP 500 fault as an ASP.NET web service raises it from an exception in the operation."""
    return SoapFault(f"Server was unable to process request. ---> {message}")


class InvalidRecord(ValueError):
    """A record (or one of its fields) the sandbox refuses; `path` names where, e.g. `InvoiceRows[0].Quantity`."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message
