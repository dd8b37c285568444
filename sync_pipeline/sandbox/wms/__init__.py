"""The Ongoing WMS sandbox: a real HTTP SOAP server driven by the project's own ongoing.wsdl."""

from sync_pipeline.sandbox.wms.system import WmsSandbox

__all__ = ["WmsSandbox"]
