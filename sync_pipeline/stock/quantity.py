"""Stock quantities as exact int64 units of one millionth, and back to Decimal.

Floats cannot hold most decimal quantities exactly (0.1 is not 0.1), so two stocks that differ in
the fourth decimal could compare equal, and a float written back to the ERP could come out as
1.0009999999. The stock frames therefore carry quantities as integers counting millionths of an
item: exact for every quantity with at most 6 decimal places (more than either system stores) up
to about 9.2 trillion items, and compared with numpy at integer speed. Trailing zeros do not
matter (Decimal("1.001") and Decimal("1.0010") are the same 1001000 units). A quantity that
cannot be represented exactly is refused, never rounded.
"""

from __future__ import annotations

from decimal import Context, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Sequence, cast

if TYPE_CHECKING:
    import pandas as pd

QUANTITY_DECIMALS = 6
QUANTITY_SCALE: int = 10**QUANTITY_DECIMALS  # declared: a power with a variable exponent is Any to mypy

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
# Enough digits for any int64 count of units, whatever the caller's decimal context says.
_EXACT = Context(prec=40)


class QuantityError(ValueError):
    """A quantity that cannot be carried exactly as units of 1/QUANTITY_SCALE."""


def to_units(value: Any) -> int:
    """Exact number of millionths in `value` (Decimal, int, or a decimal string)."""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise QuantityError(f"not a number: {value!r}") from None
    try:
        numerator, denominator = cast(tuple[int, int], value.as_integer_ratio())  # Decimal's, int's, float's
    except (AttributeError, TypeError):
        raise QuantityError(f"not a quantity: {value!r}") from None
    except (ValueError, OverflowError):
        raise QuantityError(f"not a finite number: {value}") from None
    factor, remainder = divmod(QUANTITY_SCALE, denominator)
    if remainder:
        if isinstance(value, float):
            raise QuantityError(f"float {value!r} is not an exact decimal; pass Decimal")
        raise QuantityError(f"{value} has more than {QUANTITY_DECIMALS} decimal places")
    units = numerator * factor
    if not _INT64_MIN <= units <= _INT64_MAX:
        raise QuantityError(f"{value} is out of range")
    return units


def from_units(units: int) -> Decimal:
    """The Decimal for `units`, without trailing zeros and never in exponent notation."""
    whole, fraction = divmod(int(units), QUANTITY_SCALE)
    if not fraction:
        return Decimal(whole)
    # normalize() strips trailing zeros; with a non-zero fraction the exponent stays negative,
    # so str() gives plain notation ("1.5", "0.000001").
    return Decimal(int(units)).scaleb(-QUANTITY_DECIMALS, context=_EXACT).normalize(_EXACT)


def units_array(
    values: Sequence[Any], *, not_set: Decimal | None = None
) -> tuple[pd.arrays.IntegerArray, dict[int, str]]:
    """Convert quantities to a nullable Int64 array of units.

    None (and `not_set`, a schema's "no value" sentinel) become <NA>. Values that cannot be
    converted exactly also become <NA>; their positions come back with the reason, so the caller
    can report those records instead of failing the whole batch.
    """
    import numpy as np  # here, not at the top: from_units/to_units serve modules that load without pandas
    import pandas as pd

    count = len(values)
    data = np.zeros(count, dtype=np.int64)
    mask = np.zeros(count, dtype=bool)
    errors: dict[int, str] = {}
    scale = QUANTITY_SCALE
    for position, value in enumerate(values):
        # Fast path for the common case (Decimal or int with at most 6 decimals, in range);
        # anything unusual goes through to_units for the exact reason.
        try:
            numerator, denominator = value.as_integer_ratio()
            factor, remainder = divmod(scale, denominator)
            units = numerator * factor
            if not remainder and _INT64_MIN <= units <= _INT64_MAX:
                data[position] = units
                continue
        except Exception:  # noqa: BLE001 - any odd value is judged by to_units below
            pass
        mask[position] = True
        if value is None or (not_set is not None and _equals(value, not_set)):
            continue
        try:
            data[position] = to_units(value)
            mask[position] = False
        except QuantityError as exc:
            errors[position] = str(exc)
    return pd.arrays.IntegerArray(data, mask), errors


def _equals(value: Any, other: Decimal) -> bool:
    try:
        return bool(value == other)
    except Exception:  # noqa: BLE001
        return False
