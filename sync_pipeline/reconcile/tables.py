"""Markdown tables the Dagster UI renders: escaped cells, UTC times, capped row counts."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Sequence

NONE = "—"


def cell(value: Any) -> str:
    if value is None or value == "":
        return NONE
    if isinstance(value, datetime):
        return moment(value)
    text = " ".join(str(value).split())  # no line breaks inside a row
    for character in "\\|`*_[]<>":
        text = text.replace(character, "\\" + character)
    return text


def moment(value: datetime | None) -> str:
    if value is None:
        return NONE
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, limit: int | None = None) -> str:
    """A Markdown table; with `limit`, at most that many rows and a last one saying how many more."""
    shown = rows if limit is None else rows[:limit]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in shown]
    if len(rows) > len(shown):
        lines.append("| " + " | ".join([f"… {len(rows) - len(shown)} more", *[""] * (len(headers) - 1)]) + " |")
    return "\n".join(lines)
