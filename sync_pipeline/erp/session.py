"""The 24SevenOffice login session shared by every service of one client.

24SevenOffice authenticates with the cookie ASP.NET_SessionId that Login hands out. One
requests.Session carries it to all four services. The session is reused for as long as it lives:
logging in again is throttled by the service, so we do it only after a call failed because the
session died (and then repeat that call once). HasSession is never called before calls; it is
offered for diagnostics only.

Thread-safety: zeep clients are not thread-safe, so use one ErpClient (and thus one ErpSession) per
thread or process. Re-login is guarded by a lock all the same.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, Iterable, TypeVar
from urllib.parse import urlsplit

import requests
import zeep
from zeep.exceptions import Fault

from sync_pipeline.erp.budget import RequestBudgetSpent, budget_for, keep_budget
from sync_pipeline.erp.connection import ErpConnection
from sync_pipeline.erp.sentinels import GUID_NOT_SET
from sync_pipeline.erp.services import ErpService
from sync_pipeline.redaction import SESSION_COOKIE
from sync_pipeline.soap import redaction
from sync_pipeline.soap.client import build_client, call_with_retry
from sync_pipeline.soap.errors import AuthenticationError, SessionExpiredError, SyncError, TerminalError
from sync_pipeline.soap.unknown import UnknownElements

log = logging.getLogger(__name__)
T = TypeVar("T")


class ErpSession:
    """Login state plus the HTTP session every service proxy of one client must use."""

    def __init__(self, connection: ErpConnection, plugins: Iterable[zeep.Plugin] = (), *,
                 unknown_elements: UnknownElements | None = None):
        self.connection = connection
        self.http = requests.Session()
        if connection.requests_per_hour is not None:
            name = f"merchant {connection.merchant}" if connection.merchant else connection.username
            keep_budget(self.http, budget_for(connection.login_key(), name, connection.requests_per_hour,
                                              connection.retry.max_quarantine_wait))
        self._redactor = redaction.install(connection.password.get_secret_value())
        self._auth_client, self._auth = build_client(
            ErpService.AUTHENTICATE.wsdl, connection.url(ErpService.AUTHENTICATE),
            timeout=connection.timeout, session=self.http, plugins=plugins,
            max_reply_bytes=connection.max_reply_bytes, unknown_elements=unknown_elements,
        )
        self._lock = threading.Lock()
        self._logins = 0  # successful logins so far; tells whether another caller already re-logged in

    @property
    def logged_in(self) -> bool:
        return self._logins > 0

    def login(self) -> None:
        """Log in now (normally implicit: the first call and a dead session do it)."""
        with self._lock:
            self._login()

    def has_session(self) -> bool:
        """Whether the service still knows our session (diagnostics only; costs a request)."""
        if not self.logged_in:
            return False
        try:
            result = call_with_retry("HasSession", lambda: self._auth.HasSession(), self.connection.retry,
                                     on_retry=_stop_if_session_expired)
        except SessionExpiredError:
            return False
        return bool(result)

    def call(self, operation: str, invoke: Callable[[], T]) -> T:
        """Run one service call with retries; a dead session is replaced once and the call repeated."""
        if not self.logged_in:
            self._relogin(seen_logins=0)
        for attempt in (1, 2):
            seen = self._logins
            try:
                return call_with_retry(operation, invoke, self.connection.retry, on_retry=_stop_if_session_expired)
            except SessionExpiredError:
                if attempt == 2:
                    raise
                log.info("24SevenOffice session ended during %s; logging in again", operation)
                self._relogin(seen_logins=seen)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.http.close()

    # -- internals ---------------------------------------------------------------------------

    def _relogin(self, seen_logins: int) -> None:
        with self._lock:
            if self._logins == seen_logins:  # nobody replaced the session since the caller saw it
                self._login()

    def _login(self) -> None:
        connection = self.connection
        credential = {
            "ApplicationId": str(connection.application_id),
            "IdentityId": str(connection.identity_id) if connection.identity_id else GUID_NOT_SET,
            "Username": connection.username,
            "Password": connection.password.get_secret_value(),
        }
        self._forget_session_cookie()
        try:
            session_id = call_with_retry("Login", lambda: self._auth.Login(credential=credential), connection.retry,
                                         on_retry=_stop_if_budget_spent)
        except TerminalError as error:
            if isinstance(error, AuthenticationError) or not isinstance(error.__cause__, Fault):
                raise
            # e.g. "The provided IdentityId is blocked": the credentials, not the request, are at fault
            raise AuthenticationError(f"24SevenOffice refused the login for {connection.username}: "
                                      f"{error.__cause__.message}") from error
        if not session_id:
            raise AuthenticationError(f"24SevenOffice refused the login for {connection.username}")
        self._redactor.add_secret(session_id)
        if not self._session_cookie():
            # The service sets the cookie itself; should a proxy strip it, the login result is the same value.
            self.http.cookies.set(SESSION_COOKIE, session_id, domain=urlsplit(connection.base_url).hostname or "",
                                  path="/")
        self._logins += 1
        log.info("Logged in to 24SevenOffice as %s", connection.username)

    def _session_cookie(self) -> str | None:
        return next((c.value for c in self.http.cookies if c.name == SESSION_COOKIE), None)

    def _forget_session_cookie(self) -> None:
        for cookie in [c for c in self.http.cookies if c.name == SESSION_COOKIE]:
            self.http.cookies.clear(cookie.domain, cookie.path, cookie.name)


def _stop_if_session_expired(error: SyncError) -> None:
    """on_retry hook: a dead session is not healed by waiting, so hand it to ErpSession.call at once."""
    if isinstance(error, SessionExpiredError):
        raise error
    _stop_if_budget_spent(error)


def _stop_if_budget_spent(error: SyncError) -> None:
    """on_retry hook: the budget already waited what it may; its next place is further off than any retry."""
    if isinstance(error, RequestBudgetSpent):
        raise error
