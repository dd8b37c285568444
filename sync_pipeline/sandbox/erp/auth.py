"""Login, sessions and HasSession: the session id travels as the ASP.NET_SessionId cookie."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sync_pipeline.sandbox.erp.clock import Clock
from sync_pipeline.sandbox.erp.errors import IDENTITY_BLOCKED, NOT_AUTHENTICATED, service_fault
from sync_pipeline.sandbox.soap import RequestContext

SESSION_COOKIE = "ASP.NET_SessionId"
DEFAULT_IDENTITY = "00000000-0000-0000-0000-000000000000"
_SESSION_ALPHABET = "abcdefghijklmnopqrstuvwxyz012345"  # ASP.NET session ids: 24 characters of this set


@dataclass(frozen=True)
class Credentials:
    """The user of one client (the default's, unless another client's is given), and the identity it may pick."""

    application_id: str = "11111111-1111-1111-1111-111111111111"
    username: str = "demo@example.com"
    password: str = "demo-password"
    identity_id: str = "22222222-2222-2222-2222-222222222222"

    def accepts(self, credential: dict[str, Any]) -> bool:
        return (str(credential.get("ApplicationId") or "").lower() == self.application_id.lower()
                and str(credential.get("Username") or "").lower() == self.username.lower()
                and credential.get("Password") == self.password)

    def identity_allowed(self, identity_id: str | None) -> bool:
        return identity_id in (None, "", DEFAULT_IDENTITY) or identity_id.lower() == self.identity_id.lower()


class Sessions:
    """Live sessions by id; a session dies after `ttl` of idleness."""

    def __init__(self, clock: Clock, ttl_seconds: float):
        self._clock = clock
        self._ttl = timedelta(seconds=ttl_seconds)
        self._lock = threading.Lock()
        self._last_used: dict[str, datetime] = {}
        self._issued: set[str] = set()  # every id opened since the last reset, live or not
        self.logins = 0

    def open(self) -> str:
        session_id = "".join(secrets.choice(_SESSION_ALPHABET) for _ in range(24))
        with self._lock:
            self._last_used[session_id] = self._clock.now()
            self._issued.add(session_id)
            self.logins += 1
        return session_id

    def issued(self, session_id: str) -> bool:
        """Whether this id was opened here (since the last reset), even if it has died since."""
        with self._lock:
            return session_id in self._issued

    def touch(self, session_id: str | None) -> bool:
        """Whether the session lives; using it restarts its idle time."""
        if not session_id:
            return False
        now = self._clock.now()
        with self._lock:
            last = self._last_used.get(session_id)
            if last is None:
                return False
            if now - last > self._ttl:
                del self._last_used[session_id]
                return False
            self._last_used[session_id] = now
            return True

    def count(self) -> int:
        now = self._clock.now()
        with self._lock:
            return sum(1 for last in self._last_used.values() if now - last <= self._ttl)

    def expire_all(self) -> None:
        with self._lock:
            self._last_used.clear()

    def reset(self) -> None:
        with self._lock:
            self._last_used.clear()
            self._issued.clear()
            self.logins = 0

    def require(self, context: RequestContext) -> None:
        """Refuse the call, as the real service does, unless its cookie names a live session."""
        if not self.touch(context.cookies.get(SESSION_COOKIE)):
            raise service_fault(NOT_AUTHENTICATED)


class Authenticate:
    """Handlers of the Authenticate service."""

    def __init__(self, sessions: Sessions, credentials: Credentials):
        self._sessions = sessions
        self._credentials = credentials

    def handlers(self) -> dict:
        return {"Login": self.login, "HasSession": self.has_session}

    def login(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        credential = values.get("credential") or {}
        if not self._credentials.accepts(credential):
            return {"LoginResult": ""}  # the real service answers a wrong password with an empty id, not a fault
        if not self._credentials.identity_allowed(credential.get("IdentityId")):
            raise service_fault(IDENTITY_BLOCKED)
        session_id = self._sessions.open()
        context.set_cookies[SESSION_COOKIE] = session_id
        return {"LoginResult": session_id}

    def has_session(self, values: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        return {"HasSessionResult": self._sessions.touch(context.cookies.get(SESSION_COOKIE))}
