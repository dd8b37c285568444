"""Masking credentials in text: one set of rules for logs, the ledger's failure reasons and alerts.

Two kinds of masking:
- known secrets (passwords from the settings, session ids as issued, the alert webhook's URL),
  wherever they appear, also XML-escaped as they stand in envelopes;
- credential-shaped text: the contents of <Password> and <LoginResult> (the 24SevenOffice
  session id), the session cookie's value, and, for texts that are stored or sent (not logs),
  values after password/secret/token-like words and user:password@ in URLs.
"""

from __future__ import annotations

import re
from typing import Iterable
from xml.sax.saxutils import escape

REDACTED = "***"
SESSION_COOKIE = "ASP.NET_SessionId"
SECRET_ELEMENTS = ("Password", "LoginResult")  # LoginResult is the 24SevenOffice session id
MIN_SECRET_LENGTH = 4  # a shorter "secret" would blank out ordinary words
MAX_REASON_LENGTH = 2000

_MARKUP = (
    # <Password>…</Password> in any namespace prefix, with or without attributes
    re.compile(r"(?P<open><(?P<tag>(?:[\w.-]+:)?(?:%s))(?:\s[^>]*)?>)[^<]*(?P<close></(?P=tag)\s*>)"
               % "|".join(SECRET_ELEMENTS)),
    re.compile(r"(?P<open>" + re.escape(SESSION_COOKIE) + r"=)[^;\s'\"\\]+(?P<close>)", re.IGNORECASE),
)
_NAMED = re.compile(
    r"(?P<name>(?:password|passwd|pwd|secret|token|api[_\-]?key|session[_\-]?id|sessionid|"
    r"authorization|credential)s?\b[\"']?)"
    r"(?P<sep>\s*[=:>]\s*[\"']?)"
    r"(?P<value>(?:Bearer\s+|Basic\s+)?[^\s\"'<&,;]+)",
    re.IGNORECASE,
)
# Anchored on "://" (not on the scheme's letters), so a long run of letters cannot make it backtrack.
_URL_USERINFO = re.compile(r"(?P<start>://[^/\s:@]*):(?P<password>[^/\s@]*)@")


def secret_values(secrets: Iterable[str | None]) -> tuple[str, ...]:
    """What to mask for these secrets: each long enough to be one, as is and XML-escaped, longest
    first (so a secret containing another is masked whole)."""
    values = {form for secret in secrets if secret and len(secret) >= MIN_SECRET_LENGTH
              for form in (secret, escape(secret))}
    return tuple(sorted(values, key=len, reverse=True))


def mask_values(text: str, values: Iterable[str]) -> str:
    """`text` with each of `values` (from secret_values) masked."""
    for value in values:
        text = text.replace(value, REDACTED)
    return text


def mask_markup(text: str) -> str:
    """`text` with the secret elements' contents and the session cookie's value masked."""
    for pattern in _MARKUP:
        text = pattern.sub(lambda m: m.group("open") + REDACTED + m.group("close"), text)
    return text


class Redactor:
    """Masks credentials in a text that is kept or sent (a failure reason, an alert): known secrets,
    secret markup, credential-shaped values and URL passwords; cuts it to `max_length`."""

    def __init__(self, secrets: Iterable[str | None] = (), max_length: int = MAX_REASON_LENGTH):
        self._values = secret_values(secrets)
        self._max_length = max_length

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        text = mask_markup(mask_values(text, self._values))
        text = _URL_USERINFO.sub(lambda m: f"{m.group('start')}:{REDACTED}@", text)
        text = _NAMED.sub(lambda m: m.group("name") + m.group("sep") + REDACTED, text)
        if len(text) > self._max_length:
            text = text[: self._max_length - 1] + "…"
        return text


redact = Redactor()
