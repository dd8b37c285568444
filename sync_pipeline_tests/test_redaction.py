"""The redaction pass over texts that are kept or sent: credentials never reach the ledger or an alert."""

from __future__ import annotations

import pytest

from sync_pipeline.redaction import MAX_REASON_LENGTH, Redactor, redact


@pytest.mark.parametrize("reason, secret", [
    ("login failed: password=Hunter2!x", "Hunter2!x"),
    ('reply {"Password": "Hunter2!x", "x": 1}', "Hunter2!x"),
    ("<ns0:Password>Hunter2!x</ns0:Password>", "Hunter2!x"),
    ("Cookie: ASP.NET_SessionId=abc123session; path=/", "abc123session"),
    ("GET https://demo:Hunter2!x@api.example.com/x failed", "Hunter2!x"),
    ("Authorization: Bearer eyJhbGciOi.payload.sig", "eyJhbGciOi.payload.sig"),
    ("callback ?token=tok-998877&page=2", "tok-998877"),
    ("so24_password: Hunter2!x", "Hunter2!x"),
])
def test_credential_shaped_values_are_masked(reason, secret):
    cleaned = redact(reason)
    assert secret not in cleaned
    assert "***" in cleaned


def test_known_secrets_are_masked_wherever_they_appear():
    scrub = Redactor(secrets=["wms-pass-4711", "pw"])
    assert scrub("refused for user demo with wms-pass-4711 in the body") == "refused for user demo with *** in the body"
    assert scrub("pw stays: too short to be told from a word") == "pw stays: too short to be told from a word"


@pytest.mark.parametrize("reason", [
    "SKU-1001.ArticleName: Product ⇒ Name has 130 characters; 24SevenOffice allows at most 125",
    "Order 7: session expired, logging in again",
    "the WMS refused the order: Password fields are not allowed in OrderRemark",
])
def test_ordinary_reasons_are_kept_as_they_are(reason):
    assert redact(reason) == reason


def test_long_reasons_are_cut():
    assert len(redact("x" * 10_000)) == MAX_REASON_LENGTH


def test_redaction_stays_linear_on_long_unbroken_text():
    """A reply quoting a large blob must not make the scrub quadratic (it runs on every failure)."""
    # Linear: well under a second. Quadratic (a pattern backtracking over the run of letters): hours,
    # so the suite's timeout fails this test.
    reason = "x" * 1_000_000 + " password=Hunter2!x " + "y_" * 100_000
    cleaned = redact(reason)
    assert len(cleaned) == MAX_REASON_LENGTH
    assert "Hunter2!x" not in redact("y" * 50_000 + "_password=Hunter2!x")
