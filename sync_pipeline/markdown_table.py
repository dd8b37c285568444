"""The one Markdown-table helper: the tables the Dagster UI shows and the documentation rendered from code.

Cells are escaped (no line breaks, no Markdown syntax from the data) unless the caller wrote them
as Markdown itself (`escape=False`, the documentation); times are shown in UTC; `limit` caps the
rows and says how many more there are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from sync_pipeline.utc import utc_text

NONE = "—"


def cell(value: Any, *, blank: str = NONE) -> str:
    """One value as a table cell: None as NONE, an empty text as `blank`, times in UTC, the rest escaped."""
    if value is None:
        return NONE
    if isinstance(value, datetime):
        return moment(value)
    text = " ".join(str(value).split())  # no line breaks inside a row
    for character in "\\|`*_[]<>":
        text = text.replace(character, "\\" + character)
    return text or blank


def moment(value: datetime | None) -> str:
    if value is None:
        return NONE
    return utc_text(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, limit: int | None = None,
          escape: bool = True, blank: str = NONE) -> str:
    """A Markdown table; with `limit`, at most that many rows and a last one saying how many more.

    escape=False: the cells are Markdown already and go in as they are (str()).
    blank: what an empty text shows (escaped cells; None always shows NONE).
    """
    shown = rows if limit is None else rows[:limit]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in shown:
        cells = (cell(value, blank=blank) if escape else str(value) for value in row)
        lines.append("| " + " | ".join(cells) + " |")
    if len(rows) > len(shown):
        lines.append("| " + " | ".join([f"… {len(rows) - len(shown)} more", *[""] * (len(headers) - 1)]) + " |")
    return "\n".join(lines)
