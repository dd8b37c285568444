"""The HTTP side of a sandbox: SOAP endpoints, `?WSDL`, the `/_sandbox/` admin API, injected faults.

One server may host many tenants of its system (ERP clients, goods owners): each its own system
(data, sessions), faults, rate limit and call log. The system given to the server is the default
tenant, whose admin routes are the unprefixed ones; a Tenancy makes the others and tells, for each
SOAP request, whose it is.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Mapping, Protocol
from urllib.parse import unquote, urlsplit

from lxml import etree

from sync_pipeline.sandbox.calls import CallLog
from sync_pipeline.sandbox.faults import DROP, ERROR, MALFORMED, TIMEOUT, FaultConfig, FaultInjector
from sync_pipeline.sandbox.soap import RequestContext, SoapService, render_fault

log = logging.getLogger(__name__)
ADMIN = "/_sandbox/"
MAX_REQUEST_BYTES = 30_000_000  # IIS's default maxAllowedContentLength, in front of both vendors' services


class AdminError(Exception):
    """An admin request the sandbox refuses; answered as JSON `{"error": ...}` with `status`."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class SandboxSystem(Protocol):
    """What one simulated system (ERP or WMS) provides to the HTTP server."""

    name: str
    services: dict[str, SoapService]  # URL path -> endpoint

    def admin(self, method: str, path: str, body: Any) -> Any:
        """Answer a system-specific admin route (path without /_sandbox/); raise AdminError(…, 404) if unknown."""

    def reset(self) -> None: ...

    def state(self) -> dict[str, Any]: ...

    def expire_sessions(self) -> None:
        """Forget every live session (a no-op for systems without sessions)."""


@dataclass
class Tenant:
    """One tenant's system with its own faults, rate limit (in the faults) and call log."""

    system: SandboxSystem
    faults: FaultInjector = field(default_factory=FaultInjector)
    calls: CallLog = field(default_factory=CallLog)
    _services: dict[str, SoapService] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._services = {path.lower(): service for path, service in self.system.services.items()}

    def service_for(self, path: str) -> SoapService | None:
        return self._services.get(path.lower().rstrip("/"))


class Tenancy(Protocol):
    """How a system makes, keeps and recognises its tenants besides the default one."""

    collection: str  # the admin route of the tenants: /_sandbox/<collection>/<name>/...

    def kept(self) -> dict[str, SandboxSystem]:
        """The tenants made earlier and kept in the state file (none in memory), by name."""

    def create(self, body: Any, taken: Mapping[str, SandboxSystem]) -> tuple[str, SandboxSystem, dict[str, Any]]:
        """A new tenant from its admin request: its name, system and what its creator needs to know
        (its credentials); AdminError if the request is wrong or clashes with one in `taken`."""

    def describe(self, system: SandboxSystem) -> dict[str, Any]:
        """What the tenant list shows of one (never its password)."""

    def owner(self, operation: str, request: etree._Element, cookies: Mapping[str, str],
              tenants: Mapping[str, SandboxSystem]) -> str | None:
        """The name of the tenant a SOAP request is for; None: the default tenant's (or nobody's)."""


class SandboxServer:
    """Serves one system (and its tenants, given a Tenancy) on one port, in background threads."""

    def __init__(self, system: SandboxSystem, host: str = "127.0.0.1", port: int = 0, tenancy: Tenancy | None = None):
        self.system = system
        self.default = Tenant(system)
        self.tenancy = tenancy
        self._tenants_lock = threading.Lock()
        self.tenants: dict[str, Tenant] = {name: Tenant(kept) for name, kept in
                                           (tenancy.kept() if tenancy else {}).items()}
        self._systems = {name: tenant.system for name, tenant in self.tenants.items()}  # what Tenancy.owner reads
        self._httpd = ThreadingHTTPServer((host, port), _handler_class(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def faults(self) -> FaultInjector:
        """The default tenant's."""
        return self.default.faults

    @property
    def calls(self) -> CallLog:
        """The default tenant's."""
        return self.default.calls

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SandboxServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sandbox-{self.system.name}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- tenants -----------------------------------------------------------------------------

    def tenant(self, name: str) -> Tenant:
        tenant = self.tenants.get(name)
        if tenant is None:
            raise AdminError(f"no tenant {name!r} (known: {', '.join(sorted(self.tenants)) or 'none'})", 404)
        return tenant

    def add_tenant(self, body: Any) -> dict[str, Any]:
        """Make a tenant (see Tenancy.create); what its creator needs to know."""
        if self.tenancy is None:
            raise AdminError(f"the {self.system.name} sandbox hosts no tenants", 404)
        with self._tenants_lock:
            name, system, created = self.tenancy.create(body, self._systems)
            self.tenants[name] = Tenant(system)
            self._systems = {**self._systems, name: system}  # replaced, never changed: readers keep theirs whole
        return created

    def tenant_of(self, operation: str, request: etree._Element | None, cookies: Mapping[str, str]) -> Tenant:
        systems = self._systems
        if self.tenancy is None or request is None or not systems:
            return self.default
        name = self.tenancy.owner(operation, request, cookies, systems)
        return self.default if name is None else self.tenants[name]

    # -- routing -----------------------------------------------------------------------------

    def service_for(self, path: str) -> SoapService | None:
        return self.default.service_for(path)

    def admin(self, method: str, path: str, body: Any) -> Any:
        route = path[len(ADMIN):].strip("/")
        collection = self.tenancy.collection if self.tenancy else None
        if self.tenancy is not None and route == collection:
            if method == "POST":
                return self.add_tenant(body)
            return [{"name": name, **self.tenancy.describe(tenant.system)} for name, tenant in self.tenants.items()]
        if collection and route.startswith(collection + "/"):
            name, _, rest = route[len(collection) + 1:].partition("/")
            return tenant_admin(self.tenant(unquote(name)), method, rest, body)
        return tenant_admin(self.default, method, route, body)


def tenant_admin(tenant: Tenant, method: str, route: str, body: Any) -> Any:
    """One tenant's admin routes (route without /_sandbox/ and the tenant's prefix)."""
    if (method, route) == ("POST", "reset"):
        tenant.system.reset()
        tenant.faults.reset()
        tenant.calls.reset()
        return {"reset": True}
    if (method, route) == ("GET", "state"):
        return tenant.system.state()
    if route == "faults":
        if method == "POST":
            try:
                config = FaultConfig.from_json(body or {})
            except (TypeError, ValueError) as exc:
                raise AdminError(str(exc)) from exc
            tenant.faults.configure(config)
            if config.expire_sessions:
                tenant.system.expire_sessions()
        return tenant.faults.config.as_json()
    if (method, route) == ("GET", "calls"):
        return tenant.calls.snapshot()
    if (method, route) == ("POST", "calls/reset"):
        tenant.calls.reset()
        return {"reset": True}
    return tenant.system.admin(method, route, body)


# A sleep ends 0.1-0.2 ms after it was due here (timer slack and the wake-up): at 20 ms a call, 1 % of a
# service time the sandbox would add to every call. The last stretch is waited out in zero-length sleeps,
# each of which lets other threads run.
LAST_STRETCH = 0.001


def _wait_until(moment: float) -> None:
    """Return when time.monotonic() reaches `moment` (at once if it has), within a few microseconds."""
    remaining = moment - time.monotonic()
    if remaining > LAST_STRETCH:
        time.sleep(remaining - LAST_STRETCH)
    while time.monotonic() < moment:
        time.sleep(0)


def _handler_class(server: SandboxServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # replies go out in two writes; do not hold the second back
        server_version = "sync-pipeline-sandbox"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            log.debug("%s %s", self.address_string(), format % args)

        def parse_request(self) -> bool:
            # The request line has just come in: a call's latency counts from here, so that parsing its
            # headers is part of the service time, as it is for a remote service (not added to it).
            self.arrived = time.monotonic()
            return super().parse_request()

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            url = urlsplit(self.path)
            if url.path.startswith(ADMIN):
                return self._admin("GET", url.path, None)
            service = server.service_for(url.path)
            if service is not None and url.query.lower() == "wsdl":
                host = self.headers.get("Host") or f"{server._httpd.server_address[0]}"
                return self._send(200, service.wsdl_text(f"http://{host}{url.path}"), "text/xml; charset=utf-8")
            self._send(404, b"Not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            arrived = self.arrived
            url = urlsplit(self.path)
            declared = (self.headers.get("Content-Length") or "0").strip()
            if not declared.isdigit() or int(declared) > MAX_REQUEST_BYTES:
                self.close_connection = True  # the body is never read
                status, text = (400, b"Invalid Content-Length") if not declared.isdigit() else (
                    413, b"Request Entity Too Large")
                return self._send(status, text, "text/plain")
            body = self.rfile.read(int(declared))
            if url.path.startswith(ADMIN):
                try:
                    payload = json.loads(body) if body else None
                except json.JSONDecodeError as exc:
                    return self._json(400, {"error": f"invalid JSON: {exc}"})
                return self._admin("POST", url.path, payload)
            if server.service_for(url.path) is None:
                return self._send(404, b"Not found", "text/plain")
            self._soap(url.path, body, arrived)

        def _admin(self, method: str, path: str, payload: Any) -> None:
            try:
                self._json(200, server.admin(method, path, payload))
            except AdminError as exc:
                self._json(exc.status, {"error": str(exc)})

        def _soap(self, path: str, body: bytes, arrived: float) -> None:
            """Answer one SOAP call for the tenant it is for; with a latency set, no answer leaves before
            the tenant's latency after `arrived`.

            Latency is the service time of a remote system: the reply comes `latency_ms` after the
            request arrived, the sandbox's own work included (the floor of one write at a time is
            then exactly one write per latency).
            """
            try:
                request = SoapService.read(body)  # once: answer() takes it as read
                operation = SoapService.operation_of(request)
            except Exception:  # noqa: BLE001 - unreadable requests get their fault from handle()
                request, operation = None, "?"
            cookies = SimpleCookie(self.headers.get("Cookie") or "")
            jar = {k: m.value for k, m in cookies.items()}
            tenant = server.tenant_of(operation, request, jar)
            service = tenant.service_for(path)
            if service is None:  # not so: every tenant of a system has the default's endpoints
                return self._send(404, b"Not found", "text/plain")
            faults, calls = tenant.faults, tenant.calls
            due = arrived + faults.latency()
            refusal = faults.quarantine_message()
            if refusal:
                calls.record(operation, "quarantined")
                return self._send(500, render_fault(refusal), "text/xml; charset=utf-8", due=due)
            fault = faults.draw()
            if fault == ERROR:
                calls.record(operation, "injected: error")
                # Worded like a passing server-side failure, so that classify() treats it as retryable.
                message = "Server was unable to process request. ---> The service is temporarily unavailable. (injected)"
                return self._send(500, render_fault(message), "text/xml; charset=utf-8", due=due)
            if fault == DROP:
                calls.record(operation, "injected: drop")
                _wait_until(due)
                self.close_connection = True
                return
            context = RequestContext(operation=operation, cookies=jar,
                                     headers=dict(self.headers.items()),
                                     unknown_elements=faults.config.unknown_elements)
            # Timeouts and garbled replies happen after the work was done: the caller cannot tell.
            status, reply = service.answer(request, context) if request is not None else service.handle(body, context)
            outcome = "ok" if status == 200 else "fault"
            key, detail = context.record_key, context.detail
            if fault == TIMEOUT:
                calls.record(operation, f"injected: timeout (after {outcome})", key, detail)
                time.sleep(faults.config.timeout_hold_seconds)
                self.close_connection = True
                return
            if fault == MALFORMED:
                calls.record(operation, f"injected: malformed (after {outcome})", key, detail)
                return self._send(200, reply[: max(len(reply) // 2, 10)], "text/xml; charset=utf-8", due=due)
            calls.record(operation, outcome, key, detail)
            self._send(status, reply, "text/xml; charset=utf-8", context.set_cookies, due=due)

        def _json(self, status: int, payload: Any) -> None:
            self._send(status, json.dumps(payload, default=str, ensure_ascii=False).encode(), "application/json")

        def _send(self, status: int, body: bytes, content_type: str, cookies: dict[str, str] | None = None,
                  due: float = 0.0) -> None:
            # The whole reply is made before the wait and leaves in one write when due: nothing of the
            # sandbox's own is added to the service time, and the handler is back reading the next request
            # (whose arrival starts its service time) as soon as this one is out.
            self.log_request(status)
            head = [f"{self.protocol_version} {status} {self.responses.get(status, ('',))[0]}",
                    f"Server: {self.version_string()}", f"Date: {self.date_time_string()}",
                    f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
                    *(f"Set-Cookie: {name}={value}; path=/; HttpOnly" for name, value in (cookies or {}).items())]
            reply = "".join(f"{line}\r\n" for line in head).encode("latin-1") + b"\r\n" + body
            _wait_until(due)
            self.wfile.write(reply)

    return Handler
