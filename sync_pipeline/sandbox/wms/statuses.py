"""Ongoing's standard order statuses, and what each one means for an order and its stock."""

from __future__ import annotations

ERROR = 150
OPEN = 200
RELEASED = 300
ALLOCATED = 320
PICKED = 400
SENT = 450
COLLECTED = 500
RETURNED = 800
CANCELLED = 1000

STANDARD_STATUSES: dict[int, str] = {
    ERROR: "Error",
    OPEN: "Open",
    RELEASED: "Released",
    ALLOCATED: "Allocated",
    PICKED: "Picked",
    SENT: "Sent",
    COLLECTED: "Collected",
    RETURNED: "Returned",
    CANCELLED: "Cancelled",
}


def is_known(status: int) -> bool:
    return status in STANDARD_STATUSES


def name_of(status: int) -> str:
    return STANDARD_STATUSES.get(status, f"Status {status}")


def warehouse_started(status: int) -> bool:
    """From Released on, the goods owner can no longer change or cancel the order."""
    return status >= RELEASED


def has_left_warehouse(status: int) -> bool:
    """Sent, Collected and Returned orders were shipped (and withdrawn from stock) at some point."""
    return SENT <= status < CANCELLED
