"""What sets one tenant's demo data apart from another's: its article numbers and its order ids.

The default tenant's flavour is the demo the README describes (SKU-1001…, orders 1…10); a merchant's
ERP client and goods owner take the same flavour, so the warehouse's stock is for that ERP's products.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any

_PREFIX = re.compile(r"[A-Z][A-Z0-9_]{0,19}")


@dataclass(frozen=True)
class DemoFlavour:
    article_prefix: str = "SKU"  # article numbers are f"{article_prefix}-{1000 + product id}"
    first_order_id: int = 1  # the demo's ten orders are first_order_id … first_order_id + 9

    def __post_init__(self) -> None:
        if not isinstance(self.article_prefix, str) or not _PREFIX.fullmatch(self.article_prefix):
            raise ValueError(f"article_prefix: expected 1-20 of A-Z, 0-9 and _ starting with a letter, "
                             f"got {self.article_prefix!r}")
        if isinstance(self.first_order_id, bool) or not isinstance(self.first_order_id, int) \
                or not 1 <= self.first_order_id <= 1_000_000_000:
            raise ValueError(f"first_order_id: expected a positive integer, got {self.first_order_id!r}")

    def article_number(self, product_id: int) -> str:
        return f"{self.article_prefix}-{1000 + product_id}"

    def order_id(self, demo_order: int) -> int:
        """The id of the demo's order number `demo_order` (1…10)."""
        return self.first_order_id - 1 + demo_order

    @classmethod
    def for_tenant(cls, name: str) -> "DemoFlavour":
        """The flavour a tenant gets unless it names one: its name, upper-cased and cut to a prefix."""
        prefix = re.sub(r"[^A-Z0-9_]", "_", name.upper()).lstrip("_0123456789")[:20] or "T"
        return cls(article_prefix=prefix)

    @classmethod
    def from_json(cls, data: Any, default: "DemoFlavour") -> "DemoFlavour":
        """`{"article_prefix": ..., "first_order_id": ...}`, either left out taking `default`'s; ValueError if wrong."""
        if data is None:
            return default
        if not isinstance(data, dict):
            raise ValueError(f"demo: expected an object, got {data!r}")
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"demo: unknown fields {sorted(unknown)}")
        return cls(**{**asdict(default), **data})

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
