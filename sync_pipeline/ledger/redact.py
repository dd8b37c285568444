"""A safety net for failure reasons: credentials never reach the ledger.

Callers pass RecordError messages, which by construction name a record, a field and a reason, never
a credential. Reasons can still quote a service's reply or a URL, so the ledger scrubs them once
more before storing: values after password/secret/token/session-like words, user:password@ in URLs,
the ERP session cookie, and any known secret values the ledger was given.
"""

from __future__ import annotations

import re
from typing import Iterable

MASK = "***"
MAX_REASON_LENGTH = 2000

_NAMED = re.compile(
    r"(?P<name>(?:password|passwd|pwd|secret|token|api[_\-]?key|session[_\-]?id|sessionid|"
    r"authorization|credential)s?\b[\"']?)"
    r"(?P<sep>\s*[=:>]\s*[\"']?)"
    r"(?P<value>(?:Bearer\s+|Basic\s+)?[^\s\"'<&,;]+)",
    re.IGNORECASE,
)
# Anchored on "://" (not on the scheme's letters), so a long run of letters cannot make it backtrack.
_URL_USERINFO = re.compile(r"(?P<start>://[^/\s:@]*):(?P<password>[^/\s@]*)@")
_SESSION_COOKIE = re.compile(r"(ASP\.NET_SessionId=)[^;\s]+", re.IGNORECASE)


class Redactor:
    """Masks credentials in text; `secrets` are exact values to mask wherever they appear."""

    def __init__(self, secrets: Iterable[str] = ()):
        # Longest first, so a secret containing another is masked whole; very short values would
        # mask ordinary words, so they are left to the patterns.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        text = _SESSION_COOKIE.sub(lambda m: m.group(1) + MASK, text)
        text = _URL_USERINFO.sub(lambda m: f"{m.group('start')}:{MASK}@", text)
        text = _NAMED.sub(lambda m: m.group("name") + m.group("sep") + MASK, text)
        if len(text) > MAX_REASON_LENGTH:
            text = text[: MAX_REASON_LENGTH - 1] + "…"
        return text


redact = Redactor()
